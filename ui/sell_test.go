package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"microshop/domain"
)

func TestSellFromTileChangesAvailableAndUndoRestoresIt(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})

	before := stockOf(t, shop, "MUG").Available
	if got, want := shownAvailable(t, findTile(t, w, "MUG")), "42"; got != want || before != 42 {
		t.Fatalf("MUG tile shows %s (shop %d), want %s", got, before, want)
	}
	test.Tap(findTile(t, w, "MUG"))
	if got, want := shownAvailable(t, findTile(t, w, "MUG")), "41"; got != want {
		t.Errorf("after a tap the MUG tile shows %s, want %s", got, want)
	}
	if got, want := stockOf(t, shop, "MUG").Available, 41; got != want {
		t.Errorf("after a tap the shop has %d MUG available, want %d", got, want)
	}
	if !strings.Contains(u.sell.total.Text, "1 sale · 1 unit · 24.00 EUR") {
		t.Errorf("day total = %q, want it to count the sale of 24.00", u.sell.total.Text)
	}
	if got, want := u.sell.undoBtn.Text, "Undo 1 × MUG"; got != want || u.sell.undoBtn.Disabled() {
		t.Errorf("undo button %q (disabled %v), want %q enabled", got, u.sell.undoBtn.Disabled(), want)
	}

	test.Tap(u.sell.undoBtn)
	if got, want := shownAvailable(t, findTile(t, w, "MUG")), "42"; got != want {
		t.Errorf("after undo the MUG tile shows %s, want %s", got, want)
	}
	if got, want := stockOf(t, shop, "MUG").Available, 42; got != want {
		t.Errorf("after undo the shop has %d MUG available, want %d", got, want)
	}
	if !strings.Contains(u.sell.total.Text, "0 sales · 0 units · 0.00 EUR") {
		t.Errorf("day total after undo = %q, want nothing sold", u.sell.total.Text)
	}
	if !u.sell.undoBtn.Disabled() {
		t.Error("undo stays enabled with nothing left to undo")
	}
}

func TestSellQuantityFromStepper(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	tapButtonIcon := func(n int) {
		for range n {
			u.sell.stepQty(1)
		}
	}
	tapButtonIcon(2)
	test.Tap(findTile(t, w, "PRINT-A4"))
	if got, want := stockOf(t, shop, "PRINT-A4").Available, 0; got != want {
		t.Errorf("after selling 3 of 3 the shop has %d available, want %d", got, want)
	}
	if got := u.sell.qty.Text; got != "1" {
		t.Errorf("quantity after a sale = %q, want it back at 1", got)
	}
}

func TestScannerCodeAndEnterSells(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	if w.Canvas().Focused() != u.sell.search {
		t.Fatal("the search box does not have the focus on the Sell screen, so a scanner's input would go nowhere")
	}
	// A scanner types the code and Enter, here in lower case.
	typeFocused(t, w, "print-a4")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})

	if got, want := stockOf(t, shop, "PRINT-A4").Available, 2; got != want {
		t.Errorf("after scanning PRINT-A4 the shop has %d available, want %d", got, want)
	}
	if got, want := shownAvailable(t, findTile(t, w, "PRINT-A4")), "2"; got != want {
		t.Errorf("the PRINT-A4 tile shows %s, want %s", got, want)
	}
	if u.sell.search.Text != "" {
		t.Errorf("search box holds %q after the sale, want it empty for the next scan", u.sell.search.Text)
	}
	if w.Canvas().Focused() != u.sell.search {
		t.Error("the search box lost the focus after a scan")
	}
	// The next scan sells again.
	typeFocused(t, w, "PRINT-A4")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got, want := stockOf(t, shop, "PRINT-A4").Available, 1; got != want {
		t.Errorf("after a second scan the shop has %d available, want %d", got, want)
	}
}

func TestScannerUnknownCodeSellsNothing(t *testing.T) {
	shop := stockedShop(t)
	_, w := newTestUI(t, shop, Options{Screen: "sell"})
	before := vectorTotal(t, shop)
	typeFocused(t, w, "NOPE-1")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := dialogText(w); !strings.Contains(got, "NOPE-1") {
		t.Errorf("dialog = %q, want it to name the unknown code", got)
	}
	if vectorTotal(t, shop) != before {
		t.Error("an unknown code wrote to the shop")
	}
}

func TestSellBeyondAvailableAsksThenForces(t *testing.T) {
	shop := stockedShop(t)
	_, w := newTestUI(t, shop, Options{Screen: "sell"})
	before := vectorTotal(t, shop)

	test.Tap(findTile(t, w, "CANDLE"))
	if got := dialogText(w); !strings.Contains(got, "Sell anyway") || !strings.Contains(got, "Only 0 units are of CANDLE") && !strings.Contains(got, "CANDLE") {
		t.Fatalf("selling an empty SKU shows %q, want a question before recording it", got)
	}
	if vectorTotal(t, shop) != before {
		t.Fatal("the sale was recorded before the question was answered")
	}
	tapButton(t, w, "Cancel")
	if vectorTotal(t, shop) != before {
		t.Fatal("a cancelled oversale was recorded")
	}

	test.Tap(findTile(t, w, "CANDLE"))
	tapButton(t, w, "Sell anyway")
	row := stockOf(t, shop, "CANDLE")
	if row.Available != -1 || row.Status != domain.StatusOversold {
		t.Errorf("after selling anyway CANDLE has %d available, status %s; want -1, oversold", row.Available, row.Status)
	}
	if got, want := shownAvailable(t, findTile(t, w, "CANDLE")), "-1"; got != want {
		t.Errorf("the CANDLE tile shows %s, want %s", got, want)
	}
}

func TestSellSearchFiltersTiles(t *testing.T) {
	shop := stockedShop(t)
	u, _ := newTestUI(t, shop, Options{Screen: "sell"})
	test.Type(u.sell.search, "fern")
	if got := len(u.sell.view); got != 1 || u.sell.rows[u.sell.view[0]].SKU.Code != "PRINT-A4" {
		t.Errorf("searching fern shows %d tiles, want only PRINT-A4", got)
	}
}
