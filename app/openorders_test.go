package app

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"microshop/domain"
	"microshop/sync/changes"
)

// The open-orders cache is a cache: whatever arrives, from files, by hand
// or from other devices, and however often the open orders are read in
// between, they are the open orders of the whole ledger, as of today and
// as of a day before.
func TestOpenOrdersMatchTheWholeLedger(t *testing.T) {
	defer func(was int64) { openOrdersRescanLimit = was }(openOrdersRescanLimit)
	rapid.Check(t, func(rt *rapid.T) {
		ctx := context.Background()
		// Made again after a big import, or brought up to date row by row.
		openOrdersRescanLimit = rapid.SampledFrom([]int64{50_000, 0, 3}).Draw(rt, "openOrdersRescanLimit")
		s := importShop(t) // MUG and BOWL, 5 each
		mustSKU(t, s, "PDF", domain.PathDigital, "")
		if _, err := s.AddKit(ctx, "SET", "Mug and bowl", 1500, []KitPartIn{{"MUG", 1}, {"BOWL", 1}}); err != nil {
			rt.Fatal(err)
		}
		other := mustReplica(t, s, s.now)
		txn := 0
		numbers := []string{"9001", "9002", "9003", "9004", "9005"}
		codes := []string{"MUG", "BOWL", "PDF", "SET"}
		held := map[string][]string{} // each order's lines imported, as open
		for i := range rapid.IntRange(3, 25).Draw(rt, "ops") {
			number := rapid.SampledFrom(numbers).Draw(rt, "number")
			switch rapid.IntRange(0, 10).Draw(rt, "op") {
			case 0, 1, 2:
				// A file of an order's lines, shipped or not; June's
				// second is after today.
				shop := s
				if rapid.IntRange(0, 3).Draw(rt, "elsewhere") == 0 {
					shop = other
				}
				sold := rapid.SampledFrom([]string{"05/20/26", "05/28/26", "06/01/26", "06/02/26"}).Draw(rt, "sold")
				lines := []string{etsyHeader}
				for range rapid.IntRange(1, 2).Draw(rt, "lines") {
					txn++
					code := rapid.SampledFrom(codes).Draw(rt, "code")
					line := etsyRow(sold, "Item "+code, 1+txn%3, "10.00", fmt.Sprint(3000+txn), number, code)
					if rapid.IntRange(0, 2).Draw(rt, "shipped") == 0 {
						line = etsyShipped(sold, "06/01/26", "Item "+code, 1+txn%3, "10.00", fmt.Sprint(3000+txn), number, code)
					} else {
						held[number] = append(held[number], line)
					}
					lines = append(lines, line)
				}
				shop.Import(ctx, ImportRequest{Path: writeFile(t, fmt.Sprintf("orders-%d.csv", i), crlf(lines...))})
			case 3:
				s.ShipOrder(ctx, ShipOrderRequest{Number: number, Channel: "etsy"})
			case 4:
				var ids []string
				rows, err := s.db.QueryContext(ctx, `SELECT id FROM events WHERE kind = 'sale' ORDER BY id`)
				if err != nil {
					rt.Fatal(err)
				}
				for rows.Next() {
					var id string
					rows.Scan(&id)
					ids = append(ids, id)
				}
				rows.Close()
				if len(ids) > 0 {
					s.VoidSale(ctx, rapid.SampledFrom(ids).Draw(rt, "void"), "")
				}
			case 5:
				// Another device's version of an order's record: shipped
				// or open, of this order, or (odd) naming another.
				named := number
				if rapid.IntRange(0, 3).Draw(rt, "moved") == 0 {
					named = rapid.SampledFrom(numbers).Draw(rt, "named")
				}
				shipped := rapid.SampledFrom([]int64{0, day(0).UnixMilli()}).Draw(rt, "shipped_at")
				// Cancelled on the channel, before the day gone by read
				// below or after it, or not (any more).
				withdrawn := rapid.SampledFrom([]int64{-1, 0, day(-7).UnixMilli(), day(-3).UnixMilli()}).Draw(rt, "withdrawn_at")
				device := newID()
				set := fmt.Sprintf(`"shipped_at":{"v":%d}`, shipped)
				switch {
				case withdrawn >= 0 && rapid.Bool().Draw(rt, "only withdrawn_at"):
					set = fmt.Sprintf(`"withdrawn_at":{"v":%d}`, withdrawn)
				case withdrawn >= 0:
					set += fmt.Sprintf(`,"withdrawn_at":{"v":%d}`, withdrawn)
				}
				body := fmt.Sprintf(`{"channel":{"v":"etsy"},"number":{"v":%q},%s}`, named, set)
				if rapid.Bool().Draw(rt, "only shipped_at") {
					body = "{" + set + "}"
				}
				change := changes.Change{Origin: device, Seq: 1, HLC: changes.Stamp{Wall: s.now().UnixMilli() + int64(i), Device: device}.String(),
					Entity: "order", EntityID: orderRecordID(s.shopID, "etsy", number), Body: []byte(body)}
				s.applyPlain(ctx, []changes.Change{change})
			case 6:
				path := rapid.SampledFrom([]domain.SupplyPath{domain.PathDigital, domain.PathHandmade}).Draw(rt, "path")
				s.EditSKU(ctx, "PDF", SKUFields{Path: &path, Factory: ptr("Kiln")})
			case 7:
				syncPair(t, s, other)
			case 10:
				// A later file: the order cancelled on the channel, here
				// or on the other device.
				shop := s
				if rapid.Bool().Draw(rt, "elsewhere") {
					shop = other
				}
				lines := []string{etsyHeader + ",Status"}
				for _, l := range held[number] {
					lines = append(lines, l+",Canceled")
				}
				if len(lines) > 1 {
					shop.Import(ctx, ImportRequest{Path: writeFile(t, fmt.Sprintf("cancelled-%d.csv", i), crlf(lines...))})
				}
			case 8, 9:
				// Today, or the orders list, read in between.
				if _, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true}); err != nil {
					rt.Fatal(err)
				}
			}
		}
		for _, asOf := range []AsOf{s.AsOfNow(), s.AsOfDate(day(-5))} {
			all, err := s.readOrders(ctx, asOf)
			if err != nil {
				rt.Fatal(err)
			}
			// The whole list, read from the index alone, is what the lines
			// joined and grouped in SQL make of them.
			r := s.newOrderReader(asOf)
			if err := eachRow(ctx, s.db, orderLinesQuery(r.cutoff, ""), nil, func(rows *sql.Rows) error { return r.add(rows) }); err != nil {
				rt.Fatal(err)
			}
			if a, b := describeOrdersWhole(all), describeOrdersWhole(settleOrders(r.out, false)); a != b {
				rt.Fatalf("as of %s the orders list read\n%s\nthe lines grouped in SQL make\n%s", asOf.Day.Format(time.DateOnly), a, b)
			}
			want := slices.DeleteFunc(all, func(o ChannelOrder) bool { return o.Shipped() || !o.WithdrawnAt.IsZero() })
			got, err := s.Orders(ctx, asOf, OrdersFilter{Open: true})
			if err != nil {
				rt.Fatal(err)
			}
			if a, b := describeOrders(got), describeOrders(want); a != b {
				rt.Fatalf("as of %s the open orders read\n%s\nthe whole ledger has\n%s", asOf.Day.Format(time.DateOnly), a, b)
			}
		}
	})
}

// describeOrdersWhole is describeOrders with when each order shipped and
// was cancelled.
func describeOrdersWhole(orders []ChannelOrder) string {
	var b strings.Builder
	for _, o := range orders {
		fmt.Fprintf(&b, "%s %s %s %v shipped %s withdrawn %s\n", o.Channel, o.Number, o.At.Format(time.RFC3339), o.Items,
			o.ShippedAt.Format(time.RFC3339), o.WithdrawnAt.Format(time.RFC3339))
	}
	return b.String()
}

func describeOrders(orders []ChannelOrder) string {
	var b strings.Builder
	for _, o := range orders {
		fmt.Fprintf(&b, "%s %s %s %v\n", o.Channel, o.Number, o.At.Format(time.DateOnly), o.Items)
	}
	return b.String()
}

// After an import of a shop's history, the open orders are found without
// reading every line again: the cache keeps the few open ones, and a read
// after a sale by hand checks those and the rows logged since.
func TestOpenOrdersAreReadFromTheCache(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	lines := []string{etsyHeader}
	for i := range 40 {
		lines = append(lines, etsyShipped("05/20/26", "05/22/26", "Mug", 1, "24.00", fmt.Sprint(5000+i), fmt.Sprint(7000+i), "MUG"))
	}
	lines = append(lines, etsyRow("05/21/26", "Bowl", 1, "18.50", "6000", "8000", "BOWL"))
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "history.csv", crlf(lines...))}); err != nil {
		t.Fatal(err)
	}
	open, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true})
	if err != nil || orderNumbers(open) != "8000" {
		t.Fatalf("open orders %q, %v; want only 8000", orderNumbers(open), err)
	}
	cached, err := cachedOpenOrders(ctx, s.db)
	if err != nil || len(cached) != 1 || !cached[orderKey{"etsy", "8000"}] {
		t.Fatalf("the cache holds %v, %v; want only etsy 8000", cached, err)
	}
	// New SKUs, a download among them, reopen nothing: the next read
	// brings the cache up to date instead of making it again.
	mustSKU(t, s, "CARD", domain.PathHandmade, "Kiln")
	mustSKU(t, s, "PDF", domain.PathDigital, "")
	c, err := s.openOrderCandidates(ctx, s.db)
	if err != nil || c.cached == nil || len(c.keys) != 1 {
		t.Fatalf("after two SKUs were added the candidates are %v (cache kept: %v), %v; want the cache's etsy 8000, kept", c.keys, c.cached != nil, err)
	}
	// A later file: 8000 shipped, 8001 is new.
	later := writeFile(t, "later.csv", crlf(etsyHeader,
		etsyShipped("05/21/26", "05/23/26", "Bowl", 1, "18.50", "6000", "8000", "BOWL"),
		etsyRow("05/24/26", "Mug", 1, "24.00", "6001", "8001", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: later}); err != nil {
		t.Fatal(err)
	}
	open, err = s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true})
	if err != nil || orderNumbers(open) != "8001" {
		t.Fatalf("open orders %q, %v; want only 8001", orderNumbers(open), err)
	}
	cached, err = cachedOpenOrders(ctx, s.db)
	if err != nil || len(cached) != 1 || !cached[orderKey{"etsy", "8001"}] {
		t.Fatalf("the cache holds %v, %v; want only etsy 8001, 8000 shipped", cached, err)
	}
}

// An order the cache dropped opens again when another device's record
// moves its shipped mark to another order's number, or when the download
// it held becomes a product to send.
func TestOpenOrdersFollowWhatReopensThem(t *testing.T) {
	ctx := context.Background()
	for name, reopen := range map[string]func(s *Shop) error{
		"a record moved": func(s *Shop) error {
			device := newID()
			_, err := s.applyPlain(ctx, []changes.Change{{Origin: device, Seq: 1, HLC: changes.Stamp{Wall: s.now().UnixMilli() + 1000, Device: device}.String(),
				Entity: "order", EntityID: orderRecordID(s.shopID, "etsy", "9001"), Body: []byte(`{"channel":{"v":"etsy"},"number":{"v":"9002"}}`)}})
			return err
		},
		"a download made a product": func(s *Shop) error {
			path := domain.PathHandmade
			_, err := s.EditSKU(ctx, "PDF", SKUFields{Path: &path, Factory: ptr("Kiln")})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := importShop(t)
			mustSKU(t, s, "PDF", domain.PathDigital, "")
			file := writeFile(t, "orders.csv", crlf(etsyHeader,
				etsyShipped("05/20/26", "05/22/26", "Mug", 1, "24.00", "3001", "9001", "MUG"),
				etsyShipped("05/20/26", "05/22/26", "Bowl", 1, "18.50", "3002", "9002", "BOWL"),
				etsyRow("05/21/26", "Guide", 1, "5.00", "3003", "9003", "PDF")))
			if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
				t.Fatal(err)
			}
			if open, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true}); err != nil || len(open) != 0 {
				t.Fatalf("open orders %q, %v; want none: two shipped, one of a download", orderNumbers(open), err)
			}
			if err := reopen(s); err != nil {
				t.Fatal(err)
			}
			all, err := s.readOrders(ctx, s.AsOfNow())
			if err != nil {
				t.Fatal(err)
			}
			want := orderNumbers(slices.DeleteFunc(all, ChannelOrder.Shipped))
			open, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true})
			if err != nil || orderNumbers(open) != want || want == "" {
				t.Fatalf("open orders %q, %v; want %q, those the whole ledger has", orderNumbers(open), err, want)
			}
		})
	}
}

// A migration may rewrite what the log's rows say, which the cache, kept
// by log row, would not see: after one the cache is made again. Here 0032
// runs again on a shop whose cache it empties.
func TestOpenOrdersAreFoundAgainAfterAMigration(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	file := writeFile(t, "orders.csv", crlf(etsyHeader, etsyRow("05/21/26", "Bowl", 1, "18.50", "6000", "8000", "BOWL")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	if open, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true}); err != nil || orderNumbers(open) != "8000" {
		t.Fatalf("open orders %q, %v; want 8000", orderNumbers(open), err)
	}
	if _, err := s.db.ExecContext(ctx, `DROP TABLE open_orders; DELETE FROM migrations WHERE name = '0032_open_orders.sql'`); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	again, err := Open(path, Options{Now: s.now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if open, err := again.Orders(ctx, again.AsOfNow(), OrdersFilter{Open: true}); err != nil || orderNumbers(open) != "8000" {
		t.Fatalf("after the migration the open orders are %q, %v; want 8000 still", orderNumbers(open), err)
	}
}

// Today's report reads the cache however long after it was asked it runs:
// a report of now that took a moment read every imported line instead.
func TestTodaysOpenOrdersReadTheCacheAMomentLater(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Kiln", 14, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Kiln")
	file := writeFile(t, "orders.csv", crlf(etsyHeader, etsyRow("05/21/26", "Mug", 1, "24.00", "6000", "8000", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	asOf := s.AsOfNow()
	clock.Set(clock.Now().Add(time.Second))
	if open, err := s.Orders(ctx, asOf, OrdersFilter{Open: true}); err != nil || orderNumbers(open) != "8000" {
		t.Fatalf("open orders %q, %v; want 8000", orderNumbers(open), err)
	}
	if cached, err := cachedOpenOrders(ctx, s.db); err != nil || !cached[orderKey{"etsy", "8000"}] {
		t.Errorf("the cache holds %v, %v; want etsy 8000: a report of now asked a second ago reads through it", cached, err)
	}
}
