package domain_test

import (
	"math"
	"testing"

	"microshop/domain"
)

// window is a rate window of RateWindowDays days ending with day 27 (the
// report's day); sold maps a day of it to the units sold that day, and
// the days listed in active (and any day with a sale) had units available.
func window(sold map[int]int, active ...int) []domain.Day {
	ds := make([]domain.Day, domain.RateWindowDays)
	for i := range ds {
		ds[i] = domain.Day{Start: (10 + int64(i)) * dayMs, Sold: sold[i], Active: sold[i] > 0}
	}
	for _, i := range active {
		ds[i].Active = true
	}
	return ds
}

// handmade is a handmade SKU made in 7 days: min cover 7, max 14.
func handmade() domain.SKU {
	s := domain.SKU{Code: "BOWL", Name: "Bowl", Path: domain.PathHandmade, FactoryID: "f1"}
	s.Settle(domain.Overrides{}, 7)
	return s
}

// A new SKU's first busy day: 40 made, 28 sold on the report's day. The
// rate divides by the 7-day floor: 4 a day, not 28. Reorder point
// 4 × (7 + 7) = 56 > 12 on hand; suggested ⌈4 × (7 + 14) − 12⌉ = 72, where
// dividing by the one day would have asked for 28 × 21 − 12 = 576.
func TestAssessFloorsTheRateOfABusyFirstDay(t *testing.T) {
	f := domain.Facts{SKU: handmade(), Multiple: 1, Level: domain.Level{OnHand: 12},
		Days: window(map[int]int{27: 28}), FirstEventAt: 37 * dayMs}
	a := domain.Assess(f)
	if got, want := a.Rate, (domain.Rate{Sold: 28, Days: 7}); got != want || a.Rate.PerDay() != 4 {
		t.Fatalf("rate = %+v (%v a day), want %+v: 4 a day", got, a.Rate.PerDay(), want)
	}
	if !a.Reorder || a.SuggestedQty != 72 || a.NeedQty != 72 || a.Plan.ReorderPoint() != 56 {
		t.Errorf("reorder %v, suggested %d (need %d) at point %v; want a reorder of 72 at point 56",
			a.Reorder, a.SuggestedQty, a.NeedQty, a.Plan.ReorderPoint())
	}
	if !a.ShortHistory {
		t.Error("a SKU whose first event is today is not marked as having a short history")
	}
	// The factory's minimum and multiple still apply: 72 → 80 → 100.
	f.MOQ, f.Multiple = 80, 25
	if got := domain.Assess(f).SuggestedQty; got != 100 {
		t.Errorf("with MOQ 80 and multiple 25 the suggestion is %d, want 100", got)
	}
}

// The first unit a new SKU ever sells is 1/7 a day at the floor: a
// reorder point of 1/7 × (7 + 7) = 2, well under the 9 left.
func TestAssessFirstSaleOfANewSKUIsNoReorder(t *testing.T) {
	a := domain.Assess(domain.Facts{SKU: handmade(), Multiple: 1, Level: domain.Level{OnHand: 9},
		Days: window(map[int]int{27: 1}), FirstEventAt: 37 * dayMs})
	if a.Status != domain.StatusOK || a.Reorder || a.ShortHistory {
		t.Errorf("after the first sale: status %s, reorder %v, short history %v; want ok, no reorder, no mark", a.Status, a.Reorder, a.ShortHistory)
	}
	if got, want := a.CoverDays, 63.0; got != want {
		t.Errorf("cover = %v days, want 9 ÷ 1/7 = %v", got, want)
	}
}

// short_history marks a reorder whose SKU's first ledger event is under 14
// days old: the report's day is day 27, so day 14 is 13 days old.
func TestAssessShortHistoryAroundFourteenDays(t *testing.T) {
	// 20 sold over 7 active days: a reorder whatever the history.
	days := window(map[int]int{20: 5, 22: 5, 24: 5, 26: 5}, 21, 23, 25)
	day14 := days[14].Start
	tests := []struct {
		name  string
		first int64
		want  bool
	}{
		{"first event today", days[27].Start + 5, true},
		{"13 days old", day14, true},
		{"a moment more than 14 days old", day14 - 1, false},
		{"long ago", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := domain.Assess(domain.Facts{SKU: handmade(), Multiple: 1, Level: domain.Level{OnHand: 2}, Days: days, FirstEventAt: tt.first})
			if !a.Reorder {
				t.Fatalf("want a reorder to mark, got %+v", a)
			}
			if a.ShortHistory != tt.want {
				t.Errorf("short history = %v, want %v", a.ShortHistory, tt.want)
			}
		})
	}
	// Only a reorder is marked: a new SKU with plenty is not.
	if a := domain.Assess(domain.Facts{SKU: handmade(), Multiple: 1, Level: domain.Level{OnHand: 100}, Days: days, FirstEventAt: day14}); a.ShortHistory {
		t.Errorf("a new SKU that needs nothing is marked: %+v", a)
	}
}

// Assess on hand-computed cases: every number below is worked out in the
// comments from the rules in DESIGN.md section 1.
func TestAssess(t *testing.T) {
	// Print, lead 5: min cover 7, max 14; factory MOQ 20, multiple 10.
	zine := domain.SKU{Code: "ZINE", Name: "Zine", Path: domain.PathPrint, FactoryID: "f1"}
	zine.Settle(domain.Overrides{}, 5)
	digital := domain.SKU{Code: "PDF", Name: "Guide", Path: domain.PathDigital}
	digital.Settle(domain.Overrides{MinCover: new(3)}, 0) // an override kept from a physical past
	// 21 sold over 14 active days: 1.5 a day.
	busy := window(map[int]int{14: 3, 16: 3, 18: 3, 20: 3, 22: 3, 24: 3, 26: 3}, 15, 17, 19, 21, 23, 25, 27)
	old := int64(0)
	rate := domain.Rate{Sold: 21, Days: 14}
	plan := func(position int) domain.Plan {
		return domain.Plan{Rate: rate, Position: position, LeadDays: 5, MinCover: 7, MaxCover: 14, MOQ: 20, Multiple: 10}
	}
	tests := []struct {
		name string
		f    domain.Facts
		want domain.Assessment
	}{
		{
			// Position 12 + 5 = 17 < 1.5 × (5 + 7) = 18: reorder
			// ⌈1.5 × 19 − 17⌉ = 12, raised to 20. Cover 10 ÷ 1.5.
			name: "reorder, raised to the minimum order",
			f: domain.Facts{SKU: zine, MOQ: 20, Multiple: 10, Level: domain.Level{OnHand: 12, Held: 2}, OnOrder: 5,
				Days: busy, FirstEventAt: old},
			want: domain.Assessment{OnHand: 12, Held: 2, Available: 10, OnOrder: 5, Rate: rate, Plan: plan(17),
				CoverDays: 10 / 1.5, Status: domain.StatusReorder, Reorder: true, NeedQty: 20, SuggestedQty: 20},
		},
		{
			name: "paused factory: the need shows, no batch is suggested",
			f: domain.Facts{SKU: zine, MOQ: 20, Multiple: 10, FactoryPaused: true, Level: domain.Level{OnHand: 12, Held: 2}, OnOrder: 5,
				Days: busy, FirstEventAt: old},
			want: domain.Assessment{OnHand: 12, Held: 2, Available: 10, OnOrder: 5, Rate: rate, Plan: plan(17),
				CoverDays: 10 / 1.5, Status: domain.StatusReorder, Reorder: true, Blocked: true, NeedQty: 20, SuggestedQty: 0},
		},
		{
			// Position 9 + 30 = 39 ≥ 18, but 9 available < 1.5 × 7 = 10.5.
			name: "low: enough on order",
			f:    domain.Facts{SKU: zine, MOQ: 20, Multiple: 10, Level: domain.Level{OnHand: 9}, OnOrder: 30, Days: busy},
			want: domain.Assessment{OnHand: 9, Available: 9, OnOrder: 30, Rate: rate, Plan: plan(39),
				CoverDays: 6, Status: domain.StatusLow},
		},
		{
			// 3 sold beyond what was sellable, 1 unit still in QA hold:
			// no cover, not "-2 days". ⌈1.5 × 19 + 2⌉ = 31, to 40.
			name: "oversold with a unit in QA hold",
			f:    domain.Facts{SKU: zine, MOQ: 20, Multiple: 10, Level: domain.Level{OnHand: -2, Held: 1}, Days: busy, FirstEventAt: old},
			want: domain.Assessment{OnHand: -2, Held: 1, Available: -3, Rate: rate, Plan: plan(-2),
				CoverDays: 0, Status: domain.StatusOversold, Reorder: true, NeedQty: 40, SuggestedQty: 40},
		},
		{
			// Nothing in stock, nothing ever sold: 0 days, not ∞.
			name: "new and out of stock",
			f:    domain.Facts{SKU: zine, MOQ: 20, Multiple: 10, Days: window(nil), FirstEventAt: domain.NoEvents},
			want: domain.Assessment{Rate: domain.Rate{Days: 7}, Plan: domain.Plan{Rate: domain.Rate{Days: 7}, LeadDays: 5, MinCover: 7, MaxCover: 14, MOQ: 20, Multiple: 10},
				CoverDays: 0, Status: domain.StatusStockout},
		},
		{
			name: "in stock, nothing sells: endless cover",
			f:    domain.Facts{SKU: zine, Multiple: 1, Level: domain.Level{OnHand: 4}, Days: window(nil, 27)},
			want: domain.Assessment{OnHand: 4, Available: 4, Rate: domain.Rate{Days: 7}, Plan: domain.Plan{Rate: domain.Rate{Days: 7}, Position: 4, LeadDays: 5, MinCover: 7, MaxCover: 14, Multiple: 1},
				CoverDays: math.Inf(1), Status: domain.StatusOK},
		},
		{
			// Sales drove its on hand below zero and it still has batches
			// from its printed past: no stock, nothing on order that
			// counts, every one of the 28 days a selling day.
			name: "digital",
			f: domain.Facts{SKU: digital, Level: domain.Level{OnHand: -14}, OnOrder: 40,
				Days: window(map[int]int{3: 4, 10: 4, 27: 6}), FirstEventAt: old},
			want: domain.Assessment{IdleOnOrder: 40, Rate: domain.Rate{Sold: 14, Days: 28},
				CoverDays: math.Inf(1), Status: domain.StatusDigital},
		},
		{
			// Added as a download during day 24 of the window: its days
			// are 24 to 27, raised to the 7 a rate takes at least. The 3
			// sold are 3 ÷ 7 a day, not 3 ÷ 28.
			name: "digital, added lately",
			f: domain.Facts{SKU: digital, Days: window(map[int]int{25: 1, 27: 2}), FirstEventAt: (10 + 25) * dayMs,
				DigitalSince: (10+24)*dayMs + 3_600_000},
			want: domain.Assessment{Rate: domain.Rate{Sold: 3, Days: 7}, CoverDays: math.Inf(1), Status: domain.StatusDigital},
		},
		{
			// Added during day 10: days 10 to 27, 18 of them.
			name: "digital, added within the window",
			f: domain.Facts{SKU: digital, Days: window(map[int]int{25: 1, 27: 2}), FirstEventAt: (10 + 25) * dayMs,
				DigitalSince: (10+10)*dayMs + 1},
			want: domain.Assessment{Rate: domain.Rate{Sold: 3, Days: 18}, CoverDays: math.Inf(1), Status: domain.StatusDigital},
		},
		{
			// Added on day 24, but sold on day 3, before it was added
			// here: its history came in by an import. Every day from
			// that first sale counts, 25 of them.
			name: "digital, added after its first sale",
			f: domain.Facts{SKU: digital, Days: window(map[int]int{3: 1, 27: 2}), FirstEventAt: (10 + 3) * dayMs,
				DigitalSince: (10 + 24) * dayMs},
			want: domain.Assessment{Rate: domain.Rate{Sold: 3, Days: 25}, CoverDays: math.Inf(1), Status: domain.StatusDigital},
		},
		{
			// Added today, one sale backdated to yesterday: the two days
			// count, raised to 7.
			name: "digital, sold the day before it was added",
			f: domain.Facts{SKU: digital, Days: window(map[int]int{26: 1, 27: 2}), FirstEventAt: (10 + 26) * dayMs,
				DigitalSince: (10 + 27) * dayMs},
			want: domain.Assessment{Rate: domain.Rate{Sold: 3, Days: 7}, CoverDays: math.Inf(1), Status: domain.StatusDigital},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.Assess(tt.f); got != tt.want {
				t.Errorf("Assess =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
	if digital.MinCover != 0 || digital.MaxCover != 0 || digital.LeadDays != 0 {
		t.Errorf("a digital SKU settles to lead %d, cover %d to %d; want none", digital.LeadDays, digital.MinCover, digital.MaxCover)
	}
}

// What a till shows right after a sale, before the ledger is read again.
func TestAssessmentWithAvailable(t *testing.T) {
	a := domain.Assess(domain.Facts{SKU: handmade(), Multiple: 1, Level: domain.Level{OnHand: 30},
		Days: window(map[int]int{20: 7}, 21, 22, 23, 24, 25, 26), FirstEventAt: 0})
	if a.Status != domain.StatusOK {
		t.Fatalf("status %s, want ok to start with", a.Status)
	}
	tests := []struct {
		available int
		want      domain.Status
		cover     float64
	}{
		{30, domain.StatusOK, 30},
		{10, domain.StatusReorder, 10}, // position 10 < 1 × 14
		{0, domain.StatusStockout, 0},
		{-1, domain.StatusOversold, 0},
	}
	for _, tt := range tests {
		got := a.WithAvailable(tt.available)
		if got.Status != tt.want || got.CoverDays != tt.cover || got.Available != tt.available || got.OnHand != tt.available || got.Plan.Position != tt.available {
			t.Errorf("WithAvailable(%d) = %s, cover %v, available %d, on hand %d, position %d; want %s, cover %v",
				tt.available, got.Status, got.CoverDays, got.Available, got.OnHand, got.Plan.Position, tt.want, tt.cover)
		}
	}
	d := domain.Assess(domain.Facts{SKU: domain.SKU{Code: "PDF", Path: domain.PathDigital}, Days: window(nil)})
	if got := d.WithAvailable(-5); got != d {
		t.Errorf("a digital SKU's assessment moved with a sale: %+v", got)
	}
}

// A maximum cover set below the minimum (a factory's lead time grew since,
// raising the minimum) orders up to the minimum: 14 days of a handmade
// SKU at 1 a day with max set to 9 asked for 7 + 9 − 6 = 10 with 6 on
// hand, leaving the position at 16, under the reorder point of 7 + 14 =
// 21, so each order was followed by the next.
func TestAMaximumCoverBelowTheMinimumOrdersUpToTheMinimum(t *testing.T) {
	sku := handmade()
	nine := 9
	fourteen := 14
	sku.Settle(domain.Overrides{MinCover: &fourteen, MaxCover: &nine}, 7)
	a := domain.Assess(domain.Facts{SKU: sku, Multiple: 1, Level: domain.Level{OnHand: 6},
		Days: window(map[int]int{0: 7, 7: 7, 14: 7, 21: 7}, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 22, 23, 24, 25, 26, 27)})
	if a.Rate.PerDay() != 1 || !a.Reorder {
		t.Fatalf("rate %v a day, reorder %v; want 1 a day and a reorder", a.Rate.PerDay(), a.Reorder)
	}
	if after := a.Plan.Position + a.SuggestedQty; float64(after) < a.Plan.ReorderPoint() {
		t.Errorf("suggested %d leaves the position at %d, under the reorder point %v", a.SuggestedQty, after, a.Plan.ReorderPoint())
	}
}
