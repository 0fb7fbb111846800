package app

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// A shop in yen says its amounts in whole yen in what the app writes for
// people (warnings, conflicts, the purchase order), while a conflict's
// value keeps its two-decimal form for JSON.
func TestAYenShopWritesWholeYenForPeople(t *testing.T) {
	ctx := context.Background()
	desk, clock := yenShop(t)
	path, fab := domain.PathPrint, "Fab"
	if _, err := desk.AddSKU(ctx, "CARD", SKUFields{Name: ptr("Card"), Path: &path, Factory: &fab, Price: ptr(domain.Money(150000))}); err != nil {
		t.Fatal(err)
	}

	check, err := desk.RecordReturn(ctx, Return{Code: "CARD", Qty: 1, Reason: "changed-mind", Refund: 200000, DryRun: true})
	if err != nil || len(check.Warnings) == 0 || !strings.Contains(check.Warnings[0], "the refund of 2000 is more than 1 × CARD at its price of 1500;") {
		t.Errorf("a refund above the price: %q, %v; want it said in whole yen", check.Warnings, err)
	}
	quote, err := desk.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "CARD", UnitCost: 0})
	if err != nil || len(quote.Warnings) != 1 || !strings.Contains(quote.Warnings[0], "at 0 a unit") {
		t.Errorf("a quote of nothing: %q, %v; want it said as 0 yen", quote.Warnings, err)
	}

	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	if _, err := desk.EditSKU(ctx, "CARD", SKUFields{Price: ptr(domain.Money(160000))}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Second))
	if _, err := laptop.EditSKU(ctx, "CARD", SKUFields{Price: ptr(domain.Money(170000))}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	cs, err := desk.Conflicts(ctx)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts %+v, %v; want the price's", cs, err)
	}
	if c := cs[0]; c.Kept.String() != "1700" || c.Lost.String() != "1600" || c.Kept.Value != "1700.00" || c.Lost.Value != "1600.00" {
		t.Errorf("the price conflict reads kept %s lost %s (values %#v and %#v); want 1700 and 1600 for people, 1700.00 and 1600.00 as values",
			c.Kept, c.Lost, c.Kept.Value, c.Lost.Value)
	}

	po := PurchaseOrder{Shop: "Tokyo Prints", Currency: "JPY", Factory: "Fab", Date: testStart, NeededBy: testStart,
		Lines: []POLine{{Code: "CARD", Name: "Card", Qty: 20, UnitCost: 45000, Total: 900000, NeededBy: testStart}}, Total: 900000}
	file := filepath.Join(t.TempDir(), "po.pdf")
	if err := desk.WritePurchaseOrder(file, false, po); err != nil {
		t.Fatal(err)
	}
	tool := pdftotext(t)
	text, err := exec.Command(tool, "-layout", file, "-").Output()
	if err != nil || !strings.Contains(string(text), "450") || !strings.Contains(string(text), "9000 JPY") || strings.Contains(string(text), ".00") {
		t.Errorf("po.pdf reads %q (%v); want 450 a unit, 9000 JPY in all, no hundredths", text, err)
	}
}

// A discount in yen is taken to the whole yen, as a buyer pays it: 10 %
// off 1555 yen is 1399, where it had been recorded as 1399.50, an amount
// no till takes, and the kit made of it less 10 % 2299.50 instead of 2300.
func TestAYenShopsDiscountsAreWholeYen(t *testing.T) {
	ctx := context.Background()
	s, _ := yenShop(t)
	path, fab := domain.PathPrint, "Fab"
	for code, price := range map[string]domain.Money{"CARD": 155500, "PIN": 100000} {
		if _, err := s.AddSKU(ctx, code, SKUFields{Name: ptr(code), Path: &path, Factory: &fab, Price: ptr(price)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Count(ctx, code, 10, s.Now()); err != nil {
			t.Fatal(err)
		}
	}
	sold, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "CARD", Qty: 1}}, Discount: 10})
	if err != nil {
		t.Fatal(err)
	}
	if sold.Total != 139900 || sold.Discounts != 15600 || sold.Items[0].Price != 139900 {
		t.Errorf("10 %% off 1555 yen: paid %s, %s off, the line at %s; want 1399 paid, 156 off", sold.Total, sold.Discounts, sold.Items[0].Price)
	}
	kit, err := s.AddKit(ctx, "SET", "Card and pin", -1, []KitPartIn{{Code: "CARD", Qty: 1}, {Code: "PIN", Qty: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if kit.Price != 230000 {
		t.Errorf("the kit of 1555 and 1000 yen less 10 %% is %s; want 2300", kit.Price)
	}
}
