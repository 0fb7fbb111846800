package app

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"microshop/domain"
)

// Opening, or creating a shop at, a path that holds something else says
// what is there, and leaves it exactly as it was.
func TestWhatIsThereInsteadOfAShop(t *testing.T) {
	otherDB := func(t *testing.T, path string) {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('buy clay')`); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		make       func(t *testing.T, path string)
		open, init []string // what Open's and Create's sentences must say
	}{
		{"folder", func(t *testing.T, path string) { os.Mkdir(path, 0o755) },
			[]string{"is a folder, not a shop file", "such as "}, []string{"is a folder, not a shop file"}},
		{"empty file", func(t *testing.T, path string) { os.WriteFile(path, nil, 0o644) },
			[]string{"is an empty file"}, []string{"is an empty file", "left untouched"}},
		{"another program's database", otherDB,
			[]string{"another program's database", "left untouched"}, []string{"another program's database", "left untouched"}},
		{"not a database", func(t *testing.T, path string) { os.WriteFile(path, bytes.Repeat([]byte("hello\n"), 200), 0o644) },
			[]string{"not a Microshop database or is damaged"}, []string{"not a Microshop shop", "left untouched"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "shop.db")
			tt.make(t, path)
			before := folderContents(t, dir)
			_, err := Open(path, Options{})
			checkSentence(t, "Open", err, append(tt.open, path)...)
			_, err = Create(path, NewShop{Name: "Clay & Ink"}, Options{})
			checkSentence(t, "Create", err, append(tt.init, path)...)
			_, err = Demo(context.Background(), path, 1, Options{})
			checkSentence(t, "Demo", err, append(tt.init, path)...)
			if after := folderContents(t, dir); after != before {
				t.Errorf("the folder changed:\n got %s\nwant %s", after, before)
			}
		})
	}
	t.Run("folder named as the shop", func(t *testing.T) {
		dir := t.TempDir()
		_, err := Open(dir, Options{})
		checkSentence(t, "Open", err, dir+" is a folder", filepath.Join(dir, "shop.db"))
	})
}

// folderContents lists the files under dir with their sizes and contents.
func folderContents(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(p)
		if !d.IsDir() {
			data, _ := os.ReadFile(p)
			b.WriteString("=" + string(data))
		}
		b.WriteString("; ")
		return nil
	})
	return b.String()
}

// checkSentence asserts err carries a sentence naming each of want, and
// none of SQLite's own words.
func checkSentence(t *testing.T, what string, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want one naming %q", what, want)
	}
	checkMessage(t, what, domain.ErrorMessage(err), want...)
}

// checkMessage asserts msg names each of want, and none of SQLite's words.
func checkMessage(t *testing.T, what, msg string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("%s: %q does not say %q", what, msg, w)
		}
	}
	for _, noise := range []string{"disk I/O error", "readonly database", "(8)", "(4874)", "Something went wrong"} {
		if strings.Contains(msg, noise) {
			t.Errorf("%s: %q has SQLite's words %q", what, msg, noise)
		}
	}
}

// readOnlyDriverError is a real SQLITE_READONLY from the driver: a write on
// a connection opened read-only.
func readOnlyDriverError(t *testing.T, path string) error {
	t.Helper()
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE t (x)`)
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_READONLY {
		t.Fatalf("a write on a read-only connection gave %v, want SQLITE_READONLY", err)
	}
	return err
}

// A read-only shop says whether the file or its folder is read-only. The
// driver error is real; the file modes are real too, but they are not what
// made SQLite refuse (tests may run as root, who writes anyway), so
// TestReadOnlyShopFile covers the whole path where it can.
func TestReadOnlyErrorSaysWhich(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Stall")
	path := filepath.Join(dir, "shop.db")
	s, err := Create(path, NewShop{Name: "Clay & Ink"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	driverErr := readOnlyDriverError(t, path)
	t.Cleanup(func() { os.Chmod(dir, 0o755); os.Chmod(path, 0o644) })

	os.Chmod(path, 0o444)
	err = storeError(path, driverErr)
	checkSentence(t, "read-only file", err, path+" is a read-only file", "allow writing to it")
	if !errors.Is(err, driverErr) {
		t.Errorf("the driver's error is not kept for logs: %v", err)
	}

	os.Chmod(path, 0o644)
	os.Chmod(dir, 0o555)
	checkSentence(t, "read-only folder", storeError(path, driverErr), "the folder "+dir+" is read-only", "allow writing to the folder")

	os.Chmod(dir, 0o755)
	checkSentence(t, "neither", storeError(path, driverErr), "cannot write to "+path, "read-only")
}

// A shop the system says can be written, which SQLite then cannot write
// to as it opens it (a disk that says so only when written to), opens
// read-only; any other failure to open it stays the failure it is.
func TestAWriteRefusedAtOpenMeansReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	s, err := Create(path, NewShop{Name: "Clay & Ink"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	refused := fmt.Errorf("migration 0030_x.sql: %w", storeError(path, readOnlyDriverError(t, path)))
	ro := refusedWrite(path, refused)
	if ro == nil {
		t.Fatalf("a write refused as the shop opened: %v, want it read-only", refused)
	}
	checkSentence(t, "refusal", ro.refusal(), "the shop at "+path+" can only be read here", "cannot be written to", "copy it to a folder you can write to")
	for _, other := range []error{errors.New("disk full"), domain.Errorf(domain.ETooNew, "newer"), nil} {
		if ro := refusedWrite(path, other); ro != nil {
			t.Errorf("%v read as a read-only shop", other)
		}
	}
}

// Where file modes bind (not as root), a read-only shop file opens for
// reading, and a write through the app gives the sentence, not "attempt
// to write a readonly database (8)". As root, the tests of readonly_test.go
// make the file read-only in a way that binds root too.
func TestReadOnlyShopFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only files; TestAWriteProtectedShopRefusesEveryChange covers it")
	}
	path := filepath.Join(t.TempDir(), "shop.db")
	s, err := Create(path, NewShop{Name: "Clay & Ink"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err == nil {
		defer s.Close()
		_, err = s.AddFactory(context.Background(), domain.Factory{Name: "Kiln Co", Kind: domain.KindWorkshop})
	}
	checkSentence(t, "write", err, "the shop at "+path+" can only be read here", "its file's permissions")
}
