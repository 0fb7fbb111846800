package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// The window opens at the size it had when it was closed: a maker who
// made it big had it small again at the next start. Never larger than the
// screen has room for, nor smaller than the app can be shown in.
func TestTheWindowOpensAtTheSizeItWasClosedAt(t *testing.T) {
	shop := stockedShop(t)
	a := test.NewTempApp(t)
	// Each window is closed as the maker closes it (askBeforeClosing), which
	// keeps its size; the test driver cannot close one twice.
	start := func() (*UI, fyne.Window) {
		w := a.NewWindow("test")
		u := newUI(a, w, shop, Options{Path: shop.Path()}, true)
		t.Cleanup(u.Close)
		return u, w
	}

	u, w := start()
	if got := w.Canvas().Size(); got != DefaultSize {
		t.Errorf("on first start the window is %v, want %v", got, DefaultSize)
	}
	big := fyne.NewSize(1240, 860)
	w.Resize(big)
	u.askBeforeClosing() // nothing unsaved: it closes
	u, w = start()
	if got := w.Canvas().Size(); got != big {
		t.Errorf("started again the window is %v, want %v as it was closed", got, big)
	}

	u.FitScreen(fyne.NewSize(1024, 740)) // a smaller screen than it was made on
	if got := w.Canvas().Size(); got != fyne.NewSize(1024, 740) {
		t.Errorf("on a 1024×740 screen the window is %v, want it to fit", got)
	}

	w.Resize(fyne.NewSize(200, 150))
	u.askBeforeClosing()
	u, w = start()
	if got := w.Canvas().Size(); got != SmallestSize {
		t.Errorf("closed at 200×150, the window starts at %v, want %v, the least every screen fits", got, SmallestSize)
	}
	// A screen smaller still: the window takes the screen, but not less
	// than its content needs (wider than 640, its screens side by side).
	u.FitScreen(fyne.NewSize(640, 480))
	want := fyne.NewSize(640, 480).Max(w.Content().MinSize())
	if got := w.Canvas().Size(); got != want {
		t.Errorf("on a 640×480 screen the window is %v, want %v", got, want)
	}
	u.askBeforeClosing()
}

// Quit, as Ctrl+C in the terminal that started the app or the session
// ending asks, keeps the window's size too, and asks nothing: nobody is at
// the window to answer. Killed that way the window came back at its old
// size.
func TestQuitKeepsTheWindowSizeWithoutAsking(t *testing.T) {
	shop := stockedShop(t)
	a := test.NewTempApp(t)
	w := a.NewWindow("test")
	u := newUI(a, w, shop, Options{Path: shop.Path()}, true)
	t.Cleanup(u.Close)
	big := fyne.NewSize(1180, 820)
	w.Resize(big)
	u.Quit()
	w = a.NewWindow("test")
	u = newUI(a, w, shop, Options{Path: shop.Path()}, true)
	t.Cleanup(u.Close)
	if got := w.Canvas().Size(); got != big {
		t.Errorf("after Quit the window starts at %v, want %v as it was", got, big)
	}
}

// Fyne saves its preferences once more as the app stops, after its main
// loop, where its watch on the file read it half written and logged
// "Preferences load error: EOF" at one quit in three. The window makes
// that save as it closes, and none is left for after.
func TestFynesExitSaveIsMadeAsTheWindowCloses(t *testing.T) {
	shop := stockedShop(t)
	a := test.NewTempApp(t)
	l := a.Lifecycle().(stopHooks)
	saves := 0
	l.SetOnStoppedHookExecuted(func() { saves++ }) // as the real app has it
	w := a.NewWindow("test")
	u := newUI(a, w, shop, Options{Path: shop.Path()}, true)
	t.Cleanup(u.Close)
	u.Quit()
	if saves != 1 {
		t.Errorf("as the window closed Fyne's preferences were saved %d times, want once", saves)
	}
	if l.OnStopped() != nil {
		t.Error("Fyne saves its preferences again as the app stops, where its watch reads them half written")
	}
}
