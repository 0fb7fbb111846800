package app

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"microshop/domain"
)

// stockCodes are the codes of a report's rows.
func stockCodes(rows []StockRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.SKU.Code)
	}
	return out
}

// reorderCodes are the codes of a reorder list.
func reorderCodes(rows []ReorderRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Code)
	}
	return out
}

// shopOfDays is a shop whose SKUs OLD and GONE were added on day 0, each
// counted and sold out by day 3 (both need a reorder then), with NEW added
// and GONE archived on day 5.
func shopOfDays(t *testing.T) (*Shop, *fakeClock) {
	t.Helper()
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 5, true)
	for _, code := range []string{"OLD", "GONE"} {
		mustSKU(t, s, code, domain.PathMicrofactory, "Fab")
		mustCount(t, s, code, 10, day(0))
	}
	clock.Set(day(2))
	for _, code := range []string{"OLD", "GONE"} {
		if _, err := s.Sell(ctx, Sale{Code: code, Qty: 9, At: day(2)}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Set(day(5))
	mustSKU(t, s, "NEW", domain.PathMicrofactory, "Fab")
	if err := s.ArchiveSKU(ctx, "GONE"); err != nil {
		t.Fatal(err)
	}
	return s, clock
}

func mustCount(tb testing.TB, s *Shop, code string, qty int, at time.Time) {
	tb.Helper()
	if _, err := s.Count(context.Background(), code, qty, at); err != nil {
		tb.Fatal(err)
	}
}

// A report of a day gone lists the SKUs of that day: one added since is
// not in it, one archived since is; a report of now lists today's.
func TestAPastReportListsTheSKUsOfItsDay(t *testing.T) {
	ctx := context.Background()
	s, _ := shopOfDays(t)
	replica := mustReplica(t, s, s.now) // a shop joined later holds the same stamps
	syncPair(t, s, replica)
	for _, c := range []struct {
		name    string
		asOf    func(*Shop) AsOf
		stock   []string
		reorder []string
	}{
		{"day 3", func(s *Shop) AsOf { return s.AsOfDate(day(3)) }, []string{"GONE", "OLD"}, []string{"GONE", "OLD"}},
		{"now", (*Shop).AsOfNow, []string{"NEW", "OLD"}, []string{"OLD"}},
	} {
		for name, shop := range map[string]*Shop{"shop": s, "joined": replica} {
			rows, err := shop.Stock(ctx, c.asOf(shop), "")
			if err != nil {
				t.Fatal(err)
			}
			if got := stockCodes(rows); !slices.Equal(got, c.stock) {
				t.Errorf("%s, stock as of %s: %v, want %v", name, c.name, got, c.stock)
			}
			reorder, err := shop.Reorder(ctx, c.asOf(shop))
			if err != nil {
				t.Fatal(err)
			}
			if got := reorderCodes(reorder); !slices.Equal(got, c.reorder) {
				t.Errorf("%s, reorder as of %s: %v, want %v", name, c.name, got, c.reorder)
			}
		}
	}
	// The day's alerts name the SKU archived since, and not the one added.
	alerts, err := s.Alerts(ctx, s.AsOfDate(day(3)))
	if err != nil {
		t.Fatal(err)
	}
	if !hasAlert(alerts, AlertReorder, "GONE") || hasAlert(alerts, AlertStockout, "NEW") {
		t.Errorf("alerts of day 3: %+v; want GONE to reorder and nothing of NEW", alerts)
	}
}

// One SKU's report of a day before it was added says so.
func TestAPastReportOfOneSKUAddedSince(t *testing.T) {
	s, _ := shopOfDays(t)
	_, err := s.Stock(context.Background(), s.AsOfDate(day(3)), "NEW")
	if domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("stock of NEW as of day 3: %v; want not found, as it was added on day 5", err)
	}
	if msg := domain.ErrorMessage(err); msg != "SKU NEW was added on 2026-06-06, after 2026-06-04: a report of that day has no such SKU" {
		t.Errorf("stock of NEW as of day 3 says %q", msg)
	}
	if r := mustStock(t, s, "GONE", s.AsOfDate(day(3))); r.SKU.Archived || r.Status != domain.StatusReorder {
		t.Errorf("GONE as of day 3: archived %v, status %s; want on sale, to reorder", r.SKU.Archived, r.Status)
	}
}

// A lead time, cover or cost changed since leaves a past report's
// figures as they were; a report of now takes the new ones.
func TestAPastReportKeepsTheTermsOfItsDay(t *testing.T) {
	ctx := context.Background()
	s, clock := shopOfDays(t)
	asOf := s.AsOfDate(day(3))
	before, err := s.Reorder(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	margins, err := s.Margins(ctx, asOf, 28)
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(day(6))
	if _, err := s.EditSKU(ctx, "OLD", SKUFields{LeadDays: ptr(30), MinCover: ptr(20), Cost: ptr(domain.Money(900))}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditFactory(ctx, "Fab", FactoryFields{LeadDays: ptr(40), MOQ: ptr(100)}); err != nil {
		t.Fatal(err)
	}
	after, err := s.Reorder(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(after, before) {
		t.Errorf("reorder as of day 3 after the edits of day 6:\n%+v\nwant as before:\n%+v", after, before)
	}
	again, err := s.Margins(ctx, asOf, 28)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again, margins) {
		t.Errorf("margins as of day 3 after OLD's cost changed:\n%+v\nwant as before:\n%+v", again, margins)
	}
	if got := s.mustReorderRow(t, s.AsOfNow(), "OLD"); got.LeadDays != 30 || got.MinCover != 20 || got.SuggestedQty < 100 {
		t.Errorf("OLD now: lead %d, min cover %d, order %d; want 30, 20 and at least the new MOQ 100", got.LeadDays, got.MinCover, got.SuggestedQty)
	}
	if got := s.mustReorderRow(t, asOf, "GONE"); got.LeadDays != 5 {
		t.Errorf("GONE, following Fab's lead time, as of day 3: %d days, want 5 as then", got.LeadDays)
	}
}

func (s *Shop) mustReorderRow(t *testing.T, asOf AsOf, code string) ReorderRow {
	t.Helper()
	rows, err := s.Reorder(context.Background(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("%s is not in the reorder list", code)
	return ReorderRow{}
}

// A SKU added after a day, with history recorded for that day (a count
// dated then, imported sales), is in that day's report: the ledger says it
// was there. Its record holds nothing older than its adding, so the report
// reads it as it was added, not as it was edited since.
func TestAPastReportHoldsASKUWithHistoryRecordedLater(t *testing.T) {
	ctx := context.Background()
	s, clock := shopOfDays(t)
	mustSKU(t, s, "LATE", domain.PathMicrofactory, "Fab")
	mustCount(t, s, "LATE", 10, day(1))
	if _, err := s.Sell(ctx, Sale{Code: "LATE", Qty: 9, At: day(2)}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(6))
	if _, err := s.EditSKU(ctx, "LATE", SKUFields{LeadDays: ptr(30)}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Stock(ctx, s.AsOfDate(day(3)), "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stockCodes(rows), []string{"GONE", "LATE", "OLD"}; !slices.Equal(got, want) {
		t.Errorf("stock as of day 3: %v, want %v", got, want)
	}
	if got := s.mustReorderRow(t, s.AsOfDate(day(3)), "LATE"); got.LeadDays != 5 || got.Position != 1 {
		t.Errorf("LATE as of day 3: lead %d, position %d; want Fab's 5 days, as it was added, and 1 unit", got.LeadDays, got.Position)
	}
	if _, err := s.Stock(ctx, s.AsOfDate(day(0)), "LATE"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("LATE as of day 0, before its first event: %v; want not found", err)
	}
}

// noQueries fails every query: what a report of now must not make.
type noQueries struct{ t *testing.T }

func (q noQueries) ExecContext(context.Context, string, ...any) (sql.Result, error) {
	q.t.Error("a report of now wrote")
	return nil, errors.New("no queries")
}

func (q noQueries) QueryContext(_ context.Context, query string, _ ...any) (*sql.Rows, error) {
	q.t.Errorf("a report of now read: %s", query)
	return nil, errors.New("no queries")
}

func (q noQueries) QueryRowContext(_ context.Context, query string, _ ...any) *sql.Row {
	q.t.Fatalf("a report of now read: %s", query)
	return nil
}

// A report of now reads the SKUs as they are, without a look at their
// versions, even when the clock has moved on since it was asked for.
func TestAReportOfNowReadsNoVersions(t *testing.T) {
	s, clock := shopOfDays(t)
	asOf := s.AsOfNow()
	clock.Set(day(5).Add(time.Second))
	all, err := listSKUs(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.skusAsOf(context.Background(), noQueries{t}, all, asOf)
	if err != nil || len(got) != len(all) || &got[0] != &all[0] {
		t.Errorf("SKUs as of now: %d rows, %v; want the %d as stored, untouched", len(got), err, len(all))
	}
}
