package app

import (
	"context"
	"database/sql"

	"microshop/domain"
)

// marksWhere is the condition of the index events_marks (migration 0023),
// which a query must repeat for SQLite to use it.
const marksWhere = `(c.entity IN ('count', 'receipt') OR c.location <> '' OR c.to_location <> '')`

// countStart is where a replay of a SKU that no checkpoint covers can start
// instead of the beginning of its ledger: its last stocktake at main at or
// before `before`, when all of its stock was at main until then. A count
// sets what is on hand, so what came before it only matters for the units
// held for QA, read from the deliveries before it. What is on hand just
// before the count is not known, so the point is unsure: the count itself,
// replayed, sets it, and the point is never kept as a checkpoint.
func countStart(ctx context.Context, q queryer, skuID string, before int64) (checkpoint, bool, error) {
	var key sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT n FROM sku_keys WHERE id = ?`, skuID).Scan(&key); err != nil && !isNoRows(err) {
		return checkpoint{}, false, err
	}
	if !key.Valid {
		return checkpoint{}, false, nil
	}
	var counted sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(c.at) FROM changes c
		WHERE c.sku_n = ?1 AND c.at <= ?2 AND c.entity = 'count' AND c.location = '' AND `+marksWhere,
		key.Int64, before).Scan(&counted); err != nil || !counted.Valid {
		return checkpoint{}, false, err
	}
	tc := counted.Int64
	var away bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM changes c
		WHERE c.sku_n = ?1 AND c.at < ?2 AND (c.location <> '' OR c.to_location <> '') AND `+marksWhere+`)`,
		key.Int64, tc).Scan(&away); err != nil || away {
		return checkpoint{}, false, err
	}
	// Held as the ledger plays a delivery (ledger.appendReceipt): its held
	// units stay held until a QA decision, or go at once when the
	// decision came first; a batch not arrived yet is pending.
	var held int
	if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(c.held), 0) FROM changes c LEFT JOIN batches b ON b.id = c.batch_id
		WHERE c.sku_n = ?1 AND c.at < ?2 AND c.entity = 'receipt' AND c.held > 0 AND `+marksWhere+`
			AND NOT (coalesce(b.qa, ?3) <> ?3 AND b.qa_at < ?2)`,
		key.Int64, tc, string(domain.QAPending)).Scan(&held); err != nil {
		return checkpoint{}, false, err
	}
	return checkpoint{at: tc, level: domain.Level{Held: held}, unsure: true}, true, nil
}
