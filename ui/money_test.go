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
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
)

// A shop in yen shows its prices in whole yen where the desktop shows
// them: the Sell tiles and the day's total, the day's sales, a SKU's
// details, and the SKU editor, whose price fields and examples read as
// yen are typed.
func TestAYenShopShowsWholeYen(t *testing.T) {
	ctx := context.Background()
	shop := apptest.ShopAt(t, filepath.Join(t.TempDir(), "shop.db"), app.NewShop{Name: "Tokyo Prints", Currency: "JPY", Device: "stall laptop"},
		app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	mustFactory(t, shop, "Clay Works", domain.KindMicrofactory, 10, true)
	mustSKU(t, shop, "MUG", "Blue stoneware mug", domain.PathMicrofactory, "Clay Works", 150000) // 1500 yen, costing 500
	mustCount(t, shop, "MUG", 10, day(-1))
	u, w := newTestUI(t, shop, Options{Screen: "sell"})

	if got, want := findTile(t, w, "MUG").price, "1500 JPY"; got != want {
		t.Errorf("the MUG tile's price reads %q, want %q", got, want)
	}
	test.Tap(findTile(t, w, "MUG"))
	if got := u.sell.total.Text; !strings.Contains(got, "1 line · 1 unit · 1500 JPY") {
		t.Errorf("the day's total reads %q, want 1500 JPY", got)
	}
	if got := u.sell.feedback.Text; !strings.Contains(got, "Sold 1 × MUG at 1500 JPY") {
		t.Errorf("the sale is said as %q, want it at 1500 JPY", got)
	}
	v := u.showSales(u.sell.load)
	if !strings.Contains(v.summary.Text, "takings 1500 JPY") || !strings.Contains(v.money.Text, "cash 1500 ·") {
		t.Errorf("the day's sales read %q and %q, want takings of 1500 JPY in cash", v.summary.Text, v.money.Text)
	}
	closeDialogs(w)

	u.openSKU("MUG")
	if got, want := u.skus.detail.facts["Price / cost"].Text, "1500 / 500 JPY"; got != want {
		t.Errorf("MUG's price and cost read %q, want %q", got, want)
	}
	fresh := u.skus.editForm(nil)
	if !strings.HasSuffix(fresh.price.PlaceHolder, "e.g. 2400") || !strings.HasSuffix(fresh.cost.PlaceHolder, "e.g. 950") {
		t.Errorf("a new SKU's examples read %q and %q, want prices in yen, 2400 and 950", fresh.price.PlaceHolder, fresh.cost.PlaceHolder)
	}
	closeDialogs(w)
	sku := must[domain.SKU](t)(shop.SKU(ctx, "MUG"))
	f := u.skus.editForm(&sku)
	if f.price.Text != "1500" || f.cost.Text != "500" {
		t.Fatalf("editing MUG shows price %q and cost %q, want 1500 and 500", f.price.Text, f.cost.Text)
	}
	f.name.SetText("Blue mug")
	submit(t, w, f.dialog)
	if got := must[domain.SKU](t)(shop.SKU(ctx, "MUG")); got.Name != "Blue mug" || got.Price != 150000 || got.Cost != 50000 {
		t.Errorf("saved as %q at %s, cost %s (dialogs: %q); want the new name, 1500 and 500 kept", got.Name, got.Price, got.Cost, dialogText(w))
	}
}

// Cash given in yen is whole yen: 2000.5 showed change of 446 and went
// through at Done, where every other yen amount refuses half a yen.
func TestAYenBasketRefusesHalfAYenGiven(t *testing.T) {
	shop := apptest.ShopAt(t, filepath.Join(t.TempDir(), "shop.db"), app.NewShop{Name: "Tokyo Prints", Currency: "JPY", Device: "stall laptop"},
		app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	mustFactory(t, shop, "Clay Works", domain.KindMicrofactory, 10, true)
	mustSKU(t, shop, "MUG", "Blue stoneware mug", domain.PathMicrofactory, "Clay Works", 155400)
	mustCount(t, shop, "MUG", 10, day(-1))
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	test.Tap(u.sell.basketMode)
	test.Tap(findTile(t, w, "MUG"))
	u.sell.basket.given.SetText("2000.5")
	if got := u.sell.basket.change.Text; strings.Contains(got, "Change") {
		t.Errorf("half a yen given shows %q; want no change reckoned", got)
	}
	test.Tap(u.sell.basket.done)
	if got := u.sell.feedback.Text; !strings.Contains(got, "no minor unit") || len(u.sell.basket.lines) != 1 {
		t.Errorf("Done with half a yen given says %q, %d lines left; want it refused, the basket kept", got, len(u.sell.basket.lines))
	}
}

// A basket's lines show what each comes to with the discount typed, as
// the sale books it (each unit's price taken off to the currency's
// smallest unit, whole yen in yen), so they add up to the total shown.
// They showed the list price while the total had the discount.
func TestBasketLinesShowTheDiscountAsTheSaleBooksIt(t *testing.T) {
	yenShop := func(tb testing.TB) *app.Shop {
		shop := apptest.ShopAt(tb, filepath.Join(tb.TempDir(), "shop.db"), app.NewShop{Name: "Tokyo Prints", Currency: "JPY", Device: "stall laptop"},
			app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
		mustFactory(tb, shop, "Clay Works", domain.KindMicrofactory, 10, true)
		mustSKU(tb, shop, "MUG", "Blue stoneware mug", domain.PathMicrofactory, "Clay Works", 129000) // 1290 yen
		mustSKU(tb, shop, "PRINT-A4", "Fern print A4", domain.PathMicrofactory, "Clay Works", 99900)  // 999 yen
		mustCount(tb, shop, "MUG", 10, day(-1))
		mustCount(tb, shop, "PRINT-A4", 10, day(-1))
		return shop
	}
	for _, tc := range []struct {
		name     string
		shop     func(testing.TB) *app.Shop
		discount string
		lines    []string
		total    string
	}{
		// MUG 24.00 less 1.68 = 22.32 × 2; PRINT-A4 12.00 less 0.84.
		{"euros", stockedShop, "7", []string{"2 × MUG · 44.64", "1 × PRINT-A4 · 11.16"}, "3 items · total 55.80 EUR"},
		// MUG 1290 less 193.5, taken as 194 = 1096 × 2; PRINT-A4 999 less 149.85, taken as 150.
		{"yen", yenShop, "15", []string{"2 × MUG · 2192", "1 × PRINT-A4 · 849"}, "3 items · total 3041 JPY"},
		{"no discount", stockedShop, "", []string{"2 × MUG · 48.00", "1 × PRINT-A4 · 12.00"}, "3 items · total 60.00 EUR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shop := tc.shop(t)
			u, w := newTestUI(t, shop, Options{Screen: "sell"})
			w.Resize(fyne.NewSize(800, 600))
			s := u.sell
			test.Tap(s.basketMode)
			for _, code := range []string{"MUG", "MUG", "PRINT-A4"} {
				test.Tap(findTile(t, w, code))
			}
			s.basket.discount.SetText(tc.discount)
			var shown []string
			walk(s.basket.list, func(o fyne.CanvasObject) bool {
				if l, ok := o.(*widget.Label); ok && o.Visible() {
					shown = append(shown, l.Text)
				}
				return o.Visible()
			})
			if !slices.Equal(shown, tc.lines) || s.basket.total.Text != tc.total {
				t.Fatalf("the basket lists %q, %q; want %q, %q", shown, s.basket.total.Text, tc.lines, tc.total)
			}
			test.Tap(s.basket.done)
			sales, err := shop.Sales(context.Background(), day(0), day(1), "")
			if err != nil {
				t.Fatal(err)
			}
			var booked []string
			for _, l := range sales {
				booked = append(booked, fmt.Sprintf("%d × %s · %s", l.Qty, l.Code, l.Total().Format(u.info.Currency)))
			}
			if want := slices.Sorted(slices.Values(tc.lines)); !slices.Equal(slices.Sorted(slices.Values(booked)), want) {
				t.Errorf("the sale booked %q; the basket listed %q", booked, tc.lines)
			}
		})
	}
}

// Half a yen in a SKU's price is refused under the price, in its place
// among the other fields' errors, quoting what was typed: it passed the
// form, and was refused only once every other field was right, as
// "1555.50", on the line above the form.
func TestAYenSKUFormRefusesHalfAYenAsTyped(t *testing.T) {
	ctx := context.Background()
	shop := apptest.ShopAt(t, filepath.Join(t.TempDir(), "shop.db"), app.NewShop{Name: "Tokyo Prints", Currency: "JPY", Device: "stall laptop"},
		app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	mustFactory(t, shop, "Clay Works", domain.KindMicrofactory, 10, true)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	f.name.SetText("Blue mug")
	f.path.SetSelected("microfactory")
	f.factory.SetSelected("Clay Works")
	f.price.SetText("1555.5")
	f.lead.SetText("soon")
	submit(t, w, f.dialog)
	form := f.dialog.fieldForm
	for _, c := range []struct{ field, says string }{
		{"Code", "SKU code is empty"},
		{"Price", `"1555.5" is not an amount in JPY, which has no minor unit: only whole yen are accepted, like 1555`},
		{"Lead time (days)", `"soon" is not a valid lead time`},
	} {
		if got := fieldError(t, form, c.field); !strings.Contains(got, c.says) {
			t.Errorf("under %s: %q; want %q", c.field, got, c.says)
		}
	}
	if got := form.problem.Text; form.problem.Visible() && got != "" {
		t.Errorf("the line above the form says %q; want nothing there", got)
	}
	f.code.SetText("MUG")
	f.lead.SetText("")
	submit(t, w, f.dialog)
	if got := fieldError(t, form, "Price"); !strings.Contains(got, `"1555.5"`) || strings.Contains(got, "1555.50") {
		t.Errorf("with every other field right, the price says %q; want it refused as typed, 1555.5", got)
	}
	if _, err := shop.SKU(ctx, "MUG"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("MUG was saved at half a yen: %v", err)
	}
}
