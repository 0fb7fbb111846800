package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// etsyCouponRow is an Etsy sold order item of an order that used a
// coupon: Etsy gives the order's coupon discount (Discount Amount) and its
// shipping discount on each of the order's rows.
func etsyCouponRow(date, name string, qty int, price, txn, order, sku, discount, shipping string) string {
	return fmt.Sprintf(`%s,%s,Jo Buyer,%d,%s,SPRING,Spring sale,%s,%s,4.50,0,%s,EUR,%s,1234567,%s,,Jo Buyer,1 Main St,,Leeds,,LS1 1AA,United Kingdom,%s,,online,listing,online_cc,,,0,%s`,
		date, name, qty, price, discount, shipping, price, txn, date, order, sku)
}

// salesOf sums the recorded sale lines of each order: what it brought in,
// and its units.
func salesOf(t *testing.T, s *Shop) (totals map[string]domain.Money, units map[string]int) {
	t.Helper()
	lines, err := s.Sales(context.Background(), day(-20), day(1), "")
	if err != nil {
		t.Fatal(err)
	}
	totals, units = map[string]domain.Money{}, map[string]int{}
	for _, l := range lines {
		totals[l.Order] += l.Total()
		units[l.Order] += l.Qty
	}
	return totals, units
}

func marginOf(t *testing.T, s *Shop, code string) domain.Margin {
	t.Helper()
	rows, err := s.Margins(context.Background(), s.AsOfNow(), 90)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Code == code {
			return r.Margin
		}
	}
	t.Fatalf("margins %+v: no row for %s", rows, code)
	return domain.Margin{}
}

// An Etsy coupon's discount comes off the order's sales: Etsy gives the
// order's discount on each of its rows, and the order's lines share it in
// proportion to what they come to, to the cent, so the order comes to what
// the buyer paid for its items. It was ignored: revenue and margins read
// higher than the maker was paid. A shipping discount is not the items'.
func TestAnEtsyCouponComesOffTheOrdersSales(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	// Order 9001: 2 mugs at 24.00 and a bowl at 18.50, 66.50, with 5.00
	// off: 44.39 and 17.11, 61.50. Order 9002 had free shipping only.
	file := writeFile(t, "EtsySoldOrderItems2026-5.csv", crlf(etsyHeader,
		etsyCouponRow("05/20/26", "Mug", 2, "24.00", "3001", "9001", "MUG", "5.00", "4.50"),
		etsyCouponRow("05/20/26", "Bowl", 1, "18.50", "3002", "9001", "BOWL", "5.00", "4.50"),
		etsyCouponRow("05/20/26", "Mug", 1, "24.00", "3003", "9002", "MUG", "0", "4.50")))
	before := content(t, s)
	dry, err := s.Import(ctx, ImportRequest{Path: file, DryRun: true})
	if err != nil || dry.Discounts != 500 {
		t.Fatalf("dry run: %+v, %v; want 5.00 of discounts to take off", dry, err)
	}
	if content(t, s) != before {
		t.Fatal("a dry run changed the shop")
	}
	res, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil || res.Sales != 3 || res.Discounts != 500 {
		t.Fatalf("import: %+v, %v; want 3 sales, 5.00 of discounts taken off", res, err)
	}
	totals, units := salesOf(t, s)
	if totals["9001"] != 6150 || units["9001"] != 3 || totals["9002"] != 2400 || units["9002"] != 1 {
		t.Errorf("orders come to %v in %v units; want 9001 61.50 in 3, 9002 24.00 in 1 (a shipping discount is not the items')", totals, units)
	}
	bowl, err := s.Sales(ctx, day(-20), day(1), "BOWL")
	if err != nil || len(bowl) != 1 || bowl[0].Price != 1711 || bowl[0].Discount != 139 {
		t.Errorf("the bowl's line %+v %v; want 17.11, 1.39 off: its share of 5.00 over 66.50", bowl, err)
	}
	if got := marginOf(t, s, "MUG").Revenue; got != 4439+2400 {
		t.Errorf("MUG revenue %s, want 68.39: 9001's mugs less their share of its coupon, and 9002's", got)
	}
	d, err := s.Day(ctx, time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC))
	if err != nil || d.Total != 8550 || d.Discounts != 500 || d.Units != 4 || d.Orders != 2 {
		t.Errorf("the day: %+v, %v; want 85.50 taken, 5.00 of discounts, 4 units in 2 orders", d, err)
	}
	again, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil || again.Sales != 0 || again.Duplicates != 3 || again.Discounts != 0 {
		t.Fatalf("again: %+v, %v; want 3 lines there already and nothing taken off again", again, err)
	}
	if t2, _ := salesOf(t, s); t2["9001"] != 6150 {
		t.Errorf("9001 after importing the file again: %s, want 61.50", t2["9001"])
	}
}

// A coupon's share that a line's units do not divide is booked to the
// cent: 3 mugs at 10.00 with 1.00 of a 2.00 coupon over two lines of
// 30.00 each come to 29.00, not 29.01.
func TestAnEtsyCouponShareThatUnitsDoNotDivideIsExact(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	file := writeFile(t, "sold.csv", crlf(etsyHeader,
		etsyCouponRow("05/20/26", "Mug", 3, "10.00", "3001", "9001", "MUG", "2.00", "0"),
		etsyCouponRow("05/20/26", "Bowl", 3, "10.00", "3002", "9001", "BOWL", "2.00", "0")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"MUG", "BOWL"} {
		lines, err := s.Sales(ctx, day(-20), day(1), code)
		var total domain.Money
		units := 0
		for _, l := range lines {
			total += l.Total()
			units += l.Qty
		}
		if err != nil || total != 2900 || units != 3 {
			t.Errorf("%s: %d units come to %s (%+v, %v); want 3 coming to 29.00", code, units, total, lines, err)
		}
	}
}

// A coupon discount the file gets wrong is refused in a sentence naming
// it and what is accepted, and nothing is imported: not a number, not the
// same on each row of its order, or more than the order's items.
func TestABadEtsyCouponDiscountIsRefused(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	before := content(t, s)
	for name, tc := range map[string]struct {
		rows []string
		want []string
	}{
		"not an amount": {[]string{etsyCouponRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG", "ten", "0")},
			[]string{"line 2", `the Discount Amount "ten"`, "like 4.50"}},
		"differs in its order": {[]string{
			etsyCouponRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG", "5.00", "0"),
			etsyCouponRow("05/20/26", "Bowl", 1, "18.00", "3002", "9001", "BOWL", "2.00", "0")},
			[]string{"line 3", `the Discount Amount "2.00"`, "line 2's 5.00", `order "9001"`}},
		"beyond the order": {[]string{
			etsyCouponRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG", "50.00", "0"),
			etsyCouponRow("05/20/26", "Bowl", 1, "18.00", "3002", "9001", "BOWL", "50.00", "0")},
			[]string{"line 2", `the Discount Amount "50.00"`, "from 0 to the order's 42.00"}},
	} {
		file := writeFile(t, "sold.csv", crlf(append([]string{etsyHeader}, tc.rows...)...))
		_, err := s.Import(ctx, ImportRequest{Path: file})
		for _, want := range tc.want {
			if err == nil || !strings.Contains(domain.ErrorMessage(err), want) {
				t.Errorf("%s: %v; want a refusal saying %s", name, err, want)
			}
		}
	}
	if content(t, s) != before {
		t.Fatal("a refused import changed the shop")
	}
}

// A Shopify line discount that does not divide by the quantity is booked
// to the cent: 3 × 3.67 with 0.01 off the line is 11.00, where the unit's
// discount rounded down booked 11.01. The takings, the day, the margins
// and the order all count the line once, its 3 units, at 11.00; importing
// the file again adds nothing.
func TestAShopifyLineDiscountTheUnitsDoNotDivideIsExact(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	header := "Name,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount"
	file := writeFile(t, "orders_export.csv", header+"\n#1001,paid,2026-05-30 10:23:45 -0500,3,Mug,3.67,MUG,0.01\n")
	res, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil || res.Sales != 1 {
		t.Fatalf("import: %+v, %v; want one sale", res, err)
	}
	check := func(when string) {
		t.Helper()
		totals, units := salesOf(t, s)
		if totals["#1001"] != 1100 || units["#1001"] != 3 {
			t.Errorf("%s: #1001 comes to %s in %d units; want 11.00 in 3", when, totals["#1001"], units["#1001"])
		}
		d, err := s.Day(ctx, time.Date(2026, 5, 30, 12, 0, 0, 0, time.UTC))
		if err != nil || d.Total != 1100 || d.Discounts != 1 || d.Units != 3 || d.Orders != 1 || d.ByChannel[domain.Channel("shopify")] != 1100 {
			t.Errorf("%s: the day %+v, %v; want 11.00 taken on shopify, 0.01 of discounts, 3 units in 1 order", when, d, err)
		}
		if m := marginOf(t, s, "MUG"); m.Revenue != 1100 || m.Units != 3 {
			t.Errorf("%s: MUG's margin %+v; want 3 units, 11.00 of revenue", when, m)
		}
		orders, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{})
		if err != nil || len(orders) != 1 || strings.Join(orders[0].OrderLabels(), " ") != "MUG×3" {
			t.Errorf("%s: orders %+v, %v; want #1001 with MUG×3", when, orders, err)
		}
		if got := mustStock(t, s, "MUG", s.AsOfNow()).OnHand; got != 2 {
			t.Errorf("%s: MUG on hand %d, want 2", when, got)
		}
	}
	check("imported")
	if res.Discounts != 1 {
		t.Errorf("the import says %s of discounts were taken off, want 0.01", res.Discounts)
	}
	again, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil || again.Sales != 0 || again.Duplicates != 1 {
		t.Fatalf("again: %+v, %v; want the line there already", again, err)
	}
	check("imported twice")
}

// A kit's line whose discount its units do not divide sells its parts
// once, and counts once when imported again.
func TestAKitLineWithAnOddDiscountSellsItsPartsOnce(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	if _, err := s.AddKit(ctx, "SET", "Mug and bowl", 3000, []KitPartIn{{"MUG", 1}, {"BOWL", 1}}); err != nil {
		t.Fatal(err)
	}
	header := "Name,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount"
	file := writeFile(t, "orders_export.csv", header+"\n#1001,paid,2026-05-30 10:23:45 -0500,2,Set,30.00,SET,0.01\n")
	for range 2 {
		if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
			t.Fatal(err)
		}
	}
	for _, code := range []string{"MUG", "BOWL"} {
		if got := mustStock(t, s, code, s.AsOfNow()).OnHand; got != 3 {
			t.Errorf("%s: %d on hand after 2 sets sold, imported twice; want 3", code, got)
		}
	}
	totals, units := salesOf(t, s)
	if totals["#1001"] != 5999 || units["#1001"] != 2 {
		t.Errorf("#1001 comes to %s in %d units; want 2 sets at 59.99", totals["#1001"], units["#1001"])
	}
}

// A discount code on a whole Shopify order may come only in the order's
// Discount Amount and Subtotal, with no Lineitem discount: what the lines
// come to beyond the Subtotal came off the items, and the lines share it.
// A discount the lines carry already is not taken twice, and a shipping
// discount, in Discount Amount but not in the Subtotal, takes nothing.
func TestAShopifyOrderDiscountTheLinesDoNotCarryComesOffThem(t *testing.T) {
	ctx := context.Background()
	header := "Name,Financial Status,Currency,Subtotal,Shipping,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount"
	for _, tc := range []struct {
		name  string
		rows  []string
		total domain.Money // what the day takes in all
		off   domain.Money // of discounts
	}{
		{"the order's code only", []string{
			"#1001,paid,EUR,19.00,4.50,5.00,2026-05-30 10:23:45 -0500,1,Mug,24.00,MUG,0.00"}, 1900, 500},
		{"shared by value over two lines", []string{
			"#1002,paid,EUR,54.00,4.50,12.00,2026-05-30 10:23:45 -0500,2,Mug,24.00,MUG,",
			"#1002,,,,,,,1,Bowl,18.00,BOWL,"}, 5400, 1200},
		{"carried by the lines already", []string{
			"#1003,paid,EUR,19.00,4.50,5.00,2026-05-30 10:23:45 -0500,1,Mug,24.00,MUG,5.00"}, 1900, 500},
		{"a shipping discount", []string{
			"#1004,paid,EUR,24.00,0.00,4.50,2026-05-30 10:23:45 -0500,1,Mug,24.00,MUG,0.00"}, 2400, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := importShop(t)
			file := writeFile(t, "orders_export.csv", header+"\n"+strings.Join(tc.rows, "\n")+"\n")
			for range 2 { // a second import counts nothing again
				if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
					t.Fatal(err)
				}
			}
			lines, err := s.Sales(ctx, day(-20), day(1), "")
			if err != nil {
				t.Fatal(err)
			}
			var total, off domain.Money
			for _, l := range lines {
				total += l.Total()
				off += domain.Money(l.Qty) * l.Discount
			}
			if total != tc.total || off != tc.off {
				t.Errorf("booked %s with %s off; want %s with %s off (%+v)", total, off, tc.total, tc.off, lines)
			}
		})
	}
}

// An order's Subtotal that is not an amount is refused by name.
func TestAShopifySubtotalNotAnAmountIsRefused(t *testing.T) {
	s := importShop(t)
	header := "Name,Financial Status,Subtotal,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku"
	file := writeFile(t, "orders_export.csv", header+"\n#1001,paid,about 19,2026-05-30 10:23:45 -0500,1,Mug,24.00,MUG\n")
	before := content(t, s)
	_, err := s.Import(context.Background(), ImportRequest{Path: file})
	if err == nil || !strings.Contains(err.Error(), `the order's Subtotal "about 19" is not an amount like 19.00`) {
		t.Fatalf("a Subtotal of words: %v", err)
	}
	if content(t, s) != before {
		t.Error("a refused import changed the shop")
	}
}

// An imported kit of one part several times is taken at what the buyer
// paid: 2 PAIRs (2 MUGs) at 9.99 came to 19.96, 4 mugs at 4.99; now 19.98.
// The order names 2 PAIRs, and importing the file again adds nothing.
func TestAnImportedKitOfOnePartTwiceIsTakenAtItsPrice(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	if _, err := s.AddKit(ctx, "PAIR", "Pair of mugs", 999, []KitPartIn{{"MUG", 2}}); err != nil {
		t.Fatal(err)
	}
	header := "Name,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount"
	file := writeFile(t, "orders_export.csv", header+"\n#1001,paid,2026-05-30 10:23:45 -0500,2,Pair,9.99,PAIR,0.00\n")
	for range 2 {
		if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
			t.Fatal(err)
		}
	}
	totals, units := salesOf(t, s)
	if totals["#1001"] != 1998 || units["#1001"] != 2 {
		t.Errorf("#1001 comes to %s in %d units; want 2 PAIRs at 19.98", totals["#1001"], units["#1001"])
	}
	if got := mustStock(t, s, "MUG", s.AsOfNow()).OnHand; got != 1 {
		t.Errorf("MUG on hand %d after 2 PAIRs, imported twice; want 1", got)
	}
	orders, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{})
	if err != nil || len(orders) != 1 || strings.Join(orders[0].OrderLabels(), " ") != "PAIR×2" {
		t.Errorf("orders %+v, %v; want #1001 with PAIR×2", orders, err)
	}
}
