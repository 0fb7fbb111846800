package domain

// Margin is a SKU's unit economics over a window (DESIGN.md section 9).
type Margin struct {
	Units        int   // sold, voids left out
	Revenue      Money // Σ qty × unit price
	Cost         Money // units × the SKU's cost
	Returns      Money // refunds given, plus the cost of units not restocked
	Contribution Money // revenue − cost − returns
	MarginPct    float64
	PerDay       float64 // contribution per day of the window, in the currency's minor unit
}

// MarginInput is what the ledger says of one SKU over a window.
type MarginInput struct {
	Units       int
	Revenue     Money
	UnitCost    Money
	Refunds     Money // refunds given, with a return's own refund or else its units × the price
	Unrestocked int   // returned units that did not go back into stock
	Days        int   // the window's length
}

// UnitEconomics works a SKU's margin out: contribution = revenue − units ×
// cost − (refunds + units not restocked × cost); margin % = contribution ÷
// revenue (0 without revenue); per day = contribution ÷ days.
func UnitEconomics(in MarginInput) Margin {
	m := Margin{Units: in.Units, Revenue: in.Revenue, Cost: in.UnitCost * Money(in.Units)}
	m.Returns = in.Refunds + in.UnitCost*Money(in.Unrestocked)
	m.Contribution = m.Revenue - m.Cost - m.Returns
	if m.Revenue != 0 {
		m.MarginPct = 100 * float64(m.Contribution) / float64(m.Revenue)
	}
	if in.Days > 0 {
		m.PerDay = float64(m.Contribution) / float64(in.Days)
	}
	return m
}

// LosesMoney reports whether the SKU's sales cost more than they bring.
func (m Margin) LosesMoney() bool { return m.Contribution < 0 }
