package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// basketRow is the row of the basket's list that reads text, its price
// and − buttons, and its note of its own price (hidden when it has none).
func basketRow(t *testing.T, s *sellScreen, text string) (price, minus *widget.Button, note *widget.Label) {
	t.Helper()
	layOut(s.basket.list)
	walk(s.basket.list, func(o fyne.CanvasObject) bool {
		row, ok := o.(*fyne.Container)
		if !ok || len(row.Objects) != 2 || !o.Visible() {
			return o.Visible()
		}
		texts, ok1 := row.Objects[0].(*fyne.Container)
		centre, ok2 := row.Objects[1].(*fyne.Container)
		if !ok1 || !ok2 || len(texts.Objects) != 2 || len(centre.Objects) != 1 {
			return true
		}
		buttons, ok := centre.Objects[0].(*fyne.Container)
		if !ok || len(buttons.Objects) != 2 {
			return true
		}
		if l, ok := texts.Objects[0].(*widget.Label); ok && l.Text == text {
			price, minus, note = buttons.Objects[0].(*widget.Button), buttons.Objects[1].(*widget.Button), texts.Objects[1].(*widget.Label)
		}
		return price == nil
	})
	if price == nil {
		t.Fatalf("no basket line reads %q; the basket shows:\n%s", text, texts(s.basket.list))
	}
	return price, minus, note
}

// setLinePrice opens the price form of the basket line reading line,
// types price over what it holds and sets it.
func setLinePrice(t *testing.T, w fyne.Window, s *sellScreen, line, price string) {
	t.Helper()
	btn, _, _ := basketRow(t, s, line)
	if btn.Icon.Name() != theme.DocumentCreateIcon().Name() {
		t.Fatalf("the line's first button is %q, want the price's", btn.Icon.Name())
	}
	test.Tap(btn)
	e, ok := w.Canvas().Focused().(*fieldEntry)
	if !ok {
		t.Fatalf("the price form opened with %T focused, want its price", w.Canvas().Focused())
	}
	e.SetText(price)
	tapButton(t, w, "Set price")
}

// At a fair a maker sells a slightly imperfect mug below its price: a
// basket line takes a unit price of its own, as `sell MUG --price 15.00`
// does. The line says it, the total and the change follow, the basket's
// discount comes off it as off the SKU's price, the next mug tapped is
// at its own price, and the recorded sale, in the Sales window too,
// carries the price. The desktop had no way to change a line's price.
func TestABasketLineSoldBelowItsPrice(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	w.Resize(fyne.NewSize(800, 600))
	s := u.sell
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))

	btn, _, _ := basketRow(t, s, "1 × MUG · 24.00")
	test.Tap(btn)
	if e, ok := w.Canvas().Focused().(*fieldEntry); !ok || e.Text != "24.00" {
		t.Fatalf("the price form opens with %v focused; want its price field holding 24.00", w.Canvas().Focused())
	}
	tapButton(t, w, "Cancel")

	setLinePrice(t, w, s, "1 × MUG · 24.00", "15,00") // the euro's decimal comma, as the command line takes it
	if got := dialogText(w); got != "" {
		t.Fatalf("after Set price a dialog shows:\n%s", got)
	}
	_, _, note := basketRow(t, s, "1 × MUG · 15.00")
	if !note.Visible() || note.Text != "15.00 each instead of 24.00" {
		t.Errorf("the line's note reads %q (shown %v); want its price beside the SKU's", note.Text, note.Visible())
	}
	if got := s.basket.total.Text; !strings.Contains(got, "1 item · total 15.00") {
		t.Errorf("the basket's total reads %q, want 15.00", got)
	}
	if w.Canvas().Focused() != s.search {
		t.Errorf("after Set price the focus is on %v, want the search box for the next scan", w.Canvas().Focused())
	}

	test.Tap(findTile(t, w, "MUG")) // a mug at its own price: a line of its own
	_, _, note = basketRow(t, s, "1 × MUG · 24.00")
	if note.Visible() {
		t.Errorf("the mug at the SKU's price has the note %q", note.Text)
	}
	s.basket.discount.SetText("10") // 15.00 less 1.50, 24.00 less 2.40
	basketRow(t, s, "1 × MUG · 13.50")
	s.basket.given.SetText("50")
	if got := s.basket.total.Text; !strings.Contains(got, "2 items · total 35.10") {
		t.Errorf("with 10 %% off the basket's total reads %q, want 35.10", got)
	}
	if got := s.basket.change.Text; !strings.Contains(got, "Change to give: 14.90") {
		t.Errorf("for 50.00 given the change reads %q, want 14.90", got)
	}
	test.Tap(s.basket.done)
	if !strings.Contains(s.feedback.Text, "Sold a basket of 2 items for 35.10 EUR") {
		t.Fatalf("after Done the line says %q", s.feedback.Text)
	}

	lines, err := shop.Sales(ctx, day(0), day(1), "MUG")
	if err != nil {
		t.Fatal(err)
	}
	var prices []string
	for _, l := range lines {
		prices = append(prices, l.Price.String()+" less "+l.Discount.String())
	}
	if len(lines) != 2 || lines[0].Order != lines[1].Order || !strings.Contains(strings.Join(prices, ","), "13.50 less 1.50") || !strings.Contains(strings.Join(prices, ","), "21.60 less 2.40") {
		t.Fatalf("the sale booked MUG at %v; want one order of 13.50 (15.00 less 1.50) and 21.60 (24.00 less 2.40)", prices)
	}
	v := u.showSales(nil)
	layOut(w.Canvas().Overlays().Top())
	if got := dialogText(w); !strings.Contains(got, "1 × MUG at 13.50 = 13.50 EUR") || !strings.Contains(got, "takings 35.10 EUR") {
		t.Errorf("the Sales window shows:\n%s\nwant the mug at 13.50 and the day's takings 35.10", got)
	}
	v.dialog.Hide()
}

// A price the command line's --price refuses is refused in the form, in
// the same words, under the field; the line keeps its price. Emptied, the
// field puts the line back at the SKU's price, where it joins the line of
// the same SKU at that price.
func TestABasketLinesPriceIsCheckedAsTheCommandLineChecksIt(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	for _, typed := range []string{"-3", "15.505", "fifteen", "1,000"} {
		t.Run(typed, func(t *testing.T) {
			setLinePrice(t, w, s, "1 × MUG · 24.00", typed)
			_, cli := domain.ParseMoneyIn(typed, "EUR") // what `sell MUG --price` says of it
			if cli == nil {
				t.Fatalf("the command line takes %q", typed)
			}
			if got := dialogText(w); !strings.Contains(got, domain.ErrorMessage(cli)) {
				t.Errorf("a price of %q: the form shows\n%s\nwant %q", typed, got, domain.ErrorMessage(cli))
			}
			tapButton(t, w, "Cancel")
			tapButton(t, w, "Discard")
			basketRow(t, s, "1 × MUG · 24.00")
		})
	}
	setLinePrice(t, w, s, "1 × MUG · 24.00", "0") // a gift is a price too
	test.Tap(findTile(t, w, "MUG"))
	setLinePrice(t, w, s, "1 × MUG · 0.00", "")
	basketRow(t, s, "2 × MUG · 48.00")
	if n := len(s.basket.lines); n != 1 {
		t.Errorf("the mug back at its price leaves %d lines, want one of 2", n)
	}
}

// A kit's line takes a price as a SKU's does, and the sale books it as
// the app books `sell KIT --price X --discount P`: the kit at the price
// less the discount, shared among its parts, whose units leave the stock.
func TestAKitsBasketLineSoldAtItsOwnPrice(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	if _, err := shop.AddKit(ctx, "KIT-1", "Mug and a print", 3000, []app.KitPartIn{{Code: "MUG", Qty: 1}, {Code: "PRINT-A4", Qty: 1}}); err != nil {
		t.Fatal(err)
	}
	mugs := stockOf(t, shop, "MUG").Available
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	s := u.sell
	test.Tap(s.basketMode)
	test.Tap(findTile(t, w, "KIT-1"))
	setLinePrice(t, w, s, "1 × KIT-1 · 30.00", "27")
	s.basket.discount.SetText("10")
	basketRow(t, s, "1 × KIT-1 · 24.30")
	test.Tap(s.basket.done)

	want, err := shop.SellBasket(ctx, app.Basket{Items: []app.BasketItem{{Code: "KIT-1", Qty: 1, Price: ptr(domain.Money(2700))}}, Discount: 10})
	if err != nil {
		t.Fatal(err)
	}
	lines, err := shop.Sales(ctx, day(0), day(1), "KIT-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0].Price != want.Total || lines[1].Price != want.Total || want.Total != 2430 {
		t.Fatalf("the kits sold book %v; want the desktop's at %s, as the app books KIT-1 at 27.00 less 10 %%", lines, want.Total)
	}
	if got := stockOf(t, shop, "MUG").Available; got != mugs-2 {
		t.Errorf("MUG %d available after two kits, want %d", got, mugs-2)
	}
}
