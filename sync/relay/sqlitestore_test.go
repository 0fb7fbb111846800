package relay

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"microshop/domain"
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

// Every session asks the store to raise the shop's schema and to bind its
// write key, and on a busy shop another writer nearly always holds the
// write lock: a schema no newer than the one held, and the key already
// bound, are answered without waiting for it (they waited out the busy
// timeout, and the session was refused).
func TestSQLiteSessionChecksDoNotWaitForAWriter(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t, t.TempDir())
	if _, err := s.RaiseSchema(ctx, shopA, 2); err != nil {
		t.Fatal(err)
	}
	key := []byte("0123456789abcdef0123456789abcdef")
	if _, err := s.BindWriteKey(ctx, shopA, key); err != nil {
		t.Fatal(err)
	}
	sh, err := s.shop(ctx, shopA)
	if err != nil {
		t.Fatal(err)
	}
	writer, err := sh.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Rollback()
	wait, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	for _, schema := range []int{1, 2} {
		got, err := s.RaiseSchema(wait, shopA, schema)
		if err != nil || got != 2 {
			t.Fatalf("RaiseSchema(%d) while another writer holds the shop = %d, %v; want 2 at once", schema, got, err)
		}
	}
	for _, offered := range [][]byte{key, []byte("another key, refused by the relay"), nil} {
		if got, err := s.BindWriteKey(wait, shopA, offered); err != nil || !bytes.Equal(got, key) {
			t.Fatalf("BindWriteKey while another writer holds the shop = %q, %v; want the bound key at once", got, err)
		}
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

// The old plaintext: a change sent before the shop was sealed
// names a SKU. After Forget no byte of the shop's files (database,
// write-ahead log, shared memory) still holds the name, also while
// another store (a serving relay process) has the shop open, and that
// store goes on working.
func TestSQLiteForgetLeavesNoPlaintextInTheFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	serving := mustOpenStore(t, dir)
	const name = "Moonlit Glaze Teapot"
	old := makeChanges("desk", 1, 40)
	for i := range old {
		old[i].Entity = "sku"
		old[i].Body = json.RawMessage(fmt.Sprintf(`{"code":"TEAPOT-%d","name":%q}`, i, name))
	}
	if _, err := serving.Append(ctx, shopA, old); err != nil {
		t.Fatal(err)
	}
	if _, err := serving.Append(ctx, shopB, old); err != nil {
		t.Fatal(err)
	}
	if !filesHold(t, dir, shopA, name) {
		t.Fatal("the plaintext is not in the shop's files to begin with; the test proves nothing")
	}

	report, err := mustOpenStore(t, dir).Forget(ctx, shopA)
	if err != nil {
		t.Fatal(err)
	}
	if report.Changes != 40 || report.Clear != 40 {
		t.Errorf("Forget dropped %+v, want 40 changes, all in the clear", report)
	}
	if filesHold(t, dir, shopA, name) {
		t.Errorf("after Forget the files of shop A still hold %q", name)
	}
	if !filesHold(t, dir, shopB, name) {
		t.Errorf("forgetting shop A touched shop B's files")
	}
	if v, err := serving.Append(ctx, shopA, sealedChanges("desk", 1, 1)); err != nil || v["desk"] != 1 {
		t.Errorf("the serving store after Forget: Append = %v, %v", v, err)
	}
}

// filesHold reports whether any file of shop in dir holds text.
func filesHold(t *testing.T, dir, shop, text string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, shop+".db*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files of shop %s in %s (%v)", shop, dir, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(text)) {
			return true
		}
	}
	return false
}

// A reader that keeps an old snapshot open past the busy timeout keeps
// the write-ahead log from being emptied: Forget drops the changes and
// says, as unavailable, that their bytes may remain until it is run again,
// which then wipes them.
func TestSQLiteForgetSaysWhenAReaderKeepsTheBytes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	serving := mustOpenStore(t, dir)
	old := makeChanges("desk", 1, 5)
	for i := range old {
		old[i].Body = json.RawMessage(`{"name":"Moonlit Glaze Teapot"}`)
	}
	if _, err := serving.Append(ctx, shopA, old); err != nil {
		t.Fatal(err)
	}
	sh, err := serving.shop(ctx, shopA)
	if err != nil {
		t.Fatal(err)
	}
	reading, err := sh.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reading.QueryRowContext(ctx, `SELECT count(*) FROM changes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	operator := mustOpenStore(t, dir)
	report, err := operator.Forget(ctx, shopA)
	reading.Rollback()
	if domain.ErrorCode(err) != domain.EUnavailable || !strings.Contains(domain.ErrorMessage(err), shopA) {
		t.Fatalf("Forget under a long reader = %v, want unavailable naming the shop", err)
	}
	if report.Changes != 5 {
		t.Errorf("Forget under a long reader reported %+v, want the 5 changes it dropped", report)
	}
	if _, err := operator.Forget(ctx, shopA); err != nil {
		t.Fatal(err)
	}
	if filesHold(t, dir, shopA, "Moonlit Glaze Teapot") {
		t.Error("forgetting again did not wipe the bytes")
	}
}

// The relay's files hold every shop's sealed changes and every device's
// token: nobody but the relay's user reads them, whatever the umask.
func TestTheRelaysFilesAreItsUsersAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("access there is by the folder's ACL, not mode bits")
	}
	ctx := context.Background()
	dir := t.TempDir()
	// A shop file made by an earlier version, readable by all.
	if err := os.MkdirAll(ShopsPath(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ShopsPath(dir), shopB+".db"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.store.Append(ctx, shopA, makeChanges("a", 1, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.store.Vector(ctx, shopB); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if len(files) < 7 {
		t.Fatalf("files %v, want each shop's and the tokens' database with their logs", files)
	}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %o, want no access for group or others", filepath.Base(f), perm)
		}
	}
}
