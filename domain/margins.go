package domain

// MarginWindowDays is the default window of unit economics.
const MarginWindowDays = 90

// MarginFacts are what a SKU's window of sales and returns holds.
type MarginFacts struct {
	Units       int   // units sold, voids left out
	Revenue     Money // Σ qty × unit price, voids left out
	UnitCost    Money // the SKU's cost per unit
	UnitPrice   Money // the SKU's price, for a return in a window it sold none in
	Returned    int   // units returned
	NotRestock  int   // of them, units that did not go back to stock
	Refunds     Money // refunds given where a return names one
	RefundUnits int   // units of the returns that named a refund, or nothing paid back
	// Valued is what returns naming no refund but the price they sold at
	// (a kit's parts, at their share of the kit's price) come to.
	Valued      Money
	ValuedUnits int
	WindowDays  int
}

// Margin is a SKU's unit economics over a window (DESIGN.md section 9).
type Margin struct {
	Units        int
	Revenue      Money
	Cost         Money   // units kept (sold less returned) × cost
	Returns      Money   // refunds given + units not restocked × cost
	Contribution Money   // revenue − cost − returns
	MarginPct    float64 // contribution ÷ revenue × 100; 0 without revenue
	PerDay       Money   // contribution ÷ the window's days, to the cent
}

// UnitEconomics works out a SKU's margin. Its cost is of the units the
// buyers kept: DESIGN.md's "units × cost" counted a unit that came back
// and went on the shelf as spent, and one that came back unsellable twice,
// in the cost and again in the returns (a mug sold and returned for its
// money back showed a loss of its cost, though it stood on the shelf
// again). A window with more units back than sold (they sold before it)
// has a cost below zero: the units it got back. A return that names no refund
// is refunded at the price it names (a kit's part), else at the window's
// average sale price (its revenue ÷ units, to the cent), else, when the
// window holds no sale of it (the unit sold before), at the SKU's price:
// the buyer was paid back something. One that says nothing was paid back
// (an exchange) counts in RefundUnits, refunded at 0.
func UnitEconomics(f MarginFacts) Margin {
	m := Margin{Units: f.Units, Revenue: f.Revenue, Cost: Money(f.Units-f.Returned) * f.UnitCost}
	refunds := f.Refunds + f.Valued
	if rest := f.Returned - f.RefundUnits - f.ValuedUnits; rest > 0 {
		if f.Units > 0 {
			refunds += roundCents(float64(rest) * float64(f.Revenue) / float64(f.Units))
		} else {
			refunds += Money(rest) * f.UnitPrice
		}
	}
	m.Returns = refunds + Money(f.NotRestock)*f.UnitCost
	m.Contribution = m.Revenue - m.Cost - m.Returns
	if m.Revenue != 0 {
		m.MarginPct = 100 * float64(m.Contribution) / float64(m.Revenue)
	}
	if f.WindowDays > 0 {
		m.PerDay = roundHalfAway(float64(m.Contribution) / float64(f.WindowDays))
	}
	return m
}

// roundHalfAway rounds cents to a whole cent, halves away from zero, so a
// loss rounds like a gain.
func roundHalfAway(c float64) Money {
	if c < 0 {
		return -roundCents(-c)
	}
	return roundCents(c)
}
