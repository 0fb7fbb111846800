package app

import (
	"context"
	"time"

	"microshop/domain"
)

// returnedKitParts are the parts a kit coming back at is made of: those it
// was sold with at its latest sale before then, as that sale's lines
// record them, so a kit whose parts were changed since comes back as it
// went out (GIFT sold as 3 CARDs and a PIN, then changed to 2 CARDs, put
// 2 CARDs back); the kit's parts now when no sale line names it. A part
// whose units were sold at two prices a cent apart (domain.KitRuns) has a
// line for each.
func returnedKitParts(ctx context.Context, t *txn, kit skuRow, at time.Time) ([]domain.KitPart, []skuRow, error) {
	// The latest sale walks back from at and stops at it; its lines, all
	// at its time, are found by that time, not by a scan for its ref.
	// kit_id <> '' lets SQLite take the kit lines' partial index.
	rows, err := t.tx.QueryContext(ctx, `WITH last AS (SELECT l.ref, l.at FROM events l
			WHERE l.kit_id <> '' AND l.kit_id = ?1 AND l.kind = 'sale' AND l.kit_qty > 0 AND l.at <= ?2 ORDER BY l.at DESC LIMIT 1)
		SELECT e.sku_id, sum(e.qty) / max(e.kit_qty) FROM last CROSS JOIN events e
		WHERE e.kit_id <> '' AND e.kit_id = ?1 AND e.at = last.at AND e.ref = last.ref AND e.kind = 'sale' AND e.kit_qty > 0
		GROUP BY e.sku_id ORDER BY max(e.id = e.ref) DESC, min(e.id)`, kit.ID, at.UnixMilli())
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var parts []domain.KitPart
	for rows.Next() {
		var p domain.KitPart
		if err := rows.Scan(&p.SKUID, &p.Qty); err != nil {
			return nil, nil, err
		}
		parts = append(parts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(parts) == 0 {
		return kitPartRows(ctx, t, kit)
	}
	skus := make([]skuRow, len(parts))
	for i, p := range parts {
		if skus[i], err = findSKUByID(ctx, t.tx, p.SKUID); err != nil {
			return kitPartRows(ctx, t, kit)
		}
	}
	return parts, skus, nil
}
