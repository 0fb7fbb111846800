package app

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"microshop/domain"
)

// Checkpoints, settled marks and factory sales are caches: whatever order
// movements arrive in, a report built on them must equal one built from the
// whole ledger, and the whole-shop report (one scan of the window) must
// agree with each SKU's own (a seek a day).
func TestCachesMatchFullReplay(t *testing.T) {
	defer func(was int64) { shopStaleScanLimit = was }(shopStaleScanLimit)
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		// A whole-shop report keeps every checkpoint, or drops those that
		// saw a few rows less than the log holds, as after a big import.
		shopStaleScanLimit = rapid.SampledFrom([]int64{50_000, 0, 2, 10}).Draw(rt, "shopStaleScanLimit")
		s, clock := mustCreate(t)
		clock.Set(day(120))
		mustFactory(t, s, "NewFab", 5, false)
		mustSKU(t, s, "A", domain.PathMicrofactory, "NewFab")
		mustSKU(t, s, "B", domain.PathMicrofactory, "NewFab")
		codes := []string{"A", "B"}
		var batches, sales []string
		for i := range rapid.IntRange(5, 40).Draw(rt, "ops") {
			code := rapid.SampledFrom(codes).Draw(rt, "code")
			at := day(rapid.IntRange(0, 110).Draw(rt, "day")).Add(time.Duration(i) * time.Second)
			switch rapid.IntRange(0, 9).Draw(rt, "op") {
			case 0, 1:
				if r, err := s.Sell(ctx, Sale{Code: code, Qty: rapid.IntRange(1, 5).Draw(rt, "qty"), At: at, Force: true}); err == nil {
					sales = append(sales, r.ID)
				}
			case 8:
				if len(sales) > 0 {
					s.VoidSale(ctx, rapid.SampledFrom(sales).Draw(rt, "void"), "")
				}
			case 2:
				s.Count(ctx, code, rapid.IntRange(0, 50).Draw(rt, "count"), at)
			case 3:
				s.RecordReturn(ctx, Return{Code: code, Qty: 1, Reason: "defect", Restock: rapid.Bool().Draw(rt, "restock"), At: at})
			case 4:
				// Received in full or in part, now or (still open) later.
				b, err := s.OrderBatch(ctx, Order{Code: code, Qty: 30, At: at})
				if err == nil {
					batches = append(batches, b.ID)
					s.ReceiveBatch(ctx, b.ID, rapid.SampledFrom([]int{10, 30}).Draw(rt, "received"), at.Add(time.Hour))
				}
			case 9:
				if len(batches) > 0 {
					s.ReceiveBatch(ctx, rapid.SampledFrom(batches).Draw(rt, "batch"), 10, at.Add(time.Hour))
				}
			case 5:
				if len(batches) > 0 {
					id := rapid.SampledFrom(batches).Draw(rt, "batch")
					s.DecideQA(ctx, id, rapid.Bool().Draw(rt, "pass"), "", at.Add(2*time.Hour))
				}
			case 6, 7:
				// A report in between moves checkpoints forward.
				s.Stock(ctx, s.AsOfDate(day(rapid.IntRange(0, 115).Draw(rt, "report"))), "")
			}
		}
		// The whole-ledger answer comes from a copy with no checkpoints.
		copyPath := s.Path() + ".full.db"
		if _, err := s.db.Exec(`VACUUM INTO ?`, copyPath); err != nil {
			rt.Fatal(err)
		}
		full, err := Open(copyPath, Options{Now: clock.Now, Location: time.UTC})
		if err != nil {
			rt.Fatal(err)
		}
		defer full.Close()
		forget := func() {
			for _, q := range []string{`DELETE FROM stock_checkpoints`, `UPDATE batches SET settled_at = NULL`, `DELETE FROM factory_sales`,
				`INSERT INTO factory_sales (factory_id, day, sold) SELECT factory_id, at / 86400000, sum(CASE kind WHEN 'sale' THEN qty ELSE -qty END)
					FROM events WHERE kind IN ('sale', 'void') GROUP BY 1, 2`} {
				if _, err := full.db.Exec(q); err != nil {
					rt.Fatal(err)
				}
			}
		}
		forget()
		if got, want := factorySales(t, s), factorySales(t, full); got != want {
			rt.Fatalf("factory_sales kept as events came:\n%s\nrecomputed from the events:\n%s", got, want)
		}
		// Factory sales from the cache and the partial days at its ends
		// equal a plain count over the events, for any span.
		from := day(rapid.IntRange(-5, 120).Draw(rt, "from")).Add(time.Duration(rapid.IntRange(0, 86_400_000).Draw(rt, "fromMS")) * time.Millisecond).UnixMilli()
		to := from + int64(rapid.IntRange(1, 100*86_400_000).Draw(rt, "spanMS"))
		got, err := soldByFactory(ctx, s.db, from, to)
		if err != nil {
			rt.Fatal(err)
		}
		var plain int
		s.db.QueryRow(`SELECT coalesce(sum(CASE kind WHEN 'sale' THEN qty ELSE -qty END), 0) FROM events
			WHERE kind IN ('sale', 'void') AND at >= ? AND at < ?`, from, to).Scan(&plain)
		total := 0
		for _, n := range got {
			total += n
		}
		if total != plain {
			rt.Fatalf("sold in [%d, %d): %d from factory_sales, %d counting the events", from, to, total, plain)
		}
		for _, d := range []int{115, 100, 60, 30, 5} {
			cached, cachedAlerts, err := s.Overview(ctx, s.AsOfDate(day(d)))
			if err != nil {
				rt.Fatal(err)
			}
			want, wantAlerts, err := full.Overview(ctx, full.AsOfDate(day(d)))
			if err != nil {
				rt.Fatal(err)
			}
			forget()
			for i := range want {
				c, f := cached[i], want[i]
				one := mustStock(t, s, f.SKU.Code, s.AsOfDate(day(d)))
				for k, got := range []StockRow{c, one} {
					if got.OnHand != f.OnHand || got.Held != f.Held || got.Rate != f.Rate || got.OnOrder != f.OnOrder || got.NextArrival != f.NextArrival {
						rt.Fatalf("day %d %s (%s report): cached %d/%d/%v/%d/%d, full replay %d/%d/%v/%d/%d", d, f.SKU.Code, []string{"whole-shop", "one-SKU"}[k],
							got.OnHand, got.Held, got.Rate, got.OnOrder, got.NextArrival, f.OnHand, f.Held, f.Rate, f.OnOrder, f.NextArrival)
					}
					// Everything the rules make of it too, short history
					// included: a checkpoint must not hide how old it is.
					if got.Assessment != f.Assessment {
						rt.Fatalf("day %d %s (%s report): cached %+v, full replay %+v", d, f.SKU.Code, []string{"whole-shop", "one-SKU"}[k],
							got.Assessment, f.Assessment)
					}
				}
			}
			if !slices.Equal(cachedAlerts, wantAlerts) {
				rt.Fatalf("day %d: alerts with caches %v, from the whole ledger %v", d, cachedAlerts, wantAlerts)
			}
		}
	})
}

// factorySales is the factory_sales table as text, days that net to zero
// left out.
func factorySales(tb testing.TB, s *Shop) string {
	tb.Helper()
	rows, err := s.db.Query(`SELECT factory_id, day, sold FROM factory_sales WHERE sold <> 0 ORDER BY 1, 2`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var sb strings.Builder
	for rows.Next() {
		var f string
		var d, n int64
		if err := rows.Scan(&f, &d, &n); err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(&sb, "%s %d %d\n", f, d, n)
	}
	return sb.String()
}

// dayBounds is exactly the set of instants dayOf maps to a day, either side
// of 1970 too.
func TestDayBounds(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		at := rapid.Int64Range(-1e13, 1e13).Draw(rt, "at")
		start, end := dayBounds(dayOf(at))
		if at < start || at >= end || dayOf(start) != dayOf(at) || dayOf(end-1) != dayOf(at) || dayOf(start-1) == dayOf(at) || dayOf(end) == dayOf(at) {
			rt.Fatalf("at %d: day %d spans [%d, %d)", at, dayOf(at), start, end)
		}
	})
}

// Whole-shop reports keep the SKU list between runs; an edit here, or by
// another process on the same file, must show in the next report.
func TestReportsSeeSKUEditsFromAnyProcess(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	name := func() string {
		rows, err := s.Stock(ctx, s.AsOfNow(), "")
		if err != nil || len(rows) != 1 {
			t.Fatalf("stock: %v, %d rows", err, len(rows))
		}
		return rows[0].SKU.Name
	}
	name()
	if _, err := s.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Blue mug")}); err != nil {
		t.Fatal(err)
	}
	if got := name(); got != "Blue mug" {
		t.Fatalf("after an edit the report says %q, want Blue mug", got)
	}
	other, err := Open(s.Path(), Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Green mug")}); err != nil {
		t.Fatal(err)
	}
	if got := name(); got != "Green mug" {
		t.Fatalf("after another process's edit the report says %q, want Green mug", got)
	}
}

// Two movements of a SKU at the same moment count in HLC order, whatever
// order they reached this replica in: every replica must agree. Here the
// laptop sold 3 at noon, then the desktop, later, recorded a count of 10
// at the same noon: the count comes last and stands.
func TestSameMomentMovementsCountInHLCOrder(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	mustFactory(t, a, "Fab", 5, true)
	mustSKU(t, a, "MUG", domain.PathMicrofactory, "Fab")
	mustSKU(t, a, "CUP", domain.PathMicrofactory, "Fab")
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	noon := day(1).Add(12 * time.Hour)
	clock.Set(day(2))
	if _, err := b.Sell(ctx, Sale{Code: "MUG", Qty: 3, At: noon, Force: true}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(3))
	if _, err := a.Count(ctx, "MUG", 10, noon); err != nil {
		t.Fatal(err)
	}
	// A second SKU makes the stock list a whole-shop report, read in one
	// scan of the time-led index.
	if _, err := a.Count(ctx, "CUP", 5, noon); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b) // a holds its count first, then the earlier-stamped sale
	for _, s := range []*Shop{a, b} {
		rows, err := s.Stock(ctx, s.AsOfNow(), "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.SKU.Code == "MUG" && r.OnHand != 10 {
				t.Errorf("%s, stock list: MUG on hand %d, want 10", s.DeviceID(), r.OnHand)
			}
		}
		if got := mustStock(t, s, "MUG", s.AsOfNow()).OnHand; got != 10 {
			t.Errorf("%s, one SKU: MUG on hand %d, want 10", s.DeviceID(), got)
		}
	}
}

// A delivery's units held for QA are counted, and QA fails them in the
// same millisecond: the failed units leave after the count, whichever way
// the level is worked out. The first report (a replay of the whole ledger)
// had put them out before the count, and said one more was on hand than a
// sale, which starts from the level kept at the start of the day.
func TestAFailedQADecisionInTheMillisecondOfACountComesAfterIt(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(0).Add(12 * time.Hour))
	mustFactory(t, s, "New Works", 5, false)
	mustSKU(t, s, "VASE", domain.PathMicrofactory, "New Works")
	if _, err := s.Stock(ctx, s.AsOfNow(), ""); err != nil { // keeps the level at the start of the day
		t.Fatal(err)
	}
	o, err := s.OrderBatch(ctx, Order{Code: "VASE", Qty: 10, At: clock.Now().Add(-46 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.ReceiveBatch(ctx, o.ID, 10, clock.Now().Add(-45*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if r.HeldUnits == 0 {
		t.Fatal("a new factory's delivery held nothing for QA")
	}
	if _, err := s.Count(ctx, "VASE", 20, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideQA(ctx, o.ID, false, "cracked", clock.Now()); err != nil {
		t.Fatal(err)
	}
	want := 20 - r.HeldUnits
	if _, err := s.db.Exec(`DELETE FROM stock_checkpoints`); err != nil {
		t.Fatal(err)
	}
	s.kept.forget()
	if got := mustStock(t, s, "VASE", s.AsOfNow()); got.OnHand != want || got.Held != 0 {
		t.Errorf("the first report: on hand %d, held %d; want %d and 0", got.OnHand, got.Held, want)
	}
	if _, err := s.Sell(ctx, Sale{Code: "VASE", Qty: want + 1}); domain.ErrorCode(err) != domain.EShort {
		t.Errorf("selling %d of %d on hand: %v, want a refusal", want+1, want, err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "VASE", Qty: want}); err != nil {
		t.Errorf("selling the %d on hand: %v", want, err)
	}
}

// A shop an earlier build made has the narrow day-led index; opening it
// with this build widens it (migration 0024), and the shop reads the same:
// one SKU's replay, a sale's check, and the whole-shop report.
func TestAShopOpenedAfterTheDayIndexWidensReadsTheSame(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(0).Add(9 * time.Hour))
	mustFactory(t, s, "Press", 3, true)
	mustSKU(t, s, "CARD", domain.PathPrint, "Press")
	if _, err := s.Count(ctx, "CARD", 30, clock.Now()); err != nil {
		t.Fatal(err)
	}
	for d := 1; d <= 20; d++ {
		clock.Set(day(d).Add(10 * time.Hour))
		if _, err := s.Sell(ctx, Sale{Code: "CARD", Qty: 1}); err != nil {
			t.Fatal(err)
		}
	}
	before := mustStock(t, s, "CARD", s.AsOfNow())
	path := s.path
	// One connection for all: the pool's next one could still see the
	// index just dropped ("index events_day_sku already exists").
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP INDEX events_day_sku`,
		`CREATE INDEX events_day_sku ON changes (at / 86400000, sku_n) WHERE at IS NOT NULL`,
		`DELETE FROM migrations WHERE name = '0024_day_sku_covering.sql'`,
		`DELETE FROM stock_checkpoints`,
		`DELETE FROM recent_levels`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	s.Close()
	up, err := Open(path, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	if got := mustStock(t, up, "CARD", up.AsOfNow()); got.OnHand != 10 || got.Assessment != before.Assessment {
		t.Errorf("after the upgrade CARD reads %+v; before it %+v, with 10 on hand", got.Assessment, before.Assessment)
	}
	if _, err := up.Sell(ctx, Sale{Code: "CARD", Qty: 11}); domain.ErrorCode(err) != domain.EShort {
		t.Errorf("selling 11 of the 10 on hand after the upgrade: %v, want a refusal", err)
	}
	rows, err := up.Stock(ctx, up.AsOfNow(), "")
	if err != nil || len(rows) != 1 || rows[0].Assessment != before.Assessment {
		t.Errorf("the whole-shop report after the upgrade: %+v (%v), want %+v", rows, err, before.Assessment)
	}
}

// batchLookups counts the statements that read one batch by its id.
type batchLookups struct {
	queryer
	n int
}

func (q *batchLookups) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if strings.Contains(query, "FROM batches WHERE id") {
		q.n++
	}
	return q.queryer.QueryRowContext(ctx, query, args...)
}

// A sale replays its SKU from the last count, deliveries and all. A
// delivery from an established factory holds nothing back, so QA's word
// on its batch changes nothing and is not read; one holding units back is
// still read, and its held units count as held.
func TestAReplayReadsOnlyTheBatchesHoldingUnits(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(3))
	mustFactory(t, s, "OldFab", 10, true)
	mustFactory(t, s, "NewFab", 10, false)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "OldFab")
	mustSKU(t, s, "PIN", domain.PathMicrofactory, "NewFab")
	for _, code := range []string{"MUG", "PIN"} {
		o, err := s.OrderBatch(ctx, Order{Code: code, Qty: 40, At: day(0)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReceiveBatch(ctx, o.ID, 40, day(1)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		code         string
		lookups      int
		onHand, held int
	}{
		{"MUG", 0, 40, 0},
		{"PIN", 1, 40, 4},
	} {
		sku, err := findSKU(ctx, s.db, tc.code)
		if err != nil {
			t.Fatal(err)
		}
		q := &batchLookups{queryer: s.db}
		l, err := newLedger(ctx, q, s.AsOfDate(day(2)).Window(), []string{sku.ID})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := l.replay(ctx, sku.ID)
		if err != nil {
			t.Fatal(err)
		}
		if q.n != tc.lookups {
			t.Errorf("%s's replay read %d batches by id, want %d", tc.code, q.n, tc.lookups)
		}
		if rep.AtEnd.OnHand != tc.onHand || rep.AtEnd.Held != tc.held {
			t.Errorf("%s on hand/held = %d/%d, want %d/%d", tc.code, rep.AtEnd.OnHand, rep.AtEnd.Held, tc.onHand, tc.held)
		}
	}
}

// A whole-shop report forgets the checkpoints that have not seen the last
// shopStaleScanLimit log rows (checking them would read every row logged
// since, as after a big import) and checks the others from the oldest of
// them; one SKU's report checks its checkpoint however old it is.
func TestAWholeShopReportForgetsOnlyTheCheckpointsFarBehind(t *testing.T) {
	last := 3 * shopStaleScanLimit
	edge := last - shopStaleScanLimit
	points := func() map[string]checkpoint {
		return map[string]checkpoint{"old": {upto: 100}, "edge": {upto: edge}, "recent": {upto: last - 10}}
	}
	shop := &ledger{upto: last, points: points()}
	if from := shop.checkedFrom(""); from != edge {
		t.Errorf("a whole-shop report checks from log row %d; want %d, the oldest checkpoint it keeps", from, edge)
	}
	if _, ok := shop.points["old"]; ok || len(shop.points) != 2 {
		t.Errorf("a whole-shop report keeps %v; want the checkpoints at %d and %d, not the one at 100", shop.points, edge, last-10)
	}
	one := &ledger{upto: last, points: map[string]checkpoint{"old": {upto: 100}}}
	if from := one.checkedFrom("old"); from != 100 || len(one.points) != 1 {
		t.Errorf("one SKU's report checks from %d and keeps %v; want its checkpoint, from row 100", from, one.points)
	}
}
