package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"microshop/domain"
)

// Shopify's classic product CSV: a product's first row carries its title,
// its other variants leave it blank.
const shopifyProductsClassic = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Cost per item,Status\n" +
	"blue-mug,\"Blue mug, 350 ml\",\"<p>A \"\"big\"\" mug</p>\",Kiln,Mug,,true,Size,Small,MUG-S,350,shopify,12,deny,manual,24.00,,true,true,,,6.00,active\n" +
	"blue-mug,,,,,,,,Large,MUG-L,450,shopify,3,deny,manual,28.00,,true,true,,,7.50,active\n"

// Shopify's current product CSV headers.
const shopifyProductsCurrent = "Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,Barcode,Option1 name,Option1 value,Price,Compare-at price,Cost per item,Charge tax,Inventory tracker,Inventory quantity,Continue selling when out of stock,Weight value (grams)\n" +
	"Bowl,bowl,,Kiln,,Bowl,,TRUE,Active,BOWL,,Title,Default Title,18.00,,5.00,TRUE,shopify,7,DENY,500\n"

func TestImportShopifyProductsAddsSKUsWithFirstStocktake(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	file := writeFile(t, "products_export.csv", shopifyProductsClassic)
	// Refused naming every SKU it would add, with the remedy the command
	// line and the desktop say their own way: it named MUG-S alone.
	_, err := s.Import(ctx, ImportRequest{Path: file})
	if err == nil || !strings.Contains(err.Error(), "supply path") || !strings.Contains(err.Error(), "MUG-S, MUG-L") || domain.RemedyOf(err) != domain.RemedySupplyPath {
		t.Fatalf("adding SKUs without a supply path: %v (remedy %q); want MUG-S and MUG-L named, and the supply path remedy", err, domain.RemedyOf(err))
	}
	// A factory the path needs is asked for as the command line's and the
	// desktop's own words say: the remedy was lost on the way out.
	if _, err := s.Import(ctx, ImportRequest{Path: file, SupplyPath: domain.PathMicrofactory}); domain.RemedyOf(err) != domain.RemedyNameFactory {
		t.Fatalf("adding SKUs without their factory: %v (remedy %q); want the factory remedy", err, domain.RemedyOf(err))
	}
	res, err := s.Import(ctx, ImportRequest{Path: file, SupplyPath: domain.PathMicrofactory, Factory: "Kiln"})
	if err != nil || res.Format != FormatShopifyProducts || res.SKUsAdded != 2 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	large, err := s.SKU(ctx, "MUG-L")
	if err != nil || large.Name != "Blue mug, 350 ml" || large.Price != 2800 || large.Cost != 750 || large.Factory != "Kiln" {
		t.Fatalf("MUG-L: %+v, %v", large, err)
	}
	if got := mustStock(t, s, "MUG-S", s.AsOfNow()).OnHand; got != 12 {
		t.Errorf("MUG-S on hand %d, want the file's 12", got)
	}
	again, err := s.Import(ctx, ImportRequest{Path: file, SupplyPath: domain.PathMicrofactory, Factory: "Kiln"})
	if err != nil || again.SKUsAdded != 0 || again.Duplicates != 2 {
		t.Fatalf("again: %+v, %v", again, err)
	}
	current := writeFile(t, "products.csv", shopifyProductsCurrent)
	dry, err := s.Import(ctx, ImportRequest{Path: current, SupplyPath: domain.PathMicrofactory, Factory: "Kiln", DryRun: true})
	if err != nil || dry.SKUsAdded != 1 {
		t.Fatalf("dry run of the current headers: %+v, %v", dry, err)
	}
	if _, err := s.SKU(ctx, "BOWL"); err == nil {
		t.Fatal("a dry run added a SKU")
	}
	// --update changes name and price of SKUs the shop has.
	renamed := strings.Replace(shopifyProductsClassic, `"Blue mug, 350 ml"`, "Cobalt mug", 1)
	upd, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "p.csv", strings.Replace(renamed, "28.00", "29.50", 1)), Update: true})
	if err != nil || upd.SKUsUpdated != 2 {
		t.Fatalf("update: %+v, %v", upd, err)
	}
	if large, _ := s.SKU(ctx, "MUG-L"); large.Name != "Cobalt mug" || large.Price != 2950 {
		t.Errorf("MUG-L after update: %+v", large)
	}
	// The same file with --update again changes nothing, and says its SKUs
	// are there already: it said 0 added, 0 updated, 0 already there, as if
	// the file held none.
	upd, err = s.Import(ctx, ImportRequest{Path: writeFile(t, "p.csv", strings.Replace(renamed, "28.00", "29.50", 1)), Update: true})
	if err != nil || upd.SKUsUpdated != 0 || upd.Duplicates != 2 {
		t.Errorf("update again: %d updated, %d already there, %v; want 0 and 2", upd.SKUsUpdated, upd.Duplicates, err)
	}
}

func TestImportEtsyListingsRefusesBadRows(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	before := content(t, s)
	file := writeFile(t, "EtsyListingsDownload.csv", "\ufeffTITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,TAGS,MATERIALS,IMAGE1,VARIATION 1 TYPE,VARIATION 1 NAME,VARIATION 1 VALUES,SKU\r\n"+
		"Zine,\"Riso, two colours\",8.00,EUR,40,zine,paper,,,,,ZINE\r\n"+
		"Poster,,twelve,EUR,5,,,,,,,POSTER\r\n"+
		"Card,,3.00,EUR,-2,,,,,,,CARD\r\n"+
		strings.Repeat("Long ", 100)+",,3.00,EUR,2,,,,,,,LONG\r\n")
	res, err := s.Import(ctx, ImportRequest{Path: file, SupplyPath: domain.PathHandmade})
	if err == nil || len(res.Errors) != 3 || res.Errors[0].Line != 3 || res.Errors[1].Line != 4 || res.Errors[2].Line != 5 {
		t.Fatalf("bad listings: %+v, %v", res, err)
	}
	// A title refused says why, as a name typed here does: it said "the
	// title is empty or not a name" of one 500 characters long.
	if got := res.Errors[2].Message; !strings.Contains(got, "characters long") {
		t.Errorf("a title too long: %q, want how long it is and how long it may be", got)
	}
	// A SKU listed twice with another price is refused by line: the first
	// was taken and the second counted as there already, without a word.
	file = writeFile(t, "EtsyListingsDownload.csv", "TITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,TAGS,MATERIALS,IMAGE1,VARIATION 1 TYPE,VARIATION 1 NAME,VARIATION 1 VALUES,SKU\r\n"+
		"Zine,,8.00,EUR,40,,,,,,,ZINE\r\n"+
		"Zine,,8.00,EUR,40,,,,,,,ZINE\r\n"+
		"Zine,,9.00,EUR,40,,,,,,,ZINE\r\n")
	res, err = s.Import(ctx, ImportRequest{Path: file, SupplyPath: domain.PathHandmade})
	if err == nil || len(res.Errors) != 1 || res.Errors[0].Line != 4 || !strings.Contains(res.Errors[0].Message, "line 2") {
		t.Fatalf("a SKU listed twice at two prices: %+v, %v; want line 4 refused, naming line 2", res.Errors, err)
	}
	if content(t, s) != before {
		t.Fatal("a refused listings import changed the shop")
	}
}

// The inventory export names a product by the handle its products file
// gave, not one made again from a title that has since changed: Shopify
// matches rows by it.
func TestTheInventoryExportKeepsTheChannelsHandle(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "products_export.csv", shopifyProductsClassic),
		SupplyPath: domain.PathMicrofactory, Factory: "Kiln"}); err != nil {
		t.Fatal(err)
	}
	mustSKU(t, s, "PLATE", domain.PathMicrofactory, "Kiln") // added by hand: no handle
	if _, err := s.EditSKU(ctx, "MUG-S", SKUFields{Name: ptr("Small cobalt mug")}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "inv.csv")
	if _, err := s.Export(ctx, file, false, ExportRequest{Kind: "shopify-inventory", AsOf: s.AsOfNow()}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	got := string(b)
	// and each variant by the options the products file gave it (the
	// second row leaves the option's name to the first): Shopify finds a
	// variant by its handle and options, and "Default Title" matched none.
	for _, want := range []string{"\nblue-mug,Small cobalt mug,Size,Small,,,,,MUG-S,", "\nblue-mug,\"Blue mug, 350 ml\",Size,Large,,,,,MUG-L,",
		"\nitem-plate,Item PLATE,Title,Default Title,,,,,PLATE,"} {
		if !strings.Contains(got, want) {
			t.Errorf("the export lacks %q:\n%s", want, got)
		}
	}
	bad := strings.Replace(shopifyProductsClassic, "blue-mug,\"Blue", "\"blue mug\",\"Blue", 1)
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "bad.csv", bad), Update: true}); err == nil || !strings.Contains(err.Error(), `"blue mug"`) {
		t.Fatalf("a handle with a space: %v; want it refused, named", err)
	}
}

// A product of two options in Shopify's current headers: both options of
// each variant come back in the inventory export, and an --update gives
// options to SKUs imported before they were kept.
func TestTheInventoryExportNamesEachVariantByItsOptions(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	mustSKU(t, s, "TEE-S-RED", domain.PathMicrofactory, "Kiln")
	products := "Title,URL handle,Status,SKU,Option1 name,Option1 value,Option2 name,Option2 value,Price,Inventory quantity\n" +
		"Tee,tee,Active,TEE-S-RED,Size,S,Colour,Red,20.00,4\n" +
		"Tee,tee,Active,TEE-M-BLUE,,M,,Blue,20.00,6\n"
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "products.csv", products), SupplyPath: domain.PathMicrofactory, Factory: "Kiln", Update: true}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "inv.csv")
	if _, err := s.Export(ctx, file, false, ExportRequest{Kind: "shopify-inventory", AsOf: s.AsOfNow()}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	for _, want := range []string{"\ntee,Tee,Size,S,Colour,Red,,,TEE-S-RED,", "\ntee,Tee,Size,M,Colour,Blue,,,TEE-M-BLUE,"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the export lacks %q:\n%s", want, b)
		}
	}
}

// An Etsy listing with variations lists several SKUs and one quantity,
// the listing's: no SKU is counted with it (each had been given all 30),
// and the result names them for a count. A listing of one SKU is counted.
func TestAListingsQuantityIsNotGivenToEachVariant(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	file := writeFile(t, "EtsyListingsDownload.csv", "TITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,TAGS,MATERIALS,IMAGE1,VARIATION 1 TYPE,VARIATION 1 NAME,VARIATION 1 VALUES,SKU\r\n"+
		"Tote,,20.00,EUR,30,,,,Size,Size,\"S,M\",\"TOTE-S,TOTE-M\"\r\n"+
		"Zine,,8.00,EUR,40,,,,,,,ZINE\r\n")
	mustFactory(t, s, "Bench", 3, true)
	res, err := s.Import(ctx, ImportRequest{Path: file, SupplyPath: domain.PathHandmade, Factory: "Bench"})
	if err != nil || res.SKUsAdded != 3 || !slices.Equal(res.Uncounted, []string{"TOTE-S", "TOTE-M"}) {
		t.Fatalf("import: %+v, %v; want 3 SKUs, TOTE-S and TOTE-M uncounted", res, err)
	}
	for code, want := range map[string]int{"TOTE-S": 0, "TOTE-M": 0, "ZINE": 40} {
		if got := mustStock(t, s, code, s.AsOfNow()).OnHand; got != want {
			t.Errorf("%s on hand %d, want %d", code, got, want)
		}
	}
	if note := res.UncountedNote(); !strings.HasPrefix(note, "TOTE-S, TOTE-M have no first stocktake") {
		t.Errorf("note %q", note)
	}
}

// Shopify counts the units of its unshipped orders on hand, as committed,
// and takes them off what it sells: the shop took them off when it
// imported the orders, so the export puts them back, or Shopify would sell
// them twice over. A kit sold there counts its own open units, its parts
// not; a kit Shopify never listed gets no row.
func TestTheInventoryExportCountsOpenShopifyOrdersOnHand(t *testing.T) {
	s := importShop(t)
	ctx := context.Background()
	if _, err := s.AddKit(ctx, "SET", "Mug and bowl", 3000, []KitPartIn{{"MUG", 1}, {"BOWL", 2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddKit(ctx, "DUO", "Two bowls", 3000, []KitPartIn{{"BOWL", 2}}); err != nil {
		t.Fatal(err)
	}
	products := "Title,URL handle,Status,SKU,Price\nMug,mug,Active,MUG,24.00\nBowl,bowl,Active,BOWL,18.00\nSet,set,Active,SET,30.00\n"
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "products.csv", products), Update: true}); err != nil {
		t.Fatal(err)
	}
	orders := "Name,Financial Status,Fulfillment Status,Fulfilled at,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n" +
		"#1001,paid,unfulfilled,,2026-05-30 10:00:00 -0500,2,Mug,24.00,MUG\n" +
		"#1002,paid,fulfilled,2026-05-31 10:00:00 -0500,2026-05-30 11:00:00 -0500,1,Mug,24.00,MUG\n" +
		"#1003,paid,unfulfilled,,2026-05-30 12:00:00 -0500,1,Set,30.00,SET\n"
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "orders_export.csv", orders)}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "inv.csv")
	if _, err := s.Export(ctx, file, false, ExportRequest{Kind: "shopify-inventory", AsOf: s.AsOfNow()}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	// MUG: 5 less 4 sold is 1, and #1001's 2 are still here; BOWL: 5 less
	// the set's 2; SET: the 1 its parts make and #1003's.
	for _, want := range []string{",MUG,,,Shop location,,,,,,,3\n", ",BOWL,,,Shop location,,,,,,,3\n", ",SET,,,Shop location,,,,,,,2\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the export lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), ",DUO,") {
		t.Errorf("a kit Shopify does not list has a row:\n%s", b)
	}
}

// A products file holds rows that are no variant (a product's further
// images) and variants sold without a SKU: neither refuses the file. The
// images are passed over, the SKU-less variants left out and named.
func TestListingsWithoutASKUAreLeftOutAndNamed(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	products := shopifyProductsClassic +
		"blue-mug,,,,,,,,,,,,,,,,,,,,https://cdn.example.com/mug-2.jpg,,\n" +
		"plate,Plate,,Kiln,Plate,,true,Title,Default Title,,900,shopify,5,deny,manual,30.00,,true,true,,,9.00,active\n"
	res, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "products_export.csv", products), SupplyPath: domain.PathMicrofactory, Factory: "Kiln"})
	if err != nil || res.SKUsAdded != 2 || !slices.Equal(res.WithoutSKU, []string{"Plate (line 5)"}) {
		t.Fatalf("import: %+v, %v; want MUG-S and MUG-L added, the plate left out by name", res, err)
	}
	if note := res.WithoutSKUNote(); !strings.Contains(note, "1 listing without a SKU: Plate (line 5)") {
		t.Errorf("note %q", note)
	}
	before := content(t, s)
	only := "TITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,SKU\nTote,,20.00,EUR,3,\n"
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "EtsyListingsDownload.csv", only), SupplyPath: domain.PathHandmade, Factory: "Kiln"}); err == nil ||
		!strings.Contains(err.Error(), "no listing with a SKU") {
		t.Fatalf("a file of listings all without SKUs: %v; want it refused, saying why", err)
	}
	if content(t, s) != before {
		t.Error("a refused import changed the shop")
	}
}

// The same products or listings file imported again with --update, as a
// maker does each week, changes nothing and says so: each import wrote
// every SKU's name and price again, changes every device then synced.
func TestAnUnchangedFileUpdatesNothing(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	for _, f := range []struct{ name, content string }{
		{"products_export.csv", shopifyProductsClassic},
		{"EtsyListingsDownload.csv", "TITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,SKU\nTote,,20.00,EUR,3,TOTE\n"},
	} {
		file := writeFile(t, f.name, f.content)
		if _, err := s.Import(ctx, ImportRequest{Path: file, SupplyPath: domain.PathMicrofactory, Factory: "Kiln"}); err != nil {
			t.Fatal(err)
		}
		written := func() int64 { v, _ := s.Vector(ctx); return v.Total() }
		before := written()
		res, err := s.Import(ctx, ImportRequest{Path: file, Update: true})
		if err != nil || res.SKUsUpdated != 0 || written() != before {
			t.Errorf("%s again with --update: %+v, %v, %d changes written; want none", f.name, res, err, written()-before)
		}
	}
}

// A factory the shop lacks, given for the SKUs a listings file adds, is
// refused as the flag's value it is: the refusal blamed the file's first
// listing ("line 2: there is no factory …"), as if the file were wrong.
func TestAnUnknownFactoryForAListingsFileIsNotALineOfIt(t *testing.T) {
	s, _ := mustCreate(t)
	before := content(t, s)
	file := writeFile(t, "products_export.csv", shopifyProductsClassic)
	_, err := s.Import(context.Background(), ImportRequest{Path: file, SupplyPath: domain.PathMicrofactory, Factory: "Nope"})
	if msg := domain.ErrorMessage(err); domain.ErrorCode(err) != domain.ENotFound || !strings.Contains(msg, `no factory "Nope"`) || strings.Contains(msg, "line") {
		t.Fatalf("an unknown factory: %v; want a refusal naming the factory, not a line of the file", err)
	}
	if content(t, s) != before {
		t.Error("a refused import changed the shop")
	}
}

// A listings file that names a SKU the shop has otherwise, imported
// without Update, says so and keeps the shop's: it counted the SKU as
// "already there as the file has them", and the maker took the shop to
// match the channel when its price was not the one buyers paid.
func TestASKUTheFileNamesOtherwiseIsNotThereAsTheFileHasIt(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	const header = "TITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,SKU\n"
	file := writeFile(t, "EtsyListingsDownload.csv", header+"Tote,,20.00,EUR,3,TOTE\nZine,,8.00,EUR,9,ZINE\n")
	if _, err := s.Import(ctx, ImportRequest{Path: file, SupplyPath: domain.PathMicrofactory, Factory: "Kiln"}); err != nil {
		t.Fatal(err)
	}
	before := content(t, s)
	file = writeFile(t, "EtsyListingsDownload.csv", header+"Tote,,22.00,EUR,3,TOTE\nZine,,8.00,EUR,9,ZINE\n")
	res, err := s.Import(ctx, ImportRequest{Path: file})
	if err != nil || res.Duplicates != 1 || !slices.Equal(res.Differing, []string{"TOTE"}) {
		t.Fatalf("a file pricing TOTE at 22.00: %d there as the file has them, differing %v, %v; want 1 and TOTE", res.Duplicates, res.Differing, err)
	}
	if note := res.DifferingNote(); !strings.Contains(note, "TOTE has another name or price in the file") {
		t.Errorf("the note: %q", note)
	}
	if content(t, s) != before {
		t.Fatal("an import without Update changed a SKU")
	}
}
