package app

import (
	"context"
	"strings"
	"testing"
)

// An open order dated before a SKU's stocktake takes nothing off it (the
// count set what was on hand), though its units were on the shelf when
// counted: the import says so, before and when it records, so the maker
// counts again once they are packed rather than selling them twice.
// Shipped orders, and orders after the count, are not named.
func TestAnImportNamesOpenOrdersDatedBeforeAStocktake(t *testing.T) {
	ctx := context.Background()
	s := importShop(t) // MUG and BOWL, 5 each, counted on day -30
	if _, err := s.Count(ctx, "MUG", 5, day(-1)); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "EtsySoldOrderItems.csv", crlf(etsyHeader,
		etsyRow("05/30/26", "Mug", 2, "24.00", "3001", "9001", "MUG"),
		etsyRow("05/30/26", "Mug", 1, "24.00", "3002", "9002", "MUG"),
		etsyShipped("05/30/26", "05/30/26", "Mug", 1, "24.00", "3003", "9003", "MUG"),
		etsyRow("06/02/26", "Mug", 1, "24.00", "3004", "9004", "MUG"),
		etsyRow("05/30/26", "Bowl", 1, "18.50", "3101", "9101", "BOWL")))
	for _, dry := range []bool{true, false} {
		res, err := s.Import(ctx, ImportRequest{Path: file, DryRun: dry})
		if err != nil {
			t.Fatal(err)
		}
		// The span of the sales' dates shows a file whose day and month
		// were read swapped.
		if got := res.SalesDated(); got != "dated 30 May 2026 to 2 June 2026" {
			t.Errorf("dry run %v: the sales are %q; want 30 May to 2 June 2026", dry, got)
		}
		if len(res.CountedOpen) != 1 {
			t.Fatalf("dry run %v: counted open %+v; want MUG alone", dry, res.CountedOpen)
		}
		c := res.CountedOpen[0]
		if c.Code != "MUG" || c.Units != 3 || strings.Join(c.Orders, ",") != "9001,9002" || !c.CountedAt.Equal(day(-1)) {
			t.Errorf("dry run %v: MUG's open orders %+v; want 3 units of 9001 and 9002, counted on day -1", dry, c)
		}
		if got := c.String(); !strings.Contains(got, "MUG: 3 units in 2 open orders, not shipped yet") || !strings.Contains(got, "count MUG again once the orders are packed") {
			t.Errorf("it is told as %q", got)
		}
	}
	if res, err := s.Import(ctx, ImportRequest{Path: file}); err != nil || len(res.CountedOpen) != 0 {
		t.Errorf("the same file again: counted open %+v, %v; want none, its lines are there already", res.CountedOpen, err)
	}
}
