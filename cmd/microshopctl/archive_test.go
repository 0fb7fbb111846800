package main

import (
	"strings"
	"testing"
)

func codes(rows []obj) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r["code"].(string))
	}
	return out
}

// TestArchivedSKUsAreListedApartAndComeBack: `sku list` lists the SKUs on
// sale, `--archived` the others; an archived SKU keeps its code and
// `sku unarchive` puts it back on sale.
func TestArchivedSKUsAreListedApartAndComeBack(t *testing.T) {
	s := newShop(t)
	s.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "digital")
	s.ok("sku", "add", "OLD-01", "--name", "Old poster", "--path", "digital")
	s.ok("sku", "archive", "OLD-01")

	if got := strings.Join(codes(s.objects("sku", "list")), " "); got != "ZINE" {
		t.Errorf("sku list: %s, want only ZINE, on sale", got)
	}
	if got := strings.Join(codes(s.objects("sku", "list", "--archived")), " "); got != "OLD-01" {
		t.Errorf("sku list --archived: %s, want only OLD-01", got)
	}
	if out := s.ok("sku", "list"); strings.Contains(out, "OLD-01") {
		t.Errorf("sku list shows the archived SKU:\n%s", out)
	}
	if out := s.ok("sku", "list", "-h"); !strings.Contains(out, "--archived") || !strings.Contains(out, "on sale") {
		t.Errorf("sku list -h does not say what --archived does:\n%s", out)
	}

	before := s.vector()
	r := s.run("sku", "add", "old-01", "--name", "New poster", "--path", "digital")
	if r.code != 1 || !strings.Contains(r.stderr, "archived SKU OLD-01") || !strings.Contains(r.stderr, "unarchive") {
		t.Errorf("adding an archived SKU's code: exit %d, stderr %q; want it refused, naming the archived SKU", r.code, r.stderr)
	}
	if r := s.run("sku", "unarchive", "ZINE"); r.code != 1 || !strings.Contains(r.stderr, "not archived") {
		t.Errorf("unarchiving a SKU on sale: exit %d, stderr %q", r.code, r.stderr)
	}
	if s.vector() != before {
		t.Errorf("a refused command wrote to the shop")
	}

	checkFields(t, "sku unarchive", s.object("sku", "unarchive", "OLD-01"), obj{"code": "OLD-01", "archived": false})
	if got := strings.Join(codes(s.objects("sku", "list")), " "); got != "OLD-01 ZINE" {
		t.Errorf("sku list after unarchive: %s, want OLD-01 ZINE", got)
	}
	if out := s.ok("sku", "list", "--archived"); !strings.Contains(out, "No archived SKUs") {
		t.Errorf("sku list --archived with none: %q", out)
	}
	s.ok("sell", "OLD-01")
}

// TestUnarchiveRefusedWhileAnotherSKUHasTheCode: a second device added its
// own OLD-01 while the first had it archived; unarchive names that SKU.
func TestUnarchiveRefusedWhileAnotherSKUHasTheCode(t *testing.T) {
	a := newShop(t)
	a.ok("sku", "add", "OLD-01", "--name", "Old poster", "--path", "digital")
	a.ok("sku", "archive", "OLD-01")
	b := replicaOf(t, a, "stall")
	b.ok("sku", "add", "OLD-01", "--name", "Poster reprint", "--path", "digital")
	exchange(t, a.db, b.db)
	exchange(t, b.db, a.db)

	before := a.vector()
	r := a.run("sku", "unarchive", "OLD-01")
	if r.code != 1 || !strings.Contains(r.stderr, `"Poster reprint"`) || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("unarchive while another SKU on sale has the code: exit %d, stderr %q; want one sentence naming Poster reprint", r.code, r.stderr)
	}
	if a.vector() != before {
		t.Errorf("a refused unarchive wrote to the shop")
	}
}

// TestReturnRatesOfNothingSoldAreNotApplicable: returns of a SKU that sold
// nothing in the period have no rate: n/a in the table, null in JSON.
func TestReturnRatesOfNothingSoldAreNotApplicable(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("count", "MUG-01", "--qty", "10", "--at", "2025-06-01")
	s.run("return", "MUG-01", "--qty", "1", "--reason", "defect", "--at", "2025-06-02", "--force") // of nothing sold: a warning

	rows := byKey(t, s.objects("returns", "--as-of", "2025-06-02"), "factory")
	checkFields(t, "returns Kiln Co", rows["Kiln Co"], obj{"sold": 0, "quality": 1, "quality_rate": nil, "logistics_rate": nil})
	out := s.ok("returns", "--as-of", "2025-06-02")
	if !strings.Contains(out, "n/a") || strings.Contains(out, "0.0 %") {
		t.Errorf("returns table shows a rate of nothing sold:\n%s", out)
	}
}

// TestArchivingAKitsPartSaysTheKitStopsSelling: a kit sells as its parts,
// so archiving one stops the kit selling; that happened without a word,
// and the maker found out at the till.
func TestArchivingAKitsPartSaysTheKitStopsSelling(t *testing.T) {
	s := newShop(t)
	s.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "digital")
	s.ok("sku", "add", "PDF", "--name", "Pattern", "--path", "digital")
	s.ok("kit", "add", "SET", "--name", "Set", "--part", "ZINE:1", "--part", "PDF:1")
	r := s.run("sku", "archive", "zine")
	if r.code != 0 || !strings.Contains(r.stdout, "Archived SKU ZINE") ||
		r.stderr != "warning: kit SET cannot be sold while ZINE is archived, as ZINE is one of its parts\n" {
		t.Errorf("archiving ZINE, a part of SET: exit %d, stdout %q, stderr %q; want it archived with a warning naming SET", r.code, r.stdout, r.stderr)
	}
	if r := s.run("sku", "archive", "PDF"); r.code != 0 || !strings.Contains(r.stderr, "kit SET cannot be sold") {
		t.Errorf("archiving PDF: exit %d, stderr %q; want the warning too", r.code, r.stderr)
	}
}
