package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// FuzzImport feeds arbitrary bytes, as a channel's file, to a shop that
// sells MUG and BOWL. A file comes from a download folder and is checked
// like a local write: Import must never panic; it either imports or
// refuses with a *domain.Error of one sentence, and a refused file changes
// nothing. An imported file imported again records nothing new.
//
// opts picks the request: bit 0 a dry run, bit 1 --skip-unknown, bit 2
// --update with --path handmade, bit 3 the file's name says listings.
func FuzzImport(f *testing.F) {
	for _, seed := range importSeeds() {
		f.Add([]byte(seed.file), seed.opts)
	}
	ctx := context.Background()
	dir := f.TempDir()
	template := filepath.Join(dir, "template.db")
	{
		s := importShop(f)
		if err := s.Backup(ctx, template, false); err != nil {
			f.Fatal(err)
		}
	}
	shop, err := os.ReadFile(template)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, file []byte, opts uint8) {
		checkImport(t, dir, shop, file, opts)
	})
}

// importSeed is a channel's file and FuzzImport's opts for it.
type importSeed struct {
	file string
	opts uint8
}

// importSeeds are files of each format, whole and with faults.
func importSeeds() []importSeed {
	etsyOrders := crlf(etsyHeader,
		etsyRow("05/20/26", `"Mug, blue"`, 2, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/21/26", "Bowl", 1, "18.50", "3002", "9002", "BOWL"))
	shopifyRow := func(name, created, qty, price, sku string) string {
		return strings.Join([]string{name, "jo@example.com", "paid", created, "unfulfilled", "", "no", "EUR", "", "", "", "", "", "", "",
			created, qty, "Mug", price, "", sku, "true", "true", "pending", "Jo", "", "", "", "", "Kiln", "5551"}, ",")
	}
	shopifyOrders := strings.Join([]string{shopifyHeader,
		shopifyRow("#1001", "2026-05-30 10:23:45 -0500", "1", "24.00", "MUG"),
		shopifyRow("#1002", "2026-05-31 09:00:00 +0100", "3", "18.00", "BOWL")}, "\n")
	etsyListings := "\ufeffTITLE,DESCRIPTION,PRICE,CURRENCY_CODE,QUANTITY,TAGS,MATERIALS,IMAGE1,VARIATION 1 TYPE,VARIATION 1 NAME,VARIATION 1 VALUES,SKU\r\n" +
		"Zine,\"Riso, two colours\",8.00,EUR,40,zine,paper,,,,,ZINE\r\n" +
		"Mug,,25.00,EUR,5,,,,,,,MUG\r\n"
	return []importSeed{
		{etsyOrders, 0}, {etsyOrders, 1}, {etsyOrders + etsyRow("05/22/26", "Vase", 1, "30.00", "3003", "9003", "VASE") + "\r\n", 2},
		{shopifyOrders, 0}, {strings.Replace(shopifyOrders, "24.00", "24.005", 1), 0},
		{shopifyProductsClassic, 4}, {shopifyProductsCurrent, 12},
		{etsyListings, 12}, {etsyListings, 13}, {strings.Replace(etsyListings, "EUR", "USD", 1), 12},
		{"", 0}, {"\ufeff", 0}, {"a,b\n\"unclosed", 0}, {etsyHeader + "\n,,,,", 0},
	}
}

// checkImport imports file, as opts says, into a copy of the shop whose
// database is shop, in a folder under dir, and fails unless the import
// keeps FuzzImport's promises.
func checkImport(t *testing.T, dir string, shop, file []byte, opts uint8) {
	ctx := context.Background()
	// Not t.TempDir: a seed's directory is named with a '#', which
	// Open misreads (see TestShopPathsWithURICharacters).
	runDir, err := os.MkdirTemp(dir, "run")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(runDir)
	path := filepath.Join(runDir, "shop.db")
	if err := os.WriteFile(path, shop, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{Now: func() time.Time { return testStart }, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	name := "orders.csv"
	if opts&8 != 0 {
		name = "EtsyListingsDownload.csv"
	}
	filePath := filepath.Join(runDir, name)
	if err := os.WriteFile(filePath, file, 0o600); err != nil {
		t.Fatal(err)
	}
	req := ImportRequest{Path: filePath, DryRun: opts&1 != 0, SkipUnknown: opts&2 != 0}
	if opts&4 != 0 {
		req.Update, req.SupplyPath = true, domain.PathHandmade
	}
	before := content(t, s)
	res, err := s.Import(ctx, req)
	if err != nil || req.DryRun {
		checkRefusal(t, err)
		if got := content(t, s); got != before {
			t.Fatalf("a refused or dry-run import (%v) changed the shop:\nbefore %s\nafter  %s", err, before, got)
		}
		return
	}
	if _, err := s.Stock(ctx, s.AsOfNow(), ""); err != nil {
		t.Fatalf("the stock after an import of %+v: %v", res, err)
	}
	after := content(t, s)
	again, err := s.Import(ctx, req)
	if err != nil {
		t.Fatalf("a file imported once (%+v) is refused the second time: %v", res, err)
	}
	if again.Sales != 0 || again.SKUsAdded != 0 || again.SKUsUpdated != 0 {
		t.Fatalf("a file imported twice recorded more the second time: %+v after %+v", again, res)
	}
	if got := content(t, s); got != after {
		t.Fatalf("a file imported twice changed the shop the second time:\nonce  %s\ntwice %s", after, got)
	}
}

// checkRefusal fails unless err is nil or a *domain.Error of one line.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var de *domain.Error
	if !errors.As(err, &de) || de.Message == "" || strings.ContainsAny(err.Error(), "\n\r") {
		t.Fatalf("a refusal is not one sentence of the app: %T %q", err, err)
	}
}
