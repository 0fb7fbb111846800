package domain

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DefaultHoldingRate is the yearly cost of holding stock, as a percentage of
// its value, when the shop has not set one: money tied up, space, risk.
const DefaultHoldingRate = 25

// MaxHoldingRate bounds the holding rate: above 100 % a year the stock costs
// more to keep than to buy, which is a typing slip, not a shop.
const MaxHoldingRate = 100

// MaxUnitCost bounds a quoted unit cost or shipping: 100,000.00 a unit is
// far beyond what a maker buys, so more is a slip of the keyboard.
const MaxUnitCost = Money(100_000_00)

// ValidateHoldingRate checks a yearly holding rate in whole percent.
func ValidateHoldingRate(pct int) error {
	if pct < 0 || pct > MaxHoldingRate {
		return Errorf(EInvalid, "%d %% is not a holding rate; use a whole percentage a year from 0 to %d (25 is usual)", pct, MaxHoldingRate)
	}
	return nil
}

// ValidateUnitCost checks a quoted amount per unit: what.
func ValidateUnitCost(what string, m Money) error {
	if m < 0 || m > MaxUnitCost {
		return Errorf(EInvalid, "%s is not a %s a factory would quote; use an amount from 0.00 to %s", m, what, MaxUnitCost)
	}
	return nil
}

// Quote is what a factory asks to make one SKU: per unit, its price and the
// shipping to the shop, with its own minimum order, batch multiple and lead
// time.
type Quote struct {
	ID        string
	FactoryID string
	Factory   string // its name, for display
	Location  Location
	SKUID     string
	UnitCost  Money
	Shipping  Money
	MOQ       int
	Multiple  int
	LeadDays  int
}

// Validate checks the fields a person types.
func (q Quote) Validate() error {
	if err := ValidateUnitCost("unit cost", q.UnitCost); err != nil {
		return err
	}
	if err := ValidateUnitCost("shipping per unit", q.Shipping); err != nil {
		return err
	}
	if err := ValidateMOQ(q.MOQ); err != nil {
		return err
	}
	if err := ValidateMultiple(q.Multiple); err != nil {
		return err
	}
	return ValidateDays("lead time", q.LeadDays)
}

// ParseAssumedRate reads a daily rate typed for a SKU with no sales yet,
// such as "0.5" (a unit every two days), exactly: up to three decimals.
func ParseAssumedRate(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	bad := Errorf(EInvalid, "%q is not a daily rate; use units a day from 0.001 to 10000, with at most three decimals, like 0.5 or 3", s)
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" {
		whole = "0"
	}
	if !digitsOnly(whole) || hasDot && !digitsOnly(frac) || len(frac) > 3 || len(whole) > 5 {
		return Rate{}, bad
	}
	for len(frac) < 3 {
		frac += "0"
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi(frac)
	r := Rate{Sold: w*1000 + f, Days: 1000}
	if r.Sold <= 0 || r.Sold > 10_000_000 {
		return Rate{}, bad
	}
	return r, nil
}

// Candidate is one way to source a SKU, side by side with the others: what
// DESIGN.md section 9 computes for it.
type Candidate struct {
	Quote
	LandedCost     Money   // c = unit + shipping
	MinCover       int     // C: the SKU's path and this lead time, overrides applied
	MaxCover       int     // 2C unless the SKU overrides it
	OrderQty       int     // Q = ⌈r × (max − min)⌉, raised to the MOQ, rounded up to the multiple
	AvgUnits       float64 // A = r × C + Q ÷ 2
	CashTied       Money   // A × c, to the cent
	HoldingPerUnit Money   // c × h × (A ÷ r) ÷ 365, to the cent
	TotalPerUnit   Money   // c + holding per unit
	RunCostPerUnit Money   // for a run of N: max(MOQ, N up to the multiple) × c ÷ N; 0 without a run
	Paused         bool    // its factory is paused and takes no batch order: not recommended
	Uncosted       bool    // the current factory, and the SKU's cost was never given: not compared
	holdingExact   float64 // holding per unit in cents, unrounded
}

// ranked reports whether the candidate may be recommended.
func (c Candidate) ranked() bool { return !c.Paused && !c.Uncosted }

// SourcingInput is what the comparison needs of one SKU.
type SourcingInput struct {
	Path        SupplyPath
	Over        Overrides // the SKU's cover overrides; its lead-time override does not apply
	Rate        Rate      // r, units a day; must be above 0
	HoldingRate int       // h, whole percent a year
	Run         int       // N, a limited edition's units; 0 for none
	// Paused are the factories, by id, that take no batch order now;
	// Uncosted is the current factory's id when the SKU has no cost.
	Paused   map[string]bool
	Uncosted string
}

// CompareSources works out every candidate (DESIGN.md section 9) and picks
// the lowest total per unit, ties going to the shorter lead time; best is
// its index. A paused factory is picked only when every factory with a
// cost is paused, and the current factory of a SKU without a cost never:
// its 0.00 would win every comparison. best is -1 when nothing has a cost.
func CompareSources(in SourcingInput, quotes []Quote) (out []Candidate, best int) {
	out = make([]Candidate, len(quotes))
	best = -1
	for i, q := range quotes {
		out[i] = costCandidate(in, q)
		out[i].Paused = in.Paused[q.FactoryID]
		out[i].Uncosted = q.FactoryID == in.Uncosted && in.Uncosted != ""
		if out[i].Uncosted {
			continue
		}
		if best < 0 || out[i].ranked() && !out[best].ranked() || out[i].ranked() == out[best].ranked() && better(out[i], out[best]) {
			best = i
		}
	}
	return out, best
}

// better reports whether a beats b: a lower total per unit, or the same
// total and a shorter lead time.
func better(a, b Candidate) bool {
	if a.TotalPerUnit != b.TotalPerUnit {
		return a.TotalPerUnit < b.TotalPerUnit
	}
	return a.LeadDays < b.LeadDays
}

func costCandidate(in SourcingInput, q Quote) Candidate {
	c := Candidate{Quote: q, LandedCost: q.UnitCost + q.Shipping}
	s := SKU{Path: in.Path}
	s.Settle(Overrides{MinCover: in.Over.MinCover, MaxCover: in.Over.MaxCover}, q.LeadDays)
	c.MinCover, c.MaxCover = s.MinCover, s.MaxCover
	r := in.Rate
	c.OrderQty = RoundOrder(ceilDiv(int64(r.Sold)*int64(max(c.MaxCover-c.MinCover, 0)), int64(r.Days)), q.MOQ, q.Multiple)
	perDay := r.PerDay()
	c.AvgUnits = perDay*float64(c.MinCover) + float64(c.OrderQty)/2
	c.CashTied = roundCents(c.AvgUnits * float64(c.LandedCost))
	if perDay > 0 {
		// A ÷ r = C + Q × days ÷ (2 × sold): the days a unit waits on the shelf.
		shelfDays := float64(c.MinCover) + float64(c.OrderQty)*float64(r.Days)/(2*float64(r.Sold))
		c.holdingExact = float64(c.LandedCost) * float64(in.HoldingRate) / 100 * shelfDays / 365
	}
	c.HoldingPerUnit = roundCents(c.holdingExact)
	c.TotalPerUnit = c.LandedCost + c.HoldingPerUnit
	if in.Run > 0 {
		c.RunCostPerUnit = RunCostPerUnit(in.Run, q.MOQ, q.Multiple, c.LandedCost)
	}
	return c
}

// RoundOrder raises qty to the minimum order and rounds it up to the batch
// multiple.
func RoundOrder(qty, moq, multiple int) int {
	qty = max(qty, moq)
	if multiple > 1 && qty%multiple != 0 {
		qty += multiple - qty%multiple
	}
	return qty
}

// RunCostPerUnit is what each of a limited edition of n units costs when
// the factory makes at least its minimum order in whole multiples:
// max(MOQ, n up to the multiple) × landed ÷ n, to the cent.
func RunCostPerUnit(n, moq, multiple int, landed Money) Money {
	made := RoundOrder(n, moq, multiple)
	return roundCents(float64(made) * float64(landed) / float64(n))
}

func ceilDiv(a, b int64) int {
	if b <= 0 || a <= 0 {
		return 0
	}
	return int((a + b - 1) / b)
}

// roundCents rounds an amount in cents half up to a whole cent. One
// beyond the largest amount a shop records comes back as just beyond it
// (see Candidate.Beyond): as an int64 it wrapped round to a negative.
func roundCents(c float64) Money {
	if c > float64(maxMoney) {
		return maxMoney + 1
	}
	return Money(math.Floor(c + 0.5 + 1e-9))
}

// Beyond reports whether a figure of the candidate comes to more than the
// largest amount a shop records, so the comparison means nothing: a cost
// or a rate far beyond any maker's.
func (c Candidate) Beyond() bool {
	for _, m := range []Money{c.LandedCost, c.CashTied, c.HoldingPerUnit, c.TotalPerUnit, c.RunCostPerUnit} {
		if m > maxMoney {
			return true
		}
	}
	return false
}

// SourcingReason says in a sentence why the best candidate wins, and in
// one more each what was passed over: a cheaper paused factory, or the
// current factory of a SKU without a cost. Amounts are written as the
// currency writes them (Money.Format).
func SourcingReason(cands []Candidate, best int, currency string) string {
	if best < 0 || best >= len(cands) {
		return ""
	}
	why := bestReason(cands, best, currency)
	b := cands[best]
	if b.Paused {
		why += fmt.Sprintf(" %s is paused, though: it takes no batch order until it is resumed.", b.Factory)
	}
	for i, c := range cands {
		switch {
		case i == best:
		case c.Uncosted:
			why += fmt.Sprintf(" %s, the current factory, is not compared: the SKU has no cost; set it to compare.", c.Factory)
		case c.Paused && better(c, b):
			why += fmt.Sprintf(" %s would cost %s but is paused.", c.Factory, c.TotalPerUnit.Format(currency))
		}
	}
	return why + runReason(cands, best, currency)
}

// runReason names the source whose limited run costs less a unit than the
// recommended one's, when a run was asked for and one does; "" otherwise.
func runReason(cands []Candidate, best int, currency string) string {
	b := cands[best]
	if b.RunCostPerUnit == 0 {
		return ""
	}
	cheapest := best
	for i, c := range cands {
		if c.ranked() && c.RunCostPerUnit < cands[cheapest].RunCostPerUnit {
			cheapest = i
		}
	}
	if cheapest == best {
		return ""
	}
	c := cands[cheapest]
	return fmt.Sprintf(" For the limited run alone, %s costs less: %s a unit against %s.", c.Factory,
		c.RunCostPerUnit.Format(currency), b.RunCostPerUnit.Format(currency))
}

// bestReason is the sentence why the best candidate beats the next one
// that may be recommended (or, when every one is paused, the next paused).
func bestReason(cands []Candidate, best int, currency string) string {
	b := cands[best]
	next := -1
	for i, c := range cands {
		if i != best && !c.Uncosted && c.ranked() == b.ranked() && (next < 0 || better(c, cands[next])) {
			next = i
		}
	}
	if next < 0 {
		only := "the only source"
		if len(cands) > 1 {
			only = "the only source to compare"
		}
		return fmt.Sprintf("%s is %s: %s a unit sold, holding included.", b.Factory, only, b.TotalPerUnit.Format(currency))
	}
	n := cands[next]
	if n.TotalPerUnit == b.TotalPerUnit {
		return fmt.Sprintf("%s and %s both cost %s a unit sold, holding included, and %s delivers sooner (%d days against %d).",
			b.Factory, n.Factory, b.TotalPerUnit.Format(currency), b.Factory, b.LeadDays, n.LeadDays)
	}
	why := "its landed cost is lower"
	if b.LandedCost >= n.LandedCost {
		why = fmt.Sprintf("its shorter lead time and smaller orders keep less stock on the shelf (%.0f units against %.0f)", b.AvgUnits, n.AvgUnits)
	}
	return fmt.Sprintf("%s costs %s a unit sold, holding included, against %s from %s: %s.",
		b.Factory, b.TotalPerUnit.Format(currency), n.TotalPerUnit.Format(currency), n.Factory, why)
}
