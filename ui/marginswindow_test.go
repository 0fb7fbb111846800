package ui

import (
	"context"
	"strings"
	"testing"

	"microshop/app"
	"microshop/domain"
)

// Margins read the window chosen: a loss 60 days ago is in the 90 days
// it opens on, and gone from the last 30.
func TestMarginsReadTheWindowChosen(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	// Made for 5.00: 5 sold at 9.00 four days ago make 5 × 4.00 = 20.00;
	// 10 sold at 1.00 sixty days ago lost 10 × 4.00 = 40.00.
	cost, cheap := domain.Money(500), domain.Money(100)
	if _, err := shop.EditSKU(ctx, "CANDLE", app.SKUFields{Cost: &cost}); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.Sell(ctx, app.Sale{Code: "CANDLE", Qty: 10, Price: &cheap, At: day(-60), Force: true}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{})
	v := u.showMargins()
	if v.window.Selected != "90 days" || len(v.rows) == 0 || v.rows[0].Code != "CANDLE" || v.rows[0].Contribution >= 0 {
		t.Fatalf("over %s: %+v; want CANDLE first, losing money", v.window.Selected, v.rows)
	}
	v.window.SetSelected("30 days")
	for _, r := range v.rows {
		if r.Code == "CANDLE" && r.Contribution < 0 {
			t.Fatalf("over 30 days CANDLE still lost money: %+v", r)
		}
	}
	if !strings.Contains(v.note.Text, "0 lost money") {
		t.Errorf("over 30 days the note says %q", v.note.Text)
	}
}
