package ui

import (
	"context"
	"testing"

	"microshop/app"
)

// Quitting while sales are being written keeps them: the writer finishes
// the sale it is writing and those queued behind it. The window's context
// was cancelled as it closed, so the sale being written failed and the
// queued ones were dropped: a sale scanned as the stall laptop shut down
// was lost.
func TestQuittingKeepsTheSalesBeingWritten(t *testing.T) {
	shop := stockedShop(t)
	before := stockOf(t, shop, "MUG").OnHand
	u := &UI{}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	u.startWriter()
	sell := func(ctx context.Context) func() {
		if _, err := shop.Sell(ctx, app.Sale{Code: "MUG"}); err != nil {
			t.Errorf("a sale asked for as the window closed: %v", err)
		}
		return func() { t.Error("a sale's result was shown after the window closed") }
	}
	writing := make(chan struct{})
	u.write(func(ctx context.Context) func() {
		close(writing)
		<-u.ctx.Done() // the window closes while this sale is written
		return sell(ctx)
	})
	<-writing
	u.write(sell) // two more, queued behind it
	u.write(sell)
	u.Close()
	if got := before - stockOf(t, shop, "MUG").OnHand; got != 3 {
		t.Errorf("3 sales asked for as the window closed took %d units off the shelf, want 3", got)
	}
}
