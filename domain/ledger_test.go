package domain_test

import (
	"slices"
	"testing"

	"microshop/domain"
)

const dayMs = int64(24 * 60 * 60 * 1000)

// days returns a window of n days starting at day 10 (so there is room for
// movements before it), ending at the end of its last day.
func days(n int) domain.Window {
	w := domain.Window{End: (10 + int64(n)) * dayMs}
	for i := range n {
		w.DayStarts = append(w.DayStarts, (10+int64(i))*dayMs)
	}
	return w
}

// at is a moment h hours into day d of the window from days.
func at(d int, h int64) int64 { return (10+int64(d))*dayMs + h*60*60*1000 }

func sale(at int64, n int) domain.Movement {
	return domain.Movement{At: at, OnHand: -n, Sold: n}
}

func receipt(at int64, units, held int) domain.Movement {
	return domain.Movement{At: at, OnHand: units, Held: held}
}

func count(at int64, onHand int) domain.Movement {
	return domain.Movement{At: at, Count: true, OnHand: onHand}
}

func TestReplayWindow(t *testing.T) {
	tests := []struct {
		name        string
		start       domain.Level
		moves       []domain.Movement
		w           domain.Window
		wantAtStart domain.Level
		wantAtEnd   domain.Level
		wantDays    []domain.Day
	}{
		{
			name:        "count sets on hand, held units included",
			start:       domain.Level{OnHand: 5, Held: 2},
			moves:       []domain.Movement{count(at(0, 9), 10)},
			w:           days(1),
			wantAtStart: domain.Level{OnHand: 5, Held: 2},
			wantAtEnd:   domain.Level{OnHand: 10, Held: 2},
			wantDays:    []domain.Day{{Start: at(0, 0), Available: 8, Active: true}},
		},
		{
			name:        "count after sales replaces them",
			start:       domain.Level{OnHand: 10},
			moves:       []domain.Movement{sale(at(0, 9), 3), count(at(0, 12), 4), sale(at(0, 15), 1)},
			w:           days(1),
			wantAtStart: domain.Level{OnHand: 10},
			wantAtEnd:   domain.Level{OnHand: 3},
			wantDays:    []domain.Day{{Start: at(0, 0), Sold: 4, Available: 3, Active: true}},
		},
		{
			name:        "deltas add up, held units are not available",
			start:       domain.Level{},
			moves:       []domain.Movement{receipt(at(0, 9), 20, 2), sale(at(0, 10), 3), {At: at(0, 11), Held: -2}},
			w:           days(1),
			wantAtStart: domain.Level{},
			wantAtEnd:   domain.Level{OnHand: 17, Held: 0},
			wantDays:    []domain.Day{{Start: at(0, 0), Sold: 3, Available: 17, Active: true}},
		},
		{
			name:        "rejected held units leave stock",
			start:       domain.Level{OnHand: 20, Held: 2},
			moves:       []domain.Movement{{At: at(0, 9), OnHand: -2, Held: -2}},
			w:           days(1),
			wantAtStart: domain.Level{OnHand: 20, Held: 2},
			wantAtEnd:   domain.Level{OnHand: 18},
			wantDays:    []domain.Day{{Start: at(0, 0), Available: 18, Active: true}},
		},
		{
			name:        "movements before the window only move the level",
			start:       domain.Level{},
			moves:       []domain.Movement{receipt(at(-3, 9), 10, 0), sale(at(-1, 9), 4), count(at(-1, 20), 5)},
			w:           days(2),
			wantAtStart: domain.Level{OnHand: 5},
			wantAtEnd:   domain.Level{OnHand: 5},
			wantDays:    []domain.Day{{Start: at(0, 0), Available: 5, Active: true}, {Start: at(1, 0), Available: 5, Active: true}},
		},
		{
			name:        "movement at the window start is in the first day",
			start:       domain.Level{OnHand: 5},
			moves:       []domain.Movement{sale(at(0, 0), 2)},
			w:           days(1),
			wantAtStart: domain.Level{OnHand: 5},
			wantAtEnd:   domain.Level{OnHand: 3},
			wantDays:    []domain.Day{{Start: at(0, 0), Sold: 2, Available: 3, Active: true}},
		},
		{
			name:        "movement at a day start belongs to that day",
			start:       domain.Level{OnHand: 5},
			moves:       []domain.Movement{sale(at(1, 0), 2)},
			w:           days(2),
			wantAtStart: domain.Level{OnHand: 5},
			wantAtEnd:   domain.Level{OnHand: 3},
			wantDays:    []domain.Day{{Start: at(0, 0), Available: 5, Active: true}, {Start: at(1, 0), Sold: 2, Available: 3, Active: true}},
		},
		{
			name:        "movements at or after the end are ignored",
			start:       domain.Level{OnHand: 5},
			moves:       []domain.Movement{sale(at(0, 23), 1), sale(at(1, 0), 2), count(at(3, 0), 50)},
			w:           days(1),
			wantAtStart: domain.Level{OnHand: 5},
			wantAtEnd:   domain.Level{OnHand: 4},
			wantDays:    []domain.Day{{Start: at(0, 0), Sold: 1, Available: 4, Active: true}},
		},
		{
			name:        "end earlier than the last day's end",
			start:       domain.Level{OnHand: 5},
			moves:       []domain.Movement{sale(at(1, 9), 1), sale(at(1, 15), 2)},
			w:           domain.Window{DayStarts: []int64{at(0, 0), at(1, 0)}, End: at(1, 12)},
			wantAtStart: domain.Level{OnHand: 5},
			wantAtEnd:   domain.Level{OnHand: 4},
			wantDays:    []domain.Day{{Start: at(0, 0), Available: 5, Active: true}, {Start: at(1, 0), Sold: 1, Available: 4, Active: true}},
		},
		{
			name:        "stockout day with no sale is inactive",
			start:       domain.Level{OnHand: 1},
			moves:       []domain.Movement{sale(at(0, 9), 1)},
			w:           days(3),
			wantAtStart: domain.Level{OnHand: 1},
			wantAtEnd:   domain.Level{},
			wantDays: []domain.Day{
				{Start: at(0, 0), Sold: 1, Available: 0, Active: true},
				{Start: at(1, 0), Available: 0, Active: false},
				{Start: at(2, 0), Available: 0, Active: false},
			},
		},
		{
			name:        "a forced sale on a stockout day makes it active",
			start:       domain.Level{},
			moves:       []domain.Movement{sale(at(1, 9), 1)},
			w:           days(2),
			wantAtStart: domain.Level{},
			wantAtEnd:   domain.Level{OnHand: -1},
			wantDays: []domain.Day{
				{Start: at(0, 0), Available: 0, Active: false},
				{Start: at(1, 0), Sold: 1, Available: -1, Active: true},
			},
		},
		{
			name:        "a day starting at zero with a receipt is active",
			start:       domain.Level{},
			moves:       []domain.Movement{receipt(at(1, 16), 10, 0)},
			w:           days(3),
			wantAtStart: domain.Level{},
			wantAtEnd:   domain.Level{OnHand: 10},
			wantDays: []domain.Day{
				{Start: at(0, 0), Available: 0, Active: false},
				{Start: at(1, 0), Available: 10, Active: true},
				{Start: at(2, 0), Available: 10, Active: true},
			},
		},
		{
			name:        "units all held are not available",
			start:       domain.Level{},
			moves:       []domain.Movement{receipt(at(0, 9), 3, 3)},
			w:           days(2),
			wantAtStart: domain.Level{},
			wantAtEnd:   domain.Level{OnHand: 3, Held: 3},
			wantDays: []domain.Day{
				{Start: at(0, 0), Available: 0, Active: false},
				{Start: at(1, 0), Available: 0, Active: false},
			},
		},
		{
			name:        "sold out and restocked the same day",
			start:       domain.Level{OnHand: 2},
			moves:       []domain.Movement{sale(at(0, 9), 2), receipt(at(0, 15), 6, 0)},
			w:           days(1),
			wantAtStart: domain.Level{OnHand: 2},
			wantAtEnd:   domain.Level{OnHand: 6},
			wantDays:    []domain.Day{{Start: at(0, 0), Sold: 2, Available: 6, Active: true}},
		},
		{
			name:        "no movements",
			start:       domain.Level{OnHand: 4, Held: 1},
			w:           days(2),
			wantAtStart: domain.Level{OnHand: 4, Held: 1},
			wantAtEnd:   domain.Level{OnHand: 4, Held: 1},
			wantDays:    []domain.Day{{Start: at(0, 0), Available: 3, Active: true}, {Start: at(1, 0), Available: 3, Active: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.ReplayWindow(tt.start, tt.moves, tt.w)
			if got.AtStart != tt.wantAtStart {
				t.Errorf("AtStart = %+v, want %+v", got.AtStart, tt.wantAtStart)
			}
			if got.AtEnd != tt.wantAtEnd {
				t.Errorf("AtEnd = %+v, want %+v", got.AtEnd, tt.wantAtEnd)
			}
			if !slices.Equal(got.Days, tt.wantDays) {
				t.Errorf("Days =\n  %+v\nwant\n  %+v", got.Days, tt.wantDays)
			}
		})
	}
}

func TestReplayRate(t *testing.T) {
	tests := []struct {
		name  string
		start domain.Level
		moves []domain.Movement
		want  domain.Rate
	}{
		{
			name:  "nothing ever",
			start: domain.Level{},
			want:  domain.Rate{Sold: 0, Days: domain.MinRateDays},
		},
		{
			name:  "in stock all window, one a day",
			start: domain.Level{OnHand: 100},
			moves: func() []domain.Movement {
				var ms []domain.Movement
				for d := range domain.RateWindowDays {
					ms = append(ms, sale(at(d, 12), 1))
				}
				return ms
			}(),
			want: domain.Rate{Sold: 28, Days: 28},
		},
		{
			name:  "new SKU received on day 20 does not count earlier days",
			start: domain.Level{},
			moves: []domain.Movement{receipt(at(20, 9), 10, 0), sale(at(20, 12), 2), sale(at(23, 12), 3), sale(at(27, 12), 3)},
			want:  domain.Rate{Sold: 8, Days: 8},
		},
		{
			name:  "stockout days do not dilute",
			start: domain.Level{OnHand: 14},
			// Sells two a day for seven days, then is out for the rest.
			moves: func() []domain.Movement {
				var ms []domain.Movement
				for d := range 7 {
					ms = append(ms, sale(at(d, 12), 2))
				}
				return ms
			}(),
			want: domain.Rate{Sold: 14, Days: 7},
		},
		{
			name:  "sales before the window do not count",
			start: domain.Level{OnHand: 30},
			moves: []domain.Movement{sale(at(-2, 12), 10), sale(at(5, 12), 1)},
			want:  domain.Rate{Sold: 1, Days: 28},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.ReplayWindow(tt.start, tt.moves, days(domain.RateWindowDays)).Rate()
			if got != tt.want {
				t.Errorf("Rate() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLevelAvailable(t *testing.T) {
	tests := []struct {
		l    domain.Level
		want int
	}{
		{domain.Level{OnHand: 10, Held: 1}, 9},
		{domain.Level{OnHand: 3, Held: 3}, 0},
		{domain.Level{OnHand: -1}, -1},
	}
	for _, tt := range tests {
		if got := tt.l.Available(); got != tt.want {
			t.Errorf("%+v.Available() = %d, want %d", tt.l, got, tt.want)
		}
	}
}
