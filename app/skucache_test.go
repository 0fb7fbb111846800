package app

import (
	"context"
	"testing"

	"microshop/domain"
)

// A sale finds its SKU through the list whole-shop reports keep, as
// findSKU would: any case of the code, and never a SKU as it was before
// an edit or archiving.
func TestSaleFindsItsSKUAsTheStoreHoldsIt(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	if _, err := s.Stock(ctx, s.AsOfNow(), ""); err != nil { // keeps the list
		t.Fatal(err)
	}
	for _, code := range []string{"MUG", "mug", "Mug"} {
		r, err := s.Sell(ctx, Sale{Code: code})
		if err != nil || r.Code != "MUG" || r.Price != 1000 {
			t.Fatalf("sell %q: %+v, %v; want MUG at 10.00", code, r, err)
		}
	}
	if _, err := s.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(1500))}); err != nil {
		t.Fatal(err)
	}
	if r, err := s.Sell(ctx, Sale{Code: "mug"}); err != nil || r.Price != 1500 {
		t.Fatalf("after the price went to 15.00 a sale is %+v, %v", r, err)
	}
	if _, err := s.Stock(ctx, s.AsOfNow(), ""); err != nil {
		t.Fatal(err)
	}
	if err := s.ArchiveSKU(ctx, "CARD"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "card"}); domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("selling an archived SKU: %v; want it refused as archived", err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "NOPE"}); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("selling an unknown code: %v; want not found", err)
	}
}
