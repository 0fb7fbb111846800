package app

import (
	"context"
	"database/sql"
	"sync"
)

// windowSales keeps units sold (sales less voids) per SKU over one span of
// past days, for the packaging rule: it looks 90 days back on every
// dashboard refresh, and reading 62 days of a big shop's sales each time
// took longer than the rest of the dashboard. The span moves once a day;
// in between, events being insert-only, what was logged since the sums
// were taken (log rows above upto) adds to them exactly.
type windowSales struct {
	mu       sync.Mutex
	from, to int64          // the span [from, to), in unix milliseconds
	upto     int64          // the last log row (changes.n) counted
	sold     map[string]int // by SKU id
}

// get returns the units sold in [from, to) of each SKU in ids.
func (c *windowSales) get(ctx context.Context, db *sql.DB, from, to int64, ids []string) (map[string]int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// One read transaction: the last log row and the sums agree.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM changes`).Scan(&top); err != nil {
		return nil, err
	}
	const signed = `sum(CASE e.kind WHEN 'sale' THEN e.qty ELSE -e.qty END)`
	switch {
	case c.sold == nil || c.from != from || c.to != to || top < c.upto:
		// The time-led index holds every SKU's sales in the span in order.
		sold, err := sumByID(ctx, tx, `SELECT k.id, g.sold FROM (SELECT e.sku_n, `+signed+` AS sold FROM events e
			WHERE e.at >= ?1 AND e.at < ?2 AND e.kind IN ('sale', 'void') GROUP BY e.sku_n) g
			JOIN sku_keys k ON k.n = g.sku_n`, from, to)
		if err != nil {
			return nil, err
		}
		c.from, c.to, c.sold = from, to, sold
	case top > c.upto:
		// Rows logged since, found by their log number; through the
		// events view, so only what counts as an event is counted.
		more, err := sumByID(ctx, tx, `SELECT e.sku_id, `+signed+` FROM changes c JOIN events e ON e.id = c.entity_id
			WHERE c.n > ?1 AND c.n <= ?2 AND c.at >= ?3 AND c.at < ?4 AND c.entity IN ('sale', 'void') GROUP BY e.sku_id`,
			c.upto, top, from, to)
		if err != nil {
			return nil, err
		}
		for id, n := range more {
			c.sold[id] += n
		}
	}
	c.upto = top
	out := make(map[string]int, len(ids))
	for _, id := range ids {
		out[id] = c.sold[id]
	}
	return out, nil
}
