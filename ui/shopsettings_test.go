package ui

import (
	"context"
	"strings"
	"testing"

	"microshop/app"
)

// Shop settings saves what was changed, and the new name shows in the
// title and above the screens at once.
func TestShopSettingsSaveWhatChanged(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	f := u.shopSettingsForm()
	if got := formItem[*fieldEntry](t, f, "QA hold (%)").Text; got != "10" {
		t.Errorf("the QA hold shows %q, want the shop's 10", got)
	}
	if got := formItem[*fieldEntry](t, f, "Holding rate (%)").Text; got != "25" {
		t.Errorf("the holding rate shows %q, want the shop's 25", got)
	}
	setEntry(t, f, "Shop name", "  Fern & Clay ")
	setEntry(t, f, "QA hold (%)", "5 %")
	setEntry(t, f, "Holding rate (%)", "18")
	submit(t, w, f)
	if onScreen(w, f.form) {
		t.Fatalf("the form stayed open: %s", texts(f.obj))
	}
	ctx := context.Background()
	if info := must[app.ShopInfo](t)(shop.Info(ctx)); info.Name != "Fern & Clay" {
		t.Errorf("shop name = %q, want %q", info.Name, "Fern & Clay")
	}
	if got := must[int](t)(shop.QAHold(ctx)); got != 5 {
		t.Errorf("QA hold = %d, want 5", got)
	}
	if got := must[int](t)(shop.HoldingRate(ctx)); got != 18 {
		t.Errorf("holding rate = %d, want 18", got)
	}
	if got := w.Title(); !strings.Contains(got, "Fern & Clay") {
		t.Errorf("the window's title is %q, want the new name in it", got)
	}
	if got := u.name.Text; got != "Fern & Clay" {
		t.Errorf("above the screens: %q, want the new name", got)
	}
}

// Saving the settings unchanged writes nothing: a setting another device
// changed meanwhile is not put back by this one's old value.
func TestShopSettingsUnchangedWriteNothing(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	f := u.shopSettingsForm()
	before := vectorTotal(t, shop)
	rate := 40
	if err := shop.SetShop(context.Background(), app.ShopSettings{HoldingRate: &rate}); err != nil { // another device, meanwhile
		t.Fatal(err)
	}
	setEntry(t, f, "QA hold (%)", "8")
	submit(t, w, f)
	if onScreen(w, f.form) {
		t.Fatalf("the form stayed open: %s", texts(f.obj))
	}
	ctx := context.Background()
	if got := must[int](t)(shop.HoldingRate(ctx)); got != 40 {
		t.Errorf("holding rate = %d, want the 40 set meanwhile, not the 25 the form showed", got)
	}
	if got := vectorTotal(t, shop); got != before+2 {
		t.Errorf("%d changes written, want 2: the rate meanwhile and the QA hold", got-before)
	}
	g := u.shopSettingsForm()
	mid := vectorTotal(t, shop)
	submit(t, w, g)
	if got := vectorTotal(t, shop); got != mid {
		t.Errorf("saving unchanged settings wrote %d changes, want none", got-mid)
	}
}

// A name changed elsewhere (another device, microshopctl) reaches the
// title with the next refresh.
func TestShopNameChangedElsewhereShows(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	name := "Kiln Street"
	if err := shop.SetShop(context.Background(), app.ShopSettings{Name: &name}); err != nil {
		t.Fatal(err)
	}
	u.poll()
	if got := w.Title(); !strings.Contains(got, name) {
		t.Errorf("the window's title is %q, want %q in it", got, name)
	}
}
