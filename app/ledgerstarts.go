package app

import (
	"context"
	"math"
	"slices"

	"microshop/domain"
)

// A shop's first whole-shop report has no checkpoints to start from: after
// sync brought its history, or a big import. Each SKU that a stocktake at
// main counted before the report's window, with none of its stock away
// from main before that, starts at its last such count instead of its
// first event, as a sale of an untouched SKU does (countStart): the count
// sets what is on hand, and the deliveries before it give what is held.
// The scan then keeps only the rows from each SKU's start on.

// cutoffs is where the replay of each SKU of keys starts: its checkpoint,
// or else its last count at main, which it makes the SKU's start (what is
// held there comes from the scan: holdAtCounts). Rows before a cutoff are
// not needed.
func (l *ledger) cutoffs(ctx context.Context, keys map[int64]string) (map[int64]int64, error) {
	counted, err := l.countStarts(ctx)
	if err != nil {
		return nil, err
	}
	cutoffs := make(map[int64]int64, len(keys))
	for key, id := range keys {
		if at, _ := l.start(id); at != math.MinInt64 {
			cutoffs[key] = at
		} else if tc, ok := counted[key]; ok {
			cutoffs[key] = tc
			l.points[id] = checkpoint{at: tc, upto: l.upto, unsure: true}
		}
	}
	return cutoffs, nil
}

// countStarts is each SKU's last stocktake at main at or before the
// window's start, by key, when none of its stock was away from main before
// that.
func (l *ledger) countStarts(ctx context.Context) (map[int64]int64, error) {
	starts := map[int64]int64{}
	rows, err := l.q.QueryContext(ctx, `SELECT c.sku_n, max(c.at) FROM changes c INDEXED BY events_marks
		WHERE c.entity = 'count' AND c.location = '' AND c.at <= ?1 AND `+marksWhere+` GROUP BY c.sku_n`, l.window.Start())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var key, at int64
		if err := rows.Scan(&key, &at); err != nil {
			return nil, err
		}
		starts[key] = at
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	away, err := l.q.QueryContext(ctx, `SELECT c.sku_n, min(c.at) FROM changes c INDEXED BY events_marks
		WHERE (c.location <> '' OR c.to_location <> '') AND `+marksWhere+` GROUP BY c.sku_n`)
	if err != nil {
		return nil, err
	}
	defer away.Close()
	for away.Next() {
		var key, at int64
		if err := away.Scan(&key, &at); err != nil {
			return nil, err
		}
		if tc, ok := starts[key]; ok && at < tc {
			delete(starts, key)
		}
	}
	return starts, away.Err()
}

// holdAtCounts adds to the count starts of keys the units held for QA at
// their counts: a delivery's held units stay held until a QA decision, or
// go at once when the decision came first (ledger.appendReceipt). held
// are the deliveries before each SKU's cutoff holding units.
func (l *ledger) holdAtCounts(ctx context.Context, keys map[int64]string, held []keyedRow) error {
	for _, h := range held {
		id := keys[h.key]
		c, ok := l.points[id]
		if !ok || !c.unsure || h.r.at >= c.at {
			continue
		}
		st, err := l.batchState(ctx, h.r.batchID)
		if err != nil {
			return err
		}
		if st.qa != string(domain.QAPending) && st.qaAt < c.at {
			continue // decided before the count: the units went
		}
		c.level.Held += h.r.held
		l.points[id] = c
	}
	return nil
}

// seekCost is what a seek a day into the day-led index costs, in rows of
// the time-led scan. Measured apart, a seek (seeking many SKUs at once,
// seekStragglers) took 1.7 µs and a row scanned 0.37 µs on the benchmark
// shop; the first report there was fastest at 3 (and slower at 2, 4.5
// and 7). A variable so that tests can make every SKU but the latest
// start before the scan (0), or none (a large number).
var seekCost = 3.0

// scanStart is where a whole-shop report's one scan of the ledger begins,
// given each SKU's start: the moment that makes the scan, and the seeks a
// day of the SKUs starting before it up to it (seekStragglers), cost
// least, reckoning the ledger's rows spread evenly over its days. Most
// SKUs start near the window; the few counted long ago, or never, would
// otherwise hold the whole scan back to their start.
func (l *ledger) scanStart(ctx context.Context, starts []int64) (int64, error) {
	if len(starts) == 0 {
		return math.MinInt64, nil
	}
	first, last, err := l.days(ctx, math.MinInt64, l.window.End)
	if err != nil || first > last {
		return math.MinInt64, err
	}
	slices.Sort(starts)
	perDay := float64(l.upto) / float64(last-first+1)
	best, least := starts[0], math.Inf(1)
	before := 0.0 // the sum of the start days of the SKUs before starts[i]
	for i, at := range starts {
		d := max(dayOf(at), first)
		if i == 0 || at != starts[i-1] {
			cost := perDay*float64(last-d+1) + seekCost*(float64(i)*float64(d)-before)
			if cost < least {
				best, least = at, cost
			}
		}
		before += float64(d)
	}
	return best, nil
}
