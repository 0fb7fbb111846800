package main

import (
	"strings"
	"testing"
	"time"
)

// TestConflictsShowPricesAsTypedAndTheDeviceByName: two devices change a
// price and a cover while apart; `conflicts` shows the price as `sku show`
// does, the dropped override as the default, and the device by the name
// it was given at init, its id beside it; on that device itself, the table
// says "this device".
func TestConflictsShowPricesAsTypedAndTheDeviceByName(t *testing.T) {
	a := newShop(t)
	a.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "digital", "--price", "60", "--min-cover", "10")
	b := replicaOf(t, a, "stall")
	exchange(t, a.db, b.db)

	a.ok("sku", "edit", "MUG-01", "--price", "64", "--min-cover", "default")
	time.Sleep(5 * time.Millisecond) // b's edit is the later one
	b.ok("sku", "edit", "MUG-01", "--price", "65.00", "--min-cover", "12")
	exchange(t, a.db, b.db)
	exchange(t, b.db, a.db)

	id := a.object("status")["device_id"]
	for _, s := range []*testShop{a, b} {
		if got := s.object("sku", "show", "MUG-01")["price"]; got != "65.00" {
			t.Fatalf("price after sync %v, want 65.00", got)
		}
		rows := byKey(t, s.objects("conflicts"), "field")
		checkFields(t, "price conflict", rows["price"], obj{"kept": "65.00", "lost": "64.00", "lost_device": "test-laptop", "lost_device_id": id})
		checkFields(t, "cover conflict", rows["min_cover"], obj{"kept": 12, "lost": "default", "lost_device": "test-laptop"})
		out := s.ok("conflicts")
		// The table names the losing device as the desktop does: on the
		// device that lost, "this device", not its own name.
		lostOn, notShown := "test-laptop", "this device"
		if s == a {
			lostOn, notShown = notShown, lostOn
		}
		for _, want := range []string{"SKU MUG-01", "65.00", "64.00", "(default)", lostOn} {
			if !strings.Contains(out, want) {
				t.Errorf("conflicts table lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, notShown) {
			t.Errorf("conflicts table says %q:\n%s", notShown, out)
		}
		if strings.Contains(out, "6400") {
			t.Errorf("conflicts table shows money in minor units:\n%s", out)
		}
	}
	// The lost value, as listed, is one the command takes back.
	a.ok("sku", "edit", "MUG-01", "--price", "64.00", "--min-cover", "default")
}

// TestAConflictIsUndoneByItsID: the id `conflicts` shows gives the field
// back the value that lost, on this device and, once synced, the other;
// an id that names no conflict is refused and changes nothing.
func TestAConflictIsUndoneByItsID(t *testing.T) {
	a := newShop(t)
	a.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "digital", "--price", "60")
	b := replicaOf(t, a, "stall")
	exchange(t, a.db, b.db)
	a.ok("sku", "edit", "MUG-01", "--price", "64")
	time.Sleep(5 * time.Millisecond) // b's edit is the later one
	b.ok("sku", "edit", "MUG-01", "--price", "65.00")
	exchange(t, a.db, b.db)
	exchange(t, b.db, a.db)

	rows := b.objects("conflicts")
	if len(rows) != 1 {
		t.Fatalf("conflicts %v, want one", rows)
	}
	id, _ := rows[0]["id"].(string)
	if !strings.Contains(b.ok("conflicts"), id) {
		t.Fatalf("the conflicts table does not show the id %q", id)
	}
	before := b.ok("sku", "show", "MUG-01")
	for _, bad := range []string{"", "nope", id[:4], id + "0"} {
		r := b.run("conflicts", "undo", bad)
		if r.code == 0 || !strings.Contains(r.stderr, "conflict") {
			t.Errorf("conflicts undo %q: exit %d, stderr %q; want a refusal", bad, r.code, r.stderr)
		}
	}
	if got := b.ok("sku", "show", "MUG-01"); got != before {
		t.Fatalf("a refused undo changed the SKU:\n%s", got)
	}
	out := b.ok("conflicts", "undo", strings.ToUpper(id))
	if !strings.Contains(out, "On SKU MUG-01, price is 64.00 again") || !strings.Contains(out, "65.00") {
		t.Errorf("undo says %q, want the value given back to SKU MUG-01 and the one it replaces", out)
	}
	exchange(t, b.db, a.db)
	for _, s := range []*testShop{a, b} {
		if got := s.object("sku", "show", "MUG-01")["price"]; got != "64.00" {
			t.Errorf("price after the undo %v, want 64.00", got)
		}
		if rows := s.objects("conflicts"); len(rows) != 0 {
			t.Errorf("conflicts after the undo %v, want none", rows)
		}
	}
}

// TestAConflictIsKeptByItsID: `conflicts keep ID` settles a conflict on
// the value in force: it says what stays, the price does not change, and
// the conflict leaves the list here and, once synced, on the other device;
// --json prints the conflict as `conflicts undo` does. An id that names no
// conflict is refused and changes nothing.
func TestAConflictIsKeptByItsID(t *testing.T) {
	a := newShop(t)
	a.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "digital", "--price", "60", "--min-cover", "10")
	b := replicaOf(t, a, "stall")
	exchange(t, a.db, b.db)
	a.ok("sku", "edit", "MUG-01", "--price", "64", "--min-cover", "8")
	time.Sleep(5 * time.Millisecond) // b's edit is the later one
	b.ok("sku", "edit", "MUG-01", "--price", "65.00", "--min-cover", "12")
	exchange(t, a.db, b.db)
	exchange(t, b.db, a.db)

	rows := byKey(t, b.objects("conflicts"), "field")
	price, _ := rows["price"]["id"].(string)
	cover, _ := rows["min_cover"]["id"].(string)
	if price == "" || cover == "" {
		t.Fatalf("conflicts %v, want one over the price and one over the cover", rows)
	}
	before := b.ok("sku", "show", "MUG-01")
	if r := b.run("conflicts", "keep", price+"0"); r.code == 0 || !strings.Contains(r.stderr, "conflict") {
		t.Errorf("conflicts keep of no conflict: exit %d, stderr %q; want a refusal", r.code, r.stderr)
	}
	out := b.ok("conflicts", "keep", price)
	if want := "On SKU MUG-01, price stays 65.00, and 64.00, as test-laptop set it, is let go; other devices settle the conflict when they sync."; !strings.Contains(out, want) {
		t.Errorf("keep says %q, want %q", out, want)
	}
	var kept obj
	b.json(&kept, "conflicts", "keep", cover)
	checkKeys(t, "conflicts keep", kept, conflictKeys)
	checkFields(t, "conflicts keep", kept, obj{"id": cover, "field": "min_cover", "kept": 12, "lost": 8})
	if got := b.ok("sku", "show", "MUG-01"); got != before {
		t.Errorf("keeping changed the SKU:\n%s\nwant as before:\n%s", got, before)
	}
	exchange(t, b.db, a.db)
	for _, s := range []*testShop{a, b} {
		if rows := s.objects("conflicts"); len(rows) != 0 {
			t.Errorf("conflicts after keeping %v, want none", rows)
		}
		if got := s.ok("sku", "show", "MUG-01"); got != before {
			t.Errorf("after keeping MUG-01 shows:\n%s\nwant as before:\n%s", got, before)
		}
	}
}

// TestStatusNamesTheDevices: `status` names each device by the name it
// gave at init or join, its id beside it, so a maker can tell the stall
// laptop from the workshop desktop.
func TestStatusNamesTheDevices(t *testing.T) {
	a := newShop(t)
	a.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "digital", "--price", "60")
	b := replicaOf(t, a, "stall")
	exchange(t, a.db, b.db)
	b.ok("sku", "edit", "MUG-01", "--price", "64")
	exchange(t, b.db, a.db)
	aID, bID := a.object("status")["device_id"].(string), b.object("status")["device_id"].(string)
	out := a.ok("status")
	for _, want := range []string{"This device, test-laptop (" + aID + ")", "test-laptop (this device)", "stall", bID} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
}

// TestAConflictOverATimeReadsAsTheTablesDo: two devices resume a paused
// factory at different times; the table names the field as a maker reads
// it ("resumed", not resumed_at) and its times as the other tables write
// them, not RFC 3339; the JSON keeps the field's key and typed values.
func TestAConflictOverATimeReadsAsTheTablesDo(t *testing.T) {
	a := newShop(t)
	a.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5", "--established")
	a.ok("factory", "pause", "Kiln Co", "--reason", "kiln repair")
	b := replicaOf(t, a, "stall")
	exchange(t, a.db, b.db)
	// Two times after the pause (a resume comes after it), whole minutes
	// apart so the table's minutes tell them apart.
	earlier := time.Now().UTC().Add(2 * time.Minute).Truncate(time.Minute)
	later := earlier.Add(time.Hour + 33*time.Minute)
	a.ok("factory", "resume", "Kiln Co", "--at", earlier.Format(time.RFC3339))
	time.Sleep(5 * time.Millisecond) // b's edit is the later one
	b.ok("factory", "resume", "Kiln Co", "--at", later.Format(time.RFC3339))
	exchange(t, a.db, b.db)
	exchange(t, b.db, a.db)

	rows := a.objects("conflicts")
	if len(rows) != 1 {
		t.Fatalf("conflicts %v, want one over the time resumed", rows)
	}
	kept, _ := time.Parse(time.RFC3339, rows[0]["kept"].(string))
	lost, _ := time.Parse(time.RFC3339, rows[0]["lost"].(string))
	if rows[0]["field"] != "resumed_at" || !kept.Equal(later) || !lost.Equal(earlier) {
		t.Fatalf("the JSON conflict %v; want field resumed_at, kept and lost as RFC 3339", rows[0])
	}
	out := a.ok("conflicts")
	for _, want := range []string{"factory Kiln Co  resumed ", kept.Local().Format(minuteLayout), lost.Local().Format(minuteLayout)} {
		if !strings.Contains(out, want) {
			t.Errorf("conflicts table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "resumed_at") || strings.Contains(out, later.Format("T15:04")) || strings.Contains(out, earlier.Format("T15:04")) {
		t.Errorf("conflicts table shows the stored field or RFC 3339 times:\n%s", out)
	}
	said := a.ok("conflicts", "undo", rows[0]["id"].(string))
	if want := "On factory Kiln Co, resumed is " + lost.Local().Format(minuteLayout) + " again"; !strings.Contains(said, want) {
		t.Errorf("undo says %q, want %q", said, want)
	}
}
