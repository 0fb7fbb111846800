package domain_test

import (
	"math"
	"testing"

	"pgregory.net/rapid"

	"microshop/domain"
)

func TestDailyRate(t *testing.T) {
	tests := []struct {
		name   string
		sold   int
		active int
		want   domain.Rate
	}{
		{"full window", 28, 28, domain.Rate{Sold: 28, Days: 28}},
		{"only active days count", 14, 10, domain.Rate{Sold: 14, Days: 10}},
		{"exactly the floor", 14, 7, domain.Rate{Sold: 14, Days: 7}},
		// A new SKU's busy first day: 28 sold on its only day is 4 a day,
		// not 28, so it does not ask for a month of stock.
		{"one busy first day divides by the floor", 28, 1, domain.Rate{Sold: 28, Days: 7}},
		{"no active days is the floor", 5, 0, domain.Rate{Sold: 5, Days: 7}},
		{"negative days is the floor", 5, -3, domain.Rate{Sold: 5, Days: 7}},
		{"nothing at all", 0, 0, domain.Rate{Sold: 0, Days: 7}},
		{"net returns are no sales", -2, 9, domain.Rate{Sold: 0, Days: 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.DailyRate(tt.sold, tt.active); got != tt.want {
				t.Errorf("DailyRate(%d, %d) = %+v, want %+v", tt.sold, tt.active, got, tt.want)
			}
		})
	}
}

func TestRatePerDay(t *testing.T) {
	tests := []struct {
		name string
		r    domain.Rate
		want float64
	}{
		{"one a day", domain.Rate{Sold: 28, Days: 28}, 1},
		{"half a day", domain.Rate{Sold: 7, Days: 14}, 0.5},
		{"zero", domain.Rate{Sold: 0, Days: 1}, 0},
		{"zero value", domain.Rate{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.PerDay(); got != tt.want {
				t.Errorf("%+v.PerDay() = %v, want %v", tt.r, got, tt.want)
			}
		})
	}
}

// base is the worked example: 28 sold over 28 days, lead 7, min 7, max 14.
func base() domain.Plan {
	return domain.Plan{Rate: domain.DailyRate(28, 28), LeadDays: 7, MinCover: 7, MaxCover: 14, Multiple: 1}
}

func TestPlanNeedsReorder(t *testing.T) {
	tests := []struct {
		name string
		edit func(*domain.Plan)
		want bool
	}{
		{"below the point", func(p *domain.Plan) { p.Position = 13 }, true},
		{"exactly at the point", func(p *domain.Plan) { p.Position = 14 }, false},
		{"above the point", func(p *domain.Plan) { p.Position = 20 }, false},
		{"nothing at all", func(p *domain.Plan) { p.Position = 0 }, true},
		{"oversold", func(p *domain.Plan) { p.Position = -3 }, true},
		{"nothing sells", func(p *domain.Plan) { p.Rate, p.Position = domain.DailyRate(0, 28), 0 }, false},
		{"zero rate value", func(p *domain.Plan) { p.Rate, p.Position = domain.Rate{}, 0 }, false},
		{"stockout days do not dilute", func(p *domain.Plan) { p.Rate, p.Position = domain.DailyRate(14, 7), 27 }, true},
		// 25 sold over 3 days × (8 + 7) = exactly 125; in floating point 125.00000000000001.
		{"exact point with a fractional rate", func(p *domain.Plan) {
			p.Rate, p.LeadDays, p.MinCover, p.Position = domain.Rate{Sold: 25, Days: 3}, 8, 7, 125
		}, false},
		{"one below exact point with a fractional rate", func(p *domain.Plan) {
			p.Rate, p.LeadDays, p.MinCover, p.Position = domain.Rate{Sold: 25, Days: 3}, 8, 7, 124
		}, true},
		{"zero lead and cover", func(p *domain.Plan) { p.LeadDays, p.MinCover, p.Position = 0, 0, 0 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.edit(&p)
			if got := p.NeedsReorder(); got != tt.want {
				t.Errorf("%+v.NeedsReorder() = %v, want %v", p, got, tt.want)
			}
		})
	}
}

func TestPlanReorderPoint(t *testing.T) {
	p := base()
	if got, want := p.ReorderPoint(), 14.0; got != want {
		t.Errorf("ReorderPoint() = %v, want %v", got, want)
	}
}

func TestPlanSuggestedQty(t *testing.T) {
	tests := []struct {
		name string
		edit func(*domain.Plan)
		want int
	}{
		{"worked example", func(p *domain.Plan) { p.Position = 13 }, 8},
		{"from nothing", func(p *domain.Plan) { p.Position = 0 }, 21},
		{"oversold adds back", func(p *domain.Plan) { p.Position = -4 }, 25},
		{"MOQ raises", func(p *domain.Plan) { p.Position, p.MOQ = 13, 50 }, 50},
		{"MOQ below need changes nothing", func(p *domain.Plan) { p.Position, p.MOQ = 13, 5 }, 8},
		{"MOQ one above need", func(p *domain.Plan) { p.Position, p.MOQ = 13, 9 }, 9},
		{"MOQ equal to need", func(p *domain.Plan) { p.Position, p.MOQ = 13, 8 }, 8},
		{"multiple rounds up", func(p *domain.Plan) { p.Position, p.Multiple = 13, 12 }, 12},
		{"already a multiple", func(p *domain.Plan) { p.Position, p.Multiple = 13, 4 }, 8},
		{"MOQ then multiple", func(p *domain.Plan) { p.Position, p.MOQ, p.Multiple = 13, 50, 12 }, 60},
		{"multiple zero means any", func(p *domain.Plan) { p.Position, p.Multiple = 13, 0 }, 8},
		{"fractional need rounds up", func(p *domain.Plan) {
			p.Rate, p.Position = domain.DailyRate(10, 28), 0 // 10/28 × 21 = 7.5
		}, 8},
		// 7 sold over 3 days × (13 + 14) = exactly 63; in floating point 63.00000000000001.
		{"exact need with a fractional rate", func(p *domain.Plan) {
			p.Rate, p.LeadDays, p.MaxCover, p.Position = domain.Rate{Sold: 7, Days: 3}, 13, 14, 10
		}, 53},
		// 1 sold over 10 days × 30 = exactly 3; in floating point 3.0000000000000004.
		{"tenth of a unit a day", func(p *domain.Plan) {
			p.Rate, p.LeadDays, p.MaxCover, p.Position = domain.DailyRate(1, 10), 10, 20, 0
		}, 3},
		{"up to max already", func(p *domain.Plan) { p.Position = 21 }, 0},
		{"above max with MOQ", func(p *domain.Plan) { p.Position, p.MOQ, p.Multiple = 30, 50, 12 }, 0},
		{"nothing sells", func(p *domain.Plan) { p.Rate, p.Position, p.MOQ = domain.DailyRate(0, 28), 0, 50 }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.edit(&p)
			if got := p.SuggestedQty(); got != tt.want {
				t.Errorf("%+v.SuggestedQty() = %d, want %d", p, got, tt.want)
			}
		})
	}
}

// TestSuggestedQtyProperty checks, in exact integers, that whenever a reorder
// is due the suggestion brings the position up to r × (lead + max cover),
// respects the minimum order and the batch multiple, and orders no more than
// needed when neither applies.
func TestSuggestedQtyProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		minCover := rapid.IntRange(0, domain.MaxLeadDays).Draw(t, "min")
		p := domain.Plan{
			Rate:     domain.DailyRate(rapid.IntRange(0, 5000).Draw(t, "sold"), rapid.IntRange(0, domain.RateWindowDays).Draw(t, "days")),
			Position: rapid.IntRange(-100, 50_000).Draw(t, "position"),
			LeadDays: rapid.IntRange(0, domain.MaxLeadDays).Draw(t, "lead"),
			MinCover: minCover,
			MaxCover: rapid.IntRange(minCover, domain.MaxLeadDays).Draw(t, "max"),
			MOQ:      rapid.IntRange(0, 1000).Draw(t, "moq"),
			Multiple: rapid.IntRange(1, 100).Draw(t, "multiple"),
		}
		if !p.NeedsReorder() {
			return
		}
		q := p.SuggestedQty()
		target := int64(p.Rate.Sold) * int64(p.LeadDays+p.MaxCover) // r × (lead + max), scaled by Days
		if got := int64(p.Position+q) * int64(p.Rate.Days); got < target {
			t.Fatalf("position %d + suggested %d = %d < %d/%d × %d", p.Position, q, p.Position+q, p.Rate.Sold, p.Rate.Days, p.LeadDays+p.MaxCover)
		}
		if q < 1 {
			t.Fatalf("suggested %d, want at least 1 when a reorder is due", q)
		}
		if q < p.MOQ {
			t.Fatalf("suggested %d, below MOQ %d", q, p.MOQ)
		}
		if q%p.Multiple != 0 {
			t.Fatalf("suggested %d, not a multiple of %d", q, p.Multiple)
		}
		if p.MOQ <= 1 && p.Multiple == 1 {
			if got := int64(p.Position+q-1) * int64(p.Rate.Days); got >= target {
				t.Fatalf("suggested %d, but %d would already reach %d/%d × %d", q, q-1, p.Rate.Sold, p.Rate.Days, p.LeadDays+p.MaxCover)
			}
		}
	})
}

func TestCoverDays(t *testing.T) {
	tests := []struct {
		name      string
		available int
		r         domain.Rate
		want      float64
		wantFin   bool
	}{
		{"one a day", 14, domain.DailyRate(28, 28), 14, true},
		{"two a day", 10, domain.DailyRate(20, 10), 5, true},
		{"none left", 0, domain.DailyRate(28, 28), 0, true},
		// Cover is what is left to sell: an oversold SKU has none, not
		// "-2 days", and neither has a new SKU with nothing in stock.
		{"oversold", -2, domain.DailyRate(28, 28), 0, true},
		{"nothing sold", 5, domain.DailyRate(0, 28), math.Inf(1), false},
		{"nothing sold and none left", 0, domain.DailyRate(0, 28), 0, true},
		{"nothing sold and oversold", -1, domain.DailyRate(0, 28), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fin := domain.CoverDays(tt.available, tt.r)
			if got != tt.want || fin != tt.wantFin {
				t.Errorf("CoverDays(%d, %+v) = %v, %v; want %v, %v", tt.available, tt.r, got, fin, tt.want, tt.wantFin)
			}
		})
	}
}
