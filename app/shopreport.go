package app

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"microshop/domain"
)

// keptShop is the last whole-shop report, kept in memory so the next one
// on the same day redoes only the SKUs something happened to since: the
// dashboard, the stock list and the reorder list each read every SKU, and
// replaying five thousand of them took 140 ms where a sale changes one.
// The ledger stays the truth: the kept report only says which SKUs need no
// replay, and a property test holds a report built on it to a full one.
type keptShop struct {
	mu   sync.Mutex
	last *shopReport
}

// shopReport is a whole-shop report and what it was as of.
type shopReport struct {
	day        int64 // the report's day (AsOf.Day), unix milliseconds
	end        int64 // AsOf.End: events before it counted
	upto       int64 // the last log row it saw
	recordsGen int64 // records_gen: SKUs, factories, batches, the shop
	// nextBatchAt is the earliest moment at or after end at which a batch
	// was ordered, decided or cancelled: a later report's batches differ
	// from this one's past it.
	nextBatchAt int64
	snap        *snapshot // its rows in the order of the SKU list
}

// keptRedoMax is the share of SKUs past which a report is made whole
// again rather than from the kept one (one scan beats many seeks).
const keptRedoMax = 4

// keep stores r unless a report that saw more of the log is kept.
func (k *keptShop) keep(r *shopReport) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.last == nil || r.upto >= k.last.upto {
		k.last = r
	}
}

// keepShop keeps a whole-shop report just made from the ledger.
func (s *Shop) keepShop(ctx context.Context, q queryer, snap *snapshot, upto, recordsGen int64) error {
	end := snap.asOf.End.UnixMilli()
	var next *int64
	// A batch marked settled as of end or earlier had every unit in and
	// none held, and any change since cleared the mark: its cancelling
	// does not matter, so only unmarked ones are read, through the index
	// of the marks (there is none of cancellations).
	err := q.QueryRowContext(ctx, `SELECT min(t) FROM (
		SELECT min(ordered_at) AS t FROM batches WHERE ordered_at >= ?1
		UNION ALL SELECT min(qa_at) FROM batches WHERE qa <> 'pending' AND qa_at >= ?1
		UNION ALL SELECT min(cancelled_at) FROM batches WHERE settled_at IS NULL AND cancelled_at >= ?1
		UNION ALL SELECT min(cancelled_at) FROM batches WHERE settled_at > ?1 AND cancelled_at >= ?1)`, end).Scan(&next)
	if err != nil {
		return err
	}
	r := &shopReport{day: snap.asOf.Day.UnixMilli(), end: end, upto: upto, recordsGen: recordsGen, nextBatchAt: math.MaxInt64, snap: snap.clone()}
	if next != nil {
		r.nextBatchAt = *next
	}
	s.kept.keep(r)
	return nil
}

// clone copies what a caller may change: the rows and the batches.
func (snap *snapshot) clone() *snapshot {
	c := *snap
	c.rows = slices.Clone(snap.rows)
	c.batches = slices.Clone(snap.batches)
	return &c
}

// readShopSince makes a whole-shop report as of asOf from the kept one,
// redoing the SKUs with events logged since it, or dated between its end
// and asOf's, and those of factories whose quality pause changed. ok is
// false when the kept report cannot serve: none, another day, records
// changed, a batch moment passed, or so much changed that a whole report
// is cheaper. The kept report is brought up to date in place, under the
// lock: whole-shop reports wait for each other, as they would for the
// processor, and only the rows handed out are copied.
func (s *Shop) readShopSince(ctx context.Context, q queryer, asOf AsOf, skus []skuRow, recordsGen, upto int64) (_ *snapshot, fresh map[string]checkpoint, ok bool, _ error) {
	s.kept.mu.Lock()
	defer s.kept.mu.Unlock()
	k := s.kept.last
	end := asOf.End.UnixMilli()
	if !k.serves(asOf, skus, recordsGen, upto) {
		return nil, nil, false, nil
	}
	redo, factories, err := s.whatChanged(ctx, q, k, asOf, skus, upto)
	if err != nil || redo == nil {
		return nil, nil, false, err
	}
	// From here on the kept report is changed: on an error it is dropped.
	s.kept.last = nil
	snap := k.snap
	snap.asOf, snap.factories = asOf, factories
	if snap.batches, err = redoBatches(ctx, q, snap.batches, redo, end); err != nil {
		return nil, nil, false, err
	}
	if fresh, err = s.redoRows(ctx, q, snap, skus, redo); err != nil {
		return nil, nil, false, err
	}
	if err := settleKits(ctx, q, snap.rows); err != nil {
		return nil, nil, false, err
	}
	k.end, k.upto = end, upto
	s.kept.last = k
	return snap.clone(), fresh, true, nil
}

// serves reports whether the kept report k can start a whole-shop report
// as of asOf: the same day, no later, the same records and SKU list, and
// no batch moment between its end and asOf's.
func (k *shopReport) serves(asOf AsOf, skus []skuRow, recordsGen, upto int64) bool {
	end := asOf.End.UnixMilli()
	if k == nil || k.day != asOf.Day.UnixMilli() || k.recordsGen != recordsGen || end < k.end || end > k.nextBatchAt ||
		upto < k.upto || len(k.snap.rows) != len(skus) {
		return false
	}
	for i, r := range skus {
		if k.snap.rows[i].SKU.ID != r.ID {
			return false
		}
	}
	return true
}

// whatChanged is the SKUs to redo since the kept report k, and the
// factories judged as of asOf; nil when too many changed to be worth it.
func (s *Shop) whatChanged(ctx context.Context, q queryer, k *shopReport, asOf AsOf, skus []skuRow, upto int64) (map[string]bool, map[string]FactoryView, error) {
	redo, err := changedSKUs(ctx, q, k, asOf.End.UnixMilli(), upto)
	if err != nil || len(redo) > len(skus)/keptRedoMax {
		return nil, nil, err
	}
	factories, err := s.reportFactories(ctx, q, asOf, skus, false)
	if err != nil || len(factories) != len(k.snap.factories) {
		return nil, nil, err
	}
	for _, r := range skus {
		was, is := k.snap.factories[r.FactoryID], factories[r.FactoryID]
		if was.Blocked() != is.Blocked() || was.Reason() != is.Reason() {
			redo[r.ID] = true
		}
	}
	if len(redo) > len(skus)/keptRedoMax {
		return nil, nil, nil
	}
	return redo, factories, nil
}

// changedSKUs is the SKUs with an event logged after the kept report's
// last row, or dated from its end to end (logged before it, ahead of its
// time).
func changedSKUs(ctx context.Context, q queryer, k *shopReport, end, upto int64) (map[string]bool, error) {
	redo := map[string]bool{}
	add := func(query string, args ...any) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			redo[id] = true
		}
		return rows.Err()
	}
	if upto > k.upto {
		if err := add(`SELECT DISTINCT k.id FROM changes c JOIN sku_keys k ON k.n = c.sku_n
			WHERE c.n > ?1 AND c.n <= ?2 AND +c.at IS NOT NULL`, k.upto, upto); err != nil {
			return nil, err
		}
	}
	if end > k.end {
		if err := add(`SELECT DISTINCT k.id FROM changes c JOIN sku_keys k ON k.n = c.sku_n
			WHERE c.at >= ?1 AND c.at < ?2`, k.end, end); err != nil {
			return nil, err
		}
	}
	return redo, nil
}

// redoBatches is the kept report's batches with those of the SKUs in redo
// read again as of end, newest first as batchesAsOf lists them. The rest
// are as they were: no record changed, and no batch moment passed.
func redoBatches(ctx context.Context, q queryer, kept []domain.Batch, redo map[string]bool, end int64) ([]domain.Batch, error) {
	out := make([]domain.Batch, 0, len(kept))
	for _, b := range kept {
		if !redo[b.SKUID] {
			out = append(out, b)
		}
	}
	for id := range redo {
		bs, _, err := batchesAsOf(ctx, q, id, end, true)
		if err != nil {
			return nil, err
		}
		out = append(out, bs...)
	}
	slices.SortStableFunc(out, func(a, b domain.Batch) int {
		if c := cmpInt64(b.OrderedAt, a.OrderedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, nil
}

// redoRows replays the SKUs in redo and puts their rows in snap. A few
// are replayed each from its own checkpoint (a ledger of many reads every
// SKU's); many in one scan of the window. It returns the checkpoints
// worth saving.
func (s *Shop) redoRows(ctx context.Context, q queryer, snap *snapshot, skus []skuRow, redo map[string]bool) (map[string]checkpoint, error) {
	ids, redone := make([]string, 0, len(redo)), make([]skuRow, 0, len(redo))
	for _, r := range skus {
		if redo[r.ID] {
			ids, redone = append(ids, r.ID), append(redone, r)
		}
	}
	fresh := map[string]checkpoint{}
	if len(ids) == 0 {
		return fresh, nil
	}
	qa := make(map[string]batchQA, len(snap.batches))
	for _, b := range snap.batches {
		qa[b.ID] = batchQA{qa: string(b.QA), qaAt: b.QAAt}
	}
	due := openBatches(snap.batches)
	var shared *ledger
	if len(ids) > keptFewSKUs {
		var err error
		if shared, err = newLedger(ctx, q, snap.asOf.Window(), ids); err != nil {
			return nil, err
		}
		shared.batches = qa
		if err := shared.preload(ctx, redone); err != nil {
			return nil, err
		}
	}
	for i, r := range skus {
		if !redo[r.ID] {
			continue
		}
		l := shared
		if l == nil {
			var err error
			if l, err = newLedger(ctx, q, snap.asOf.Window(), []string{r.ID}); err != nil {
				return nil, err
			}
			l.batches = qa
		}
		row, err := l.assess(ctx, r, due[r.ID], snap.factories[r.FactoryID])
		if err != nil {
			return nil, err
		}
		snap.rows[i] = row
		maps.Copy(fresh, l.fresh)
	}
	return fresh, nil
}

// keptFewSKUs is the most SKUs redone each from its own checkpoint.
const keptFewSKUs = 50
