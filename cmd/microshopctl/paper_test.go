package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLabelsCommand(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	s.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "print", "--factory", "Riso", "--price", "8")
	s.ok("count", "ZINE", "--qty", "5", "--at", "2026-01-01")
	out := filepath.Join(t.TempDir(), "labels.pdf")
	var res struct {
		Labels int
		Pages  int
		Layout string
	}
	s.json(&res, "labels", "ZINE", "--stock", "--layout", "letter-3x10", "--out", out)
	if res.Labels != 5 || res.Pages != 1 || res.Layout != "letter-3x10" {
		t.Fatalf("labels --stock: %+v, want 5 labels on 1 letter page", res)
	}
	if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatal("labels wrote no PDF")
	}
	r := s.run("labels", "ZINE", "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, "--overwrite") {
		t.Errorf("labels over an existing file: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, bad := range [][]string{
		{"labels", "ZINE", "--out", filepath.Join(t.TempDir(), "l.png")},
		{"labels", "--out", filepath.Join(t.TempDir(), "l.pdf")},
		{"labels", "ZINE", "--copies", "0", "--out", filepath.Join(t.TempDir(), "l.pdf")},
		{"labels", "ZINE", "--copies", "2", "--stock", "--out", filepath.Join(t.TempDir(), "l.pdf")},
		{"labels", "ZINE", "--layout", "a5", "--out", filepath.Join(t.TempDir(), "l.pdf")},
		{"labels", "NOPE", "--out", filepath.Join(t.TempDir(), "l.pdf")},
	} {
		if r := s.run(bad...); r.code == 0 || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", bad, r.code, r.stderr)
		}
	}
}
