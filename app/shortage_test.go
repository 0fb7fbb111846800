package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// nov is a day of November 2026 at noon, the time a date-only --at means.
func nov(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }

// novemberShop sells ZINE: 5 counted on 1 November (its first stocktake)
// and all 5 sold on 10 November; it is now 20 November.
func novemberShop(t *testing.T) *Shop {
	t.Helper()
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(nov(20))
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "ZINE", domain.PathPrint, "Print")
	if _, err := s.Count(ctx, "ZINE", 5, nov(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 5, At: nov(10).Add(3 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBackdatedSaleIsCheckedUpToNow(t *testing.T) {
	ctx := context.Background()
	s := novemberShop(t)
	before := countRows(t, s.db, "events")
	// On 5 November 5 were available, but the 5 sold on 10 November leave
	// none for it: counting it, stock would be −3 from then on.
	_, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 3, At: nov(5)})
	var short *ShortError
	if !errors.As(err, &short) || domain.ErrorCode(err) != domain.EShort {
		t.Fatalf("backdated sale beyond what later sales left: err = %v, want a *ShortError conflict", err)
	}
	if !short.Later || short.Available != 0 || !sameDay(short.At, nov(10)) {
		t.Errorf("the refusal names %d available at %v (later %v), want 0 on 10 November", short.Available, short.At, short.Later)
	}
	msg := domain.ErrorMessage(err)
	for _, want := range []string{"3 of ZINE", "5 November 2026", "none available on 10 November 2026", "sales after it"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
	if got := countRows(t, s.db, "events"); got != before {
		t.Fatalf("the refused sale wrote %d events", got-before)
	}
	// A sale that really happened is recorded when forced, and shows.
	res, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 3, At: nov(5), Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Available != -3 {
		t.Errorf("the forced sale reports %d available, want -3 now", res.Available)
	}
	if row := mustStock(t, s, "ZINE", s.AsOfNow()); row.Available != -3 || row.Status != domain.StatusOversold {
		t.Errorf("now available %d, status %s; want -3, oversold", row.Available, row.Status)
	}
	// The next sale is refused, saying by how much the SKU is oversold.
	_, err = s.Sell(ctx, Sale{Code: "ZINE", Qty: 1})
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "cannot sell 1 of ZINE: none available (3 oversold) at") {
		t.Errorf("selling one more of an oversold SKU: %q, want it to say none are available, 3 oversold", msg)
	}
}

func TestBackdatedSaleWithinWhatLaterSalesLeft(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(nov(20))
	mustFactory(t, s, "Print", 3, true)
	mustSKU(t, s, "ZINE", domain.PathPrint, "Print")
	s.Count(ctx, "ZINE", 5, nov(1))
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 3, At: nov(10)}); err != nil {
		t.Fatal(err)
	}
	// 2 left after 10 November: a late sale of 2 on 5 November fits, and
	// now says what is left now.
	res, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 2, At: nov(5)})
	if err != nil {
		t.Fatalf("a late sale that every later moment has room for: %v", err)
	}
	if res.Available != 0 {
		t.Errorf("available after it %d, want 0 now", res.Available)
	}
	// A third is short on 10 November, after its sales.
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 1, At: nov(6)}); domain.ErrorCode(err) != domain.EShort {
		t.Fatalf("one more late sale: err = %v, want a refusal", err)
	}
}

func TestLateSaleBeforeTheFirstStocktakeIsInsideIt(t *testing.T) {
	ctx := context.Background()
	s := novemberShop(t)
	s.Count(ctx, "ZINE", 4, nov(15)) // 4 found on the shelf after the sales
	// Sold on 28 October, before the first count, recorded only now: the
	// count of 1 November already holds it, so it is accepted and moves
	// nothing; 4 are available now.
	res, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 2, At: time.Date(2026, 10, 28, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("late sale before the first stocktake: %v", err)
	}
	if res.Available != 4 {
		t.Errorf("available after it %d, want 4: the counts hold it", res.Available)
	}
	if row := mustStock(t, s, "ZINE", s.AsOfNow()); row.Available != 4 {
		t.Errorf("now available %d, want 4", row.Available)
	}
}

func TestLaterStocktakeEndsTheCheck(t *testing.T) {
	ctx := context.Background()
	s := novemberShop(t)
	// A recount on 12 November finds 6 (a box turned up); 6 more are sold
	// after it. A late sale on 8 November had 5 available then and is
	// inside the recount, so the sales after the recount do not matter.
	s.Count(ctx, "ZINE", 6, nov(12))
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 6, At: nov(14)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 5, At: nov(8)}); err == nil {
		t.Fatal("a late sale of 5 on 8 November, with all 5 sold on 10 November, was accepted")
	}
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 1, At: nov(11)}); domain.ErrorCode(err) != domain.EShort {
		t.Fatalf("a late sale on 11 November, when none was left: err = %v, want a refusal", err)
	}
	// One unit turns up on the evening of 10 November: a sale of it on 11
	// November is then short at no moment before the recount, and from the
	// recount on it changes nothing, though the 14 November sales took
	// every unit counted.
	if _, err := s.Adjust(ctx, "ZINE", 1, "found one", nov(10).Add(6*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "ZINE", Qty: 1, At: nov(11)}); err != nil {
		t.Fatalf("a late sale of the one unit found, before the recount: %v", err)
	}
}

func TestNegativeAdjustmentFollowsTheSaleRule(t *testing.T) {
	ctx := context.Background()
	s := novemberShop(t)
	before := countRows(t, s.db, "events")
	_, err := s.Adjust(ctx, "ZINE", -2, "water damage", nov(6))
	var short *ShortError
	if !errors.As(err, &short) || !strings.Contains(domain.ErrorMessage(err), "10 November 2026") {
		t.Fatalf("taking out 2 on 6 November when 10 November's sales left none: err = %v, want a refusal naming 10 November", err)
	}
	if got := countRows(t, s.db, "events"); got != before {
		t.Fatalf("the refused adjustment wrote %d events", got-before)
	}
	if _, err := s.AdjustStock(ctx, Adjustment{Code: "ZINE", Qty: -2, Note: "water damage", At: nov(6), Force: true}); err != nil {
		t.Fatalf("forced adjustment: %v", err)
	}
	// Adding units is never short.
	if _, err := s.Adjust(ctx, "ZINE", 4, "found a box", nov(6)); err != nil {
		t.Fatal(err)
	}
}
