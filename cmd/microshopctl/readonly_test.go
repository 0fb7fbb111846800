package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/app/apptest"
)

// roReports are the reports a maker reads from a shop, each with --json.
var roReports = [][]string{
	{"stock"}, {"reorder"}, {"alerts"}, {"sales"}, {"day"}, {"sku", "list"}, {"margins"},
	{"factory", "list"}, {"batch", "list"}, {"returns"}, {"kit", "list"}, {"orders"},
	{"pack", "--days", "3"}, {"status"},
}

// copyShopFiles copies the closed shop at db, with its device file, to a
// folder of its own: the same shop and device, writable.
func copyShopFiles(t *testing.T, db string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "Copy", "shop.db")
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", ".device"} {
		b, err := os.ReadFile(db + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// checkRefused asserts r is a refusal as any other: exit 1, nothing on
// stdout, one sentence on stderr saying each of want, and no trace of
// Go or SQLite.
func checkRefused(t *testing.T, what string, r result, want ...string) {
	t.Helper()
	if r.code != 1 || r.stdout != "" {
		t.Errorf("%s: exit %d, stdout %q; want exit 1 and nothing on stdout", what, r.code, r.stdout)
	}
	if strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("%s: stderr is not one line: %q", what, r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("%s: stderr %q does not say %q", what, r.stderr, w)
		}
	}
	for _, noise := range []string{"goroutine", "panic", "readonly database", "(8)", "Something went wrong"} {
		if strings.Contains(r.stderr, noise) {
			t.Errorf("%s: stderr %q has %q", what, r.stderr, noise)
		}
	}
}

// A shop on a write-protected stick (or in a folder the maker cannot
// write to) answers every report as a writable copy of it does, and
// refuses every change in one sentence, exit 1 as any refusal, writing
// nothing: a sale, a new SKU, a count, an import, a sync with a relay
// that is there, a bundle with changes it lacks.
func TestAWriteProtectedShopReportsAndRefusesChanges(t *testing.T) {
	db := filepath.Join(t.TempDir(), "Stall", "shop.db")
	if r := runCLI(t, "--db", db, "demo", "--seed", "1"); r.code != 0 {
		t.Fatalf("demo: %d %s", r.code, r.stderr)
	}
	copy := &testShop{t: t, db: copyShopFiles(t, db)}
	before := apptest.WriteProtect(t, db)
	ro := &testShop{t: t, db: db}

	today := time.Now().Format(time.DateOnly)
	for _, args := range roReports {
		if args[0] == "stock" || args[0] == "reorder" || args[0] == "alerts" {
			args = append(args, "--as-of", today)
		}
		if got, want := ro.ok(append(args, "--json")...), copy.ok(append(args, "--json")...); got != want {
			t.Errorf("%s reads\n%.600s\nwant, as the writable copy reads,\n%.600s", strings.Join(args, " "), got, want)
		}
	}

	shop := ro.object("shop")
	if shop["read_only"] != true || shop["shop_id"] != copy.object("shop")["shop_id"] {
		t.Errorf("shop --json reads %v, want the same shop, read_only", shop)
	}
	if text := ro.ok("shop"); !strings.Contains(text, "Read-only  yes: the shop at "+db+" can only be read here") {
		t.Errorf("shop says\n%s\nwant a line saying it can only be read, and why", text)
	}
	code := ro.objects("sku", "list")[0]["code"].(string)
	copy.ok("sell", code, "--force")
	bundle := filepath.Join(t.TempDir(), "laptop.bundle")
	copy.ok("bundle", "export", "--out", bundle)
	products := filepath.Join(t.TempDir(), "products_export.csv")
	if err := os.WriteFile(products, []byte("Title,URL handle,SKU,Price,Inventory quantity\nBowl,bowl,BOWL,18.00,7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	url, mint := startRelay(t)
	token := mint(shop["shop_id"].(string))
	for _, args := range [][]string{
		{"sell", code, "--force"},
		{"sku", "add", "TOTE", "--name", "Tote", "--path", "digital"},
		{"count", code, "--qty", "3"},
		{"import", products, "--path", "digital"},
		{"sync", "--relay", url, "--token", token},
		{"bundle", "import", bundle},
		{"location", "use", "main"},
		{"sell", code, "--json"},
	} {
		checkRefused(t, strings.Join(args, " "), ro.run(args...),
			"the shop at "+db+" can only be read here", "copy it to a folder you can write to", "microshopctl backup --out FILE")
	}
	before.Unchanged(t, filepath.Dir(db))
}

// --read-only opens any shop for reading only: the same reports, every
// change refused in words that say why, and nothing written.
func TestReadOnlyFlagReadsAndRefuses(t *testing.T) {
	s := newShop(t)
	s.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "digital")
	s.ok("sell", "ZINE")
	dir := filepath.Dir(s.db)
	for _, args := range [][]string{{"stock"}, {"sales"}, {"sku", "list"}, {"status"}} {
		if got, want := s.ok(append(append([]string{"--read-only"}, args...), "--json")...), s.ok(append(args, "--json")...); got != want {
			t.Errorf("--read-only %s reads %s, want %s", strings.Join(args, " "), got, want)
		}
	}
	before := apptest.Snap(t, dir) // taken after the writable opens, which tidy the files up
	checkRefused(t, "--read-only sell", s.run("--read-only", "sell", "ZINE"), "is open read-only", "run the command without --read-only")
	checkRefused(t, "sku add --read-only", s.run("sku", "add", "CARD", "--name", "Card", "--path", "digital", "--read-only"), "is open read-only")
	before.Unchanged(t, dir)
}

// A command that makes a shop refuses --read-only as any contradictory
// command line: exit 2, and no shop made.
func TestReadOnlyFlagMakesNoShop(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	for _, args := range [][]string{
		{"init", "--shop", "Clay & Ink"},
		{"demo"},
		{"restore", filepath.Join(t.TempDir(), "backup.db")},
		{"join", "--invite", "x"},
	} {
		r := runCLI(t, append([]string{"--db", db, "--read-only"}, args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "leave --read-only out") {
			t.Errorf("--read-only %s: exit %d, stderr %q; want it refused as a usage error", args[0], r.code, r.stderr)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a shop was made at %s: %v", db, err)
	}
}
