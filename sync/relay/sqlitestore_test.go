package relay

import (
	"context"
	"path/filepath"
	"testing"
)

func mustOpenStore(t *testing.T, dir string) *SQLiteStore {
	t.Helper()
	s, err := OpenSQLiteStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLiteKeepsOneFilePerShop(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := mustOpenStore(t, dir)
	if _, err := s.Append(ctx, shopA, makeChanges("a", 1, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, shopB, makeChanges("b", 1, 1)); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.db")); len(files) != 2 {
		t.Errorf("files %v, want one database per shop", files)
	}
	if _, err := s.Vector(ctx, "../escape"); err == nil {
		t.Error("a shop id naming another directory was accepted")
	}
}

func TestSQLitePragmasApplyToEveryConnection(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t, t.TempDir())
	sh, err := s.shop(ctx, shopA)
	if err != nil {
		t.Fatal(err)
	}
	// Hold one connection so the next query opens another.
	conn, err := sh.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var mode string
	var sync, busy int
	row := sh.db.QueryRowContext(ctx, `SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT synchronous FROM pragma_synchronous), (SELECT timeout FROM pragma_busy_timeout)`)
	if err := row.Scan(&mode, &sync, &busy); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || sync != 2 || busy != 5000 {
		t.Errorf("journal_mode %q, synchronous %d, busy_timeout %d; want wal, 2 (FULL), 5000", mode, sync, busy)
	}
}
