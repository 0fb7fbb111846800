package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

func TestNewFactoryHoldsUnitsUntilQA(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(2)) // the events below are history
	mustFactory(t, s, "NewFab", 10, false)
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "NewFab")

	o, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 95, At: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := s.ReceiveBatch(ctx, o.ID, 95, day(1))
	b := rc.Batch
	if err != nil {
		t.Fatal(err)
	}
	if b.Held != 10 { // ⌈10 % of 95⌉
		t.Fatalf("held = %d, want 10", b.Held)
	}
	row := mustStock(t, s, "PIN", s.AsOfDate(day(1)))
	if row.OnHand != 95 || row.Held != 10 || row.Available != 85 {
		t.Fatalf("on hand/held/available = %d/%d/%d, want 95/10/85", row.OnHand, row.Held, row.Available)
	}
	if _, err := s.Sell(ctx, Sale{Code: "PIN", Qty: 86, At: day(1).Add(time.Hour)}); domain.ErrorCode(err) != domain.EShort {
		t.Fatalf("selling held units: err = %v, want a refusal", err)
	}
	if _, err := s.DecideQA(ctx, b.ID, true, "fine", day(2)); err != nil {
		t.Fatal(err)
	}
	row = mustStock(t, s, "PIN", s.AsOfDate(day(2)))
	if row.Held != 0 || row.Available != 95 {
		t.Fatalf("after pass held/available = %d/%d, want 0/95", row.Held, row.Available)
	}
	// The state before the decision is still reported as it was.
	if row := mustStock(t, s, "PIN", s.AsOfDate(day(1))); row.Held != 10 {
		t.Fatalf("as of the day before QA, held = %d, want 10", row.Held)
	}
}

// The QA sample is a share of the batch, not of each delivery: a batch of
// 15 from a new factory received as 5, 5 and 5 holds 2, as one delivery
// of 15 does. Each delivery held its own ⌈10 %⌉, 3 in all (20 %).
func TestASplitDeliveryHoldsTheBatchsShare(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(2))
	mustFactory(t, s, "NewFab", 10, false)
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "NewFab")
	o, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 15, At: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	var held []int
	for i := range 3 {
		rc, err := s.ReceiveBatch(ctx, o.ID, 5, day(1).Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, rc.HeldUnits)
	}
	if fmt.Sprint(held) != "[1 0 1]" {
		t.Errorf("deliveries of 5, 5 and 5 held %v, want [1 0 1]: ⌈10 %% of 5⌉, of 10, of 15", held)
	}
	if row := mustStock(t, s, "PIN", s.AsOfDate(day(1).Add(3*time.Hour))); row.Held != 2 {
		t.Errorf("the batch of 15 holds %d, want 2, as one delivery of 15 does", row.Held)
	}
}

func TestFailedQARejectsHeldUnitsAndPausesFactory(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(3)) // the events below are history
	mustFactory(t, s, "NewFab", 10, false)
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "NewFab")
	b, _ := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 40, At: day(0)})
	if _, err := s.ReceiveBatch(ctx, b.ID, 40, day(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideQA(ctx, b.ID, false, "chipped enamel", day(2)); err != nil {
		t.Fatal(err)
	}
	row := mustStock(t, s, "PIN", s.AsOfDate(day(2)))
	if row.OnHand != 36 || row.Held != 0 || row.Available != 36 {
		t.Fatalf("on hand/held/available = %d/%d/%d, want 36/0/36", row.OnHand, row.Held, row.Available)
	}
	f, err := s.Factory(ctx, "newfab", s.AsOfDate(day(2)))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Paused || f.PauseReason == "" {
		t.Fatalf("factory paused = %v (%q), want paused with a reason", f.Paused, f.PauseReason)
	}
	alerts, err := s.Alerts(ctx, s.AsOfDate(day(2)))
	if err != nil {
		t.Fatal(err)
	}
	if !hasAlert(alerts, AlertFactoryPaused, "NewFab") {
		t.Fatalf("alerts %+v lack factory_paused for NewFab", alerts)
	}
	// The pause names the batch as a maker knows it, by its SKU and the
	// day it was ordered: its 36-character id meant nothing to one.
	why := fmt.Sprintf("the batch of PIN ordered on %s failed QA on %s: inspect the rest of that batch",
		day(0).Format(time.DateOnly), day(2).Format(time.DateOnly))
	if f.Reason() != why {
		t.Errorf("the pause reads %q, want %q", f.Reason(), why)
	}
	for _, a := range alerts {
		if a.Kind == AlertFactoryPaused && a.Message != "Factory NewFab is paused: "+why {
			t.Errorf("the factory_paused alert reads %q, want it to name the batch by SKU and order date", a.Message)
		}
	}
	if _, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 10, At: day(3)}); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(err.Error(), why) {
		t.Fatalf("ordering from a paused factory: err = %v, want a refusal naming the batch: %q", err, why)
	}
	if _, err := s.DecideQA(ctx, b.ID, true, "", day(3)); domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("second QA decision: err = %v, want a refusal", err)
	}
}

func TestFactoryEstablishedAfterThreePasses(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(32)) // the events below are history
	mustFactory(t, s, "NewFab", 5, false)
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "NewFab")
	for i := range 4 {
		o, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 20, At: day(i * 10)})
		b := o.Batch
		if err != nil {
			t.Fatal(err)
		}
		rc, err := s.ReceiveBatch(ctx, b.ID, 20, day(i*10+1))
		if err != nil {
			t.Fatal(err)
		}
		if rc.HeldUnits != rc.Held {
			t.Fatalf("receipt held %d, batch held %d; one receipt per batch here", rc.HeldUnits, rc.Held)
		}
		b = rc.Batch
		want := 2
		if i == 3 {
			want = 0 // three passes made it established
		}
		if b.Held != want {
			t.Fatalf("batch %d held = %d, want %d", i+1, b.Held, want)
		}
		if want > 0 {
			if _, err := s.DecideQA(ctx, b.ID, true, "", day(i*10+2)); err != nil {
				t.Fatal(err)
			}
		} else if _, err := s.DecideQA(ctx, b.ID, true, "", day(i*10+2)); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("QA with nothing held: err = %v, want invalid", err)
		}
	}
}

func TestDailyRateIgnoresStockoutDays(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(20)) // the events below are history
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "ZINE", domain.PathPrint, "Print")
	// 7 units arrive on day 0; one sells each day for 7 days, then it is out
	// for the rest of the 28-day window.
	if _, err := s.Count(ctx, "ZINE", 7, day(0).Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		if _, err := s.Sell(ctx, Sale{Code: "ZINE", At: day(i)}); err != nil {
			t.Fatal(err)
		}
	}
	row := mustStock(t, s, "ZINE", s.AsOfDate(day(20)))
	if row.Rate.Sold != 7 || row.Rate.Days != 7 {
		t.Fatalf("rate = %d sold over %d days, want 7 over 7", row.Rate.Sold, row.Rate.Days)
	}
	if row.Status != domain.StatusStockout {
		t.Fatalf("status = %s, want stockout", row.Status)
	}
	re, err := s.Reorder(ctx, s.AsOfDate(day(20)))
	if err != nil {
		t.Fatal(err)
	}
	// rate 1/day, lead 3, print min cover 7, max 14: ⌈1 × 17 − 0⌉ = 17.
	if len(re) != 1 || re[0].SuggestedQty != 17 || re[0].ReorderPoint != 10 {
		t.Fatalf("reorder = %+v, want ZINE suggested 17 at reorder point 10", re)
	}
}

func TestCountIsAbsoluteAndLateSalesBeforeItAreNotTakenTwice(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(3)) // the events below are history
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "ZINE", domain.PathPrint, "Print")
	if _, err := s.Count(ctx, "ZINE", 10, day(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Count(ctx, "ZINE", 8, day(2)); err != nil {
		t.Fatal(err)
	}
	// A sale made on day 1 but recorded after the day-2 count: the count
	// already saw it, so it must not be subtracted again.
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 2, At: day(1), Force: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Adjust(ctx, "ZINE", -1, "water damage", day(3)); err != nil {
		t.Fatal(err)
	}
	if got := mustStock(t, s, "ZINE", s.AsOfDate(day(3))).OnHand; got != 7 {
		t.Fatalf("on hand = %d, want 7 (count 8, then adjust -1)", got)
	}
	if got := mustStock(t, s, "ZINE", s.AsOfDate(day(1))).OnHand; got != 8 {
		t.Fatalf("on hand on day 1 = %d, want 8 (count 10, sale 2)", got)
	}
}

func TestForcedSaleShowsOversold(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "ZINE", domain.PathPrint, "Print")
	before := countRows(t, s.db, "events")
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", At: day(0)}); domain.ErrorCode(err) != domain.EShort {
		t.Fatalf("sale with nothing available: err = %v, want a refusal", err)
	}
	if got := countRows(t, s.db, "events"); got != before {
		t.Fatalf("a refused sale wrote %d events", got-before)
	}
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", At: day(0), Force: true}); err != nil {
		t.Fatal(err)
	}
	if got := mustStock(t, s, "ZINE", s.AsOfDate(day(0))).Status; got != domain.StatusOversold {
		t.Fatalf("status = %s, want oversold", got)
	}
}

func TestVoidPutsUnitsBack(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "ZINE", domain.PathPrint, "Print")
	s.Count(ctx, "ZINE", 5, day(0))
	sale, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 2, At: day(0).Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, sale.ID, ""); err != nil {
		t.Fatal(err)
	}
	row := mustStock(t, s, "ZINE", s.AsOfDate(day(0)))
	if row.Available != 5 || row.Rate.Sold != 0 {
		t.Fatalf("after undo available = %d, sold = %d; want 5, 0", row.Available, row.Rate.Sold)
	}
	if err := s.VoidSale(ctx, sale.ID, ""); domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("second undo: err = %v, want a refusal", err)
	}
}

func TestQualityPauseAndPackagingAdvice(t *testing.T) {
	ctx := context.Background()
	s, clock := fortyMugsSold(t, day(2), 1000) // the events are history
	asOf := s.AsOfDate(day(2))
	ret := func(reason domain.ReturnReason) {
		t.Helper()
		if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: reason, At: day(2)}); err != nil {
			t.Fatal(err)
		}
	}
	ret("defect") // 1 of 40 = 2.5 %: under the limit
	if f, _ := s.Factory(ctx, "Fab", asOf); f.QualityPaused {
		t.Fatal("paused at 2.5 % quality returns")
	}
	ret("broke") // 2 of 40 = 5 %
	f, _ := s.Factory(ctx, "Fab", asOf)
	if !f.QualityPaused || f.Sold != 40 || f.QualityReturns != 2 {
		t.Fatalf("factory = %+v, want quality-paused with 40 sold and 2 quality returns", f)
	}
	ret("packaging")
	ret("changed-mind")
	alerts, err := s.Alerts(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ kind, subject string }{{AlertQualityReturns, "Fab"}, {AlertFactoryPaused, "Fab"}} {
		if !hasAlert(alerts, want.kind, want.subject) {
			t.Fatalf("alerts lack %s for %s: %+v", want.kind, want.subject, alerts)
		}
	}
	if hasAlert(alerts, AlertPackagingReturns, "MUG") { // 1 of 40 = 2.5 %
		t.Fatal("packaging advice at 2.5 %")
	}
	ret("damaged-in-transit")
	alerts, _ = s.Alerts(ctx, asOf)
	if !hasAlert(alerts, AlertPackagingReturns, "MUG") {
		t.Fatal("no packaging advice at 5 %")
	}
	rates, err := s.ReturnRates(ctx, asOf, 90)
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != 1 || rates[0] != (FactoryReturns{Factory: "Fab", Sold: 40, Quality: 2, Logistics: 2, Buyer: 1, QualityPaused: true}) {
		t.Fatalf("return rates = %+v", rates)
	}
	// Resuming starts the count afresh: no sales since, so no pause.
	clock.Set(day(3))
	if err := s.ResumeFactory(ctx, "Fab"); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Factory(ctx, "Fab", s.AsOfDate(day(3))); f.QualityPaused {
		t.Fatal("still quality-paused right after resume")
	}
	// A report of a day before the resume says what held that day.
	if f, _ := s.Factory(ctx, "Fab", s.AsOfDate(day(2))); !f.QualityPaused {
		t.Error("the resume on day 3 lifted the quality pause from the report of day 2")
	}
	if alerts, _ := s.Alerts(ctx, s.AsOfDate(day(2))); !hasAlert(alerts, AlertQualityReturns, "Fab") {
		t.Errorf("alerts of day 2 after the resume on day 3 lack Fab's quality returns: %+v", alerts)
	}
	// The pause blocks suggestions but the need still shows.
	if err := s.PauseFactory(ctx, "Fab", "holiday"); err != nil {
		t.Fatal(err)
	}
}

func TestReorderBlockedByPausedFactoryStillShowsNeed(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(27)) // the events below are history
	mustFactory(t, s, "Fab", 7, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	s.Count(ctx, "MUG", 30, day(0))
	for i := range 28 {
		s.Sell(ctx, Sale{Code: "MUG", At: day(i).Add(time.Hour)})
	}
	if err := s.PauseFactory(ctx, "Fab", "holiday"); err != nil {
		t.Fatal(err)
	}
	re, err := s.Reorder(ctx, s.AsOfDate(day(27)))
	if err != nil {
		t.Fatal(err)
	}
	// rate 1/day; lead 7 + microfactory cover 14/28; position 2.
	if len(re) != 1 || !re[0].Blocked || re[0].SuggestedQty != 0 || re[0].NeedQty != 33 {
		t.Fatalf("reorder = %+v, want MUG blocked with need 33", re)
	}
}

func TestBuyerMessage(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Fab", 10, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	m, err := s.Message(ctx, "MUG", s.AsOfDate(day(0)))
	if err != nil {
		t.Fatal(err)
	}
	if want := day(11); !sameDay(m.ShipsBy, want) {
		t.Fatalf("out of stock with no batch ships by %v, want %v (lead 10 + 1 day)", m.ShipsBy, want)
	}
	if _, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10, At: day(0), Expected: day(4)}); err != nil {
		t.Fatal(err)
	}
	m, _ = s.Message(ctx, "MUG", s.AsOfDate(day(0)))
	if !sameDay(m.ShipsBy, day(5)) {
		t.Fatalf("with a batch due on day 4 ships by %v, want day 5", m.ShipsBy)
	}
}

// A buyer is told the date of the batch that brings an oversold SKU back
// above nothing, not the earliest batch's: with 5 oversold, a batch of 3
// due first left it 2 short, and the message promised its date.
func TestABuyerMessageWaitsForTheBatchThatCoversTheBacklog(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Fab", 10, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	if _, err := s.Count(ctx, "MUG", 0, day(-2)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 5, At: day(-1), Force: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 3, At: day(-1), Expected: day(3)}); err != nil {
		t.Fatal(err)
	}
	m, err := s.Message(ctx, "MUG", s.AsOfDate(day(0)))
	if err != nil {
		t.Fatal(err)
	}
	if !sameDay(m.ShipsBy, day(11)) {
		t.Errorf("5 oversold and 3 due on day 3: ships by %v, want day 11 (no batch covers it: lead 10 + 1)", m.ShipsBy)
	}
	if _, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10, At: day(0), Expected: day(6)}); err != nil {
		t.Fatal(err)
	}
	if m, _ = s.Message(ctx, "MUG", s.AsOfDate(day(0))); !sameDay(m.ShipsBy, day(7)) {
		t.Errorf("5 oversold, 3 due on day 3 and 10 on day 6: ships by %v, want day 7", m.ShipsBy)
	}
}

func sameDay(a, b time.Time) bool { return a.Format(time.DateOnly) == b.Format(time.DateOnly) }

func hasAlert(alerts []Alert, kind, subject string) bool {
	for _, a := range alerts {
		if a.Kind == kind && a.Subject == subject {
			return true
		}
	}
	return false
}

// qualityPausedFab is a shop whose new factory Fab made a batch of 100
// PIN, 30 of them sold on day 2 and 1 back defective on day 3 (3.3 %),
// the clock at day 3: Fab is paused for quality returns.
func qualityPausedFab(t *testing.T) (*Shop, *fakeClock, OrderResult) {
	t.Helper()
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(3)) // the events below are history
	mustFactory(t, s, "Fab", 5, false)
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "Fab")
	b, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 100, At: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReceiveBatch(ctx, b.ID, 100, day(1)); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if _, err := s.Sell(ctx, Sale{Code: "PIN", At: day(2).Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "PIN", Qty: 1, Reason: "defect", At: day(3)}); err != nil {
		t.Fatal(err)
	}
	return s, clock, b
}

func TestQAPassLiftsQualityPause(t *testing.T) {
	ctx := context.Background()
	s, clock, b := qualityPausedFab(t)
	clock.Set(day(4))
	if f, _ := s.Factory(ctx, "Fab", s.AsOfNow()); !f.QualityPaused {
		t.Fatal("1 defect in 30 sold (3.3 %) did not pause the factory")
	}
	if _, err := s.DecideQA(ctx, b.ID, true, "checked the rest", day(4)); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Factory(ctx, "Fab", s.AsOfNow()); f.Blocked() {
		t.Fatalf("factory still blocked after a QA pass: %s", f.Reason())
	}
}

func TestQualityPausedFactoryTakesNoOrderUnlessForced(t *testing.T) {
	ctx := context.Background()
	s, _ := fortyMugsSold(t, day(3), 100)
	for _, reason := range []domain.ReturnReason{"defect", "broke"} { // 2 of 40: 5 %
		if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: reason, At: day(2)}); err != nil {
			t.Fatal(err)
		}
	}
	before := countRows(t, s.db, "batches")
	_, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 30})
	var paused *PausedError
	if !errors.As(err, &paused) || domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("order from a quality-paused factory: err = %v, want a *PausedError conflict", err)
	}
	if !paused.Quality || paused.Factory != "Fab" || !strings.Contains(domain.ErrorMessage(err), "quality returns") {
		t.Errorf("refusal %+v: %q, want Fab paused for quality returns", paused, domain.ErrorMessage(err))
	}
	if got := countRows(t, s.db, "batches"); got != before {
		t.Fatal("the refused order wrote a batch")
	}
	b, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 30, Force: true})
	if err != nil {
		t.Fatalf("forced order: %v", err)
	}
	if b.Ordered != 30 || b.Factory != "Fab" {
		t.Errorf("forced order made %+v, want 30 from Fab", b)
	}
}

func TestPausedByHandTakesNoOrderUnlessForced(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Fab", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	if err := s.PauseFactory(ctx, "Fab", "summer holiday"); err != nil {
		t.Fatal(err)
	}
	_, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10})
	var paused *PausedError
	if !errors.As(err, &paused) || paused.Quality || paused.Reason != "summer holiday" {
		t.Fatalf("order from a factory paused by hand: err = %v, want a *PausedError with its reason", err)
	}
	if _, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10, Force: true}); err != nil {
		t.Fatalf("forced order: %v", err)
	}
}

// An out-of-stock SKU whose factory is paused has nothing on its way: the
// lead-time date of its buyer message comes with a warning for the maker,
// as does a kit's when that part is the one it waits for. It promised
// buyers a date no batch was coming to keep. Stock on the shelf, or a
// batch ordered before the pause, keep the promise: no warning.
func TestABuyerMessageFromAPausedFactoryWarnsTheMaker(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Fab", 10, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "Fab")
	mustSKU(t, s, "CARD", domain.PathMicrofactory, "Fab")
	if _, err := s.Count(ctx, "CARD", 5, day(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 10, At: day(0), Expected: day(4)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddKit(ctx, "GIFT", "Gift", 0, []KitPartIn{{"CARD", 1}, {"MUG", 1}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PauseFactory(ctx, "Fab", "glaze crazing"); err != nil {
		t.Fatal(err)
	}
	for code, warned := range map[string]bool{"MUG": true, "GIFT": true, "PIN": false, "CARD": false} {
		m, err := s.Message(ctx, code, s.AsOfNow())
		if err != nil {
			t.Fatal(err)
		}
		if got := len(m.Warnings) > 0; got != warned {
			t.Errorf("%s (%q): warnings %q, want warned %v", code, m.Message, m.Warnings, warned)
		}
		if warned && (!strings.Contains(m.Warnings[0], "Fab") || !strings.Contains(m.Warnings[0], "MUG") || !strings.Contains(m.Warnings[0], "paused")) {
			t.Errorf("%s: warning %q, want it to say MUG's factory Fab is paused", code, m.Warnings[0])
		}
	}
}

// A quality pause holds until a QA pass or a resume, as its reason says:
// more sales that bring the rate back under 3 %, or its returns leaving
// the 90-day window, do not lift it. It lifted itself with the next few
// sales, and a purchase order was written without being asked to force
// it. The other device, which takes the pause by sync, holds it too.
func TestAQualityPauseHoldsUntilQAPassOrResume(t *testing.T) {
	ctx := context.Background()
	s, clock := fortyMugsSold(t, day(2), 1000)
	for i := range 2 { // 2 of 40 = 5 %: the second return pauses Fab, and says so
		res, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "defect", At: day(2)})
		if err != nil {
			t.Fatal(err)
		}
		if paused := slices.Equal(res.Paused, []string{"Fab"}); paused != (i == 1) {
			t.Errorf("return %d: paused %q; want Fab named by the second alone", i+1, res.Paused)
		}
	}
	replica := mustReplica(t, s, clock.Now)
	syncPair(t, s, replica)
	sellOneAMinute(t, s, "MUG", 40, day(2)) // 2 of 80 = 2.5 %
	syncPair(t, s, replica)
	for _, when := range []time.Time{day(3), day(120)} { // the returns have left the window by day 120
		clock.Set(when)
		for name, shop := range map[string]*Shop{"shop": s, "replica": replica} {
			f, _ := shop.Factory(ctx, "Fab", shop.AsOfNow())
			if !f.QualityPaused || !f.Blocked() {
				t.Errorf("%s, day %d: %+v; want Fab still paused for quality", name, int(when.Sub(day(0)).Hours()/24), f)
			}
			if when == day(3) && !strings.Contains(f.Reason(), "went above 3 % of units sold, and the pause holds: they are 2.5 % of 80") {
				t.Errorf("%s: the pause says %q; want it to say the returns went over and stand at 2.5 %% now", name, f.Reason())
			}
		}
	}
	if _, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("ordering from the paused factory: %v, want a refusal", err)
	}
	if err := s.ResumeFactory(ctx, "Fab"); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Factory(ctx, "Fab", s.AsOfNow()); f.Blocked() {
		t.Fatalf("still blocked after resume: %s", f.Reason())
	}
}

// sellOneAMinute sells n units of code one at a time, a minute apart,
// from from: the sales a return rate is counted over.
// fortyMugsSold is a shop at now whose MUG, from the new factory Fab, was
// counted at stock on day 0 and sold 40 times on day 1: two quality
// returns then make 5 %, past the 3 % that pauses Fab.
func fortyMugsSold(t *testing.T, now time.Time, stock int) (*Shop, *fakeClock) {
	t.Helper()
	s, clock := mustCreate(t)
	clock.Set(now)
	mustFactory(t, s, "Fab", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	if _, err := s.Count(context.Background(), "MUG", stock, day(0)); err != nil {
		t.Fatal(err)
	}
	sellOneAMinute(t, s, "MUG", 40, day(1))
	return s, clock
}

func sellOneAMinute(t *testing.T, s *Shop, code string, n int, from time.Time) {
	t.Helper()
	for i := range n {
		if _, err := s.Sell(context.Background(), Sale{Code: code, At: from.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
}

// After a QA pass lifts a quality pause, the rule counts afresh, and the
// factory's counts say from when: read as the 90 days', "0 sold" stood
// beside the return rates' 30 sold and 3.3 % for the same days, and a
// second pause named "the last 90 days" for what it counted since.
func TestQualityCountsAfterALiftedPauseSaySinceWhen(t *testing.T) {
	ctx := context.Background()
	s, clock, b := qualityPausedFab(t)
	f, _ := s.Factory(ctx, "Fab", s.AsOfNow())
	if !f.CountedSince.IsZero() || !strings.Contains(f.Reason(), "30 units sold in the last 90 days") {
		t.Fatalf("before any resume Fab counts since %v: %s", f.CountedSince, f.Reason())
	}
	clock.Set(day(4))
	if _, err := s.DecideQA(ctx, b.ID, true, "checked the rest", day(4)); err != nil {
		t.Fatal(err)
	}
	f, _ = s.Factory(ctx, "Fab", s.AsOfNow())
	lifted := day(4).In(f.CountedSince.Location()).Format(time.DateOnly)
	if f.CountedSince.IsZero() || f.CountedSince.Format(time.DateOnly) != lifted {
		t.Fatalf("after the QA pass Fab counts since %v, want %s", f.CountedSince, lifted)
	}
	if want := "since its pause was lifted on " + lifted; f.QualityWindow() != want {
		t.Errorf("QualityWindow() = %q, want %q", f.QualityWindow(), want)
	}
	clock.Set(day(6))
	for i := range 30 {
		s.Sell(ctx, Sale{Code: "PIN", At: day(5).Add(time.Duration(i) * time.Minute)})
	}
	s.RecordReturn(ctx, Return{Code: "PIN", Qty: 1, Reason: "defect", At: day(6)})
	f, _ = s.Factory(ctx, "Fab", s.AsOfNow())
	if want := "30 units sold since its pause was lifted on " + lifted; !f.QualityPaused || !strings.Contains(f.Reason(), want) {
		t.Errorf("paused again, Fab says %q; want it to say %q", f.Reason(), want)
	}
}

// An established factory's receipts are never held for QA, so no QA pass
// can lift its quality pause: every word of the pause tells its maker to
// resume it, where they were told to pass a batch's QA and then refused.
// A new factory's still offer the QA pass.
func TestAnEstablishedFactorysQualityPauseAsksForAResumeAlone(t *testing.T) {
	ctx := context.Background()
	for _, established := range []bool{true, false} {
		s, clock := mustCreate(t)
		clock.Set(day(3))
		mustFactory(t, s, "Fab", 5, established)
		mustSKU(t, s, "PIN", domain.PathMicrofactory, "Fab")
		if _, err := s.Count(ctx, "PIN", 40, day(1)); err != nil {
			t.Fatal(err)
		}
		for i := range 30 {
			s.Sell(ctx, Sale{Code: "PIN", At: day(2).Add(time.Duration(i) * time.Minute)})
		}
		res, err := s.RecordReturn(ctx, Return{Code: "PIN", Qty: 1, Reason: "defect", At: day(3)})
		if err != nil {
			t.Fatal(err)
		}
		alerts, err := s.Alerts(ctx, s.AsOfNow())
		if err != nil {
			t.Fatal(err)
		}
		said := strings.Join(res.PausedNotes, "\n")
		for _, a := range alerts {
			said += "\n" + a.Message
		}
		_, err = s.OrderBatch(ctx, Order{Code: "PIN", Qty: 10, At: day(3)})
		if err == nil {
			t.Fatal("a quality-paused factory took an order")
		}
		said += "\n" + err.Error()
		if qa := strings.Count(said, "pass a batch's QA"); established && qa > 0 || !established && qa < 3 {
			t.Errorf("established %v: the pause offers a QA pass %d times:\n%s", established, qa, said)
		}
		if len(res.PausedNotes) != 1 || !strings.Contains(said, "resume it") {
			t.Errorf("established %v: the pause does not say to resume Fab:\n%s", established, said)
		}
	}
}
