package app

import (
	"context"
	"math"
)

// invalidations collects, during one transaction, the stock checkpoints that
// new movements make stale, so they are dropped once at commit.
type invalidations struct {
	skus    map[string]int64 // SKU id → earliest movement time added
	batches map[string]bool  // batches whose QA or SKU changed
}

func (inv *invalidations) movement(skuID string, at int64) {
	if inv.skus == nil {
		inv.skus = map[string]int64{}
	}
	if old, ok := inv.skus[skuID]; !ok || at < old {
		inv.skus[skuID] = at
	}
}

func (inv *invalidations) batch(id string) {
	if inv.batches == nil {
		inv.batches = map[string]bool{}
	}
	inv.batches[id] = true
}

// flush deletes every checkpoint that a movement at or before it makes stale.
func (inv *invalidations) flush(ctx context.Context, q queryer) error {
	for id := range inv.batches {
		var sku string
		if err := q.QueryRowContext(ctx, `SELECT sku_id FROM batches WHERE id = ?`, id).Scan(&sku); err == nil {
			inv.movement(sku, math.MinInt64)
		}
	}
	if len(inv.skus) > 0 {
		// Reports compare this before saving checkpoints, so one computed
		// while this transaction committed is never saved stale.
		if _, err := q.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('ledger_gen', '1')
			ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`); err != nil {
			return err
		}
	}
	for sku, at := range inv.skus {
		if _, err := q.ExecContext(ctx, `DELETE FROM stock_checkpoints WHERE sku_id = ? AND at > ?`, sku, at); err != nil {
			return err
		}
	}
	inv.skus, inv.batches = nil, nil
	return nil
}
