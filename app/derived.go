package app

import "context"

// derived collects, during one transaction, what new events and record
// changes mean for the caches derived from them: stock checkpoints and
// settled marks made stale, units sold per factory and day, and the
// generations reports compare. It is written once at commit.
type derived struct {
	batches map[string]bool // batches changed or received → whether their QA or SKU changed
	sold    map[factoryDay]int
	records bool // a record (SKU, factory, batch, shop) changed
	events  bool // an event was logged
}

// factoryDay is a row of factory_sales: a factory's sales on a UTC day.
type factoryDay struct {
	factoryID string
	day       int64
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

// flush clears the settled mark of changed batches, deletes the stock
// checkpoints of SKUs whose held units a QA decision or a batch's move
// changed, and adds the day's sales to factory_sales. Checkpoints that a
// new event makes wrong are left for reports to find (ledger.dropStale):
// an event sorts into the ledger by its own time, a QA decision does not.
func (dv *derived) flush(ctx context.Context, q queryer) error {
	for id, movesStock := range dv.batches {
		if _, err := q.ExecContext(ctx, `UPDATE batches SET settled_at = NULL WHERE id = ? AND settled_at IS NOT NULL`, id); err != nil {
			return err
		}
		if !movesStock {
			continue
		}
		for _, table := range checkpointTables {
			if _, err := q.ExecContext(ctx, `DELETE FROM `+table+` WHERE sku_id = (SELECT sku_id FROM batches WHERE id = ?)`, id); err != nil {
				return err
			}
		}
	}
	if dv.events || len(dv.batches) > 0 {
		// Reports compare this before saving checkpoints, so one computed
		// while this transaction committed is never saved stale.
		if _, err := q.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('ledger_gen', '1')
			ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`); err != nil {
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
	dv.batches, dv.sold, dv.records, dv.events = nil, nil, false, false
	return nil
}
