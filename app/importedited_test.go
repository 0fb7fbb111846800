package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// shopifyLine is a row of Shopify's orders export: a line of order name,
// its financial and fulfillment status on each row as an export made of
// one order per page can have them.
func shopifyLine(name, financial, fulfillment string, qty int, item, price, sku string) string {
	return strings.Join([]string{name, "jo@example.com", financial, "2026-05-30 10:23:45 -0500", fulfillment, "", "no", "EUR", "", "", "", "", "", "", "",
		"2026-05-30 10:23:45 -0500", fmt.Sprint(qty), item, price, "", sku, "true", "true", "pending", "Jo", "", "", "", "", "Kiln", "5551"}, ",")
}

func shopifyFile(t *testing.T, rows ...string) string {
	return writeFile(t, "orders_export.csv", shopifyHeader+"\n"+strings.Join(rows, "\n")+"\n")
}

// An order edited on Shopify after it was imported, a line's quantity
// lowered and another removed, is named line by line when its later
// export is imported, by a dry run too, until the maker voids the sales:
// the lines counted "already there", the shop kept 3 mugs sold where the
// buyer took 2, and a bowl the buyer no longer bought, without a word.
func TestAnOrderEditedSinceItsImportIsNamed(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	first := shopifyFile(t,
		shopifyLine("#1001", "paid", "unfulfilled", 3, "Mug", "24.00", "MUG"),
		shopifyLine("#1001", "", "", 1, "Bowl", "18.00", "BOWL"),
		shopifyLine("#1002", "paid", "unfulfilled", 1, "Mug", "24.00", "MUG"))
	if res, err := s.Import(ctx, ImportRequest{Path: first}); err != nil || res.Sales != 3 {
		t.Fatalf("the orders while open: %+v, %v", res, err)
	}
	if res, err := s.Import(ctx, ImportRequest{Path: first}); err != nil || len(res.Edited) != 0 || res.EditedNote() != "" {
		t.Fatalf("the same file again: edited %+v, %v; want none", res.Edited, err)
	}
	later := shopifyFile(t,
		shopifyLine("#1001", "paid", "unfulfilled", 2, "Mug", "24.00", "MUG"),
		shopifyLine("#1002", "paid", "unfulfilled", 1, "Mug", "24.00", "MUG"))
	want := []ImportEdited{
		{Order: "#1001", Held: EditedLine{"MUG", 3, 7200}, File: EditedLine{"MUG", 2, 4800}},
		{Order: "#1001", Held: EditedLine{"BOWL", 1, 1800}},
	}
	before := content(t, s)
	dry, err := s.Import(ctx, ImportRequest{Path: later, DryRun: true})
	if err != nil || !slices.Equal(dry.Edited, want) {
		t.Fatalf("a dry run of the edited order: %+v, %v; want %+v", dry.Edited, err, want)
	}
	if content(t, s) != before {
		t.Fatal("the dry run changed the shop")
	}
	res, err := s.Import(ctx, ImportRequest{Path: later})
	if err != nil || !slices.Equal(res.Edited, want) || res.Sales != 0 {
		t.Fatalf("the edited order: %+v, %v; want %+v and no sale", res.Edited, err, want)
	}
	note := "2 lines imported before are otherwise in this file, their orders edited since, but their sales still count as imported " +
		"(#1001: 3 MUG for 72.00 in the shop, 2 MUG for 48.00 in the file; #1001: 1 BOWL for 18.00 in the shop, none in the file): " +
		"void them and sell again what the file has, or record a return of what came back."
	if got := res.EditedNote(); got != note || dry.EditedNote() != note {
		t.Errorf("the note: %q\nwant %q", got, note)
	}
	sales, err := s.Sales(ctx, day(-300), day(1), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range sales {
		if l.Order == "#1001" {
			if err := s.VoidSale(ctx, l.ID, "order edited on Shopify"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if res, err := s.Import(ctx, ImportRequest{Path: later}); err != nil || len(res.Edited) != 0 {
		t.Errorf("once the order's sales are voided: edited %+v, %v; want none", res.Edited, err)
	}
}

// An Etsy line whose price the file has otherwise than the sale imported
// is named; a line whose coupon its units do not share evenly, imported
// as two sales, is the same line again, and one whose units and coupon
// both changed is named though its first sale alone looks the same.
func TestAnEtsyLineImportedOtherwiseIsNamed(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	coupon := func(row, off string) string { return strings.Replace(row, ",,,0,0,4.50,", ",,,"+off+",0,4.50,", 1) }
	first := writeFile(t, "etsy.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG"),
		coupon(etsyRow("05/20/26", "Bowl", 3, "3.67", "3002", "9002", "BOWL"), "0.01")))
	if res, err := s.Import(ctx, ImportRequest{Path: first}); err != nil || res.Sales != 2 {
		t.Fatalf("first import: %+v, %v", res, err)
	}
	if res, err := s.Import(ctx, ImportRequest{Path: first}); err != nil || len(res.Edited) != 0 {
		t.Fatalf("the same file again, a line of two sales among it: edited %+v, %v; want none", res.Edited, err)
	}
	later := writeFile(t, "etsy2.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "20.00", "3001", "9001", "MUG"),
		etsyRow("05/20/26", "Bowl", 2, "3.67", "3002", "9002", "BOWL")))
	res, err := s.Import(ctx, ImportRequest{Path: later})
	want := []ImportEdited{
		{Order: "9001", Held: EditedLine{"MUG", 1, 2400}, File: EditedLine{"MUG", 1, 2000}},
		{Order: "9002", Held: EditedLine{"BOWL", 3, 1100}, File: EditedLine{"BOWL", 2, 734}},
	}
	if err != nil || !slices.Equal(res.Edited, want) {
		t.Fatalf("the file with a price and a quantity changed: %+v, %v; want %+v", res.Edited, err, want)
	}
	if note := res.EditedNote(); !strings.Contains(note, "9001: 1 MUG for 24.00 in the shop, 1 MUG for 20.00 in the file") {
		t.Errorf("the note: %q", note)
	}
}

// A kit's line whose quantity changed is named by the kit, without what
// it came to: its sale is its parts', at their shares of the kit's price.
func TestAKitLineImportedOtherwiseIsNamed(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	if _, err := s.AddKit(ctx, "SET", "Mug and bowl", 3000, []KitPartIn{{"MUG", 1}, {"BOWL", 1}}); err != nil {
		t.Fatal(err)
	}
	first := shopifyFile(t, shopifyLine("#1001", "paid", "unfulfilled", 2, "Set", "30.00", "SET"))
	if _, err := s.Import(ctx, ImportRequest{Path: first}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Import(ctx, ImportRequest{Path: shopifyFile(t, shopifyLine("#1001", "paid", "unfulfilled", 1, "Set", "30.00", "SET"))})
	want := []ImportEdited{{Order: "#1001", Held: EditedLine{"SET", 2, -1}, File: EditedLine{"SET", 1, -1}}}
	if err != nil || !slices.Equal(res.Edited, want) {
		t.Fatalf("the kit's line edited: %+v, %v; want %+v", res.Edited, err, want)
	}
	if note := res.EditedNote(); !strings.Contains(note, "(#1001: 2 SET in the shop, 1 SET in the file)") {
		t.Errorf("the note: %q", note)
	}
}

// A partially refunded order counts whole, as the file does not say
// which line was refunded, and is named so the maker records the return:
// the import said nothing, and the refunded units stayed sold. A
// partially fulfilled order stays open: some of it is still to send.
func TestAPartlyRefundedOrderIsNamed(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	file := shopifyFile(t,
		shopifyLine("#1001", "partially_refunded", "partial", 1, "Mug", "24.00", "MUG"),
		shopifyLine("#1001", "", "", 1, "Bowl", "18.00", "BOWL"),
		shopifyLine("#1002", "paid", "fulfilled", 1, "Mug", "24.00", "MUG"))
	for _, dry := range []bool{true, false} {
		res, err := s.Import(ctx, ImportRequest{Path: file, DryRun: dry})
		if err != nil || res.Sales != 3 || !slices.Equal(res.PartlyRefunded, []string{"#1001"}) {
			t.Fatalf("dry run %v: %+v, %v; want 3 sales, #1001 partially refunded", dry, res, err)
		}
		want := "Order #1001 is partially refunded in this file and counts whole, since the file does not say which line was refunded: record a return of what came back, if not done yet."
		if note := res.PartlyRefundedNote(); note != want {
			t.Errorf("the note: %q\nwant %q", note, want)
		}
	}
	open, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true})
	if err != nil || orderNumbers(open) != "#1001" {
		t.Errorf("open orders %q, %v; want #1001, partially fulfilled, open and #1002 shipped", orderNumbers(open), err)
	}
}
