package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `--db dx.db bundle export --out dx.db` once wrote the bundle over the
// shop. The shop's files are refused, with --overwrite too, and the shop
// keeps working.
func TestBundleExportNeverWritesOverTheShop(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	s.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "print", "--factory", "Riso")
	s.ok("count", "ZINE", "--qty", "50", "--at", "2026-01-01")
	before := s.vector()
	dir := filepath.Dir(s.db)
	for _, out := range []string{s.db, s.db + "-wal", s.db + "-shm", s.db + ".device",
		filepath.Join(dir, ".", filepath.Base(s.db)), filepath.Join(dir, "SHOP.DB")} {
		for _, extra := range [][]string{nil, {"--overwrite"}} {
			r := s.run(append([]string{"bundle", "export", "--out", out}, extra...)...)
			if r.code != 1 || !strings.Contains(r.stderr, "would destroy the shop") || r.stdout != "" {
				t.Fatalf("export --out %s %v: exit %d, stdout %q, stderr %q", out, extra, r.code, r.stdout, r.stderr)
			}
		}
	}
	if got := s.vector(); got != before {
		t.Fatalf("vector %s after the refusals, want %s", got, before)
	}
	if got := s.objects("stock", "ZINE", "--as-of", "2026-01-02")[0]["available"].(float64); got != 50 {
		t.Fatalf("the shop shows %v available after the refusals, want 50", got)
	}
	s.ok("sell", "ZINE", "--at", "2026-01-02")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "partial") {
			t.Errorf("a refused export left %s", e.Name())
		}
	}
}

// An existing file is kept unless --overwrite; with it, the bundle
// replaces the file whole and imports.
func TestBundleExportKeepsAnExistingFile(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	out := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(out, []byte("my notes"), 0o644)
	r := s.run("bundle", "export", "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, out+" exists already") || !strings.Contains(r.stderr, "--overwrite") {
		t.Fatalf("export over an existing file: exit %d, stderr %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "my notes" {
		t.Fatalf("the refused export left %q in the file", b)
	}
	var res struct{ Changes int }
	s.json(&res, "bundle", "export", "--out", out, "--overwrite")
	if res.Changes == 0 {
		t.Fatal("export wrote no changes")
	}
	if imp := s.object("bundle", "import", out); imp["received"].(float64) != 0 {
		t.Fatalf("importing the shop's own bundle = %v, want nothing new", imp)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Fatalf("the folder holds %d files, want only the bundle", len(entries))
	}
}

// A damaged bundle is refused by the command line in the bundle's words,
// and changes nothing.
func TestBundleImportRefusesADamagedFile(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	file := filepath.Join(t.TempDir(), "desk.msb")
	s.ok("bundle", "export", "--out", file)
	data, _ := os.ReadFile(file)
	os.WriteFile(file, data[:len(data)-8], 0o644)
	other := newShop(t)
	before := other.vector()
	for path, want := range map[string]string{
		file:               "is cut short",
		filepath.Dir(file): "is a folder",
		file + ".nope":     "cannot open the bundle",
	} {
		r := other.run("bundle", "import", path)
		if r.code != 1 || !strings.Contains(r.stderr, want) || other.vector() != before {
			t.Fatalf("import %s: exit %d, stderr %q, want %q", path, r.code, r.stderr, want)
		}
	}
}

// A hint's argument pastes into a shell as the one argument it is.
func TestShellArgQuotesWhatAShellWouldSplit(t *testing.T) {
	for in, want := range map[string]string{
		"MUG-01":               "MUG-01",
		"/home/jo/shop.db":     "/home/jo/shop.db",
		"Kiln Co":              "'Kiln Co'",
		"Jo's kiln":            `'Jo'\''s kiln'`,
		"$HOME":                "'$HOME'",
		"":                     "''",
		"Céramique":            "'Céramique'",
		"backup 2026-12-05.db": "'backup 2026-12-05.db'",
	} {
		if got := shellArg(in); got != want {
			t.Errorf("shellArg(%q) = %s, want %s", in, got, want)
		}
	}
}
