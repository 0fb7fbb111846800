package ui

import (
	"context"
	"testing"

	"microshop/app"
	"microshop/domain"
)

// Today reads its money-losers again once the shop changes: a SKU that
// starts losing money while the window is open shows, and one that stops
// goes.
func TestTodaysMoneyLosersFollowTheShop(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, _ := newTestUI(t, shop, Options{Screen: "today"})
	losing := func() bool {
		for _, it := range u.today.items {
			if it.alert.Kind == kindLosesMoney && it.alert.Subject == "MUG" {
				return true
			}
		}
		return false
	}
	if losing() {
		t.Fatal("MUG loses money before any loss")
	}
	cost, cheap := domain.Money(2400), domain.Money(100)
	if _, err := shop.EditSKU(ctx, "MUG", app.SKUFields{Cost: &cost}); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.Sell(ctx, app.Sale{Code: "MUG", Qty: 20, Price: &cheap}); err != nil {
		t.Fatal(err)
	}
	u.changed()
	if !losing() {
		t.Fatal("after 20 mugs sold below cost, Today does not say MUG loses money")
	}
	u.show(screenIndex("skus"))
	u.show(screenIndex("today"))
	if !losing() {
		t.Fatal("back on Today, MUG's loss is gone")
	}
	free := domain.Money(0)
	if _, err := shop.EditSKU(ctx, "MUG", app.SKUFields{Cost: &free}); err != nil {
		t.Fatal(err)
	}
	u.changed()
	if losing() {
		t.Fatal("with MUG costing nothing, Today still says it loses money")
	}
}
