package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Buyers hear first: an Etsy order that took the last mugs and more is
// delayed, with the words for its buyer; a later export marks it shipped.
func TestOrdersCommand(t *testing.T) {
	s := mugShop(t, "Speckled mug", "24", "1")
	header := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU\r\n"
	dir := t.TempDir()
	first, later := filepath.Join(dir, "first.csv"), filepath.Join(dir, "later.csv")
	os.WriteFile(first, []byte(header+"01/05/26,Mug,Jo,2,24.00,EUR,3001,,9001,MUG\r\n01/04/26,Mug,Al,1,24.00,EUR,3000,01/05/26,9000,MUG\r\n"), 0o644)
	os.WriteFile(later, []byte(header+"01/05/26,Mug,Jo,2,24.00,EUR,3001,01/20/26,9001,MUG\r\n"), 0o644)
	if res := s.object("import", first); res["shipped"] != 1.0 {
		t.Fatalf("the first import's JSON says %v orders marked shipped; want 1, as its text says", res["shipped"])
	}

	all := s.objects("orders", "--as-of", "2026-01-07")
	checkEach(t, "orders", all, keys("order channel at shipped items delayed ships_by message", "shipped_at cancelled_at"))
	if len(all) != 2 || all[0]["order"] != "9001" || all[1]["shipped"] != true {
		t.Fatalf("orders %v; want 9001 first, 9000 shipped", all)
	}
	delayed := s.objects("orders", "--delayed", "--as-of", "2026-01-07")
	if len(delayed) != 1 || delayed[0]["order"] != "9001" || delayed[0]["ships_by"] != "2026-01-22" ||
		!strings.Contains(delayed[0]["message"].(string), "Speckled mug") {
		// 7 January + 14 days' lead = back on the 21st, shipped a day later.
		t.Fatalf("delayed %v; want 9001 shipping by 2026-01-22, the message naming the mug", delayed)
	}
	if out := s.ok("orders", "--delayed", "--as-of", "2026-01-07"); !strings.Contains(out, "To the buyer of 9001: Thank you for your order 9001") {
		t.Fatalf("the list does not give the words for the buyer:\n%s", out)
	}
	if res := s.object("import", later); res["shipped"] != 1.0 {
		t.Fatalf("the later import's JSON says %v orders marked shipped; want 1", res["shipped"])
	}
	if res := s.object("import", later); res["shipped"] != 0.0 {
		t.Fatalf("the later file again: %v orders marked shipped; want 0, none is new", res["shipped"])
	}
	if open := s.objects("orders", "--open", "--as-of", "2026-01-21"); len(open) != 0 {
		t.Fatalf("open orders after the later export: %v; want none", open)
	}
	if r := s.run("orders", "--late"); r.code != 2 || !strings.Contains(r.stderr, "--late") {
		t.Fatalf("an unknown flag: exit %d, %q", r.code, r.stderr)
	}
}

// Delayed orders of a paused factory's SKU warn once that its date holds
// only if a batch is ordered: each order carried the warning, and 2,037
// orders printed it 2,037 times.
func TestDelayedOrdersWarnOnceForAPausedFactory(t *testing.T) {
	s := mugShop(t, "Speckled mug", "24", "1")
	s.ok("factory", "pause", "Kiln", "--reason", "kiln repair")
	header := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU\r\n"
	file := filepath.Join(t.TempDir(), "orders.csv")
	os.WriteFile(file, []byte(header+"01/05/26,Mug,Jo,2,24.00,EUR,3001,,9001,MUG\r\n01/05/26,Mug,Al,1,24.00,EUR,3002,,9002,MUG\r\n01/06/26,Mug,Bo,1,24.00,EUR,3003,,9003,MUG\r\n"), 0o644)
	s.ok("import", file)
	r := s.run("orders", "--delayed")
	if r.code != 0 || strings.Count(r.stdout, "To the buyer of") != 3 {
		t.Fatalf("orders --delayed: exit %d, stdout\n%s\nwant the 3 orders", r.code, r.stdout)
	}
	if n := strings.Count(r.stderr, "is paused and no batch of it is on its way"); n != 1 {
		t.Errorf("the paused factory's warning came %d times, want once:\n%s", n, r.stderr)
	}
}

// A maker who ships a delayed order before the channel's next export marks
// it shipped: it leaves the delayed list, a later import of the older file
// leaves it shipped, and an unknown or shipped order is refused in one
// sentence, changing nothing.
func TestOrdersShip(t *testing.T) {
	s := mugShop(t, "Speckled mug", "24", "1")
	header := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU\r\n"
	file := filepath.Join(t.TempDir(), "orders.csv")
	os.WriteFile(file, []byte(header+"01/05/26,Mug,Jo,2,24.00,EUR,3001,,9001,MUG\r\n01/06/26,Mug,Al,1,24.00,EUR,3002,,9002,MUG\r\n"), 0o644)
	s.ok("import", file)
	if d := s.objects("orders", "--delayed", "--as-of", "2026-01-07"); len(d) != 2 || d[1]["order"] != "9001" || d[1]["shipped_at"] != nil {
		t.Fatalf("delayed %v; want 9002 and 9001, not shipped", d)
	}
	if out := s.ok("orders", "ship", "9001", "--at", "2026-01-21"); !strings.Contains(out, "Marked order 9001 on etsy shipped on 2026-01-21") {
		t.Fatalf("orders ship says:\n%s", out)
	}
	s.ok("import", file) // the older export, 9001 still open in it
	if d := s.objects("orders", "--open"); len(d) != 1 || d[0]["order"] != "9002" {
		t.Fatalf("open orders after shipping 9001 by hand and importing the older file: %v; want only 9002", d)
	}
	all := s.objects("orders")
	if len(all) != 2 || all[1]["shipped"] != true || !strings.HasPrefix(all[1]["shipped_at"].(string), "2026-01-21T12:00:00") {
		t.Fatalf("orders %v; want 9001 shipped at noon on 21 January", all)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"orders", "ship", "9009"}, 1, `no imported Etsy or Shopify order has the number "9009"`},
		{[]string{"orders", "ship", "9001"}, 1, "order 9001 on etsy is marked shipped already, on 2026-01-21; nothing changed"},
		{[]string{"orders", "ship", "9001", "--channel", "fair"}, 2, `"fair" is not a channel orders are imported from; use etsy or shopify`},
		{[]string{"orders", "ship"}, 2, "ORDER"},
	} {
		r := s.run(c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d, one line with %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
	j := s.object("orders", "ship", "9002", "--at", "2026-01-21T15:00:00Z")
	checkKeys(t, "orders ship", j, keys("order channel at shipped shipped_at", ""))
	if j["order"] != "9002" || j["channel"] != "etsy" || j["shipped"] != true {
		t.Errorf("orders ship --json: %v; want 9002 on etsy, shipped", j)
	}
}

// A morning's parcels are marked shipped in one command, all or none: one
// order unknown, already shipped or given twice is named in one sentence
// and none of the others is marked; with --json several print an array of
// what one prints.
func TestOrdersShipSeveralAllOrNone(t *testing.T) {
	s := mugShop(t, "Speckled mug", "24", "10")
	header := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU\r\n"
	file := filepath.Join(t.TempDir(), "orders.csv")
	os.WriteFile(file, []byte(header+"01/05/26,Mug,Jo,2,24.00,EUR,3001,,9001,MUG\r\n01/06/26,Mug,Al,1,24.00,EUR,3002,,9002,MUG\r\n01/06/26,Mug,Bo,1,24.00,EUR,3003,,9003,MUG\r\n01/06/26,Mug,Cy,1,24.00,EUR,3004,,9004,MUG\r\n"), 0o644)
	s.ok("import", file)
	before := s.ok("orders")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"9001", "9009", "9002"}, `no imported Etsy or Shopify order has the number "9009"`},
		{[]string{"9001", "9002", "9001"}, "order 9001 on etsy is given twice"},
	} {
		r := s.run(append([]string{"orders", "ship"}, c.args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "no order was marked shipped") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("orders ship %v: exit %d, stderr %q; want one line with %q, none marked", c.args, r.code, r.stderr, c.want)
		}
		if got := s.ok("orders"); got != before {
			t.Fatalf("a refused orders ship %v marked orders:\n%s", c.args, got)
		}
	}
	if out := s.ok("orders", "ship", "9001", "9002", "--at", "2026-01-21"); !strings.Contains(out, "Marked 2 orders shipped on 2026-01-21 12:00: 9001 on etsy, 9002 on etsy") {
		t.Fatalf("orders ship 9001 9002 says:\n%s", out)
	}
	r := s.run("orders", "ship", "9003", "9001")
	if r.code != 1 || !strings.Contains(r.stderr, "order 9001 on etsy is marked shipped already, on 2026-01-21; no order was marked shipped") {
		t.Errorf("orders ship 9003 9001: exit %d, stderr %q; want 9001 named as shipped already, none marked", r.code, r.stderr)
	}
	if d := s.objects("orders", "--open"); len(d) != 2 || d[0]["order"] == d[1]["order"] || d[0]["order"] == "9001" || d[1]["order"] == "9001" {
		t.Fatalf("open orders %v; want 9004 and 9003, not marked by the refused command", d)
	}
	rows := s.objects("orders", "ship", "9003", "9004", "--at", "2026-01-22T15:00:00Z")
	if len(rows) != 2 || rows[0]["order"] != "9003" || rows[1]["order"] != "9004" {
		t.Fatalf("orders ship 9003 9004 --json: %v; want an object for each, in the order given", rows)
	}
	for _, j := range rows {
		checkKeys(t, "orders ship", j, keys("order channel at shipped shipped_at", ""))
		if j["channel"] != "etsy" || j["shipped"] != true || !strings.HasPrefix(j["shipped_at"].(string), "2026-01-22T") {
			t.Errorf("orders ship --json: %v; want shipped on etsy on 22 January", j)
		}
	}
}

// An order a later export shows cancelled leaves the open and delayed
// lists, its buyer told nothing; the orders list shows it cancelled, with
// the date, and alerts ask for its lines to be voided.
func TestOrdersCancelledSinceTheirImport(t *testing.T) {
	s := mugShop(t, "Speckled mug", "24", "1")
	header := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU,Status\r\n"
	dir := t.TempDir()
	first, later := filepath.Join(dir, "first.csv"), filepath.Join(dir, "later.csv")
	os.WriteFile(first, []byte(header+"01/05/26,Mug,Jo,2,24.00,EUR,3001,,9001,MUG,\r\n"), 0o644)
	os.WriteFile(later, []byte(header+"01/05/26,Mug,Jo,2,24.00,EUR,3001,,9001,MUG,Canceled\r\n"), 0o644)
	s.ok("import", first)
	if d := s.objects("orders", "--delayed"); len(d) != 1 || d[0]["cancelled_at"] != nil {
		t.Fatalf("delayed %v; want 9001, not cancelled", d)
	}
	s.ok("import", later)
	for _, args := range [][]string{{"orders", "--open"}, {"orders", "--delayed"}} {
		if d := s.objects(args...); len(d) != 0 {
			t.Errorf("%v: %v; want none, 9001 was cancelled", args, d)
		}
	}
	all := s.objects("orders")
	checkEach(t, "orders", all, keys("order channel at shipped items delayed ships_by message", "shipped_at cancelled_at"))
	if at, _ := all[0]["cancelled_at"].(string); len(all) != 1 || all[0]["delayed"] != false || all[0]["shipped"] != false || !strings.HasPrefix(at, "20") {
		t.Fatalf("orders %v; want 9001 cancelled, with a time, not delayed", all)
	}
	if out := s.ok("orders"); !regexp.MustCompile(`9001 .* cancelled \d{4}-\d\d-\d\d`).MatchString(out) || strings.Contains(out, "To the buyer") {
		t.Errorf("the orders list:\n%s\nwant 9001 shown cancelled with its date, and no words for its buyer", out)
	}
	var found bool
	for _, a := range s.objects("alerts") {
		found = found || a["kind"] == "cancelled_order" && a["subject"] == "9001"
		if a["kind"] == "delayed_order" {
			t.Errorf("alert %v; want no delayed order", a)
		}
	}
	if !found {
		t.Errorf("alerts %v; want a cancelled_order of 9001", s.objects("alerts"))
	}
}

// The orders' JSON, written order by order, is the document printJSON
// writes of the whole list, byte for byte: a script reading `orders
// --json` sees no change for the list's speed.
func TestOrdersJSONIsWrittenAsOneDocument(t *testing.T) {
	at := "2026-05-01T12:00:00Z"
	for name, list := range map[string][]orderJSON{
		"none": {},
		"one":  {{Order: "1001", Channel: "etsy", At: at, Items: []orderItemJSON{{Code: "MUG", Qty: 1}}}},
		"several": {
			{Order: "1001", Channel: "etsy", At: at, Items: []orderItemJSON{{Code: "MUG", Qty: 1}, {Code: "CARD", Qty: 2, Kit: "GIFT"}}, ShippedAt: &at},
			{Order: "<1002>", Channel: "shopify", At: at, Items: []orderItemJSON{}, Delayed: true, ShipsBy: &at, Message: "Thank you & sorry: ×2 ships later"},
		},
	} {
		var whole, each bytes.Buffer
		if err := (&cli{stdout: &whole}).printJSON(list); err != nil {
			t.Fatal(err)
		}
		if err := printJSONList(&cli{stdout: &each}, list); err != nil {
			t.Fatal(err)
		}
		if each.String() != whole.String() {
			t.Errorf("%s: order by order\n%s\nwhole\n%s", name, each.String(), whole.String())
		}
	}
}

// A long table is written in pieces, and a piece may end inside a letter:
// each cell is checked whole, so MUG×1 never reads MUG\xc3\x971 where a
// piece ended between the two bytes of ×.
func TestALongTableKeepsItsLettersWhole(t *testing.T) {
	var out bytes.Buffer
	c := &cli{stdout: safeWriter{&out}}
	tw := c.table("ORDER", "ITEMS")
	for i := range 20_000 {
		row(tw, i, "MUG×1 CARD×2")
	}
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "MUG×1 CARD×2"); got != 20_000 || strings.Contains(out.String(), `\x`) {
		t.Errorf("%d rows read MUG×1 CARD×2 of 20000; escapes: %v", got, strings.Contains(out.String(), `\x`))
	}
}
