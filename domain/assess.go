package domain

import "math"

// ShortHistoryDays is how old a SKU's first ledger event must be before its
// rate stops being a first guess: a reorder resting on less is marked.
const ShortHistoryDays = 14

// Facts are what Assess judges one SKU by: what the store read of it at a
// report's moment. They are plain values, so anything that can replay a
// ledger (the store, a simulation) can build them.
type Facts struct {
	SKU           SKU   // settled: its effective lead time and cover
	MOQ, Multiple int   // its factory's minimum order and batch multiple
	FactoryPaused bool  // its factory takes no batch: paused by hand, by QA or by returns
	Level         Level // on hand and held at the report's moment
	OnOrder       int   // units of its open batches not yet received
	Days          []Day // the rate window, oldest first, ending with the report's day
	FirstEventAt  int64 // when its first ledger event happened (unix ms); NoEvents if none
	// DigitalSince is when a download was added as one (unix ms), 0 when
	// unknown: the days of its window before then do not dilute its rate,
	// unless it sold before then (FirstEventAt is then its first sale not
	// voided).
	DigitalSince int64
}

// Assessment is what the operating rules say of one SKU.
type Assessment struct {
	OnHand    int // 0 for digital: a download has no stock
	Held      int
	Available int
	OnOrder   int // units on order that count; none for digital
	// IdleOnOrder is units of open batches a digital SKU does not count:
	// batches ordered before it became digital, to cancel (or to count
	// again if it goes back to a physical path).
	IdleOnOrder int
	Rate        Rate
	Plan        Plan
	// CoverDays is available ÷ rate: 0 with nothing available, +Inf when
	// units are available and nothing sells, and for digital, which never
	// runs out.
	CoverDays    float64
	Status       Status
	Reorder      bool // position is below the reorder point: a batch is needed
	Blocked      bool // its factory is paused: no batch is suggested
	NeedQty      int  // what the rule asks for when Reorder, paused or not
	SuggestedQty int  // NeedQty, or 0 when Blocked
	// ShortHistory marks a Reorder whose SKU's first ledger event is under
	// ShortHistoryDays days old: its rate is a first guess.
	ShortHistory bool
}

// Assess applies the operating rules (DESIGN.md section 1) to one SKU: its
// daily rate, reorder plan, days of cover and status, the digital case
// included. It is the one place those rules are evaluated.
func Assess(f Facts) Assessment {
	rate := WindowRate(f.Days)
	if f.SKU.Path == PathDigital {
		// A download never runs out: no stock, nothing to order, and
		// every day of the window since it was added was a day it could
		// sell. One that sold before it was added here (its history
		// imported or backdated) could sell from its first sale on, as
		// days before a SKU existed do not dilute its rate: one sale
		// backdated to yesterday had spread three over the whole window,
		// so selling more lowered the rate.
		since := min(f.DigitalSince, f.FirstEventAt)
		return Assessment{IdleOnOrder: f.OnOrder, Rate: DailyRate(rate.Sold, daysSince(f.Days, since)),
			CoverDays: math.Inf(1), Status: StatusDigital}
	}
	a := Assessment{OnHand: f.Level.OnHand, Held: f.Level.Held, Available: f.Level.Available(), OnOrder: f.OnOrder,
		Rate: rate, Blocked: f.FactoryPaused}
	// A maximum cover set below the minimum (the factory's lead time grew
	// since, raising the minimum) orders up to the minimum: below it, the
	// order left the position under the reorder point, and every order
	// was followed by the next.
	a.Plan = Plan{Rate: a.Rate, Position: a.OnHand + a.OnOrder, LeadDays: f.SKU.LeadDays,
		MinCover: f.SKU.MinCover, MaxCover: max(f.SKU.MaxCover, f.SKU.MinCover), MOQ: f.MOQ, Multiple: f.Multiple}
	a.judge()
	a.ShortHistory = a.Reorder && NewSince(f.FirstEventAt, f.Days)
	return a
}

// judge decides cover, status and the reorder from the stock and plan.
func (a *Assessment) judge() {
	a.CoverDays, _ = CoverDays(a.Available, a.Rate)
	a.Status = stockStatus(a.Available, a.Plan)
	a.Reorder = a.Plan.NeedsReorder()
	a.NeedQty, a.SuggestedQty = 0, 0
	if a.Reorder {
		a.NeedQty = a.Plan.SuggestedQty()
		if !a.Blocked {
			a.SuggestedQty = a.NeedQty
		}
	}
}

// WithAvailable is the assessment after sales (or their undoing) moved
// available to n, until the ledger is read again: on hand and position
// move with it, the rate stays. A screen that just recorded a sale shows
// this instead of working the status out itself.
func (a Assessment) WithAvailable(n int) Assessment {
	if a.Status == StatusDigital || n == a.Available {
		return a
	}
	d := n - a.Available
	a.OnHand, a.Available, a.Plan.Position = a.OnHand+d, n, a.Plan.Position+d
	short := a.ShortHistory
	a.judge()
	a.ShortHistory = short && a.Reorder
	return a
}

// NewSince reports whether first, a SKU's first ledger event (NoEvents if
// none), falls within the last ShortHistoryDays days of the window, the
// report's day included: its rate is a first guess.
func NewSince(first int64, days []Day) bool {
	if len(days) < ShortHistoryDays {
		return true // the window itself is shorter than a settled history
	}
	return first >= days[len(days)-ShortHistoryDays].Start
}

// daysSince counts the days of the window that end after the moment at:
// every day when at is 0 (not known).
func daysSince(days []Day, at int64) int {
	n := 0
	for i := range days {
		if i == len(days)-1 || days[i+1].Start > at {
			n++
		}
	}
	return n
}
