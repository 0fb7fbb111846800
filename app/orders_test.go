package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// etsyShipped is etsyRow with its Date Shipped filled in.
func etsyShipped(date, shipped, name string, qty int, price, txn, order, sku string) string {
	row := etsyRow(date, name, qty, price, txn, order, sku)
	return strings.Replace(row, date+",,Jo Buyer", date+","+shipped+",Jo Buyer", 1)
}

func orderNumbers(orders []ChannelOrder) string {
	var out []string
	for _, o := range orders {
		out = append(out, o.Number)
	}
	return strings.Join(out, " ")
}

// Orders keep whether they shipped; the open ones holding an oversold SKU
// are delayed, with the date they ship and the words for the buyer; a
// later export marks them shipped on every device, and an older one read
// again never reopens them.
func TestOpenAndDelayedOrders(t *testing.T) {
	ctx := context.Background()
	s := importShop(t) // MUG and BOWL, 5 each; Kiln's lead time 14 days
	first := writeFile(t, "sold-may.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 2, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/20/26", "Bowl", 1, "18.50", "3002", "9001", "BOWL"),
		etsyRow("05/21/26", "Mug", 6, "24.00", "3003", "9002", "MUG"),
		etsyShipped("05/21/26", "05/22/26", "Bowl", 1, "18.50", "3004", "9003", "BOWL")))
	res, err := s.Import(ctx, ImportRequest{Path: first})
	if err != nil {
		t.Fatal(err)
	}
	if res.Shipped != 1 {
		t.Fatalf("import: %+v; want 1 order shipped", res)
	}
	all, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got := orderNumbers(all); got != "9002 9003 9001" {
		t.Fatalf("orders %q; want the three, newest first", got)
	}
	if !all[1].Shipped() || all[1].ShippedAt.Day() != 22 || all[0].Shipped() {
		t.Fatalf("9003 shipped %v, 9002 shipped %v; want 9003 shipped on the 22nd, 9002 open", all[1].ShippedAt, all[0].ShippedAt)
	}
	if len(all[2].Items) != 2 {
		t.Fatalf("order 9001 holds %+v; want MUG and BOWL", all[2].Items)
	}
	delayed, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Delayed: true})
	if err != nil {
		t.Fatal(err)
	}
	// MUG: 8 sold of 5, oversold; back in 14 days' lead, shipped a day later.
	ships := domain.AddDays(s.AsOfNow().Day, 14+domain.DefaultHandlingDays)
	// The shelf holds 5 mugs: 9001's 2, the oldest, go; 9002's 6 cannot.
	if got := orderNumbers(delayed); got != "9002" {
		t.Fatalf("delayed %q; want only 9002, the order the 5 mugs left after 9001 cannot fill", got)
	}
	for _, o := range delayed {
		if !o.ShipsBy.Equal(ships) || !strings.Contains(o.Message, o.Number) || !strings.Contains(o.Message, "Item MUG") ||
			!strings.Contains(o.Message, ships.Format("2 January 2006")) {
			t.Errorf("order %s: ships by %v, message %q; want %v, naming the order, the mug and the date", o.Number, o.ShipsBy, o.Message, ships)
		}
	}
	alerts := alertsOf(t, s, AlertDelayedOrder)
	if len(alerts) != 1 || alerts[0].ToBuyer == "" || !strings.Contains(alerts[0].Message, "tell the buyer") {
		t.Fatalf("delayed order alerts %+v; want one, 9002's, with the words for the buyer", alerts)
	}

	// A later export: 9001 has shipped.
	later := writeFile(t, "sold-may-later.csv", crlf(etsyHeader,
		etsyShipped("05/20/26", "05/24/26", "Mug", 2, "24.00", "3001", "9001", "MUG"),
		etsyShipped("05/20/26", "05/24/26", "Bowl", 1, "18.50", "3002", "9001", "BOWL")))
	if res, err := s.Import(ctx, ImportRequest{Path: later}); err != nil || res.Duplicates != 2 || res.Shipped != 1 {
		t.Fatalf("the later export: %+v, %v; want 2 duplicates, 1 order shipped", res, err)
	}
	// The first file again: 9001 stays shipped.
	if _, err := s.Import(ctx, ImportRequest{Path: first}); err != nil {
		t.Fatal(err)
	}
	b := mustReplica(t, s, s.now)
	syncPair(t, s, b)
	for name, shop := range map[string]*Shop{"this device": s, "a replica": b} {
		open, err := shop.Orders(ctx, shop.AsOfNow(), OrdersFilter{Open: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := orderNumbers(open); got != "9002" {
			t.Errorf("%s: open orders %q; want only 9002", name, got)
		}
	}
}

func TestAnUnreadableShipDateRefusesTheFile(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	file := writeFile(t, "sold.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG"),
		etsyShipped("05/20/26", "soon", "Bowl", 1, "18.50", "3002", "9001", "BOWL")))
	before := content(t, s)
	_, err := s.Import(ctx, ImportRequest{Path: file})
	if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), `"soon"`) {
		t.Fatalf("a ship date of soon: %v; want refused, naming line 3 and the value", err)
	}
	if content(t, s) != before {
		t.Fatal("the refused file changed the shop")
	}
}

// A Shopify order fulfilled counts as shipped when Fulfilled at says.
func TestShopifyFulfilledOrdersAreShipped(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	file := writeFile(t, "orders_export.csv", crlf(shopifyHeader,
		"#1001,jo@example.com,paid,2026-05-20 10:00:00 +0000,fulfilled,2026-05-21 16:30:00 +0000,no,EUR,24.00,0,0,24.00,,0,Post,2026-05-20 09:59:00 +0000,1,Mug,24.00,,MUG,true,true,fulfilled,Jo,,,,0,Kiln,1",
		"#1002,al@example.com,paid,2026-05-20 11:00:00 +0000,unfulfilled,,no,EUR,18.50,0,0,18.50,,0,Post,2026-05-20 10:59:00 +0000,1,Bowl,18.50,,BOWL,true,true,,Al,,,,0,Kiln,2"))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Number != "#1002" || all[0].Shipped() || !all[1].Shipped() ||
		!all[1].ShippedAt.Equal(time.Date(2026, 5, 21, 16, 30, 0, 0, time.UTC)) {
		t.Fatalf("orders %+v; want #1002 open and #1001 shipped at 16:30 on 21 May", all)
	}
}

// An Etsy order of today is listed before noon, the hour its undated sale
// is recorded at.
func TestTodaysEtsyOrderIsListedInTheMorning(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Kiln", 14, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Kiln")
	clock.Set(time.Date(2026, 5, 20, 8, 0, 0, 0, time.UTC))
	file := writeFile(t, "sold.csv", crlf(etsyHeader, etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	open, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true})
	if err != nil || len(open) != 1 {
		t.Fatalf("open orders at 8:00: %+v, %v; want today's 9001", open, err)
	}
}

// The mugs on the shelf go to the oldest open orders first; the first
// order they cannot fill waits, and so does every newer one, even a small
// one the shelf could fill, so an older buyer is never passed over.
func TestTheShelfGoesToTheOldestOrdersFirst(t *testing.T) {
	ctx := context.Background()
	s := importShop(t) // MUG 5 on the shelf
	file := writeFile(t, "sold.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 2, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/21/26", "Mug", 4, "24.00", "3002", "9002", "MUG"),
		etsyRow("05/22/26", "Mug", 1, "24.00", "3003", "9003", "MUG"),
		etsyShipped("05/19/26", "05/19/26", "Mug", 2, "24.00", "3004", "9000", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	// 9 sold of 5: available -4; 9000's 2 are gone, so 3 are on the shelf
	// for the open 7. 9001 takes 2; 9002's 4 cannot, and 9003 waits behind.
	delayed, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Delayed: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := orderNumbers(delayed); got != "9003 9002" {
		t.Fatalf("delayed %q; want 9002, which the 1 mug left after 9001 cannot fill, and 9003 behind it", got)
	}
}

// An order holding a product no longer made cannot ship at all, whatever
// date its other products are back: the buyer hears that, not a date.
func TestAnOrderOfAProductNoLongerMadeCannotShip(t *testing.T) {
	ctx := context.Background()
	s := importShop(t) // MUG and BOWL, 5 each
	file := writeFile(t, "sold.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Bowl", 6, "18.50", "3001", "9001", "BOWL"),
		etsyRow("05/20/26", "Mug", 6, "24.00", "3002", "9001", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	if err := s.ArchiveSKU(ctx, "MUG"); err != nil {
		t.Fatal(err)
	}
	delayed, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Delayed: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(delayed) != 1 || !delayed[0].ShipsBy.IsZero() || !strings.Contains(delayed[0].Message, "no longer made") {
		t.Fatalf("delayed %+v; want 9001, unable to ship, its message saying the mug is no longer made", delayed)
	}
}

// versionsOf lists what a shop holds of the orders' records, each value
// with its type, so a row written by hand must match the merge's to the
// byte.
func versionsOf(t *testing.T, s *Shop) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT entity_id || ' ' || field || ' ' || stamp || ' ' || typeof(base) || ':' || CAST(base AS TEXT) || ' ' || typeof(value) || ':' || CAST(value AS TEXT)
			FROM field_versions WHERE entity = 'order' ORDER BY 1`,
		`SELECT id || ' ' || typeof(channel) || ':' || channel || ' ' || typeof(number) || ':' || number || ' ' || typeof(shipped_at) || ':' || shipped_at FROM orders ORDER BY 1`,
		`SELECT entity_id || ' ' || field FROM conflicts WHERE entity = 'order' ORDER BY 1`,
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out = append(out, line)
		}
		rows.Close()
	}
	return strings.Join(out, "\n")
}

// An import writes the records of the orders it marks shipped many at a
// time; what it holds is exactly what another device makes of the same
// changes through the merge, one field at a time.
func TestShippedOrdersAreTheRecordsTheMergeMakes(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	var rows []string
	for i := range 150 { // more than one statement's worth
		rows = append(rows, etsyShipped("05/20/26", "05/22/26", "Mug", 1, "24.00", fmt.Sprint(5000+i), fmt.Sprint(7000+i/2), "MUG"))
	}
	rows = append(rows, etsyRow("05/21/26", "Bowl", 1, "18.50", "6000", "8000", "BOWL"))
	res, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "shipped.csv", crlf(append([]string{etsyHeader}, rows...)...))})
	if err != nil || res.Shipped != 75 {
		t.Fatalf("import: %+v, %v; want 75 orders shipped", res, err)
	}
	b := mustReplica(t, s, s.now)
	syncPair(t, s, b)
	here, there := versionsOf(t, s), versionsOf(t, b)
	if here != there || strings.Count(here, "\n") != 75*3+75-1 {
		t.Fatalf("this device holds\n%s\na replica holds\n%s\nwant the same: 3 fields and a row for each of 75 orders", here, there)
	}
	open, err := b.Orders(ctx, b.AsOfNow(), OrdersFilter{Open: true})
	if err != nil || orderNumbers(open) != "8000" {
		t.Fatalf("open orders on the replica: %q, %v; want only 8000", orderNumbers(open), err)
	}
}

// An order the shop holds a version of already, here one another device
// sent as open, is marked shipped by a change that replaces that version:
// no conflict, and shipped on every device.
func TestAnOrderHeldOpenIsShippedOverItsVersion(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	id := orderRecordID(s.shopID, "etsy", "9001")
	other := newID()
	open := changes.Change{Origin: other, Seq: 1, HLC: changes.Stamp{Wall: s.now().UnixMilli() - 1000, Device: other}.String(),
		Entity: "order", EntityID: id, Body: []byte(`{"channel":{"v":"etsy"},"number":{"v":"9001"},"shipped_at":{"v":0}}`)}
	if _, err := s.applyPlain(ctx, []changes.Change{open}); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "shipped.csv", crlf(etsyHeader, etsyShipped("05/20/26", "05/22/26", "Mug", 1, "24.00", "3001", "9001", "MUG")))
	if res, err := s.Import(ctx, ImportRequest{Path: file}); err != nil || res.Shipped != 1 {
		t.Fatalf("import: %+v, %v; want the order shipped", res, err)
	}
	held := versionsOf(t, s)
	if !strings.Contains(held, `shipped_at `) || !strings.Contains(held, `blob:["`+open.HLC+`"]`) || strings.Contains(held, id+" shipped_at\n") {
		t.Fatalf("order records:\n%s\nwant a shipped_at version based on %s and no conflict", held, open.HLC)
	}
	b := mustReplica(t, s, s.now)
	syncPair(t, s, b)
	for name, shop := range map[string]*Shop{"this device": s, "a replica": b} {
		orders, err := shop.Orders(ctx, shop.AsOfNow(), OrdersFilter{})
		if err != nil || len(orders) != 1 || !orders[0].Shipped() {
			t.Errorf("%s: orders %+v, %v; want 9001 shipped", name, orders, err)
		}
	}
}

// A delayed order whose date waits on a paused factory's lead time says
// so to the maker, in the order and on Today: nothing is on its way to
// keep the date told to the buyer. With a batch on order, it holds.
func TestADelayedOrderFromAPausedFactoryWarns(t *testing.T) {
	ctx := context.Background()
	s := importShop(t) // MUG and BOWL, 5 each, from Kiln
	file := writeFile(t, "sold.csv", crlf(etsyHeader, etsyRow("05/21/26", "Mug", 8, "24.00", "3003", "9002", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	if err := s.PauseFactory(ctx, "Kiln", "kiln repair"); err != nil {
		t.Fatal(err)
	}
	delayed, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Delayed: true})
	if err != nil || len(delayed) != 1 || len(delayed[0].Warnings) != 1 || !strings.Contains(delayed[0].Warnings[0], "MUG's factory Kiln is paused") {
		t.Fatalf("delayed orders %+v, %v; want 9002 warned that MUG's factory Kiln is paused", delayed, err)
	}
	// On Today in a few words: the pause has an alert of its own, and
	// each of 2,000 rows saying it whole made every row five lines.
	if alerts := alertsOf(t, s, AlertDelayedOrder); len(alerts) != 1 ||
		!strings.Contains(alerts[0].Message, "the date holds only if MUG is ordered today, and Kiln is paused") || strings.Contains(alerts[0].Message, "resume Kiln") {
		t.Errorf("Today: %+v; want the delayed order to say in a few words that Kiln is paused", alerts)
	}
	if _, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10, Force: true}); err != nil {
		t.Fatal(err)
	}
	if delayed, _ := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Delayed: true}); len(delayed) != 1 || len(delayed[0].Warnings) != 0 {
		t.Errorf("with a batch on order: %+v; want no warning", delayed)
	}
}

// An order of downloads only is delivered as it is bought: it is not
// listed as open, where it stayed for ever with nothing to send. An order
// with a download and a mug is, mug and download both.
func TestAnOrderOfDownloadsOnlyIsNotOpen(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	mustSKU(t, s, "GUIDE", domain.PathDigital, "")
	file := writeFile(t, "EtsySoldOrderItems.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Guide", 1, "5.00", "3001", "9001", "GUIDE"),
		etsyRow("05/20/26", "Guide", 1, "5.00", "3002", "9002", "GUIDE"),
		etsyRow("05/20/26", "Mug", 1, "24.00", "3003", "9002", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	open, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].Number != "9002" || len(open[0].Items) != 2 {
		t.Fatalf("open orders %+v; want 9002 alone, with its download and its mug", open)
	}
	all, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{})
	if err != nil || len(all) != 2 {
		t.Fatalf("all orders %+v, %v; want both", all, err)
	}
	for _, o := range all {
		if o.Shipped() != (o.Number == "9001") {
			t.Errorf("order %s shipped %v; want the downloads-only one shipped as it was bought", o.Number, o.Shipped())
		}
	}
}

// The orders as of a day gone by are as they stood at its end: an order
// shipped since was open then, and delayed if its SKU was short.
func TestOrdersAsOfADayGoneByAreOpenIfTheyShippedLater(t *testing.T) {
	ctx := context.Background()
	s := importShop(t) // MUG and BOWL, 5 each
	file := writeFile(t, "sold.csv", crlf(etsyHeader,
		etsyShipped("05/20/26", "05/25/26", "Mug", 8, "24.00", "3001", "9001", "MUG"),
		etsyShipped("05/20/26", "05/21/26", "Bowl", 1, "18.50", "3002", "9002", "BOWL")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	then := s.AsOfDate(time.Date(2026, 5, 22, 0, 0, 0, 0, time.UTC))
	all, err := s.Orders(ctx, then, OrdersFilter{})
	if err != nil || len(all) != 2 {
		t.Fatalf("orders as of 22 May: %+v, %v; want both", all, err)
	}
	for _, o := range all {
		if shipped := o.Number == "9002"; o.Shipped() != shipped {
			t.Errorf("order %s as of 22 May: shipped %v; want %v (9001 shipped on the 25th, 9002 on the 21st)", o.Number, o.ShippedAt, shipped)
		}
	}
	if open, err := s.Orders(ctx, then, OrdersFilter{Open: true}); err != nil || orderNumbers(open) != "9001" {
		t.Errorf("open orders as of 22 May: %q, %v; want 9001", orderNumbers(open), err)
	}
	if delayed, err := s.Orders(ctx, then, OrdersFilter{Delayed: true}); err != nil || orderNumbers(delayed) != "9001" {
		t.Errorf("delayed orders as of 22 May: %q, %v; want 9001, 8 mugs of 5", orderNumbers(delayed), err)
	}
	if open, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true}); err != nil || len(open) != 0 {
		t.Errorf("open orders now: %q, %v; want none", orderNumbers(open), err)
	}
}

// shopifyOrder is a Shopify export of order #4001, 6 mugs (the shelf
// holds 5), with its financial status and the time it was cancelled.
func shopifyOrder(t *testing.T, fin, cancelled string) string {
	t.Helper()
	row := strings.Join([]string{"#4001", "jo@example.com", fin, "2026-05-30 10:23:45 -0500", "unfulfilled", "", "no", "EUR", "", "", "", "", "", "", "",
		"2026-05-30 10:23:45 -0500", "6", "Mug", "24.00", "", "MUG", "true", "true", "pending", "Jo", "", cancelled, "", "", "Kiln", "5551"}, ",")
	return writeFile(t, "orders_export.csv", shopifyHeader+"\n"+row+"\n")
}

// An order imported while open that a later export shows cancelled is
// not open, and never delayed: its buyer is not told when it ships.
// Today says it was cancelled, to void its lines, until they are voided
// or the order is marked shipped (it left before the refund); on every
// device.
func TestAnOrderCancelledSinceItsImportIsNotOpen(t *testing.T) {
	ctx := context.Background()
	for _, end := range []string{"voided", "shipped"} {
		t.Run(end, func(t *testing.T) {
			s := importShop(t) // MUG 5
			if _, err := s.Import(ctx, ImportRequest{Path: shopifyOrder(t, "paid", "")}); err != nil {
				t.Fatal(err)
			}
			if delayed, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Delayed: true}); err != nil || orderNumbers(delayed) != "#4001" {
				t.Fatalf("delayed orders %q, %v; want #4001, 6 mugs of 5", orderNumbers(delayed), err)
			}
			if _, err := s.Import(ctx, ImportRequest{Path: shopifyOrder(t, "refunded", "2026-05-31 09:00:00 -0500")}); err != nil {
				t.Fatal(err)
			}
			b := mustReplica(t, s, s.now)
			syncPair(t, s, b)
			cancelledAt := time.Date(2026, 5, 31, 14, 0, 0, 0, time.UTC)
			for name, shop := range map[string]*Shop{"this device": s, "a replica": b} {
				for _, f := range []OrdersFilter{{Open: true}, {Delayed: true}} {
					if got, err := shop.Orders(ctx, shop.AsOfNow(), f); err != nil || len(got) != 0 {
						t.Errorf("%s: orders %+v: %q, %v; want none, #4001 was cancelled", name, f, orderNumbers(got), err)
					}
				}
				all, err := shop.Orders(ctx, shop.AsOfNow(), OrdersFilter{})
				if err != nil || len(all) != 1 || !all[0].WithdrawnAt.Equal(cancelledAt) || all[0].Delayed || all[0].Shipped() {
					t.Errorf("%s: orders %+v, %v; want #4001 cancelled at %v, not delayed", name, all, err, cancelledAt)
				}
				if got := alertsOf(t, shop, AlertDelayedOrder); len(got) != 0 {
					t.Errorf("%s: delayed-order alerts %+v; want none, its buyer cancelled", name, got)
				}
				got := alertsOf(t, shop, AlertCancelledOrder)
				if len(got) != 1 || got[0].Subject != "#4001" || got[0].ToBuyer != "" {
					t.Fatalf("%s: cancelled-order alerts %+v; want one, #4001's", name, got)
				}
				for _, w := range []string{"Order #4001 on shopify was cancelled or refunded after its lines were imported", "void its lines if it never shipped"} {
					if !strings.Contains(got[0].Message, w) {
						t.Errorf("%s: the alert %q does not say %q", name, got[0].Message, w)
					}
				}
				if !got[0].Day.Equal(time.Date(2026, 5, 30, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("%s: the alert's day %v; want 30 May, the day of the order's lines", name, got[0].Day)
				}
			}
			// As of the day before it was cancelled, it was open then.
			if open, err := s.Orders(ctx, s.AsOfDate(time.Date(2026, 5, 30, 0, 0, 0, 0, time.UTC)), OrdersFilter{Open: true}); err != nil || orderNumbers(open) != "#4001" {
				t.Errorf("open orders as of 30 May: %q, %v; want #4001, cancelled the day after", orderNumbers(open), err)
			}
			switch end {
			case "voided":
				lines, err := s.Sales(ctx, day(-300), day(1), "")
				if err != nil || len(lines) != 1 {
					t.Fatalf("sales: %+v, %v", lines, err)
				}
				if err := s.VoidSale(ctx, lines[0].ID, "refunded on Shopify"); err != nil {
					t.Fatal(err)
				}
			case "shipped":
				if _, err := b.ShipOrder(ctx, ShipOrderRequest{Number: "#4001", At: s.Now()}); err != nil {
					t.Fatal(err)
				}
			}
			syncPair(t, s, b)
			for name, shop := range map[string]*Shop{"this device": s, "a replica": b} {
				if got := alertsOf(t, shop, AlertCancelledOrder); len(got) != 0 {
					t.Errorf("%s: once %s, cancelled-order alerts %+v; want none", name, end, got)
				}
				if open, err := shop.Orders(ctx, shop.AsOfNow(), OrdersFilter{Open: true}); err != nil || len(open) != 0 {
					t.Errorf("%s: once %s, open orders %q, %v; want none", name, end, orderNumbers(open), err)
				}
			}
		})
	}
}

// An Etsy file gives no time of cancelling: the order is cancelled as of
// the import, once; a later import of the same file, here or on another
// device that had not heard, changes nothing and lists no conflict.
func TestAnEtsyOrderCancelledSinceIsCancelledAsOfTheImport(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Kiln", 14, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Kiln")
	mustSKU(t, s, "BOWL", domain.PathMicrofactory, "Kiln")
	header := etsyHeader + ",Status"
	row := func(txn, order, code, status string) string {
		return etsyRow("05/20/26", "Item "+code, 1, "24.00", txn, order, code) + "," + status
	}
	open := writeFile(t, "open.csv", crlf(header, row("3001", "9001", "MUG", ""), row("3002", "9002", "MUG", ""), row("3003", "9002", "BOWL", "")))
	if _, err := s.Import(ctx, ImportRequest{Path: open}); err != nil {
		t.Fatal(err)
	}
	b := mustReplica(t, s, clock.Now)
	syncPair(t, s, b)
	// 9001 cancelled; of 9002 only the bowl, its mug still to send.
	later := writeFile(t, "later.csv", crlf(header, row("3001", "9001", "MUG", "Canceled"), row("3002", "9002", "MUG", ""), row("3003", "9002", "BOWL", "Refunded")))
	first := s.Now()
	if _, err := s.Import(ctx, ImportRequest{Path: later}); err != nil {
		t.Fatal(err)
	}
	clock.Set(first.Add(time.Hour))
	for _, shop := range []*Shop{s, b} {
		if _, err := shop.Import(ctx, ImportRequest{Path: later}); err != nil {
			t.Fatal(err)
		}
	}
	if all, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{}); err != nil || len(all) != 2 || !all[0].WithdrawnAt.Equal(first) {
		t.Fatalf("orders %+v, %v; want 9001 cancelled at the first import, %v", all, err, first)
	}
	syncPair(t, s, b)
	var cancelled []time.Time
	for name, shop := range map[string]*Shop{"this device": s, "a replica": b} {
		all, err := shop.Orders(ctx, shop.AsOfNow(), OrdersFilter{})
		if err != nil || orderNumbers(all) != "9001 9002" || all[0].WithdrawnAt.IsZero() || !all[1].WithdrawnAt.IsZero() {
			t.Errorf("%s: orders %+v, %v; want 9001 cancelled and 9002 not", name, all, err)
		} else {
			cancelled = append(cancelled, all[0].WithdrawnAt)
		}
		if open, err := shop.Orders(ctx, shop.AsOfNow(), OrdersFilter{Open: true}); err != nil || orderNumbers(open) != "9002" {
			t.Errorf("%s: open orders %q, %v; want 9002 alone", name, orderNumbers(open), err)
		}
		if got := alertsOf(t, shop, AlertCancelledOrder); len(got) != 1 || got[0].Subject != "9001" || !strings.Contains(got[0].Message, "on etsy") {
			t.Errorf("%s: cancelled-order alerts %+v; want 9001's on etsy", name, got)
		}
		if got := alertsOf(t, shop, AlertSyncConflict); len(got) != 0 {
			t.Errorf("%s: conflicts %+v; want none, both devices said the order was cancelled", name, got)
		}
	}
	if len(cancelled) == 2 && !cancelled[0].Equal(cancelled[1]) {
		t.Errorf("9001 cancelled at %v and at %v; want the same on both devices", cancelled[0], cancelled[1])
	}
}

// A ship date before the order's date is refused like any bad line, as
// marking an order shipped by hand before it was placed is: the line, the
// order and both dates named, nothing written.
func TestAShipDateBeforeTheOrderIsRefused(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct{ file, want string }{
		"etsy": {crlf(etsyHeader,
			etsyRow("05/21/26", "Mug", 1, "24.00", "3001", "9001", "MUG"),
			etsyShipped("05/25/26", "05/21/26", "Bowl", 1, "18.50", "3002", "7005", "BOWL")),
			`line 3: order "7005" shipped on "05/21/26", before its Sale Date "05/25/26"; an order ships on or after the day it was sold`},
		"shopify": {crlf(shopifyHeader,
			"#1001,jo@example.com,paid,2026-05-20 10:00:00 +0000,fulfilled,2026-05-19 16:30:00 +0000,no,EUR,24.00,0,0,24.00,,0,Post,2026-05-20 09:59:00 +0000,1,Mug,24.00,,MUG,true,true,fulfilled,Jo,,,,0,Kiln,1"),
			`line 2: order "#1001" was fulfilled at "2026-05-19 16:30:00 +0000", before it was created at "2026-05-20 09:59:00 +0000"`},
	} {
		s := importShop(t)
		before := content(t, s)
		for _, dry := range []bool{true, false} {
			_, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "orders.csv", tc.file), DryRun: dry})
			if msg := domain.ErrorMessage(err); !strings.Contains(msg, tc.want) || !strings.Contains(msg, "nothing was written") {
				t.Errorf("%s, dry run %v: %q; want refused with %q", name, dry, msg, tc.want)
			}
		}
		if content(t, s) != before {
			t.Errorf("%s: the refused file changed the shop", name)
		}
	}
}
