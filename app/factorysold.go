package app

import (
	"context"
	"maps"
	"sync"

	"microshop/domain"
)

// factorySold keeps, between reports, what the quality rule weighs for
// each factory, from a report's quality-window start to the end of its
// last UTC day: units sold (sales less voids) and quality returns.
// Counting the sales took three quarters of one SKU's report: the partial
// days at both ends of the window are read from the ledger, every
// factory's sales on them, since factory_sales holds whole days; the
// returns were most of what was left of a whole-shop report made from the
// last one. Events are insert-only, so what was logged since the sums
// were taken (log rows above upto) adds to them exactly; a new day starts
// afresh.
type factorySold struct {
	mu    sync.Mutex
	end   int64 // the end of the UTC day every span ends with
	spans map[int64]*soldSpan
}

// soldSpan is what factories sold and had back for quality reasons in
// [from, end) as of log row upto.
type soldSpan struct {
	upto    int64
	maxAt   int64 // no counted event is at or after it
	sold    map[string]int
	quality map[string]int
}

// factorySoldSpans bounds the spans kept: a report has one per distinct
// start (a factory resumed inside the window has its own).
const factorySoldSpans = 64

// factorySoldCatchUp is how many log rows a span catches up by reading
// them; past that (after a big sync) it is counted again.
const factorySoldCatchUp = 50_000

// keptCounts counts through the cache, in a read transaction whose last
// log row is upto.
type keptCounts struct {
	c    *factorySold
	upto int64
}

func (k keptCounts) returns(ctx context.Context, q queryer, from, to int64, only string) (map[string]int, error) {
	sp, err := k.c.span(ctx, q, from, to, k.upto)
	if err != nil || sp == nil {
		return qualityReturns(ctx, q, from, to, only)
	}
	if only != "" {
		return map[string]int{only: sp.quality[only]}, nil
	}
	return maps.Clone(sp.quality), nil
}

func (k keptCounts) sold(ctx context.Context, q queryer, from, to int64) (map[string]int, error) {
	sp, err := k.c.span(ctx, q, from, to, k.upto)
	if err != nil || sp == nil {
		return soldByFactory(ctx, q, from, to)
	}
	return maps.Clone(sp.sold), nil
}

// span is the kept span starting at from, brought up to log row upto,
// when it answers for [from, to): nothing it counted is at or after to.
// Otherwise nil: the caller counts from the ledger. q is a read
// transaction whose last log row is upto; a span ahead of it is not used.
func (c *factorySold) span(ctx context.Context, q queryer, from, to, upto int64) (*soldSpan, error) {
	if from >= to {
		return &soldSpan{sold: map[string]int{}, quality: map[string]int{}}, nil
	}
	_, end := dayBounds(dayOf(to - 1))
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
			return fresh.answers(to), nil
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
	return sp.answers(to), nil
}

// answers is the span when it answers for a report ending at to.
func (sp *soldSpan) answers(to int64) *soldSpan {
	if sp.maxAt >= to {
		return nil
	}
	return sp
}

// countSoldSpan counts [from, end) from factory_sales, the partial day at
// its start and the returns, as of the transaction's last log row upto.
func countSoldSpan(ctx context.Context, q queryer, from, end, upto int64) (*soldSpan, error) {
	sold, err := soldByFactory(ctx, q, from, end)
	if err != nil {
		return nil, err
	}
	quality, err := qualityReturns(ctx, q, from, end, "")
	if err != nil {
		return nil, err
	}
	sp := &soldSpan{upto: upto, sold: sold, quality: quality, maxAt: from - 1}
	// The latest event of the last day stands for the latest sale or
	// return: any event at or after a report's end makes the span
	// unusable for it.
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

// catchUp adds the sales, voids and quality returns in [from, end) logged
// after the span's last row, up to upto; on an error the span is left as
// it was. The rows are found by their log number: the unary + keeps
// SQLite from reading the span's days through the time-led index instead.
func (sp *soldSpan) catchUp(ctx context.Context, q queryer, from, end, upto int64) error {
	rows, err := q.QueryContext(ctx, `SELECT coalesce(factory_id, ''), entity, qty, at,
			entity = 'return' AND factory_id <> '' AND reason IN (`+reasonList(domain.ClassQuality)+`)
		FROM changes
		WHERE n > ?1 AND n <= ?2 AND +at >= ?3 AND +at < ?4 AND entity IN ('sale', 'void', 'return')`, sp.upto, upto, from, end)
	if err != nil {
		return err
	}
	defer rows.Close()
	sold, quality, maxAt := map[string]int{}, map[string]int{}, sp.maxAt
	for rows.Next() {
		var id, kind string
		var n int
		var at int64
		var isQuality bool
		if err := rows.Scan(&id, &kind, &n, &at, &isQuality); err != nil {
			return err
		}
		switch {
		case kind == kindSale:
			sold[id] += n
		case kind == kindVoid:
			sold[id] -= n
		case isQuality:
			quality[id] += n
		}
		maxAt = max(maxAt, at)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for id, n := range sold {
		sp.sold[id] += n
	}
	for id, n := range quality {
		sp.quality[id] += n
	}
	sp.upto, sp.maxAt = upto, maxAt
	return nil
}
