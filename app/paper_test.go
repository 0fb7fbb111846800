package app

import (
	"context"
	"encoding/csv"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// reorderShop has MUG (cost 3.00) from Kiln selling 2 a day for 10 days
// from 30 units: 10 left, below its reorder point, so Kiln is to be
// asked for more; CARD from Riso has plenty.
func reorderShop(t *testing.T) *Shop {
	t.Helper()
	s, _ := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	mustFactory(t, s, "Riso", 3, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Kiln")
	mustSKU(t, s, "CARD", domain.PathPrint, "Riso")
	start := testStart.AddDate(0, 0, -10)
	for _, code := range []string{"MUG", "CARD"} {
		if _, err := s.Count(ctx, code, 30, start); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Count(ctx, "CARD", 500, start.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	for d := range 10 {
		if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2, At: start.AddDate(0, 0, d).Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestPurchaseOrderFromReorderSuggestions(t *testing.T) {
	s := reorderShop(t)
	ctx := context.Background()
	reorder, err := s.Reorder(ctx, s.AsOfNow())
	if err != nil || len(reorder) != 1 || reorder[0].Code != "MUG" {
		t.Fatalf("reorder = %+v, %v; the test needs MUG alone to reorder", reorder, err)
	}
	po, err := s.PurchaseOrder(ctx, "kiln", s.AsOfNow(), false)
	if err != nil {
		t.Fatal(err)
	}
	want := reorder[0].SuggestedQty
	if len(po.Lines) != 1 || po.Lines[0].Code != "MUG" || po.Lines[0].Qty != want || po.Total != domain.Money(300*want) {
		t.Fatalf("purchase order %+v, want %d MUG at 3.00", po, want)
	}
	// 10 mugs left at 2 a day run out in 5 days, before Kiln's 14 days: the
	// order is needed by the day they run out, not the day it could come.
	if got := po.NeededBy.Format(time.DateOnly); got != "2026-06-06" {
		t.Errorf("needed by %s, want 2026-06-06 (the day MUG runs out, before Kiln's 14 days)", got)
	}
	vector := s.DeviceID()
	before, _ := s.Status(ctx)
	dir := t.TempDir()
	if err := s.WritePurchaseOrder(filepath.Join(dir, "po.csv"), false, po); err != nil {
		t.Fatal(err)
	}
	if err := s.WritePurchaseOrder(filepath.Join(dir, "po.pdf"), false, po); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(dir, "po.csv"))
	if len(rows) != 3 || !slices.Equal(rows[1][:5], []string{"Kiln", "MUG", "Item MUG", itoa(int64(want)), "3.00"}) || rows[2][5] != po.Total.String() {
		t.Errorf("po.csv = %q", rows)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "po.pdf")); !strings.HasPrefix(string(b), "%PDF-") {
		t.Error("po.pdf is not a PDF")
	}
	// Each line's date has its year: an order made in December is needed
	// in January of the next.
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		out, _ := exec.Command(pdftotext, "-layout", filepath.Join(dir, "po.pdf"), "-").CombinedOutput()
		if !regexp.MustCompile(`MUG\s+Item MUG.*2026-06-06`).Match(out) {
			t.Errorf("po.pdf's MUG line lacks its date with the year:\n%s", out)
		}
	} else if os.Getenv("CI") != "" {
		t.Fatalf("CI must have pdftotext (poppler-utils): %v", err)
	}
	if after, _ := s.Status(ctx); after.Unsynced != before.Unsynced || s.DeviceID() != vector {
		t.Error("making a purchase order recorded something")
	}
	if err := s.WritePurchaseOrder(filepath.Join(dir, "po.txt"), false, po); err == nil {
		t.Error("a .txt purchase order was written")
	}
	if _, err := s.PurchaseOrder(ctx, "Riso", s.AsOfNow(), false); err == nil {
		t.Error("a factory with nothing to order gave a purchase order")
	}
}

// TestPurchaseOrderWithNothingToOrderSaysWhy: a factory whose SKUs sold
// nothing, or that makes none, heard its SKUs "have enough stock", though
// a SKU that never sold asks for no batch however little it holds.
func TestPurchaseOrderWithNothingToOrderSaysWhy(t *testing.T) {
	s := reorderShop(t)
	ctx := context.Background()
	mustFactory(t, s, "Empty", 5, true)
	mustFactory(t, s, "Press", 5, true)
	mustSKU(t, s, "ZINE", domain.PathPrint, "Press")
	mustSKU(t, s, "POSTER", domain.PathPrint, "Press")
	mustFactory(t, s, "Bindery", 5, true)
	mustSKU(t, s, "BOOK", domain.PathPrint, "Bindery")
	for _, code := range []string{"ZINE", "BOOK"} {
		if _, err := s.Count(ctx, code, 500, testStart.AddDate(0, 0, -3)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sell(ctx, Sale{Code: code, Qty: 1, At: testStart.AddDate(0, 0, -2)}); err != nil {
			t.Fatal(err)
		}
	}
	const asOf = "nothing needs ordering from %s as of 2026-06-01; "
	for _, c := range []struct{ factory, want string }{
		{"Riso", "its one SKU sold nothing in the 28 days ending 2026-06-01, and a reorder follows sales"},
		{"Empty", "no SKU on sale is made there"},
		{"Press", "1 of its 2 SKUs sold nothing in the 28 days ending 2026-06-01, and the others have enough stock and batches on order"},
		{"Bindery", "its one SKU has enough stock and batches on order"},
	} {
		_, err := s.PurchaseOrder(ctx, c.factory, s.AsOfNow(), false)
		if got, want := domain.ErrorMessage(err), fmt.Sprintf(asOf, c.factory)+c.want; got != want {
			t.Errorf("%s:\n got %q\nwant %q", c.factory, got, want)
		}
	}
}

func TestPurchaseOrderFromAPausedFactoryNeedsForce(t *testing.T) {
	s := reorderShop(t)
	ctx := context.Background()
	if err := s.PauseFactory(ctx, "Kiln", "cracked glaze"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PurchaseOrder(ctx, "Kiln", s.AsOfNow(), false); err == nil || !strings.Contains(err.Error(), "paused") {
		t.Fatalf("a paused factory's order: %v", err)
	}
	po, err := s.PurchaseOrder(ctx, "Kiln", s.AsOfNow(), true)
	if err != nil || len(po.Lines) != 1 || po.Lines[0].Qty <= 0 {
		t.Fatalf("forced: %+v, %v", po, err)
	}
}

func TestExports(t *testing.T) {
	s := reorderShop(t)
	ctx := context.Background()
	dir := t.TempDir()
	n, err := s.Export(ctx, filepath.Join(dir, "inv.csv"), false, ExportRequest{Kind: "shopify-inventory", AsOf: s.AsOfNow()})
	if err != nil || n != 2 {
		t.Fatalf("shopify-inventory: %d rows, %v", n, err)
	}
	inv := readCSV(t, filepath.Join(dir, "inv.csv"))
	col := func(name string) int { return slices.Index(inv[0], name) }
	for _, c := range []string{"Handle", "SKU", "Location", "On hand (current)", "On hand (new)"} {
		if col(c) < 0 {
			t.Fatalf("the Shopify inventory CSV lacks %q: %q", c, inv[0])
		}
	}
	for _, r := range inv[1:] {
		want := map[string]string{"MUG": "10", "CARD": "500"}[r[col("SKU")]]
		if r[col("On hand (new)")] != want || r[col("Location")] != DefaultShopifyLocation || r[col("Handle")] != ShopifyHandle("Item "+r[col("SKU")]) {
			t.Errorf("row %q: want on hand %s at %s", r, want, DefaultShopifyLocation)
		}
	}
	if n, err := s.Export(ctx, filepath.Join(dir, "sales.csv"), false, ExportRequest{Kind: "sales", From: testStart.AddDate(0, 0, -30), To: testStart.Add(time.Hour)}); err != nil || n != 10 {
		t.Errorf("sales: %d rows, %v; want the 10 sales", n, err)
	}
	sales := readCSV(t, filepath.Join(dir, "sales.csv"))
	if sales[1][3] != "MUG" || sales[1][4] != "2" || sales[1][2] >= sales[10][2] || sales[0][11] != "location" || sales[1][11] != "main" {
		t.Errorf("sales.csv: %q", sales[:2])
	}
	if n, err := s.Export(ctx, filepath.Join(dir, "reorder.csv"), false, ExportRequest{Kind: "reorder", AsOf: s.AsOfNow()}); err != nil || n != 1 {
		t.Errorf("reorder: %d rows, %v", n, err)
	}
	if n, err := s.Export(ctx, filepath.Join(dir, "stock.csv"), false, ExportRequest{Kind: "stock", AsOf: s.AsOfNow()}); err != nil || n != 2 {
		t.Errorf("stock: %d rows, %v", n, err)
	}
	if _, err := s.Export(ctx, filepath.Join(dir, "stock.csv"), false, ExportRequest{Kind: "stock", AsOf: s.AsOfNow()}); err == nil {
		t.Error("an export wrote over an existing file")
	}
	if _, err := s.Export(ctx, filepath.Join(dir, "x.csv"), false, ExportRequest{Kind: "everything"}); err == nil {
		t.Error("an unknown export was accepted")
	}
	if got := ShopifyHandle("Blue Mug — 350 ml!"); got != "blue-mug-350-ml" {
		t.Errorf("handle %q", got)
	}
}

// An oversold SKU's negative on hand is written as the number it is: the
// formula guard made it the text '-2, which Shopify's inventory import
// cannot read and a spreadsheet sorts as text. Text that could run as a
// formula is still guarded.
func TestExportsWriteNegativeNumbersAsNumbers(t *testing.T) {
	s := reorderShop(t)
	ctx := context.Background()
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 12, Force: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditSKU(ctx, "CARD", SKUFields{Name: ptr("-2+3 cards")}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, kind := range []string{"stock", "shopify-inventory"} {
		path := filepath.Join(dir, kind+".csv")
		if _, err := s.Export(ctx, path, false, ExportRequest{Kind: kind, AsOf: s.AsOfNow()}); err != nil {
			t.Fatal(err)
		}
		rows := readCSV(t, path)
		text := fmt.Sprint(rows)
		quoted := regexp.MustCompile(`'-?[0-9.]+(\s|\])`)
		if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Contains(r, "-2") }) || quoted.MatchString(text) {
			t.Errorf("%s: MUG's on hand of -2 is not written as -2:\n%q", kind, rows)
		}
		if kind == "stock" && !strings.Contains(text, "'-2+3 cards") {
			t.Errorf("%s: the name -2+3 cards is not guarded:\n%q", kind, rows)
		}
	}
}

// A purchase order, and a batch ordered, price a SKU the factory has
// quoted at its quote, as sourcing does: the order sent to the factory
// showed the SKU's cost, another price than the one it quoted. Once the
// quote is withdrawn, the SKU's cost again.
func TestOrdersPriceAQuotedSKUAtTheQuote(t *testing.T) {
	s := reorderShop(t)
	ctx := context.Background()
	mug, err := s.SKU(ctx, "MUG")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Kiln", Code: "MUG", UnitCost: mug.Cost + 150}); err != nil {
		t.Fatal(err)
	}
	po, err := s.PurchaseOrder(ctx, "Kiln", s.AsOfNow(), false)
	if err != nil || len(po.Lines) != 1 || po.Lines[0].UnitCost != mug.Cost+150 || po.Total != (mug.Cost+150)*domain.Money(po.Lines[0].Qty) {
		t.Fatalf("purchase order %+v, %v; want MUG at the quoted %s", po, err, mug.Cost+150)
	}
	b, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10})
	if err != nil || b.UnitCost != mug.Cost+150 {
		t.Errorf("batch %+v, %v; want it at the quoted %s", b, err, mug.Cost+150)
	}
	if err := s.WithdrawQuote(ctx, "Kiln", "MUG"); err != nil {
		t.Fatal(err)
	}
	if b, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 10}); err != nil || b.UnitCost != mug.Cost {
		t.Errorf("batch after the quote was withdrawn: %+v, %v; want the SKU's cost %s", b, err, mug.Cost)
	}
}

// The rule above a purchase order's total spans the table, as the rule
// under its heading does: it stopped at the Total column, short of the
// Needed by one beside it.
func TestPurchaseOrderTotalsRuleSpansTheTable(t *testing.T) {
	tool, err := exec.LookPath("pdftoppm")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftoppm (poppler-utils) is not installed")
		}
		t.Fatal("CI must have pdftoppm (poppler-utils)")
	}
	desk, _ := mustCreate(t)
	po := PurchaseOrder{Shop: "Fern", Currency: "EUR", Factory: "Kiln", Date: testStart, NeededBy: testStart,
		Lines: []POLine{{Code: "MUG", Name: "Mug", Qty: 20, UnitCost: 300, Total: 6000, NeededBy: testStart}}, Total: 6000}
	dir := t.TempDir()
	file := filepath.Join(dir, "po.pdf")
	if err := desk.WritePurchaseOrder(file, false, po); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tool, "-r", "100", "-gray", "-png", "-singlefile", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	rules := horizontalRules(t, filepath.Join(dir, "page.png"))
	if len(rules) != 2 {
		t.Fatalf("po.pdf has rules %v; want two, under the heading and above the total", rules)
	}
	if head, total := rules[0], rules[1]; total != head {
		t.Errorf("the total's rule runs from pixel %d to %d, the heading's from %d to %d; want the table's width both", total[0], total[1], head[0], head[1])
	}
}

// horizontalRules reads a rendered page and returns where each horizontal
// rule starts and ends: a dark run of a row longer than a quarter of the
// page, once for a rule drawn a few pixel rows thick.
func horizontalRules(t *testing.T, file string) [][2]int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	var rules [][2]int
	last := -2
	for y := b.Min.Y; y < b.Max.Y; y++ {
		start, run := 0, 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				if run == 0 {
					start = x
				}
				run++
				continue
			}
			if run > b.Dx()/4 {
				break
			}
			run = 0
		}
		if run > b.Dx()/4 {
			if y != last+1 {
				rules = append(rules, [2]int{start, start + run})
			}
			last = y
		}
	}
	return rules
}

// A purchase order's number columns are headed from the right, as their
// numbers are set: the headings Qty, Unit cost and Total stood at the left
// of their columns, over the gap before numbers set at the right.
func TestPurchaseOrderNumberHeadingsStandOverTheirNumbers(t *testing.T) {
	tool := pdftotext(t)
	desk, _ := mustCreate(t)
	po := PurchaseOrder{Shop: "Fern", Currency: "EUR", Factory: "Kiln", Date: testStart, NeededBy: testStart,
		Lines: []POLine{{Code: "MUG", Name: "Mug", Qty: 20, UnitCost: 300, Total: 6000, NeededBy: testStart}}, Total: 6000}
	file := filepath.Join(t.TempDir(), "po.pdf")
	if err := desk.WritePurchaseOrder(file, false, po); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-bbox", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	right := map[string]float64{} // each word's right edge, the first of its kind
	for _, m := range regexp.MustCompile(`xMax="([0-9.]+)"[^>]*>([^<]+)</word>`).FindAllStringSubmatch(string(out), -1) {
		if _, seen := right[m[2]]; !seen {
			right[m[2]], _ = strconv.ParseFloat(m[1], 64)
		}
	}
	for heading, number := range map[string]string{"Qty": "20", "cost": "3.00", "Total": "60.00"} {
		if math.Abs(right[heading]-right[number]) > 1 {
			t.Errorf("heading %q ends at %.1f pt, its number %s at %.1f pt; want them flush right", heading, right[heading], number, right[number])
		}
	}
}
