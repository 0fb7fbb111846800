package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"
)

// dropColumn is a CSV file's text without the named column, as an export
// whose columns were chosen, or a file edited in a spreadsheet, has it.
func dropColumn(t *testing.T, text, name string) string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	j := slices.Index(recs[0], name)
	if j < 0 {
		t.Fatalf("no column %q", name)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for _, r := range recs {
		w.Write(slices.Delete(r, j, j+1))
	}
	w.Flush()
	return b.String()
}

// A file without its shipped column (Etsy's Date Shipped, Shopify's
// Fulfillment Status) still imports, but says in one sentence that its
// orders are taken as not shipped yet: two years of history imported so
// became thousands of delayed orders without a word. A dry run says it
// too; a file that has the column, or whose orders are all cancelled or
// shipped already in the shop, leaves nothing open and says nothing.
func TestAFileThatDoesNotSayWhatShippedSaysSo(t *testing.T) {
	ctx := context.Background()
	etsy := crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/20/26", "Bowl", 1, "18.50", "3002", "9001", "BOWL"),
		etsyRow("05/21/26", "Mug", 1, "24.00", "3003", "9002", "MUG"))
	shopify := crlf(shopifyHeader,
		"#1001,jo@example.com,paid,2026-05-20 10:00:00 +0000,fulfilled,2026-05-21 16:30:00 +0000,no,EUR,24.00,0,0,24.00,,0,Post,2026-05-20 09:59:00 +0000,1,Mug,24.00,,MUG,true,true,fulfilled,Jo,,,,0,Kiln,1")
	for name, tc := range map[string]struct {
		file, want string
	}{
		"etsy":    {dropColumn(t, etsy, "Date Shipped"), "The file has no Date Shipped column, so it does not say which orders shipped: its 2 orders are taken as not shipped yet."},
		"shopify": {dropColumn(t, shopify, "Fulfillment Status"), "The file has no Fulfillment Status column, so it does not say which orders shipped: its 1 order is taken as not shipped yet."},
	} {
		s := importShop(t)
		file := writeFile(t, "orders.csv", tc.file)
		for _, dry := range []bool{true, false} {
			res, err := s.Import(ctx, ImportRequest{Path: file, DryRun: dry})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := res.ShippingUnknownNote(); got != tc.want {
				t.Errorf("%s, dry run %v: note %q; want %q", name, dry, got, tc.want)
			}
		}
		// The same file again: its orders are still open in the shop.
		if res, err := s.Import(ctx, ImportRequest{Path: file}); err != nil || res.ShippingUnknownNote() != tc.want {
			t.Errorf("%s again: note %q, %v; want %q", name, res.ShippingUnknownNote(), err, tc.want)
		}
	}

	s := importShop(t)
	for name, text := range map[string]string{
		"with the column": etsy,
		"cancelled only": dropColumn(t, crlf(etsyHeader+",Status",
			etsyRow("05/20/26", "Mug", 1, "24.00", "3101", "9101", "MUG")+",Cancelled"), "Date Shipped"),
	} {
		res, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "orders.csv", text)})
		if err != nil || res.ShippingUnknown != 0 || res.ShippingUnknownNote() != "" {
			t.Errorf("%s: %d orders, note %q, %v; want none", name, res.ShippingUnknown, res.ShippingUnknownNote(), err)
		}
	}
	// Order 9001 shipped by hand: the file leaves only 9002 open.
	if _, err := s.ShipOrder(ctx, ShipOrderRequest{Number: "9001", At: time.Date(2026, 5, 22, 12, 0, 0, 0, s.loc)}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "orders.csv", dropColumn(t, etsy, "Date Shipped"))})
	if want := "its 1 order is taken as not shipped yet"; err != nil || !strings.Contains(res.ShippingUnknownNote(), want) {
		t.Errorf("after 9001 shipped by hand: note %q, %v; want %q", res.ShippingUnknownNote(), err, want)
	}
}
