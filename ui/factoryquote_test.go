package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"microshop/app"
)

// A quote recorded from a factory names the SKU it is for: an unknown or
// empty one is said under SKU and nothing is written; a good one opens
// the comparison with the quote in it, the SKU named as the shop holds it.
func TestAFactoryQuoteNamesItsSKUAndOpensTheComparison(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "factories"})
	u.factories.reveal("Print Hub")
	test.Tap(findButtonIn(t, w.Canvas().Content(), "Quote…"))
	f := u.factoryQuoteForm("Print Hub") // the form the button opened, again, on top
	entryIn(t, f.fieldForm, "Unit cost").SetText("0.50")
	for _, code := range []string{"", "NOPE"} {
		entryIn(t, f.fieldForm, "SKU").SetText(code)
		before := vectorTotal(t, shop)
		submit(t, w, f)
		if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
			t.Fatalf("SKU %q: the form closed or wrote", code)
		}
		if fieldError(t, f.fieldForm, "SKU") == "" {
			t.Errorf("SKU %q: nothing said under SKU", code)
		}
	}
	// Typed as a maker types it, the comparison names it as the shop
	// holds it: it was titled "Local or overseas: mug".
	entryIn(t, f.fieldForm, "SKU").SetText("mug")
	submit(t, w, f)
	if onScreen(w, f.form) {
		t.Fatalf("a good quote left the form open: %q", fieldError(t, f.fieldForm, "SKU"))
	}
	if got := dialogText(w); !strings.Contains(got, "Local or overseas: MUG") || !strings.Contains(got, "Print Hub") {
		t.Fatalf("after the quote the dialog reads %q; want MUG's comparison with Print Hub", got)
	}
	res, err := shop.Source(context.Background(), app.SourceQuery{Code: "MUG", AsOf: shop.AsOfNow()})
	if err != nil || len(res.Candidates) != 2 {
		t.Fatalf("MUG's candidates after the quote: %+v, %v; want its factory and Print Hub", res.Candidates, err)
	}
}

// A quote of 0.00 a unit is asked about before it is recorded, as the
// command line warns of it: it wins every comparison, and is more often a
// slip than a gift. Cancel goes back to the form as filled in.
func TestAFreeQuoteIsAskedAbout(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "factories"})
	f := u.quoteForm("MUG", nil)
	findSelect(t, f.obj, "Print Hub").SetSelected("Print Hub")
	entryIn(t, f.fieldForm, "Unit cost").SetText("0")
	before := vectorTotal(t, shop)
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "0.00 a unit") || vectorTotal(t, shop) != before {
		t.Fatalf("a quote of 0.00 was not asked about first (wrote: %v); the dialog reads %q", vectorTotal(t, shop) != before, got)
	}
	tapButton(t, w, "Cancel")
	if !onScreen(w, f.form) || vectorTotal(t, shop) != before {
		t.Fatalf("Cancel closed the form or recorded the quote")
	}
	submit(t, w, f)
	tapButton(t, w, "Record it")
	if onScreen(w, f.form) || vectorTotal(t, shop) == before {
		t.Fatalf("Record it left the form open or recorded nothing: %q", fieldError(t, f.fieldForm, "Unit cost"))
	}
}

// A bad minimum order, multiple or lead time says what is accepted under
// its field, as the command line does: "-3" is a whole number, and the
// form's "use a whole number" did not say why it was refused.
func TestAQuotesBadNumbersSayWhatIsAccepted(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "factories"})
	f := u.quoteForm("MUG", nil)
	findSelect(t, f.obj, "Print Hub").SetSelected("Print Hub")
	entryIn(t, f.fieldForm, "Unit cost").SetText("0.50")
	for field, want := range map[string]string{
		"Minimum order": `"-3" is not a valid minimum order; use a whole number from 0 to 1000000`,
		"Multiple":      `"-3" is not a valid multiple; use a whole number from 1 to 1000000`,
		"Lead time":     `-3 is not a valid lead time; use a whole number of days from 0 to 365`,
	} {
		entryIn(t, f.fieldForm, field).SetText("-3")
		before := vectorTotal(t, shop)
		submit(t, w, f)
		if got := fieldError(t, f.fieldForm, field); got != want+"." || vectorTotal(t, shop) != before {
			t.Errorf("%s -3: %q under it, wrote %v; want %q", field, got, vectorTotal(t, shop) != before, want+".")
		}
		entryIn(t, f.fieldForm, field).SetText("")
	}
}
