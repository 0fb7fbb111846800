package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
)

// A SKU's detail moves a chosen number of its units between locations,
// once the shop has more than main: the desktop moved only the whole pack
// list, at its quantities, and nothing brought one SKU back home.
func TestASKUsUnitsMoveBetweenLocations(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	u.openSKU("MUG")
	if u.skus.detail.moveBtn.Visible() {
		t.Fatal("with main alone, the detail offers Move…")
	}
	if _, err := shop.AddLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	u.openSKU("PRINT-A4")
	u.openSKU("MUG")
	if !u.skus.detail.moveBtn.Visible() {
		t.Fatal("with a stall, the detail does not offer Move…")
	}
	test.Tap(u.skus.detail.moveBtn)
	f := u.skus.moveForm(must[domain.SKU](t)(shop.SKU(ctx, "MUG"))) // the form Move… opened, again, on top
	formItem[*widget.Select](t, f, "To").SetSelected("Stall")
	for _, bad := range []string{"0", "500"} { // none, and more than main has
		entryIn(t, f.fieldForm, "Units").SetText(bad)
		before := vectorTotal(t, shop)
		submit(t, w, f)
		if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
			t.Fatalf("moving %s closed the form or wrote", bad)
		}
	}
	entryIn(t, f.fieldForm, "Units").SetText("5")
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "Moved 5 units of MUG from main to Stall") {
		t.Fatalf("after the move the dialog says %q", got)
	}
	rows, err := shop.StockAt(ctx, shop.AsOfNow(), "MUG", "Stall")
	if err != nil || len(rows) != 1 || rows[0].OnHand != 5 {
		t.Fatalf("MUG at the stall: %+v, %v; want 5 on hand", rows, err)
	}
	if got := stockOf(t, shop, "MUG").OnHand; got != 42 {
		t.Errorf("the shop's MUG on hand is %d after a move, want 42: a move changes no total", got)
	}
}
