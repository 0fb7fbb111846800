package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"microshop/domain"
)

// etsyVariantsShop is a new shop that imported testdata's Etsy listings
// file with variations, its SKUs handmade by the Workshop.
func etsyVariantsShop(t *testing.T) (s *Shop, res ImportResult, file string) {
	t.Helper()
	s, _ = mustCreate(t)
	file, err := filepath.Abs(filepath.Join("testdata", "EtsyListingsDownload_variations.csv"))
	if err != nil {
		t.Fatal(err)
	}
	mustFactory(t, s, "Workshop", 7, true)
	res, err = s.Import(context.Background(), ImportRequest{Path: file, SupplyPath: domain.PathHandmade, Factory: "Workshop"})
	if err != nil {
		t.Fatal(err)
	}
	return s, res, file
}

// An Etsy listings file gives one row per listing: its variations' values
// and its variants' SKUs, each comma separated. The SKUs keep their
// variant, paired by place where the counts say how, so a small and a
// large mug no longer read alike on their labels; a listing whose SKUs do
// not match its variants one for one is named, its SKUs taken without.
func TestEtsyListingVariationsNameTheirSKUs(t *testing.T) {
	ctx := context.Background()
	s, res, file := etsyVariantsShop(t)
	if res.Format != FormatEtsyListings || res.SKUsAdded != 12 {
		t.Fatalf("import: %+v; want 12 SKUs added from Etsy's listings", res)
	}
	want := map[string]string{
		"MUG-S": "Small", "MUG-L": "Large", // one variation, a SKU for each value
		"TOTE-NAT-S": "Natural / S", "TOTE-NAT-M": "Natural / M", "TOTE-BLK-S": "Black / S", "TOTE-BLK-M": "Black / M",
		"SCARF-S": "Short", "SCARF-L": "Long", // the SKU varies with the length alone
		"PRINT-FOX-M": "", "PRINT-FOX-G": "", // 2 SKUs for 3 papers: which is which is not said
		"CAL-27":    "", // one SKU for every size
		"ZINE-KILN": "",
	}
	codes := make([]string, 0, len(want))
	for code := range want {
		codes = append(codes, code)
	}
	labels, err := s.PrintLabels(ctx, filepath.Join(t.TempDir(), "labels.pdf"), false, LabelRequest{Codes: codes, Layout: LabelLayouts[0].Name})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range labels.SKUs {
		if l.Variant != want[l.Code] {
			t.Errorf("%s's label reads variant %q; want %q", l.Code, l.Variant, want[l.Code])
		}
	}
	if note := res.UnnamedVariantsNote(); len(res.UnnamedVariants) != 1 || !strings.Contains(note, "Fox risograph art print (line 5)") {
		t.Errorf("unnamed %v, note %q; want the art print named, on line 5", res.UnnamedVariants, note)
	}

	// The same file again, with --update, finds each SKU as it has it.
	if again, err := s.Import(ctx, ImportRequest{Path: file, Update: true}); err != nil || again.SKUsUpdated != 0 {
		t.Fatalf("the file again: %+v, %v; want nothing updated", again, err)
	}
	// Shopify's inventory file names a SKU it never listed as a product
	// without variants: an Etsy variation is no Shopify option.
	inv := filepath.Join(t.TempDir(), "inventory.csv")
	if _, err := s.Export(ctx, inv, false, ExportRequest{Kind: "shopify-inventory", AsOf: s.AsOfNow()}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(inv)
	if !strings.Contains(string(b), "Title,Default Title,,,,,MUG-S") {
		t.Errorf("the Shopify inventory file names MUG-S by Etsy's variation:\n%s", b)
	}
}

// A SKU both channels list keeps Shopify's options when an Etsy file
// updates it: Shopify's inventory import finds the variant by them.
func TestAnEtsyUpdateKeepsShopifysOptions(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Kiln", 14, true)
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "products_export.csv", shopifyProductsClassic),
		SupplyPath: domain.PathMicrofactory, Factory: "Kiln"}); err != nil {
		t.Fatal(err)
	}
	etsy := "TITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,VARIATION 1 TYPE,VARIATION 1 NAME,VARIATION 1 VALUES,SKU\r\n" +
		"\"Blue mug, 350 ml\",,24.00,EUR,15,Size,,\"350 ml,450 ml\",\"MUG-S,MUG-L\"\r\n"
	if _, err := s.Import(ctx, ImportRequest{Path: writeFile(t, "EtsyListingsDownload.csv", etsy), Update: true}); err != nil {
		t.Fatal(err)
	}
	v, err := s.variants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sku := range mustStockRows(t, s) {
		if sku.SKU.Code == "MUG-S" && domain.VariantText(v[sku.SKU.ID].options) != "Small" {
			t.Errorf("MUG-S's options after the Etsy file: %+v; want Shopify's Size Small", v[sku.SKU.ID].options)
		}
	}
}

func mustStockRows(t *testing.T, s *Shop) []StockRow {
	t.Helper()
	rows, err := s.Stock(context.Background(), s.AsOfNow(), "")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// Two variants of one product share its name: shown by name alone, "Mug"
// (Small) and "Mug" (Large) read the same where a maker sells or
// reorders. A SKU reads its variant with its row, and the stock, reorder
// and purchase order rows carry it; a SKU without one shows its name alone.
func TestVariantsTellSKUsOfOneProductApart(t *testing.T) {
	ctx := context.Background()
	s, _, _ := etsyVariantsShop(t)
	for code, want := range map[string]string{
		"MUG-L":       "Speckled stoneware mug (Large)",
		"TOTE-BLK-S":  "Canvas tote bag (Black / S)",
		"PRINT-FOX-M": "Fox risograph art print", // which paper is not said
	} {
		if sku, err := s.SKU(ctx, code); err != nil || sku.Shown() != want {
			t.Errorf("%s shows as %q (%v); want %q", code, sku.Shown(), err, want)
		}
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG-L", Qty: 3, Force: true}); err != nil {
		t.Fatal(err)
	}
	for _, r := range mustStockRows(t, s) {
		if r.SKU.Code == "MUG-S" && r.SKU.Variant != "Small" {
			t.Errorf("MUG-S's stock row reads variant %q; want Small", r.SKU.Variant)
		}
	}
	reorder, err := s.Reorder(ctx, s.AsOfNow())
	if err != nil || len(reorder) != 1 || reorder[0].Variant != "Large" {
		t.Errorf("reorder: %+v, %v; want MUG-L, variant Large", reorder, err)
	}
	po, err := s.PurchaseOrder(ctx, "Workshop", s.AsOfNow(), false)
	if err != nil || len(po.Lines) != 1 || po.Lines[0].Variant != "Large" {
		t.Errorf("purchase order: %+v, %v; want MUG-L, variant Large", po.Lines, err)
	}
	alerts, err := s.Alerts(ctx, s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, a := range alerts {
		if a.Subject == "MUG-S" {
			said = append(said, a.Message)
		}
	}
	if len(said) != 1 || said[0] != "MUG-S (Speckled stoneware mug (Small)) is out of stock" {
		t.Errorf("MUG-S's alerts read %q; want that it is out of stock, its variant after its name", said)
	}
	path := filepath.Join(t.TempDir(), "stock.csv")
	if _, err := s.Export(ctx, path, false, ExportRequest{Kind: "stock", AsOf: s.AsOfNow()}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if text := string(b); !strings.Contains(text, ",cost,variant\n") || !strings.Contains(text, "MUG-L,Speckled stoneware mug,") || !strings.Contains(text, ",Large\n") {
		t.Errorf("stock export:\n%s\nwant the name as it is and a variant column", text)
	}
}

// A purchase order's name cell shortens the name, not the variant: cut
// from the end, two long-named variants read the same on the order.
func TestPurchaseOrderKeepsTheVariantOfALongName(t *testing.T) {
	measure := func(s string) float64 { return float64(len([]rune(s))) }
	got := fitNameVariant(measure, "Speckled stoneware mug, wheel thrown", "Large", 24)
	if !strings.HasSuffix(got, "... (Large)") || measure(got) > 24 {
		t.Errorf("fitted %q; want the name shortened, (Large) kept, within 24", got)
	}
	if got := fitNameVariant(measure, "Mug", "", 24); got != "Mug" {
		t.Errorf("a SKU without a variant: %q; want Mug", got)
	}
}
