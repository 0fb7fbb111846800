package relay

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"microshop/domain"
)

// heldShop opens shop's database only if it exists: forgetting a shop the
// relay never held must not create one.
func (s *SQLiteStore) heldShop(ctx context.Context, shop string) (*shopDB, error) {
	if err := checkForgetShop(shop); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(s.dir, shop+".db")); errors.Is(err, fs.ErrNotExist) {
		return nil, unknownShop(shop)
	}
	return s.shop(ctx, shop)
}

// ForgetPlan implements Store.
func (s *SQLiteStore) ForgetPlan(ctx context.Context, shop string) (ForgetReport, error) {
	sh, err := s.heldShop(ctx, shop)
	if err != nil {
		return ForgetReport{}, err
	}
	return sqliteForgetReport(ctx, sh.db, shop)
}

// Forget implements Store. The deleted rows' bytes must leave the files,
// not only the tables: secure_delete zeroes them where they lay, VACUUM
// rewrites the database without them, and the checkpoint copies that into
// the main file and empties the write-ahead log, which held the old pages.
// It works while a relay process serves the same directory: SQLite locks
// between processes, and the relay ends the shop's live sessions when it
// sees the changes gone.
func (s *SQLiteStore) Forget(ctx context.Context, shop string) (ForgetReport, error) {
	sh, err := s.heldShop(ctx, shop)
	if err != nil {
		return ForgetReport{}, err
	}
	sh.appendMu.Lock()
	defer sh.appendMu.Unlock()
	conn, err := sh.db.Conn(ctx)
	if err != nil {
		return ForgetReport{}, fmt.Errorf("forget shop %s: %w", shop, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return ForgetReport{}, fmt.Errorf("forget shop %s: %w", shop, err)
	}
	// The connection goes back to the pool; appends need no zeroing.
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA secure_delete = OFF`)
	report, err := sqliteDropChanges(ctx, conn, shop)
	if err != nil {
		return ForgetReport{}, err
	}
	return report, scrub(ctx, conn, shop)
}

func sqliteDropChanges(ctx context.Context, conn *sql.Conn, shop string) (ForgetReport, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return ForgetReport{}, fmt.Errorf("forget shop %s: %w", shop, err)
	}
	defer tx.Rollback()
	report, err := sqliteForgetReport(ctx, tx, shop)
	if err != nil {
		return ForgetReport{}, err
	}
	for _, q := range []string{`DELETE FROM changes`, `DELETE FROM heads`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return ForgetReport{}, fmt.Errorf("forget shop %s: %w", shop, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return ForgetReport{}, fmt.Errorf("forget shop %s: %w", shop, err)
	}
	return report, nil
}

// scrub rewrites shop's database so no page of it, in the main file or the
// write-ahead log, still holds what was deleted.
func scrub(ctx context.Context, conn *sql.Conn, shop string) error {
	if _, err := conn.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("compact the database of shop %s: %w", shop, err)
	}
	var busy, logFrames, done int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("checkpoint the database of shop %s: %w", shop, err)
	}
	if busy != 0 {
		// A relay kept reading an older snapshot past the busy timeout.
		return domain.Errorf(domain.EUnavailable, "shop %s's changes were dropped, but a relay was reading its database, so their bytes may remain in the relay's files until forgetting the shop again succeeds", shop)
	}
	return nil
}

func sqliteForgetReport(ctx context.Context, q queryer, shop string) (ForgetReport, error) {
	rows, err := q.QueryContext(ctx, `SELECT origin, count(*), sum(entity <> ?) FROM changes GROUP BY origin`, sealedEntity)
	if err != nil {
		return ForgetReport{}, fmt.Errorf("count the changes of shop %s: %w", shop, err)
	}
	defer rows.Close()
	report := ForgetReport{Shop: shop}
	for rows.Next() {
		var origin string
		var n, clear int
		if err := rows.Scan(&origin, &n, &clear); err != nil {
			return ForgetReport{}, err
		}
		report.add(origin, n, clear)
	}
	return report, rows.Err()
}
