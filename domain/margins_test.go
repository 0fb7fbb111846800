package domain_test

import (
	"testing"

	"microshop/domain"
)

// Worked by hand: 30 mugs sold for 24.00 each = 720.00; cost 7.50 each =
// 225.00; two returns, one refunded 24.00 and not restocked (7.50 lost
// with it), one refunded 24.00 and restocked: returns = 48.00 + 7.50 =
// 55.50; contribution = 720.00 − 225.00 − 55.50 = 439.50; margin
// 439.50 ÷ 720.00 = 61.04 %; over 90 days 4.88 a day.
func TestUnitEconomicsByHand(t *testing.T) {
	m := domain.UnitEconomics(domain.MarginInput{Units: 30, Revenue: 72000, UnitCost: 750, Refunds: 4800, Unrestocked: 1, Days: 90})
	if m.Cost != 22500 || m.Returns != 5550 || m.Contribution != 43950 {
		t.Fatalf("cost %s, returns %s, contribution %s; want 225.00, 55.50, 439.50", m.Cost, m.Returns, m.Contribution)
	}
	if m.MarginPct < 61.04 || m.MarginPct > 61.05 || m.PerDay < 488.33 || m.PerDay > 488.34 {
		t.Fatalf("margin %.3f %%, per day %.3f; want 61.04 %% and 488.33 cents", m.MarginPct, m.PerDay)
	}
	if m.LosesMoney() {
		t.Fatal("a SKU making 439.50 said to lose money")
	}
	// Sold below cost: 10 pins at 1.50 that cost 1.80 lose 3.00.
	loss := domain.UnitEconomics(domain.MarginInput{Units: 10, Revenue: 1500, UnitCost: 180, Days: 90})
	if loss.Contribution != -300 || !loss.LosesMoney() {
		t.Fatalf("pins sold below cost: contribution %s, loses %v; want -3.00, true", loss.Contribution, loss.LosesMoney())
	}
	if none := domain.UnitEconomics(domain.MarginInput{Days: 90}); none.MarginPct != 0 || none.Contribution != 0 {
		t.Fatalf("no sales: %+v, want zeros", none)
	}
}
