package app

import (
	"context"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"microshop/domain"
)

// A whole-shop report made from the last one, redoing only what changed,
// equals one made whole: after sales here and on another device (dated
// back, arriving by sync), counts, deliveries held for QA and the QA
// decided, quality returns that pause a factory, moves between locations,
// batches ordered and cancelled, SKU edits, and time passing, days too.
func TestKeptShopReportMatchesAWholeOne(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		a, clock := stallShop(t)
		mustFactory(t, a, "NewFab", 5, false)
		mustSKU(t, a, "PIN", domain.PathMicrofactory, "NewFab")
		mustSKU(t, a, "ZINE", domain.PathDigital, "")
		// The other device's clock may run ahead: what it records now lies
		// in this one's future until time catches up.
		ahead := time.Duration(rapid.IntRange(0, 90).Draw(rt, "aheadMinutes")) * time.Minute
		b := mustReplica(t, a, func() time.Time { return clock.Now().Add(ahead) })
		syncPair(t, a, b)
		codes, places := []string{"MUG", "CARD", "PIN", "ZINE"}, []string{"main", "stall"}
		var batches []string
		for range rapid.IntRange(5, 30).Draw(rt, "ops") {
			s := a
			if rapid.Bool().Draw(rt, "onB") {
				s = b
			}
			code := rapid.SampledFrom(codes).Draw(rt, "code")
			place := rapid.SampledFrom(places).Draw(rt, "place")
			at := s.Now().Add(-time.Duration(rapid.IntRange(0, 40*24*60).Draw(rt, "minutesBack")) * time.Minute)
			if rapid.Bool().Draw(rt, "now") {
				at = s.Now()
			}
			switch rapid.IntRange(0, 11).Draw(rt, "op") {
			case 0, 1:
				s.Sell(ctx, Sale{Code: code, Qty: rapid.IntRange(1, 12).Draw(rt, "qty"), At: at, Force: true, Location: place})
			case 2:
				s.CountStock(ctx, Stocktake{Code: code, Qty: rapid.IntRange(0, 40).Draw(rt, "count"), At: at, Location: place})
			case 3:
				if o, err := s.OrderBatch(ctx, Order{Code: code, Qty: 20, At: at}); err == nil {
					batches = append(batches, o.ID)
					if rapid.Bool().Draw(rt, "receive") {
						s.ReceiveBatch(ctx, o.ID, rapid.SampledFrom([]int{10, 20}).Draw(rt, "received"), at.Add(time.Minute))
					}
				}
			case 4:
				if len(batches) > 0 {
					s.DecideQA(ctx, rapid.SampledFrom(batches).Draw(rt, "batch"), rapid.Bool().Draw(rt, "pass"), "", s.Now())
				}
			case 5:
				s.MoveStock(ctx, Move{Code: code, Qty: rapid.IntRange(1, 4).Draw(rt, "moved"), From: place, To: rapid.SampledFrom(places).Draw(rt, "to")})
			case 6:
				syncPair(t, a, b)
			case 7:
				s.RecordReturn(ctx, Return{Code: code, Qty: rapid.IntRange(1, 3).Draw(rt, "returned"), Reason: "defect", At: at})
			case 8:
				clock.Set(clock.Now().Add(time.Duration(rapid.IntRange(1, 120).Draw(rt, "minutesOn")) * time.Minute))
			case 9:
				if len(batches) > 0 {
					s.CancelBatch(ctx, rapid.SampledFrom(batches).Draw(rt, "cancel"))
				}
			case 10:
				s.EditSKU(ctx, code, SKUFields{Price: ptr(domain.Money(rapid.IntRange(100, 3000).Draw(rt, "price")))})
			case 11:
				if len(batches) > 0 {
					s.ReceiveBatch(ctx, rapid.SampledFrom(batches).Draw(rt, "batch"), 5, at)
				}
			}
			got, err := a.Stock(ctx, a.AsOfNow(), "")
			if err != nil {
				rt.Fatal(err)
			}
			gotAlerts, err := a.Alerts(ctx, a.AsOfNow())
			if err != nil {
				rt.Fatal(err)
			}
			a.kept.forget()
			want, err := a.Stock(ctx, a.AsOfNow(), "")
			if err != nil {
				rt.Fatal(err)
			}
			wantAlerts, err := a.Alerts(ctx, a.AsOfNow())
			if err != nil {
				rt.Fatal(err)
			}
			if !sameRows(got, want) {
				for i := range want {
					if !sameRows(got[i:i+1], want[i:i+1]) {
						rt.Fatalf("%s from the kept report:\n%+v\nmade whole:\n%+v", want[i].SKU.Code, got[i], want[i])
					}
				}
				rt.Fatalf("the kept report has %d rows, a whole one %d", len(got), len(want))
			}
			if !reflect.DeepEqual(gotAlerts, wantAlerts) {
				rt.Fatalf("alerts from the kept report %v, made whole %v", gotAlerts, wantAlerts)
			}
		}
	})
}

// sameRows compares stock rows, their locations by the level each gives:
// a replay from a checkpoint may name main with nothing there where a
// replay from the start leaves it out.
func sameRows(a, b []StockRow) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		places := map[string]bool{"": true}
		for id := range x.Places {
			places[id] = true
		}
		for id := range y.Places {
			places[id] = true
		}
		for id := range places {
			if x.Places.At(id, domain.Level{OnHand: x.OnHand, Held: x.Held}) != y.Places.At(id, domain.Level{OnHand: y.OnHand, Held: y.Held}) {
				return false
			}
		}
		x.Places, y.Places = nil, nil
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// A batch another device cancelled at a moment still ahead of this one's
// clock counts as on order until that moment passes; a report made from
// the kept one then counts it no more.
func TestKeptShopReportSeesACancellationComeDue(t *testing.T) {
	ctx := context.Background()
	a, clock := stallShop(t)
	b := mustReplica(t, a, func() time.Time { return clock.Now().Add(time.Hour) })
	o, err := a.OrderBatch(ctx, Order{Code: "MUG", Qty: 20})
	if err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	if _, err := b.CancelBatch(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	onOrder := func() int {
		rows, err := a.Stock(ctx, a.AsOfNow(), "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.SKU.Code == "MUG" {
				return r.OnOrder
			}
		}
		t.Fatal("no MUG in the stock list")
		return 0
	}
	before := onOrder()
	clock.Set(clock.Now().Add(2 * time.Hour))
	if after := onOrder(); before != 20 || after != 0 {
		t.Fatalf("on order before the cancellation's moment %d, after it %d; want 20 and 0", before, after)
	}
}
