package ui

import (
	"context"
	"strings"
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
	if !strings.Contains(u.today.summary.Text, "1 SKU loses money") {
		t.Errorf("Today's summary reads %q; want it to count the SKU losing money", u.today.summary.Text)
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
	if losing() || strings.Contains(u.today.summary.Text, "loses money") {
		t.Fatalf("with MUG costing nothing, Today still says it loses money: %q", u.today.summary.Text)
	}
}

// The summary counts what the decisions add after the alerts, in words.
func TestTodaysSummaryCountsTheDecisions(t *testing.T) {
	items := []todayItem{{alert: app.Alert{Kind: kindLosesMoney}}, {alert: app.Alert{Kind: kindBundleIdea}}, {alert: app.Alert{Kind: kindBundleIdea}}}
	for _, c := range []struct{ summary, want string }{
		{"3 out of stock", "3 out of stock · 1 SKU loses money · 2 bundle ideas"},
		{"Stock, batches, factories and sync are all in order.", "Stock, batches, factories and sync are all in order. 1 SKU loses money · 2 bundle ideas."},
	} {
		if got := withDecisions(c.summary, items); got != c.want {
			t.Errorf("withDecisions(%q) = %q; want %q", c.summary, got, c.want)
		}
	}
	if got := withDecisions("1 low", nil); got != "1 low" {
		t.Errorf("with no decisions the summary became %q", got)
	}
}
