package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Some migrations were edited after a build had shipped them, and a shop
// never runs a migration twice: a shop made by such a build kept the early
// text, and the migrations after it, or this build's code, then failed on
// it (a shop of the first command line stopped at 0002, one of the first
// with a single log could not show its stock, one of the first with
// locations could not record a sale). Each catch-up below brings a shop
// that applied a migration's early text to what its text makes now. Every
// open runs them, after the migration and before the next one, so a shop
// opened before this fix is mended too; each changes only what it finds
// missing, and a shop that is right, nearly every one, is only read.
var migrationCatchUps = map[string]func(ctx context.Context, q queryer, applied map[string]bool) error{
	"0001_init.sql":        catchUpInit,
	"0002_day_indexes.sql": catchUpDayIndexes,
	"0003_one_log.sql":     catchUpOneLog,
	"0015_kits.sql":        catchUpKits,
	"0016_locations.sql":   catchUpLocations,
	"0019_orders.sql":      catchUpOrders,
}

// catchUpInit: the first text of 0001 had no index of batches in order,
// and indexed events by kind, where 0002 drops the returns' index that
// replaced it.
func catchUpInit(ctx context.Context, q queryer, applied map[string]bool) error {
	if err := unlessExists(ctx, q, "batches_ordered", `CREATE INDEX batches_ordered ON batches (ordered_at, id)`); err != nil {
		return err
	}
	if applied["0002_day_indexes.sql"] {
		return nil
	}
	return unlessExists(ctx, q, "events_returns",
		`DROP INDEX IF EXISTS events_kind_at`,
		`CREATE INDEX events_returns ON events (at) WHERE kind = 'return'`)
}

// catchUpDayIndexes: the first text of 0002 kept the units sold per day by
// factory first, and left digital SKUs' sales out: the return rates then
// read a download's sales before the upgrade as none. The table is a cache
// of the ledger, made again as 0002 makes it now. (Its second text, for
// six minutes, ordered the key as now and still left them out: that one
// cannot be told from now.)
func catchUpDayIndexes(ctx context.Context, q queryer, _ map[string]bool) error {
	var first string
	if err := q.QueryRowContext(ctx, `SELECT name FROM pragma_table_info('factory_sales') WHERE pk = 1`).Scan(&first); err != nil || first == "day" {
		return err
	}
	return execAll(ctx, q,
		`DROP TABLE factory_sales`,
		`CREATE TABLE factory_sales (
			day        INTEGER NOT NULL,
			factory_id TEXT NOT NULL,
			sold       INTEGER NOT NULL,
			PRIMARY KEY (day, factory_id)
		) WITHOUT ROWID`,
		`INSERT INTO factory_sales (day, factory_id, sold)
			SELECT at / 86400000, factory_id, sum(CASE kind WHEN 'sale' THEN qty ELSE -qty END) FROM events
			WHERE kind IN ('sale', 'void') GROUP BY at / 86400000, factory_id`)
}

// catchUpOneLog: the first text of 0003 made stock checkpoints without the
// mark of the last log row they saw. They are a cache: dropped, the next
// report makes them again, as 0003 does now.
func catchUpOneLog(ctx context.Context, q queryer, _ map[string]bool) error {
	if has, err := hasColumn(ctx, q, "stock_checkpoints", "upto"); err != nil || has {
		return err
	}
	return execAll(ctx, q,
		`DELETE FROM stock_checkpoints`,
		`ALTER TABLE stock_checkpoints ADD COLUMN upto INTEGER NOT NULL DEFAULT 0`)
}

// catchUpKits: the first text of 0015 had no index of prices, which 0016
// drops.
func catchUpKits(ctx context.Context, q queryer, applied map[string]bool) error {
	if applied["0016_locations.sql"] {
		return nil
	}
	return unlessExists(ctx, q, "events_money",
		`CREATE INDEX events_money ON changes (at, sku_n, entity, qty, price, restock, refund) WHERE at IS NOT NULL`)
}

// catchUpLocations: the first text of 0016 had no levels at the start of a
// recent day (every sale reads them) and kept the index of prices apart
// from the time-led index.
func catchUpLocations(ctx context.Context, q queryer, _ map[string]bool) error {
	err := unlessExists(ctx, q, "recent_levels", `CREATE TABLE recent_levels (
			sku_id  TEXT PRIMARY KEY,
			at      INTEGER NOT NULL,
			on_hand INTEGER NOT NULL,
			held    INTEGER NOT NULL,
			upto    INTEGER NOT NULL,
			places  TEXT NOT NULL DEFAULT ''
		) WITHOUT ROWID`)
	if err == nil {
		err = ifExists(ctx, q, "events_money", `DROP INDEX events_money`)
	}
	if err != nil {
		return err
	}
	if has, err := indexHasColumn(ctx, q, "events_at", "refund"); err != nil || has {
		return err
	}
	return execAll(ctx, q,
		`DROP INDEX IF EXISTS events_at`,
		`CREATE INDEX events_at ON changes (at, sku_n, entity, qty, held, restock, batch_id, location, to_location, price, refund) WHERE at IS NOT NULL`)
}

// catchUpOrders: the first text of 0019 kept no Shopify handle on a SKU
// (imports and the inventory export read it) and indexed orders twice.
func catchUpOrders(ctx context.Context, q queryer, _ map[string]bool) error {
	if has, err := hasColumn(ctx, q, "skus", "handle"); err != nil {
		return err
	} else if !has {
		if err := execAll(ctx, q, `ALTER TABLE skus ADD COLUMN handle TEXT NOT NULL DEFAULT ''`); err != nil {
			return err
		}
	}
	if err := ifExists(ctx, q, "events_imported", `DROP INDEX events_imported`); err != nil {
		return err
	}
	if has, err := indexHasColumn(ctx, q, "events_order", "channel"); err != nil || has {
		return err
	}
	return execAll(ctx, q,
		`DROP INDEX IF EXISTS events_order`,
		`CREATE INDEX events_order ON changes (order_id, sku_n, at, channel) WHERE entity = 'sale' AND order_id <> ''`)
}

func execAll(ctx context.Context, q queryer, stmts ...string) error {
	for _, stmt := range stmts {
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// unlessExists runs stmts when the schema has no object called name.
func unlessExists(ctx context.Context, q queryer, name string, stmts ...string) error {
	if has, err := countsAny(ctx, q, `SELECT count(*) FROM sqlite_master WHERE name = ?`, name); err != nil || has {
		return err
	}
	return execAll(ctx, q, stmts...)
}

// ifExists runs stmts when the schema has an object called name.
func ifExists(ctx context.Context, q queryer, name string, stmts ...string) error {
	if has, err := countsAny(ctx, q, `SELECT count(*) FROM sqlite_master WHERE name = ?`, name); err != nil || !has {
		return err
	}
	return execAll(ctx, q, stmts...)
}

func hasColumn(ctx context.Context, q queryer, table, column string) (bool, error) {
	return countsAny(ctx, q, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, table, column)
}

// indexHasColumn is false when the index is missing.
func indexHasColumn(ctx context.Context, q queryer, index, column string) (bool, error) {
	return countsAny(ctx, q, `SELECT count(*) FROM pragma_index_info(?) WHERE name = ?`, index, column)
}

func countsAny(ctx context.Context, q queryer, query string, args ...any) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// catchUp runs the catch-up of the applied migration name, if it has one:
// first reading only, so a shop that is right takes no write lock (another
// program may hold it), then, if something is missing, in a transaction.
func (s *Shop) catchUp(ctx context.Context, name string, applied map[string]bool) error {
	fix := migrationCatchUps[name]
	if fix == nil {
		return nil
	}
	err := fix(ctx, readingOnly{s.db}, applied)
	if !errors.Is(err, errWouldWrite) {
		if err != nil {
			return fmt.Errorf("catching up with migration %s: %w", name, storeError(s.path, err))
		}
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return storeError(s.path, err)
	}
	if err := fix(ctx, tx, applied); err != nil {
		tx.Rollback()
		return fmt.Errorf("catching up with migration %s: %w", name, storeError(s.path, err))
	}
	if err := tx.Commit(); err != nil {
		return storeError(s.path, err)
	}
	return nil
}

// readingOnly reads the database and stops at the first write.
type readingOnly struct{ *sql.DB }

var errWouldWrite = errors.New("a catch-up has something to change")

func (readingOnly) ExecContext(context.Context, string, ...any) (sql.Result, error) {
	return nil, errWouldWrite
}
