package app

import (
	"context"
	"encoding/json"
	"math"
)

// derived collects, during one transaction, what new events and record
// changes mean for the caches derived from them: stock checkpoints and
// settled marks made stale, units sold per factory and day, and the
// generations reports compare. It is written once at commit.
type derived struct {
	skus    map[string]int64 // SKU id → earliest movement time added
	batches map[string]bool  // batches changed or received → whether their QA or SKU changed
	sold    map[factoryDay]int
	records bool // a record (SKU, factory, batch, shop) changed
}

// factoryDay is a row of factory_sales: a factory's sales on a UTC day.
type factoryDay struct {
	factoryID string
	day       int64
}

func (dv *derived) movement(skuID string, at int64) {
	if dv.skus == nil {
		dv.skus = map[string]int64{}
	}
	if old, ok := dv.skus[skuID]; !ok || at < old {
		dv.skus[skuID] = at
	}
}

// batch notes a change to a batch's field, or a receipt for it (field
// ""). A new QA decision or SKU moves stock; anything may unsettle it.
func (dv *derived) batch(id, field string) {
	if dv.batches == nil {
		dv.batches = map[string]bool{}
	}
	dv.batches[id] = dv.batches[id] || field == "qa" || field == "qa_at" || field == "sku_id"
}

// sale counts units sold (negative for a void) from a factory, or with no
// factory (digital, ""), at a time. Events are inserted once per replica,
// so the sums stay exact.
func (dv *derived) sale(factoryID string, at int64, units int) {
	if dv.sold == nil {
		dv.sold = map[factoryDay]int{}
	}
	dv.sold[factoryDay{factoryID, dayOf(at)}] += units
}

// flush deletes every checkpoint that a movement at or before it makes
// stale, clears the settled mark of changed batches, and adds the day's
// sales to factory_sales.
func (dv *derived) flush(ctx context.Context, q queryer) error {
	for id, movesStock := range dv.batches {
		if _, err := q.ExecContext(ctx, `UPDATE batches SET settled_at = NULL WHERE id = ? AND settled_at IS NOT NULL`, id); err != nil {
			return err
		}
		var sku string
		if err := q.QueryRowContext(ctx, `SELECT sku_id FROM batches WHERE id = ?`, id).Scan(&sku); movesStock && err == nil {
			dv.movement(sku, math.MinInt64)
		}
	}
	if len(dv.skus) > 0 || len(dv.batches) > 0 {
		// Reports compare this before saving checkpoints, so one computed
		// while this transaction committed is never saved stale.
		if _, err := q.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('ledger_gen', '1')
			ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`); err != nil {
			return err
		}
	}
	if len(dv.skus) > 0 {
		// One statement for the whole transaction: a SKU whose own earliest
		// movement is later than the earliest of all may lose a checkpoint
		// it could have kept, which only costs the next report a rebuild.
		ids := make([]string, 0, len(dv.skus))
		earliest := int64(math.MaxInt64)
		for sku, at := range dv.skus {
			ids = append(ids, sku)
			earliest = min(earliest, at)
		}
		list, err := json.Marshal(ids)
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM stock_checkpoints WHERE sku_id IN (SELECT value FROM json_each(?)) AND at > ?`, string(list), earliest); err != nil {
			return err
		}
	}
	if dv.records {
		// The in-memory SKU list of whole-shop reports compares this.
		if _, err := q.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('records_gen', '1')
			ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`); err != nil {
			return err
		}
	}
	for k, n := range dv.sold {
		if _, err := q.ExecContext(ctx, `INSERT INTO factory_sales (day, factory_id, sold) VALUES (?, ?, ?)
			ON CONFLICT (day, factory_id) DO UPDATE SET sold = sold + excluded.sold`, k.day, k.factoryID, n); err != nil {
			return err
		}
	}
	dv.skus, dv.batches, dv.sold, dv.records = nil, nil, nil, false
	return nil
}
