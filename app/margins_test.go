package app

import (
	"context"
	"testing"

	"microshop/domain"
)

// TestMarginsFromTheLedger: MUG (price 10.00, cost 3.00) sells 2 a day for
// 28 days at the list price, and one more sale of 2 is voided; 3 come back
// broken (not restocked) and 1 is restocked. CHEAP (cost 3.00) sells 4 at 2.00.
//
//	MUG: units 58 − 2 = 56, revenue 560.00, cost 168.00,
//	     returns 4 × 10.00 (no refund named: the average price) + 3 × 3.00 = 49.00,
//	     contribution 560.00 − 168.00 − 49.00 = 343.00, per day over 28 days 12.25
//	CHEAP: revenue 8.00, cost 12.00, contribution −4.00: first, and an alert
func TestMarginsFromTheLedger(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 7, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	mustSKU(t, s, "CHEAP", domain.PathMicrofactory, "Fab")
	clock.Set(day(28))
	sellDaily(t, s, "MUG", 2, 28)
	last, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2, At: day(28)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, last.ID, ""); err != nil {
		t.Fatal(err)
	}
	for _, r := range []Return{{Code: "MUG", Qty: 3, Reason: "broke", At: day(27)}, {Code: "MUG", Qty: 1, Reason: "changed-mind", Restock: true, At: day(27)}} {
		if _, err := s.RecordReturn(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Count(ctx, "CHEAP", 10, day(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "CHEAP", Qty: 4, Price: ptr(domain.Money(200)), At: day(5)}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Margins(ctx, s.AsOfDate(day(28)), 28)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Code != "CHEAP" || rows[1].Code != "MUG" {
		t.Fatalf("rows %+v, want CHEAP (a loss) then MUG", rows)
	}
	mug := rows[1].Margin
	// Cost is of the 52 mugs the buyers kept: 4 came back.
	if mug.Units != 56 || mug.Revenue != 56000 || mug.Cost != 15600 || mug.Returns != 4900 || mug.Contribution != 35500 || mug.PerDay != 1268 {
		t.Errorf("MUG: %+v, want 56 units, 560.00, 156.00, 49.00, 355.00, 12.68 a day", mug)
	}
	if c := rows[0].Contribution; c != -400 {
		t.Errorf("CHEAP contribution %s, want -4.00", c)
	}
	if _, err := s.Margins(ctx, s.AsOfNow(), 0); err == nil {
		t.Errorf("a window of 0 days accepted")
	}

	// Archived since, CHEAP still sold in the window: its loss stays; a
	// SKU archived without sales in it is left out.
	mustSKU(t, s, "IDLE", domain.PathMicrofactory, "Fab")
	for _, code := range []string{"CHEAP", "IDLE"} {
		if err := s.ArchiveSKU(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	rows, err = s.Margins(ctx, s.AsOfDate(day(28)), 28)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Code != "CHEAP" || rows[0].Contribution != -400 {
		t.Errorf("rows after archiving %+v; want CHEAP's loss still there, and no IDLE", rows)
	}
}

// A return that records its refund costs that refund, not the sale price:
// MUG (10.00, cost 3.00) sells 2; one comes back refunded 4.00 and not
// restocked: cost 1 kept × 3.00, returns 4.00 + 3.00 = 7.00, contribution
// 20.00 − 3.00 − 7.00 = 10.00 (20.00 taken, 4.00 paid back, two mugs gone).
func TestMarginsCountTheRefundPaid(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "broke", Refund: 400}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Margins(ctx, s.AsOfNow(), 90)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Code == "MUG" && (r.Returns != 700 || r.Contribution != 1000) {
			t.Fatalf("MUG returns %s, contribution %s; want 7.00 and 10.00", r.Returns, r.Contribution)
		}
	}
}

// A kit returned without a refund is valued at the kit's price, each part
// at its share of it, as the kit sold: each part was valued at its own
// average price in the window, and a kit of 35.00 came back as 35.76.
func TestAKitReturnedIsValuedAtTheKitsPrice(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	for code, price := range map[string]domain.Money{"MUG": 2000, "CARD": 2000} {
		if _, err := s.EditSKU(ctx, code, SKUFields{Price: &price}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddKit(ctx, "SET", "Mug and card", 3500, []KitPartIn{{"MUG", 1}, {"CARD", 1}}); err != nil {
		t.Fatal(err)
	}
	mugAt := domain.Money(2600) // the mug alone sells dearer than in the kit
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 3, Price: &mugAt}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "SET"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "SET", Qty: 1, Reason: "changed-mind", Restock: true}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Margins(ctx, s.AsOfNow(), 90)
	if err != nil {
		t.Fatal(err)
	}
	var returns domain.Money
	for _, r := range rows {
		returns += r.Returns
	}
	if returns != 3500 {
		t.Errorf("the kit's return is valued at %s over its parts, want 35.00, its price", returns)
	}
}

// A mug sold on day 0 comes back broken on day 20, no refund named: over
// the last 7 days, which hold no sale of it, the buyer was still paid back
// its price, 10.00: the window's loss. The unit lost costs 3.00, counted
// in the window it sold in (cost −3.00 here, returns 13.00).
func TestAReturnOfAnEarlierSaleCountsItsRefund(t *testing.T) {
	ctx := context.Background()
	s, clock := tillShop(t)
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(20))
	if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "broke"}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Margins(ctx, s.AsOfNow(), 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Code == "MUG" && (r.Returns != 1300 || r.Contribution != -1000) {
			t.Errorf("MUG returns %s, contribution %s; want 13.00 and -10.00", r.Returns, r.Contribution)
		}
	}
}
