package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"microshop/app"
	"microshop/domain"
)

// scanOnCanvas types code and Enter as a barcode scanner does, where the
// desktop driver sends keys: to the widget with the focus, or to the
// window's own handlers when none has it.
func scanOnCanvas(w fyne.Window, code string) {
	c := w.Canvas()
	for _, r := range code {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if h := c.OnTypedRune(); h != nil {
			h(r)
		}
	}
	enter := &fyne.KeyEvent{Name: fyne.KeyReturn}
	if f := c.Focused(); f != nil {
		f.TypedKey(enter)
	} else if h := c.OnTypedKey(); h != nil {
		h(enter)
	}
}

// A scan while the till's Sales window is open reaches the till: the
// window steps aside, and the code is sold (or put in the basket) once,
// as any scan. It went nowhere, neither sold nor refused, whether nothing
// in the window had the focus, a line tapped had it or Tab gave it to a
// button.
func TestAScanWhileTheSalesWindowIsOpenReachesTheTill(t *testing.T) {
	for _, c := range []struct {
		name   string
		focus  func(t *testing.T, w fyne.Window, v *salesView)
		basket bool
	}{
		{"nothing focused", func(*testing.T, fyne.Window, *salesView) {}, false},
		{"a line tapped", func(_ *testing.T, w fyne.Window, v *salesView) { w.Canvas().Focus(v.list) }, false},
		{"Done tabbed to", func(t *testing.T, w fyne.Window, v *salesView) {
			var done *scanButton
			walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
				if b, ok := o.(*scanButton); ok && b.Text == "Done" {
					done = b
				}
				return done == nil
			})
			if done == nil {
				t.Fatal("no Done in the Sales window")
			}
			w.Canvas().Focus(done)
		}, false},
		{"into the basket", func(*testing.T, fyne.Window, *salesView) {}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			shop := stockedShop(t)
			u, w := newTestUI(t, shop, Options{Screen: "sell"})
			s := u.sell
			test.Tap(findTile(t, w, "PRINT-A4")) // a line for the Sales window
			if c.basket {
				test.Tap(s.basketMode)
			}
			mugs := stockOf(t, shop, "MUG").Available
			tapButton(t, w, "Sales…")
			c.focus(t, w, u.sales)
			if f := w.Canvas().Focused(); f != nil {
				f.TypedRune(' ') // Space, which presses what has the focus, is no scan
			} else {
				w.Canvas().OnTypedRune()(' ')
			}
			if !u.isOpen(u.sales.dialog) {
				t.Fatal("Space closed the Sales window")
			}
			scanOnCanvas(w, "MUG")
			if got := dialogText(w); got != "" {
				t.Errorf("after the scan a dialog shows:\n%s", got)
			}
			want := mugs - 1
			if c.basket {
				want = mugs
				if n := s.basket.qtyOf(stockOf(t, shop, "MUG").SKU.ID); n != 1 {
					t.Errorf("the basket holds %d MUG after the scan, want 1", n)
				}
			} else if !strings.HasPrefix(s.feedback.Text, "Sold 1 × MUG") {
				t.Errorf("after the scan the till says %q, want MUG sold", s.feedback.Text)
			}
			if got := stockOf(t, shop, "MUG").Available; got != want {
				t.Errorf("MUG %d available after the scan, want %d", got, want)
			}
			lines, err := shop.Sales(ctx, day(0), day(1), "MUG")
			if err != nil {
				t.Fatal(err)
			}
			if sold := len(lines); sold != mugs-want {
				t.Errorf("the scan sold %d lines of MUG, want %d", sold, mugs-want)
			}
			if s.search.Text != "" || w.Canvas().Focused() != s.search {
				t.Errorf("after the scan the search box holds %q (focused %v), want it empty for the next", s.search.Text, w.Canvas().Focused() == s.search)
			}
		})
	}
}

// A scan while a question or a notice is open over the till, or over its
// Sales window, reaches the till too: the question closes unanswered, as
// No would, and the code is sold once. Its characters went nowhere, and
// with the question's Yes focused (Tab twice) the scanner's Enter took it:
// "Void this sale?" voided the sale in the Sales window. So does a scan
// on the Sell screen while nothing there has the focus.
func TestAScanOverAQuestionAtTheTillReachesIt(t *testing.T) {
	sales := func(t *testing.T, w fyne.Window, u *UI) {
		t.Helper()
		test.Tap(findTile(t, w, "PRINT-A4"))
		tapButton(t, w, "Sales…")
	}
	askVoid := func(t *testing.T, w fyne.Window, u *UI) {
		t.Helper()
		sales(t, w, u)
		v := u.sales
		row := v.list.CreateItem()
		v.list.UpdateItem(0, row)
		var void *scanButton
		walk(row, func(o fyne.CanvasObject) bool {
			if b, ok := o.(*scanButton); ok && b.Text == "Void" {
				void = b
			}
			return void == nil
		})
		test.Tap(void)
	}
	for _, c := range []struct {
		name string
		open func(t *testing.T, w fyne.Window, u *UI)
		ask  string // the dialog's title
		tabs int    // Tab presses before the scan: 1 focuses No, 2 Yes
	}{
		{"Void this sale, nothing focused", askVoid, "Void this sale?", 0},
		{"Void this sale, No focused", askVoid, "Void this sale?", 1},
		{"Void this sale, Void focused", askVoid, "Void this sale?", 2},
		{"Undo the sale before, Undo it too focused", func(t *testing.T, w fyne.Window, u *UI) {
			test.Tap(findTile(t, w, "PRINT-A4"))
			test.Tap(findTile(t, w, "GUIDE"))
			u.sell.undoLast() // GUIDE, at once
			u.sell.undoLast()
		}, "Undo the sale before?", 2},
		{"Sell beyond stock, Sell anyway focused", func(t *testing.T, w fyne.Window, u *UI) {
			test.Tap(findTile(t, w, "CANDLE")) // none left
		}, "Sell beyond stock?", 2},
		{"a notice over the Sales window", func(t *testing.T, w fyne.Window, u *UI) {
			sales(t, w, u)
			u.inform("Close saved", "Saved the close as close.pdf.")
		}, "Close saved", 0},
		{"Sell beyond stock over a code refused", func(t *testing.T, w fyne.Window, u *UI) {
			w.Canvas().Focus(u.sell.search)
			scanOnCanvas(w, "NOPE") // refused, and selected for the next scan to replace
			u.sell.sell("CANDLE")   // its tile tapped before, none left
		}, "Sell beyond stock?", 0},
		{"the Sales window over a code refused", func(t *testing.T, w fyne.Window, u *UI) {
			test.Tap(findTile(t, w, "PRINT-A4"))
			w.Canvas().Focus(u.sell.search)
			scanOnCanvas(w, "NOPE")
			tapButton(t, w, "Sales…")
		}, "Sales and close of day", 0},
		{"no dialog, nothing focused on the Sell screen", func(t *testing.T, w fyne.Window, u *UI) {
			test.Tap(findTile(t, w, "PRINT-A4"))
			w.Canvas().Unfocus()
		}, "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			shop := stockedShop(t)
			u, w := newTestUI(t, shop, Options{Screen: "sell"})
			c.open(t, w, u)
			if !strings.Contains(dialogText(w), c.ask) {
				t.Fatalf("the dialogs read %q, want %q", dialogText(w), c.ask)
			}
			for range c.tabs {
				w.Canvas().FocusNext()
			}
			before, err := shop.Sales(ctx, day(0), day(1), "")
			if err != nil {
				t.Fatal(err)
			}
			mugs := stockOf(t, shop, "MUG").Available

			scanOnCanvas(w, "MUG")

			if got := dialogText(w); got != "" {
				t.Errorf("after the scan a dialog shows:\n%s", got)
			}
			after, err := shop.Sales(ctx, day(0), day(1), "")
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range after {
				if l.Voided && !slices.ContainsFunc(before, func(b app.SaleLine) bool { return b.ID == l.ID && b.Voided }) {
					t.Errorf("the scan voided the sale of %d × %s", l.Qty, l.Code)
				}
			}
			if len(after) != len(before)+1 {
				t.Errorf("the scan made %d sale lines, want 1", len(after)-len(before))
			}
			if got := stockOf(t, shop, "MUG").Available; got != mugs-1 {
				t.Errorf("MUG %d available after the scan, want %d", got, mugs-1)
			}
			if s := u.sell; !strings.HasPrefix(s.feedback.Text, "Sold 1 × MUG") || s.search.Text != "" || w.Canvas().Focused() != s.search {
				t.Errorf("after the scan the till says %q, its search box holds %q (focused %v); want MUG sold and the box empty for the next",
					s.feedback.Text, s.search.Text, w.Canvas().Focused() == s.search)
			}
		})
	}
}

// A question that comes up over the Sell screen while a code is being
// scanned (a tap's sale refused as short a moment before) takes the rest
// of the code to the till after what was typed of it: emptied first,
// the box sold what the rest of the code happened to name.
func TestAQuestionComingUpMidScanKeepsTheCodeWhole(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	mustSKU(t, shop, "A-MUG", "Another mug", domain.PathMicrofactory, "Clay Works", 2000)
	mustCount(t, shop, "A-MUG", 5, day(-1))
	u.sell.load()
	mugs := stockOf(t, shop, "MUG").Available
	w.Canvas().Focus(u.sell.search)
	for _, r := range "A-" {
		w.Canvas().Focused().TypedRune(r)
	}
	// Its tile tapped before the scan, none left: the shop's answer, and
	// its question, come as the scan is typed.
	u.sell.sell("CANDLE")
	if !strings.Contains(dialogText(w), "Sell beyond stock?") {
		t.Fatalf("the dialogs read %q, want Sell beyond stock?", dialogText(w))
	}
	scanOnCanvas(w, "MUG")
	if got := stockOf(t, shop, "A-MUG").Available; got != 4 {
		t.Errorf("A-MUG %d available after its scan, want 4", got)
	}
	if got := stockOf(t, shop, "MUG").Available; got != mugs {
		t.Errorf("A-MUG's scan sold MUG: %d available, was %d", got, mugs)
	}
	if lines := must[[]app.SaleLine](t)(shop.Sales(ctx, day(0), day(1), "CANDLE")); len(lines) != 0 {
		t.Errorf("the scan sold CANDLE beyond stock: %+v", lines)
	}
}

// A scan in the Sales window opened from Today, the Sell screen not yet
// shown, is sold at the till as from the Sell screen.
func TestAScanInTheSalesWindowOpenedFromTodayReachesTheTill(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "today"})
	mugs := stockOf(t, shop, "MUG").Available
	u.showSales(nil)
	scanOnCanvas(w, "MUG")
	if got := stockOf(t, shop, "MUG").Available; got != mugs-1 || u.currentScreen() != u.sell {
		t.Errorf("after the scan MUG has %d available, want %d, and the Sell screen shows %v", got, mugs-1, u.currentScreen() == u.sell)
	}
}
