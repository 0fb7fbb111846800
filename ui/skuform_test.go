package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// A shop's only factory is the one a new SKU comes from, chosen already; a
// download's factory box says it needs none, and made by hand again the
// SKU takes the factory back.
func TestANewSKUTakesTheShopsOnlyFactory(t *testing.T) {
	shop := mustShop(t)
	must[domain.Factory](t)(shop.AddFactory(context.Background(), domain.Factory{Name: "Clay Works", Kind: domain.KindWorkshop, LeadDays: 14}))
	u, _ := newTestUI(t, shop, Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	if f.factory.Selected != "Clay Works" {
		t.Fatalf("the factory reads %q; want Clay Works, the shop's only one", f.factory.Selected)
	}
	f.path.SetSelected(string(domain.PathDigital))
	if f.factory.Selected != "" || !f.factory.Disabled() || !strings.Contains(f.factory.PlaceHolder, "needs no factory") {
		t.Fatalf("a download's factory: %q, disabled %v, %q; want none, and said so", f.factory.Selected, f.factory.Disabled(), f.factory.PlaceHolder)
	}
	f.path.SetSelected(string(domain.PathHandmade))
	if f.factory.Selected != "Clay Works" {
		t.Fatalf("made by hand again, the factory reads %q; want Clay Works", f.factory.Selected)
	}
}

// A SKU's price left empty is asked for under Price, nothing saved: the
// SKU was added selling at 0.00, and the till took nothing for it without
// a word. A price of 0, typed, is a free download.
func TestANewSKUsEmptyPriceIsAskedFor(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	f.code.SetText("CARD-FOX")
	f.name.SetText("Fox card")
	f.path.SetSelected(string(domain.PathDigital))
	before := vectorTotal(t, shop)
	submit(t, w, f.dialog)
	if got := fieldError(t, f.dialog.fieldForm, "Price"); !strings.Contains(got, "price is empty") || vectorTotal(t, shop) != before {
		t.Fatalf("an empty price: under Price %q, wrote %v; want it asked for, nothing written", got, vectorTotal(t, shop) != before)
	}
	f.price.SetText("0")
	submit(t, w, f.dialog)
	if got := stockOf(t, shop, "CARD-FOX").SKU.Price; onScreen(w, f.dialog.form) || got != 0 {
		t.Fatalf("a price of 0 typed: the form open %v, price %v; want a free download added", onScreen(w, f.dialog.form), got)
	}
}

// A price below the cost typed beside it (the two swapped, as a slip
// does) is asked about before the SKU is saved: the till then sold it at
// its cost, each sale at a loss, without a word. Save anyway keeps it;
// an edit that leaves both as they were asks nothing again.
func TestAPriceBelowCostIsAskedAbout(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	f.code.SetText("CARD-FOX")
	f.name.SetText("Fox card")
	f.path.SetSelected(string(domain.PathDigital))
	f.price.SetText("9.50")
	f.cost.SetText("24.00")
	before := vectorTotal(t, shop)
	submit(t, w, f.dialog)
	if got := dialogText(w); !strings.Contains(got, "Sell below cost?") || !strings.Contains(got, "loses 14.50") || vectorTotal(t, shop) != before {
		t.Fatalf("price 9.50, cost 24.00: the window says %q, wrote %v; want a question, nothing written", got, vectorTotal(t, shop) != before)
	}
	tapButton(t, w, "Cancel")
	if !onScreen(w, f.dialog.form) || vectorTotal(t, shop) != before {
		t.Fatal("Cancel closed the form or saved the SKU")
	}
	submit(t, w, f.dialog)
	tapButton(t, w, "Save anyway")
	if got := stockOf(t, shop, "CARD-FOX").SKU; got.Price != 950 || got.Cost != 2400 {
		t.Fatalf("saved anyway as price %v, cost %v; want 9.50 and 24.00", got.Price, got.Cost)
	}
	k := stockOf(t, shop, "CARD-FOX").SKU
	e := u.skus.editForm(&k)
	e.name.SetText("Fox card, large")
	submit(t, w, e.dialog)
	if got := dialogText(w); strings.Contains(got, "below cost") || stockOf(t, shop, "CARD-FOX").SKU.Name != "Fox card, large" {
		t.Errorf("an edit of the name alone says %q; want it saved, nothing asked", got)
	}
}

// A download's lead time and cover are greyed out and emptied, as its
// factory is: a lead time of 3 typed for one was taken without a word and
// dropped, the saved SKU showing none.
func TestADownloadsLeadTimeAndCoverAreGreyedOut(t *testing.T) {
	u, _ := newTestUI(t, stockedShop(t), Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	f.path.SetSelected(string(domain.PathPrint))
	for _, e := range []*fieldEntry{f.lead, f.minCover, f.maxCover} {
		e.SetText("3")
	}
	f.path.SetSelected(string(domain.PathDigital))
	for _, e := range []*fieldEntry{f.lead, f.minCover, f.maxCover} {
		if !e.Disabled() || e.Text != "" || !strings.Contains(e.PlaceHolder, "never runs out") {
			t.Errorf("a download's days field: %q, disabled %v, %q; want empty, greyed out, and why", e.Text, e.Disabled(), e.PlaceHolder)
		}
	}
	f.path.SetSelected(string(domain.PathPrint))
	for _, e := range []*fieldEntry{f.lead, f.minCover, f.maxCover} {
		if e.Disabled() || strings.Contains(e.PlaceHolder, "never runs out") {
			t.Errorf("printed again, a days field is disabled %v, %q; want it open, with its default", e.Disabled(), e.PlaceHolder)
		}
	}
}

// A SKU made by a factory not added yet adds it from the form, New… beside
// the factory, and the form keeps what was typed and takes the factory
// added: it said to add it on the Factories screen, and getting there threw
// the form away.
func TestTheSKUFormAddsTheFactoryItNeeds(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "skus"})
	f := u.skus.editForm(nil)
	f.code.SetText("VASE-TALL")
	f.path.SetSelected(string(domain.PathHandmade))
	test.Tap(f.newFactory)
	add := f.adding
	setEntry(t, add, "Name", "Kiln Co")
	formItem[*widget.Select](t, add, "Kind").SetSelected("workshop")
	setEntry(t, add, "Lead time", "7")
	submit(t, w, add)
	if f.factory.Selected != "Kiln Co" || f.code.Text != "VASE-TALL" || f.factoryLead() != 7 {
		t.Errorf("after adding Kiln Co the form holds factory %q (lead %d), code %q; want Kiln Co (7), VASE-TALL", f.factory.Selected, f.factoryLead(), f.code.Text)
	}
	f.path.SetSelected(string(domain.PathDigital))
	if !f.newFactory.Disabled() {
		t.Error("a download's form offers to add a factory")
	}
}

// A SKU edited in the desktop while microshopctl changed another of its
// fields keeps that change: the form saves what the maker changed in it,
// against the SKU as the form opened, not as the detail under it read it
// again (the price set by microshopctl was saved over when only the name
// was edited).
func TestEditingASKUKeepsWhatAnotherProgramChangedMeanwhile(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	u.poll() // the window has seen the shop as it is
	u.skus.showDetail("MUG")
	u.skus.detail.edit()

	other, err := app.Open(shop.Path(), app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.EditSKU(ctx, "MUG", app.SKUFields{Price: ptr(domain.Money(2600))}); err != nil {
		t.Fatal(err)
	}
	u.poll() // the detail under the form reads the new price

	findFormEntry(t, w, "e.g. Blue stoneware mug").SetText("Blue stoneware mug, large")
	tapButton(t, w, "Save")
	mug := must[domain.SKU](t)(shop.SKU(ctx, "MUG"))
	if mug.Name != "Blue stoneware mug, large" || mug.Price != 2600 {
		t.Errorf("MUG is %q at %s; want the name edited here and microshopctl's price, 26.00", mug.Name, mug.Price)
	}
}
