package app

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// etsyHeader is the header of Etsy's "Sold Order Items" CSV, as Etsy
// exports it (Shop Manager > Settings > Options > Download Data).
const etsyHeader = "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,Discount Amount,Shipping Discount,Order Shipping,Order Sales Tax,Item Total,Currency,Transaction ID,Listing ID,Date Paid,Date Shipped,Ship Name,Ship Address1,Ship Address2,Ship City,Ship State,Ship Zipcode,Ship Country,Order ID,Variations,Order Type,Listings Type,Payment Type,InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU"

func etsyRow(date, name string, qty int, price, txn, order, sku string) string {
	return fmt.Sprintf(`%s,%s,Jo Buyer,%d,%s,,,0,0,4.50,0,%s,EUR,%s,1234567,%s,,Jo Buyer,"1 Main St, Flat 2",,Leeds,,LS1 1AA,United Kingdom,%s,,online,listing,online_cc,,,0,%s`,
		date, name, qty, price, price, txn, date, order, sku)
}

// shopifyHeader is the header of Shopify's orders export.
const shopifyHeader = "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Notes,Cancelled at,Payment Method,Refunded Amount,Vendor,Id"

func importShop(t testing.TB) *Shop {
	t.Helper()
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Kiln")
	mustSKU(t, s, "BOWL", domain.PathMicrofactory, "Kiln")
	for _, code := range []string{"MUG", "BOWL"} {
		if _, err := s.Count(ctx, code, 5, day(-30)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// crlf joins lines as a Windows export does, with a byte-order mark.
func crlf(lines ...string) string { return "\ufeff" + strings.Join(lines, "\r\n") + "\r\n" }

func TestImportEtsyOrdersOnceAcrossDevices(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	file := writeFile(t, "EtsySoldOrderItems2026-5.csv", crlf(etsyHeader,
		etsyRow("05/20/26", `"Mug, blue ""glazed""`+"\r\n"+`350 ml"`, 2, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/20/26", "Bowl", 1, "18.50", "3002", "9001", "BOWL"),
		etsyRow("05/21/26", "Mug", 6, "24.00", "3003", "9002", "MUG")))
	res, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatEtsyOrders || res.Rows != 3 || res.Sales != 3 || res.Duplicates != 0 {
		t.Fatalf("import: %+v", res)
	}
	if got := mustStock(t, s, "MUG", s.AsOfNow()); got.Available != -3 || got.Status != domain.StatusOversold {
		t.Errorf("MUG after selling 8 of 5 on Etsy: available %d, status %s; want -3, oversold", got.Available, got.Status)
	}
	lines, err := s.Sales(ctx, day(-20), day(1), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 3 {
		t.Fatalf("sales: %+v", lines)
	}
	for _, l := range lines {
		if l.Channel != "etsy" || l.Payment != domain.PaymentOther || l.At.Hour() != 12 || (l.Order != "9001" && l.Order != "9002") {
			t.Errorf("sale %+v: want channel etsy, payment other, at noon, its order id", l)
		}
	}
	again, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil || again.Sales != 0 || again.Duplicates != 3 {
		t.Fatalf("importing again: %+v, %v; want 3 duplicates", again, err)
	}
	// A device that has not yet synced the SKUs refuses the file; once
	// synced, it finds every line already imported.
	r := mustReplica(t, s, s.now)
	if res, err := r.Import(ctx, ImportRequest{Path: file}); err == nil || res.Sales != 0 {
		t.Fatalf("a replica without the SKUs: %+v, %v; want refused", res, err)
	}
	syncPair(t, r, s)
	if res, err := r.Import(ctx, ImportRequest{Path: file}); err != nil || res.Duplicates != 3 || res.Sales != 0 {
		t.Fatalf("the replica after sync: %+v, %v; want 3 duplicates", res, err)
	}
	if got := mustStock(t, r, "MUG", r.AsOfNow()).Available; got != -3 {
		t.Errorf("MUG on the second replica: %d, want -3", got)
	}
}

func TestImportedLinesFromTwoDevicesCountOnce(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	r := mustReplica(t, s, s.now)
	syncPair(t, s, r)
	file := writeFile(t, "orders.csv", crlf(etsyHeader, etsyRow("05/20/26", "Mug", 2, "24.00", "3001", "9001", "MUG")))
	for _, shop := range []*Shop{s, r} {
		if res, err := shop.Import(ctx, ImportRequest{Path: file}); err != nil || res.Sales != 1 {
			t.Fatalf("import: %+v, %v", res, err)
		}
	}
	syncPair(t, s, r)
	for _, shop := range []*Shop{s, r} {
		if got := mustStock(t, shop, "MUG", shop.AsOfNow()).Available; got != 3 {
			t.Errorf("MUG after one Etsy sale of 2 imported on both devices: %d available, want 3", got)
		}
	}
}

func TestImportShopifyOrders(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	row := func(name, fin, created, qty, item, price, sku, cancelled string) string {
		return strings.Join([]string{name, "jo@example.com", fin, created, "unfulfilled", "", "no", "EUR", "", "", "", "", "", "", "",
			created, qty, item, price, "", sku, "true", "true", "pending", "Jo", "", cancelled, "", "", "Kiln", "5551"}, ",")
	}
	file := writeFile(t, "orders_export.csv", strings.Join([]string{shopifyHeader,
		row("#1001", "paid", "2026-05-30 10:23:45 -0500", "1", "Mug", "24.00", "MUG", ""),
		row("#1001", "", "", "2", `"Bowl, large"`, "18.00", "BOWL", ""),
		row("#1002", "voided", "2026-05-30 11:00:00 -0500", "1", "Mug", "24.00", "MUG", ""),
		row("#1003", "paid", "2026-05-31 09:00:00 +0100", "1", "Mug", "24.00", "MUG", "2026-05-31 10:00:00 +0100"),
	}, "\n")+"\n")
	res, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatShopifyOrders || res.Sales != 2 || res.Skipped != 2 {
		t.Fatalf("import: %+v; want 2 sales, the voided and the cancelled order skipped", res)
	}
	lines, _ := s.Sales(ctx, day(-20), day(1), "")
	want := time.Date(2026, 5, 30, 15, 23, 45, 0, time.UTC)
	for _, l := range lines {
		if l.Order != "#1001" || l.Channel != "shopify" || !l.At.Equal(want) {
			t.Errorf("sale %+v: want order #1001 on shopify at %s", l, want)
		}
	}
	if id := importedSaleID(s.ShopID(), "shopify", "#1001/2"); lines[0].ID != id && lines[1].ID != id {
		t.Errorf("the second line's id is not derived from #1001 and its position 2")
	}
}

func TestImportRefusesBadRowsWithTheirLines(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	before := content(t, s)
	file := writeFile(t, "orders.csv", crlf(etsyHeader,
		etsyRow("05/20/26", `"two`+"\r\n"+`lines"`, 1, "24.00", "3001", "9001", "MUG"), // lines 2-3
		etsyRow("05/20/26", "Cup", 1, "9.00", "3002", "9001", "CUP"),                   // line 4: unknown
		etsyRow("2026-05-20", "Mug", 1, "24.00", "3003", "9002", "MUG"),                // line 5: date
		etsyRow("05/20/26", "Mug", -1, "24.00", "3004", "9003", "MUG"),                 // line 6: quantity
		etsyRow("05/20/26", "Mug", 1, "lots", "3005", "9003", "MUG"),                   // line 7: price
		etsyRow("05/20/30", "Mug", 1, "24.00", "3006", "9004", "MUG")))                 // line 8: in the future
	res, err := s.Import(ctx, ImportRequest{Path: file})
	if err == nil {
		t.Fatal("a file with bad rows was imported")
	}
	var got []int
	for _, e := range res.Errors {
		got = append(got, e.Line)
	}
	if slices.Sort(got); fmt.Sprint(got) != "[4 5 6 7 8]" {
		t.Errorf("bad lines %v, want 4 to 8; errors %+v", got, res.Errors)
	}
	for _, want := range []string{"orders.csv", "line 4", "CUP", "line 5", "2026-05-20", "line 6", "from 1 to 1000000", "line 7", "line 8"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if content(t, s) != before {
		t.Fatal("a refused import changed the shop")
	}
	// The unknown SKU alone: mapped, or skipped.
	file = writeFile(t, "orders.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/20/26", "Cup", 1, "9.00", "3002", "9001", "CUP")))
	dry, err := s.Import(ctx, ImportRequest{Path: file, DryRun: true, SkipUnknown: true})
	if err != nil || dry.Sales != 1 || dry.Skipped != 1 || !dry.DryRun {
		t.Fatalf("dry run with skip-unknown: %+v, %v", dry, err)
	}
	if content(t, s) != before {
		t.Fatal("a dry run changed the shop")
	}
	// A map to a code the shop does not sell is a typo, even when unknown
	// lines are skipped: their sales would be lost without a word.
	mustSKU(t, s, "OLD", domain.PathDigital, "")
	if err := s.ArchiveSKU(ctx, "OLD"); err != nil {
		t.Fatal(err)
	}
	before = content(t, s)
	for to, want := range map[string]string{"BOWLL": "no SKU \"BOWLL\"", "OLD": "OLD\", which is archived"} {
		_, err := s.Import(ctx, ImportRequest{Path: file, DryRun: true, SkipUnknown: true, Map: map[string]string{"CUP": to}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CUP mapped to %s: %v, want a refusal saying %s", to, err, want)
		}
	}
	if content(t, s) != before {
		t.Fatal("a refused map changed the shop")
	}
	mapped, err := s.Import(ctx, ImportRequest{Path: file, Map: map[string]string{"CUP": "BOWL"}})
	if err != nil || mapped.Sales != 2 {
		t.Fatalf("with CUP mapped to BOWL: %+v, %v", mapped, err)
	}
	if got := mustStock(t, s, "BOWL", s.AsOfNow()).Available; got != 4 {
		t.Errorf("BOWL after the mapped CUP sale: %d, want 4", got)
	}
}

func TestImportRefusesMalformedFiles(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	before := content(t, s)
	var big strings.Builder
	big.WriteString(etsyHeader + "\n")
	for i := range 100000 {
		date := "05/20/26"
		if i == 76543 {
			date = "13/45/26"
		}
		big.WriteString(etsyRow(date, "Mug", 1, "24.00", fmt.Sprint(100000+i), fmt.Sprint(i/3), "MUG") + "\n")
	}
	for name, tc := range map[string]struct{ content, want string }{
		"empty":     {"", "is empty"},
		"only BOM":  {"\ufeff\r\n", "is empty"},
		"binary":    {"PK\x03\x04\x00\x00\x08\x00garbage\xff\xfe", "not a CSV text file: line 1"},
		"not CSV":   {"Sale Date,Quantity\nthis \"is\" prose, not \"a table\n", "line 2"},
		"header":    {"Date,Thing,Amount\n05/20/26,Mug,1\n", "header (line 1)"},
		"truncated": {etsyHeader + "\n" + etsyRow("05/20/26", `"Mug, cut off`, 1, "24.00", "1", "1", "MUG")[:40] + "\n", "line 2: a quote is left open"},
		"short row": {etsyHeader + "\n05/20/26,Mug,Jo\n" + etsyRow("05/20/26", "Mug", 1, "24.00", "1", "1", "MUG") + "\n", "line 2: it has a different number of fields"},
		// A file cut off at the end of a row that is not quoted: its last
		// line is short, and the message said only "a different number of
		// fields", no word of the file being cut off.
		"cut off":   {etsyHeader + "\n" + etsyRow("05/20/26", "Mug", 1, "24.00", "1", "1", "MUG") + "\n" + etsyRow("05/21/26", "Mug", 1, "24.00", "2", "2", "MUG")[:30], "line 3 is shorter than the header and ends the file: the file looks cut off"},
		"no rows":   {etsyHeader + "\n", "no rows"},
		"SKU twice": {etsyHeader + ",sku\n" + etsyRow("05/20/26", "Mug", 1, "24.00", "1", "1", "MUG") + ",CUP\n", `column "sku" twice in its header (columns 33 and 34)`},
		"100k":      {big.String(), "line 76545"},
	} {
		file := writeFile(t, "f.csv", tc.content)
		_, err := s.Import(ctx, ImportRequest{Path: file})
		if err == nil || !strings.Contains(err.Error(), "f.csv") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one naming f.csv and %q", name, err, tc.want)
		}
	}
	dir := filepath.Join(t.TempDir(), "exports.csv")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, ImportRequest{Path: dir}); err == nil || !strings.Contains(err.Error(), "exports.csv\" is a folder") {
		t.Errorf("a folder: error %v; want one saying exports.csv is a folder", err)
	}
	if content(t, s) != before {
		t.Fatal("a malformed file changed the shop")
	}
}

// A long import tells how far it is, in steps, ending at all of it.
func TestImportReportsProgress(t *testing.T) {
	s := importShop(t)
	lines := []string{etsyHeader}
	for i := range 4500 {
		lines = append(lines, etsyRow("05/20/26", "Mug", 1, "24.00", fmt.Sprint(10000+i), fmt.Sprint(20000+i), "MUG"))
	}
	var seen [][2]int
	res, err := s.Import(context.Background(), ImportRequest{Path: writeFile(t, "big.csv", crlf(lines...)),
		Progress: func(done, total int) { seen = append(seen, [2]int{done, total}) }})
	if err != nil || res.Sales != 4500 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	if len(seen) != 3 || seen[0] != [2]int{2000, 4500} || seen[2] != [2]int{4500, 4500} {
		t.Fatalf("progress %v; want 2000, 4000 and 4500 of 4500", seen)
	}
}

// One bad row is "1 row", in the sentence a maker reads.
func TestOneRefusedRowIsCountedInWords(t *testing.T) {
	s := importShop(t)
	file := writeFile(t, "sold.csv", crlf(etsyHeader, etsyRow("05/20/26", "Cup", 1, "9.00", "3001", "9001", "CUP")))
	_, err := s.Import(context.Background(), ImportRequest{Path: file})
	if err == nil || !strings.Contains(err.Error(), "1 row cannot be imported") {
		t.Fatalf("one unknown SKU: %v; want \"1 row cannot be imported\"", err)
	}
}

// A large import takes a larger page cache, and no checkpoint in its
// commit, while it writes; the writer's connection has its own settings
// back once the import is done, so every later write keeps the cache as
// small, and the write-ahead log as bounded, as the writer keeps them.
func TestImportGivesTheWritersSettingsBack(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	file := writeFile(t, "orders.csv", crlf(etsyHeader, etsyRow("05/20/26", "Mug", 2, "24.00", "3001", "9001", "MUG")))
	if res, err := s.Import(ctx, ImportRequest{Path: file}); err != nil || res.Sales != 1 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	var kib int
	if err := s.writer.conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&kib); err != nil {
		t.Fatal(err)
	}
	if want := -8192; kib != want {
		t.Fatalf("the writer's cache after an import: %d, want %d as writerSettings sets it", kib, want)
	}
	var pages int
	if err := s.writer.conn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if want := 8192; pages != want {
		t.Fatalf("the writer's auto-checkpoint after an import: %d pages, want %d as writerSettings sets it", pages, want)
	}
}

// A kit sold on a channel takes its parts from stock, as one sold at the
// till does, at prices that add up to the line's, and is listed as the
// kit's line; imported again, or on another device, it counts once;
// voiding it puts every part back. Its
// line was recorded as a sale of the kit itself, which has no stock: the
// parts' stock, rates and margins never saw it.
func TestAnImportedKitSellsItsParts(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	if _, err := s.AddKit(ctx, "SET", "Mug and bowl", 3000, []KitPartIn{{"MUG", 1}, {"BOWL", 2}}); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "orders.csv", crlf(etsyHeader, etsyRow("05/20/26", "Set", 2, "30.00", "3001", "9001", "SET")))
	for range 2 {
		if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
			t.Fatal(err)
		}
	}
	for code, want := range map[string]int{"MUG": 3, "BOWL": 1} {
		if got := mustStock(t, s, code, s.AsOfNow()).OnHand; got != want {
			t.Errorf("%s: %d on hand after an imported sale of 2 sets, want %d", code, got, want)
		}
	}
	lines, err := s.Sales(ctx, day(-20), day(1), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Code != "SET" || lines[0].Qty != 2 || lines[0].Total() != 6000 {
		t.Errorf("sales %+v: want one line of 2 SET coming to 60.00, as the order had it", lines)
	}
	if err := s.VoidSale(ctx, lines[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	for code := range map[string]bool{"MUG": true, "BOWL": true} {
		if got := mustStock(t, s, code, s.AsOfNow()).OnHand; got != 5 {
			t.Errorf("%s: %d on hand after the imported set was voided, want 5", code, got)
		}
	}
}

// Two lines of a file under one key (Etsy's Transaction ID) that say
// different things are refused, naming both lines: the second was counted
// as "already there" and its units never recorded.
func TestAKeyRepeatedWithOtherContentIsRefused(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	before := content(t, s)
	file := writeFile(t, "orders.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/20/26", "Bowl", 3, "18.00", "3001", "9001", "BOWL"),
		etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG"))) // the first again: harmless
	res, err := s.Import(ctx, ImportRequest{Path: file})
	if err == nil || len(res.Errors) != 1 || res.Errors[0].Line != 3 || !strings.Contains(res.Errors[0].Message, "line 2") {
		t.Fatalf("import: %v, errors %+v; want line 3 refused, naming line 2", err, res.Errors)
	}
	if content(t, s) != before {
		t.Fatal("the refused import changed the shop")
	}
}

// An imported kit whose parts come to more units than a line can hold is
// refused naming the file's line, and the import changes nothing.
func TestAnImportedKitTooLargeNamesItsLine(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	if _, err := s.AddKit(ctx, "SET", "Mug and bowl", 3000, []KitPartIn{{"MUG", 1}, {"BOWL", 1000}}); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "orders.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "12.00", "3001", "9001", "MUG"),
		etsyRow("05/20/26", "Set", 2000, "30.00", "3002", "9002", "SET")))
	before := content(t, s)
	_, err := s.Import(ctx, ImportRequest{Path: file})
	if err == nil || !strings.Contains(domain.ErrorMessage(err), "line 3: ") {
		t.Fatalf("import: %v, want a refusal naming line 3", err)
	}
	if content(t, s) != before {
		t.Error("a refused import changed the shop")
	}
}

// A Shopify line's discount comes off its price, as a basket's discount at
// the till does: the takings, the margins and the close of the day count
// what the buyer paid. 2 mugs at 24.00 with 6.00 off the line are 21.00
// each, 3.00 of discount a unit; a discount beyond the line is refused.
func TestShopifyLineDiscountsComeOffThePrice(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	header := "Name,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount"
	file := writeFile(t, "orders_export.csv", header+"\n#1001,paid,2026-05-30 10:23:45 -0500,2,Mug,24.00,MUG,6.00\n")
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	lines, err := s.Sales(ctx, day(-20), day(1), "")
	if err != nil || len(lines) != 1 || lines[0].Price != 2100 || lines[0].Discount != 300 || lines[0].Total() != 4200 {
		t.Fatalf("sales %+v %v; want 2 × 21.00 with 3.00 off each", lines, err)
	}
	before := content(t, s)
	bad := writeFile(t, "bad.csv", header+"\n#1002,paid,2026-05-30 10:23:45 -0500,1,Mug,24.00,MUG,30.00\n")
	if _, err := s.Import(ctx, ImportRequest{Path: bad}); err == nil || !strings.Contains(err.Error(), `"30.00"`) {
		t.Fatalf("a discount beyond the line: %v", err)
	}
	if content(t, s) != before {
		t.Error("a refused import changed the shop")
	}
}

// Two Shopify exports joined into one file (or one saved over a part of
// the other) hold an order twice, each block whole: it is one order.
func TestAShopifyOrderRepeatedInAFileCountsOnce(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	header := "Name,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku"
	order := "#1001,paid,2026-05-30 10:23:45 -0500,1,Mug,24.00,MUG\n#1001,,,2,Bowl,18.00,BOWL\n"
	other := "#1002,paid,2026-05-30 11:00:00 -0500,1,Mug,24.00,MUG\n"
	file := writeFile(t, "orders_export.csv", header+"\n"+order+other+order)
	res, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := s.Sales(ctx, day(-20), day(1), "")
	units := 0
	for _, l := range lines {
		units += l.Qty
	}
	if len(lines) != 3 || units != 4 || res.Sales != 3 {
		t.Fatalf("%d lines of %d units (import %+v); want #1001's 2 lines and #1002's, 4 units", len(lines), units, res)
	}
}

// A listing sold without a SKU on the channel is mapped by its item's
// name, the one thing its lines say of it; unmapped, the refusal names it.
func TestALineWithoutASKUIsMappedByItsName(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	file := writeFile(t, "orders.csv", crlf(etsyHeader, etsyRow("05/20/26", "Speckled mug", 2, "24.00", "3001", "9001", "")))
	before := content(t, s)
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err == nil || !strings.Contains(err.Error(), `the item "Speckled mug" has no SKU`) {
		t.Fatalf("an unmapped line without a SKU: %v; want it refused, naming the item", err)
	}
	if content(t, s) != before {
		t.Fatal("a refused import changed the shop")
	}
	if _, err := s.Import(ctx, ImportRequest{Path: file, Map: map[string]string{"Speckled mug": "MUG"}}); err != nil {
		t.Fatal(err)
	}
	if got := mustStock(t, s, "MUG", s.AsOfNow()).OnHand; got != 3 {
		t.Errorf("MUG: %d on hand after 2 sold by the item's name; want 3", got)
	}
}

// A refused import names what to map, each once, as the map must name it:
// the channel's SKU, or the item's name for a line without one. Mapping
// exactly those takes the file.
func TestARefusedImportNamesWhatToMap(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	file := writeFile(t, "orders.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Cup", 1, "9.00", "3001", "9001", "CUP"),
		etsyRow("05/20/26", "Speckled mug", 2, "24.00", "3002", "9001", ""),
		etsyRow("05/21/26", "Cup", 1, "9.00", "3003", "9002", "CUP"),
		etsyRow("05/21/26", "Mug", 1, "24.00", "3004", "9002", "MUG")))
	res, err := s.Import(ctx, ImportRequest{Path: file, DryRun: true})
	if err == nil || !slices.Equal(res.Unmapped, []string{"CUP", "Speckled mug"}) {
		t.Fatalf("unmapped %q (%v); want CUP and the item Speckled mug, once each", res.Unmapped, err)
	}
	m := map[string]string{}
	for _, theirs := range res.Unmapped {
		m[theirs] = "MUG"
	}
	res, err = s.Import(ctx, ImportRequest{Path: file, DryRun: true, Map: m})
	if err != nil || len(res.Unmapped) != 0 || res.Sales != 4 {
		t.Fatalf("mapped: %+v, %v; want all 4 lines taken", res, err)
	}
	// Left out, they are named the same way, for a map to take them in
	// instead; one mapped is no longer left out.
	res, err = s.Import(ctx, ImportRequest{Path: file, DryRun: true, SkipUnknown: true})
	if err != nil || len(res.Unmapped) != 0 || !slices.Equal(res.LeftOut, []string{"CUP", "Speckled mug"}) || res.Sales != 1 {
		t.Fatalf("left out %q, unmapped %q, %d sales (%v); want CUP and Speckled mug left out, 1 sale", res.LeftOut, res.Unmapped, res.Sales, err)
	}
	res, err = s.Import(ctx, ImportRequest{Path: file, DryRun: true, SkipUnknown: true, Map: map[string]string{"Speckled mug": "MUG"}})
	if err != nil || !slices.Equal(res.LeftOut, []string{"CUP"}) || res.Sales != 2 {
		t.Fatalf("with Speckled mug mapped: left out %q, %d sales (%v); want CUP left out, 2 sales", res.LeftOut, res.Sales, err)
	}
}

// The lines left out as asked are counted and named, a SKU as it is and
// an item without one by its name, quoted; the lines of a cancelled
// order are counted apart, as skipped: both were one "skipped" figure,
// with nothing to say what was left out.
func TestTheLinesLeftOutAreCountedAndNamed(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	cancelled := etsyHeader + ",Status"
	row := func(r, status string) string { return r + "," + status }
	file := writeFile(t, "orders.csv", crlf(cancelled,
		row(etsyRow("05/20/26", "Cup", 1, "9.00", "3001", "9001", "CUP"), ""),
		row(etsyRow("05/20/26", "Speckled mug", 2, "24.00", "3002", "9001", ""), ""),
		row(etsyRow("05/21/26", "Cup", 1, "9.00", "3003", "9002", "CUP"), ""),
		row(etsyRow("05/21/26", "Mug", 1, "24.00", "3004", "9002", "MUG"), ""),
		row(etsyRow("05/22/26", "Mug", 1, "24.00", "3005", "9003", "MUG"), "Canceled")))
	for _, tc := range []struct {
		name       string
		m          map[string]string
		lines      int
		note, skip string
	}{
		{"both", nil, 3, `Left out 3 lines of 1 SKU the shop lacks and 1 item without a SKU: CUP, "Speckled mug".`, "1 skipped as cancelled or refunded"},
		{"the SKU", map[string]string{"Speckled mug": "MUG"}, 2, "Left out 2 lines of 1 SKU the shop lacks: CUP.", "1 skipped as cancelled or refunded"},
		{"the item", map[string]string{"CUP": "MUG"}, 1, `Left out 1 line of 1 item without a SKU: "Speckled mug".`, "1 skipped as cancelled or refunded"},
		{"none", map[string]string{"CUP": "MUG", "Speckled mug": "MUG"}, 0, "", "1 skipped"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Import(ctx, ImportRequest{Path: file, DryRun: true, SkipUnknown: true, Map: tc.m})
			if err != nil {
				t.Fatal(err)
			}
			if res.LeftOutLines != tc.lines || res.Skipped != tc.lines+1 {
				t.Errorf("left out %d lines, skipped %d; want %d left out, and skipped the cancelled line besides", res.LeftOutLines, res.Skipped, tc.lines)
			}
			if got := res.LeftOutNote(); got != tc.note {
				t.Errorf("LeftOutNote() = %q, want %q", got, tc.note)
			}
			if got := res.SkippedFigure(); got != tc.skip {
				t.Errorf("SkippedFigure() = %q, want %q", got, tc.skip)
			}
		})
	}
	many := ImportResult{LeftOut: []string{"A", "B", "C", "D", "E", "F", "G"}, LeftOutLines: 12, Skipped: 12}
	if got, want := many.LeftOutNote(), "Left out 12 lines of 7 SKUs the shop lacks: A, B, C, D, E and 2 more."; got != want {
		t.Errorf("LeftOutNote() = %q, want %q", got, want)
	}
}

// An order line in another currency than the shop's is refused, naming
// its line and both currencies, and nothing is imported: USD prices were
// booked as that many euros. Shopify gives an order's currency on its
// first row only; its other rows are in it too.
func TestAnOrderInAnotherCurrencyIsRefused(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	before := content(t, s)
	usd := strings.Replace(etsyRow("05/20/26", "Bowl", 1, "18.50", "3002", "9001", "BOWL"), ",EUR,", ",USD,", 1)
	etsy := writeFile(t, "etsy.csv", crlf(etsyHeader, etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG"), usd))
	row := func(name, currency, created, item, sku string) string {
		return strings.Join([]string{name, "jo@example.com", "paid", created, "unfulfilled", "", "no", currency, "", "", "", "", "", "", "",
			created, "1", item, "24.00", "", sku, "true", "true", "pending", "Jo", "", "", "", "", "Kiln", "5551"}, ",")
	}
	shopify := writeFile(t, "orders_export.csv", strings.Join([]string{shopifyHeader,
		row("#1001", "EUR", "2026-05-30 10:23:45 -0500", "Mug", "MUG"),
		row("#1002", "usd", "2026-05-30 11:00:00 -0500", "Mug", "MUG"),
		row("#1002", "", "", "Bowl", "BOWL")}, "\n")+"\n")
	for file, want := range map[string][]int{etsy: {3}, shopify: {3, 4}} {
		res, err := s.Import(ctx, ImportRequest{Path: file})
		var lines []int
		for _, e := range res.Errors {
			lines = append(lines, e.Line)
			if !strings.Contains(e.Message, "USD") || !strings.Contains(e.Message, "EUR") {
				t.Errorf("%s line %d: %q, want it to name USD and the shop's EUR", filepath.Base(file), e.Line, e.Message)
			}
		}
		if err == nil || !slices.Equal(lines, want) {
			t.Errorf("%s: %v, errors on lines %v; want lines %v refused", filepath.Base(file), err, lines, want)
		}
	}
	if content(t, s) != before {
		t.Fatal("a refused import changed the shop")
	}
}

// A format named for a file that lacks its columns is refused in one
// sentence saying what the file reads as: every row was refused field by
// field, with advice about SKUs. A format the file fits is taken.
func TestANamedFormatMustFitTheFile(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	before := content(t, s)
	file := writeFile(t, "etsy.csv", crlf(etsyHeader, etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG")))
	res, err := s.Import(ctx, ImportRequest{Path: file, Format: FormatShopifyOrders})
	msg := domain.ErrorMessage(err)
	if err == nil || len(res.Errors) != 0 || !strings.Contains(msg, "is not a Shopify orders file (shopify-orders)") || !strings.Contains(msg, "reads as an Etsy sold order items file (etsy-orders)") {
		t.Errorf("an Etsy file named Shopify orders: %q, %d row errors; want one sentence naming what it reads as", msg, len(res.Errors))
	}
	if content(t, s) != before {
		t.Fatal("the refused import changed the shop")
	}
	if res, err := s.Import(ctx, ImportRequest{Path: file, Format: FormatEtsyOrders}); err != nil || res.Sales != 1 {
		t.Errorf("named as what it is: %+v, %v", res, err)
	}
}

// A line imported before, under a map, is known again without the map:
// importing the file again counts it as there already, where it refused
// it for its SKU until it was mapped again.
func TestALineImportedUnderAMapIsKnownAgainWithoutIt(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	file := writeFile(t, "sold.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG-BLUE"),
		etsyRow("05/20/26", "Bowl", 1, "18.00", "3002", "9001", "BOWL")))
	if _, err := s.Import(ctx, ImportRequest{Path: file, Map: map[string]string{"MUG-BLUE": "MUG"}}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil || res.Duplicates != 2 || res.Sales != 0 || len(res.Errors) != 0 {
		t.Errorf("the same file again, without the map: %+v, %v; want both lines there already", res, err)
	}
}

// A line whose total is beyond what a shop records is refused by the dry
// run as by the import, naming its line: the dry run said the file would
// import, and the import then refused it without saying where.
func TestADryRunRefusesWhatTheImportWould(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	file := writeFile(t, "orders.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "12.00", "3001", "9001", "MUG"),
		etsyRow("05/20/26", "Mug", 1000000, "9999999999999.99", "3002", "9002", "MUG")))
	before := content(t, s)
	for _, dry := range []bool{true, false} {
		_, err := s.Import(ctx, ImportRequest{Path: file, DryRun: dry})
		if err == nil || !strings.Contains(err.Error(), "orders.csv") || !strings.Contains(err.Error(), "line 3: ") || !strings.Contains(err.Error(), "largest amount") {
			t.Errorf("dry run %v: %v, want a refusal of line 3's total", dry, err)
		}
	}
	if content(t, s) != before {
		t.Error("a refused import changed the shop")
	}
}

// A delayed order of a kit tells its buyer of the kit, by its name, and
// lists the kit as the buyer bought it: it named the part that ran short,
// which the buyer never ordered.
func TestADelayedKitOrderNamesTheKit(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	if _, err := s.AddKit(ctx, "SET", "Mug and bowl", 3000, []KitPartIn{{"MUG", 1}, {"BOWL", 2}}); err != nil {
		t.Fatal(err)
	}
	bowl := mustStock(t, s, "BOWL", s.AsOfNow()).SKU.Name
	file := writeFile(t, "orders.csv", crlf(etsyHeader, etsyRow("05/20/26", "Set", 3, "30.00", "3001", "9001", "SET")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	orders, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Delayed: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 1 {
		t.Fatalf("delayed orders %+v, want 9001, short of bowls", orders)
	}
	o := orders[0]
	if !strings.Contains(o.Message, "Mug and bowl") || strings.Contains(o.Message, bowl) {
		t.Errorf("the buyer's message %q; want it to name the kit Mug and bowl, not the part %q", o.Message, bowl)
	}
	if got := o.OrderLabels(); !slices.Equal(got, []string{"SET×3"}) {
		t.Errorf("the order lists %v, want [SET×3] as the buyer bought it", got)
	}
}

// An Etsy sale has a day and no time; it is read as noon, but one of today
// imported before noon is read as now: dated noon, it lay ahead of the
// clock, so the stock and the margins left it out until midday and the
// stall could sell its units again that morning.
func TestAnEtsySaleOfThisMorningCountsAtOnce(t *testing.T) {
	s, clock := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Kiln")
	if _, err := s.Count(ctx, "MUG", 5, day(-3)); err != nil {
		t.Fatal(err)
	}
	morning := time.Date(2026, 6, 2, 4, 54, 0, 0, time.UTC)
	clock.Set(morning)
	file := writeFile(t, "etsy.csv", crlf(etsyHeader,
		etsyRow("06/02/26", "Mug", 2, "24.00", "3001", "9001", "MUG"),
		etsyRow("06/01/26", "Mug", 1, "24.00", "3002", "9002", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	if got := mustStock(t, s, "MUG", s.AsOfNow()).OnHand; got != 2 {
		t.Errorf("MUG at 04:54 after 3 sold on Etsy (2 today): %d on hand, want 2", got)
	}
	lines, err := s.Sales(ctx, morning.Add(-48*time.Hour), morning.Add(24*time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		want := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) // yesterday's at noon
		if l.Order == "9001" {
			want = morning
		}
		if !l.At.Equal(want) {
			t.Errorf("order %s's sale is at %s, want %s", l.Order, l.At, want)
		}
	}
}

// An order line's price in a shop that counts in yen is whole yen, as its
// discounts and subtotals are: 1500.50 was recorded as a sale of 1500.50
// yen, an amount no buyer paid. Shopify writes 1500.00, and that is taken.
func TestAYenShopRefusesAnImportedPriceOfPartYen(t *testing.T) {
	ctx := context.Background()
	s, _ := yenShop(t)
	mustSKU(t, s, "BOWL", domain.PathMicrofactory, "Fab")
	header := "Name,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n"
	res, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "orders_export.csv", header+
		"#1,paid,2026-05-20 10:00:00 +0900,1,Bowl,1500.50,BOWL\n"+
		"#2,paid,2026-05-20 11:00:00 +0900,1,Bowl,1500.00,BOWL\n"), DryRun: true})
	if err == nil || len(res.Errors) != 1 || res.Errors[0].Line != 2 || !strings.Contains(res.Errors[0].Message, "1500.50") {
		t.Fatalf("a price of 1500.50 yen: %+v, %v; want line 2 refused", res.Errors, err)
	}
	etsy := writeFile(t, "EtsySoldOrderItems.csv", etsyHeader+"\n"+etsyRow("05/20/26", "Bowl", 1, "980.25", "1", "1", "BOWL")+"\n")
	if res, err := s.Import(ctx, ImportRequest{Path: etsy, DryRun: true}); err == nil || len(res.Errors) != 1 {
		t.Fatalf("an Etsy price of 980.25 yen: %+v, %v; want the line refused", res.Errors, err)
	}
}

// An Etsy listings file in another currency than the shop's is refused by
// line, as an order line is: its prices were taken as the shop's, and with
// --update they replaced the SKUs' own prices, 12.00 dollars as 12.00 euros.
func TestAListingsFileInAnotherCurrencyIsRefused(t *testing.T) {
	s, _ := mustCreate(t) // in euros
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	before := content(t, s)
	file := writeFile(t, "EtsyListingsDownload.csv", "TITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,SKU\r\n"+
		"Zine,,8.00,EUR,40,ZINE\r\n"+
		"Bookmark,,12.00,USD,10,BOOK\r\n")
	res, err := s.Import(ctx, ImportRequest{Path: file, SupplyPath: domain.PathMicrofactory, Factory: "Kiln"})
	if err == nil || len(res.Errors) != 1 || res.Errors[0].Line != 3 || !strings.Contains(res.Errors[0].Message, `"USD"`) {
		t.Fatalf("a listing in dollars: %+v, %v; want line 3 refused for its currency", res.Errors, err)
	}
	if content(t, s) != before {
		t.Fatal("a refused listings file changed the shop")
	}
}

// Excel where the decimal mark is a comma saves a CSV with semicolons
// between fields; such a file was refused as "none of Etsy's … nor
// Shopify's" though its header was Etsy's own.
func TestAFileSavedWithSemicolonsImports(t *testing.T) {
	s := importShop(t)
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma = ';'
	w.UseCRLF = true
	for _, line := range []string{etsyHeader,
		etsyRow("05/20/26", `"Mug; blue"`, 2, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/21/26", "Bowl", 1, "18.50", "3002", "9002", "BOWL")} {
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	file := writeFile(t, "EtsySoldOrderItems.csv", "\ufeff"+b.String())
	res, err := s.Import(context.Background(), ImportRequest{Path: file})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatEtsyOrders || res.Sales != 2 {
		t.Fatalf("import: %+v; want 2 Etsy sales", res)
	}
	if got := mustStock(t, s, "MUG", s.AsOfNow()).Available; got != 3 {
		t.Errorf("MUG after selling 2 of 5: %d available, want 3", got)
	}
}

// A file whose rows are all refused for one reason, an export in dollars
// for a shop in euros, says the reason once: it was said again for each
// of twenty rows, and the sentence ran to two thousand characters.
func TestRowsRefusedForOneReasonSayItOnce(t *testing.T) {
	s := importShop(t)
	lines := []string{etsyHeader}
	for i := range 30 {
		row := etsyRow("05/20/26", "Mug", 1, "24.00", fmt.Sprint(3001+i), fmt.Sprint(9001+i), "MUG")
		lines = append(lines, strings.Replace(row, ",EUR,", ",USD,", 1))
	}
	_, err := s.Import(context.Background(), ImportRequest{Path: writeFile(t, "etsy.csv", crlf(lines...))})
	msg := domain.ErrorMessage(err)
	want := `30 rows cannot be imported, all for one reason (lines 2, 3, 4, 5, 6 and 25 more): its prices are in "USD" and the shop counts in EUR`
	if !strings.Contains(msg, want) || strings.Count(msg, "USD") != 1 {
		t.Errorf("a file in dollars: %q; want the reason said once: %q", msg, want)
	}
}

// A spreadsheet that saved Etsy's file again writes its dates without
// the leading zero and with the whole year, 5/20/2026 for 05/20/26; every
// row was refused as "not a date like 03/14/26".
func TestAnEtsyDateASpreadsheetRewroteIsRead(t *testing.T) {
	s := importShop(t)
	row := etsyRow("5/20/2026", "Mug", 1, "24.00", "3001", "9001", "MUG")
	row = strings.Replace(row, ",,Jo Buyer,", ",5/21/2026,Jo Buyer,", 1) // Date Shipped
	res, err := s.Import(context.Background(), ImportRequest{Path: writeFile(t, "etsy.csv", crlf(etsyHeader, row))})
	if err != nil || res.Sales != 1 || res.Shipped != 1 {
		t.Fatalf("a row dated 5/20/2026, shipped 5/21/2026: %+v, %v; want 1 sale, 1 order shipped", res, err)
	}
	if want := time.Date(2026, 5, 20, 12, 0, 0, 0, s.loc); !res.FirstSale.Equal(want) {
		t.Errorf("sold at %v, want %v", res.FirstSale, want)
	}
}

// An order imported while open that a later export shows refunded is
// named, its sales still counting, until they are voided: it was counted
// among the lines "skipped" like one never imported, and its units stayed
// sold and its money in the takings without a word.
func TestAnImportedOrderRefundedSinceIsNamed(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	export := func(fin, cancelled string) string {
		row := strings.Join([]string{"#1001", "jo@example.com", fin, "2026-05-30 10:23:45 -0500", "unfulfilled", "", "no", "EUR", "", "", "", "", "", "", "",
			"2026-05-30 10:23:45 -0500", "1", "Mug", "24.00", "", "MUG", "true", "true", "pending", "Jo", "", cancelled, "", "", "Kiln", "5551"}, ",")
		return writeFile(t, "orders_export.csv", shopifyHeader+"\n"+row+"\n")
	}
	if res, err := s.Import(ctx, ImportRequest{Path: export("paid", "")}); err != nil || res.Sales != 1 || len(res.Withdrawn) != 0 {
		t.Fatalf("the order while open: %+v, %v", res, err)
	}
	later := export("refunded", "2026-05-31 09:00:00 -0500")
	res, err := s.Import(ctx, ImportRequest{Path: later})
	if err != nil || !slices.Equal(res.Withdrawn, []string{"#1001"}) {
		t.Fatalf("the order refunded since: withdrawn %v, %v; want #1001", res.Withdrawn, err)
	}
	if note := res.WithdrawnNote(); !strings.HasPrefix(note, "Order #1001 was imported before and is cancelled or refunded in this file, but its sales still count") {
		t.Errorf("the note: %q", note)
	}
	lines, err := s.Sales(ctx, day(-300), day(1), "")
	if err != nil || len(lines) != 1 {
		t.Fatalf("sales: %+v, %v", lines, err)
	}
	if err := s.VoidSale(ctx, lines[0].ID, "refunded on Shopify"); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Import(ctx, ImportRequest{Path: later}); err != nil || len(res.Withdrawn) != 0 {
		t.Errorf("once its sale is voided: withdrawn %v, %v; want none", res.Withdrawn, err)
	}
}

// An orders file imported into a new shop, before any SKU, says in one
// sentence to import the listings first: every line was refused on its
// own, with advice to map its SKU to a code the shop could not have.
func TestAnOrdersFileInAShopWithoutSKUsAsksForTheListingsFirst(t *testing.T) {
	s, _ := mustCreate(t)
	before := content(t, s)
	file := writeFile(t, "etsy.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/20/26", "Bowl", 1, "18.00", "3002", "9001", "BOWL")))
	res, err := s.Import(context.Background(), ImportRequest{Path: file})
	msg := domain.ErrorMessage(err)
	if !strings.Contains(msg, "the shop has no SKUs yet") || !strings.Contains(msg, "import the Etsy listings or Shopify products file first") || len(res.Errors) != 0 {
		t.Errorf("orders into a shop without SKUs: %q, %d row errors; want one sentence asking for the listings first", msg, len(res.Errors))
	}
	if content(t, s) != before {
		t.Fatal("the refused import changed the shop")
	}
	if res, err := s.Import(context.Background(), ImportRequest{Path: file, SkipUnknown: true}); err != nil || res.LeftOutLines != 2 {
		t.Errorf("leaving the unknown SKUs out, as asked: %+v, %v", res, err)
	}
}

// A spreadsheet that saved a file again may add rows of empty cells after
// the last; they carry nothing and are passed over, not refused as orders
// without a Transaction ID, date, quantity or price.
func TestRowsOfEmptyCellsArePassedOver(t *testing.T) {
	s := importShop(t)
	empty := strings.Repeat(",", strings.Count(etsyHeader, ","))
	file := writeFile(t, "etsy.csv", crlf(etsyHeader, etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "9001", "MUG"), empty, " "+empty))
	res, err := s.Import(context.Background(), ImportRequest{Path: file})
	if err != nil || res.Rows != 1 || res.Sales != 1 {
		t.Fatalf("a file with two rows of empty cells at its end: %+v, %v; want 1 row, 1 sale", res, err)
	}
	_, err = s.Import(context.Background(), ImportRequest{Path: writeFile(t, "blank.csv", crlf(etsyHeader, empty))})
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "has a header but no rows") {
		t.Errorf("a header and a row of empty cells: %q; want it to say there are no rows", msg)
	}
}

// Etsy's download page offers Orders beside Order Items; the orders file,
// one row per order, is named as what it is, with the file to take
// instead, as is the Shopify inventory file the shop itself writes: both
// heard only that their header was none of the channels' files.
func TestAChannelsOtherFileIsNamed(t *testing.T) {
	s := importShop(t)
	for name, tc := range map[string]struct{ content, want string }{
		"EtsySoldOrders2026.csv": {"Sale Date,Order ID,Buyer User ID,Full Name,Number of Items,Currency,Order Value,Status\n05/20/26,9001,1,Jo,2,EUR,48.00,Completed\n",
			"is Etsy's sold orders file, one row per order without its items; download the Order Items type instead"},
		"inventory.csv": {"Handle,Title,SKU,Location,On hand (current),On hand (new)\nmug,Mug,MUG,Shop location,,5\n",
			"is a Shopify inventory file, for Shopify's own import"},
	} {
		_, err := s.Import(context.Background(), ImportRequest{Path: writeFile(t, name, tc.content)})
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, name+" "+tc.want) {
			t.Errorf("%s: %q; want %q", name, msg, tc.want)
		}
	}
}

// A line imported under a map to a SKU, imported again mapped to a kit
// (or the other way round), is there already: the kit's sale had another
// id, and the order was recorded twice, its takings doubled.
func TestALineMappedAgainToAKitCountsOnce(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	if _, err := s.AddKit(ctx, "SET", "Mug and bowl", 3000, []KitPartIn{{"MUG", 1}, {"BOWL", 1}}); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "orders.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Gift", 1, "30.00", "3001", "9001", "GIFT"),
		etsyRow("05/20/26", "Present", 1, "30.00", "3002", "9002", "PRESENT")))
	if _, err := s.Import(ctx, ImportRequest{Path: file, Map: map[string]string{"GIFT": "MUG", "PRESENT": "SET"}}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Import(ctx, ImportRequest{Path: file, Map: map[string]string{"GIFT": "SET", "PRESENT": "MUG"}})
	if err != nil || res.Sales != 0 || res.Duplicates != 2 {
		t.Fatalf("the file again, the maps swapped: %+v, %v; want 2 there already, no sale", res, err)
	}
	for code, want := range map[string]int{"MUG": 3, "BOWL": 4} {
		if got := mustStock(t, s, code, s.AsOfNow()).OnHand; got != want {
			t.Errorf("%s: %d on hand, want %d: each order sold once", code, got, want)
		}
	}
}
