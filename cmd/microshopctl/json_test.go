package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"microshop/app"
	"microshop/sync/changes"
)

// The keys of CLI.md's JSON shapes, and the ones this command line adds.
var (
	shopKeys     = keys("shop_id name currency device_id", "device_name db")
	stockKeys    = keys("code name path on_hand held available on_order daily_rate cover_days status", "factory blocked block_reason variant")
	reorderKeys  = keys("code factory position daily_rate lead_days min_cover max_cover reorder_point suggested_qty short_history", "name need_qty blocked block_reason variant")
	alertKeys    = keys("kind subject message", "")
	skuKeys      = keys("code name path factory price cost lead_days min_cover max_cover archived", "variant")
	factoryKeys  = keys("name kind location lead_days new paused pause_reason", "moq multiple established passed_batches quality_paused")
	batchKeys    = keys("id sku factory ordered received held status", "on_order unit_cost ordered_at expected qa_note cancelled")
	returnsKeys  = keys("factory sold quality logistics buyer quality_rate", "logistics_rate quality_paused past_limit")
	messageKeys  = keys("code message ships_by", "")
	conflictKeys = keys("entity entity_id field kept lost lost_device lost_device_id at", "subject id")
	statusKeys   = keys("device_id vector unsynced", "")
	saleKeys     = keys("order items total payment id code qty price available", "channel at")
	lineKeys     = keys("id code qty price available", "")
	salesKeys    = keys("id order at code qty price channel payment location device voided", "name")
	dayKeys      = keys("date orders sales units total discounts by_payment by_channel returns refunds voided", "voided_total by_location")
	returnKeys   = keys("id code qty", "kind reason class restock at")
	countKeys    = keys("code qty", "id kind at")
	adjustKeys   = keys("code qty", "id kind note at")
)

func keys(contract, extra string) []string {
	k := append(strings.Fields(contract), strings.Fields(extra)...)
	slices.Sort(k)
	return k
}

func checkKeys(t *testing.T, what string, o obj, want []string) {
	t.Helper()
	got := make([]string, 0, len(o))
	for k := range o {
		got = append(got, k)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s keys:\n got %v\nwant %v", what, got, want)
	}
}

func checkEach(t *testing.T, what string, rows []obj, want []string) {
	t.Helper()
	if len(rows) == 0 {
		t.Errorf("%s: no rows to check", what)
	}
	for _, r := range rows {
		checkKeys(t, what, r, want)
	}
}

// TestJSONShapes pins every JSON document's keys to CLI.md.
func TestJSONShapes(t *testing.T) {
	s := newShop(t)
	checkKeys(t, "shop", s.object("shop"), shopKeys)
	created := runCLI(t, "--json", "--db", filepath.Join(t.TempDir(), "x.db"), "init", "--shop", "X")
	var initObj obj
	decodeOne(t, created.stdout, &initObj)
	checkKeys(t, "init", initObj, shopKeys)

	// Empty lists are arrays, not null.
	for _, args := range [][]string{{"stock"}, {"reorder"}, {"alerts"}, {"sku", "list"}, {"factory", "list"}, {"batch", "list"}, {"conflicts"}} {
		if out := s.ok(append(args, "--json")...); strings.TrimSpace(out) != "[]" {
			t.Errorf("%v on an empty shop prints %q, want []", args, out)
		}
	}

	checkKeys(t, "factory add", s.object("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5"), factoryKeys)
	checkKeys(t, "factory pause", s.object("factory", "pause", "Kiln Co"), factoryKeys)
	checkKeys(t, "factory resume", s.object("factory", "resume", "Kiln Co"), factoryKeys)
	checkKeys(t, "factory show", s.object("factory", "show", "Kiln Co"), keys(strings.Join(factoryKeys, " "), "quotes"))
	checkEach(t, "factory list", s.objects("factory", "list"), factoryKeys)

	checkKeys(t, "sku add", s.object("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co", "--price", "24"), skuKeys)
	checkKeys(t, "sku edit", s.object("sku", "edit", "MUG-01", "--cost", "9.5"), skuKeys)
	checkKeys(t, "sku show", s.object("sku", "show", "MUG-01"), skuKeys)
	s.ok("sku", "add", "OLD-01", "--name", "Old", "--path", "digital")
	checkKeys(t, "sku archive", s.object("sku", "archive", "OLD-01"), skuKeys)
	checkEach(t, "sku list", s.objects("sku", "list"), skuKeys)

	b := s.object("batch", "order", "MUG-01", "--qty", "20", "--at", "2025-06-01")
	checkKeys(t, "batch order", b, batchKeys)
	id := b["id"].(string)
	checkKeys(t, "batch receive", s.object("batch", "receive", id, "--qty", "20", "--at", "2025-06-02"), batchKeys)
	checkKeys(t, "batch qa", s.object("batch", "qa", id, "--pass", "--at", "2025-06-03"), batchKeys)
	checkEach(t, "batch list", s.objects("batch", "list"), batchKeys)

	checkKeys(t, "sell", s.object("sell", "MUG-01", "--at", "2025-06-04"), saleKeys)
	checkKeys(t, "return", s.object("return", "MUG-01", "--qty", "1", "--reason", "packaging", "--at", "2025-06-05"), returnKeys)
	checkKeys(t, "count", s.object("count", "MUG-01", "--qty", "0", "--at", "2025-06-06"), countKeys)
	checkKeys(t, "adjust", s.object("adjust", "MUG-01", "--qty", "4", "--note", "found", "--at", "2025-06-07"), adjustKeys)

	checkEach(t, "stock", s.objects("stock", "--as-of", "2025-06-07"), stockKeys)
	s.ok("sell", "MUG-01", "--qty", "4", "--at", "2025-06-07T13:00")
	checkEach(t, "reorder", s.objects("reorder", "--as-of", "2025-06-07"), reorderKeys)
	checkEach(t, "alerts", s.objects("alerts", "--as-of", "2025-06-07"), alertKeys)
	checkEach(t, "returns", s.objects("returns", "--as-of", "2025-06-07"), returnsKeys)
	checkKeys(t, "message", s.object("message", "MUG-01", "--as-of", "2025-06-07"), messageKeys)

	st := s.object("status")
	checkKeys(t, "status", st, statusKeys)
	vector, ok := st["vector"].(obj)
	if !ok || len(vector) != 1 || vector[st["device_id"].(string)] == nil {
		t.Errorf("status vector %v does not map this device to its sequence", st["vector"])
	}
}

// TestConflicts makes two devices rename one SKU at once and checks the
// edit that lost is listed, with CLI.md's keys, and raises an alert.
func TestConflicts(t *testing.T) {
	a := newShop(t)
	a.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "digital")
	b := replicaOf(t, a, "b")
	exchange(t, a.db, b.db)

	a.ok("sku", "edit", "MUG-01", "--name", "Mug from A")
	b.ok("sku", "edit", "MUG-01", "--name", "Mug from B")
	exchange(t, a.db, b.db)
	exchange(t, b.db, a.db)

	for _, s := range []*testShop{a, b} {
		if got := s.object("sku", "show", "MUG-01")["name"]; got != "Mug from B" {
			t.Errorf("after sync the name is %v, want the later edit, Mug from B", got)
		}
	}
	rows := a.objects("conflicts")
	if len(rows) != 1 {
		t.Fatalf("conflicts on A: %v, want one", rows)
	}
	checkKeys(t, "conflicts", rows[0], conflictKeys)
	checkFields(t, "conflict", rows[0], obj{"entity": "sku", "field": "name", "kept": "Mug from B", "lost": "Mug from A",
		"lost_device": "test-laptop", "lost_device_id": a.object("status")["device_id"]})
	alerts := a.objects("alerts")
	if n := len(alerts); n == 0 || alerts[n-1]["kind"] != "sync_conflict" {
		t.Errorf("alerts %v, want a sync_conflict last", alerts)
	}
}

// exchange applies every change the shop at from holds to the one at to.
func exchange(t *testing.T, from, to string) {
	t.Helper()
	ctx := context.Background()
	src, err := app.Open(from, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := app.Open(to, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	have, err := dst.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := src.ChangesAfter(ctx, have, 0)
	if err != nil {
		t.Fatal(err)
	}
	var theirs []changes.Change
	for _, c := range batch {
		if c.Origin != dst.DeviceID() {
			theirs = append(theirs, c)
		}
	}
	if _, err := dst.Apply(ctx, theirs); err != nil {
		t.Fatal(err)
	}
}
