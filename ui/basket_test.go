package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// With Basket ticked, taps add to the basket instead of selling; Done
// records it as one order paid as chosen, with the change for the cash
// given shown; Undo voids the whole basket.
func TestBasketIsOneOrderAndUndoVoidsIt(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	before := vectorTotal(t, shop)
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	if vectorTotal(t, shop) != before {
		t.Fatal("adding to the basket recorded a sale")
	}
	if !strings.Contains(s.basket.total.Text, "3 items · total 60.00") {
		t.Fatalf("basket total %q, want 3 items at 60.00", s.basket.total.Text)
	}
	s.basket.given.SetText("100")
	if got := s.basket.change.Text; !strings.Contains(got, "Change to give: 40.00") {
		t.Fatalf("change %q, want 40.00", got)
	}
	s.basket.payment.SetSelected("card")
	s.basket.payment.SetSelected("cash")
	test.Tap(s.basket.done)

	lines, err := shop.Sales(ctx, day(-1), day(1), "")
	if err != nil {
		t.Fatal(err)
	}
	var basket []string
	order := ""
	for _, l := range lines {
		if l.At.After(day(0).Add(-1)) && !l.Voided && (order == "" || l.Order == order) && l.Payment == domain.PaymentCash && l.Device != "" {
			if order == "" {
				order = l.Order
			}
			basket = append(basket, l.Code)
		}
	}
	if len(basket) != 2 {
		t.Fatalf("the basket recorded lines %v, want MUG and PRINT-A4 in one order", basket)
	}
	if len(s.basket.lines) != 0 || !strings.Contains(s.feedback.Text, "Sold a basket of 3 items for 60.00 EUR") {
		t.Fatalf("after Done: %d lines left, feedback %q", len(s.basket.lines), s.feedback.Text)
	}
	if got := s.undoBtn.Text; got != "Undo last sale" || s.undoBtn.Disabled() {
		t.Fatalf("undo button %q (disabled %v), want Undo last sale, the sale named by its question", got, s.undoBtn.Disabled())
	}
	// A paid basket is asked about first: Keep it keeps it.
	s.undoLast()
	if got := dialogText(w); !strings.Contains(got, "came to 3 items, 60.00 EUR") {
		t.Fatalf("Undo asks %q; want the basket just paid, 3 items, 60.00 EUR", got)
	}
	tapButton(t, w, "Keep it")
	if lines, _ := shop.Sales(ctx, day(-1), day(1), ""); slices.ContainsFunc(lines, func(l app.SaleLine) bool { return l.Voided }) {
		t.Fatal("Keep it voided the basket")
	}
	s.undoLast()
	tapButton(t, w, "Undo the basket")
	lines, _ = shop.Sales(ctx, day(-1), day(1), "")
	for _, l := range lines {
		if l.Order == order && !l.Voided {
			t.Fatalf("after Undo, %s of the basket is not voided", l.Code)
		}
	}
}

// Undo of a basket one of whose lines was voided since (from the Sales
// list, or another device) voids the rest, says so, and moves on to the
// sale before: it stopped at the voided line with an error, and every
// Ctrl+Z after failed the same way.
func TestUndoOfABasketPartlyVoidedVoidsTheRestAndMovesOn(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(findTile(t, w, "CANDLE")) // a sale before the basket: none left, so it asks
	tapButton(t, w, "Sell anyway")
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	test.Tap(s.basket.done)
	basket := s.undo[len(s.undo)-1].lines
	if len(basket) != 2 {
		t.Fatalf("undo holds %v, want the basket's two lines", basket)
	}
	voided := basket[0] // the first line, as the order of lines goes
	if err := shop.VoidSale(ctx, voided.ID, ""); err != nil {
		t.Fatal(err)
	}
	mugs, prints := stockOf(t, shop, "MUG").Available, stockOf(t, shop, "PRINT-A4").Available

	s.undoLast()
	tapButton(t, w, "Undo the basket")
	if got := s.feedback.Text; !strings.Contains(got, "Undone") || !strings.Contains(got, "voided already") {
		t.Errorf("after Undo the line says %q, want what was undone and what was voided already", got)
	}
	for code, was := range map[string]int{"MUG": mugs, "PRINT-A4": prints} {
		want := was
		if code != voided.Code {
			want++
		}
		if got := stockOf(t, shop, code).Available; got != want {
			t.Errorf("%s: %d available after Undo, want %d", code, got, want)
		}
	}
	s.undoLast()
	if got := dialogText(w); !strings.Contains(got, "1 × CANDLE") {
		t.Fatalf("the second Undo asks %q, want the sale before the basket, 1 × CANDLE", got)
	}
	tapButton(t, w, "Undo it too") // the sale before the basket undone: asked first
	if got := stockOf(t, shop, "CANDLE").Available; got != 0 {
		t.Errorf("CANDLE %d available after the second Undo, want 0", got)
	}
}

// Undo of a basket counts only its lines still standing: a line voided
// since (from the Sales list, or another device) gives no units back
// again. With none left it says so and asks nothing, and so for the sale
// before: it asked "Its 3 lines are voided and their units come back"
// of a basket already voided line by line.
func TestUndoOfABasketCountsOnlyTheLinesStillSold(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(findTile(t, w, "PRINT-A4")) // the sale before the basket
	test.Tap(s.basketMode)
	for _, code := range []string{"MUG", "PRINT-A4", "GUIDE"} {
		test.Tap(findTile(t, w, code))
	}
	test.Tap(s.basket.done)
	basket := s.undo[len(s.undo)-1].lines
	if len(basket) != 3 {
		t.Fatalf("undo holds %v, want the basket's three lines", basket)
	}
	if err := shop.VoidSale(ctx, basket[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	s.undoLast()
	if got := dialogText(w); !strings.Contains(got, "Its 2 lines still sold are voided") || !strings.Contains(got, "the other line was voided already") {
		t.Fatalf("Undo of a basket with one line voided asks %q; want its 2 lines still sold counted", got)
	}
	tapButton(t, w, "Keep it")
	for _, l := range basket[1:] {
		if err := shop.VoidSale(ctx, l.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	before := vectorTotal(t, shop)
	s.undoLast()
	if got := dialogText(w); got != "" {
		t.Fatalf("Undo of a basket voided line by line asks %q; want nothing asked", got)
	}
	if got := s.feedback.Text; !strings.Contains(got, "Nothing to undo") || !strings.Contains(got, "3 lines were voided already") {
		t.Errorf("Undo of a basket voided line by line says %q; want nothing to undo, its 3 lines voided already", got)
	}
	if n := len(s.undo); n == 0 || undoText(s.undo[n-1].lines) != "1 × PRINT-A4" {
		t.Errorf("Undo's next sale is %v, want the sale before the basket, 1 × PRINT-A4", s.undo)
	}
	if vectorTotal(t, shop) != before {
		t.Error("Undo of a basket voided already changed the shop")
	}
	if err := shop.VoidSale(ctx, s.undo[len(s.undo)-1].lines[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	s.undoLast()
	if got := dialogText(w); got != "" || !strings.Contains(s.feedback.Text, "1 × PRINT-A4 was voided already") {
		t.Errorf("Undo of the sale before, voided already, asks %q and says %q; want nothing asked, voided already said", got, s.feedback.Text)
	}
}

// Done refuses a basket paid in cash when the cash given is short of its
// total (a typing slip, or money still to take), and a refusal leaves the
// line under the search box once the basket is edited.
func TestABasketShortOfCashIsNotRecorded(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	before := vectorTotal(t, shop)
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	s.basket.payment.SetSelected("cash")
	s.basket.discount.SetText("150")
	test.Tap(s.basket.done)
	if got := s.feedback.Text; !strings.Contains(got, "150") || s.feedback.Importance != widget.DangerImportance {
		t.Fatalf("a discount of 150 %% says %q", got)
	}
	s.basket.discount.SetText("10")
	if s.feedback.Importance == widget.DangerImportance {
		t.Errorf("the discount corrected, the line still says %q", s.feedback.Text)
	}
	s.basket.given.SetText("20")
	test.Tap(s.basket.done)
	if got := s.feedback.Text; !strings.Contains(got, "1.60 short") || s.feedback.Importance != widget.DangerImportance {
		t.Errorf("cash of 20.00 for 21.60 says %q, want it 1.60 short", got)
	}
	if vectorTotal(t, shop) != before || len(s.basket.lines) != 1 {
		t.Fatal("a basket short of cash was recorded")
	}
	s.basket.given.SetText("30")
	test.Tap(s.basket.done)
	if vectorTotal(t, shop) == before || !strings.Contains(s.feedback.Text, "Change to give: 8.40") {
		t.Errorf("cash of 30.00 for 21.60: the line says %q, want the sale and its change", s.feedback.Text)
	}
}

// Ctrl+Z while a basket is being built takes its last line out, as the
// last tap put it in: it voided the sale before the basket, a paid one,
// and left the basket as it was.
func TestUndoKeyWithABasketOpenTakesOutItsLastLine(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(findTile(t, w, "MUG")) // a paid sale, before the basket
	mugs := stockOf(t, shop, "MUG").Available
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	u.undoShortcut()
	var codes []string
	for _, l := range s.basket.lines {
		codes = append(codes, l.sku.SKU.Code)
	}
	if len(codes) != 1 || codes[0] != "MUG" {
		t.Fatalf("after Ctrl+Z the basket holds %v; want MUG alone", codes)
	}
	if got := stockOf(t, shop, "MUG").Available; got != mugs {
		t.Errorf("MUG %d available after Ctrl+Z in a basket; want %d: the sale before it stands", got, mugs)
	}
	u.undoShortcut()
	u.undoShortcut() // the basket empty: nothing is voided
	if got := stockOf(t, shop, "MUG").Available; got != mugs || len(s.basket.lines) != 0 || !strings.Contains(s.feedback.Text, "The basket is empty") {
		t.Errorf("Ctrl+Z on an empty basket: MUG %d (want %d), %d lines, %q", got, mugs, len(s.basket.lines), s.feedback.Text)
	}
}

// A refused quantity's message goes once the quantity is put right.
func TestAQuantityRefusalClearsOnceCorrected(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	s.qty.SetText("-3")
	test.Tap(findTile(t, w, "MUG"))
	if s.feedback.Importance != widget.DangerImportance {
		t.Fatalf("a quantity of -3 says %q; want a refusal", s.feedback.Text)
	}
	s.qty.SetText("1")
	if s.feedback.Importance == widget.DangerImportance {
		t.Errorf("after the quantity was put right the line still says %q", s.feedback.Text)
	}
}

// A basket line beyond what is available says so as it goes in, while the
// buyer is still there: the question came only at Done. A download has
// no stock to run out of.
func TestBasketSaysAtOnceWhenALineIsBeyondStock(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "CANDLE")) // all 5 sold: none is available
	if got := s.feedback.Text; !strings.Contains(got, "Added 1 × CANDLE: 1 in the basket, none available") || s.feedback.Importance != widget.WarningImportance {
		t.Fatalf("a candle with none left: %q (importance %v); want it said as a warning", got, s.feedback.Importance)
	}
	test.Tap(findTile(t, w, "GUIDE"))
	if got := s.feedback.Text; strings.Contains(got, "available") || s.feedback.Importance != widget.MediumImportance {
		t.Fatalf("a download: %q; want it added without a word on stock", got)
	}
	s.qty.SetText("3")
	test.Tap(findTile(t, w, "PRINT-A4")) // 3 of the 12 are left
	if got := s.feedback.Text; strings.Contains(got, "available") {
		t.Fatalf("3 prints of the 3 left: %q; want no warning", got)
	}
	s.qty.SetText("1")
	test.Tap(findTile(t, w, "PRINT-A4"))
	if got := s.feedback.Text; !strings.Contains(got, "4 in the basket, only 3 available") {
		t.Fatalf("a fourth print of 3: %q; want the warning", got)
	}
}

// A line of feedback long enough to wrap moves the tiles down at 800×600;
// it was written over the first tile.
func TestALongSellMessageMovesTheTilesDown(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	w.Resize(fyne.NewSize(800, 600))
	s := u.sell
	test.Tap(s.basketMode)
	s.fail(errors.New("a refusal long enough to take several lines of the narrow feedback line beside the basket, as a refused scan of a code the shop lacks does"))
	d := fyne.CurrentApp().Driver()
	// Its lines need MinSize's height; the size its container gave it
	// is what stays unchanged when nothing lays it out again.
	bottom := d.AbsolutePositionForObject(s.feedback).Y + s.feedback.MinSize().Height
	if s.feedback.MinSize().Height < 2*theme.TextSize() {
		t.Fatalf("the message takes %v px; want it wrapped over lines", s.feedback.MinSize().Height)
	}
	if top := d.AbsolutePositionForObject(s.grid).Y; top < bottom {
		t.Fatalf("the first tile starts at y %v, above the message's foot at %v: written over", top, bottom)
	}
}

// A discount that is no whole percentage is said as it is typed, not
// only when Done refuses it.
func TestABadDiscountIsSaidAsItIsTyped(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	s.basket.discount.SetText("12.5")
	if got := s.basket.change.Text; !strings.Contains(got, "whole %") || s.basket.change.Importance != widget.DangerImportance {
		t.Fatalf("a discount of 12.5 shows %q; want it said at once", got)
	}
	s.basket.discount.SetText("10")
	if got := s.basket.change.Text; got != "" || !strings.Contains(s.basket.total.Text, "total 21.60") {
		t.Fatalf("a discount of 10: %q, %q; want no complaint and the discounted total", got, s.basket.total.Text)
	}
}

// Adding to the basket puts the quantity back to 1, as a sale does: the
// next scan after 2 of one thing added 2 of the next.
func TestAddingToTheBasketPutsTheQuantityBackToOne(t *testing.T) {
	shop, s, w := twoMugsInABasket(t)
	test.Tap(findTile(t, w, "PRINT-A4"))
	if got := s.basket.qtyOf(stockOf(t, shop, "PRINT-A4").SKU.ID); got != 1 || s.qty.Text != "1" {
		t.Errorf("after 2 mugs, a print went in as %d (quantity box %q); want 1", got, s.qty.Text)
	}
}

// A basket line's − takes one unit off, as the quantity's − does; the
// last one takes the line out. It took the whole line, 2 mugs at once.
func TestABasketLinesMinusTakesOneOff(t *testing.T) {
	shop, s, _ := twoMugsInABasket(t)
	mug := stockOf(t, shop, "MUG").SKU.ID
	s.basket.remove(0)
	if got := s.basket.qtyOf(mug); got != 1 || len(s.basket.lines) != 1 {
		t.Fatalf("after − on 2 mugs: %d mugs, %d lines; want 1 mug left", got, len(s.basket.lines))
	}
	// The line says what it comes to, so the buyer can check it.
	if got := basketLineText(s.basket.lines[0], 0, "EUR"); got != "1 × MUG · 24.00" {
		t.Errorf("the basket line reads %q, want 1 × MUG · 24.00", got)
	}
	s.basket.remove(0)
	if len(s.basket.lines) != 0 {
		t.Errorf("after − on the last mug: %d lines; want the line gone", len(s.basket.lines))
	}
}

// Clear and a line's − say what they did: the line above the tiles still
// said "Added 2 × MUG: 2 in the basket" (a warning, when beyond stock)
// over an empty basket, or over one mug.
func TestClearAndMinusSayWhatIsLeftInTheBasket(t *testing.T) {
	_, s, w := twoMugsInABasket(t)
	s.basket.remove(0)
	if got := s.feedback.Text; got != "Took 1 × MUG out of the basket." || s.feedback.Importance != widget.MediumImportance {
		t.Errorf("after − on 2 mugs the line says %q; want 1 × MUG said taken out", got)
	}
	test.Tap(findTile(t, w, "CANDLE")) // none available: said as a warning
	tapButton(t, w, "Clear")
	if len(s.basket.lines) != 0 {
		t.Fatalf("after Clear the basket holds %d lines; want none", len(s.basket.lines))
	}
	if got := s.feedback.Text; got != "Emptied the basket." || s.feedback.Importance != widget.MediumImportance {
		t.Errorf("after Clear the line says %q (importance %v); want the basket said emptied, no warning", got, s.feedback.Importance)
	}
}

// The tiles stay put when a shorter message follows a longer one: they
// moved up and down with each message's lines, under a finger about to
// tap, and the tap sold the tile that had just moved there.
func TestTheTilesStayPutAsMessagesChange(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	w.Resize(fyne.NewSize(800, 600))
	s := u.sell
	test.Tap(s.basketMode)
	d := fyne.CurrentApp().Driver()
	s.fail(errors.New("a refusal long enough to take several lines of the narrow feedback line beside the basket, as a refused scan of a code the shop lacks does"))
	long := d.AbsolutePositionForObject(s.grid).Y
	s.say("Added 1 × MUG", widget.MediumImportance)
	if short := d.AbsolutePositionForObject(s.grid).Y; short != long {
		t.Errorf("the tiles moved from y %v to %v when a one-line message followed", long, short)
	}
	s.fail(errors.New("a refusal long enough to take several lines of the narrow feedback line beside the basket, as a refused scan of a code the shop lacks does"))
	if again := d.AbsolutePositionForObject(s.grid).Y; again != long {
		t.Errorf("the tiles moved from y %v to %v for the long message again", long, again)
	}
}

// twoMugsInABasket is the Sell screen in basket mode with 2 mugs added,
// tapped at a quantity of 2.
func twoMugsInABasket(t *testing.T) (*app.Shop, *sellScreen, fyne.Window) {
	t.Helper()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	s.qty.SetText("2")
	test.Tap(findTile(t, w, "MUG"))
	return shop, s, w
}

// The tiles stay put through a sale too, though the day's total beside
// the message line grows with it: the message line, given what width the
// total left, started its height afresh at each sale, and the tiles moved.
func TestTheTilesStayPutAsTheTotalGrows(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	w.Resize(fyne.NewSize(800, 600))
	s := u.sell
	d := fyne.CurrentApp().Driver()
	s.fail(errors.New("a refusal long enough to take two lines of the feedback line beside the day's total, as a refused scan of a code the shop lacks does at this width"))
	layOut(w.Content())
	long := d.AbsolutePositionForObject(s.grid).Y
	for _, code := range []string{"MUG", "PRINT-A4", "MUG"} {
		test.Tap(findTile(t, w, code))
		layOut(w.Content())
		if y := d.AbsolutePositionForObject(s.grid).Y; y != long {
			t.Fatalf("after selling %s (total %q) the tiles moved from y %v to %v", code, s.total.Text, long, y)
		}
	}
}

// Enter in the cash given finishes the basket, as Done does: the cash
// given is the last thing typed at the till, and Enter did nothing.
func TestEnterInTheCashGivenFinishesTheBasket(t *testing.T) {
	shop, s, w := twoMugsInABasket(t)
	w.Canvas().Focus(s.basket.given)
	typeFocused(t, w, "50")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(s.basket.lines) != 0 || stockOf(t, shop, "MUG").Available != 40 {
		t.Errorf("after Enter in the cash given: %d lines left, %d MUG available; want the basket sold (40)", len(s.basket.lines), stockOf(t, shop, "MUG").Available)
	}
}

// With the basket open, the tiles take whole columns and the basket the
// rest: at 800×600 the tiles' side held one column and an empty strip
// nearly as wide again, beside a basket at its narrowest.
func TestTheBasketTakesWhatTheTilesLeave(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	pad := theme.Padding()
	for _, size := range []fyne.Size{smallWindow, DefaultSize, fyne.NewSize(1400, 800)} {
		w.Resize(size)
		grid := s.grid.Size().Width
		cols := int((grid + pad) / (tileSize.Width + pad))
		if spare := grid - (float32(cols)*(tileSize.Width+pad) - pad); cols < 1 || spare > 1 {
			t.Errorf("at %v the tiles are %.0f wide: %d columns and %.0f empty", size, grid, cols, spare)
		}
		if got, least := s.basket.obj.Size().Width, s.basket.obj.MinSize().Width; got < least {
			t.Errorf("at %v the basket is %.0f wide, narrower than its %.0f", size, got, least)
		}
	}
	test.Tap(s.basketMode)
	if got, all := s.grid.Size().Width, s.body.Size().Width; got != all {
		t.Errorf("with the basket closed the tiles are %.0f wide of %.0f", got, all)
	}
}

// The line under the search box says what a tap does once Basket is
// ticked or unticked: it said a tap sells and Ctrl+Z undoes the last
// sale, or kept the last sale's word.
func TestTheSellHintFollowsTheBasket(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sell"})
	s := u.sell
	test.Tap(findTile(t, w, "MUG")) // a sale's word, then the basket ticked
	test.Tap(s.basketMode)
	if s.feedback.Text != basketHint {
		t.Errorf("with Basket ticked the hint reads %q, want %q", s.feedback.Text, basketHint)
	}
	test.Tap(s.basketMode)
	if s.feedback.Text != sellHint {
		t.Errorf("with Basket unticked the hint reads %q, want %q", s.feedback.Text, sellHint)
	}
}

// Each basket starts paid in cash: a card chosen for one buyer stayed for
// the next, and the day's close then had cash short and card over.
func TestEachBasketStartsPaidInCash(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	s.basket.payment.SetSelected("card")
	test.Tap(s.basket.done)
	if !strings.Contains(s.feedback.Text, "(card)") {
		t.Fatalf("the basket paid by card says %q", s.feedback.Text)
	}
	if got := s.basket.payment.Selected; got != "cash" {
		t.Errorf("the next basket starts paid by %q, want cash", got)
	}
}

// Undo's button counts the lines of a basket still sold once the screen
// is read again: a line voided from the Sales list left it reading
// "Undo basket of 3 lines".
func TestUndosLabelCountsTheBasketLinesStillSold(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	for _, code := range []string{"MUG", "PRINT-A4", "GUIDE"} {
		test.Tap(findTile(t, w, code))
	}
	test.Tap(s.basket.done)
	test.Tap(s.basketMode) // Undo names the sale with Basket unticked
	if got, want := s.undoBtn.Text, "Undo basket of 3 lines"; got != want {
		t.Fatalf("after Done the undo button says %q, want %q", got, want)
	}
	basket := s.undo[len(s.undo)-1].lines
	for i, want := range []string{"Undo basket of 2 lines", "Undo 1 × " + basket[2].Code} {
		if err := shop.VoidSale(ctx, basket[i].ID, ""); err != nil {
			t.Fatal(err)
		}
		u.changed() // as the Sales list does after a void
		if got := s.undoBtn.Text; got != want {
			t.Errorf("with %d of the basket's lines voided the undo button says %q, want %q", i+1, got, want)
		}
	}
}

// The line beside the basket shows no stale total: a discount typed after
// an add restates the add with the discounted total, and a unit taken out
// clears it. It read "total 48.00" beside a basket of "total 43.20".
func TestTheAddedLineFollowsTheDiscount(t *testing.T) {
	_, s, _ := twoMugsInABasket(t)
	if got := s.feedback.Text; !strings.Contains(got, "Added 2 × MUG") || !strings.Contains(got, "total 48.00") {
		t.Fatalf("after adding 2 mugs the line says %q, want them added at 48.00", got)
	}
	s.basket.discount.SetText("10")
	if got, want := s.feedback.Text, "Added 2 × MUG to the basket · "+s.basket.total.Text; got != want || !strings.Contains(got, "total 43.20") {
		t.Errorf("after a 10 %% discount the line says %q, want %q at 43.20", got, want)
	}
	s.basket.remove(0)
	if got := s.feedback.Text; strings.Contains(got, "total") {
		t.Errorf("after a mug taken out the line says %q, want no total in it", got)
	}
}

// A scan into the basket empties the search box, as a sale does: Ctrl+Z
// then takes the basket's last line out at once. The code stayed in the
// box, selected, and Ctrl+Z undid typing in it, once a character, before
// reaching the basket.
func TestCtrlZAfterScansIntoABasketTakesOutTheLastLine(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	for _, code := range []string{"MUG", "PRINT-A4"} {
		w.Canvas().Focus(s.search)
		typeFocused(t, w, code)
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	if len(s.basket.lines) != 2 || s.search.Text != "" {
		t.Fatalf("after two scans into the basket: %d lines, search box %q; want 2 lines and the box empty", len(s.basket.lines), s.search.Text)
	}
	w.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutUndo{})
	if len(s.basket.lines) != 1 || s.basket.lines[0].sku.SKU.Code != "MUG" {
		t.Fatalf("after one Ctrl+Z the basket holds %d lines; want MUG alone", len(s.basket.lines))
	}
}

// The question before a basket is undone says what that basket came to,
// its items and amount as paid, and when it was sold: "Its 2 lines are
// voided" alone did not tell which basket, and with the next one being
// built beside it, the maker could not be sure it was the right one.
func TestUndoOfABasketSaysWhatItCameTo(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	s.basket.discount.SetText("10") // 2 × 21.60 + 10.80
	test.Tap(s.basket.done)
	s.undoLast()
	got := dialogText(w)
	if want := "The basket sold at " + testNow.Format("15:04") + " came to 3 items, 54.00 EUR."; !strings.Contains(got, want) {
		t.Errorf("Undo of a basket asks %q; want it to say %q", got, want)
	}
	if !strings.Contains(got, "Its 2 lines are voided") {
		t.Errorf("Undo of a basket asks %q; want it to say its 2 lines are voided", got)
	}
}

// With Basket ticked, Ctrl+Z takes the basket's last line out, so the
// undo arrow goes with that alone: a button of its own in the basket
// shows it, and the button voiding the last paid sale says so in words,
// without the arrow. The two had looked the same, and the button voided
// a paid sale where Ctrl+Z beside it took a line out of the basket. The
// menu shows Ctrl+Z on the item it does, and the shortcuts list says both.
func TestInABasketTheUndoArrowTakesItsLastLineOut(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	arrow := theme.ContentUndoIcon().Name()
	hasArrow := func(b *widget.Button) bool { return b.Icon != nil && b.Icon.Name() == arrow }
	ctrlZ := (&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault}).ShortcutName()
	shows := func(label string) bool {
		sc := menuItem(t, w, "Sell", label).Shortcut
		return sc != nil && sc.ShortcutName() == ctrlZ
	}
	test.Tap(findTile(t, w, "MUG")) // a paid sale, before the basket
	mugs := stockOf(t, shop, "MUG").Available
	if got := s.undoBtn.Text; got != "Undo 1 × MUG" || !hasArrow(s.undoBtn) {
		t.Fatalf("without a basket the undo button reads %q (arrow %v); want Undo 1 × MUG with the arrow", got, hasArrow(s.undoBtn))
	}
	if !shows("Undo last sale") || !menuItem(t, w, "Sell", "Take the basket's last line out").Disabled {
		t.Error("without a basket the Sell menu does not show Ctrl+Z on Undo last sale alone")
	}

	test.Tap(s.basketMode)
	if got := s.undoBtn.Text; got != "Undo last sale" || hasArrow(s.undoBtn) {
		t.Errorf("with Basket ticked the button voiding the paid sale reads %q (arrow %v); want Undo last sale, no arrow", got, hasArrow(s.undoBtn))
	}
	if !hasArrow(s.basket.takeOut) || !onScreen(w, s.basket.takeOut) || !s.basket.takeOut.Disabled() {
		t.Errorf("the basket's own undo button: arrow %v, shown %v, disabled %v; want it shown with the arrow, disabled while the basket is empty",
			hasArrow(s.basket.takeOut), onScreen(w, s.basket.takeOut), s.basket.takeOut.Disabled())
	}
	if shows("Undo last sale") || !shows("Take the basket's last line out") || menuItem(t, w, "Sell", "Take the basket's last line out").Disabled {
		t.Error("with Basket ticked the Sell menu does not show Ctrl+Z on taking the basket's last line out alone")
	}
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	test.Tap(s.basket.takeOut)
	if len(s.basket.lines) != 1 || s.basket.lines[0].sku.SKU.Code != "MUG" || stockOf(t, shop, "MUG").Available != mugs {
		t.Errorf("after the basket's undo button: %d lines, MUG %d available; want MUG alone in the basket, the paid sale standing at %d",
			len(s.basket.lines), stockOf(t, shop, "MUG").Available, mugs)
	}
	menuItem(t, w, "Sell", "Take the basket's last line out").Action()
	if len(s.basket.lines) != 0 || !s.basket.takeOut.Disabled() || stockOf(t, shop, "MUG").Available != mugs {
		t.Errorf("after the menu's take-out: %d lines, MUG %d available; want the basket empty, the sale standing", len(s.basket.lines), stockOf(t, shop, "MUG").Available)
	}

	u.showKeys()
	if got := dialogText(w); !strings.Contains(got, "with Basket ticked, take the basket's last line out") {
		t.Errorf("the keyboard shortcuts say %q; want Ctrl+Z's basket action said", got)
	}
	closeDialogs(w)

	test.Tap(s.basketMode)
	if got := s.undoBtn.Text; got != "Undo 1 × MUG" || !hasArrow(s.undoBtn) {
		t.Errorf("Basket unticked, the undo button reads %q (arrow %v); want Undo 1 × MUG with the arrow", got, hasArrow(s.undoBtn))
	}
	if !shows("Undo last sale") || shows("Take the basket's last line out") {
		t.Error("Basket unticked, the Sell menu does not show Ctrl+Z on Undo last sale again")
	}
}

// Ctrl+Z takes the basket's last line out whole and says what it took:
// it took one unit of a line of two and said "Took 2 × MUG out".
func TestCtrlZTakesTheWholeLastLineOut(t *testing.T) {
	_, s, _ := twoMugsInABasket(t)
	s.u.undoShortcut()
	if len(s.basket.lines) != 0 || s.feedback.Text != "Took 2 × MUG out of the basket." {
		t.Errorf("after Ctrl+Z on a line of 2 mugs: %d lines, %q; want none, both said taken out", len(s.basket.lines), s.feedback.Text)
	}
}

// With Basket ticked, Undo's button names no sale: "Void last sale:
// basket of 2 lines" squeezed the scan box, the screen's busiest field at
// a fair, to a few letters at 800×600. Undo asks instead, naming the sale,
// a single one too; Keep it keeps it.
func TestInABasketUndoNamesTheSaleInItsQuestion(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	test.Tap(s.basket.done)
	if got := s.undoBtn.Text; got != "Undo last sale" {
		t.Errorf("after a basket was paid Undo's button reads %q, want Undo last sale", got)
	}
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(s.basket.done) // a basket of one line
	mugs := stockOf(t, shop, "MUG").Available
	s.undoLast()
	if got := dialogText(w); !strings.Contains(got, "The sale of 1 × MUG at 12:00 will be voided") || !strings.Contains(got, "Undo it") {
		t.Fatalf("Undo of a one-line basket asks %q; want it named, 1 × MUG at 12:00", got)
	}
	tapButton(t, w, "Keep it")
	if got := stockOf(t, shop, "MUG").Available; got != mugs {
		t.Fatalf("Keep it: MUG %d available, want %d", got, mugs)
	}
	s.undoLast()
	tapButton(t, w, "Undo it")
	if got := stockOf(t, shop, "MUG").Available; got != mugs+1 {
		t.Errorf("Undo it: MUG %d available, want %d", got, mugs+1)
	}
}

// The tiles keep their columns as the basket's total grows: the total's
// line set the basket's width, so at the default size a third item's
// longer total took a column of tiles away between two taps, and the next
// tap landed on the tile that had moved there.
func TestTheTilesKeepTheirColumnsAsTheBasketFills(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	for width := smallWindow.Width; width <= 1400; width += 20 {
		w.Resize(fyne.NewSize(width, DefaultSize.Height))
		s.basket.clear()
		test.Tap(findTile(t, w, "GUIDE"))
		layOut(w.Content())
		one := s.grid.Size().Width
		s.qty.SetText("40")
		test.Tap(findTile(t, w, "MUG"))
		layOut(w.Content())
		if got := s.grid.Size().Width; got != one {
			t.Fatalf("at %.0f wide the tiles went from %.0f to %.0f wide as the total grew to %q", width, one, got, s.basket.total.Text)
		}
	}
}

// Done pressed again while the basket is still being written (the shop
// busy for a moment, so nothing seemed to happen), or Enter in Given,
// records it once; an item put in the basket meanwhile, the next buyer's,
// stays in it. Each press recorded the whole basket again, and the line
// said one basket was sold.
func TestDonePressedAgainWhileTheBasketIsWrittenRecordsItOnce(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	mugs := stockOf(t, shop, "MUG").Available
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))

	release := writingLater(u)
	test.Tap(s.basket.done)
	test.Tap(s.basket.done)
	s.basket.given.OnSubmitted("")
	test.Tap(findTile(t, w, "PRINT-A4")) // the next buyer's
	release()

	if got := mugs - stockOf(t, shop, "MUG").Available; got != 1 {
		t.Errorf("a basket of 1 MUG, Done pressed twice and Enter in Given: %d MUG sold, want 1", got)
	}
	lines := must[[]app.SaleLine](t)(shop.Sales(ctx, day(0), day(1), ""))
	if len(lines) != 1 {
		t.Errorf("today's sales are %d lines, want the basket's one", len(lines))
	}
	if len(s.basket.lines) != 1 || s.basket.lines[0].sku.SKU.Code != "PRINT-A4" || s.basket.lines[0].qty != 1 {
		t.Errorf("after the basket was sold the basket holds %v, want the next buyer's PRINT-A4", s.basket.lines)
	}
	if s.basket.done.Disabled() {
		t.Error("Done stays greyed out for the next buyer's basket")
	}
}

// A code the basket refuses stays in the search box, selected, as a
// refused scan does without Basket: the next scan replaces it. The box
// had been emptied as the code went to the basket.
func TestAScanTheBasketRefusesStaysInTheBox(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	typeFocused(t, w, "NOPE-1")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := s.feedback.Text; !strings.Contains(got, "NOPE-1") || s.feedback.Importance != widget.DangerImportance {
		t.Errorf("the line under the box says %q, want why NOPE-1 was refused", got)
	}
	if got := s.search.Text; got != "NOPE-1" {
		t.Errorf("the search box holds %q, want the refused code", got)
	}
	typeFocused(t, w, "MUG")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(s.basket.lines) != 1 || s.basket.lines[0].sku.SKU.Code != "MUG" {
		t.Errorf("the next scan left the basket %v, want MUG in it", s.basket.lines)
	}
}
