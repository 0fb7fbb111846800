package app

import (
	"context"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"microshop/domain"
)

// The first whole-shop report, with no checkpoint to start from, starts
// each SKU counted at main before its window at its last such count. Its
// one scan of the ledger starts where that costs least; the SKUs starting
// before it read the rest a seek a day. It equals each SKU's own report
// replayed from its first event: with deliveries held for QA before and
// after the count and QA deciding before, at and after it, sales and other
// events in the count's very millisecond, stock moved to and counted at
// the stall, SKUs never counted, downloads sold, voided and returned, the
// scan starting as early or as late as it can, and batches marked settled
// by an earlier report. A download, replayed over the window only, reads
// as a replay of its whole ledger does.
func TestTheFirstReportStartsAtCountsAsAWholeReplayWould(t *testing.T) {
	defer func(was float64) { seekCost = was }(seekCost)
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		// With seeks free, the scan starts at the latest SKU's start; with
		// seeks dearer than any scan, at the earliest's.
		seekCost = rapid.SampledFrom([]float64{0, 9, 1e9}).Draw(rt, "seekCost")
		s, clock := vaseStallShop(t)
		clock.Set(day(130))
		mustSKU(t, s, "BOWL", domain.PathMicrofactory, "Fab")
		mustSKU(t, s, "PIN", domain.PathMicrofactory, "Fab")
		mustSKU(t, s, "PLATE", domain.PathMicrofactory, "New Works")
		mustSKU(t, s, "ZINE", domain.PathDigital, "")
		codes, places := []string{"MUG", "CARD", "VASE", "BOWL", "PIN", "PLATE", "ZINE"}, []string{"main", "stall"}
		var sales []string
		// Most SKUs counted early, as a shop that counts is.
		for _, code := range codes {
			if rapid.IntRange(0, 3).Draw(rt, "countedEarly") > 0 {
				s.Count(ctx, code, rapid.IntRange(0, 30).Draw(rt, "early"), day(rapid.IntRange(0, 90).Draw(rt, "earlyDay")))
			}
		}
		var batches []string
		var moments []time.Time
		for i := range rapid.IntRange(5, 40).Draw(rt, "ops") {
			code := rapid.SampledFrom(codes).Draw(rt, "code")
			place := rapid.SampledFrom(places).Draw(rt, "place")
			// Often a moment used before, so events share a millisecond.
			at := day(rapid.IntRange(0, 125).Draw(rt, "day")).Add(time.Duration(i) * time.Second)
			if len(moments) > 0 && rapid.Bool().Draw(rt, "again") {
				at = rapid.SampledFrom(moments).Draw(rt, "moment")
			}
			moments = append(moments, at)
			switch rapid.IntRange(0, 8).Draw(rt, "op") {
			case 0:
				s.Sell(ctx, Sale{Code: code, Qty: rapid.IntRange(1, 5).Draw(rt, "qty"), At: at, Force: true, Location: place})
			case 1:
				if sold, err := s.Sell(ctx, Sale{Code: code, Qty: rapid.IntRange(1, 5).Draw(rt, "qty"), At: at, Force: true, Location: place}); err == nil {
					sales = append(sales, sold.ID)
				}
				if len(sales) > 0 && rapid.Bool().Draw(rt, "void") {
					s.VoidSale(ctx, rapid.SampledFrom(sales).Draw(rt, "voided"), "")
				}
			case 2, 3:
				s.CountStock(ctx, Stocktake{Code: code, Qty: rapid.IntRange(0, 30).Draw(rt, "count"), At: at, Location: place})
			case 4:
				if o, err := s.OrderBatch(ctx, Order{Code: code, Qty: 20, At: at.Add(-time.Hour)}); err == nil {
					batches = append(batches, o.ID)
					s.ReceiveBatch(ctx, o.ID, rapid.SampledFrom([]int{10, 20}).Draw(rt, "received"), at)
				}
			case 5:
				if len(batches) > 0 {
					s.DecideQA(ctx, rapid.SampledFrom(batches).Draw(rt, "batch"), rapid.Bool().Draw(rt, "pass"), "", at)
				}
			case 6:
				if rapid.Bool().Draw(rt, "move") {
					s.MoveStock(ctx, Move{Code: code, Qty: rapid.IntRange(1, 4).Draw(rt, "moved"), From: place, To: rapid.SampledFrom(places).Draw(rt, "to"), At: at})
				}
			case 7:
				s.RecordReturn(ctx, Return{Code: code, Qty: 1, Reason: "defect", Restock: rapid.Bool().Draw(rt, "restock"), At: at})
			case 8:
				s.AdjustStock(ctx, Adjustment{Code: code, Qty: rapid.IntRange(-3, 3).Draw(rt, "adjust"), Note: "found", At: at, Force: true})
			}
		}
		asOf := s.AsOfDate(day(rapid.IntRange(95, 130).Draw(rt, "asOf")))
		forgetCheckpoints := func() {
			if _, err := s.db.Exec(`DELETE FROM stock_checkpoints; DELETE FROM recent_levels`); err != nil {
				rt.Fatal(err)
			}
			s.kept.forget()
		}
		if rapid.Bool().Draw(rt, "reportedBefore") {
			// A report marks the batches it found settled, which later
			// reports do not read again: as when sync brought an older
			// history after reports had run, making every checkpoint stale.
			if _, err := s.Stock(ctx, asOf, ""); err != nil {
				rt.Fatal(err)
			}
		}
		forgetCheckpoints()
		first, err := s.Stock(ctx, asOf, "")
		if err != nil {
			rt.Fatal(err)
		}
		for _, got := range first {
			forgetCheckpoints()
			want := mustStock(t, s, got.SKU.Code, asOf)
			if !reflect.DeepEqual(got, want) {
				rt.Fatalf("%s, the first whole-shop report:\n%+v\nits own report from its first event:\n%+v", got.SKU.Code, got, want)
			}
			if got.SKU.Path == domain.PathDigital {
				// A download's row, replayed over the window only, reads
				// as a replay of its whole ledger does.
				l, err := newLedger(ctx, s.db, asOf.Window(), []string{got.SKU.ID})
				if err != nil {
					rt.Fatal(err)
				}
				whole, err := l.replay(ctx, got.SKU.ID)
				if err != nil {
					rt.Fatal(err)
				}
				if days := digitalDays(whole.Days); !reflect.DeepEqual(got.Days, days) || got.Places != nil {
					rt.Fatalf("%s's days over the window only:\n%+v at %v\nover its whole ledger:\n%+v", got.SKU.Code, got.Days, got.Places, days)
				}
			}
		}
	})
}
