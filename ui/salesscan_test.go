package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
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
