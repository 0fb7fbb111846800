package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"microshop/app"
	"microshop/app/apptest"
)

// A factory paused for quality returns raises two alerts, factory_paused
// and quality_returns, as the command line lists them; Today showed both,
// the one factory twice, and counted "1 factory paused · 1 factory paused
// for quality returns". It shows the quality one alone.
func TestTodayTellsOfAQualityPauseOnce(t *testing.T) {
	shop := stockedShop(t)
	mustSell(t, shop, "MUG", 12, day(-1)) // 32 sold in 90 days
	if _, err := shop.RecordReturn(context.Background(), app.Return{Code: "MUG", Qty: 2, Reason: "defect", At: day(0)}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "today"})
	s := u.today
	var about []string
	for _, it := range s.items {
		if it.alert.Subject == "Clay Works" {
			about = append(about, it.alert.Kind)
		}
	}
	if len(about) != 1 || about[0] != app.AlertQualityReturns {
		t.Errorf("Today's items about Clay Works: %q; want its quality returns alone", about)
	}
	if got := s.summary.Text; !strings.Contains(got, "1 factory paused for quality returns") || strings.Contains(got, "1 factory paused ·") {
		t.Errorf("Today's summary %q; want the quality pause counted once", got)
	}
}

// A kit with an oversold part is oversold on Today, as in its detail and
// the SKU list: titled and counted with the oversold SKUs, naming the part
// short. Today had called it out of stock while its detail read oversold.
func TestTodayCallsAKitOfAnOversoldPartOversold(t *testing.T) {
	shop := stockedShop(t) // 3 prints left
	ctx := context.Background()
	if _, err := shop.AddKit(ctx, "KIT-1", "Mug and a print", 2000, []app.KitPartIn{{Code: "MUG", Qty: 1}, {Code: "PRINT-A4", Qty: 1}}); err != nil {
		t.Fatal(err)
	}
	apptest.Sell(t, shop, "PRINT-A4", 5, day(0), true) // 2 more than were there
	u, _ := newTestUI(t, shop, Options{Screen: "today"})
	s := u.today
	i := slices.IndexFunc(s.items, func(it todayItem) bool { return it.alert.Subject == "KIT-1" })
	if i < 0 {
		t.Fatalf("Today's items %+v; want one about KIT-1", s.items)
	}
	it := s.items[i]
	const want = "KIT-1 (Mug and a print) is oversold: a part it takes, PRINT-A4, has 2 more sold than available"
	if alertTitle(it.alert.Kind) != "Oversold" || it.message() != want {
		t.Errorf("KIT-1 on Today: %s, %q; want Oversold, %q", alertTitle(it.alert.Kind), it.message(), want)
	}
	if got := s.summary.Text; !strings.HasPrefix(got, "2 oversold · 1 out of stock") {
		t.Errorf("Today's summary %q; want PRINT-A4 and KIT-1 oversold, CANDLE out of stock", got)
	}
	s.act(it)
	if d := u.skus.detail; u.currentScreen() != u.skus || d.row.SKU.Code != "KIT-1" || d.status.Text != "oversold" {
		t.Errorf("Open SKU showed %q, its status %q; want KIT-1 oversold", d.row.SKU.Code, d.status.Text)
	}
}
