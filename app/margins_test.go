package app

import (
	"context"
	"testing"

	"microshop/domain"
)

// Worked by hand on tillShop (MUG and CARD at 10.00, costing 3.00): MUG
// sells 4 at 10.00 and 1 at 9.00 (49.00), one of them is voided (−10.00),
// one comes back refunded 9.00 and not restocked; CARD sells 2 at 2.00,
// below its cost.
//
//	MUG:  units 4, revenue 39.00, cost 12.00, returns 9.00 + 3.00 = 12.00,
//	      contribution 15.00, margin 38.46 %
//	CARD: units 2, revenue 4.00, cost 6.00, returns 0, contribution −2.00
func TestMarginsByHand(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	nine, two := domain.Money(900), domain.Money(200)
	var voided string
	for i := range 4 {
		res, err := s.Sell(ctx, Sale{Code: "MUG"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			voided = res.ID
		}
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Price: &nine}); err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, voided, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "broke", Refund: 900}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "CARD", Qty: 2, Price: &two}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Margins(ctx, s.AsOfNow(), 90)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Code != "CARD" || rows[1].Code != "MUG" {
		t.Fatalf("margins %+v; want CARD (worst) then MUG", rows)
	}
	card, mug := rows[0], rows[1]
	if card.Units != 2 || card.Revenue != 400 || card.Cost != 600 || card.Contribution != -200 || !card.LosesMoney() {
		t.Errorf("CARD %+v; want 2 units, 4.00 revenue, 6.00 cost, −2.00", card.Margin)
	}
	if mug.Units != 4 || mug.Revenue != 3900 || mug.Cost != 1200 || mug.Returns != 1200 || mug.Contribution != 1500 {
		t.Errorf("MUG %+v; want 4 units, 39.00, cost 12.00, returns 12.00, contribution 15.00", mug.Margin)
	}
	if _, err := s.Margins(ctx, s.AsOfNow(), 0); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("a window of 0 days: %v, want refused", err)
	}
}
