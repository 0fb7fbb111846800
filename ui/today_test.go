package ui

import (
	"context"
	"strings"
	"testing"

	"microshop/app"
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
