package simulate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"microshop/domain"
)

// Config is what a run varies.
type Config struct {
	SKUs        int
	Days        int
	Seed        uint64
	LeadSpread  int       // percent a lead time varies either way, 0 to 90
	CoverScales []float64 // one microshop row per value; {1} when empty
}

// Limits of a run: enough for any shop a maker keeps, small enough that a
// typo does not run for an hour.
const (
	MaxSKUs       = 5000
	MinDays       = 30
	MaxDays       = 3650
	MaxLeadSpread = 90 // percent

	// A cover scale multiplies the days of cover the rules keep (7 to 28
	// minimum, by path), rounded to whole days. At a tenth a 7-day cover
	// is one day; below a fourteenth it is none, a shop without buffers,
	// and 1e-9 was run under the label "microshop ×1e-09". At 10 a
	// microfactory's order-up-to cover is a year and a half. What a maker
	// could mean lies between.
	MinCoverScale = 0.1
	MaxCoverScale = 10.0

	// MaxCoverScales is how many microshop rows a run compares: with
	// monthly and rop, one line a colour of the chart's six. Past it the
	// colours repeated, the legend ran off the panel, and every row is
	// another run of the whole shop.
	MaxCoverScales = 4
)

// Policy is one row of the result.
type Policy struct {
	Name         string
	CoverScale   float64 // the microshop rows' cover multiplier; 0 for the others
	Demanded     int
	Sold         int
	Lost         int
	StockoutDays int     // SKU-days with nothing available while demand came
	AvgUnits     float64 // units held, on average over the days
	AvgValue     float64 // their cost, in minor units, on average
	Orders       int
	Ordered      int
	Received     int
	Outstanding  int // ordered, not yet arrived when the run ended
	HeldForQA    int // units held back from new factories' deliveries until QA passed

	// Per day of the run, for the chart: units held at the end of the
	// day, and sales lost so far.
	HeldByDay []float64
	LostByDay []int
}

// FillRate is units sold ÷ units demanded.
func (p Policy) FillRate() float64 {
	if p.Demanded == 0 {
		return 1
	}
	return float64(p.Sold) / float64(p.Demanded)
}

// Result is a run: its inputs and one row per policy.
type Result struct {
	Seed     uint64
	SKUs     int
	Days     int
	Policies []Policy
}

// Scope is how many SKUs the run simulated: "1 SKU", "50 SKUs".
func (r Result) Scope() string {
	if r.SKUs == 1 {
		return "1 SKU"
	}
	return fmt.Sprintf("%d SKUs", r.SKUs)
}

// StockoutDays says what the stockout days count, and of how many: they
// add up over the SKUs, so a year's run reads more than 365 of them.
func (r Result) StockoutDays() string {
	return fmt.Sprintf("A stockout day is one SKU's day with none to sell while buyers came, of %d here (%s × %d days)", r.SKUs*r.Days, r.Scope(), r.Days)
}

// Check refuses what a run cannot take.
func (c Config) Check() error {
	switch {
	case c.SKUs < 1 || c.SKUs > MaxSKUs:
		return domain.Errorf(domain.EInvalid, "%d SKUs is not a shop to simulate; use 1 to %d", c.SKUs, MaxSKUs)
	case c.Days == 1:
		return domain.Errorf(domain.EInvalid, "1 day is not a run; use %d to %d", MinDays, MaxDays)
	case c.Days < MinDays || c.Days > MaxDays:
		return domain.Errorf(domain.EInvalid, "%d days is not a run; use %d to %d", c.Days, MinDays, MaxDays)
	case c.LeadSpread < 0 || c.LeadSpread > MaxLeadSpread:
		return domain.Errorf(domain.EInvalid, "a lead spread of %d %% is not accepted; use 0 to %d", c.LeadSpread, MaxLeadSpread)
	}
	if n := len(c.CoverScales); n > MaxCoverScales {
		return TooManyScales(n)
	}
	for _, s := range c.CoverScales {
		if !(s >= MinCoverScale && s <= MaxCoverScale) {
			return domain.Errorf(domain.EInvalid, "%g is not a cover scale; use a number from %g to %g, like 0.5 or 1.5", s, MinCoverScale, MaxCoverScale)
		}
	}
	return nil
}

// TooManyScales refuses n cover scales, more than a run compares.
func TooManyScales(n int) error {
	return domain.Errorf(domain.EInvalid, "%d cover scales are too many to compare; give at most %d, like 0.5,1,1.5,2", n, MaxCoverScales)
}

// LongRun is a sentence to say before a run that takes long, "" for
// others.
func (c Config) LongRun() string {
	policies := max(1, len(c.CoverScales)) + 2
	work := c.SKUs * c.Days * policies
	if work < longRun {
		return ""
	}
	how := "several seconds"
	if work >= 5*longRun {
		how = "a minute or more"
	}
	return fmt.Sprintf("%s over %d days under %d policies is a long run: it may take %s",
		Result{SKUs: c.SKUs}.Scope(), c.Days, policies, how)
}

// longRun is the SKU-days × policies from which a run takes seconds: a
// fraction of a microsecond each on a laptop's core. 5,000 SKUs over ten
// years under six policies, 110 million, took over a minute.
const longRun = 10_000_000

// Run simulates the shop of cfg under the policies.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Check(); err != nil {
		return Result{}, err
	}
	scales := cfg.CoverScales
	if len(scales) == 0 {
		scales = []float64{1}
	}
	w := newWorld(cfg.SKUs, cfg.Days, cfg.Seed, cfg.LeadSpread)
	res := Result{Seed: cfg.Seed, SKUs: cfg.SKUs, Days: cfg.Days}
	var policies []policy
	for _, s := range scales {
		policies = append(policies, microshop{cover: s})
	}
	for _, p := range append(policies, monthly{}, rop{}) {
		row, err := w.run(ctx, p)
		if err != nil {
			return Result{}, err
		}
		res.Policies = append(res.Policies, row)
	}
	return res, nil
}

// policy decides, at the start of a day, how much of one SKU to order.
type policy interface {
	name() string
	scale() float64
	order(st *state) int
}

// state is one SKU under one policy at the start of a day.
type state struct {
	w       *world
	it      *item
	day     int
	onHand  int // held units included, as in the app
	held    int // in QA hold: on hand, not for sale
	onOrder int
	sold    []int // units sold on each day so far
	active  []bool
}

type arrival struct{ day, qty int }

// qaDays is how long QA of a held sample takes after the delivery: a few
// days to look it over and use it. The design gives no figure; the app
// waits for the maker's decision. Every sample passes: the run weighs
// stock policies, not factories.
const qaDays = 3

// run plays every SKU through the days under p, unless ctx is done
// first (Ctrl+C): a long run stops between two SKUs.
func (w world) run(ctx context.Context, p policy) (Policy, error) {
	out := Policy{Name: p.name(), CoverScale: p.scale(), HeldByDay: make([]float64, w.days), LostByDay: make([]int, w.days)}
	var unitDays, valueDays float64
	for i := range w.items {
		if err := ctx.Err(); err != nil {
			return Policy{}, err
		}
		it := &w.items[i]
		// Lead times drawn per order, the same sequence for a SKU under
		// every policy; a policy that orders more draws further along it.
		leads := rand.New(rand.NewPCG(w.seed, uint64(i)+1))
		st := &state{w: &w, it: it, onHand: int(math.Ceil(it.base * 30))}
		if it.path == domain.PathDigital {
			st.onHand = 0
		}
		var pipeline []arrival
		qa := &qaHold{}
		for d := range w.days {
			st.day = d
			pipeline = out.arrive(st, pipeline, qa)
			if it.path != domain.PathDigital {
				if q := p.order(st); q > 0 {
					q = roundOrder(q, it.moq, it.multiple)
					pipeline = append(pipeline, arrival{day: d + w.lead(it, leads), qty: q})
					st.onOrder += q
					out.Orders++
					out.Ordered += q
				}
			}
			demand := it.demand[d]
			sold := demand
			if it.path != domain.PathDigital {
				sold = min(demand, st.onHand-st.held)
				st.onHand -= sold
				if st.onHand-st.held+sold == 0 && demand > 0 {
					out.StockoutDays++
				}
				unitDays += float64(st.onHand)
				valueDays += float64(st.onHand) * float64(it.cost)
				out.HeldByDay[d] += float64(st.onHand)
			}
			out.LostByDay[d] += demand - sold
			out.Demanded += demand
			out.Sold += sold
			out.Lost += demand - sold
			st.sold = append(st.sold, sold)
			st.active = append(st.active, sold > 0 || st.onHand > st.held || it.path == domain.PathDigital)
		}
		for _, a := range pipeline {
			out.Outstanding += a.qty
		}
	}
	for d := 1; d < w.days; d++ {
		out.LostByDay[d] += out.LostByDay[d-1]
	}
	out.AvgUnits = unitDays / float64(w.days)
	out.AvgValue = valueDays / float64(w.days)
	return out, nil
}

// arrive takes in the orders due by today, holding back a new factory's
// QA samples and releasing those that passed, and returns the rest.
func (out *Policy) arrive(st *state, pipeline []arrival, qa *qaHold) []arrival {
	kept := pipeline[:0]
	for _, a := range pipeline {
		if a.day > st.day {
			kept = append(kept, a)
			continue
		}
		st.onHand += a.qty
		st.onOrder -= a.qty
		out.Received += a.qty
		if st.it.newFactory {
			out.HeldForQA += qa.receive(st, a)
		}
	}
	qa.release(st)
	return kept
}

// qaHold is a new factory's QA hold on one SKU: until PassesToEstablish
// of its deliveries passed, each holds back the shop's default share.
type qaHold struct {
	passed  int
	samples []arrival // held units and the day QA passes them
}

// receive holds back the sample of a delivery while the factory is new,
// and says how many units it held.
func (q *qaHold) receive(st *state, a arrival) int {
	if q.passed >= domain.PassesToEstablish {
		return 0
	}
	h := domain.HoldQty(a.qty, domain.DefaultHoldPercent)
	st.held += h
	q.samples = append(q.samples, arrival{day: st.day + qaDays, qty: h})
	return h
}

// release frees the samples whose QA passed by today.
func (q *qaHold) release(st *state) {
	kept := q.samples[:0]
	for _, s := range q.samples {
		if s.day <= st.day {
			st.held -= s.qty
			q.passed++
		} else {
			kept = append(kept, s)
		}
	}
	q.samples = kept
}

// lead is the lead time of one order: the quoted one, varied by up to the
// spread either way, at least a day.
func (w world) lead(it *item, rng *rand.Rand) int {
	f := 1 + float64(w.spread)/100*(2*rng.Float64()-1)
	return max(1, int(math.Round(float64(it.lead)*f)))
}

// roundOrder raises q to the minimum order and up to the batch multiple,
// as a factory would for every policy.
func roundOrder(q, moq, multiple int) int {
	q = max(q, moq)
	if multiple > 1 && q%multiple != 0 {
		q += multiple - q%multiple
	}
	return q
}

// soldOver is the units sold in the n days before today.
func (st *state) soldOver(n int) int {
	total := 0
	for d := max(0, st.day-n); d < st.day; d++ {
		total += st.sold[d]
	}
	return total
}

// microshop orders as the app's reorder rule says: domain.Assess on the
// facts the app would read, with the supply path's cover scaled.
type microshop struct{ cover float64 }

func (m microshop) name() string   { return "microshop" }
func (m microshop) scale() float64 { return m.cover }

func (m microshop) order(st *state) int {
	it := st.it
	minCover, maxCover := domain.DefaultCover(it.path, it.lead)
	sku := domain.SKU{Path: it.path, LeadDays: it.lead,
		MinCover: int(math.Round(float64(minCover) * m.cover)), MaxCover: int(math.Round(float64(maxCover) * m.cover))}
	from := max(0, st.day-domain.RateWindowDays)
	days := make([]domain.Day, 0, st.day-from)
	for d := from; d < st.day; d++ {
		days = append(days, domain.Day{Start: st.w.start.AddDate(0, 0, d).UnixMilli(), Sold: st.sold[d], Active: st.active[d]})
	}
	a := domain.Assess(domain.Facts{SKU: sku, MOQ: it.moq, Multiple: it.multiple, Level: domain.Level{OnHand: st.onHand, Held: st.held},
		OnOrder: st.onOrder, Days: days, FirstEventAt: st.w.start.UnixMilli()})
	if a.Reorder {
		return a.SuggestedQty
	}
	return 0
}

// monthly orders on the first of each month last month's sales less the
// position: the habit the playbook warns against.
type monthly struct{}

func (monthly) name() string   { return "monthly" }
func (monthly) scale() float64 { return 0 }

func (monthly) order(st *state) int {
	today := st.w.start.AddDate(0, 0, st.day)
	if today.Day() != 1 || st.day == 0 {
		return 0
	}
	last := today.AddDate(0, -1, 0)
	n := int(today.Sub(last).Hours() / 24)
	return st.soldOver(n) - (st.onHand + st.onOrder)
}

// rop orders 30 days of sales when the position falls to the 30-day
// average times the lead time: a common inventory app's rule, no buffer.
type rop struct{}

func (rop) name() string   { return "rop" }
func (rop) scale() float64 { return 0 }

func (rop) order(st *state) int {
	n := min(30, st.day)
	if n == 0 {
		return 0
	}
	avg := float64(st.soldOver(n)) / float64(n)
	if avg == 0 || float64(st.onHand+st.onOrder) > avg*float64(st.it.lead) {
		return 0
	}
	return int(math.Ceil(30 * avg))
}

// String is the policy's row label.
func (p Policy) String() string {
	if p.Name == "microshop" && p.CoverScale != 1 {
		return fmt.Sprintf("microshop ×%g", p.CoverScale)
	}
	return p.Name
}
