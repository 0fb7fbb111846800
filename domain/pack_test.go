package domain

import "testing"

func TestPackQtyFollowsTheRule(t *testing.T) {
	cases := []struct {
		name                string
		fairUnits, fairDays int
		overall             float64
		days, atMain, there int
		want                int
		wantRate            float64
	}{
		// 12 units over 4 fair days: 3 a day × 2 days × 1.5 = 9.
		{"fair history", 12, 4, 0.5, 2, 50, 0, 9, 3},
		// Never at a fair: 0.5 a day overall × 2 = 1 a day; × 3 × 1.5 = 4.5, up to 5.
		{"no fair history", 0, 0, 0.5, 3, 50, 0, 5, 1},
		{"capped by main", 12, 4, 0.5, 2, 6, 0, 6, 3},
		// 9 wanted, 4 at the fair already.
		{"some there already", 12, 4, 0.5, 2, 50, 4, 5, 3},
		{"enough there already", 12, 4, 0.5, 2, 50, 9, 0, 3},
		{"one to show, there already", 0, 0, 0, 2, 10, 1, 0, 0},
		{"nothing sells: one to show", 0, 0, 0, 2, 10, 0, 1, 0},
		{"nothing at main", 12, 4, 0.5, 2, 0, 0, 0, 3},
		{"negative main (oversold)", 12, 4, 0.5, 2, -3, 0, 0, 3},
		// 7 over 3 days = 2.333 × 1 × 1.5 = 3.5, up to 4.
		{"rounds up", 7, 3, 0, 1, 50, 0, 4, 7.0 / 3},
	}
	for _, c := range cases {
		rate := FairRate(c.fairUnits, c.fairDays, c.overall)
		if rate != c.wantRate {
			t.Errorf("%s: fair rate %v, want %v", c.name, rate, c.wantRate)
		}
		if got := PackQty(rate, c.days, c.atMain, c.there); got != c.want {
			t.Errorf("%s: pack %d, want %d", c.name, got, c.want)
		}
	}
}

func TestFairDaysRefusesOutsideOneToThirty(t *testing.T) {
	for _, d := range []int{0, -1, 31} {
		if ValidateFairDays(d) == nil {
			t.Errorf("%d days accepted", d)
		}
	}
	if ValidateFairDays(3) != nil {
		t.Error("3 days refused")
	}
}
