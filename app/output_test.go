package app

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// A file written for the user never lands on the open shop's own files,
// however the path names them, even with overwrite; the shop still works.
func TestOutputRefusesTheShopsOwnFiles(t *testing.T) {
	s, _ := mustCreate(t)
	db := s.Path()
	dir := filepath.Dir(db)
	// Make the WAL and shm exist, as they do while the shop is open.
	mustFactory(t, s, "Riso", 3, true)
	other := t.TempDir()
	paths := map[string]string{
		"the database":                db,
		"its WAL":                     db + "-wal",
		"its shm":                     db + "-shm",
		"its journal (absent now)":    db + "-journal",
		"its device file":             db + ".device",
		"another sidecar":             db + ".lock",
		"through a dot path":          filepath.Join(dir, ".", filepath.Base(db)),
		"through a parent path":       filepath.Join(dir, "..", filepath.Base(dir), filepath.Base(db)),
		"the database in other case":  filepath.Join(dir, strings.ToUpper(filepath.Base(db))),
		"the WAL in other case":       filepath.Join(dir, strings.ToUpper(filepath.Base(db))+"-WAL"),
		"a symbolic link to it":       filepath.Join(other, "link.db"),
		"a symbolic link to its dir":  filepath.Join(other, "dirlink", filepath.Base(db)),
		"a hard link to the database": filepath.Join(other, "hard.db"),
	}
	if err := os.Symlink(db, paths["a symbolic link to it"]); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink(dir, filepath.Join(other, "dirlink")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(db, paths["a hard link to the database"]); err != nil {
		t.Fatal(err)
	}
	before := fileSizes(t, dir)
	for name, p := range paths {
		t.Run(name, func(t *testing.T) {
			for _, overwrite := range []bool{false, true} {
				err := s.WriteOutput(p, overwrite, func(w io.Writer) error {
					_, err := io.WriteString(w, "not a database")
					return err
				})
				if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), "would destroy the shop") {
					t.Fatalf("overwrite=%v: err = %v, want the shop's files refused", overwrite, err)
				}
			}
		})
	}
	if after := fileSizes(t, dir); !equalMaps(before, after) {
		t.Fatalf("the shop's folder changed from %v to %v", before, after)
	}
	if head := readFile(t, db); !strings.HasPrefix(head, "SQLite format 3") {
		t.Fatalf("the database starts with %q", head[:min(len(head), 20)])
	}
	mustSKU(t, s, "ZINE", domain.PathPrint, "Riso")
	if _, err := s.Factories(context.Background(), s.AsOfNow()); err != nil {
		t.Fatal(err)
	}
}

// A case-insensitive name check must not refuse every file beside the
// shop: another name in the same folder is written normally.
func TestOutputBesideTheShop(t *testing.T) {
	s, _ := mustCreate(t)
	p := filepath.Join(filepath.Dir(s.Path()), "export.msb")
	if err := s.WriteOutput(p, false, func(w io.Writer) error {
		_, err := io.WriteString(w, "hello")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, p); got != "hello" {
		t.Fatalf("file holds %q, want hello", got)
	}
}

// An existing file is kept unless overwrite; with it, replaced whole.
func TestOutputExistingFile(t *testing.T) {
	s, _ := mustCreate(t)
	p := filepath.Join(t.TempDir(), "report.csv")
	os.WriteFile(p, []byte("precious"), 0o644)
	write := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	err := s.WriteOutput(p, false, write)
	if domain.ErrorCode(err) != domain.EConflict || !errors.Is(err, ErrOutputExists) || !strings.Contains(domain.ErrorMessage(err), p) {
		t.Fatalf("err = %v, want a conflict naming %s", err, p)
	}
	if got := readFile(t, p); got != "precious" {
		t.Fatalf("refused write left %q, want precious", got)
	}
	if err := s.WriteOutput(p, true, write); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, p); got != "new" {
		t.Fatalf("overwrite left %q, want new", got)
	}
	assertOnly(t, filepath.Dir(p), "report.csv")
}

// A write that fails halfway leaves nothing: no half file, no temporary
// file, and a file it was to replace untouched.
func TestOutputFailedWriteLeavesNothing(t *testing.T) {
	s, _ := mustCreate(t)
	dir := t.TempDir()
	fresh, old := filepath.Join(dir, "fresh.msb"), filepath.Join(dir, "old.msb")
	os.WriteFile(old, []byte("old"), 0o644)
	boom := errors.New("interrupted")
	for _, p := range []string{fresh, old} {
		err := s.WriteOutput(p, true, func(w io.Writer) error {
			io.WriteString(w, "half")
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the writer's error", err)
		}
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Fatalf("a failed write left %s (err %v)", fresh, err)
	}
	if got := readFile(t, old); got != "old" {
		t.Fatalf("a failed overwrite left %q, want old", got)
	}
	assertOnly(t, dir, "old.msb")
}

// An export cut off by the power or a killed process left its hidden
// partial file behind, a whole bundle's size, for good. The next write of
// the same name removes those over an hour old; a younger one may be
// another program's export under way, and other files stay.
func TestOutputRemovesPartialsLeftByAnExportCutOff(t *testing.T) {
	s, _ := mustCreate(t)
	dir := t.TempDir()
	old := filepath.Join(dir, ".shop.msb.partial-0123456789ab")
	young := filepath.Join(dir, ".shop.msb.partial-ba9876543210")
	other := filepath.Join(dir, ".other.msb.partial-0123456789ab")
	mine := filepath.Join(dir, ".shop.msb.partial-notes")
	for _, p := range []string{old, young, other, mine} {
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hoursAgo := time.Now().Add(-2 * time.Hour)
	for _, p := range []string{old, other, mine} {
		os.Chtimes(p, hoursAgo, hoursAgo)
	}
	if err := s.WriteOutput(filepath.Join(dir, "shop.msb"), false, func(w io.Writer) error {
		_, err := io.WriteString(w, "whole")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	assertOnly(t, dir, filepath.Base(other), filepath.Base(young), filepath.Base(mine), "shop.msb")
}

// A file that appears while the output is written is not replaced.
func TestOutputCommitRefusesAFileThatAppeared(t *testing.T) {
	s, _ := mustCreate(t)
	p := filepath.Join(t.TempDir(), "race.msb")
	out, err := s.CreateOutput(p, false)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(out, "mine")
	os.WriteFile(p, []byte("theirs"), 0o644)
	if err := out.Commit(); !errors.Is(err, ErrOutputExists) {
		t.Fatalf("commit err = %v, want the file refused as existing", err)
	}
	if got := readFile(t, p); got != "theirs" {
		t.Fatalf("file holds %q, want theirs", got)
	}
	assertOnly(t, filepath.Dir(p), "race.msb")
}

func TestOutputRefusesAFolderAndAMissingFolder(t *testing.T) {
	s, _ := mustCreate(t)
	dir := t.TempDir()
	for p, code := range map[string]string{
		dir:                                 domain.EInvalid,
		filepath.Join(dir, "nope", "x.msb"): domain.ENotFound,
		"":                                  domain.EInvalid,
		// A name longer than a disk holds: it was said to be a folder
		// not writable or a disk full.
		filepath.Join(dir, strings.Repeat("a", 300)+".csv"): domain.EInvalid,
	} {
		_, err := s.CreateOutput(p, true)
		if domain.ErrorCode(err) != code {
			t.Errorf("CreateOutput(%q) err = %v, want code %s", p, err, code)
		}
		if len(p) > 300 && !strings.Contains(domain.ErrorMessage(err), "too long") {
			t.Errorf("a name of 304 bytes: %v, want it said to be too long", err)
		}
	}
	assertOnly(t, dir)
}

func fileSizes(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int64{}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = fi.Size()
	}
	// Sizes change as the shop checkpoints its WAL; names are compared,
	// and the database is checked by using it.
	for name := range m {
		m[name] = 0
	}
	return m
}

func equalMaps(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Fatalf("%s holds %q, want %q", dir, got, names)
	}
}
