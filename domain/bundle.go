package domain

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// BundleWindowDays is how far ahead a bundle idea counts what it frees.
const BundleWindowDays = 28

// BundleSKU is what a bundle idea needs to know of one SKU.
type BundleSKU struct {
	Code      string
	Path      SupplyPath
	Status    Status
	Available int
	Rate      Rate
	MaxCover  int
	Price     Money
	Blocked   bool // its factory is paused
}

// BundleIdea is two SKUs to sell together, one unit of each.
type BundleIdea struct {
	Over, With string // the overstocked part, and what it goes with
	Price      Money  // the parts' prices less 10 %
	FreesUnits int    // min(units above max cover, 28 × the other's rate)
	Reason     string
}

// canBundle says whether a SKU may be part of a bundle idea: never one
// stocked out, oversold, needing a reorder or from a paused factory.
func canBundle(s BundleSKU) bool {
	if s.Blocked || s.Path == PathKit {
		return false
	}
	return s.Status == StatusOK || s.Status == StatusLow || s.Status == StatusDigital
}

// aboveMax is a SKU's units above its maximum cover: available − r × max,
// rounded down; with no sales every available unit is.
func aboveMax(s BundleSKU) int {
	if s.Path == PathDigital || s.Available <= 0 {
		return 0
	}
	if s.Rate.Sold <= 0 || s.Rate.Days <= 0 {
		return s.Available
	}
	return int((int64(s.Available)*int64(s.Rate.Days) - int64(s.Rate.Sold)*int64(s.MaxCover)) / int64(s.Rate.Days))
}

// BundleIdeas pairs each overstocked SKU (cover above its maximum) with
// the fastest seller of the top quarter of daily rates that is in stock
// (DESIGN.md section 9), each pair once, most units freed first.
func BundleIdeas(skus []BundleSKU, limit int) []BundleIdea {
	var fast []BundleSKU
	for _, s := range skus {
		if canBundle(s) && s.Rate.Sold > 0 && (s.Available > 0 || s.Path == PathDigital) {
			fast = append(fast, s)
		}
	}
	slices.SortStableFunc(fast, func(a, b BundleSKU) int {
		return cmpRate(b.Rate, a.Rate)
	})
	fast = fast[:(len(fast)+3)/4]
	seen := map[[2]string]bool{}
	var out []BundleIdea
	for _, s := range skus {
		over := aboveMax(s)
		if !canBundle(s) || over <= 0 {
			continue
		}
		for _, f := range fast {
			key := [2]string{min(s.Code, f.Code), max(s.Code, f.Code)}
			if f.Code == s.Code || seen[key] {
				continue
			}
			seen[key] = true
			frees := min(over, int(math.Floor(BundleWindowDays*f.Rate.PerDay())))
			out = append(out, BundleIdea{Over: s.Code, With: f.Code, Price: BundlePrice([]Money{s.Price, f.Price}, []int{1, 1}), FreesUnits: frees,
				Reason: fmt.Sprintf("%s has %d units above its maximum cover of %d days; %s sells %.1f a day, so a bundle could move up to %d of them in %d days.",
					s.Code, over, s.MaxCover, f.Code, f.Rate.PerDay(), frees, BundleWindowDays)})
			break
		}
	}
	slices.SortStableFunc(out, func(a, b BundleIdea) int {
		if a.FreesUnits != b.FreesUnits {
			return b.FreesUnits - a.FreesUnits
		}
		return strings.Compare(a.Over, b.Over)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// cmpRate compares two rates exactly.
func cmpRate(a, b Rate) int {
	x, y := int64(a.Sold)*int64(max(b.Days, 1)), int64(b.Sold)*int64(max(a.Days, 1))
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
