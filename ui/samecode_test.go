package ui

import (
	"context"
	"strings"
	"testing"

	"microshop/app"
	"microshop/domain"
)

// Today's "Same code" row opens the SKUs screen listing both SKUs of the
// code, to open one and give it a code of its own. It opened the SKU of
// that code, which names neither, and said so in an error.
func TestSameCodeOpensTheSKUsListShowingBoth(t *testing.T) {
	shop := stockedShop(t)
	laptop, _ := laptopOf(t, shop)
	mustSKU(t, shop, "SOAP", "Olive soap", domain.PathDigital, "", 600)
	mustSKU(t, laptop, "SOAP", "Lavender soap", domain.PathDigital, "", 700)
	exchange(t, shop, laptop)
	u, w := newTestUI(t, shop, Options{})
	alerts, err := shop.Alerts(context.Background(), shop.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	opened := false
	for _, it := range todayItems(alerts, nil) {
		if it.alert.Kind != app.AlertDuplicateCode {
			continue
		}
		u.today.open(it)
		opened = true
	}
	if !opened {
		t.Fatalf("Today lists no Same code row among %+v", alerts)
	}
	if u.currentScreen() != u.skus {
		t.Errorf("Same code opened %q, want the SKUs screen", u.currentScreen().title())
	}
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Errorf("Same code opened %d dialogs: %q", n, dialogText(w))
	}
	names := map[string]bool{}
	for _, i := range u.skus.view {
		names[u.skus.rows[i].SKU.Name] = true
	}
	if len(names) != 2 || !names["Olive soap"] || !names["Lavender soap"] {
		t.Errorf("the SKUs screen lists %v, want both SOAPs", names)
	}
}

// Voiding the sale of a download whose code another SKU shares asks as
// for a download: it no longer counts as sold. The question looked the
// SKU up by its code, which names neither, and said its units came back
// to stock.
func TestVoidingADownloadOfASharedCodeAsksAsForADownload(t *testing.T) {
	shop := stockedShop(t)
	laptop, _ := laptopOf(t, shop)
	mustSKU(t, shop, "SOAP", "Olive soap", domain.PathMicrofactory, "Clay Works", 600)
	mustSKU(t, laptop, "SOAP", "Soap recipe (PDF)", domain.PathDigital, "", 700)
	if _, err := laptop.Sell(context.Background(), app.Sale{Code: "SOAP"}); err != nil {
		t.Fatal(err)
	}
	exchange(t, shop, laptop)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	v := u.showSales(u.sell.load)
	var line *app.SaleLine
	for i, l := range v.lines {
		if l.Code == "SOAP" {
			line = &v.lines[i]
		}
	}
	if line == nil || line.Name != "Soap recipe (PDF)" {
		t.Fatalf("the day's sales %+v; want the recipe's sale, named", v.lines)
	}
	v.confirmVoid(*line)
	if got := dialogText(w); !strings.Contains(got, "It no longer counts as sold") {
		t.Errorf("voiding the recipe's sale asks %q; want it said as a download's", got)
	}
}
