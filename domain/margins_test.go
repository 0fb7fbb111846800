package domain

import "testing"

// Hand-worked: 30 mugs sold over 90 days for 600.00 (20.00 each), cost
// 8.00 each; 2 came back broken (not restocked, no refund named: refunded
// at the average 20.00) and 1 changed its buyer's mind (restocked, a
// refund of 15.00 named).
//
//	cost = (30 − 3 back) × 8.00 = 216.00
//	returns = 15.00 + 2 × 20.00 + 2 × 8.00 = 71.00
//	contribution = 600.00 − 216.00 − 71.00 = 313.00
//	margin = 313 ÷ 600 = 52.1666… %; per day = 313.00 ÷ 90 = 3.4777… → 3.48
//
// As money: 600.00 taken, 55.00 paid back, 27 mugs gone to buyers and 2
// broken (29 × 8.00 = 232.00), one on the shelf again: 600 − 55 − 232 = 313.
func TestUnitEconomicsByHand(t *testing.T) {
	m := UnitEconomics(MarginFacts{Units: 30, Revenue: 60000, UnitCost: 800, Returned: 3, NotRestock: 2,
		Refunds: 1500, RefundUnits: 1, WindowDays: 90})
	if m.Cost != 21600 || m.Returns != 7100 || m.Contribution != 31300 || m.PerDay != 348 {
		t.Errorf("got cost %s returns %s contribution %s per day %s, want 216.00 71.00 313.00 3.48", m.Cost, m.Returns, m.Contribution, m.PerDay)
	}
	if m.MarginPct < 52.166 || m.MarginPct > 52.167 {
		t.Errorf("margin %v %%, want 52.17", m.MarginPct)
	}
}

// A unit sold and brought back for its money, on the shelf again, costs
// nothing: it showed a loss of its cost. One brought back broken costs
// its cost once: it showed it twice.
func TestAReturnedUnitCostsOnlyWhatWasLost(t *testing.T) {
	restocked := UnitEconomics(MarginFacts{Units: 1, Revenue: 2160, UnitCost: 750, Returned: 1, Refunds: 2160, RefundUnits: 1, WindowDays: 90})
	if restocked.Contribution != 0 {
		t.Errorf("sold, refunded and back on the shelf: contribution %s, want 0.00", restocked.Contribution)
	}
	broken := UnitEconomics(MarginFacts{Units: 1, Revenue: 2160, UnitCost: 750, Returned: 1, NotRestock: 1, Refunds: 2160, RefundUnits: 1, WindowDays: 90})
	if broken.Contribution != -750 {
		t.Errorf("sold, refunded and broken: contribution %s, want -7.50", broken.Contribution)
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
//	cost = (0 − 1) × 8.00 = −8.00, the unit got back (its cost counted in
//	the window it sold in); returns = 20.00 + 8.00 = 28.00;
//	contribution −20.00, the refund; per day over 7 days −2.857… → −2.86
func TestAReturnWithNoSaleInTheWindowIsRefundedAtThePrice(t *testing.T) {
	m := UnitEconomics(MarginFacts{UnitCost: 800, UnitPrice: 2000, Returned: 1, NotRestock: 1, WindowDays: 7})
	if m.Cost != -800 || m.Returns != 2800 || m.Contribution != -2000 || m.PerDay != -286 {
		t.Errorf("got cost %s returns %s contribution %s per day %s, want -8.00 28.00 -20.00 -2.86", m.Cost, m.Returns, m.Contribution, m.PerDay)
	}
}
