package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// packagingAlert is the packaging advice for code as of asOf, if any.
func packagingAlert(t *testing.T, s *Shop, code string, asOf AsOf) (Alert, bool) {
	t.Helper()
	alerts, err := s.Alerts(context.Background(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if a.Kind == AlertPackagingReturns && a.Subject == code {
			return a, true
		}
	}
	return Alert{}, false
}

// TestPackagingAdviceCountsNinetyDaysOfSales checks the packaging rule:
// logistics returns (lost ones too) above 3 % of the units sold in the
// trailing 90 days, most of them sold more than 28 days ago.
func TestPackagingAdviceCountsNinetyDaysOfSales(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(100))
	mustFactory(t, s, "Fab", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	s.Count(ctx, "MUG", 200, day(0))
	sell := func(n int, at time.Time) {
		t.Helper()
		for i := range n {
			if _, err := s.Sell(ctx, Sale{Code: "MUG", At: at.Add(time.Duration(i) * time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ret := func(reason domain.ReturnReason) {
		t.Helper()
		if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: reason, At: day(95)}); err != nil {
			t.Fatal(err)
		}
	}
	sell(5, day(5))   // before the 90 days: not counted
	sell(30, day(40)) // within 90 days, before the last 28
	sell(10, day(90))
	asOf := s.AsOfNow()
	ret("changed-mind") // buyer and quality returns are not the packer's
	ret("defect")
	ret("lost") // 1 of 40: 2.5 %
	if a, ok := packagingAlert(t, s, "MUG", asOf); ok {
		t.Fatalf("packaging advice at 1 lost of 40 sold (2.5 %%): %q", a.Message)
	}
	ret("lost") // 2 of 40: 5 %
	a, ok := packagingAlert(t, s, "MUG", asOf)
	if !ok {
		t.Fatal("no packaging advice at 2 lost of 40 sold (5 %)")
	}
	if !strings.Contains(a.Message, "2 returns") || !strings.Contains(a.Message, "40 sold") {
		t.Errorf("advice %q, want it to name 2 returns against 40 sold", a.Message)
	}
	// Sales recorded late, dated within the 90 days, count once known: 2 of
	// 80 is 2.5 %.
	sell(40, day(50))
	if a, ok := packagingAlert(t, s, "MUG", s.AsOfNow()); ok {
		t.Fatalf("packaging advice at 2 lost of 80 sold: %q", a.Message)
	}
	// A sale and its void leave 80 sold.
	res, err := s.Sell(ctx, Sale{Code: "MUG", At: day(45)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, res.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, ok := packagingAlert(t, s, "MUG", s.AsOfNow()); ok {
		t.Fatal("packaging advice after a sale and its void")
	}
	// As of day 80 the returns are ahead: no advice. As of day 96, 80 sold
	// in the 90 days and 2 lost.
	if _, ok := packagingAlert(t, s, "MUG", s.AsOfDate(day(80))); ok {
		t.Fatal("packaging advice as of a day before the returns")
	}
	if a, ok := packagingAlert(t, s, "MUG", s.AsOfDate(day(96))); ok {
		t.Fatalf("packaging advice as of day 96 at 2 of 80 sold: %q", a.Message)
	}
}
