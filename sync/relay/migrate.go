package relay

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"modernc.org/sqlite" // the pure-Go driver, so the relay builds without cgo
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations
var migrations embed.FS

// openSQLite opens path with the per-connection settings in the connection
// string, so every pooled connection has them, and applies the migrations
// under migrations/set. synchronous(FULL) because an acknowledged change
// must survive a power cut, not only a crash; _txlock=immediate so a writer
// takes the write lock when it begins instead of failing to upgrade later.
func openSQLite(ctx context.Context, path, set string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyWait.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	// As a file: URI with '?', '#' and '%' escaped, so a data directory
	// named "Relay #2" is not cut short.
	uri := "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	if err := makePrivate(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", uri+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := migrateWaiting(ctx, db, set); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return db, nil
}

// makePrivate makes the database at path this user's alone, and so the
// log files SQLite makes beside it with its mode: it holds sealed changes
// or device tokens. Files an earlier version made readable by all are
// tightened; one this user may not change is left as it is.
func makePrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	f.Close()
	if runtime.GOOS == "windows" {
		return nil // access there is by the folder's ACL, not these bits
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o077 != 0 {
			os.Chmod(p, fi.Mode().Perm()&^0o077)
		}
	}
	return nil
}

// migrateWaiting is migrate, tried again while another relay holds the
// file. Two relays creating the same new file at once both turn it to WAL
// mode, which needs the file to themselves; SQLite then fails one at once
// rather than wait (the busy timeout cannot break that deadlock).
func migrateWaiting(ctx context.Context, db *sql.DB, set string) error {
	deadline := time.Now().Add(busyWait)
	for {
		err := migrate(ctx, db, set)
		var e *sqlite.Error
		if err == nil || !errors.As(err, &e) || e.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// busyWait is how long a statement waits for another relay to let go of a
// file (the busy timeout), and opening a file too.
const busyWait = 5 * time.Second

// migrate applies the embedded .sql files of one set in name order, each in
// its own transaction, recording each in schema_migrations. A shipped file is
// never edited; a change is a new file.
func migrate(ctx context.Context, db *sql.DB, set string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied TEXT NOT NULL)`); err != nil {
		return err
	}
	dir := "migrations/" + set
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	for _, name := range names {
		if err := migrateOne(ctx, db, dir, name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func migrateOne(ctx context.Context, db *sql.DB, dir, name string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	script, err := migrations.ReadFile(dir + "/" + name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(script)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied) VALUES (?, ?)`,
		name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}
