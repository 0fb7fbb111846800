package app

import "testing"

// A row of return rates says in a word why it heads the list: paused for
// quality, by its returns or by a pause that holds under the limit since;
// past 3 % on too few units sold to pause. A maker compared each rate
// with 3 % in their head.
func TestQualityMark(t *testing.T) {
	for _, c := range []struct {
		what string
		r    FactoryReturns
		want string
	}{
		{"paused by its returns", FactoryReturns{Factory: "Zinc", Sold: 40, Quality: 3, QualityPaused: true}, "paused"},
		{"paused, diluted under the limit since", FactoryReturns{Factory: "Zinc", Sold: 40, Quality: 1, QualityPaused: true}, "paused"},
		{"paused, nothing sold in the period", FactoryReturns{Factory: "Zinc", QualityPaused: true}, "paused"},
		{"past the limit on too few sold", FactoryReturns{Factory: "Birch", Sold: 10, Quality: 1}, "past 3 %"},
		{"past the limit over another period than the pause's", FactoryReturns{Factory: "Birch", Sold: 40, Quality: 2}, "past 3 %"},
		{"at the limit", FactoryReturns{Factory: "Anvil", Sold: 100, Quality: 3}, ""},
		{"under it", FactoryReturns{Factory: "Anvil", Sold: 40, Quality: 1}, ""},
		{"digital: no factory to pause", FactoryReturns{Sold: 10, Quality: 1}, ""},
	} {
		if got := c.r.QualityMark(); got != c.want {
			t.Errorf("%s: %+v is marked %q, want %q", c.what, c.r, got, c.want)
		}
	}
}

// Every rate of a list shows with the same decimals: one, or as many as
// tell a rate beside the limit from it in every row. "3.03 %" stood
// beside "2 %".
func TestRateDecimals(t *testing.T) {
	for _, c := range []struct {
		rows []FactoryReturns
		want []string // each row's quality rate
	}{
		{[]FactoryReturns{{Sold: 40, Quality: 3}, {Sold: 100, Quality: 2}, {Sold: 0, Quality: 1}}, []string{"7.5 %", "2.0 %", "n/a"}},
		{[]FactoryReturns{{Sold: 33, Quality: 1}, {Sold: 100, Quality: 2}, {Sold: 40}}, []string{"3.03 %", "2.00 %", "0.00 %"}},
		// A logistics rate beside the limit tells the quality rates too:
		// the chart shows every class's share.
		{[]FactoryReturns{{Sold: 33, Logistics: 1}, {Sold: 40, Quality: 3}}, []string{"0.00 %", "7.50 %"}},
	} {
		decimals := RateDecimals(c.rows)
		for i, r := range c.rows {
			if got := r.RateText(r.Quality, decimals); got != c.want[i] {
				t.Errorf("%+v in %+v: quality rate %q, want %q", r, c.rows, got, c.want[i])
			}
		}
	}
}
