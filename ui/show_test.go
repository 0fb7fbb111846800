package ui

import "testing"

// watchedScreen counts a screen's loads and notes whether it was on the
// window when told it was shown.
type watchedScreen struct {
	screen
	u              *UI
	loads          int
	shownOffWindow bool
}

func (s *watchedScreen) load() { s.loads++; s.screen.load() }

func (s *watchedScreen) shown() {
	if len(s.u.body.Objects) != 1 || s.u.body.Objects[0] != s.content() {
		s.shownOffWindow = true
	}
	s.screen.shown()
}

// A screen chosen by its shortcut (or the Go menu) reads the shop once and
// is on the window before it puts the cursor in its search box: the
// sidebar's selection called show again, and Sell and Returns focused a
// box not yet on the window (Fyne logged "Failed to focus object") and
// every screen read its data twice.
func TestShowReadsOnceWithTheScreenOnTheWindow(t *testing.T) {
	u, _ := newTestUI(t, stockedShop(t), Options{})
	for _, name := range []string{"sell", "returns", "skus"} {
		i := screenIndex(name)
		w := &watchedScreen{screen: u.screens[i], u: u}
		u.screens[i] = w
		u.show(screenIndex("today"))
		u.show(i)
		if w.loads != 1 {
			t.Errorf("%s read its data %d times on being shown, want once", name, w.loads)
		}
		if w.shownOffWindow {
			t.Errorf("%s was told it was shown before it was on the window", name)
		}
	}
}
