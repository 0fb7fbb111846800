package domain

import "math"

// RateWindowDays is the sell-through window: the 28 days ending with the
// report date.
const RateWindowDays = 28

// MinRateDays is the fewest days a rate divides by, so one busy first day
// of a new SKU does not ask for a month of stock.
const MinRateDays = 7

// Rate is a daily sell-through kept as an exact fraction, so reorder points
// and suggested quantities are computed without rounding surprises.
type Rate struct {
	Sold int // units sold in the window
	Days int // days in the window with units available or a sale, at least MinRateDays
}

// DailyRate is the rate over the days that count: those on which the SKU had
// units available or made a sale, so stockout days and days before the SKU
// existed do not dilute it; but at least MinRateDays of them.
func DailyRate(sold, activeDays int) Rate {
	activeDays = max(activeDays, MinRateDays)
	if sold < 0 {
		sold = 0
	}
	return Rate{Sold: sold, Days: activeDays}
}

// PerDay is the rate as units a day.
func (r Rate) PerDay() float64 {
	if r.Days == 0 {
		return 0
	}
	return float64(r.Sold) / float64(r.Days)
}

// Hundredths is the rate to the hundredth people read, halves up as one
// rounds by hand: 10 sold in 16 days is 0.625 a day, which %.2f takes to
// the even hundredth (0.62) where the maker works out 0.63.
func (r Rate) Hundredths() float64 { return math.Round(r.PerDay()*100) / 100 }

// Plan is what the reorder rule needs to know about one SKU.
type Plan struct {
	Rate     Rate
	Position int // on hand + on order
	LeadDays int
	MinCover int
	MaxCover int
	MOQ      int
	Multiple int
}

// ReorderPoint is r × (lead + min cover).
func (p Plan) ReorderPoint() float64 {
	return p.Rate.PerDay() * float64(p.LeadDays+p.MinCover)
}

// NeedsReorder reports whether position < r × (lead + min cover), compared
// exactly.
func (p Plan) NeedsReorder() bool {
	if p.Rate.Days == 0 {
		return false
	}
	return int64(p.Position)*int64(p.Rate.Days) < int64(p.Rate.Sold)*int64(p.LeadDays+p.MinCover)
}

// SuggestedQty is ⌈r × (lead + max cover) − position⌉, raised to the minimum
// order and rounded up to the batch multiple; 0 when nothing is needed.
func (p Plan) SuggestedQty() int {
	if p.Rate.Days == 0 {
		return 0
	}
	need := int64(p.Rate.Sold)*int64(p.LeadDays+p.MaxCover) - int64(p.Position)*int64(p.Rate.Days)
	if need <= 0 {
		return 0
	}
	q := int((need + int64(p.Rate.Days) - 1) / int64(p.Rate.Days))
	if q < p.MOQ {
		q = p.MOQ
	}
	if p.Multiple > 1 && q%p.Multiple != 0 {
		q += p.Multiple - q%p.Multiple
	}
	return q
}

// Tenths is x to the tenth, halves up, as people round by hand: a reorder
// point of 0.625 a day × 10 days is 6.25, which %.1f takes to the even
// tenth (6.2) where a maker writes 6.3; so is days of cover, often a
// quarter day (71 × 28 ÷ 16 = 124.25: 124.3).
func Tenths(x float64) float64 { return math.Round(x*10) / 10 }

// CoverDays is available ÷ r: how many days the available units last. With
// nothing available (none left, or oversold) it is 0: the units are gone,
// whatever the rate. The second result is false when cover is infinite:
// units are available and nothing sells.
func CoverDays(available int, r Rate) (float64, bool) {
	switch {
	case available <= 0:
		return 0, true
	case r.Sold <= 0 || r.Days <= 0:
		return math.Inf(1), false
	}
	// available × days ÷ sold: one rounding, so whole days stay whole.
	return float64(available) * float64(r.Days) / float64(r.Sold), true
}
