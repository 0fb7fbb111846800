package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A Saturday's stock on the command line: pack for the stall, sell there
// from the stall laptop's default, count what came back.
func TestLocationsOnTheCommandLine(t *testing.T) {
	s := tillShop(t)
	s.ok("location", "add", "Stall")
	locs := s.objects("location", "list")
	checkEach(t, "location list", locs, keys("name", ""))
	if len(locs) != 2 || locs[0]["name"] != "main" || locs[1]["name"] != "Stall" {
		t.Fatalf("locations %v; want main and Stall", locs)
	}
	// The list alone says --to moves less what is there already.
	if out := s.ok("pack", "--days", "2"); !strings.Contains(out, "less what is at LOCATION already") {
		t.Errorf("pack's list says %q; want it to say what --to moves", out)
	}
	pack := s.objects("pack", "--days", "2", "--to", "stall")
	checkEach(t, "pack", pack, keys("code name qty fair_rate there", ""))
	// Nothing sold yet: one of each to show.
	if len(pack) != 2 || pack[0]["qty"] != 1.0 || pack[1]["qty"] != 1.0 {
		t.Fatalf("pack %v; want one CARD and one MUG", pack)
	}
	// Packed already: the stall has its one of each, so nothing more goes.
	if again := s.run("pack", "--days", "2", "--to", "stall"); again.code != 0 || !strings.Contains(again.stdout, "Nothing to pack: Stall has") {
		t.Fatalf("packing twice: exit %d, %q %q", again.code, again.stdout, again.stderr)
	}
	// A typo says which was meant, then where the names are.
	if r := s.run("location", "use", "stal"); r.code != 1 || !strings.Contains(r.stderr, `there is no location "stal"; did you mean Stall? See `+"`microshopctl location list`") {
		t.Fatalf("using a mistyped location: exit %d, %q", r.code, r.stderr)
	}
	s.ok("location", "use", "stall")
	if r := s.run("sell", "MUG:2"); r.code != 1 || !strings.Contains(r.stderr, "MUG at Stall") || !strings.Contains(r.stderr, "only 1") {
		t.Fatalf("selling 2 with 1 at the stall: exit %d, %q", r.code, r.stderr)
	}
	// Main has more: move the one missing first, the command given.
	if r := s.run("sell", "MUG:2"); !strings.Contains(r.stderr, "9 are available at main: move some to Stall first (`microshopctl move MUG --qty 1 --from main --to Stall`); if the sale really happened, record it with --force") {
		t.Fatalf("selling 2 with 1 at the stall and 9 at main says %q; want the move that lets it sell", r.stderr)
	}
	s.ok("sell", "MUG")
	if got := s.objects("sales")[0]["location"]; got != "Stall" {
		t.Fatalf("the sale's location is %v, want Stall", got)
	}
	// One more, forced: short at the stall, not in the shop (main has 8),
	// so it says so, and not to reorder.
	if out := s.ok("sell", "MUG", "--force"); !strings.Contains(out, "beyond the stock at Stall; -1 available there") || strings.Contains(out, "reorder") {
		t.Fatalf("a forced sale at an empty stall says %q; want it short at the stall, not oversold", out)
	}
	s.ok("void", s.objects("sales")[0]["id"].(string))
	move := s.object("move", "MUG", "--qty", "3", "--from", "main", "--to", "stall")
	checkKeys(t, "move", move, keys("id code qty from to at", ""))
	checkEach(t, "stock --location", s.objects("stock", "--location", "stall"), stockKeys)
	if got := s.objects("stock", "MUG", "--location", "stall")[0]["available"]; got != 3.0 {
		t.Fatalf("MUG at the stall: %v, want 3", got)
	}
	// One location's units beside the whole shop's status: the header says whose.
	if out := s.ok("stock", "MUG", "--location", "stall"); !strings.Contains(out, "SHOP STATUS") {
		t.Errorf("stock --location:\n%s\nwant its status column named the shop's", out)
	}
	if got := s.objects("stock", "MUG", "--location", "main")[0]["available"]; got != 6.0 {
		t.Fatalf("MUG at main: %v, want 10 - 1 - 3 = 6", got)
	}
	if got := s.objects("stock", "MUG")[0]["available"]; got != 9.0 {
		t.Fatalf("MUG in all: %v, want 9", got)
	}
	// At the stall, this device's: 3 were there, so one is gone.
	if out := s.ok("count", "MUG", "--qty", "2"); !strings.Contains(out, "at Stall") || !strings.Contains(out, "the ledger had 3, so 1 fewer") {
		t.Errorf("count of 2 where 3 were: %q; want the difference said", out)
	}
	if got := s.objects("stock", "MUG")[0]["available"]; got != 8.0 {
		t.Fatalf("after counting 2 at the stall: %v in all, want 6 + 2", got)
	}
}

func TestLocationBadInputIsRefusedAndChangesNothing(t *testing.T) {
	s := tillShop(t)
	s.ok("location", "add", "stall")
	const refused, usage = 1, 2
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"a location twice", []string{"location", "add", "STALL"}, refused, []string{`"stall" already`}},
		{"main again", []string{"location", "add", "main"}, refused, []string{`"main"`}},
		{"an empty name", []string{"location", "add", " "}, usage, []string{"NAME is empty"}},
		{"use of an unknown location", []string{"location", "use", "attic"}, refused, []string{`"attic"`, "location list"}},
		{"a move beyond main", []string{"move", "MUG", "--qty", "11", "--from", "main", "--to", "stall"}, refused, []string{"only 10"}},
		{"a move to nowhere", []string{"move", "MUG", "--qty", "1", "--from", "main", "--to", "attic"}, refused, []string{`"attic"`}},
		{"a move without --to", []string{"move", "MUG", "--qty", "1", "--from", "main"}, usage, []string{"--to"}},
		{"a move to itself", []string{"move", "MUG", "--qty", "1", "--from", "main", "--to", "Main"}, refused, []string{"same location"}},
		{"a sale at nowhere", []string{"sell", "MUG", "--location", "attic"}, refused, []string{`"attic"`}},
		{"a count at nowhere", []string{"count", "MUG", "--qty", "1", "--location", "attic"}, refused, []string{`"attic"`}},
		{"stock at nowhere", []string{"stock", "--location", "attic"}, refused, []string{`"attic"`}},
		{"a fair of no days", []string{"pack", "--days", "0"}, refused, []string{"0", "1 to 30"}},
		{"pack to nowhere", []string{"pack", "--days", "2", "--to", "attic"}, refused, []string{`"attic"`}},
		{"pack to main", []string{"pack", "--days", "2", "--to", "main"}, refused, []string{"not main"}},
		{"pack a past day and move now", []string{"pack", "--days", "2", "--to", "stall", "--as-of", "2026-01-02"}, usage, []string{"--as-of", "--to"}},
		{"pack to an empty name", []string{"pack", "--days", "2", "--to", ""}, usage, []string{"--to"}},
	}
	for _, c := range cases {
		before := s.vector()
		r := s.run(c.args...)
		if r.code != c.code {
			t.Errorf("%s: exit %d, want %d (%q)", c.name, r.code, c.code, r.stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: %q does not say %q", c.name, r.stderr, w)
			}
		}
		if strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
			t.Errorf("%s: more than one line: %q", c.name, r.stderr)
		}
		if s.vector() != before {
			t.Errorf("%s: refusing it changed the shop", c.name)
		}
	}
}

// A packing list for a location that does not exist writes no checklist:
// the file would name a place nothing was moved to.
func TestPackToNowhereWritesNoChecklist(t *testing.T) {
	s := tillShop(t)
	out := filepath.Join(t.TempDir(), "pack.pdf")
	if r := s.run("pack", "--days", "2", "--to", "attic", "--out", out); r.code != 1 || !strings.Contains(r.stderr, `"attic"`) {
		t.Fatalf("pack to nowhere: exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("the refused pack wrote its checklist")
	}
}

// A stall laptop joining a shop that has a stall sells at main until told
// otherwise, which nothing said: its first fair day's sales came off the
// workshop's shelf. The join says where it sells and how to sell at
// another; a shop with main alone says nothing of locations.
func TestAJoinSaysWhereTheDeviceSells(t *testing.T) {
	desk := newShop(t)
	invite := strings.TrimSpace(desk.run("invite").stdout)
	file := filepath.Join(t.TempDir(), "desk.msb")
	desk.ok("bundle", "export", "--out", file)
	alone := &testShop{t: t, db: filepath.Join(t.TempDir(), "alone.db")}
	if out := alone.ok("join", "--invite", invite, "--bundle", file); strings.Contains(out, "location") {
		t.Errorf("joining a shop with main alone says %q; want nothing of locations", out)
	}

	desk.ok("location", "add", "Stall")
	desk.ok("location", "add", "Pop-up")
	desk.ok("bundle", "export", "--out", file, "--overwrite")
	stall := &testShop{t: t, db: filepath.Join(t.TempDir(), "stall.db")}
	out := stall.ok("join", "--invite", invite, "--bundle", file, "--device", "stall")
	if want := "This device sells at main; the shop also has Pop-up and Stall: `microshopctl location use NAME` sells at one of them.\n"; !strings.HasSuffix(out, want) {
		t.Errorf("joining a shop with a stall says %q; want it to end with %q", out, want)
	}
	var joined map[string]any
	other := &testShop{t: t, db: filepath.Join(t.TempDir(), "json.db")}
	if err := json.Unmarshal([]byte(other.ok("join", "--invite", invite, "--bundle", file, "--json")), &joined); err != nil {
		t.Errorf("join --json is not one JSON document: %v", err)
	}
}

// Once there is a stall, a sale at main says it left main's units, as one
// at the stall says the stall's: "5 available." read as the shop's.
func TestASaleAtMainSaysMainsUnitsOnceThereIsAStall(t *testing.T) {
	s := tillShop(t)
	before := s.ok("sell", "MUG")
	if strings.Contains(before, "at main") {
		t.Errorf("a sale in a shop with main alone says %q; want no location named", before)
	}
	s.ok("location", "add", "Stall")
	s.ok("move", "MUG", "--qty", "1", "--from", "main", "--to", "Stall")
	if out := s.ok("sell", "MUG"); !strings.Contains(out, " available at main.") {
		t.Errorf("a sale at main with a stall says %q; want what is left at main", out)
	}
}

// A mistyped location is renamed, then removed once its units are home;
// the refusals on the way say what to do.
func TestRenamingAndRemovingALocation(t *testing.T) {
	s := tillShop(t)
	s.ok("location", "add", "St all")
	s.ok("move", "MUG", "--qty", "2", "--from", "main", "--to", "st all")
	s.ok("location", "use", "st all")
	renamed := s.object("location", "rename", "st all", "Stall")
	checkKeys(t, "location rename", renamed, keys("name was", ""))
	if renamed["name"] != "Stall" || renamed["was"] != "St all" {
		t.Fatalf("location rename --json: %v; want name Stall, was St all", renamed)
	}
	if out := s.ok("location", "list"); out != "main\nStall (this device)\n" {
		t.Fatalf("location list after the rename:\n%s", out)
	}
	if got := s.objects("stock", "MUG", "--location", "stall")[0]["available"]; got != 2.0 {
		t.Fatalf("MUG at Stall: %v; want the 2 moved to St all", got)
	}
	if out := s.ok("location", "rename", "stall", "STALL"); !strings.Contains(out, "Renamed location Stall to STALL") {
		t.Errorf("renaming to another case of itself says %q", out)
	}
	s.ok("location", "add", "Shop window")
	const refused, usage = 1, 2
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"renaming main", []string{"location", "rename", "main", "Home"}, refused, []string{"main keeps its name"}},
		{"an empty new name", []string{"location", "rename", "stall", " "}, usage, []string{"NEW is empty"}},
		{"another location's name", []string{"location", "rename", "stall", "shop window"}, refused,
			[]string{`there is a location "Shop window" already`, "move STALL's units to Shop window and remove STALL"}},
		{"a mistyped location renamed", []string{"location", "rename", "stal", "Market"}, refused,
			[]string{`there is no location "stal"; did you mean STALL?`, "microshopctl location list"}},
		{"a rename without its new name", []string{"location", "rename", "stall"}, usage, []string{"NEW"}},
		{"removing main", []string{"location", "remove", "main"}, refused, []string{"main cannot be removed"}},
		{"removing a location with units", []string{"location", "remove", "stall"}, refused,
			[]string{"STALL still holds 2 units of 1 SKU (MUG 2); move them to another location first", "microshopctl move CODE --qty N --from LOCATION --to main"}},
		{"a mistyped location removed", []string{"location", "remove", "shop windw"}, refused, []string{`did you mean Shop window?`}},
	}
	for _, c := range cases {
		before := s.vector()
		r := s.run(c.args...)
		if r.code != c.code {
			t.Errorf("%s: exit %d, want %d (%q)", c.name, r.code, c.code, r.stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: %q does not say %q", c.name, r.stderr, w)
			}
		}
		if s.vector() != before {
			t.Errorf("%s: refusing it changed the shop", c.name)
		}
	}
	s.ok("move", "MUG", "--qty", "2", "--from", "stall", "--to", "main")
	out := s.ok("location", "remove", "stall")
	for _, w := range []string{"Removed location STALL", "`microshopctl location add STALL` brings it back", "This device sold at STALL: it sells, receives and counts at main now"} {
		if !strings.Contains(out, w) {
			t.Errorf("location remove says %q; want %q", out, w)
		}
	}
	if out := s.ok("location", "list"); out != "main (this device)\nShop window\n" {
		t.Fatalf("location list after the removal:\n%s", out)
	}
	if r := s.run("location", "use", "stall"); r.code != 1 || !strings.Contains(r.stderr, `location "STALL" was removed; add it again to use it`) {
		t.Errorf("using a removed location: exit %d, %q", r.code, r.stderr)
	}
	gone := s.object("location", "remove", "shop window")
	checkKeys(t, "location remove", gone, keys("name removed device_location", ""))
	if gone["name"] != "Shop window" || gone["device_location"] != "main" {
		t.Errorf("location remove --json: %v", gone)
	}
	s.ok("location", "add", "Stall")
	if locs := s.objects("location", "list"); len(locs) != 2 || locs[1]["name"] != "Stall" {
		t.Errorf("after adding it again: %v; want main and Stall", locs)
	}
	if help := s.ok("help", "location", "remove"); !strings.Contains(help, "Refused while units are there") {
		t.Errorf("help location remove:\n%s", help)
	}
}

// Removed at the workshop while the stall laptop, apart, moved units
// there: once the stall's changes arrive, the list and alerts show them.
func TestARemovedLocationHoldingUnitsFromAnotherDeviceIsListed(t *testing.T) {
	desk := tillShop(t)
	desk.ok("location", "add", "Stall")
	invite := strings.TrimSpace(desk.run("invite").stdout)
	file := filepath.Join(t.TempDir(), "desk.msb")
	desk.ok("bundle", "export", "--out", file)
	stall := &testShop{t: t, db: filepath.Join(t.TempDir(), "stall.db")}
	stall.ok("join", "--invite", invite, "--bundle", file, "--device", "stall")

	desk.ok("location", "remove", "stall")
	stall.ok("move", "MUG", "--qty", "3", "--from", "main", "--to", "stall")
	stall.ok("bundle", "export", "--out", file, "--overwrite")
	desk.ok("bundle", "import", file)

	if out := desk.ok("location", "list"); !strings.Contains(out, "Stall (removed, but 3 units of 1 SKU are there") {
		t.Errorf("location list:\n%s\nwant the removed stall listed with its units", out)
	}
	locs := desk.objects("location", "list")
	if len(locs) != 2 || locs[1]["removed"] != true || locs[1]["units"] != 3.0 {
		t.Errorf("location list --json: %v; want Stall removed with 3 units", locs)
	}
	found := false
	for _, a := range desk.objects("alerts") {
		if a["kind"] == "retired_location_stock" && strings.Contains(a["message"].(string), "Location Stall was removed, but 3 units of 1 SKU are there") {
			found = true
		}
	}
	if !found {
		t.Errorf("alerts %v; want one for the removed stall's units", desk.objects("alerts"))
	}
	desk.ok("move", "MUG", "--qty", "3", "--from", "stall", "--to", "main")
	if out := desk.ok("location", "list"); out != "main (this device)\n" {
		t.Errorf("after moving the units home:\n%s", out)
	}
}
