package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"microshop/domain"
)

// The check before an import names the SKUs its sales would take below
// zero, with the units the file wants, those available and the orders that
// would wait: the numbers Today shows after the import, not before.
// Lines imported before, downloads and shipped orders wait for nothing.
func TestADryRunNamesWhatTheImportWouldOversell(t *testing.T) {
	ctx := context.Background()
	s := importShop(t) // MUG and BOWL, 5 each
	mustSKU(t, s, "RISO-FOX", domain.PathMicrofactory, "Kiln")
	mustSKU(t, s, "CARD", domain.PathMicrofactory, "Kiln")
	mustSKU(t, s, "GUIDE", domain.PathDigital, "")
	if _, err := s.Count(ctx, "CARD", 1, day(-30)); err != nil {
		t.Fatal(err)
	}
	before := writeFile(t, "april.csv", crlf(etsyHeader, etsyRow("05/19/26", "Mug", 4, "24.00", "3001", "9001", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: before}); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "EtsySoldOrderItems.csv", crlf(etsyHeader,
		etsyRow("05/19/26", "Mug", 4, "24.00", "3001", "9001", "MUG"), // imported before
		etsyRow("05/20/26", "Mug", 1, "24.00", "3301", "9301", "MUG"), // the last one
		etsyRow("05/20/26", "Fox", 1, "15.00", "3101", "9101", "RISO-FOX"),
		etsyRow("05/20/26", "Fox", 1, "15.00", "3102", "9102", "RISO-FOX"),
		etsyRow("05/21/26", "Fox", 1, "15.00", "3103", "9103", "RISO-FOX"),
		etsyShipped("05/20/26", "05/22/26", "Bowl", 4, "18.50", "3201", "9201", "BOWL"),
		etsyRow("05/21/26", "Bowl", 3, "18.50", "3202", "9202", "BOWL"),
		etsyShipped("05/21/26", "05/22/26", "Card", 2, "4.00", "3401", "9401", "CARD"),
		etsyRow("05/21/26", "Guide", 10, "5.00", "3501", "9501", "GUIDE")))
	res, err := s.Import(ctx, ImportRequest{Path: file, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []ImportOversell{
		{Code: "RISO-FOX", Want: 3, Available: 0, Waiting: 3},
		{Code: "BOWL", Want: 7, Available: 5, Waiting: 1},
		{Code: "CARD", Want: 2, Available: 1, Waiting: 0},
	}
	if !slices.Equal(res.Oversold, want) {
		t.Fatalf("the dry run finds oversold %+v; want %+v", res.Oversold, want)
	}
	if got, say := res.Oversold[0].String(), "RISO-FOX: the file's orders want 3 and 0 are available, so 3 orders will wait for stock."; got != say {
		t.Errorf("RISO-FOX is told as %q; want %q", got, say)
	}
	if got := res.Oversold[2].String(); !strings.Contains(got, "want 2 and 1 is available") || !strings.Contains(got, "CARD will show as oversold") {
		t.Errorf("CARD, its orders shipped, is told as %q; want its units and that it shows oversold", got)
	}
	if note := res.OversoldNote(); !strings.Contains(note, "3 SKUs below zero") {
		t.Errorf("the note says %q; want 3 SKUs named", note)
	}

	// Imported, the shop shows what the check said.
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	for _, o := range want {
		if got := mustStock(t, s, o.Code, s.AsOfNow()); got.Available != o.Available-o.Want || got.Status != domain.StatusOversold {
			t.Errorf("%s after the import: %d available, %s; the check said %d", o.Code, got.Available, got.Status, o.Available-o.Want)
		}
	}
	if got := mustStock(t, s, "MUG", s.AsOfNow()).Available; got != 0 {
		t.Errorf("MUG after the import: %d available; the check said it would not go below zero", got)
	}
	delayed, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Delayed: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := orderNumbers(delayed); got != "9103 9202 9101 9102" {
		t.Errorf("delayed orders after the import: %q; the check said RISO-FOX's 3 and one of BOWL's would wait", got)
	}
}

// A sale dated before a SKU's last stocktake is inside that count and
// takes nothing off the shelf; a kit's sale takes its parts'.
func TestADryRunCountsWhatTheImportTakesOffTheShelf(t *testing.T) {
	ctx := context.Background()
	s := importShop(t) // MUG and BOWL, 5 each, counted 30 days ago
	if _, err := s.AddKit(ctx, "SET", "Mug and bowl", 3000, []KitPartIn{{"MUG", 1}, {"BOWL", 2}}); err != nil {
		t.Fatal(err)
	}
	date := func(n int) string { return day(n).Format("01/02/06") }
	file := writeFile(t, "orders.csv", crlf(etsyHeader,
		etsyRow(date(-40), "Mug", 8, "24.00", "3001", "9001", "MUG"),
		etsyRow(date(-3), "Set", 3, "30.00", "3002", "9002", "SET")))
	res, err := s.Import(ctx, ImportRequest{Path: file, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []ImportOversell{{Code: "BOWL", Want: 6, Available: 5, Waiting: 1}}
	if !slices.Equal(res.Oversold, want) {
		t.Fatalf("the dry run finds oversold %+v; want %+v (the mug's sale is before its count)", res.Oversold, want)
	}
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	for code, n := range map[string]int{"MUG": 2, "BOWL": -1} {
		if got := mustStock(t, s, code, s.AsOfNow()).Available; got != n {
			t.Errorf("%s after the import: %d available, want %d as the check counted", code, got, n)
		}
	}
}

// The check names a few SKUs, then how many more.
func TestOversoldLinesNameAFewThenCount(t *testing.T) {
	var res ImportResult
	for i := range 7 {
		res.Oversold = append(res.Oversold, ImportOversell{Code: fmt.Sprintf("SKU-%d", i), Want: 2, Waiting: 2})
	}
	lines := res.OversoldLines(5)
	if len(lines) != 6 || !strings.HasPrefix(lines[4], "SKU-4: ") || lines[5] != "and 2 more SKUs" {
		t.Errorf("lines %q; want five SKUs, then and 2 more SKUs", lines)
	}
	if got := (ImportResult{}).OversoldNote(); got != "" {
		t.Errorf("with nothing oversold the note says %q; want nothing", got)
	}
}
