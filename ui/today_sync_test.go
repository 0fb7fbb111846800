package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/sync/changes"
)

// Changes another device sent that were set aside, or stamped by a clock
// running ahead, show on Today under titles a maker reads, and open the
// Sync screen.
func TestTodayNamesSyncTroubleAndOpensSync(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	mug, err := shop.SKU(ctx, "MUG")
	if err != nil {
		t.Fatal(err)
	}
	stamp := func(ahead time.Duration) string {
		return changes.Stamp{Wall: shop.Now().Add(ahead).UnixMilli(), Device: "peer"}.String()
	}
	body := func(qty int) []byte {
		return []byte(fmt.Sprintf(`{"sku_id":%q,"at":%d,"qty":%d,"channel":"fair","price":2400}`, mug.ID, day(-1).UnixMilli(), qty))
	}
	if _, err := shop.Apply(ctx, apptest.Sealed(t, shop, []changes.Change{
		{Origin: "peer", Seq: 1, HLC: stamp(time.Minute), Entity: "sale", EntityID: "0190e3a4-0000-7000-8000-000000000001", Body: body(-1000000)},
		{Origin: "peer", Seq: 2, HLC: stamp(2 * time.Hour), Entity: "sale", EntityID: "0190e3a4-0000-7000-8000-000000000002", Body: body(1)},
	})); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{})
	alerts, err := shop.Alerts(ctx, shop.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	summary := summarize(alerts)
	for _, want := range []string{"1 set aside from sync", "1 clock ahead"} {
		if !strings.Contains(summary, want) {
			t.Errorf("Today's summary %q does not say %q", summary, want)
		}
	}
	for _, it := range todayItems(alerts, nil) {
		if it.alert.Kind != "quarantined" && it.alert.Kind != "clock_ahead" {
			continue
		}
		if it.action != "Open Sync" {
			t.Errorf("%s row's button says %q, want Open Sync", it.alert.Kind, it.action)
		}
		u.showScreen(u.today)
		u.today.open(it)
		if u.currentScreen() != u.syncView {
			t.Errorf("opening a %s row did not show the Sync screen", it.alert.Kind)
		}
	}
}

// The location this device sells from, removed on another device, shows
// on Today; its button makes main this device's, which ends the alert,
// and opens the Sell screen, whose location list chooses any other.
func TestTodaySaysThisDevicesLocationWasRemovedAndOpensSell(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	stall, err := shop.AddLocation(ctx, "Stall")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := shop.UseLocation(ctx, "Stall"); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.Apply(ctx, apptest.Sealed(t, shop, []changes.Change{{Origin: "peer", Seq: 1,
		HLC:    changes.Stamp{Wall: shop.Now().Add(time.Second).UnixMilli(), Device: "peer"}.String(),
		Entity: "location", EntityID: stall.ID, Body: []byte(`{"retired":{"v":true}}`)}})); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{})
	alerts, err := shop.Alerts(ctx, shop.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if summary := summarize(alerts); !strings.Contains(summary, "1 location removed") {
		t.Errorf("Today's summary %q does not say the location was removed", summary)
	}
	var found bool
	for _, it := range todayItems(alerts, nil) {
		if it.alert.Kind != app.AlertLocationRemoved {
			continue
		}
		found = true
		if it.action != "Sell at main" || !strings.Contains(it.alert.Message, "Stall, where this device sold, was removed") {
			t.Errorf("the row says %q with the button %q; want the stall named, and Sell at main", it.alert.Message, it.action)
		}
		u.showScreen(u.today)
		u.today.open(it)
		if u.currentScreen() != u.sell {
			t.Error("the row's button did not show the Sell screen")
		}
	}
	if !found {
		t.Fatalf("Today shows %+v; want the removed location", alerts)
	}
	// Main is this device's now, chosen: the alert has gone.
	if here, err := shop.DeviceLocation(ctx); err != nil || here.ID != "" {
		t.Errorf("this device sells at %q, %v; want main", here.Name, err)
	}
	alerts, err = shop.Alerts(ctx, shop.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if summary := summarize(alerts); strings.Contains(summary, "location removed") {
		t.Errorf("after Sell at main Today still says %q", summary)
	}
}
