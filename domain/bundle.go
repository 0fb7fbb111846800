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
	// ShortHistory is its first ledger event under ShortHistoryDays days
	// old (NewSince): its rate is a first guess.
	ShortHistory bool
}

// BundleIdea is two SKUs to sell together, one unit of each.
type BundleIdea struct {
	Over, With string // the overstocked part, and what it goes with
	Price      Money  // the parts' prices less 10 %
	FreesUnits int    // min(units above max cover, 28 × the other's rate)
	Reason     string
	// ShortHistory marks an idea resting on a part with under
	// ShortHistoryDays days of history, as a reorder is marked: the rate
	// that made it overstocked, or a fast seller, is a first guess.
	ShortHistory bool
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
// rounded down; with no sales every available unit is, once the SKU has
// had units for ShortHistoryDays days: one counted an hour ago, never
// offered for sale yet, was suggested as overstock.
func aboveMax(s BundleSKU) int {
	if s.Path == PathDigital || s.Available <= 0 {
		return 0
	}
	if s.Rate.Sold <= 0 {
		if s.Rate.Days < ShortHistoryDays {
			return 0
		}
		return s.Available
	}
	if s.Rate.Days <= 0 {
		return s.Available
	}
	return int((int64(s.Available)*int64(s.Rate.Days) - int64(s.Rate.Sold)*int64(s.MaxCover)) / int64(s.Rate.Days))
}

// Two SKUs are bought together when they share at least MinBoughtTogether
// orders in the last BoughtTogetherDays days.
const (
	MinBoughtTogether  = 2
	BoughtTogetherDays = 90
)

// Together is, for each SKU code, the codes bought with it and in how many
// orders of the window.
type Together map[string]map[string]int

// partners are the SKUs bought with code in at least MinBoughtTogether
// orders, most orders first.
func (t Together) partners(code string) []string {
	var out []string
	for other, n := range t[code] {
		if n >= MinBoughtTogether {
			out = append(out, other)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := t[code][b] - t[code][a]; c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out
}

// BundleIdeas pairs each overstocked SKU (cover above its maximum) with a
// SKU it is often bought with, or failing that with the fastest seller of
// the top quarter of daily rates, in stock (DESIGN.md section 9); each
// pair once, never a pair a kit already sells (made, by codes in either
// order), most units freed first; each priced in currency (BundlePrice).
func BundleIdeas(skus []BundleSKU, together Together, made [][2]string, limit int, currency string) []BundleIdea {
	fast := fastSellers(skus)
	byCode := make(map[string]BundleSKU, len(skus))
	for _, s := range skus {
		byCode[s.Code] = s
	}
	seen := map[[2]string]bool{}
	for _, m := range made {
		seen[[2]string{min(m[0], m[1]), max(m[0], m[1])}] = true
	}
	var out []BundleIdea
	for _, s := range skus {
		over := aboveMax(s)
		if !canBundle(s) || over <= 0 {
			continue
		}
		idea, ok := pairWith(s, over, together, byCode, seen)
		if !ok {
			idea, ok = pairFast(s, over, fast, seen)
		}
		if ok {
			idea.Price = BundlePrice([]Money{s.Price, byCode[idea.With].Price}, []int{1, 1}, currency)
			out = append(out, idea)
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

// fastSellers are the top quarter by daily rate of the SKUs that may be
// in a bundle, sell and are in stock, fastest first.
func fastSellers(skus []BundleSKU) []BundleSKU {
	var fast []BundleSKU
	for _, s := range skus {
		if canBundle(s) && s.Rate.Sold > 0 && (s.Available > 0 || s.Path == PathDigital) {
			fast = append(fast, s)
		}
	}
	slices.SortStableFunc(fast, func(a, b BundleSKU) int {
		return cmpRate(b.Rate, a.Rate)
	})
	return fast[:(len(fast)+3)/4]
}

// pairWith pairs s with the SKU it was most often bought with that can be
// in a bundle and is in stock.
func pairWith(s BundleSKU, over int, together Together, byCode map[string]BundleSKU, seen map[[2]string]bool) (BundleIdea, bool) {
	for _, code := range together.partners(s.Code) {
		p, ok := byCode[code]
		key := [2]string{min(s.Code, code), max(s.Code, code)}
		if !ok || seen[key] || !canBundle(p) || (p.Available <= 0 && p.Path != PathDigital) {
			continue
		}
		seen[key] = true
		frees := min(over, int(math.Floor(BundleWindowDays*p.Rate.PerDay())))
		n := together[s.Code][code]
		return BundleIdea{Over: s.Code, With: code, FreesUnits: frees, ShortHistory: s.ShortHistory || p.ShortHistory,
			Reason: fmt.Sprintf("%s has %s above its maximum cover of %d days; buyers took it with %s in %s lately, so a bundle could move up to %d of them in %d days.",
				s.Code, countOf(over, "unit"), s.MaxCover, code, countOf(n, "order"), frees, BundleWindowDays)}, true
	}
	return BundleIdea{}, false
}

// pairFast pairs s with the fastest seller it is not yet paired with.
func pairFast(s BundleSKU, over int, fast []BundleSKU, seen map[[2]string]bool) (BundleIdea, bool) {
	for _, f := range fast {
		key := [2]string{min(s.Code, f.Code), max(s.Code, f.Code)}
		if f.Code == s.Code || seen[key] {
			continue
		}
		seen[key] = true
		frees := min(over, int(math.Floor(BundleWindowDays*f.Rate.PerDay())))
		return BundleIdea{Over: s.Code, With: f.Code, FreesUnits: frees, ShortHistory: s.ShortHistory || f.ShortHistory,
			Reason: fmt.Sprintf("%s has %s above its maximum cover of %d days; %s sells %.1f a day, so a bundle could move up to %d of them in %d days.",
				s.Code, countOf(over, "unit"), s.MaxCover, f.Code, f.Rate.PerDay(), frees, BundleWindowDays)}, true
	}
	return BundleIdea{}, false
}

// countOf is "1 unit", "2 units".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
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
