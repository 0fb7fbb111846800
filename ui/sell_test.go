package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
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
	if !strings.Contains(u.sell.total.Text, "1 line · 1 unit · 24.00 EUR") {
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
	if !strings.Contains(u.sell.total.Text, "0 lines · 0 units · 0.00 EUR") {
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

// A refused scan says why on the line under the search box, opens no
// dialog (which would take the keyboard, so the next scan and Enter would
// be lost) and leaves the search box ready for the next scan.
func TestScannerRefusedCodeSaysWhyInlineAndTheNextScanSells(t *testing.T) {
	cases := []struct {
		name, typed, want string
		archive           string // a SKU archived first
		apart             string // a code added on this device and a laptop while apart
	}{
		{name: "unknown code", typed: "NOPE-1", want: "NOPE-1"},
		{name: "matches two SKUs", typed: "in", want: "matches 2 SKUs"},
		// A code is sold whole: part of one (a misread, another label) does
		// not sell the one tile it leaves.
		{name: "part of a code", typed: "PRINT-A", want: `"PRINT-A" is not the code of a SKU on sale; it matches PRINT-A4`},
		{name: "an archived code inside another", typed: "PRINT", want: `"PRINT" is not the code of a SKU on sale`, archive: "PRINT"},
		// Two SKUs of one code, until one is renamed: the scan sold one of
		// them, taking its units for the other's.
		{name: "a code on two SKUs", typed: "SOAP", want: "added on devices while apart, so it does not say which", apart: "SOAP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shop := stockedShop(t)
			if c.archive != "" {
				mustSKU(t, shop, c.archive, "Old print", domain.PathPrint, "Print Hub", 1000)
				if err := shop.ArchiveSKU(context.Background(), c.archive); err != nil {
					t.Fatal(err)
				}
			}
			if c.apart != "" {
				laptop, _ := laptopOf(t, shop)
				mustSKU(t, shop, c.apart, "Olive soap", domain.PathDigital, "", 600)
				mustSKU(t, laptop, c.apart, "Lavender soap", domain.PathDigital, "", 700)
				exchange(t, shop, laptop)
			}
			u, w := newTestUI(t, shop, Options{Screen: "sell"})
			before := vectorTotal(t, shop)
			enter := func() { w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

			typeFocused(t, w, c.typed)
			enter()
			if n := len(w.Canvas().Overlays().List()); n != 0 {
				t.Fatalf("%q opened %d dialogs: %q", c.typed, n, dialogText(w))
			}
			if got := u.sell.feedback.Text; !strings.Contains(got, c.want) || u.sell.feedback.Importance != widget.DangerImportance {
				t.Errorf("the line under the search box says %q (importance %v), want %q in the error colour", got, u.sell.feedback.Importance, c.want)
			}
			if !onScreen(w, u.sell.feedback) {
				t.Error("the message is not on screen")
			}
			if vectorTotal(t, shop) != before {
				t.Errorf("%q wrote to the shop", c.typed)
			}

			// The scanner's next code and Enter sell.
			typeFocused(t, w, "PRINT-A4")
			enter()
			if got, want := stockOf(t, shop, "PRINT-A4").Available, 2; got != want {
				t.Fatalf("after the next scan the shop has %d PRINT-A4, want %d (search box %q)", got, want, u.sell.search.Text)
			}
			if got := u.sell.feedback.Text; !strings.HasPrefix(got, "Sold 1 × PRINT-A4") || u.sell.feedback.Importance == widget.DangerImportance {
				t.Errorf("after the sale the line says %q (importance %v), want the sale in place of the error", got, u.sell.feedback.Importance)
			}
		})
	}
}

// Ctrl+Z reaches the focused entry as fyne.ShortcutUndo (the desktop
// driver converts it before any window shortcut): on the Sell screen's
// empty search box it undoes the last sale, with text it undoes typing.
func TestCtrlZInTheSearchBoxUndoesTheLastSale(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	ctrlZ := func() { w.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{}) }

	typeFocused(t, w, "MUG")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	typeFocused(t, w, "MUG")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := stockOf(t, shop, "MUG").Available; got != 40 {
		t.Fatalf("after two scans the shop has %d MUG, want 40", got)
	}

	typeFocused(t, w, "x")
	ctrlZ()
	if got := stockOf(t, shop, "MUG").Available; got != 40 || u.sell.search.Text != "" {
		t.Errorf("Ctrl+Z with %q typed: %d MUG, search box %q; want the typing undone and the sales kept", "x", got, u.sell.search.Text)
	}
	ctrlZ()
	if got := stockOf(t, shop, "MUG").Available; got != 41 {
		t.Errorf("after Ctrl+Z in the empty search box the shop has %d MUG, want 41", got)
	}
	if w.Canvas().Focused() != u.sell.search {
		t.Error("the search box lost the focus on undo")
	}

	// With nothing focused it reaches the canvas as the same shortcut
	// (the sale before the one undone is asked about first).
	w.Canvas().Unfocus()
	w.Canvas().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{})
	tapButton(t, w, "Undo it too")
	if got := stockOf(t, shop, "MUG").Available; got != 42 {
		t.Errorf("after Ctrl+Z with nothing focused the shop has %d MUG, want 42", got)
	}
}

func TestSellBeyondAvailableAsksThenForces(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	before := vectorTotal(t, shop)

	test.Tap(findTile(t, w, "CANDLE"))
	if got := dialogText(w); !strings.Contains(got, "Sell anyway") || !strings.Contains(got, "No units of CANDLE (Beeswax candle) are available.") {
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
	// Never "-1 left" in green: the tile shows none left, in red, and by
	// how many it is over; the line under the search box warns.
	tl := findTile(t, w, "CANDLE")
	if got, want := shownAvailable(t, tl), "0"; got != want {
		t.Errorf("the CANDLE tile shows %s, want %s", got, want)
	}
	r := test.WidgetRenderer(tl).(*tileRenderer)
	if got, want := r.caption.Text, "oversold by 1"; got != want {
		t.Errorf("the CANDLE tile's caption is %q, want %q", got, want)
	}
	if tl.status != domain.StatusOversold {
		t.Errorf("the CANDLE tile is drawn as %s, want oversold", tl.status)
	}
	if got := u.sell.feedback.Text; !strings.Contains(got, "oversold by 1") || strings.Contains(got, "-1") || u.sell.feedback.Importance == widget.SuccessImportance {
		t.Errorf("after selling anyway the feedback is %q (importance %v), want a warning that it is oversold by 1", got, u.sell.feedback.Importance)
	}
}

// Selling the last unit leaves 0, shown as out of stock, not as fine.
func TestSellingTheLastUnitShowsNoneLeft(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	left := stockOf(t, shop, "PRINT-A4").Available
	u.sell.qty.SetText(strconv.Itoa(left))
	test.Tap(findTile(t, w, "PRINT-A4"))
	tl := findTile(t, w, "PRINT-A4")
	if got := shownAvailable(t, tl); got != "0" || tl.status != domain.StatusStockout {
		t.Errorf("after selling the last %d the tile shows %s as %s, want 0 as stockout", left, got, tl.status)
	}
	if got := u.sell.feedback.Text; !strings.HasSuffix(got, "· 0 left") || u.sell.feedback.Importance == widget.SuccessImportance {
		t.Errorf("feedback %q (importance %v), want a warning ending in 0 left", got, u.sell.feedback.Importance)
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

// A scan of a SKU with none available asks on the line under the search
// box, not in a dialog that would take the keyboard: the next scan of
// another code sells it, and the same code again (or Enter) records the
// sale anyway. A dialog swallowed the scans typed while it was open, and
// left the refused code in the box for the next scan to be typed after.
func TestAScanBeyondStockAsksInlineAndNoScanIsLost(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	enter := func() { w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }
	before := vectorTotal(t, shop)

	typeFocused(t, w, "CANDLE")
	enter()
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("a scan beyond stock opened %d dialogs: %q", n, dialogText(w))
	}
	if got := u.sell.feedback.Text; !strings.Contains(got, "No units of CANDLE") || !strings.Contains(got, "Scan it again") {
		t.Errorf("the line under the search box says %q, want why and how to sell anyway", got)
	}
	if vectorTotal(t, shop) != before {
		t.Fatal("the sale was recorded before it was confirmed")
	}
	// Another code scanned next is sold, and the question is dropped.
	typeFocused(t, w, "PRINT-A4")
	enter()
	if got := stockOf(t, shop, "PRINT-A4").Available; got != 2 {
		t.Fatalf("the scan after the question left %d PRINT-A4, want 2 (search box %q)", got, u.sell.search.Text)
	}
	typeFocused(t, w, "CANDLE")
	enter()
	typeFocused(t, w, "candle") // the same code again confirms
	enter()
	if got := stockOf(t, shop, "CANDLE").Available; got != -1 {
		t.Fatalf("CANDLE scanned twice: %d available, want -1 (sold anyway)", got)
	}
	if got := u.sell.feedback.Text; !strings.HasPrefix(got, "Sold 1 × CANDLE") {
		t.Errorf("after the sale the line says %q", got)
	}
	if u.sell.search.Text != "" || w.Canvas().Focused() != u.sell.search {
		t.Errorf("after the sale the search box holds %q (focused %v), want it empty and focused", u.sell.search.Text, w.Canvas().Focused() == u.sell.search)
	}
	// Enter on the code left in the box confirms too.
	typeFocused(t, w, "CANDLE")
	enter()
	enter()
	if got := stockOf(t, shop, "CANDLE").Available; got != -2 {
		t.Errorf("CANDLE and Enter twice: %d available, want -2", got)
	}
}

// A kit short of stock is asked about with the kits its scarcest part
// allows, naming that part, and Sell anyway sells the kits asked for: the
// question said 39 (the first part short) where the tile said 14.
func TestSellingAKitBeyondItsPartsSaysTheScarcest(t *testing.T) {
	shop := stockedShop(t) // 42 MUG, 3 PRINT-A4
	if _, err := shop.AddKit(context.Background(), "SET", "Mug and print", 3000, []app.KitPartIn{{Code: "MUG", Qty: 1}, {Code: "PRINT-A4", Qty: 1}}); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	u.sell.qty.SetText("50")
	test.Tap(findTile(t, w, "SET"))
	if got := dialogText(w); !strings.Contains(got, "Only 3 units of SET (Mug and print) are available. Its part PRINT-A4 is short.") {
		t.Fatalf("selling 50 kits shows %q, want the 3 the prints allow, naming them", got)
	}
	tapButton(t, w, "Sell anyway")
	if got := stockOf(t, shop, "MUG").Available; got != 42-50 {
		t.Errorf("MUG: %d available after 50 kits sold anyway, want %d", got, 42-50)
	}
}

// Undo takes back only a sale of the last ten minutes: a Ctrl+Z meant for
// something else voided a paid sale made hours before, and stepped back
// through older ones. An older sale is voided from the Sales list.
func TestUndoTakesBackOnlyARecentSale(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	u.sell.undo[0].at = u.sell.undo[0].at.Add(-undoWindow - time.Minute) // the mug, sold long ago

	test.Tap(u.sell.undoBtn) // the print, just sold
	if got := stockOf(t, shop, "PRINT-A4").Available; got != 3 {
		t.Errorf("after undoing the recent print the shop has %d available, want 3", got)
	}
	if !u.sell.undoBtn.Disabled() {
		t.Errorf("the undo button offers %q, a sale of long ago", u.sell.undoBtn.Text)
	}
	u.sell.undoKey() // Ctrl+Z
	if got := stockOf(t, shop, "MUG").Available; got != 41 {
		t.Errorf("Ctrl+Z voided the mug sold long ago: %d available, want 41", got)
	}
	if got := u.sell.feedback.Text; !strings.Contains(got, "Nothing to undo") || !strings.Contains(got, "Sales") {
		t.Errorf("Ctrl+Z with nothing recent says %q, want where to void an older sale", got)
	}
}

// Undo's offer ends when its ten minutes do, without the maker pressing
// it: the button kept "Undo 1 × CANDLE-TIN" until the shop was next read,
// up to five minutes on, and a maker glancing at the till believed they
// could still undo. It ends for a sale made before the app was opened
// again too, and for the sale before one just undone, whose ten minutes
// end sooner.
func TestUndoOfferEndsWhenItsWindowPasses(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		opens time.Duration // when the app opens after testNow; a mug was sold at testNow when later
		sell  func(t *testing.T, w fyne.Window, timers *clockTimers)
		offer string // Undo's button until the window passes
	}{
		{"a sale made here", 0, func(t *testing.T, w fyne.Window, _ *clockTimers) {
			test.Tap(findTile(t, w, "MUG"))
		}, "Undo 1 × MUG"},
		{"a sale made before the app was opened again", 9 * time.Minute, nil, "Undo 1 × MUG"},
		{"the sale before one undone", 0, func(t *testing.T, w fyne.Window, timers *clockTimers) {
			test.Tap(findTile(t, w, "MUG"))
			timers.advance(testNow.Add(5 * time.Minute))
			test.Tap(findTile(t, w, "PRINT-A4"))
			tapButton(t, w, "Undo 1 × PRINT-A4")
		}, "Undo 1 × MUG"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stocked := stockedShop(t)
			if tc.opens > 0 { // sold at testNow, the app closed
				if _, err := stocked.Sell(ctx, app.Sale{Code: "MUG", Qty: 1}); err != nil {
					t.Fatal(err)
				}
			}
			if err := stocked.Close(); err != nil {
				t.Fatal(err)
			}
			clock := &testClock{t: testNow.Add(tc.opens)}
			shop, err := app.Open(stocked.Path(), app.Options{Now: clock.Now, Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { shop.Close() })
			timers := &clockTimers{tb: t, clock: clock}
			u, w := newTestUI(t, shop, Options{Screen: "today"})
			u.after = timers.after
			u.show(screenIndex("sell"))
			if tc.sell != nil {
				tc.sell(t, w, timers)
			}

			b := u.sell.undoBtn
			timers.advance(testNow.Add(undoWindow - time.Second)) // the mug's ten minutes all but gone
			if b.Text != tc.offer || b.Disabled() {
				t.Fatalf("a second before the window passes the undo button is %q (disabled %v), want %q enabled", b.Text, b.Disabled(), tc.offer)
			}
			timers.advance(testNow.Add(undoWindow))
			if got, want := b.Text, "Undo last sale"; got != want || !b.Disabled() {
				t.Errorf("once the window passes the undo button is %q (disabled %v), want %q disabled, as before any sale", got, b.Disabled(), want)
			}
		})
	}
}

// Undo reaches the sale this device made just before the app was closed
// and opened again, within the same ten minutes: a stall laptop that
// restarted had lost it, and a mistaken sale made a minute before could
// only be voided from the Sales list. A basket is undone whole, asked
// first, as in the session that made it.
func TestUndoReachesTheSaleMadeBeforeTheAppWasOpenedAgain(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		items []app.BasketItem
		ago   time.Duration // when the app opens again, after the sale
		undo  string        // the Undo button's text; "" for disabled
		ask   string        // the button of Undo's question; "" for none
	}{
		{"a sale a minute before", []app.BasketItem{{Code: "MUG"}}, time.Minute, "Undo 1 × MUG", ""},
		{"a basket a minute before", []app.BasketItem{{Code: "MUG"}, {Code: "PRINT-A4"}}, time.Minute, "Undo basket of 2 lines", "Undo the basket"},
		{"a sale eleven minutes before", []app.BasketItem{{Code: "MUG"}}, 11 * time.Minute, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			closed := stockedShop(t)
			if _, err := closed.SellBasket(ctx, app.Basket{Items: tc.items}); err != nil {
				t.Fatal(err)
			}
			if err := closed.Close(); err != nil {
				t.Fatal(err)
			}
			shop, err := app.Open(closed.Path(), app.Options{Now: (&testClock{t: testNow.Add(tc.ago)}).Now, Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { shop.Close() })
			u, w := newTestUI(t, shop, Options{Screen: "sell"})

			b := u.sell.undoBtn
			if tc.undo == "" {
				if !b.Disabled() {
					t.Errorf("undo button %q enabled for a sale older than %v", b.Text, undoWindow)
				}
				return
			}
			if b.Text != tc.undo || b.Disabled() {
				t.Fatalf("undo button %q (disabled %v), want %q enabled", b.Text, b.Disabled(), tc.undo)
			}
			test.Tap(b)
			if tc.ask != "" {
				tapButton(t, w, tc.ask)
			}
			lines, err := shop.Sales(ctx, day(0), day(1), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != len(tc.items) {
				t.Fatalf("today's sales: %+v, want the %d lines sold", lines, len(tc.items))
			}
			for _, l := range lines {
				if !l.Voided {
					t.Errorf("after Undo %s × %d stands, want it voided", l.Code, l.Qty)
				}
			}
			if got, want := stockOf(t, shop, "MUG").Available, 42; got != want {
				t.Errorf("after Undo the shop has %d MUG available, want %d", got, want)
			}
			if !b.Disabled() {
				t.Errorf("undo button %q enabled with nothing left to undo", b.Text)
			}
		})
	}
}

// Undo last sale chosen from the Sell menu on another screen goes to the
// Sell screen and undoes there: it did nothing, without a word.
func TestUndoFromTheMenuElsewhereUndoesTheSale(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	test.Tap(findTile(t, w, "MUG"))
	u.show(screenIndex("returns"))
	menuItem(t, w, "Sell", "Undo last sale").Action()
	if u.currentScreen() != u.sell || stockOf(t, shop, "MUG").Available != 42 {
		t.Errorf("Undo from the menu on Returns: screen %q, %d MUG available; want the Sell screen and the sale undone (42)",
			u.currentScreen().title(), stockOf(t, shop, "MUG").Available)
	}
}

// menuItem is the item labelled label of the window's menu named menu.
func menuItem(t *testing.T, w fyne.Window, menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range w.MainMenu().Items {
		for _, it := range m.Items {
			if m.Label == menu && it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no item %q in the %s menu", label, menu)
	return nil
}

// The quantity set for a scan refused for stock is that scan's: another
// code scanned next sells one, where it had sold the 3 meant for the
// candle. Escape drops the refused scan, its question and its quantity.
func TestAQuantityGoesWithTheScanRefusedForStock(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	key := func(name fyne.KeyName) { w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: name}) }
	u.sell.qty.SetText("3")
	w.Canvas().Focus(u.sell.search)
	typeFocused(t, w, "CANDLE")
	key(fyne.KeyReturn)
	typeFocused(t, w, "PRINT-A4")
	key(fyne.KeyReturn)
	if got := stockOf(t, shop, "PRINT-A4").Available; got != 2 {
		t.Fatalf("PRINT-A4 scanned after the candle's refusal left %d available, want 2 (one sold, not the candle's 3)", got)
	}

	u.sell.qty.SetText("3")
	w.Canvas().Focus(u.sell.search)
	typeFocused(t, w, "CANDLE")
	key(fyne.KeyReturn)
	key(fyne.KeyEscape)
	if u.sell.asked != nil || u.sell.qty.Text != "1" || u.sell.search.Text != "" || u.sell.feedback.Text != "" {
		t.Fatalf("after Escape: question %v, quantity %q, search %q, line %q; want all dropped", u.sell.asked != nil, u.sell.qty.Text, u.sell.search.Text, u.sell.feedback.Text)
	}
	typeFocused(t, w, "CANDLE")
	if u.sell.search.Text != "CANDLE" {
		t.Fatalf("typed CANDLE after Escape, the search box holds %q", u.sell.search.Text)
	}
	key(fyne.KeyReturn)
	if got := stockOf(t, shop, "CANDLE").Available; got != 0 {
		t.Errorf("CANDLE scanned again after Escape: %d available, want 0 (asked again, not sold anyway)", got)
	}
}

// Undo takes back the sale just made at once; pressed again it would void
// the sale before, most likely another buyer's, so it asks first. Three
// presses had voided two buyers' sales without a word.
func TestUndoAgainAsksBeforeVoidingTheSaleBefore(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	s.undoLast()
	if n := len(w.Canvas().Overlays().List()); n != 0 || stockOf(t, shop, "PRINT-A4").Available != 3 {
		t.Fatalf("the first Undo: %d dialogs, PRINT-A4 %d available; want it undone at once", n, stockOf(t, shop, "PRINT-A4").Available)
	}
	s.undoLast()
	if got := dialogText(w); !strings.Contains(got, "1 × MUG") {
		t.Fatalf("Undo again asks %q; want the sale before named", got)
	}
	tapButton(t, w, "Keep it")
	if got := stockOf(t, shop, "MUG").Available; got != 41 {
		t.Fatalf("Keep it left MUG at %d available, want 41 (still sold)", got)
	}
	s.undoLast()
	tapButton(t, w, "Undo it too")
	if got := stockOf(t, shop, "MUG").Available; got != 42 {
		t.Fatalf("Undo it too left MUG at %d available, want 42", got)
	}
	test.Tap(findTile(t, w, "MUG"))
	s.undoLast()
	if n := len(w.Canvas().Overlays().List()); n != 0 || stockOf(t, shop, "MUG").Available != 42 {
		t.Errorf("Undo right after a new sale: %d dialogs, MUG %d; want it undone at once", n, stockOf(t, shop, "MUG").Available)
	}
}

// Undo takes back the sale just made at once, but for one whose unit may
// have come back since: a return of its SKU recorded in the minutes
// since, refunded or restocked, is most likely this very sale's, and
// voiding it too counts the money and the unit back twice. Undo asks
// then, as it asks about the sale before one just undone; Keep it changes
// nothing, Undo it anyway voids.
func TestUndoAsksWhenTheSaleMayHaveComeBackAlready(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(findTile(t, w, "MUG"))
	refundedMugSince(t, shop)
	before := vectorTotal(t, shop)
	s.undoLast()
	want := "1 unit of MUG came back after this sale, on 1 Jun 2026 12:00, refunded 24.00 and put back in stock; if it was this sale's unit, the return settled it, and voiding the sale too counts the money and the unit back twice."
	if got := dialogText(w); !strings.Contains(got, want) || !strings.Contains(got, "Undo it anyway") {
		t.Fatalf("Undo asks %q; want the warning %q", got, want)
	}
	tapButton(t, w, "Keep it")
	if vectorTotal(t, shop) != before || stockOf(t, shop, "MUG").Available != 42 || s.undoBtn.Text != "Undo 1 × MUG" {
		t.Fatalf("Keep it: MUG %d available, Undo reads %q; want nothing changed (42, Undo 1 × MUG)", stockOf(t, shop, "MUG").Available, s.undoBtn.Text)
	}
	s.undoLast()
	tapButton(t, w, "Undo it anyway")
	if got := stockOf(t, shop, "MUG").Available; got != 43 || !s.undoBtn.Disabled() {
		t.Fatalf("Undo it anyway: MUG %d available, Undo enabled %v; want 43 and nothing left to undo", got, !s.undoBtn.Disabled())
	}

	// The sale before one just undone is asked about anyway; the question
	// then says it too.
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	s.undoLast() // PRINT-A4, at once: nothing of it came back
	s.undoLast()
	if got := dialogText(w); !strings.Contains(got, "The sale made before the one just undone") || !strings.Contains(got, want) {
		t.Fatalf("Undo of the sale before asks %q; want the warning with it", got)
	}
	tapButton(t, w, "Undo it too")
	if got := stockOf(t, shop, "MUG").Available; got != 43 {
		t.Errorf("Undo it too: MUG %d available, want 43", got)
	}
}

// Closing the window with a basket not yet recorded, or a form typed in,
// asks first: it had thrown them away without a word. With nothing to
// lose it closes at once.
func TestClosingTheWindowAsksForAnUnrecordedBasket(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	closed := 0
	u.closeWindow = func() { closed++ }
	u.askBeforeClosing()
	if closed != 1 || len(w.Canvas().Overlays().List()) != 0 {
		t.Fatalf("closing with nothing unsaved: closed %d times, %q shown", closed, dialogText(w))
	}

	test.Tap(u.sell.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	u.askBeforeClosing()
	if got := dialogText(w); closed != 1 || !strings.Contains(got, "A basket of 1 line (24.00 EUR) is not recorded yet") {
		t.Fatalf("closing with a basket: closed %d times, asked %q", closed, got)
	}
	tapButton(t, w, "Keep working")
	if closed != 1 || len(u.sell.basket.lines) != 1 {
		t.Fatalf("Keep working: closed %d times, %d basket lines", closed, len(u.sell.basket.lines))
	}
	u.askBeforeClosing()
	tapButton(t, w, "Quit anyway")
	if closed != 2 {
		t.Fatalf("Quit anyway did not close the window")
	}

	u.sell.basket.clear()
	u.skus.editForm(nil)
	typeFocused(t, w, "NEW")
	u.askBeforeClosing()
	if got := dialogText(w); closed != 2 || !strings.Contains(got, "What you typed in the form is not saved yet") {
		t.Errorf("closing with a form typed in: closed %d times, asked %q", closed, got)
	}
}

// Scans run together in the search box (a click dropped the selection)
// leave the window its width: "No SKU matches …" had widened it past 800
// pixels, the tiles and the sidebar drawn over each other.
func TestALongSearchDoesNotWidenTheWindow(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	before := w.Content().MinSize()
	u.sell.search.SetText(strings.Repeat("mug-01CARD-FERN", 8))
	if after := w.Content().MinSize(); after.Width > before.Width || after.Height > before.Height {
		t.Errorf("the window's least size went from %v to %v with a long search", before, after)
	}
}

// Undo asks before voiding the sale before one just undone (as it asks
// before a basket); a return of its SKU recorded while
// the question is open (by sync, or on the Returns screen) was voided
// over unasked. The void finds it and Undo asks again, telling of it.
func TestUndoAsksAgainWhenAReturnCameInWhileItAsked(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	s.undoLast() // PRINT-A4, at once
	s.undoLast() // MUG, the sale before one just undone: asked about
	if got := dialogText(w); !strings.Contains(got, "Undo it too") || strings.Contains(got, "came back") {
		t.Fatalf("Undo asks %q; want the sale before, with no return yet", got)
	}
	refundedMugSince(t, shop) // while the question is open
	before := vectorTotal(t, shop)
	tapButton(t, w, "Undo it too")
	if got := dialogText(w); !strings.Contains(got, "1 unit of MUG came back after this sale") || !strings.Contains(got, "Undo it anyway") {
		t.Fatalf("after Undo it too the window shows %q; want the question again, telling of the return", got)
	}
	if vectorTotal(t, shop) != before {
		t.Fatal("Undo voided the sale over a return the maker was not told of")
	}
	tapButton(t, w, "Undo it anyway")
	if got := stockOf(t, shop, "MUG").Available; got != 43 {
		t.Errorf("Undo it anyway: MUG %d available, want 43 (the return's and the void's)", got)
	}
}

// The Sell menu's Undo last sale is enabled only while there is a sale to
// undo, as the Undo button is: it was always enabled, and chosen with
// nothing to undo it only said so. It is enabled after a sale, disabled
// again once that is undone, and after the app is opened again it offers
// the sale made before, on whichever screen the app opens.
func TestTheMenusUndoIsEnabledOnlyWithASaleToUndo(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	if !u.undoItem.Disabled {
		t.Error("the menu's Undo last sale is enabled with nothing sold")
	}
	test.Tap(findTile(t, w, "MUG"))
	if u.undoItem.Disabled {
		t.Error("the menu's Undo last sale is disabled after a sale")
	}
	u.undoFromMenu()
	if !u.undoItem.Disabled || !u.sell.undoBtn.Disabled() {
		t.Errorf("after the sale was undone the menu's Undo is enabled %v, the button %v; want both disabled", !u.undoItem.Disabled, !u.sell.undoBtn.Disabled())
	}

	if _, err := shop.SellBasket(ctx, app.Basket{Items: []app.BasketItem{{Code: "PRINT-A4"}}}); err != nil {
		t.Fatal(err)
	}
	again, _ := newTestUI(t, shop, Options{Screen: "today"}) // the app opened again
	if again.undoItem.Disabled {
		t.Error("opened again, the menu's Undo last sale is disabled with the sale made before to undo")
	}
}

// A long code on a tile stops before the price, on the line they share,
// and goes on under it, broken after a '-', '_', '.' or '/': it ran under
// the price ("CERAMIC-PLANTER-LA" over "40.00 EUR"), and neither read;
// then it was cut at the end, and two codes of 40 letters that differ in
// their last (…-LIMITED-01, …-LIMITED-02) read the same,
// "FERN-PRINT-A4-BL…". A code too long even for two lines is cut in the
// middle, its start and its end shown. A short code is one line, as it was.
func TestATilesLongCodeStopsBeforeThePriceAndReadsWhole(t *testing.T) {
	test.NewTempApp(t)
	for _, c := range []struct {
		code, want string // want: the lines' text, "" for the code whole
		lines      int
	}{
		{"MUG", "", 1},
		{"CERAMIC-PLANTER-LARGE-SAGE", "", 2},
		{"FERN-PRINT-A4-BLUE-LINEN-2026-LIMITED-01", "", 2},
		{"FERN-PRINT-A4-BLUE-LINEN-2026-LIMITED-02", "", 2},
		{"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW-01", "WWW…W-01", 2},
	} {
		tl := newTile()
		tl.show(app.StockRow{SKU: domain.SKU{Code: c.code, Name: "Planter", Price: 4000}}, domain.Assessment{Available: 3, Status: domain.StatusOK}, "EUR")
		tl.Resize(tileSize)
		r := test.WidgetRenderer(tl).(*tileRenderer)
		lines := codeLines(r)
		if len(lines) != c.lines {
			t.Errorf("%s is drawn on %d lines, want %d", c.code, len(lines), c.lines)
			continue
		}
		first := lines[0]
		if end := first.Position().X + first.MinSize().Width; end > r.price.Position().X {
			t.Errorf("%s: %q ends at %.0f, under the price that starts at %.0f", c.code, first.Text, end, r.price.Position().X)
		}
		var shown string
		var drawn []string
		for _, l := range lines {
			shown += l.Text
			drawn = append(drawn, l.Text)
			if end := l.Position().X + l.MinSize().Width; end > tileSize.Width {
				t.Errorf("%s: %q ends at %.0f, past the tile's edge", c.code, l.Text, end)
			}
			if bottom := l.Position().Y + l.MinSize().Height; bottom > r.avail.Position().Y+r.avail.MinSize().Height/4 {
				t.Errorf("%s: %q reaches %.0f, over the units available at %.0f", c.code, l.Text, bottom, r.avail.Position().Y)
			}
		}
		switch head, tail, cut := strings.Cut(c.want, "…"); {
		case c.want == "" && shown != c.code:
			t.Errorf("the tile shows the code %q, want %s whole", drawn, c.code)
		case cut && (!strings.HasPrefix(shown, head) || !strings.HasSuffix(shown, tail) || !strings.Contains(shown, "…")):
			t.Errorf("the tile shows the code %q, want %s cut in the middle", drawn, c.code)
		}
	}
}

// Undo's button names a sale of a code of 40 letters in an 800×600
// window, the code cut in the middle, and the scan box keeps its room:
// named whole, the code widened the window past 800 and squeezed the box
// to a few letters. The line under the box names it whole.
func TestUndoNamesALongCodeWithinTheWindow(t *testing.T) {
	shop := stockedShop(t)
	const code = "FERN-PRINT-A4-BLUE-LINEN-2026-LIMITED-01"
	mustSKU(t, shop, code, "Fern print", domain.PathPrint, "Print Hub", 1200)
	mustCount(t, shop, code, 5, day(-1))
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	w.Resize(smallWindow)
	s := u.sell
	s.sell(code)
	layOut(w.Content())
	fits(t, smallWindow, w, "Undo 1 × "+code)
	if got, room := s.search.Size().Width, fyne.MeasureText("Scan or search;", theme.TextSize(), fyne.TextStyle{}).Width+2*theme.InnerPadding(); got < room {
		t.Errorf("beside Undo's button %q the scan box is %.0f wide, want at least %.0f", s.undoBtn.Text, got, room)
	}
	if got := s.undoBtn.Text; !strings.HasPrefix(got, "Undo 1 × FERN-") || !strings.HasSuffix(got, "-01") {
		t.Errorf("Undo's button reads %q, want the sale of %s named by its start and end", got, code)
	}
	if !strings.Contains(s.feedback.Text, code) {
		t.Errorf("after the sale the till says %q, want %s whole", s.feedback.Text, code)
	}
}

// codeLines are the lines of its code a tile draws.
func codeLines(r *tileRenderer) []*canvas.Text {
	var lines []*canvas.Text
	for _, o := range r.Objects() {
		if t, ok := o.(*canvas.Text); ok && t != r.avail && t != r.caption && t != r.price && t.Visible() && t.Text != "" {
			lines = append(lines, t)
		}
	}
	return lines
}

// Two variants of one product share its name: the SKUs screen, its
// detail and the Sell screen's tiles show each SKU's variant after the
// name, kept when the name is too long for the cell, and the search finds
// a SKU by its variant; a SKU without one shows its name alone.
func TestVariantsTellSKUsOfOneProductApart(t *testing.T) {
	shop := mustShop(t)
	mustFactory(t, shop, "Workshop", domain.KindMicrofactory, 7, true)
	file := filepath.Join("..", "app", "testdata", "EtsyListingsDownload_variations.csv")
	if _, err := shop.Import(context.Background(), app.ImportRequest{Path: file, SupplyPath: domain.PathHandmade, Factory: "Workshop"}); err != nil {
		t.Fatal(err)
	}
	mustCount(t, shop, "MUG-L", 4, day(-1))
	mustCount(t, shop, "MUG-S", 6, day(-1))
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	w.Resize(fyne.NewSize(800, 600))
	layOut(w.Canvas().Content())
	u.skus.table.Refresh()
	table := texts(u.skus.table)
	for _, want := range []string{"… (Large)", "… (Small)", "… (Black / S)", "Fox risograph art print"} {
		if !strings.Contains(table, want) {
			t.Errorf("the SKU table shows:\n%s\nwant %q", table, want)
		}
	}
	u.openSKU("MUG-L")
	if got, want := u.skus.detail.heading.Text, "MUG-L — Speckled stoneware mug (Large)"; got != want {
		t.Errorf("MUG-L's detail reads %q; want %q", got, want)
	}

	u.showScreen(u.sell)
	for code, want := range map[string]string{"MUG-L": "(Large)", "MUG-S": "(Small)"} {
		if got := test.WidgetRenderer(findTile(t, w, code)).(*tileRenderer).name.Text; !strings.HasSuffix(got, want) {
			t.Errorf("%s's tile reads %q; want it to end in %s", code, got, want)
		}
	}
	u.sell.search.SetText("large")
	if len(u.sell.view) != 1 || u.sell.rows[u.sell.view[0]].SKU.Code != "MUG-L" {
		t.Errorf("searching large finds %d tiles; want MUG-L", len(u.sell.view))
	}
}

// The tiles sell from the keyboard: Down in the search box moves the keys
// to them, the arrows move a ring a maker can see, and Enter sells the
// ringed tile. GridWrap's own highlight lay behind the tile's face, so
// Space sold a tile nothing on screen had marked as chosen.
func TestTheKeysRingATileAndEnterSellsIt(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if w.Canvas().Focused() != u.sell.grid {
		t.Fatalf("Down in the search box left the focus on %T, want it on the tiles", w.Canvas().Focused())
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	second := u.sell.rows[u.sell.view[1]].SKU.Code
	for _, i := range u.sell.view {
		code := u.sell.rows[i].SKU.Code
		if got, want := findTile(t, w, code).ringed, code == second; got != want {
			t.Errorf("after Down and Right the %s tile ringed = %v, want %v", code, got, want)
		}
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got, want := u.sell.feedback.Text, "Sold 1 × "+second; !strings.HasPrefix(got, want) {
		t.Errorf("Enter on the ringed %s tile says %q, want %q…", second, got, want)
	}
	if w.Canvas().Focused() != u.sell.search {
		t.Error("after a sale from the keys the search box does not have the focus for the next scan")
	}
	if findTile(t, w, second).ringed {
		t.Error("the ring stays on the tile after the keys left the tiles")
	}
}

// writingLater has u write as the app does, on its writer goroutine,
// behind a write that holds the shop (another program writing, a slow
// disk) until release is called; release then waits until every write
// asked for meanwhile is recorded and shown.
func writingLater(u *UI) (release func()) {
	u.inline = false
	if u.writes == nil {
		u.startWriter()
	}
	gate := make(chan struct{})
	u.write(func(context.Context) func() { <-gate; return nil })
	return func() {
		done := make(chan struct{})
		u.write(func(context.Context) func() { close(done); return nil })
		u.inline = true // what the results read again is read at once, as in every test
		close(gate)
		<-done
	}
}

// A scanner types the next code while the last sale is still being
// written (the shop busy for a moment): every scan is sold, once. The box
// was emptied only once the sale was written, so the next code landed
// after the last one ("PRINT-A4MUG", refused), or was cut short as the
// sale emptied the box ("DE", refused), and a double Enter sold twice.
func TestScansTypedWhileASaleIsWrittenAreEachSoldOnce(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	enter := func() { w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }
	sold := func(code string) int {
		n := 0
		for _, s := range must[[]app.SaleLine](t)(shop.Sales(context.Background(), testNow.Add(-time.Hour), testNow.Add(time.Hour), code)) {
			n += s.Qty
		}
		return n
	}

	release := writingLater(u)
	typeFocused(t, w, "PRINT-A4")
	enter()
	enter() // a tired double Enter
	typeFocused(t, w, "MUG")
	enter()
	typeFocused(t, w, "GUI") // the next scan half typed as the sales are recorded
	release()
	typeFocused(t, w, "DE")
	enter()

	for _, code := range []string{"PRINT-A4", "MUG", "GUIDE"} {
		if got := sold(code); got != 1 {
			t.Errorf("%s scanned once: %d sold today, want 1 (the line under the box says %q)", code, got, u.sell.feedback.Text)
		}
	}
	if got := u.sell.feedback.Text; !strings.HasPrefix(got, "Sold 1 × GUIDE") {
		t.Errorf("after the last scan the line under the box says %q, want it sold", got)
	}
	if u.sell.search.Text != "" {
		t.Errorf("after the scans the search box holds %q, want it empty for the next", u.sell.search.Text)
	}
}

// A scan refused once written says why under the box, and the code typed
// after it meanwhile stays as it is, to be finished and sold; with nothing
// typed since, the refused code is back in the box, selected, so the next
// scan replaces it.
func TestAScanRefusedWhileTheNextIsTypedLeavesTheNextAlone(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	enter := func() { w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

	release := writingLater(u)
	typeFocused(t, w, "CANDLE") // none left: asked about
	enter()
	typeFocused(t, w, "PRI")
	release()
	if got := u.sell.feedback.Text; !strings.Contains(got, "CANDLE") || u.sell.feedback.Importance != widget.DangerImportance {
		t.Errorf("the refused scan is said as %q (importance %v), want why CANDLE was not sold", got, u.sell.feedback.Importance)
	}
	if got := u.sell.search.Text; got != "PRI" {
		t.Fatalf("the search box holds %q, want the next code as typed so far", got)
	}
	typeFocused(t, w, "NT-A4")
	enter()
	if got := stockOf(t, shop, "PRINT-A4").Available; got != 2 {
		t.Errorf("the scan typed while CANDLE was refused left %d PRINT-A4, want 2", got)
	}

	release = writingLater(u)
	typeFocused(t, w, "CANDLE")
	enter()
	release()
	typeFocused(t, w, "MUG") // replaces the refused code, selected
	enter()
	if got := stockOf(t, shop, "MUG").Available; got != 41 {
		t.Errorf("the scan after a refused one left %d MUG, want 41 (search box %q)", got, u.sell.search.Text)
	}
	if got := stockOf(t, shop, "CANDLE").Available; got != 0 {
		t.Errorf("CANDLE refused twice has %d available, want 0 (nothing sold)", got)
	}
}

// A search that leaves no tile says so whole at 800×600, in the room the
// tiles leave: it showed only "…", the sentence cut to nothing, and the
// screen looked empty. A long one is still cut, not widening the window.
func TestASearchThatMatchesNothingSaysSoWhole(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	w.Resize(fyne.NewSize(800, 600))
	typeFocused(t, w, "XYZ")
	layOut(w.Content())
	e := u.sell.empty
	if !onScreen(w, e) || !strings.Contains(e.Text, `No SKU matches "XYZ"`) {
		t.Fatalf("the Sell screen says %q (shown %v), want that nothing matches XYZ", e.Text, onScreen(w, e))
	}
	whole := widget.NewLabel(e.Text).MinSize().Width
	if got := e.Size().Width; got < whole {
		t.Errorf("the sentence has %.0f pixels of the %.0f it needs: it is cut", got, whole)
	}
}

// Undo pressed twice while the shop is busy (nothing seemed to happen)
// undoes the last sale, and asks before the sale before it, as Undo
// pressed again always does: the second press voided it too, another
// buyer's, without a word.
func TestUndoPressedTwiceWhileTheShopIsBusyUndoesOneSale(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))

	release := writingLater(u)
	s.undoLast()
	s.undoLast()
	release()
	if got := stockOf(t, shop, "PRINT-A4").Available; got != 3 {
		t.Errorf("PRINT-A4, the last sale, has %d available after Undo, want 3 (undone)", got)
	}
	if got := stockOf(t, shop, "MUG").Available; got != 41 {
		t.Fatalf("MUG, the sale before, has %d available after Undo pressed twice, want 41 (still sold)", got)
	}
	if got := dialogText(w); !strings.Contains(got, "1 × MUG") {
		t.Fatalf("the second Undo asks %q; want the sale before named", got)
	}
	tapButton(t, w, "Keep it")
	if got := stockOf(t, shop, "MUG").Available; got != 41 {
		t.Errorf("Keep it left MUG at %d available, want 41 (still sold)", got)
	}
}

// Undo's button, naming a longer sale after an Undo, keeps its whole
// width inside the window at 800×600: its text changed after the screen
// was laid out, and "Undo 1 × PRINT-A4" ran past the window's edge, cut.
func TestUndosButtonKeepsItsWholeNameInTheWindow(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	w.Resize(fyne.NewSize(800, 600))
	s := u.sell
	test.Tap(findTile(t, w, "PRINT-A4"))
	test.Tap(findTile(t, w, "MUG"))
	s.undoLast()
	if got := s.undoBtn.Text; got != "Undo 1 × PRINT-A4" {
		t.Fatalf("after Undo the button reads %q, want the sale before named", got)
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.undoBtn)
	if right, edge := pos.X+s.undoBtn.Size().Width, w.Canvas().Size().Width; right > edge {
		t.Errorf("Undo's button ends at x=%.0f, past the window's edge at %.0f", right, edge)
	}
	if got, need := s.undoBtn.Size().Width, s.undoBtn.MinSize().Width; got < need {
		t.Errorf("Undo's button is %.0f pixels wide, %.0f short of its name", got, need-got)
	}
}

// Undo pressed twice while the shop is busy, where Undo asks first (with
// Basket ticked), asks twice about the same sale; yes to both voids that
// sale only: the second yes voided the sale before it, never asked about.
func TestTwoQuestionsAboutOneSaleUndoOnlyIt(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	test.Tap(s.basketMode)

	release := writingLater(u)
	s.undoLast()
	s.undoLast()
	release()
	for range 2 {
		if got := dialogText(w); !strings.Contains(got, "1 × PRINT-A4") {
			t.Fatalf("Undo asks %q; want the last sale, PRINT-A4, named", got)
		}
		tapButton(t, w, "Undo it")
	}
	if got := stockOf(t, shop, "PRINT-A4").Available; got != 3 {
		t.Errorf("PRINT-A4 has %d available, want 3 (undone)", got)
	}
	if got := stockOf(t, shop, "MUG").Available; got != 41 {
		t.Errorf("MUG, never asked about, has %d available, want 41 (still sold)", got)
	}
}

// A quantity typed for the next scan while the last sale is still being
// written stays for that scan: the sale's result set it back to 1, and the
// next scan sold one where the buyer took two.
func TestAQuantityTypedWhileASaleIsWrittenGoesWithTheNextScan(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	enter := func() { w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }
	mugs := stockOf(t, shop, "MUG").Available

	release := writingLater(u)
	typeFocused(t, w, "PRINT-A4")
	enter()
	u.sell.qty.SetText("2")
	release()
	typeFocused(t, w, "MUG")
	enter()
	if got := mugs - stockOf(t, shop, "MUG").Available; got != 2 {
		t.Errorf("MUG scanned with 2 typed as the quantity: %d sold, want 2", got)
	}
	if got := u.sell.qty.Text; got != "1" {
		t.Errorf("after that sale the quantity reads %q, want 1 for the next", got)
	}
}
