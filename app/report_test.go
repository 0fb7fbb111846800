package app

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// A new SKU's first busy day: 28 of 40 sold on day one. The rate divides by
// at least 7 days: 4 a day. Handmade, lead 7: reorder point 4 × (7 + 7) =
// 56, order ⌈4 × (7 + 14) − 12⌉ = 72 (dividing by one day asked for 576),
// marked as resting on a short history.
func TestReorderOfANewSKUsBusyFirstDay(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(0).Add(6 * time.Hour))
	mustFactory(t, s, "Studio", 7, true)
	mustSKU(t, s, "BOWL", domain.PathHandmade, "Studio")
	if _, err := s.Count(ctx, "BOWL", 40, day(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "BOWL", Qty: 28, At: day(0).Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	re, err := s.Reorder(ctx, s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if len(re) != 1 || re[0].Rate.PerDay() != 4 || re[0].SuggestedQty != 72 || re[0].ReorderPoint != 56 || !re[0].ShortHistory {
		t.Fatalf("reorder = %+v, want BOWL at 4 a day, 72 suggested at point 56, short history", re)
	}
}

// The first unit a new SKU sells is no reason to reorder: 1 ÷ 7 a day
// × (7 + 7) = 2, and 9 are left.
func TestFirstSaleOfANewSKUIsNoReorder(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(0).Add(6 * time.Hour))
	mustFactory(t, s, "Studio", 7, true)
	mustSKU(t, s, "BOWL", domain.PathHandmade, "Studio")
	s.Count(ctx, "BOWL", 10, day(0))
	if _, err := s.Sell(ctx, Sale{Code: "BOWL", At: day(0).Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	row := mustStock(t, s, "BOWL", s.AsOfNow())
	if row.Status != domain.StatusOK || row.Reorder {
		t.Fatalf("after the first sale status = %s (reorder %v), want ok", row.Status, row.Reorder)
	}
}

// A SKU that sold out long ago has a checkpoint with nothing in stock; when
// it is made again and sells, its history is still old. The mark must not
// depend on which checkpoints earlier reports happened to leave.
func TestShortHistoryLooksBehindAnEmptyCheckpoint(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Studio", 7, true)
	mustSKU(t, s, "BOWL", domain.PathHandmade, "Studio")
	s.Count(ctx, "BOWL", 5, day(0))
	if _, err := s.Sell(ctx, Sale{Code: "BOWL", Qty: 5, At: day(1)}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(62))
	// A report as of day 40 leaves a checkpoint at its window's start
	// (day 13), with nothing in stock.
	mustStock(t, s, "BOWL", s.AsOfDate(day(40)))
	if n := countRows(t, s.db, "stock_checkpoints"); n != 1 {
		t.Fatalf("%d checkpoints, want the one this test is about", n)
	}
	s.Count(ctx, "BOWL", 10, day(60))
	if _, err := s.Sell(ctx, Sale{Code: "BOWL", Qty: 8, At: day(61)}); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"BOWL", ""} {
		rows, err := s.Stock(ctx, s.AsOfDate(day(62)), code)
		if err != nil {
			t.Fatal(err)
		}
		if r := rows[0]; !r.Reorder || r.ShortHistory {
			t.Errorf("report of %q: reorder %v, short history %v; want a reorder on a history from day 0", code, r.Reorder, r.ShortHistory)
		}
	}
}

// Cover is what is left to sell: 0 days when nothing is available, new or
// oversold; endless only when units are there and nothing sells.
func TestCoverDaysWhenNothingIsAvailable(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "NEW", domain.PathPrint, "Print")
	mustSKU(t, s, "OVER", domain.PathPrint, "Print")
	mustSKU(t, s, "IDLE", domain.PathPrint, "Print")
	s.Count(ctx, "OVER", 2, day(-10))
	for i := range 5 {
		if _, err := s.Sell(ctx, Sale{Code: "OVER", At: day(-9 + i), Force: true}); err != nil {
			t.Fatal(err)
		}
	}
	s.Count(ctx, "IDLE", 4, day(-3))
	for _, tt := range []struct {
		code  string
		cover float64
	}{{"NEW", 0}, {"OVER", 0}, {"IDLE", math.Inf(1)}} {
		if got := mustStock(t, s, tt.code, s.AsOfNow()).CoverDays; got != tt.cover {
			t.Errorf("%s has %v days of cover, want %v", tt.code, got, tt.cover)
		}
	}
}

// An archived SKU is no longer sold, whatever is left on the shelf.
func TestMessageOfAnArchivedSKU(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "ZINE", domain.PathPrint, "Print")
	s.Count(ctx, "ZINE", 5, day(-1))
	if err := s.ArchiveSKU(ctx, "ZINE"); err != nil {
		t.Fatal(err)
	}
	m, err := s.Message(ctx, "ZINE", s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if want := "No longer sold: this product has been discontinued."; m.Message != want || !m.ShipsBy.IsZero() {
		t.Errorf("message %q, ships by %v; want %q and no date", m.Message, m.ShipsBy, want)
	}
}

// A SKU switched to digital has no stock: the batch it had on order is not
// counted as on order (nor could it make it low or due a reorder), but the
// report says what that batch still holds, so the maker can cancel it.
func TestDigitalSKUDoesNotCountItsOldBatches(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "GUIDE", domain.PathPrint, "Print")
	if _, err := s.OrderBatch(ctx, Order{Code: "GUIDE", Qty: 30, At: day(-2)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditSKU(ctx, "GUIDE", SKUFields{Path: ptr(domain.PathDigital), Factory: ptr(""), MaxCover: ptr(3)}); err != nil {
		t.Fatal(err)
	}
	row := mustStock(t, s, "GUIDE", s.AsOfNow())
	if row.Status != domain.StatusDigital || row.OnOrder != 0 || row.IdleOnOrder != 30 || !math.IsInf(row.CoverDays, 1) {
		t.Errorf("digital GUIDE: status %s, on order %d, idle %d, cover %v; want digital, 0, 30, endless",
			row.Status, row.OnOrder, row.IdleOnOrder, row.CoverDays)
	}
	if row.SKU.MinCover != 0 || row.SKU.MaxCover != 0 {
		t.Errorf("digital GUIDE has cover %d to %d days, want none", row.SKU.MinCover, row.SKU.MaxCover)
	}
}

// A SKU with units on hand, or oversold, cannot become a download: its
// units would vanish from every report and its sales would go unchecked.
// Counted to 0 first, it can.
func TestASKUWithStockIsNotMadeDigital(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "GUIDE", domain.PathPrint, "Print")
	digital := SKUFields{Path: ptr(domain.PathDigital)}
	for _, tc := range []struct {
		count int
		sell  int
		want  string
	}{
		{7, 0, "GUIDE has 7 units on hand"},
		{0, 3, "GUIDE is oversold by 3 units"},
	} {
		if _, err := s.Count(ctx, "GUIDE", tc.count, s.Now()); err != nil {
			t.Fatal(err)
		}
		if tc.sell > 0 {
			if _, err := s.Sell(ctx, Sale{Code: "GUIDE", Qty: tc.sell, Force: true}); err != nil {
				t.Fatal(err)
			}
		}
		before := content(t, s)
		if _, err := s.EditSKU(ctx, "GUIDE", digital); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("GUIDE made digital: %v, want a refusal saying %s", err, tc.want)
		}
		if content(t, s) != before {
			t.Error("the refused edit changed the shop")
		}
	}
	if _, err := s.Count(ctx, "GUIDE", 0, s.Now()); err != nil {
		t.Fatal(err)
	}
	if sku, err := s.EditSKU(ctx, "GUIDE", digital); err != nil || sku.Path != domain.PathDigital {
		t.Fatalf("GUIDE counted to 0, made digital: %+v, %v", sku, err)
	}
}

// A download added 8 days ago that sold 2 sells 2 ÷ 8 a day, not 2 ÷ 28:
// the days before it was added do not dilute its rate, as stockout days
// and days before a physical SKU's first stock do not. A SKU changed to
// digital counts from the change.
func TestANewDownloadsRateCountsFromWhenItWasAdded(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	mustSKU(t, s, "OLD", domain.PathMicrofactory, "Fab")
	clock.Set(day(20).Add(time.Hour))
	mustSKU(t, s, "PDF", domain.PathDigital, "")
	if _, err := s.EditSKU(ctx, "OLD", SKUFields{Path: ptr(domain.PathDigital), Factory: ptr("")}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(27).Add(time.Hour))
	for _, code := range []string{"PDF", "OLD"} {
		if _, err := s.Sell(ctx, Sale{Code: code, Qty: 2}); err != nil {
			t.Fatal(err)
		}
	}
	for _, code := range []string{"PDF", "OLD"} {
		for _, r := range []StockRow{mustStock(t, s, code, s.AsOfNow()), wholeShopRow(t, s, code)} {
			if r.Rate != (domain.Rate{Sold: 2, Days: 8}) {
				t.Errorf("%s: rate %+v; want 2 over the 8 days since it became a download", code, r.Rate)
			}
		}
	}
	// A download added today with sales from before (an import of its
	// history) counts every day of the window from its first sale.
	mustSKU(t, s, "ZINE", domain.PathDigital, "")
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 4, At: day(5)}); err != nil {
		t.Fatal(err)
	}
	if r := wholeShopRow(t, s, "ZINE"); r.Rate != (domain.Rate{Sold: 4, Days: 23}) {
		t.Errorf("ZINE, with sales from before it was added: rate %+v; want 4 over the 23 days from its first sale", r.Rate)
	}
}

// A download's rate counts the days from when it could first sell: a sale
// backdated to the day before it was added made it count the whole window,
// so a third sale lowered the rate from 2 ÷ 7 to 3 ÷ 28. A sale before the
// window shows it could sell every day of it.
func TestADownloadsRateCountsFromItsFirstSale(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustSKU(t, s, "GUIDE", domain.PathDigital, "")
	now := clock.Now()
	for _, at := range []time.Time{now, now, now.AddDate(0, 0, -1)} {
		if _, err := s.Sell(ctx, Sale{Code: "GUIDE", At: at}); err != nil {
			t.Fatal(err)
		}
	}
	if got := mustStock(t, s, "GUIDE", s.AsOfNow()).Rate; got != (domain.Rate{Sold: 3, Days: 7}) {
		t.Errorf("three sales, one of them yesterday: rate %+v, want 3 over 7 days", got)
	}
	if _, err := s.Sell(ctx, Sale{Code: "GUIDE", At: now.AddDate(0, 0, -40)}); err != nil {
		t.Fatal(err)
	}
	if got := mustStock(t, s, "GUIDE", s.AsOfNow()).Rate; got != (domain.Rate{Sold: 3, Days: 28}) {
		t.Errorf("after a sale 40 days ago: rate %+v, want the window's 3 over all its 28 days", got)
	}
}

// A download's rate counts from its first sale that still stands: a sale
// on day 5, voided, then 4 sold on day 20 of one added on day 27, is 4 over
// the 8 days from day 20, not over the 23 from the voided sale; a voided
// sale before the window does not make it count the whole window.
func TestADownloadsRateCountsFromItsFirstSaleNotVoided(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(27).Add(time.Hour))
	mustSKU(t, s, "ZINE", domain.PathDigital, "")
	mustSKU(t, s, "ZINE2", domain.PathDigital, "")
	for _, c := range []struct {
		code   string
		voided time.Time
	}{{"ZINE", day(5)}, {"ZINE2", day(-20)}} {
		undone, err := s.Sell(ctx, Sale{Code: c.code, Qty: 1, At: c.voided})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.VoidSale(ctx, undone.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sell(ctx, Sale{Code: c.code, Qty: 4, At: day(20)}); err != nil {
			t.Fatal(err)
		}
		for _, r := range []StockRow{mustStock(t, s, c.code, s.AsOfNow()), wholeShopRow(t, s, c.code)} {
			if r.Rate != (domain.Rate{Sold: 4, Days: 8}) {
				t.Errorf("%s, its first sale voided: rate %+v; want 4 over the 8 days from its first sale that stands", c.code, r.Rate)
			}
		}
	}
}
