package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// focusName names what has the focus as a maker sees it: a button or a
// check by its words, an entry by its hint.
func focusName(f fyne.Focusable) string {
	switch x := f.(type) {
	case nil:
		return "nothing"
	case *widget.Button:
		if x.Text == "" {
			return "icon button"
		}
		return x.Text
	case *scanButton: // the Sales window's
		return focusName(&x.Button)
	case *scanList:
		return "*widget.List"
	case *answerButton:
		return x.Text
	case *widget.Check:
		return x.Text
	case *widget.Select:
		return "choice " + x.Selected
	case *fieldEntry:
		return "entry " + x.PlaceHolder
	case *widget.Entry:
		return "entry " + x.PlaceHolder
	}
	return fmt.Sprintf("%T", f)
}

// tabCycle is what Tab takes the focus to, in turn, from what has it now
// round to it again.
func tabCycle(t *testing.T, w fyne.Window) []string {
	t.Helper()
	c := w.Canvas()
	if c.Focused() == nil {
		c.FocusNext()
	}
	start := c.Focused()
	got := []string{focusName(start)}
	for range 200 {
		c.FocusNext()
		if c.Focused() == start {
			return got
		}
		got = append(got, focusName(c.Focused()))
	}
	t.Fatalf("Tab never came back to %s: %s", focusName(start), strings.Join(got, ", "))
	return nil
}

// Tab goes through a screen as a maker reads it: the sidebar, the
// screen's title bar, then its body from the top. It went through the
// body first and reached the title bar's buttons last.
func TestTabFollowsReadingOrder(t *testing.T) {
	for _, c := range []struct {
		screen string
		want   []string // from what has the focus when the screen opens, or the first Tab
	}{
		{"today", []string{"*widget.List", "Purchase order…", "Refresh", "*widget.List", "Open SKU", "Order 8", "Order 4"}},
		{"skus", []string{"*widget.List", "Print labels…", "New SKU…", "entry Filter by code, name or factory; Enter opens",
			"choice All statuses", "*widget.Table"}},
		{"batches", []string{"*widget.List", "Order batch…", "choice Open", "*widget.Table"}},
		{"factories", []string{"*widget.List", "Add factory…", "*widget.List"}},
		{"sync", []string{"*widget.List", "Connect to relay", "Invite a device…", "entry wss://relay.example.com",
			"entry the shop's relay token", "entry 7420", "Host sync on this computer", "Export bundle…", "Import bundle…", "*widget.List"}},
	} {
		t.Run(c.screen, func(t *testing.T) {
			_, w := newTestUI(t, stockedShop(t), Options{Screen: c.screen})
			w.Resize(fyne.NewSize(1000, 700))
			got := tabCycle(t, w)
			if len(got) > len(c.want) {
				got = got[:len(c.want)] // the table's column headings follow
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Tab goes\n%s\nwant\n%s", strings.Join(got, " | "), strings.Join(c.want, " | "))
			}
		})
	}
}

// On Sell, Tab from the search box goes to the tiles, then the basket and
// its payment, then the quantity and the rest: what a sale reaches for
// next. It went through the quantity, Basket and Sales… to the title bar
// and the sidebar before the tiles, and reached the basket's Discount and
// Given only with Shift+Tab.
func TestSellTabGoesFromSearchToTilesAndBasket(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sell"})
	w.Resize(fyne.NewSize(1000, 700))
	test.Tap(u.sell.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	w.Canvas().Focus(u.sell.search)
	want := []string{"*ui.scanEntry", "*ui.tileGrid",
		"Last line out", "Clear", "*widget.List", "icon button", "icon button", // the basket and its line's price and −
		"*widget.radioItem", "*widget.radioItem", "*widget.radioItem", "entry 0", "entry cash given", "Done",
		"icon button", "entry ", "icon button", "Basket", "Sales…", // the quantity, then the bar under it
		"*widget.List", "choice main", "Pack for a fair…", "Count what came back…"} // the sidebar, the title bar
	if got := tabCycle(t, w); !slices.Equal(got, want) {
		t.Errorf("Tab goes\n%s\nwant\n%s", strings.Join(got, " | "), strings.Join(want, " | "))
	}
}

// Beside an open SKU, Tab reaches the way back to all SKUs before the
// SKU's own buttons: it sits above them.
func TestTabReachesTheWayBackFirst(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "skus"})
	w.Resize(fyne.NewSize(1000, 700))
	u.skus.showDetail("MUG")
	w.Canvas().Unfocus()
	want := []string{"*widget.List", "Print labels…", "New SKU…", "All SKUs", "Edit…", "Order batch…"}
	got := tabCycle(t, w)
	if len(got) > len(want) {
		got = got[:len(want)]
	}
	if !slices.Equal(got, want) {
		t.Errorf("Tab goes\n%s\nwant\n%s", strings.Join(got, " | "), strings.Join(want, " | "))
	}
}
