package app

import (
	"context"
	"testing"
	"time"

	"pgregory.net/rapid"

	"microshop/domain"
)

// Checkpoints are a cache: whatever order movements arrive in, a report
// built on them must equal a replay of the whole ledger.
func TestCheckpointsMatchFullReplay(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		s, clock := mustCreate(t)
		clock.Set(day(120))
		mustFactory(t, s, "NewFab", 5, false)
		mustSKU(t, s, "A", domain.PathMicrofactory, "NewFab")
		mustSKU(t, s, "B", domain.PathMicrofactory, "NewFab")
		codes := []string{"A", "B"}
		var batches []string
		for i := range rapid.IntRange(5, 40).Draw(rt, "ops") {
			code := rapid.SampledFrom(codes).Draw(rt, "code")
			at := day(rapid.IntRange(0, 110).Draw(rt, "day")).Add(time.Duration(i) * time.Second)
			switch rapid.IntRange(0, 7).Draw(rt, "op") {
			case 0, 1:
				s.Sell(ctx, Sale{Code: code, Qty: rapid.IntRange(1, 5).Draw(rt, "qty"), At: at, Force: true})
			case 2:
				s.Count(ctx, code, rapid.IntRange(0, 50).Draw(rt, "count"), at)
			case 3:
				s.RecordReturn(ctx, Return{Code: code, Qty: 1, Reason: "defect", Restock: rapid.Bool().Draw(rt, "restock"), At: at})
			case 4:
				b, err := s.OrderBatch(ctx, Order{Code: code, Qty: 30, At: at})
				if err == nil {
					if _, err := s.ReceiveBatch(ctx, b.ID, 30, at.Add(time.Hour)); err == nil {
						batches = append(batches, b.ID)
					}
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
		if _, err := full.db.Exec(`DELETE FROM stock_checkpoints`); err != nil {
			rt.Fatal(err)
		}
		for _, d := range []int{115, 100, 60, 30, 5} {
			cached, err := s.Stock(ctx, s.AsOfDate(day(d)), "")
			if err != nil {
				rt.Fatal(err)
			}
			want, err := full.Stock(ctx, full.AsOfDate(day(d)), "")
			if err != nil {
				rt.Fatal(err)
			}
			full.db.Exec(`DELETE FROM stock_checkpoints`)
			for i := range want {
				c, f := cached[i], want[i]
				if c.OnHand != f.OnHand || c.Held != f.Held || c.Rate != f.Rate || c.OnOrder != f.OnOrder {
					rt.Fatalf("day %d %s: cached %d/%d/%v/%d, full replay %d/%d/%v/%d", d, f.SKU.Code,
						c.OnHand, c.Held, c.Rate, c.OnOrder, f.OnHand, f.Held, f.Rate, f.OnOrder)
				}
			}
		}
	})
}
