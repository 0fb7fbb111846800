package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A maker backs up, sells on, restores: the shop is back as it was at the
// backup, under a new device id, and the shop that was replaced is kept.
func TestBackupAndRestoreCommands(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Press", "--kind", "print", "--lead-days", "3", "--established")
	s.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "print", "--factory", "Press")
	s.ok("count", "ZINE", "--qty", "10")
	before := s.object("shop")

	backup := filepath.Join(t.TempDir(), "zine.backup")
	var wrote obj
	s.json(&wrote, "backup", "--out", backup)
	if wrote["file"] != backup {
		t.Fatalf("backup printed %v, want file %s", wrote, backup)
	}
	if r := s.run("backup", "--out", backup); r.code != 1 || !strings.Contains(r.stderr, "--overwrite") {
		t.Fatalf("backup over an existing file: exit %d, %q; want a refusal naming --overwrite", r.code, r.stderr)
	}
	s.ok("sell", "ZINE", "--qty", "3")

	restored := s.object("restore", backup)
	checkKeys(t, "restore", restored, keys("shop device_id changes kept_as", ""))
	if restored["device_id"] == before["device_id"] || restored["shop"] != "Clay & Ink" {
		t.Fatalf("restore: %v; want the shop under a new device id (not %v)", restored, before["device_id"])
	}
	if got := s.objects("stock", "ZINE")[0]["available"]; got != 10.0 {
		t.Fatalf("restored shop has %v available, the backup held 10", got)
	}
	kept := &testShop{t: t, db: restored["kept_as"].(string)}
	if got := kept.objects("stock", "ZINE")[0]["available"]; got != 7.0 {
		t.Fatalf("the shop set aside has %v available, want 7", got)
	}
	if _, err := os.Stat(kept.db + ".device"); err != nil {
		t.Fatalf("the shop set aside lost its device file: %v", err)
	}
}

func TestRestoreRefusesAnotherShop(t *testing.T) {
	a, b := newShop(t), newShop(t)
	backup := filepath.Join(t.TempDir(), "a.backup")
	a.ok("backup", "--out", backup)
	was := b.vector()
	r := b.run("restore", backup)
	if r.code != 1 || !strings.Contains(r.stderr, "another shop") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("restore of another shop's backup: exit %d, %q; want one sentence refusing it", r.code, r.stderr)
	}
	if b.vector() != was {
		t.Fatalf("a refused restore changed the shop")
	}
}

// The restore that backup suggests puts the shop back where it is: without
// --db it went to the default shop's place, a second shop beside the one
// backed up from a --db of its own.
func TestBackupSuggestsARestoreToTheShop(t *testing.T) {
	s := newShop(t)
	backup := filepath.Join(t.TempDir(), "my backups", "shop.backup")
	if err := os.Mkdir(filepath.Dir(backup), 0o700); err != nil {
		t.Fatal(err)
	}
	out := s.ok("backup", "--out", backup)
	want := "`microshopctl --db " + shellArg(s.db) + " restore " + shellArg(backup) + "`"
	if !strings.Contains(out, want) {
		t.Errorf("backup says %q; want the restore %s", out, want)
	}
	// A shop that can only be read here is restored elsewhere: where it
	// is, the restore could only fail.
	out = s.ok("--read-only", "backup", "--out", backup+"2")
	if want := "`microshopctl --db PATH restore " + shellArg(backup+"2") + "`"; !strings.Contains(out, want) {
		t.Errorf("backup of a read-only shop says %q; want the restore %s", out, want)
	}
}
