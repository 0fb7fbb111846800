package app

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"testing"
	"time"

	"pgregory.net/rapid"

	"microshop/domain"
)

// The factory sales reports keep between them are a cache: after any mix
// of sales, voids, returns, counts and sales from another device arriving
// late by sync (dated days back, or ahead of this device's clock), each
// factory's units sold over a span equal a plain count of the ledger's
// sales less voids in it.
func TestFactorySoldMatchesLedger(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		a, clock := mustCreate(t)
		clock.Set(day(100))
		mustFactory(t, a, "Fab1", 5, true)
		mustFactory(t, a, "Fab2", 5, true)
		mustSKU(t, a, "A", domain.PathMicrofactory, "Fab1")
		mustSKU(t, a, "B", domain.PathMicrofactory, "Fab2")
		mustSKU(t, a, "D", domain.PathDigital, "")
		ahead := time.Duration(rapid.IntRange(0, 3).Draw(rt, "aheadHours")) * time.Hour
		b := mustReplica(t, a, func() time.Time { return clock.Now().Add(ahead) })
		syncPair(t, a, b)
		// A few fixed starts, as reports use, so spans are kept and caught up.
		starts := []int64{day(10).UnixMilli(), day(40).Add(5 * time.Hour).UnixMilli(), day(99).Add(time.Hour).UnixMilli()}
		var sales []string
		for range rapid.IntRange(5, 40).Draw(rt, "ops") {
			s := a
			if rapid.Bool().Draw(rt, "onB") {
				s = b
			}
			code := rapid.SampledFrom([]string{"A", "B", "D"}).Draw(rt, "code")
			back := time.Duration(rapid.IntRange(0, 100*24).Draw(rt, "hoursBack")) * time.Hour
			if rapid.Bool().Draw(rt, "today") {
				back = time.Duration(rapid.IntRange(0, 600).Draw(rt, "minutesBack")) * time.Minute
			}
			switch rapid.IntRange(0, 6).Draw(rt, "op") {
			case 0, 1:
				at := time.Time{} // now, on that device's clock
				if rapid.Bool().Draw(rt, "dated") {
					at = clock.Now().Add(-back)
				}
				if r, err := s.Sell(ctx, Sale{Code: code, Qty: rapid.IntRange(1, 4).Draw(rt, "qty"), At: at, Force: true}); err == nil && s == a {
					sales = append(sales, r.ID)
				}
			case 2:
				if len(sales) > 0 {
					a.VoidSale(ctx, rapid.SampledFrom(sales).Draw(rt, "void"), "")
				}
			case 3:
				reason := rapid.SampledFrom([]domain.ReturnReason{"defect", "changed-mind", "damaged-in-transit"}).Draw(rt, "reason")
				s.RecordReturn(ctx, Return{Code: code, Qty: rapid.IntRange(1, 3).Draw(rt, "returned"), Reason: reason, At: clock.Now().Add(-back)})
			case 4:
				syncPair(t, a, b)
			case 5:
				clock.Set(clock.Now().Add(time.Duration(rapid.IntRange(1, 36*60).Draw(rt, "minutesOn")) * time.Minute))
			case 6:
				a.Count(ctx, code, 5, clock.Now().Add(-back))
			}
			from := rapid.SampledFrom(starts).Draw(rt, "from")
			to := clock.Now().UnixMilli() + 1
			if rapid.Bool().Draw(rt, "toEarlier") {
				to -= int64(rapid.IntRange(0, 3*86_400_000).Draw(rt, "toBack"))
			}
			if to <= from {
				continue
			}
			got, want := soldThroughCache(rt, a, from, to)
			if !maps.Equal(got, want) {
				rt.Fatalf("sold in [%d, %d) through the cache %v, counted in the ledger %v", from, to, got, want)
			}
			got, want = returnsThroughCache(rt, a, from, to)
			if !maps.Equal(got, want) {
				rt.Fatalf("quality returns in [%d, %d) through the cache %v, counted in the ledger %v", from, to, got, want)
			}
		}
	})
}

// soldThroughCache is each factory's units sold in [from, to) through the
// shop's cache and by a plain count of the ledger, both in one read
// transaction, without factories that sold nothing.
func soldThroughCache(rt interface{ Fatal(...any) }, s *Shop, from, to int64) (cached, plain map[string]int) {
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		rt.Fatal(err)
	}
	defer tx.Rollback()
	var upto int64
	if err := tx.QueryRow(`SELECT coalesce(max(n), 0) FROM changes`).Scan(&upto); err != nil {
		rt.Fatal(err)
	}
	got, err := s.factorySold.get(ctx, tx, from, to, upto)
	if err != nil {
		rt.Fatal(err)
	}
	want, err := sumByID(ctx, tx, `SELECT factory_id, sum(CASE kind WHEN 'sale' THEN qty ELSE -qty END) FROM events
		WHERE kind IN ('sale', 'void') AND at >= ? AND at < ? GROUP BY factory_id`, from, to)
	if err != nil {
		rt.Fatal(err)
	}
	maps.DeleteFunc(got, func(_ string, n int) bool { return n == 0 })
	maps.DeleteFunc(want, func(_ string, n int) bool { return n == 0 })
	return got, want
}

// returnsThroughCache is each factory's quality returns in [from, to)
// through the shop's cache and by a plain count of the ledger.
func returnsThroughCache(rt interface{ Fatal(...any) }, s *Shop, from, to int64) (cached, plain map[string]int) {
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		rt.Fatal(err)
	}
	defer tx.Rollback()
	var upto int64
	if err := tx.QueryRow(`SELECT coalesce(max(n), 0) FROM changes`).Scan(&upto); err != nil {
		rt.Fatal(err)
	}
	got, err := keptCounts{&s.factorySold, upto}.returns(ctx, tx, from, to, "")
	if err != nil {
		rt.Fatal(err)
	}
	want, err := sumByID(ctx, tx, `SELECT factory_id, sum(qty) FROM events
		WHERE kind = 'return' AND at >= ? AND at < ? AND factory_id <> '' AND reason IN ('defect', 'broke', 'not-as-described')
		GROUP BY factory_id`, from, to)
	if err != nil {
		rt.Fatal(err)
	}
	maps.DeleteFunc(got, func(_ string, n int) bool { return n == 0 })
	maps.DeleteFunc(want, func(_ string, n int) bool { return n == 0 })
	return got, want
}

// A span ahead of the transaction reading it is not used: a report that
// began before a sale does not count the sale.
func TestFactorySoldIgnoresRowsAReportCannotSee(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(100))
	mustFactory(t, s, "Fab1", 5, true)
	mustSKU(t, s, "A", domain.PathMicrofactory, "Fab1")
	if _, err := s.Sell(ctx, Sale{Code: "A", Qty: 2, Force: true}); err != nil {
		t.Fatal(err)
	}
	old, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Rollback()
	var upto int64
	if err := old.QueryRow(`SELECT coalesce(max(n), 0) FROM changes`).Scan(&upto); err != nil {
		t.Fatal(err)
	}
	from, to := day(50).UnixMilli(), clock.Now().Add(time.Hour).UnixMilli()
	if _, err := s.Sell(ctx, Sale{Code: "A", Qty: 3, Force: true}); err != nil {
		t.Fatal(err)
	}
	newer, _ := soldThroughCache(t, s, from, to) // moves the span to the new sale
	got, err := s.factorySold.get(ctx, old, from, to, upto)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(newer, got) != fmt.Sprint(map[string]int{factoryID(t, s, "Fab1"): 5}, map[string]int{factoryID(t, s, "Fab1"): 2}) {
		t.Fatalf("sold now %v, as the older report sees it %v; want 5 and 2", newer, got)
	}
}

func factoryID(tb testing.TB, s *Shop, name string) string {
	tb.Helper()
	f, err := s.Factory(context.Background(), name, s.AsOfNow())
	if err != nil {
		tb.Fatal(err)
	}
	return f.ID
}
