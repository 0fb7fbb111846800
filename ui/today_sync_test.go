package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
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

// An order a later export shows cancelled is a row on Today, not a
// delayed order: its button opens the sales of the order's day, where its
// lines are voided, and once they are the row is gone.
func TestTodaySaysAnOrderWasCancelledAndOpensItsDaysSales(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	importDelayed(t, shop) // 9001, 50 mugs, yesterday
	importCancelled(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "today"})
	alerts, err := shop.Alerts(ctx, shop.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if summary := summarize(alerts); !strings.Contains(summary, "1 cancelled order") || strings.Contains(summary, "delayed") {
		t.Errorf("Today's summary %q; want 1 cancelled order and no delayed one", summary)
	}
	var row *todayItem
	for _, it := range todayItems(alerts, nil) {
		if it.alert.Kind == app.AlertCancelledOrder {
			row = &it
		}
	}
	if row == nil {
		t.Fatalf("Today shows %+v; want the cancelled order", alerts)
	}
	if row.action != "Open sales" || alertTitle(row.alert.Kind) != "Cancelled order" || alertImportance(row.alert.Kind) != widget.WarningImportance {
		t.Errorf("the row is %q, %v, with the button %q; want Cancelled order, a warning, and Open sales",
			alertTitle(row.alert.Kind), alertImportance(row.alert.Kind), row.action)
	}
	u.today.act(*row)
	v := u.sales
	if v == nil || !v.day.Equal(domain.StartOfDay(day(-1))) || len(v.lines) != 1 || v.lines[0].Order != "9001" {
		t.Fatalf("the button opened %+v; want the sales of yesterday, 9001's line among them", v)
	}
	item := v.list.CreateItem()
	v.list.UpdateItem(0, item)
	var void *scanButton
	walk(item, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*scanButton); ok && b.Text == "Void" {
			void = b
		}
		return void == nil
	})
	test.Tap(void)
	tapButton(t, w, "Void")
	if got := cancelledRows(t, shop); got != 0 {
		t.Errorf("after the void Today shows %d cancelled orders; want none", got)
	}
}

// importCancelled imports a later export that shows 9001 (importDelayed's)
// cancelled.
func importCancelled(t *testing.T, shop *app.Shop) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "EtsySoldOrderItems-later.csv")
	csv := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU,Status\r\n" +
		day(-1).Format("01/02/06") + ",Mug,Jo,50,24.00,EUR,3001,,9001,MUG,Canceled\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.Import(context.Background(), app.ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
}

func cancelledRows(t *testing.T, shop *app.Shop) int {
	t.Helper()
	alerts, err := shop.Alerts(context.Background(), shop.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range alerts {
		if a.Kind == app.AlertCancelledOrder {
			n++
		}
	}
	return n
}

// A cancelled order's day at the stall is sixty lines: Open sales shows
// the order's lines first, named by the order's number, where the maker
// had to find an unnamed line among them (the first trial scrolled 65).
func TestOpenSalesOfACancelledOrderShowsItsLinesFirst(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	importDelayed(t, shop) // 9001, 50 mugs, yesterday
	if _, err := shop.Count(ctx, "PRINT-A4", 100, day(-2)); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		mustSell(t, shop, "PRINT-A4", 1, day(-1).Add(time.Duration(i)*time.Minute))
	}
	importCancelled(t, shop)
	u, _ := newTestUI(t, shop, Options{Screen: "today"})
	alerts, err := shop.Alerts(ctx, shop.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range todayItems(alerts, nil) {
		if it.alert.Kind == app.AlertCancelledOrder {
			u.today.act(it)
		}
	}
	v := u.sales
	if v == nil || len(v.lines) != 31 {
		t.Fatalf("Open sales shows %+v; want yesterday's 31 lines", v)
	}
	item := v.list.CreateItem()
	v.list.UpdateItem(0, item)
	if got := rowText(item); v.lines[0].Order != "9001" || !strings.Contains(got, "order 9001") {
		t.Errorf("the first line reads %q; want the cancelled order's, named order 9001", got)
	}
	v.list.UpdateItem(1, item)
	if got := rowText(item); strings.Contains(got, "order") {
		t.Errorf("a till sale reads %q; its basket has no number to show", got)
	}
	v.showDay(day(-2))
	v.showDay(day(-1))
	if v.lines[0].Order == "9001" {
		t.Errorf("back on the day after another, the order's line is still first; want the day as it is")
	}
}

// rowText is the text of a sales list row.
func rowText(row fyne.CanvasObject) string {
	var text string
	walk(row, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && text == "" {
			text = l.Text
		}
		return text == ""
	})
	return text
}
