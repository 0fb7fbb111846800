// Package simulate replays a seeded synthetic shop over a year under three
// reorder policies (DESIGN.md section 10): the same demand, lost sales when
// nothing is available, and the figures a maker weighs. The microshop
// policy decides through the very domain functions the app uses.
package simulate

import (
	"math"
	"math/rand/v2"
	"time"

	"microshop/domain"
)

// item is one synthetic SKU: its supply, its costs and the demand it meets
// every day of the run, the same under every policy.
type item struct {
	path     domain.SupplyPath
	lead     int // the factory's quoted lead time, in days
	moq      int
	multiple int
	cost     domain.Money
	base     float64 // units a day around which demand varies
	demand   []int
	// newFactory: its factory is new, so the first deliveries hold a QA
	// sample back (DESIGN.md section 1, "Quality hold").
	newFactory bool
}

// world is the synthetic shop: its SKUs over days days from start.
type world struct {
	start  time.Time
	days   int
	spread int // lead-time variation, percent either way
	seed   uint64
	items  []item
}

// simStart is the first day of every run: a Thursday, 1 January.
var simStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// newWorld draws a catalogue like a maker's: a few fast sellers among many
// slow ones, every supply path, microfactory minimums and multiples, and a
// year of demand with a weekly rhythm, a year-end peak and fair weekends.
func newWorld(skus, days int, seed uint64, spread int) world {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	w := world{start: simStart, days: days, spread: spread, seed: seed}
	for i := range skus {
		it := item{base: math.Min(0.15*math.Exp(rng.NormFloat64()*1.1), 25)}
		switch r := rng.Float64(); {
		case r < 0.1:
			it.path, it.cost = domain.PathDigital, 0
		case r < 0.4:
			it.path, it.lead, it.cost = domain.PathPrint, 4+rng.IntN(4), domain.Money(250+rng.IntN(300))
		case r < 0.7:
			it.path, it.lead, it.cost = domain.PathMicrofactory, 14+rng.IntN(21), domain.Money(120+rng.IntN(400))
			it.moq, it.multiple = 50, 25
		default:
			it.path, it.lead, it.cost = domain.PathHandmade, 3+rng.IntN(8), domain.Money(600+rng.IntN(1400))
		}
		it.demand = make([]int, days)
		fairEvery := 3 + i%3 // weeks between fairs: makers do not all go to the same ones
		for d := range days {
			it.demand[d] = poisson(rng, it.base*w.seasonality(d, it.path, fairEvery))
		}
		// A third of the made SKUs come from a factory the shop has just
		// found. Decided by position, not drawn, so the demand is the same
		// as without the rule.
		it.newFactory = it.path != domain.PathDigital && it.path != domain.PathHandmade && i%3 == 0
		w.items = append(w.items, it)
	}
	return w
}

// seasonality multiplies the base rate on day d: busier weekends, a
// year-end peak, and several times the demand for handmade and print at a
// fair weekend.
func (w world) seasonality(d int, path domain.SupplyPath, fairEvery int) float64 {
	day := w.start.AddDate(0, 0, d)
	f := 0.85
	weekend := day.Weekday() == time.Saturday || day.Weekday() == time.Sunday
	if weekend {
		f = 1.4
	}
	if day.YearDay() > 320 {
		f *= 1.6
	}
	if weekend && (day.YearDay()/7)%fairEvery == 0 && (path == domain.PathHandmade || path == domain.PathPrint) {
		f *= 4
	}
	return f
}

// poisson draws a Poisson count with mean lambda: Knuth's method for small
// means, a rounded normal for large ones.
func poisson(rng *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
