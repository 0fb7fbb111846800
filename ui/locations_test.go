package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"microshop/app"
	"microshop/domain"
)

// shopLocations are the shop's locations as listed, by name.
func shopLocations(t *testing.T, s *app.Shop) []string {
	t.Helper()
	locs, err := s.Locations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range locs {
		out = append(out, l.Name)
	}
	return out
}

// A mistyped stall is renamed and, its units home, removed from the Sell
// screen's location list, each refusal said under its field and the
// removal asked first, Escape keeping the location.
func TestALocationIsRenamedAndRemovedFromTheSellScreen(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	if _, err := shop.AddLocation(ctx, "St all"); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.AddLocation(ctx, "Shop window"); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.UseLocation(ctx, "st all"); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	choice := u.sell.place.choice
	for _, want := range []string{renameLocationChoice, removeLocationChoice} {
		if !slices.Contains(choice.Options, want) {
			t.Fatalf("the location list %v has no %q", choice.Options, want)
		}
	}

	choice.SetSelected(renameLocationChoice)
	if choice.Selected != "St all" {
		t.Errorf("choosing Rename left %q chosen; want where the device sells", choice.Selected)
	}
	name := findFormEntry(t, w, "the name to show")
	name.SetText("shop  window")
	tapButton(t, w, "Rename")
	if got := dialogText(w); !strings.Contains(got, `There is a location "Shop window" already; choose another name, or move St all's units to Shop window and remove St all`) {
		t.Fatalf("renaming to another location's name shows:\n%s", got)
	}
	name.SetText("Stall")
	pressKey(w, fyne.KeyReturn) // Enter in the field renames, as in every form
	if got := shopLocations(t, shop); !slices.Equal(got, []string{"main", "Shop window", "Stall"}) {
		t.Fatalf("after the rename: %v", got)
	}
	if got := dialogText(w); got != "" {
		t.Errorf("after the rename a dialog stays, where the list shows it done:\n%s", got)
	}
	if choice.Selected != "Stall" || !slices.Contains(choice.Options, "Stall") || slices.Contains(choice.Options, "St all") {
		t.Errorf("the location list is %v, %q chosen; want Stall in it, chosen", choice.Options, choice.Selected)
	}

	// With units there, it is refused before anything is asked.
	if _, err := shop.MoveStock(ctx, app.Move{Code: "MUG", Qty: 2, From: "main", To: "stall"}); err != nil {
		t.Fatal(err)
	}
	choice.SetSelected(removeLocationChoice)
	tapButton(t, w, "Remove…")
	if got := dialogText(w); !strings.Contains(got, "Stall still holds 2 units of 1 SKU (MUG 2); move them to another location first, then remove it; a SKU's Move… on the SKUs screen carries its units") {
		t.Fatalf("removing the stall with 2 mugs there shows:\n%s", got)
	}
	if _, err := shop.MoveStock(ctx, app.Move{Code: "MUG", Qty: 2, From: "stall", To: "main"}); err != nil {
		t.Fatal(err)
	}
	tapButton(t, w, "Remove…")
	if got := dialogText(w); !strings.Contains(got, "Remove Stall?") || !strings.Contains(got, "This device sells at main from then on") {
		t.Fatalf("removing the empty stall asks:\n%s", got)
	}
	pressEscape(w) // No: the question goes, the form stays
	if got := shopLocations(t, shop); !slices.Equal(got, []string{"main", "Shop window", "Stall"}) {
		t.Fatalf("Escape on the question removed it: %v", got)
	}
	if !strings.Contains(dialogText(w), "Remove a location") || strings.Contains(dialogText(w), "Remove Stall?") {
		t.Fatalf("after Escape on the question:\n%s", dialogText(w))
	}
	tapButton(t, w, "Remove…")
	tapButton(t, w, "Remove")
	if got := shopLocations(t, shop); !slices.Equal(got, []string{"main", "Shop window"}) {
		t.Fatalf("after the removal: %v", got)
	}
	if got := dialogText(w); got != "" {
		t.Errorf("after the removal a dialog stays, where the list shows it done:\n%s", got)
	}
	if slices.Contains(choice.Options, "Stall") || choice.Selected != "main" {
		t.Errorf("the location list is %v, %q chosen; want Stall gone, main chosen", choice.Options, choice.Selected)
	}
}

// Enter answers the Remove a location form as soon as it opens, as it
// does every other form: with no field to type in, nothing had the focus,
// and Enter did nothing until Tab reached a button.
func TestEnterRemovesALocationFromTheKeyboardAlone(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	if _, err := shop.AddLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	u.sell.place.choice.SetSelected(removeLocationChoice)
	if !strings.Contains(dialogText(w), "Remove a location") {
		t.Fatalf("choosing Remove a location shows:\n%s", dialogText(w))
	}
	pressKey(w, fyne.KeyReturn)
	if got := dialogText(w); !strings.Contains(got, "Remove Stall?") {
		t.Fatalf("Enter in the form just opened left:\n%s\nwant the question whether to remove Stall", got)
	}
	pressKey(w, fyne.KeyReturn) // the question is not answered unread
	if got := shopLocations(t, shop); !slices.Equal(got, []string{"main", "Stall"}) {
		t.Fatalf("Enter on the question removed it: %v", got)
	}
	tapButton(t, w, "Remove")
	if got := shopLocations(t, shop); !slices.Equal(got, []string{"main"}) {
		t.Errorf("after Enter and Remove the locations are %v, want main alone", got)
	}
}

// `microshopctl location use` beside the open app is a setting of this
// device, not a change: the Sell screen went on selling at the old place,
// and Today warning of a removed one, until another screen was opened.
func TestTheSellScreenFollowsALocationChosenByAnotherProgram(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	if _, err := shop.AddLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "sell"})
	u.poll() // nothing changed since it opened
	if got := u.sell.place.choice.Selected; got != domain.MainLocation {
		t.Fatalf("the Sell screen sells at %q; want main", got)
	}
	other, err := app.Open(shop.Path(), app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.UseLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	u.poll()
	if got := u.sell.place.choice.Selected; got != "Stall" {
		t.Errorf("after microshopctl location use Stall, the Sell screen sells at %q; want Stall", got)
	}
}
