package app

import (
	"context"
	"math"
	"strconv"
	"sync/atomic"
)

// recentChecked is how far this process has checked recent_levels against
// the log: no event logged at or below this row makes any of them wrong,
// because the transaction that checked those rows deleted every level an
// earlier-dated event had made wrong, and committed. A sale then checks
// only the rows logged since the last sale (one, at a stall) instead of
// every row logged since its SKU's level was taken, which grew with every
// other SKU's sale. A level saved later is right as of its own row (it is
// saved with the ledger as it stood), so it needs no checking up to that
// row either.
//
// The mark is kept in meta too, every recentCheckedSave rows, so a new
// process (each command of microshopctl is one) starts near it rather
// than checking the whole log.
type recentChecked struct {
	upto  atomic.Int64
	read  atomic.Bool  // upto was read from meta
	saved atomic.Int64 // the mark as last written to meta
}

const recentCheckedSave = 1000

// recentCheckedMax is how many log rows a sale checks; past that (after a
// big sync) every recent level is dropped instead, and sales replay from
// the reports' checkpoints until the next report keeps new ones.
const recentCheckedMax = 50_000

// checkRecentLevels deletes the recent levels that an event logged since
// the last check has made wrong and returns the last log row, which the
// levels left are right as of once t commits.
func (t *txn) checkRecentLevels(ctx context.Context) (int64, error) {
	var top int64
	if err := t.tx.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM changes`).Scan(&top); err != nil {
		return 0, err
	}
	c := &t.shop.recentChecked
	if !c.read.Load() {
		stored, err := getMetaInt(ctx, t.tx, "recent_checked")
		if err != nil {
			return 0, err
		}
		// Each level is right as of its own row, so the rows up to the
		// oldest of those need no check either: a shop whose mark was
		// never saved does not drop its levels.
		var oldest int64
		if err := t.tx.QueryRowContext(ctx, `SELECT coalesce(min(upto), 0) FROM recent_levels`).Scan(&oldest); err != nil {
			return 0, err
		}
		c.advance(max(stored, oldest))
		c.saved.Store(stored)
		c.read.Store(true)
	}
	checked := c.upto.Load()
	switch {
	case top <= checked:
		return top, nil
	case top-checked > recentCheckedMax:
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM recent_levels`); err != nil {
			return 0, err
		}
		// The next whole-shop report keeps them again, though one kept
		// some today already.
		t.shop.recentDay.Store(math.MinInt64)
	default:
		// A level is wrong when an event of its SKU dated before it was
		// logged after it was taken (see ledger.dropStale).
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM recent_levels WHERE sku_id IN (
			SELECT r.sku_id FROM changes c JOIN sku_keys k ON k.n = c.sku_n JOIN recent_levels r ON r.sku_id = k.id
			WHERE c.n > ?1 AND c.n <= ?2 AND c.at IS NOT NULL AND c.at < r.at AND c.n > r.upto)`, checked, top); err != nil {
			return 0, err
		}
	}
	if top-c.saved.Load() >= recentCheckedSave {
		if err := setMeta(ctx, t.tx, "recent_checked", strconv.FormatInt(top, 10)); err != nil {
			return 0, err
		}
	}
	t.recentChecked = top
	return top, nil
}

// committed records, after t's commit, how far recent levels were checked.
func (c *recentChecked) committed(upto int64) {
	c.advance(upto)
	if upto-c.saved.Load() >= recentCheckedSave {
		c.saved.Store(upto)
	}
}

func (c *recentChecked) advance(upto int64) {
	for {
		old := c.upto.Load()
		if upto <= old || c.upto.CompareAndSwap(old, upto) {
			return
		}
	}
}
