package app

import (
	"context"
	"testing"
	"time"
)

// A sale at the stall starts from the level the last sale of its SKU left
// (saleLevels). Whatever changes that level in between must reach the next
// sale: here QA passing a delivery whose units were held when the last sale
// was made, and a late sale from another device.
func TestTheNextSaleSeesWhatChangedSinceTheLast(t *testing.T) {
	ctx := context.Background()
	s, clock := vaseStallShop(t)
	tick := func() { clock.Set(clock.Now().Add(time.Minute)) }
	o, err := s.OrderBatch(ctx, Order{Code: "VASE", Qty: 10, At: clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	tick()
	if _, err := s.ReceiveBatch(ctx, o.ID, 10, clock.Now()); err != nil {
		t.Fatal(err)
	}
	tick()
	held := stockRow(t, s, "VASE").Held
	if held == 0 {
		t.Fatal("the delivery holds no units for QA; the test needs some")
	}
	if _, err := s.Sell(ctx, Sale{Code: "VASE", Force: true}); err != nil {
		t.Fatal(err)
	}
	tick()
	if _, err := s.DecideQA(ctx, o.ID, true, "", clock.Now()); err != nil {
		t.Fatal(err)
	}
	tick()
	sold, err := s.Sell(ctx, Sale{Code: "VASE", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := stockRow(t, s, "VASE").Available; sold.Available != want {
		t.Fatalf("the sale after QA passed says %d available, the stock list %d", sold.Available, want)
	}

	// Another device's sale from an hour ago arrives by sync.
	b := mustReplica(t, s, clock.Now)
	syncPair(t, s, b)
	if _, err := b.Sell(ctx, Sale{Code: "VASE", Force: true, At: clock.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, s, b)
	tick()
	sold, err = s.Sell(ctx, Sale{Code: "VASE", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := stockRow(t, s, "VASE").Available; sold.Available != want {
		t.Fatalf("the sale after a synced one says %d available, the stock list %d", sold.Available, want)
	}
}

// stockRow is one SKU's row of the stock list now.
func stockRow(t *testing.T, s *Shop, code string) StockRow {
	t.Helper()
	rows, err := s.Stock(context.Background(), s.AsOfNow(), code)
	if err != nil {
		t.Fatal(err)
	}
	return rows[0]
}
