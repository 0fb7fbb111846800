package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An import says how much of the channel's discounts it takes off the
// sales, in words and as "discounts" in --json; the line it took them off
// comes to what the buyer paid in the sales list, the day and the margins:
// 3 × 3.67 with 0.01 off the line is 11.00, not 11.01.
func TestImportSaysWhatDiscountsTookOff(t *testing.T) {
	s := mugShop(t, "Mug", "3.67", "5")
	file := filepath.Join(t.TempDir(), "orders_export.csv")
	os.WriteFile(file, []byte("Name,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount\n"+
		"#1001,paid,2026-01-05 10:23:45 +0000,3,Mug,3.67,MUG,0.01\n"), 0o644)

	if out := s.ok("import", file, "--dry-run"); !strings.Contains(out, "It would take 0.01 of the channel's discounts off the sales.") {
		t.Errorf("dry run:\n%s\nwant it to say it would take 0.01 of discounts off", out)
	}
	var res struct {
		Sales     int
		Discounts string
	}
	s.json(&res, "import", file, "--dry-run")
	if res.Sales != 1 || res.Discounts != "0.01" {
		t.Errorf("dry run --json: %+v; want 1 sale, discounts 0.01", res)
	}
	if out := s.ok("import", file); !strings.Contains(out, "Took 0.01 of the channel's discounts off the sales.") {
		t.Errorf("import:\n%s\nwant it to say it took 0.01 of discounts off", out)
	}
	s.json(&res, "import", file)
	if res.Sales != 0 || res.Discounts != "0.00" {
		t.Errorf("the file again --json: %+v; want no sale, nothing taken off", res)
	}

	units, cents := 0, 0
	for _, l := range s.objects("sales", "--from", "2026-01-05", "--to", "2026-01-05") {
		qty := int(l["qty"].(float64))
		var whole, frac int
		if _, err := fmt.Sscanf(l["price"].(string), "%d.%d", &whole, &frac); err != nil {
			t.Fatal(err)
		}
		units += qty
		cents += qty * (whole*100 + frac)
	}
	if units != 3 || cents != 1100 {
		t.Errorf("sales list: %d units coming to %d cents; want 3 coming to 11.00", units, cents)
	}
	if d := s.object("day", "2026-01-05"); d["total"] != "11.00" || d["discounts"] != "0.01" || d["units"].(float64) != 3 || d["orders"].(float64) != 1 {
		t.Errorf("day: %v; want 11.00 taken, 0.01 of discounts, 3 units in 1 order", d)
	}
	m := s.objects("margins", "--as-of", "2026-01-10")
	if len(m) != 1 || m[0]["revenue"] != "11.00" || m[0]["units"].(float64) != 3 {
		t.Errorf("margins: %v; want MUG's 3 units at 11.00", m)
	}
	if o := s.objects("orders", "--as-of", "2026-01-10"); len(o) != 1 || len(o[0]["items"].([]any)) != 1 || o[0]["items"].([]any)[0].(obj)["qty"].(float64) != 3 {
		t.Errorf("orders: %v; want #1001 with one item, MUG × 3", o)
	}
}

// A products file that adds SKUs without --path is refused naming them
// all and the flags that add them; without --factory, naming that flag.
func TestImportOfAProductsFileSaysHowToAddItsSKUs(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln", "--kind", "microfactory", "--lead-days", "14", "--established")
	file := filepath.Join(t.TempDir(), "products_export.csv")
	os.WriteFile(file, []byte("Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price\n"+
		"tote,Tote,Colour,Black,TOTE-BLK,5,20.00\n"+
		"tote,,,Natural,TOTE-NAT,8,20.00\n"), 0o644)
	r := s.run("import", file)
	if r.code == 0 || !strings.Contains(r.stderr, "TOTE-BLK, TOTE-NAT") || !strings.Contains(r.stderr, "--path") || !strings.Contains(r.stderr, "--factory NAME") {
		t.Errorf("without --path: exit %d, %q; want both SKUs named, and --path and --factory", r.code, r.stderr)
	}
	r = s.run("import", file, "--path", "microfactory")
	if r.code == 0 || !strings.Contains(r.stderr, "needs a primary factory") || !strings.Contains(r.stderr, "--factory") {
		t.Errorf("without --factory: exit %d, %q; want --factory asked for", r.code, r.stderr)
	}
	// Said in SKUs alone: it said "0 sales" and "0 skipped" of a file that
	// holds no order.
	if out := s.ok("import", file, "--path", "microfactory", "--factory", "Kiln"); !strings.Contains(out, "2 SKUs added") || strings.Contains(out, "sales") || strings.Contains(out, "skipped") {
		t.Errorf("with both: %q; want 2 SKUs added, and no word of sales", out)
	}
	if out := s.ok("import", file, "--update"); !strings.Contains(out, "0 SKUs added, 0 updated, 2 already there") {
		t.Errorf("again with --update: %q; want its 2 SKUs there already", out)
	}
}

// An Etsy listing whose SKUs the file does not pair with its variations
// is named after the import, and under --json as unnamed_variants.
func TestImportNamesEtsyListingsWithoutVariants(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Workshop", "--kind", "workshop", "--lead-days", "7", "--established")
	file := filepath.Join("..", "..", "app", "testdata", "EtsyListingsDownload_variations.csv")
	if out := s.ok("import", file, "--path", "handmade", "--factory", "Workshop", "--dry-run"); !strings.Contains(out,
		"The SKUs of 1 listing have no variant: the file lists a different number of SKUs than of variants, so it does not say which SKU is which: Fox risograph art print (line 5).") {
		t.Errorf("the import does not name the listing without variants:\n%s", out)
	}
	res := s.object("import", file, "--path", "handmade", "--factory", "Workshop")
	if got := res["unnamed_variants"]; len(got.([]any)) != 1 || got.([]any)[0] != "Fox risograph art print (line 5)" {
		t.Errorf("unnamed_variants %v; want the art print", got)
	}
}

// Two variants of one product share its name: sku list, sku show, stock
// and reorder show each SKU's variant after it, and their --json gain a
// variant key beside the name as it is; a SKU without one shows its name.
func TestSKUsShowTheirVariant(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Workshop", "--kind", "workshop", "--lead-days", "7", "--established")
	file := filepath.Join("..", "..", "app", "testdata", "EtsyListingsDownload_variations.csv")
	s.ok("import", file, "--path", "handmade", "--factory", "Workshop")
	s.ok("sell", "MUG-L", "--qty", "3", "--force")
	for _, args := range [][]string{{"sku", "list"}, {"sku", "show", "MUG-L"}, {"stock"}, {"stock", "MUG-L"}} {
		if out := s.ok(args...); !strings.Contains(out, "Speckled stoneware mug (Large)") {
			t.Errorf("%v:\n%s\nwant MUG-L's variant after its name", args, out)
		}
	}
	if out := s.ok("stock", "PRINT-FOX-M"); strings.Contains(out, "(") {
		t.Errorf("stock of a SKU without a variant:\n%s\nwant its name alone", out)
	}
	large := obj{"code": "MUG-L", "name": "Speckled stoneware mug", "variant": "Large"}
	checkFields(t, "sku show --json", s.object("sku", "show", "MUG-L"), large)
	checkFields(t, "stock --json", s.objects("stock", "MUG-L")[0], large)
	checkFields(t, "reorder --json", s.objects("reorder")[0], large)
	checkFields(t, "sku list --json", s.objects("sku", "list")[0], obj{"code": "CAL-27", "variant": ""})
	po := s.object("po", "Workshop", "--out", filepath.Join(t.TempDir(), "po.csv"))
	checkFields(t, "po --json", obj(po["lines"].([]any)[0].(map[string]any)), large)
}

// An order edited on Shopify since its import, and one partially
// refunded, are named by the import's text, by a dry run the same, and
// in --json as "edited" and "partially_refunded": the lines counted
// "already there", the shop kept what the buyer no longer took.
func TestImportNamesOrdersEditedOrPartlyRefunded(t *testing.T) {
	s := mugShop(t, "Mug", "24", "9")
	header := "Name,Financial Status,Fulfillment Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n"
	write := func(name, rows string) string {
		file := filepath.Join(t.TempDir(), name)
		os.WriteFile(file, []byte(header+rows), 0o644)
		return file
	}
	s.ok("import", write("orders_export.csv", "#1001,paid,unfulfilled,2026-01-05 10:23:45 +0000,3,Mug,24.00,MUG\n"))
	later := write("orders_export_1.csv", "#1001,paid,unfulfilled,2026-01-05 10:23:45 +0000,2,Mug,24.00,MUG\n"+
		"#1002,partially_refunded,fulfilled,2026-01-06 10:23:45 +0000,1,Mug,24.00,MUG\n")
	edited := "A line imported before is otherwise in this file, its order edited since, but its sale still counts as imported (#1001: 3 MUG for 72.00 in the shop, 2 MUG for 48.00 in the file)"
	for _, args := range [][]string{{"import", later, "--dry-run"}, {"import", later}} {
		out := s.ok(args...)
		if !strings.Contains(out, edited) || !strings.Contains(out, "Order #1002 is partially refunded in this file and counts whole") {
			t.Errorf("%v:\n%s\nwant #1001's line and #1002 named", args, out)
		}
	}
	var res struct {
		Edited []struct {
			Order, Code, Total string
			Qty                int
			FileCode           string `json:"file_code"`
			FileQty            int    `json:"file_qty"`
			FileTotal          string `json:"file_total"`
		}
		PartlyRefunded []string `json:"partially_refunded"`
	}
	s.json(&res, "import", later, "--dry-run")
	if len(res.Edited) != 1 || res.Edited[0].Order != "#1001" || res.Edited[0].Qty != 3 || res.Edited[0].Total != "72.00" ||
		res.Edited[0].FileCode != "MUG" || res.Edited[0].FileQty != 2 || res.Edited[0].FileTotal != "48.00" ||
		len(res.PartlyRefunded) != 1 || res.PartlyRefunded[0] != "#1002" {
		t.Errorf("--json: %+v; want #1001's line edited, #1002 partially refunded", res)
	}
}

// A file without its shipped column says, in the text and as
// "shipping_unknown" in --json, that its orders are taken as not shipped
// yet, for a dry run as for the import: two years of orders imported so
// became thousands of delayed orders without a word.
func TestImportSaysAFileDoesNotSayWhatShipped(t *testing.T) {
	s := mugShop(t, "Mug", "24", "9")
	file := filepath.Join(t.TempDir(), "EtsySoldOrderItems.csv")
	os.WriteFile(file, []byte("Sale Date,Item Name,Quantity,Price,Transaction ID,Order ID,SKU\n"+
		"01/05/26,Mug,1,24.00,3001,9001,MUG\n01/06/26,Mug,1,24.00,3002,9002,MUG\n"), 0o644)
	want := "The file has no Date Shipped column, so it does not say which orders shipped: its 2 orders are taken as not shipped yet."
	var res struct {
		ShippingUnknown int `json:"shipping_unknown"`
	}
	s.json(&res, "import", file, "--dry-run")
	if res.ShippingUnknown != 2 {
		t.Errorf("dry run --json: %+v; want 2 orders of unknown shipping", res)
	}
	for _, args := range [][]string{{"import", file, "--dry-run"}, {"import", file}} {
		if out := s.ok(args...); !strings.Contains(out, want) {
			t.Errorf("%v:\n%s\nwant %q", args, out, want)
		}
	}
}
