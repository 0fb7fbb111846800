package domain

import "math"

// Packing for a fair (DESIGN.md section 8).
const (
	PackWindowDays = 180 // the fair sales a fair rate reads
	PackMargin     = 1.5 // what to bring over the expected sales
	MaxFairDays    = 30
)

// FairRate is a SKU's units sold a day at fairs: its fair units over the
// distinct days it sold at one, or twice its overall daily rate when it
// never sold at a fair (a stall sells faster than a shop window).
func FairRate(fairUnits, fairDays int, overall float64) float64 {
	if fairDays <= 0 || fairUnits <= 0 {
		return overall * 2
	}
	return float64(fairUnits) / float64(fairDays)
}

// PackQty is what to bring of a SKU to a fair of days days: the fair rate
// × days × 1.5, rounded up, at least 1, less what is there already, at
// most what is at main.
func PackQty(fairRate float64, days, atMain, there int) int {
	want := int(math.Ceil(fairRate*float64(days)*PackMargin - 1e-9))
	return max(0, min(max(want, 1)-max(there, 0), atMain))
}

// ValidateFairDays checks a fair's length: 1 to MaxFairDays days.
func ValidateFairDays(days int) error {
	if days < 1 || days > MaxFairDays {
		return Errorf(EInvalid, "%d is not a fair's length; use a whole number of days from 1 to %d", days, MaxFairDays)
	}
	return nil
}
