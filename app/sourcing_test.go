package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"microshop/domain"
)

// sellDaily sells perDay units of code on each of days 1 to n, from a
// stocktake of plenty on day 0.
func sellDaily(tb testing.TB, s *Shop, code string, perDay, n int) {
	tb.Helper()
	ctx := context.Background()
	if _, err := s.Count(ctx, code, 10_000, day(0)); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if _, err := s.Sell(ctx, Sale{Code: code, Qty: perDay, At: day(i)}); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestSourceComparesTheFactoryWithAQuote: MUG sells 2 a day for 28 days
// (r = 56 ÷ 28 = 2) from Fab (microfactory, lead 7, cost 3.00); Far quotes
// 2.00 + 0.20 shipping, MOQ 500 in 100s, lead 45; holding 25 %.
//
//	Fab: c = 3.00, C = 14, Q = ⌈2 × 14⌉ = 28, A = 28 + 14 = 42, cash 126.00,
//	     holding 3.00 × 0.25 × 21 ÷ 365 = 0.0431… → 0.04, total 3.04
//	Far: c = 2.20, C = 28, Q = 500, A = 56 + 250 = 306, cash 673.20,
//	     holding 2.20 × 0.25 × 153 ÷ 365 = 0.2305… → 0.23, total 2.43
func TestSourceComparesTheFactoryWithAQuote(t *testing.T) {
	ctx := context.Background()
	s, clock := fabAndFar(t)
	clock.Set(day(28))
	sellDaily(t, s, "MUG", 2, 28)
	if _, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Far", Code: "MUG", UnitCost: 200, Shipping: ptr(domain.Money(20))}); err != nil {
		t.Fatal(err)
	}
	src, err := s.Source(ctx, SourceQuery{Code: "MUG", AsOf: s.AsOfDate(day(28))})
	if err != nil {
		t.Fatal(err)
	}
	if src.Rate.PerDay() != 2 || src.HoldingRate != 25 || len(src.Candidates) != 2 {
		t.Fatalf("rate %v holding %d candidates %d, want 2, 25, 2", src.Rate.PerDay(), src.HoldingRate, len(src.Candidates))
	}
	fab, far := src.Candidates[0], src.Candidates[1]
	if fab.Factory != "Fab" || fab.CashTied != 12600 || fab.HoldingPerUnit != 4 || fab.TotalPerUnit != 304 {
		t.Errorf("Fab: %s cash %s holding %s total %s, want 126.00, 0.04, 3.04", fab.Factory, fab.CashTied, fab.HoldingPerUnit, fab.TotalPerUnit)
	}
	if far.Factory != "Far" || far.OrderQty != 500 || far.CashTied != 67320 || far.HoldingPerUnit != 23 || far.TotalPerUnit != 243 {
		t.Errorf("Far: %s Q %d cash %s holding %s total %s, want 500, 673.20, 0.23, 2.43", far.Factory, far.OrderQty, far.CashTied, far.HoldingPerUnit, far.TotalPerUnit)
	}
	if src.Candidates[src.Best].Factory != "Far" || src.Reason == "" {
		t.Errorf("recommended %s (%q), want Far", src.Candidates[src.Best].Factory, src.Reason)
	}

	// A dearer holding rate (100 %) makes Far's 306 units on the shelf
	// cost 2.20 × 153 ÷ 365 = 0.92 a unit: 3.12, and Fab's 3.00 × 21 ÷ 365
	// = 0.17: 3.17. Far still wins, by less.
	if err := s.SetShop(ctx, ShopSettings{HoldingRate: ptr(100)}); err != nil {
		t.Fatal(err)
	}
	src, err = s.Source(ctx, SourceQuery{Code: "MUG", AsOf: s.AsOfDate(day(28)), Run: 50})
	if err != nil {
		t.Fatal(err)
	}
	if got := [2]domain.Money{src.Candidates[0].TotalPerUnit, src.Candidates[1].TotalPerUnit}; got != [2]domain.Money{317, 312} {
		t.Errorf("totals at 100 %%: %v, want [3.17 3.12]", got)
	}
	// A run of 50: Fab makes 50 at 3.00; Far makes its 500 at 2.20, 22.00 each.
	if src.Candidates[0].RunCostPerUnit != 300 || src.Candidates[1].RunCostPerUnit != 2200 {
		t.Errorf("run costs %s %s, want 3.00 22.00", src.Candidates[0].RunCostPerUnit, src.Candidates[1].RunCostPerUnit)
	}
}

// TestSourceBadInputChangesNothing: a negative or absurd quote, a quote or
// source of a digital SKU, a source with no sales: one sentence each, and
// nothing written. A SKU with no sales compares once a rate is assumed.
func TestSourceBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	mustSKU(t, s, "NEW", domain.PathMicrofactory, "Fab")
	mustSKU(t, s, "PDF", domain.PathDigital, "")
	mustSKU(t, s, "OLD", domain.PathMicrofactory, "Fab")
	if err := s.ArchiveSKU(ctx, "OLD"); err != nil {
		t.Fatal(err)
	}
	before := content(t, s)
	for name, err := range map[string]error{
		"negative cost": func() error {
			_, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "NEW", UnitCost: -100})
			return err
		}(),
		"absurd cost": func() error {
			_, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "NEW", UnitCost: domain.MaxUnitCost + 1})
			return err
		}(),
		"zero multiple": func() error {
			_, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "NEW", UnitCost: 100, Multiple: ptr(0)})
			return err
		}(),
		"digital quote": func() error {
			_, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "PDF", UnitCost: 100})
			return err
		}(),
		"unknown factory": func() error {
			_, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Nope", Code: "NEW", UnitCost: 100})
			return err
		}(),
		// Nothing is made of an archived SKU: its quote would sit unseen.
		"archived quote": func() error {
			_, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "OLD", UnitCost: 100})
			return err
		}(),
		"holding rate": s.SetShop(ctx, ShopSettings{HoldingRate: ptr(101)}),
		"digital source": func() error {
			_, err := s.Source(ctx, SourceQuery{Code: "PDF", AsOf: s.AsOfNow(), Assumed: &domain.Rate{Sold: 1, Days: 1}})
			return err
		}(),
	} {
		if err == nil || domain.ErrorCode(err) == domain.EInternal {
			t.Errorf("%s: %v, want a refusal", name, err)
		}
	}
	_, err := s.Source(ctx, SourceQuery{Code: "NEW", AsOf: s.AsOfNow()})
	if domain.RemedyOf(err) != domain.RemedyAssumeRate {
		t.Errorf("no sales: %v, want a refusal asking for an assumed rate", err)
	}
	if after := content(t, s); after != before {
		t.Errorf("refused input changed the shop")
	}
	src, err := s.Source(ctx, SourceQuery{Code: "NEW", AsOf: s.AsOfNow(), Assumed: &domain.Rate{Sold: 1, Days: 2}})
	if err != nil || !src.Assumed || len(src.Candidates) != 1 || src.Candidates[0].OrderQty != 7 {
		t.Errorf("assumed 0.5 a day: %+v %v, want one candidate ordering ⌈0.5 × 14⌉ = 7", src, err)
	}
}

// TestQuotesSyncAndClashVisibly: a quote reaches the other device, and
// the same factory quoting the same SKU differently on two devices while
// apart is one quote with a conflict the user sees, over the unit cost
// only: what was typed again unchanged is not written again.
func TestQuotesSyncAndClashVisibly(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustCreate(t)
	mustFactory(t, desk, "Fab", 7, true)
	mustFactory(t, desk, "Far", 40, true)
	mustSKU(t, desk, "MUG", domain.PathMicrofactory, "Fab")
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	if _, err := desk.QuoteFactory(ctx, QuoteFields{Factory: "Far", Code: "MUG", UnitCost: 150}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	if _, err := desk.QuoteFactory(ctx, QuoteFields{Factory: "Far", Code: "MUG", UnitCost: 160}); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.QuoteFactory(ctx, QuoteFields{Factory: "Far", Code: "MUG", UnitCost: 170}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	for _, s := range []*Shop{desk, laptop} {
		src, err := s.Source(ctx, SourceQuery{Code: "MUG", AsOf: s.AsOfNow(), Assumed: &domain.Rate{Sold: 1, Days: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if len(src.Candidates) != 2 || src.Candidates[1].UnitCost != 170 {
			t.Errorf("candidates %+v, want Fab and one Far quote at 1.70 (the later)", src.Candidates)
		}
		cs, err := s.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Entity != "quote" || cs[0].Field != "unit_cost" {
			t.Errorf("conflicts %+v, want the quote's unit cost", cs)
		}
	}
}

// An empty code names no SKU: each question about one SKU refuses it,
// where it had answered for the shop's first SKU.
func TestAnEmptyCodeNamesNoSKU(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	asOf := s.AsOfNow()
	asks := map[string]func(string) error{
		"source":  func(c string) error { _, err := s.Source(ctx, SourceQuery{Code: c, AsOf: asOf}); return err },
		"message": func(c string) error { _, err := s.Message(ctx, c, asOf); return err },
		"kit":     func(c string) error { _, err := s.Kit(ctx, c, asOf); return err },
	}
	for name, ask := range asks {
		for _, code := range []string{"", "  "} {
			if err := ask(code); domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(err.Error(), "no SKU code is given") {
				t.Errorf("%s of %q: %v; want it refused for want of a code", name, code, err)
			}
		}
	}
}

// A paused factory is not recommended, however cheap (it takes no batch
// order), and the current factory of a SKU without a cost is not compared
// (its 0.00 beat every quote): each recommendation says what it passed
// over. Fab makes MUG at 3.00 (3.04 a unit sold); Far quotes 2.43.
func TestSourcePassesOverPausedAndUncostedFactories(t *testing.T) {
	ctx := context.Background()
	s, clock := fabAndFar(t)
	if _, err := s.AddSKU(ctx, "TOTE", SKUFields{Name: ptr("Tote"), Path: ptr(domain.PathMicrofactory), Factory: ptr("Fab"), Price: ptr(domain.Money(1500))}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(28))
	asOf := s.AsOfDate(day(28))
	if _, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Far", Code: "MUG", UnitCost: 200, Shipping: ptr(domain.Money(20))}); err != nil {
		t.Fatal(err)
	}
	if err := s.PauseFactory(ctx, "Far", "bad enamel"); err != nil {
		t.Fatal(err)
	}
	src, err := s.Source(ctx, SourceQuery{Code: "MUG", AsOf: asOf, Assumed: &domain.Rate{Sold: 56, Days: 28}})
	if err != nil {
		t.Fatal(err)
	}
	if best := src.Candidates[src.Best]; best.Factory != "Fab" || !src.Candidates[1].Paused || !strings.Contains(src.Reason, "Far would cost 2.43 but is paused") {
		t.Errorf("recommended %s (%q); want Fab, with Far passed over as paused", best.Factory, src.Reason)
	}

	// TOTE has no cost: only the quote is compared.
	src, err = s.Source(ctx, SourceQuery{Code: "TOTE", AsOf: asOf, Assumed: &domain.Rate{Sold: 56, Days: 28}})
	if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(err.Error(), "TOTE has no cost") {
		t.Fatalf("TOTE without a cost or a quote: %+v, %v; want it refused, naming the cost", src, err)
	}
	if _, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Far", Code: "TOTE", UnitCost: 300}); err != nil {
		t.Fatal(err)
	}
	if err := s.ResumeFactory(ctx, "Far"); err != nil {
		t.Fatal(err)
	}
	src, err = s.Source(ctx, SourceQuery{Code: "TOTE", AsOf: asOf, Assumed: &domain.Rate{Sold: 56, Days: 28}})
	if err != nil {
		t.Fatal(err)
	}
	if best := src.Candidates[src.Best]; best.Factory != "Far" || !src.Candidates[0].Uncosted || !strings.Contains(src.Reason, "Fab, the current factory, is not compared: the SKU has no cost") {
		t.Errorf("recommended %s (%q); want Far, with Fab not compared", best.Factory, src.Reason)
	}
}

// A quote the factory no longer offers is withdrawn: it leaves the
// comparison on every device, and a withdrawn quote of the SKU's own
// factory no longer hides the row at the SKU's cost. Quoting again brings
// it back. There was no way to take one out.
func TestAWithdrawnQuoteLeavesTheComparison(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustCreate(t)
	mustFactory(t, desk, "Fab", 7, true)
	mustFactory(t, desk, "Far", 40, true)
	mustSKU(t, desk, "MUG", domain.PathMicrofactory, "Fab")
	laptop := mustReplica(t, desk, clock.Now)
	for _, q := range []QuoteFields{{Factory: "Far", Code: "MUG", UnitCost: 150}, {Factory: "Fab", Code: "MUG", UnitCost: 250}} {
		if _, err := desk.QuoteFactory(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	syncPair(t, desk, laptop)
	factories := func(s *Shop) []string {
		t.Helper()
		src, err := s.Source(ctx, SourceQuery{Code: "MUG", AsOf: s.AsOfNow(), Assumed: &domain.Rate{Sold: 1, Days: 1}})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range src.Candidates {
			out = append(out, fmt.Sprintf("%s %s", c.Factory, c.UnitCost))
		}
		return out
	}
	if got := factories(laptop); !slices.Equal(got, []string{"Fab 2.50", "Far 1.50"}) {
		t.Fatalf("before: %q", got)
	}
	for _, f := range []string{"Far", "Fab"} {
		if err := laptop.WithdrawQuote(ctx, f, "MUG"); err != nil {
			t.Fatal(err)
		}
	}
	syncPair(t, desk, laptop)
	for _, s := range []*Shop{desk, laptop} {
		if got := factories(s); !slices.Equal(got, []string{"Fab 3.00"}) {
			t.Errorf("after both withdrawn: %q; want Fab at MUG's cost alone", got)
		}
	}
	before := content(t, desk)
	if err := desk.WithdrawQuote(ctx, "Far", "MUG"); domain.ErrorCode(err) != domain.ENotFound || !strings.Contains(err.Error(), "Far has no quote for MUG") {
		t.Errorf("withdrawn twice: %v; want it refused", err)
	}
	if content(t, desk) != before {
		t.Error("a refused withdrawal wrote")
	}
	if _, err := desk.QuoteFactory(ctx, QuoteFields{Factory: "Far", Code: "MUG", UnitCost: 150}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	if got := factories(laptop); !slices.Equal(got, []string{"Fab 3.00", "Far 1.50"}) {
		t.Errorf("quoted again: %q; want Far back", got)
	}
}

// fabAndFar is a shop where Fab (local, 7 days) makes MUG at 3.00 and Far
// (overseas, 45 days, MOQ 500 in 100s) could.
func fabAndFar(t *testing.T) (*Shop, *fakeClock) {
	t.Helper()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	if _, err := s.AddFactory(context.Background(), domain.Factory{Name: "Far", Kind: domain.KindMicrofactory, Location: domain.LocationOverseas,
		LeadDays: 45, MOQ: 500, Multiple: 100}); err != nil {
		t.Fatal(err)
	}
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	return s, clock
}

// Quoting a SKU again changes what is given and keeps the quote's other
// terms: a maker correcting only the price lost the minimum, multiple,
// lead time and shipping agreed, reset to the factory's own. A quote of
// nothing a unit is taken, with a warning: it wins every comparison.
func TestQuotingAgainKeepsTheTermsNotGiven(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Fab", 10, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	moq, multiple, lead, shipping := 25, 5, 7, domain.Money(40)
	if _, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "MUG", UnitCost: 320, Shipping: &shipping, MOQ: &moq, Multiple: &multiple, LeadDays: &lead}); err != nil {
		t.Fatal(err)
	}
	res, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "MUG", UnitCost: 300})
	if err != nil {
		t.Fatal(err)
	}
	if q := res.Quote; q.UnitCost != 300 || q.MOQ != 25 || q.Multiple != 5 || q.LeadDays != 7 || q.Shipping != 40 || len(res.Warnings) != 0 {
		t.Errorf("quoted again at 3.00: %+v; want 3.00 with the minimum 25, multiple 5, 7 days and 0.40 shipping kept", res)
	}
	res, err = s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "MUG", UnitCost: 0})
	if err != nil || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "0.00") {
		t.Errorf("a quote of 0.00: %+v, %v; want it taken with a warning", res, err)
	}
}

// A comparison whose figures go beyond the largest amount a shop records
// is refused in a sentence naming the cost and the rate: at a cost of
// 9999999999999.99 and 10000 a day its cash tied wrapped round, and the
// JSON said "--92233720368547758.0-8".
func TestASourcingBeyondWhatAShopRecordsIsRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	mustSKU(t, s, "NEW", domain.PathMicrofactory, "Fab")
	huge, cover := domain.Money(999999999999999), 365
	if _, err := s.EditSKU(ctx, "NEW", SKUFields{Cost: &huge, MinCover: &cover, MaxCover: &cover}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Source(ctx, SourceQuery{Code: "NEW", AsOf: s.AsOfNow(), Run: 1000000, Assumed: &domain.Rate{Sold: 10000, Days: 1}})
	if err == nil || domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(err.Error(), "9999999999999.99") || !strings.Contains(err.Error(), "Fab") {
		t.Fatalf("a comparison beyond what a shop records: %v, want a refusal naming the cost", err)
	}
}
