package app

import (
	"context"
	"sync"
)

// factorySold keeps, between reports, each factory's units sold (sales
// less voids) from a report's quality-window start to the end of its last
// UTC day. Counting them took three quarters of one SKU's report: the
// partial days at both ends of the window are read from the ledger, every
// factory's sales on them, since factory_sales holds whole days. Events
// are insert-only, so what was logged since the sums were taken (log rows
// above upto) adds to them exactly; a new day starts afresh.
type factorySold struct {
	mu    sync.Mutex
	end   int64 // the end of the UTC day every span ends with
	spans map[int64]*soldSpan
}

// soldSpan is the units sold by factory in [from, end) as of log row upto.
type soldSpan struct {
	upto  int64
	maxAt int64 // no counted event is at or after it
	sold  map[string]int
}

// factorySoldSpans bounds the spans kept: a report has one per distinct
// start (a factory resumed inside the window has its own).
const factorySoldSpans = 64

// factorySoldCatchUp is how many log rows a span catches up by reading
// them; past that (after a big sync) it is counted again.
const factorySoldCatchUp = 50_000

// get is the units sold by factory in [from, to), read through q, a read
// transaction whose last log row is upto. It never answers from rows the
// transaction cannot see: a span ahead of it is not used.
func (c *factorySold) get(ctx context.Context, q queryer, from, to, upto int64) (map[string]int, error) {
	_, end := dayBounds(dayOf(to - 1))
	if from >= to {
		return map[string]int{}, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.end != end {
		c.end, c.spans = end, map[int64]*soldSpan{}
	}
	sp := c.spans[from]
	switch {
	case sp == nil || sp.upto > upto || upto-sp.upto > factorySoldCatchUp:
		fresh, err := countSoldSpan(ctx, q, from, end, upto)
		if err != nil {
			return nil, err
		}
		if sp == nil && len(c.spans) >= factorySoldSpans {
			return fresh.answer(ctx, q, from, to)
		}
		if sp == nil || fresh.upto >= sp.upto {
			c.spans[from] = fresh
		}
		sp = fresh
	case upto > sp.upto:
		if err := sp.catchUp(ctx, q, from, end, upto); err != nil {
			return nil, err
		}
	}
	return sp.answer(ctx, q, from, to)
}

// answer is the span's sums for [from, to): its own when nothing it
// counted is at or after to, else counted from the ledger as before.
func (sp *soldSpan) answer(ctx context.Context, q queryer, from, to int64) (map[string]int, error) {
	if sp.maxAt >= to {
		return soldByFactory(ctx, q, from, to)
	}
	out := make(map[string]int, len(sp.sold))
	for id, n := range sp.sold {
		out[id] = n
	}
	return out, nil
}

// countSoldSpan counts [from, end) from factory_sales and the partial day
// at its start, as of the transaction's last log row upto.
func countSoldSpan(ctx context.Context, q queryer, from, end, upto int64) (*soldSpan, error) {
	sold, err := soldByFactory(ctx, q, from, end)
	if err != nil {
		return nil, err
	}
	sp := &soldSpan{upto: upto, sold: sold, maxAt: from - 1}
	// The latest event of the last day stands for the latest sale: any
	// event at or after a report's end makes the span unusable for it.
	lastStart, _ := dayBounds(dayOf(end - 1))
	var at *int64
	if err := q.QueryRowContext(ctx, `SELECT max(at) FROM changes WHERE at >= ? AND at < ?`, max(from, lastStart), end).Scan(&at); err != nil {
		return nil, err
	}
	if at != nil {
		sp.maxAt = *at
	}
	return sp, nil
}

// catchUp adds the sales and voids in [from, end) logged after the span's
// last row, up to upto; on an error the span is left as it was.
func (sp *soldSpan) catchUp(ctx context.Context, q queryer, from, end, upto int64) error {
	rows, err := q.QueryContext(ctx, `SELECT coalesce(factory_id, ''), CASE entity WHEN 'sale' THEN qty ELSE -qty END, at FROM changes
		WHERE n > ?1 AND n <= ?2 AND at >= ?3 AND at < ?4 AND entity IN ('sale', 'void')`, sp.upto, upto, from, end)
	if err != nil {
		return err
	}
	defer rows.Close()
	more, maxAt := map[string]int{}, sp.maxAt
	for rows.Next() {
		var id string
		var n int
		var at int64
		if err := rows.Scan(&id, &n, &at); err != nil {
			return err
		}
		more[id] += n
		maxAt = max(maxAt, at)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for id, n := range more {
		sp.sold[id] += n
	}
	sp.upto, sp.maxAt = upto, maxAt
	return nil
}
