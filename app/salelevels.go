package app

import (
	"context"
	"database/sql"
	"math"
	"sync"

	"microshop/domain"
)

// saleLevels keeps, in memory, the stock each SKU was left at by this
// process's last sale of it, so the next sale of that SKU at the stall
// checks its level without reading the ledger: one look at the log's last
// row instead of a replay. Like every other cache here the ledger stays the
// truth; a level is kept only while nothing could have changed it:
//
//   - it was left by a sale dated no earlier than every event in the ledger
//     and every QA decision, so no event or release lies after it;
//   - no event of its SKU has been logged since (by this process, another
//     one, or sync: the log rows since are read before each use);
//   - no batch has changed since (a QA decision or a batch moved to another
//     SKU changes held units; batch changes are rare, so all levels go).
//
// Anything else drops the level, and the sale replays as before.
type saleLevels struct {
	mu sync.Mutex
	// mark is the last log row read; the levels are right as of it: no
	// event of their SKUs was logged since they were left. Zero until the
	// maxima below are read.
	mark    int64
	maxAt   int64 // the latest moment of any event up to mark
	maxQAAt int64 // the latest moment of any QA decision
	levels  map[string]checkpoint
}

// saleLevelsScanMax is the most log rows a sale reads to bring the kept
// levels up to date; past that (after a sync) they are dropped instead.
const saleLevelsScanMax = 2000

// saleLevel is the kept level of skuID for a sale at at: its checkpoint
// (the level after every movement before c.at) and whether there is one.
// The transaction then knows the log up to its start.
func (t *txn) saleLevel(ctx context.Context, skuID string, at int64) (checkpoint, bool, error) {
	k := &t.shop.saleLevels
	k.mu.Lock()
	defer k.mu.Unlock()
	if !t.levelsRead {
		if len(t.made) > 0 {
			// Its own rows are in the log already: reading them would
			// move the mark past rows a rollback takes back.
			return checkpoint{}, false, nil
		}
		if err := k.catchUp(ctx, t.tx); err != nil {
			return checkpoint{}, false, err
		}
		t.levelsRead, t.levelsFrom = true, k.mark
	}
	if k.mark == 0 || t.levelsFrom != k.mark || t.touchedSKUs[skuID] {
		return checkpoint{}, false, nil
	}
	c, ok := k.levels[skuID]
	return c, ok && at >= c.at, nil
}

// catchUp reads the log rows since mark and drops the levels they may
// change.
func (k *saleLevels) catchUp(ctx context.Context, q queryer) error {
	var top int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM changes`).Scan(&top); err != nil {
		return err
	}
	if top == k.mark {
		return nil
	}
	if k.mark == 0 || top-k.mark > saleLevelsScanMax || top < k.mark {
		return k.reset(ctx, q, top)
	}
	rows, err := q.QueryContext(ctx, `SELECT k.id, c.at, c.entity FROM changes c LEFT JOIN sku_keys k ON k.n = c.sku_n
		WHERE c.n > ? AND c.n <= ?`, k.mark, top)
	if err != nil {
		return err
	}
	defer rows.Close()
	batches := false
	for rows.Next() {
		var skuID sql.NullString
		var at sql.NullInt64
		var entity string
		if err := rows.Scan(&skuID, &at, &entity); err != nil {
			return err
		}
		if skuID.Valid {
			delete(k.levels, skuID.String)
		}
		if at.Valid {
			k.maxAt = max(k.maxAt, at.Int64)
		}
		batches = batches || entity == "batch"
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if batches {
		return k.reset(ctx, q, top)
	}
	k.mark = top
	return nil
}

// reset drops every level and reads the maxima afresh, as of log row top.
func (k *saleLevels) reset(ctx context.Context, q queryer, top int64) error {
	k.mark, k.levels = 0, map[string]checkpoint{}
	var maxAt, maxQAAt sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(at) FROM changes WHERE at IS NOT NULL`).Scan(&maxAt); err != nil {
		return err
	}
	if err := q.QueryRowContext(ctx, `SELECT max(qa_at) FROM batches WHERE qa <> ?`, string(domain.QAPending)).Scan(&maxQAAt); err != nil {
		return err
	}
	k.maxAt, k.maxQAAt = math.MinInt64, math.MinInt64
	if maxAt.Valid {
		k.maxAt = maxAt.Int64
	}
	if maxQAAt.Valid {
		k.maxQAAt = maxQAAt.Int64
	}
	k.mark = top
	return nil
}

// leaveSaleLevel keeps the level a sale left its SKU at, c, once t
// commits.
func (t *txn) leaveSaleLevel(skuID string, c checkpoint) {
	if t.saleLeft == nil {
		t.saleLeft = map[string]checkpoint{}
	}
	t.saleLeft[skuID] = c
}

// lastRow reads t's last log row before it commits, for the kept levels'
// mark, when t read the log for them.
func (t *txn) lastRow(ctx context.Context) error {
	if !t.levelsRead {
		return nil
	}
	return t.tx.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM changes`).Scan(&t.levelsTo)
}

// touched notes an event of skuID logged by t: a level kept for it before
// is wrong now, and one t left earlier is no longer its last.
func (t *txn) touched(e *event) {
	if t.touchedSKUs == nil {
		t.touchedSKUs = map[string]bool{}
	}
	t.touchedSKUs[e.SKUID] = true
	delete(t.saleLeft, e.SKUID)
	t.maxAt = max(t.maxAt, e.At)
}

// committed brings the kept levels up to t's commit. Only a transaction
// that read the log up to its own start (saleLevel) knows every row before
// its own, and may keep levels and move the mark to its last row.
func (k *saleLevels) committed(t *txn) {
	if len(t.touchedSKUs) == 0 && !t.batchChanged {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if t.batchChanged {
		k.mark, k.levels = 0, nil
		return
	}
	for id := range t.touchedSKUs {
		delete(k.levels, id)
	}
	if !t.levelsRead || k.mark == 0 || t.levelsFrom != k.mark {
		return
	}
	k.maxAt = max(k.maxAt, t.maxAt)
	for id, c := range t.saleLeft {
		if c.at > k.maxAt && c.at > k.maxQAAt {
			k.levels[id] = c
		}
	}
	k.mark = t.levelsTo
}

// afterRemoval is the level c (just after a removal's moment) once qty
// units have left place then.
func afterRemoval(c checkpoint, place string, qty int) checkpoint {
	m := []domain.Movement{{At: c.at - 1, OnHand: -qty, Place: place}}
	if c.places != nil || place != "" {
		_, c.places = domain.Settle(c.level, c.places, m, math.MaxInt64)
	}
	c.level = c.level.Apply(m[0])
	return c
}
