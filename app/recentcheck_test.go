package app

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"pgregory.net/rapid"

	"microshop/domain"
)

// The level a sale checks comes from recent_levels, checked only against
// the log rows since the last sale: whatever arrives in between (sales and
// counts dated days back by sync, deliveries held for QA and the QA
// decided on the other device, moves between locations, whole-shop
// reports keeping new levels, days passing), it equals a replay of the
// SKU's whole ledger, at every location.
func TestSaleLevelsMatchFullReplay(t *testing.T) { checkSaleLevels(t, false) }

// A sale of a SKU that nothing has touched (no checkpoint, no recent level,
// no level left by a sale) starts from the SKU's last count at main, or
// else from its first event: either way the level it checks equals a
// replay of the SKU's whole ledger.
func TestASaleOfAnUntouchedSKUMatchesFullReplay(t *testing.T) { checkSaleLevels(t, true) }

// checkSaleLevels runs random writes on two devices and checks, after
// each, the level a sale would check of every SKU at every location;
// untouched forgets every kept level before each check.
func checkSaleLevels(t *testing.T, untouched bool) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		a, clock := vaseStallShop(t)
		b := mustReplica(t, a, clock.Now)
		syncPair(t, a, b)
		codes, places := []string{"MUG", "CARD", "VASE"}, []string{"main", "stall"}
		var batches []string
		for range rapid.IntRange(5, 30).Draw(rt, "ops") {
			s := a
			if rapid.Bool().Draw(rt, "onB") {
				s = b
			}
			code := rapid.SampledFrom(codes).Draw(rt, "code")
			place := rapid.SampledFrom(places).Draw(rt, "place")
			// Half the writes are now, as at the stall, where a sale
			// starts from the level the last one left.
			back := rapid.OneOf(rapid.Just(0), rapid.IntRange(0, 72*60)).Draw(rt, "minutesBack")
			at := clock.Now().Add(-time.Duration(back) * time.Minute)
			switch rapid.IntRange(0, 8).Draw(rt, "op") {
			case 0, 1:
				s.Sell(ctx, Sale{Code: code, Qty: rapid.IntRange(1, 3).Draw(rt, "qty"), At: at, Force: true, Location: place})
			case 2:
				s.CountStock(ctx, Stocktake{Code: code, Qty: rapid.IntRange(0, 20).Draw(rt, "count"), At: at, Location: place})
			case 3:
				if o, err := s.OrderBatch(ctx, Order{Code: code, Qty: 10, At: at}); err == nil {
					batches = append(batches, o.ID)
					s.ReceiveBatch(ctx, o.ID, 10, at.Add(time.Minute))
				}
			case 4:
				if len(batches) > 0 {
					s.DecideQA(ctx, rapid.SampledFrom(batches).Draw(rt, "batch"), rapid.Bool().Draw(rt, "pass"), "", clock.Now())
				}
			case 5:
				s.MoveStock(ctx, Move{Code: code, Qty: rapid.IntRange(1, 4).Draw(rt, "moved"), From: place, To: rapid.SampledFrom(places).Draw(rt, "to")})
			case 6:
				syncPair(t, a, b)
			case 7:
				a.Stock(ctx, a.AsOfNow(), "")
			case 8:
				clock.Set(clock.Now().Add(time.Duration(rapid.IntRange(1, 30*60).Draw(rt, "minutesOn")) * time.Minute))
			}
			for _, code := range codes {
				for _, place := range places {
					if untouched {
						forgetLevels(rt, a)
					}
					got, want := saleLevel(rt, a, code, place)
					if got != want {
						rt.Fatalf("%s at %s: a sale checks %+v, the whole ledger says %+v", code, place, got, want)
					}
				}
			}
		}
	})
}

// forgetLevels drops every level a sale could start from but the ledger.
func forgetLevels(rt *rapid.T, s *Shop) {
	if _, err := s.db.Exec(`DELETE FROM stock_checkpoints; DELETE FROM recent_levels`); err != nil {
		rt.Fatal(err)
	}
	s.saleLevels.mu.Lock()
	s.saleLevels.mark, s.saleLevels.levels = 0, nil
	s.saleLevels.mu.Unlock()
}

// saleLevel is the level a sale of code at place now would check, and the
// level a replay of the SKU's whole ledger gives, read in one write that
// is then rolled back.
func saleLevel(rt *rapid.T, s *Shop, code, place string) (got, want domain.Level) {
	ctx := context.Background()
	rolledBack := errors.New("only looking")
	err := s.write(ctx, func(t *txn) error {
		sku, err := findSKU(ctx, t.tx, code)
		if err != nil {
			return err
		}
		loc, err := t.placeOf(ctx, place)
		if err != nil {
			return err
		}
		if got, _, err = levelAt(ctx, t, sku.ID, loc.ID, t.now); err != nil {
			return err
		}
		w := domain.Window{DayStarts: []int64{domain.StartOfDay(t.now).UnixMilli()}, End: t.now.UnixMilli() + 1}
		full := &ledger{q: t.tx, window: w, points: map[string]checkpoint{}, fresh: map[string]checkpoint{}, uptoSlack: math.MaxInt64}
		rep, err := full.replay(ctx, sku.ID)
		if err != nil {
			return err
		}
		want = rep.Places.At(loc.ID, rep.AtEnd)
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		rt.Fatal(err)
	}
	return got, want
}
