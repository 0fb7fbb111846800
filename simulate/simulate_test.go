package simulate

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"

	"microshop/domain"
)

// constant is a world of one print SKU selling 2 a day, quoted 5 days'
// lead time that never varies, 60 units at the start.
func constant(days int) world {
	it := item{path: domain.PathPrint, lead: 5, cost: 300, base: 2, demand: make([]int, days)}
	for d := range it.demand {
		it.demand[d] = 2
	}
	return world{start: simStart, days: days, items: []item{it}}
}

// firstOrder runs p on w and says the day and size of its first order,
// and the units lost.
func firstOrder(w world, p policy) (day, qty, lost int) {
	day = -1
	it := &w.items[0]
	st := &state{w: &w, it: it, onHand: 60}
	var pipeline []arrival
	for d := range w.days {
		st.day = d
		kept := pipeline[:0]
		for _, a := range pipeline {
			if a.day <= d {
				st.onHand += a.qty
				st.onOrder -= a.qty
			} else {
				kept = append(kept, a)
			}
		}
		pipeline = kept
		if q := p.order(st); q > 0 {
			q = roundOrder(q, it.moq, it.multiple)
			if day < 0 {
				day, qty = d, q
			}
			pipeline = append(pipeline, arrival{d + it.lead, q})
			st.onOrder += q
		}
		sold := min(it.demand[d], st.onHand)
		st.onHand -= sold
		lost += it.demand[d] - sold
		st.sold = append(st.sold, sold)
		st.active = append(st.active, sold > 0 || st.onHand > 0)
	}
	return day, qty, lost
}

// Each policy on a case worked by hand: 2 units a day, 5 days' lead, 60
// units on day 0 (position 60 − 2t at the start of day t).
//
//	microshop: print with 5 days' lead covers 7 to 14 days; rate 2 a day;
//	           reorder point 2 × (5 + 7) = 24: first position below it is
//	           22 on day 19; order 2 × (5 + 14) − 22 = 16. Never short.
//	rop:       reorder point 2 × 5 = 10: position 10 on day 25; order 30
//	           days = 60, arriving on day 30 as the last 2 sell on day 29.
//	monthly:   1 February (day 31): January sold 60 (day 30 found none),
//	           position 0, order 60, arriving day 36: days 30–35 lose 12.
func TestPoliciesOnAHandWorkedCase(t *testing.T) {
	for _, tc := range []struct {
		p                policy
		day, qty, lostIn int
	}{
		{microshop{cover: 1}, 19, 16, 0},
		{rop{}, 25, 60, 0},
		{monthly{}, 31, 60, 12},
	} {
		day, qty, lost := firstOrder(constant(40), tc.p)
		if day != tc.day || qty != tc.qty || lost != tc.lostIn {
			t.Errorf("%s: first order on day %d of %d, %d lost in 40 days; want day %d, %d, %d lost",
				tc.p.name(), day, qty, lost, tc.day, tc.qty, tc.lostIn)
		}
	}
}

// The same seed gives the same run; another seed another; and every unit
// demanded is sold or lost, every unit ordered received or still coming.
func TestRunsAreDeterministicAndConserveUnits(t *testing.T) {
	cfg := Config{SKUs: 30, Days: 200, Seed: 7, LeadSpread: 30, CoverScales: []float64{0.5, 1}}
	a, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Run(context.Background(), cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave two different runs")
	}
	cfg.Seed = 8
	c, _ := Run(context.Background(), cfg)
	if reflect.DeepEqual(a.Policies, c.Policies) {
		t.Fatal("another seed gave the same figures")
	}
	if len(a.Policies) != 4 || a.Policies[0].CoverScale != 0.5 || a.Policies[2].Name != "monthly" {
		t.Fatalf("rows %v; want microshop ×0.5, ×1, monthly, rop", a.Policies)
	}
	for _, p := range append(a.Policies, c.Policies...) {
		if p.Demanded != p.Sold+p.Lost {
			t.Errorf("%s: demanded %d ≠ sold %d + lost %d", p, p.Demanded, p.Sold, p.Lost)
		}
		if p.Ordered != p.Received+p.Outstanding {
			t.Errorf("%s: ordered %d ≠ received %d + still coming %d", p, p.Ordered, p.Received, p.Outstanding)
		}
		if p.Demanded == 0 || p.Orders == 0 {
			t.Errorf("%s: a run with no demand or no orders: %+v", p, p)
		}
	}
	// Every policy meets the same demand.
	for _, p := range a.Policies[1:] {
		if p.Demanded != a.Policies[0].Demanded {
			t.Errorf("%s met %d units of demand, microshop %d", p, p.Demanded, a.Policies[0].Demanded)
		}
	}
}

func TestRunRefusesWhatItCannotTake(t *testing.T) {
	for _, cfg := range []Config{
		{SKUs: 0, Days: 365}, {SKUs: 50, Days: 10}, {SKUs: 50, Days: 365, LeadSpread: 95},
		{SKUs: 50, Days: 365, CoverScales: []float64{0}}, {SKUs: MaxSKUs + 1, Days: 365},
		{SKUs: 50, Days: 365, CoverScales: []float64{1e-9}}, {SKUs: 50, Days: 365, CoverScales: []float64{10.5}},
		// Past four rows of microshop the chart's colours repeat and its
		// legend runs off the panel; 100 scales ran for minutes.
		{SKUs: 50, Days: 365, CoverScales: []float64{0.5, 1, 1.5, 2, 2.5}},
	} {
		if _, err := Run(context.Background(), cfg); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("%+v: %v, want refused", cfg, err)
		}
	}
}

// BenchmarkRun50 is 50 SKUs × 365 days × 3 policies (target under 1 s).
func BenchmarkRun50(b *testing.B) {
	for b.Loop() {
		if _, err := Run(context.Background(), Config{SKUs: 50, Days: 365, Seed: 1, LeadSpread: 30}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun1000 is 1,000 SKUs (target under 10 s).
func BenchmarkRun1000(b *testing.B) {
	for b.Loop() {
		if _, err := Run(context.Background(), Config{SKUs: 1000, Days: 365, Seed: 1, LeadSpread: 30}); err != nil {
			b.Fatal(err)
		}
	}
}

// orders is a policy that orders fixed quantities on fixed days.
type orders map[int]int

func (orders) name() string          { return "fixed" }
func (orders) scale() float64        { return 0 }
func (o orders) order(st *state) int { return o[st.day] }

// A delivery of 100 from a new factory sells 90 until QA passes three days
// later; from an established factory all 100 sell at once. Worked by hand:
// lead 5, nothing on hand, 95 wanted on day 5 and 5 on day 6. New: 90
// sold on day 5, nothing on day 6 (the 10 held), 10 lost; established:
// all 100 sold.
func TestANewFactorysDeliveryHoldsItsSampleUntilQAPasses(t *testing.T) {
	for _, tc := range []struct {
		name       string
		newFactory bool
		sold, lost int
		held       int
	}{
		{"new factory", true, 90, 10, 10},
		{"established factory", false, 100, 0, 0},
	} {
		it := item{path: domain.PathMicrofactory, lead: 5, cost: 100, demand: make([]int, 30), newFactory: tc.newFactory}
		it.demand[5], it.demand[6] = 95, 5
		w := world{start: simStart, days: 30, items: []item{it}}
		p, _ := w.run(context.Background(), orders{0: 100})
		if p.Sold != tc.sold || p.Lost != tc.lost || p.HeldForQA != tc.held {
			t.Errorf("%s: sold %d, lost %d, held %d; want %d, %d, %d", tc.name, p.Sold, p.Lost, p.HeldForQA, tc.sold, tc.lost, tc.held)
		}
	}
}

// Only until three deliveries passed QA: the factory is then established
// and the fourth sells whole.
func TestTheHoldEndsAfterThreePasses(t *testing.T) {
	it := item{path: domain.PathPrint, lead: 2, cost: 100, demand: make([]int, 60), newFactory: true}
	w := world{start: simStart, days: 60, items: []item{it}}
	p, _ := w.run(context.Background(), orders{0: 40, 10: 40, 20: 40, 30: 40})
	// ⌈10 % of 40⌉ = 4 held from each of the first three.
	if p.HeldForQA != 12 {
		t.Fatalf("held %d units in all; want 4 from each of the first three deliveries", p.HeldForQA)
	}
}

// Held units become sellable the day QA passes (three days after the
// delivery), not before: 100 arrive on day 5 from a new factory, 90 are
// wanted that day, 1 on day 7 and 10 on day 8. Worked by hand: new
// factory, day 5 sells the 90 available, day 7 loses 1 (the 10 are still
// held), day 8 sells the 10 released: 100 sold, the loss on day 7.
// Established: all 100 available on day 5, day 7 sells 1, day 8 sells the
// last 9 and loses 1.
func TestHeldUnitsSellOnceQAPasses(t *testing.T) {
	for _, tc := range []struct {
		name                string
		newFactory          bool
		lostByDay7, lostAll int
		soldAll, heldForQA  int
	}{
		{"new factory", true, 1, 1, 100, 10},
		{"established factory", false, 0, 1, 100, 0},
	} {
		it := item{path: domain.PathMicrofactory, lead: 5, cost: 100, demand: make([]int, 30), newFactory: tc.newFactory}
		it.demand[5], it.demand[7], it.demand[8] = 90, 1, 10
		w := world{start: simStart, days: 30, items: []item{it}}
		p, _ := w.run(context.Background(), orders{0: 100})
		if p.LostByDay[7] != tc.lostByDay7 || p.Lost != tc.lostAll || p.Sold != tc.soldAll || p.HeldForQA != tc.heldForQA {
			t.Errorf("%s: lost %d by day 7, %d in all, sold %d, held %d; want %d, %d, %d, %d", tc.name,
				p.LostByDay[7], p.Lost, p.Sold, p.HeldForQA, tc.lostByDay7, tc.lostAll, tc.soldAll, tc.heldForQA)
		}
		// Held units stay on hand (the chart's units held) while in QA.
		if p.HeldByDay[6] != 10 {
			t.Errorf("%s: %g units on hand on day 6; want the 10 left, held or not", tc.name, p.HeldByDay[6])
		}
	}
}

// Units are conserved with the hold: what a policy started with and
// received is what it sold from stock plus what it had on hand (held units
// included) at the end, for every policy of a seeded run.
func TestStockIsConservedWithQAHolds(t *testing.T) {
	cfg := Config{SKUs: 60, Days: 365, Seed: 3, LeadSpread: 30}
	w := newWorld(cfg.SKUs, cfg.Days, cfg.Seed, cfg.LeadSpread)
	start, digitalSold, news := 0, 0, 0
	for _, it := range w.items {
		if it.path == domain.PathDigital {
			for _, d := range it.demand {
				digitalSold += d
			}
			continue
		}
		start += int(math.Ceil(it.base * 30))
		if it.newFactory {
			news++
		}
	}
	if news == 0 {
		t.Fatal("the seeded shop has no SKU from a new factory; the test would check nothing")
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Policies {
		if p.HeldForQA == 0 {
			t.Errorf("%s: nothing held for QA though %d SKUs come from new factories", p, news)
		}
		end := int(p.HeldByDay[cfg.Days-1])
		if start+p.Received != p.Sold-digitalSold+end {
			t.Errorf("%s: started %d + received %d ≠ sold from stock %d + on hand at the end %d",
				p, start, p.Received, p.Sold-digitalSold, end)
		}
	}
}

// A run long enough to leave a maker wondering whether it hung says so
// before it starts: 5,000 SKUs over ten years under six policies ran for
// over a minute without a word. The README's runs say nothing.
func TestALongRunSaysSoFirst(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{SKUs: 50, Days: 365}, ""},
		{Config{SKUs: 1000, Days: 365, CoverScales: []float64{0.5, 1, 1.5, 2}}, ""},
		{Config{SKUs: 5000, Days: 3650, CoverScales: []float64{0.5, 1, 1.5, 2}},
			"5000 SKUs over 3650 days under 6 policies is a long run: it may take a minute or more"},
		{Config{SKUs: 5000, Days: 730},
			"5000 SKUs over 730 days under 3 policies is a long run: it may take several seconds"},
	} {
		if got := tc.cfg.LongRun(); got != tc.want {
			t.Errorf("%d SKUs, %d days, %d scales: %q; want %q", tc.cfg.SKUs, tc.cfg.Days, len(tc.cfg.CoverScales), got, tc.want)
		}
	}
}

// Ctrl+C stops a run: a ten-year run of 5,000 SKUs went on for half a
// minute after it, and wrote its chart.
func TestARunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Config{SKUs: 50, Days: 365, Seed: 1, LeadSpread: 30}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled run: %v; want it stopped", err)
	}
}
