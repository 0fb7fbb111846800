package domain

import "testing"

// A microfactory pin selling 56 units in 28 days (r = 2 a day), holding
// rate 25 % a year, two candidates worked out by hand:
//
// local: unit 4.00, no shipping, no MOQ, lead 7 days
//
//	c = 4.00; lead 7 ≤ 14 so C = 14, max = 28
//	Q = ⌈2 × (28 − 14)⌉ = 28
//	A = 2 × 14 + 28 ÷ 2 = 42 units; cash = 42 × 4.00 = 168.00
//	holding = 4.00 × 0.25 × (42 ÷ 2) ÷ 365 = 21 ÷ 365 = 0.0575… → 0.06
//	total = 4.06; a run of 100: 100 × 4.00 ÷ 100 = 4.00
//
// overseas: unit 2.50 + shipping 0.50, MOQ 500, multiple 100, lead 45 days
//
//	c = 3.00; lead 45 > 14 so C = 28, max = 56
//	Q = ⌈2 × 28⌉ = 56, raised to the MOQ 500, a multiple of 100: 500
//	A = 2 × 28 + 500 ÷ 2 = 306 units; cash = 306 × 3.00 = 918.00
//	holding = 3.00 × 0.25 × (306 ÷ 2) ÷ 365 = 114.75 ÷ 365 = 0.3143… → 0.31
//	total = 3.31; a run of 100: max(500, 100) × 3.00 ÷ 100 = 15.00
func TestCompareSourcesByHand(t *testing.T) {
	local := Quote{Factory: "Pin Lab", UnitCost: 400, LeadDays: 7, Multiple: 1}
	overseas := Quote{Factory: "Shenzhen Pins", UnitCost: 250, Shipping: 50, MOQ: 500, Multiple: 100, LeadDays: 45}
	in := SourcingInput{Path: PathMicrofactory, Rate: Rate{Sold: 56, Days: 28}, HoldingRate: 25, Run: 100}
	got, best := CompareSources(in, []Quote{local, overseas})
	want := []struct {
		landed, cash, holding, total, run Money
		minC, maxC, q                     int
		avg                               float64
	}{
		{landed: 400, cash: 16800, holding: 6, total: 406, run: 400, minC: 14, maxC: 28, q: 28, avg: 42},
		{landed: 300, cash: 91800, holding: 31, total: 331, run: 1500, minC: 28, maxC: 56, q: 500, avg: 306},
	}
	for i, w := range want {
		g := got[i]
		if g.LandedCost != w.landed || g.CashTied != w.cash || g.HoldingPerUnit != w.holding || g.TotalPerUnit != w.total ||
			g.RunCostPerUnit != w.run || g.MinCover != w.minC || g.MaxCover != w.maxC || g.OrderQty != w.q || g.AvgUnits != w.avg {
			t.Errorf("%s: got landed %s C %d max %d Q %d A %v cash %s holding %s total %s run %s, want %+v", g.Factory,
				g.LandedCost, g.MinCover, g.MaxCover, g.OrderQty, g.AvgUnits, g.CashTied, g.HoldingPerUnit, g.TotalPerUnit, g.RunCostPerUnit, w)
		}
	}
	if best != 1 {
		t.Errorf("recommended %d, want 1 (overseas, 3.31 against 4.06)", best)
	}
	if r := SourcingReason(got, best, "EUR"); r != "Shenzhen Pins costs 3.31 a unit sold, holding included, against 4.06 from Pin Lab: its landed cost is lower. For the limited run alone, Pin Lab costs less: 4.00 a unit against 15.00." {
		t.Errorf("reason %q", r)
	}
}

// A slow new design, r = 0.5 a day (typed as --rate 0.5), the same two
// factories: now holding 500 units decides it.
//
// local: C = 14, Q = ⌈0.5 × 14⌉ = 7, A = 0.5 × 14 + 7 ÷ 2 = 10.5, cash = 42.00,
// holding = 4.00 × 0.25 × (10.5 ÷ 0.5) ÷ 365 = 0.0575… → 0.06, total 4.06
// overseas: C = 28, Q = 500, A = 0.5 × 28 + 250 = 264, cash = 792.00,
// holding = 3.00 × 0.25 × (264 ÷ 0.5) ÷ 365 = 396 ÷ 365 = 1.0849… → 1.08, total 4.08
func TestCompareSourcesSlowSellerStaysLocal(t *testing.T) {
	rate, err := ParseAssumedRate("0.5")
	if err != nil {
		t.Fatal(err)
	}
	local := Quote{Factory: "Pin Lab", UnitCost: 400, LeadDays: 7, Multiple: 1}
	overseas := Quote{Factory: "Shenzhen Pins", UnitCost: 250, Shipping: 50, MOQ: 500, Multiple: 100, LeadDays: 45}
	got, best := CompareSources(SourcingInput{Path: PathMicrofactory, Rate: rate, HoldingRate: 25}, []Quote{local, overseas})
	if got[0].OrderQty != 7 || got[0].AvgUnits != 10.5 || got[0].CashTied != 4200 || got[0].TotalPerUnit != 406 {
		t.Errorf("local: Q %d A %v cash %s total %s, want 7, 10.5, 42.00, 4.06", got[0].OrderQty, got[0].AvgUnits, got[0].CashTied, got[0].TotalPerUnit)
	}
	if got[1].AvgUnits != 264 || got[1].CashTied != 79200 || got[1].HoldingPerUnit != 108 || got[1].TotalPerUnit != 408 {
		t.Errorf("overseas: A %v cash %s holding %s total %s, want 264, 792.00, 1.08, 4.08", got[1].AvgUnits, got[1].CashTied, got[1].HoldingPerUnit, got[1].TotalPerUnit)
	}
	if best != 0 {
		t.Errorf("recommended %d, want 0 (local, 4.06 against 4.08)", best)
	}
	if got[0].RunCostPerUnit != 0 {
		t.Errorf("no run asked, yet run cost %s", got[0].RunCostPerUnit)
	}
}

// Equal totals go to the shorter lead time; a SKU's minimum-cover override
// replaces the path's default whatever the lead time.
//
// handmade, r = 1 (7 in 7 days), min cover overridden to 10 (max 20):
// both c = 2.00, Q = ⌈1 × 10⌉ = 10, A = 10 + 5 = 15, holding 0 % = 0.
func TestCompareSourcesTieAndOverride(t *testing.T) {
	ten := 10
	in := SourcingInput{Path: PathHandmade, Over: Overrides{MinCover: &ten}, Rate: Rate{Sold: 7, Days: 7}, HoldingRate: 0}
	slow := Quote{Factory: "Slow", UnitCost: 200, LeadDays: 30, Multiple: 1}
	fast := Quote{Factory: "Fast", UnitCost: 150, Shipping: 50, LeadDays: 3, Multiple: 1}
	got, best := CompareSources(in, []Quote{slow, fast})
	if best != 1 {
		t.Errorf("recommended %d, want 1 (the same 2.00, 3 days against 30)", best)
	}
	for _, g := range got {
		if g.MinCover != 10 || g.MaxCover != 20 || g.OrderQty != 10 || g.AvgUnits != 15 || g.TotalPerUnit != 200 {
			t.Errorf("%s: C %d max %d Q %d A %v total %s, want 10, 20, 10, 15, 2.00", g.Factory, g.MinCover, g.MaxCover, g.OrderQty, g.AvgUnits, g.TotalPerUnit)
		}
	}
	want := "Fast and Slow both cost 2.00 a unit sold, holding included, and Fast delivers sooner (3 days against 30)."
	if r := SourcingReason(got, best, "EUR"); r != want {
		t.Errorf("reason %q, want %q", r, want)
	}
}

// A run of 130 from a factory with MOQ 100 in multiples of 50 makes 150:
// 150 × 3.00 ÷ 130 = 3.4615… → 3.46. A run of 40 makes the MOQ, 100:
// 100 × 3.00 ÷ 40 = 7.50.
func TestRunCostPerUnit(t *testing.T) {
	for _, c := range []struct {
		n, moq, mult int
		want         Money
	}{{130, 100, 50, 346}, {40, 100, 50, 750}, {100, 0, 1, 300}} {
		if got := RunCostPerUnit(c.n, c.moq, c.mult, 300); got != c.want {
			t.Errorf("run of %d (MOQ %d, multiple %d): %s, want %s", c.n, c.moq, c.mult, got, c.want)
		}
	}
}

func TestSourcingBadInput(t *testing.T) {
	for _, s := range []string{"0", "-1", "abc", "0.0001", "", "1e3", "100000"} {
		if _, err := ParseAssumedRate(s); err == nil {
			t.Errorf("rate %q accepted", s)
		}
	}
	if r, err := ParseAssumedRate("2.25"); err != nil || r.PerDay() != 2.25 {
		t.Errorf("2.25: %v %v", r, err)
	}
	for _, q := range []Quote{
		{UnitCost: -1, Multiple: 1},
		{UnitCost: MaxUnitCost + 1, Multiple: 1},
		{UnitCost: 100, Shipping: -5, Multiple: 1},
		{UnitCost: 100, Multiple: 0},
		{UnitCost: 100, Multiple: 1, LeadDays: 400},
	} {
		if err := q.Validate(); err == nil {
			t.Errorf("quote %+v accepted", q)
		}
	}
	for _, pct := range []int{-1, 101} {
		if ValidateHoldingRate(pct) == nil {
			t.Errorf("holding rate %d accepted", pct)
		}
	}
}

// When every factory with a cost is paused the cheapest is still named,
// and said to be paused; a candidate without a cost is never picked.
func TestCompareSourcesWhenAllArePaused(t *testing.T) {
	local := Quote{FactoryID: "l", Factory: "Pin Lab", UnitCost: 400, LeadDays: 7, Multiple: 1}
	overseas := Quote{FactoryID: "o", Factory: "Shenzhen Pins", UnitCost: 250, Shipping: 50, MOQ: 500, Multiple: 100, LeadDays: 45}
	uncosted := Quote{FactoryID: "u", Factory: "Home", LeadDays: 3, Multiple: 1}
	in := SourcingInput{Path: PathMicrofactory, Rate: Rate{Sold: 56, Days: 28}, HoldingRate: 25,
		Paused: map[string]bool{"l": true, "o": true}, Uncosted: "u"}
	got, best := CompareSources(in, []Quote{uncosted, local, overseas})
	if best != 2 {
		t.Fatalf("recommended %d; want 2, Shenzhen Pins, the cheaper of the paused", best)
	}
	want := "Shenzhen Pins costs 3.31 a unit sold, holding included, against 4.06 from Pin Lab: its landed cost is lower. Shenzhen Pins is paused, though: it takes no batch order until it is resumed. Home, the current factory, is not compared: the SKU has no cost; set it to compare."
	if r := SourcingReason(got, best, "EUR"); r != want {
		t.Errorf("reason %q\nwant   %q", r, want)
	}
	if _, best := CompareSources(SourcingInput{Path: PathMicrofactory, Rate: Rate{Sold: 1, Days: 1}, Uncosted: "u"}, []Quote{uncosted}); best != -1 {
		t.Errorf("only a candidate without a cost: best %d, want -1", best)
	}
}
