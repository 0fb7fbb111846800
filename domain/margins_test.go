package domain

import "testing"

// Hand-worked: 30 mugs sold over 90 days for 600.00 (20.00 each), cost
// 8.00 each; 2 came back broken (not restocked, no refund named: refunded
// at the average 20.00) and 1 changed its buyer's mind (restocked, a
// refund of 15.00 named).
//
//	cost = 30 × 8.00 = 240.00
//	returns = 15.00 + 2 × 20.00 + 2 × 8.00 = 71.00
//	contribution = 600.00 − 240.00 − 71.00 = 289.00
//	margin = 289 ÷ 600 = 48.1666… %; per day = 289.00 ÷ 90 = 3.2111… → 3.21
func TestUnitEconomicsByHand(t *testing.T) {
	m := UnitEconomics(MarginFacts{Units: 30, Revenue: 60000, UnitCost: 800, Returned: 3, NotRestock: 2,
		Refunds: 1500, RefundUnits: 1, WindowDays: 90})
	if m.Cost != 24000 || m.Returns != 7100 || m.Contribution != 28900 || m.PerDay != 321 {
		t.Errorf("got cost %s returns %s contribution %s per day %s, want 240.00 71.00 289.00 3.21", m.Cost, m.Returns, m.Contribution, m.PerDay)
	}
	if m.MarginPct < 48.166 || m.MarginPct > 48.167 {
		t.Errorf("margin %v %%, want 48.17", m.MarginPct)
	}
}

// A loss: 10 sold at 5.00 (50.00), cost 6.00 → 60.00; no returns.
// contribution = −10.00, margin −20 %, per day over 28 days −0.357… → −0.36.
// Nothing sold: every figure 0.
func TestUnitEconomicsLossAndNothing(t *testing.T) {
	m := UnitEconomics(MarginFacts{Units: 10, Revenue: 5000, UnitCost: 600, WindowDays: 28})
	if m.Contribution != -1000 || m.MarginPct != -20 || m.PerDay != -36 {
		t.Errorf("loss: contribution %s margin %v per day %s, want -10.00 -20 -0.36", m.Contribution, m.MarginPct, m.PerDay)
	}
	if z := UnitEconomics(MarginFacts{UnitCost: 600, WindowDays: 90}); z != (Margin{}) {
		t.Errorf("nothing sold: %+v", z)
	}
}

// A return in a window that holds no sale of the SKU (it sold the month
// before) names no refund: it is refunded at the SKU's price, 20.00, not
// at nothing. 1 back, not restocked, cost 8.00:
//
//	returns = 20.00 + 8.00 = 28.00; contribution −28.00; per day over 7 days −4.00
func TestAReturnWithNoSaleInTheWindowIsRefundedAtThePrice(t *testing.T) {
	m := UnitEconomics(MarginFacts{UnitCost: 800, UnitPrice: 2000, Returned: 1, NotRestock: 1, WindowDays: 7})
	if m.Returns != 2800 || m.Contribution != -2800 || m.PerDay != -400 {
		t.Errorf("got returns %s contribution %s per day %s, want 28.00 -28.00 -4.00", m.Returns, m.Contribution, m.PerDay)
	}
}
