package app

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"microshop/domain"
)

// scannedRows is what a whole-ledger scan hands the replay: each SKU's
// rows in time order, ties at one moment in HLC order.
func scannedRows(t *testing.T, s *Shop, scan func(*ledger) (map[int64][]ledgerRow, error)) map[int64][]ledgerRow {
	t.Helper()
	ctx := context.Background()
	l := &ledger{q: s.db, window: domain.Window{DayStarts: []int64{math.MinInt64 + 1}, End: math.MaxInt64}}
	rows, err := scan(l)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.orderTies(ctx, rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

func splitScan(l *ledger) (map[int64][]ledgerRow, error) {
	rows, _, err := l.scanRows(context.Background(), math.MinInt64, nil, nil, nil)
	return rows, err
}

// wholeScan reads every column of every row as it is: what the replay
// read before the scan was split.
func wholeScan(l *ledger) (map[int64][]ledgerRow, error) {
	rows, err := l.q.QueryContext(context.Background(), `SELECT e.sku_n, `+ledgerColumns+` FROM events e ORDER BY e.at, e.sku_n`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := map[int64][]ledgerRow{}
	var sc ledgerScanner
	for rows.Next() {
		r, n, err := sc.scan(rows, true)
		if err != nil {
			return nil, err
		}
		byKey[n] = append(byKey[n], r)
	}
	return byKey, rows.Err()
}

// The split scan of the whole ledger reads the same rows as reading every
// column of every row: sales, voids, returns with and without restock,
// counts and adjustments at main and away, deliveries held for QA, moves,
// and events from another device, at the same moment too.
func TestSplitScanReadsTheWholeRows(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		a, clock := vaseStallShop(t)
		b := mustReplica(t, a, clock.Now)
		codes, places := []string{"MUG", "CARD", "VASE"}, []string{"main", "stall"}
		var sales []string
		for range rapid.IntRange(1, 40).Draw(rt, "ops") {
			s := a
			if rapid.Bool().Draw(rt, "onB") {
				s = b
			}
			code := rapid.SampledFrom(codes).Draw(rt, "code")
			place := rapid.SampledFrom(places).Draw(rt, "place")
			// Few moments, so that events often share one.
			at := clock.Now().Add(-time.Duration(rapid.IntRange(0, 3).Draw(rt, "hoursBack")) * time.Hour)
			switch rapid.IntRange(0, 8).Draw(rt, "op") {
			case 0, 1:
				if r, err := s.Sell(ctx, Sale{Code: code, Qty: rapid.IntRange(1, 9).Draw(rt, "qty"), At: at, Force: true, Location: place}); err == nil {
					sales = append(sales, r.ID)
				}
			case 2:
				s.CountStock(ctx, Stocktake{Code: code, Qty: rapid.IntRange(0, 40).Draw(rt, "count"), At: at, Location: place})
			case 3:
				s.AdjustStock(ctx, Adjustment{Code: code, Qty: rapid.IntRange(-5, 5).Draw(rt, "adjust"), Note: "found", At: at, Location: place})
			case 4:
				if o, err := s.OrderBatch(ctx, Order{Code: code, Qty: 20, At: at}); err == nil {
					s.ReceiveBatch(ctx, o.ID, rapid.IntRange(1, 20).Draw(rt, "received"), at)
				}
			case 5:
				s.MoveStock(ctx, Move{Code: code, Qty: rapid.IntRange(1, 4).Draw(rt, "moved"), From: place, To: rapid.SampledFrom(places).Draw(rt, "to")})
			case 6:
				s.RecordReturn(ctx, Return{Code: code, Qty: rapid.IntRange(1, 3).Draw(rt, "returned"), Reason: "defect",
					Restock: rapid.Bool().Draw(rt, "restock"), At: at, Location: place})
			case 7:
				if len(sales) > 0 {
					s.VoidSale(ctx, rapid.SampledFrom(sales).Draw(rt, "void"), "mistake")
				}
			case 8:
				syncPair(t, a, b)
			}
		}
		syncPair(t, a, b)
		want := scannedRows(t, a, wholeScan)
		if got := scannedRows(t, a, splitScan); !reflect.DeepEqual(got, want) {
			t.Fatalf("split scan:\n%+v\nevery column:\n%+v", got, want)
		}
	})
}

// A quantity no write lets in, read through the aggregate, is read as it
// is, as reading every column reads it.
func TestSplitScanReadsAnyQuantity(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Kiln", 5, true)
	mustSKU(t, s, "MUG", domain.PathHandmade, "Kiln")
	if _, err := s.Count(ctx, "MUG", 10, s.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Adjust(ctx, "MUG", 3, "found", s.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE changes SET qty = 5000000 WHERE entity = 'adjustment'`); err != nil {
		t.Fatal(err)
	}
	want := scannedRows(t, s, wholeScan)
	got := scannedRows(t, s, splitScan)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("split scan:\n%+v\nevery column:\n%+v", got, want)
	}
	found := false
	for _, rs := range got {
		for _, r := range rs {
			found = found || r.qty == 5000000
		}
	}
	if !found {
		t.Fatalf("the adjustment of 5,000,000 was not read: %+v", got)
	}
}
