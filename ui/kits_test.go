package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// The Kits dialog lists each kit with its parts and how many can be sold:
// as many as its scarcest part allows. A kit made from it shows at once,
// and a kit can not be a part of another.
func TestKitsListsAKitWithItsScarcestPartsAvailable(t *testing.T) {
	shop := stockedShop(t) // 42 mugs and 3 prints left
	u, w := newTestUI(t, shop, Options{})
	v := u.showKits()
	if len(v.kits) != 0 {
		t.Fatalf("a shop without kits lists %+v", v.kits)
	}
	test.Tap(findButtonIn(t, w.Canvas().Overlays().Top(), "New kit…"))
	f := u.kitFormThen(nil, v.load) // the form the button opened, again, on top
	entryIn(t, f.fieldForm, "Code").SetText("KIT-1")
	entryIn(t, f.fieldForm, "Name").SetText("Mug and two prints")
	entryIn(t, f.fieldForm, "Parts").SetText("MUG:1, PRINT-A4:2")
	submit(t, w, f)
	// min(42 mugs ÷ 1, 3 prints ÷ 2) = min(42, 1) = 1
	if len(v.kits) != 1 || v.kits[0].Code != "KIT-1" || v.kits[0].Available != 1 {
		t.Fatalf("kits %+v; want KIT-1 with 1 available", v.kits)
	}
	if got := kitCell(v.kits[0], 2); got != "1× MUG, 2× PRINT-A4" {
		t.Errorf("the parts read %q", got)
	}
	closeDialogs(w)

	f = u.kitForm(nil)
	entryIn(t, f.fieldForm, "Code").SetText("KIT-2")
	entryIn(t, f.fieldForm, "Name").SetText("A kit of kits")
	entryIn(t, f.fieldForm, "Parts").SetText("KIT-1:1, MUG:1")
	before := vectorTotal(t, shop)
	submit(t, w, f)
	if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
		t.Fatal("a kit as a part closed the form or wrote")
	}
}
