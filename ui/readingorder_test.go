package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"microshop/app"
	"microshop/domain"
)

// frames does to a window what Fyne's desktop driver does before each
// frame it draws (common.Canvas.EnsureMinSize, Fyne 2.7.1), which the test
// canvas never does: it walks what is shown, children before their
// parent, asks each its MinSize, and lays out again the parent of one
// whose MinSize changed since the last frame when the walk comes to that
// parent. It holds one parent at a time, as Fyne does: a change walked
// later, deeper in a sibling, takes the place of the one before.
type frames struct {
	min map[fyne.CanvasObject]fyne.Size
}

func newFrames() *frames { return &frames{min: map[fyne.CanvasObject]fyne.Size{}} }

// draw is a few frames, as many as a change takes to settle.
func (f *frames) draw(w fyne.Window) {
	for range 3 {
		for _, root := range append([]fyne.CanvasObject{w.Canvas().Content()}, w.Canvas().Overlays().List()...) {
			var toLayOut fyne.CanvasObject
			var visit func(o, parent fyne.CanvasObject)
			visit = func(o, parent fyne.CanvasObject) {
				if !o.Visible() {
					return
				}
				for _, child := range children(o) {
					visit(child, o)
				}
				if toLayOut == o {
					layOutOnce(o)
					toLayOut = nil
				}
				if m := o.MinSize(); m != f.min[o] {
					f.min[o] = m
					if parent == nil {
						layOutOnce(o)
					} else {
						toLayOut = parent
					}
				}
			}
			visit(root, nil)
		}
	}
}

func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch c := o.(type) {
	case fyne.Widget:
		return test.WidgetRenderer(c).Objects()
	case *fyne.Container:
		return c.Objects
	}
	return nil
}

// demoShop is the demo shop on the tests' clock: its Today has a summary
// that wraps at 1000 wide, and lists long enough to scroll.
func demoShop(t *testing.T) *app.Shop {
	t.Helper()
	s, err := app.Demo(context.Background(), filepath.Join(t.TempDir(), "shop.db"), 1,
		app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// below fails the test unless list starts right below text: above its
// bottom, the list covers a line of it; a line further down, it leaves a gap.
func below(t *testing.T, when string, text, list fyne.CanvasObject) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	end := d.AbsolutePositionForObject(text).Y + text.Size().Height
	if h := text.MinSize().Height; text.Size().Height < h {
		t.Errorf("%s: the text is %.0f high, and needs %.0f", when, text.Size().Height, h)
	}
	if top := d.AbsolutePositionForObject(list).Y; top < end || top > end+theme.TextSize() {
		t.Errorf("%s: the list starts at %.0f, and the text above it ends at %.0f", when, top, end)
	}
}

// sizes are the window sizes a maker goes through, one after another:
// each lays the window out at a new width, where the text above a list
// wraps to another number of lines.
var sizes = []fyne.Size{{Width: 1280, Height: 900}, {Width: 1000, Height: 680}, {Width: 800, Height: 600},
	{Width: 1280, Height: 900}, {Width: 800, Height: 600}}

// Today's summary wraps, and its list changes under it as the window
// changes size and as a factory paused adds an alert: the list stays right
// below the summary's last line. Put first, for Tab, the summary grew a
// line while the list's rows changed, Fyne laid out only the rows, and
// the list covered the line (or left a line's gap when it shrank).
func TestTodaysListStaysBelowItsSummary(t *testing.T) {
	shop := demoShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "today"})
	f := newFrames()
	s := u.today
	for _, size := range sizes {
		w.Resize(size)
		below(t, fmt.Sprintf("resized to %v×%v", size.Width, size.Height), s.summary, s.list) // not a frame late
		f.draw(w)
		below(t, fmt.Sprintf("at %v×%v", size.Width, size.Height), s.summary, s.list)
	}
	w.Resize(fyne.NewSize(1180, 900)) // the summary just holds on one line
	f.draw(w)
	one := s.summary.Size().Height
	if err := shop.PauseFactory(context.Background(), "Back Room Workshop", "moving workshop"); err != nil {
		t.Fatal(err)
	}
	u.reload()
	f.draw(w)
	if s.summary.Size().Height <= one {
		t.Fatalf("the summary %q did not wrap to another line at 1180 wide; the test needs it to", s.summary.Text)
	}
	below(t, "after a factory paused", s.summary, s.list)
}

// The Sales… window's counts wrap; the day before has other counts and
// lines: the list stays right below them at each size, either day.
func TestSalesListStaysBelowTheCounts(t *testing.T) {
	u, w := newTestUI(t, demoShop(t), Options{Screen: "sell"})
	f := newFrames()
	w.Resize(sizes[0])
	f.draw(w)
	v := u.showSales(nil)
	f.draw(w)
	for _, size := range sizes[1:] {
		w.Resize(size)
		f.draw(w)
		below(t, fmt.Sprintf("at %v×%v", size.Width, size.Height), v.returns, v.list)
		v.showDay(v.day.AddDate(0, 0, -1))
		f.draw(w)
		below(t, fmt.Sprintf("the day before, at %v×%v", size.Width, size.Height), v.returns, v.list)
	}
}

// In the windows and dialogs over a screen, Tab reaches what sits above
// a list or a table before it, as a maker reads them: the fair's days
// and place, sourcing's rate and run, the sales' days. It reached the
// list first and the fields above it last.
func TestTabReachesWhatIsAboveTheListFirst(t *testing.T) {
	for _, c := range []struct {
		name string
		open func(u *UI)
		want []string
	}{
		{"sales", func(u *UI) { u.showSales(nil) }, []string{"icon button", "Save as PDF…", "*widget.List", "Done"}},
		{"pack for a fair", func(u *UI) { u.showPack(func() {}) },
			[]string{"choice 2", "choice Stall", "*widget.List", "Save checklist…", "Move them to Stall", "Close"}},
		{"came back", func(u *UI) { u.showCameBack(func() {}).from.SetSelected("Stall") },
			[]string{"choice Stall", "entry ", "Count and move home", "Close"}},
		{"sourcing", func(u *UI) { u.showSourcing("MUG") },
			[]string{"entry from its sales", "entry none", "Compare", "Add a quote…", "*widget.Table", "Close"}},
		{"kits", func(u *UI) { u.showKits() }, []string{"New kit…", "*widget.Table", "Close"}},
		{"margins", func(u *UI) { u.showMargins() },
			[]string{"choice 90 days", "choice Contribution, worst first", "*widget.Table", "Close"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			shop, _ := heldPrints(t, "Stall") // some at a fair's place, to count when it comes back
			u, w := newTestUI(t, shop, Options{Screen: "skus"})
			w.Resize(fyne.NewSize(1000, 700))
			c.open(u)
			w.Canvas().Unfocus()
			got := tabCycle(t, w)
			if len(got) > len(c.want) {
				got = got[:len(c.want)]
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Tab goes\n%s\nwant\n%s", strings.Join(got, " | "), strings.Join(c.want, " | "))
			}
		})
	}
}

// On a new shop's Today, Tab reaches the first steps' buttons before the
// list below them.
func TestTodayTabReachesTheFirstStepsFirst(t *testing.T) {
	shop := mustShop(t)
	mustFactory(t, shop, "Clay Works", domain.KindMicrofactory, 10, true)
	mustSKU(t, shop, "MUG", "Blue stoneware mug", domain.PathMicrofactory, "Clay Works", 2400)
	_, w := newTestUI(t, shop, Options{Screen: "today"})
	w.Resize(fyne.NewSize(1000, 700))
	want := []string{"*widget.List", "Purchase order…", "Refresh", "Count stock…", "*widget.List", "Open SKU"}
	if got := tabCycle(t, w); !slices.Equal(got, want) {
		t.Errorf("Tab goes\n%s\nwant\n%s", strings.Join(got, " | "), strings.Join(want, " | "))
	}
}
