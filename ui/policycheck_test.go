package ui

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"microshop/simulate"
)

// Help → Policy check runs the simulation and shows every policy's row and
// the chart.
func TestPolicyCheckShowsTheTableAndChart(t *testing.T) {
	u, _ := newTestUI(t, stockedShop(t), Options{})
	p := u.showPolicyCheck()
	for _, name := range []string{"microshop ×0.5", "microshop ", "microshop ×2", "monthly", "rop"} {
		if !strings.Contains(p.table.Text, name) {
			t.Errorf("the table lacks %q:\n%s", name, p.table.Text)
		}
	}
	if p.chart.Image == nil || p.chart.Image.Bounds().Dx() < 400 {
		t.Fatal("no chart drawn")
	}
	// Its figures read as `microshopctl simulate` gives them, sales lost
	// too: the rate read "95.1%", and the units lost the README compares
	// the policies by were not there.
	for _, want := range []string{"units lost", "95.1 %", " 268"} {
		if !strings.Contains(p.table.Text, want) {
			t.Errorf("the table lacks %q:\n%s", want, p.table.Text)
		}
	}
}

// Each policy's row has its line's colour beside it, above the chart: the
// chart's own legend sits at its right edge, out of sight in the dialog, so
// a maker could not tell which line was which policy.
func TestPolicyCheckKeysEachRowToItsLine(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{})
	w.Resize(fyne.NewSize(800, 600))
	p := u.showPolicyCheck()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	seen := map[color.Color]bool{}
	walk(top, func(o fyne.CanvasObject) bool {
		if r, ok := o.(*canvas.Rectangle); ok && r.Visible() {
			seen[r.FillColor] = true
		}
		_, scroll := o.(*container.Scroll) // the chart, scrolled
		return o.Visible() && !scroll
	})
	for i, name := range []string{"microshop ×0.5", "microshop", "microshop ×2", "monthly", "rop"} {
		if !seen[simulate.PolicyColor(p.result, i)] {
			t.Errorf("no key in %v for %s's line", simulate.PolicyColor(p.result, i), name)
		}
	}
}

// The check says what its stockout days count, as the command line does:
// the monthly row's 1512 in a year of 365 read as impossible.
func TestPolicyCheckSaysWhatAStockoutDayIs(t *testing.T) {
	u, _ := newTestUI(t, stockedShop(t), Options{})
	p := u.showPolicyCheck()
	want := "A stockout day is one SKU's day with none to sell while buyers came, of 18250 here (50 SKUs × 365 days); value held is at cost."
	if p.note.Text != want {
		t.Fatalf("under the table: %q; want %q", p.note.Text, want)
	}
}

// In a large window the chart is shown whole across, and tall: the dialog
// kept its 800×600 size, the chart scrolled in a strip of 720×230 pixels
// with room to spare around it.
func TestPolicyCheckUsesALargeWindow(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{})
	w.Resize(fyne.NewSize(1280, 900))
	u.showPolicyCheck()
	var chart *container.Scroll
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if s, ok := o.(*container.Scroll); ok {
			chart = s
		}
		return true
	})
	if chart == nil {
		t.Fatal("no chart")
	}
	if got := chart.Size(); got.Width < 900 || got.Height < 400 {
		t.Fatalf("the chart is shown in %v of a 1280×900 window; want its whole 900 across and at least 400 high", got)
	}
}

// The table gives the value held at cost, as the command line does: the
// README weighs the policies by it (2,729 against 3,480), and the desktop
// left it out.
func TestPolicyCheckGivesTheValueHeld(t *testing.T) {
	u, _ := newTestUI(t, stockedShop(t), Options{})
	p := u.showPolicyCheck()
	for _, want := range []string{"value held", "2728.71", "3480.35"} {
		if !strings.Contains(p.table.Text, want) {
			t.Errorf("the table lacks %q:\n%s", want, p.table.Text)
		}
	}
	if !strings.HasSuffix(p.note.Text, "; value held is at cost.") {
		t.Errorf("under the table: %q; want it to say the value held is at cost", p.note.Text)
	}
}
