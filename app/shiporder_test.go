package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// delayedShop is importShop with Etsy order 9002 delayed (6 mugs of 5) and
// the file that says so, the order still open in it.
func delayedShop(t *testing.T) (*Shop, *fakeClock, string) {
	t.Helper()
	s, clock := mustCreate(t)
	ctx := context.Background()
	mustFactory(t, s, "Kiln", 14, true)
	mustSKU(t, s, "MUG", "microfactory", "Kiln")
	if _, err := s.Count(ctx, "MUG", 5, day(-30)); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "sold-may.csv", crlf(etsyHeader,
		etsyRow("05/21/26", "Mug", 6, "24.00", "3003", "9002", "MUG")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	return s, clock, file
}

func openOrders(t *testing.T, s *Shop, f OrdersFilter) string {
	t.Helper()
	orders, err := s.Orders(context.Background(), s.AsOfNow(), f)
	if err != nil {
		t.Fatal(err)
	}
	return orderNumbers(orders)
}

// A maker who ships a delayed order the day its batch arrives marks it
// shipped: it leaves the delayed and open lists at once, on every device,
// and a later import of the file that still shows it open, or one that
// shows it shipped on another day, keeps the time marked by hand.
func TestAnOrderShippedByHandStaysShipped(t *testing.T) {
	ctx := context.Background()
	s, _, file := delayedShop(t)
	if got := openOrders(t, s, OrdersFilter{Delayed: true}); got != "9002" {
		t.Fatalf("delayed %q; want 9002", got)
	}
	at := day(0).Add(-2 * time.Hour)
	o, err := s.ShipOrder(ctx, ShipOrderRequest{Number: "9002", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if o.Number != "9002" || o.Channel != "etsy" || !o.ShippedAt.Equal(at) {
		t.Fatalf("shipped %+v; want Etsy order 9002 shipped at %v", o, at)
	}
	if got := openOrders(t, s, OrdersFilter{Delayed: true}) + openOrders(t, s, OrdersFilter{Open: true}); got != "" {
		t.Fatalf("open or delayed orders %q after shipping 9002 by hand; want none", got)
	}
	if alerts := alertsOf(t, s, AlertDelayedOrder); len(alerts) != 0 {
		t.Fatalf("delayed order alerts %+v after shipping it; want none", alerts)
	}

	// The export the maker read that morning, with 9002 still open.
	if res, err := s.Import(ctx, ImportRequest{Path: file}); err != nil || res.Shipped != 0 {
		t.Fatalf("the older file again: %+v, %v; want nothing marked", res, err)
	}
	// The channel's next export, which says it shipped the next day.
	later := writeFile(t, "sold-later.csv", crlf(etsyHeader,
		etsyShipped("05/21/26", "06/02/26", "Mug", 6, "24.00", "3003", "9002", "MUG")))
	if res, err := s.Import(ctx, ImportRequest{Path: later}); err != nil || res.Shipped != 0 {
		t.Fatalf("the later file: %+v, %v; want nothing newly shipped", res, err)
	}
	b := mustReplica(t, s, s.now)
	syncPair(t, s, b)
	for name, shop := range map[string]*Shop{"this device": s, "a replica": b} {
		all, err := shop.Orders(ctx, shop.AsOfNow(), OrdersFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || !all[0].ShippedAt.Equal(at) {
			t.Errorf("%s: orders %+v; want 9002 shipped at %v, as marked by hand", name, all, at)
		}
	}
}

// One device marks an order shipped by hand while two others, not yet
// synced, import the file that shows it open and the channel's next one
// that shows it shipped on another day: once they sync, all hold it
// shipped, and devices saying "shipped" at their own times is no conflict
// for the maker to settle.
func TestAnOrderShippedByHandMergesWithOtherDevicesFiles(t *testing.T) {
	ctx := context.Background()
	s, clock, file := delayedShop(t)
	b, c := mustReplica(t, s, clock.Now), mustReplica(t, s, clock.Now)
	syncPair(t, s, b)
	syncPair(t, s, c)
	if _, err := s.ShipOrder(ctx, ShipOrderRequest{Number: "9002", At: day(0)}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Hour))
	if _, err := b.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	later := writeFile(t, "sold-later.csv", crlf(etsyHeader,
		etsyShipped("05/21/26", "06/02/26", "Mug", 6, "24.00", "3003", "9002", "MUG")))
	if res, err := c.Import(ctx, ImportRequest{Path: later}); err != nil || res.Shipped != 1 {
		t.Fatalf("the later file on a device that has not heard: %+v, %v; want 9002 marked shipped", res, err)
	}
	syncPair(t, s, b)
	syncPair(t, b, c)
	syncPair(t, s, b)
	for name, shop := range map[string]*Shop{"the device that shipped it": s, "the one that read the older file": b, "the one that read the later": c} {
		if got := openOrders(t, shop, OrdersFilter{Open: true}); got != "" {
			t.Errorf("%s: open orders %q; want none", name, got)
		}
		conflicts, err := shop.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(conflicts) != 0 {
			t.Errorf("%s: conflicts %+v; want none, each device said shipped", name, conflicts)
		}
	}
}

// Each order the maker cannot mark is refused in one sentence naming it,
// and changes nothing.
func TestShippingAnOrderRefusesWhatCannotShip(t *testing.T) {
	ctx := context.Background()
	s, _, _ := delayedShop(t)
	mustSKU(t, s, "ZINE", "digital", "")
	shopify := writeFile(t, "orders_export.csv", crlf(shopifyHeader,
		"#1001,jo@example.com,paid,2026-05-20 10:00:00 +0000,unfulfilled,,no,EUR,24.00,0,0,24.00,,0,Post,2026-05-20 09:59:00 +0000,1,Zine,24.00,,ZINE,false,true,,Jo,,,,0,Kiln,1",
		"#1002,al@example.com,paid,2026-05-20 11:00:00 +0000,unfulfilled,,no,EUR,24.00,0,0,24.00,,0,Post,2026-05-20 10:59:00 +0000,1,Mug,24.00,,MUG,true,true,,Al,,,,0,Kiln,2"))
	if _, err := s.Import(ctx, ImportRequest{Path: shopify}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ShipOrder(ctx, ShipOrderRequest{Number: "9002", At: day(0)}); err != nil {
		t.Fatal(err)
	}
	before := content(t, s)
	for _, c := range []struct {
		req  ShipOrderRequest
		want string
	}{
		{ShipOrderRequest{Number: "9009", At: day(0)}, `no imported Etsy or Shopify order has the number "9009"`},
		{ShipOrderRequest{Number: "9002", At: day(0)}, "order 9002 on etsy is marked shipped already, on 2026-06-01; nothing changed"},
		{ShipOrderRequest{Number: "1001", At: day(0)}, "order #1001 on shopify holds downloads only"},
		{ShipOrderRequest{Number: "#1002", At: day(-20)}, "the ship date 2026-05-12 is before order #1002 was placed on 2026-05-20"},
		{ShipOrderRequest{Number: "#1002", At: day(5)}, "ahead"},
		{ShipOrderRequest{Number: "#1002", Channel: "etsy", At: day(0)}, `the number "#1002"`},
		{ShipOrderRequest{Number: "#1002", Channel: "fair", At: day(0)}, `"fair" is not a channel orders are imported from; use etsy or shopify`},
	} {
		_, err := s.ShipOrder(ctx, c.req)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ship %+v: %v; want refused with %q", c.req, err, c.want)
		}
	}
	if content(t, s) != before {
		t.Fatal("a refused shipment changed the shop")
	}
	// A Shopify number without its "#", as a shell leaves it.
	if o, err := s.ShipOrder(ctx, ShipOrderRequest{Number: "1002", At: day(0)}); err != nil || o.Number != "#1002" || o.Channel != "shopify" {
		t.Fatalf("ship 1002: %+v, %v; want Shopify order #1002 shipped", o, err)
	}
}

// An order whose every line was voided is not "no order with the
// number": the maker who voided it hears that nothing of it is left to
// ship.
func TestAVoidedOrderHasNothingToShip(t *testing.T) {
	ctx := context.Background()
	s := importShop(t)
	file := writeFile(t, "sold.csv", crlf(etsyHeader,
		etsyRow("05/20/26", "Mug", 1, "24.00", "3001", "7005", "MUG"),
		etsyRow("05/20/26", "Bowl", 1, "18.50", "3002", "7005", "BOWL")))
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"3001", "3002"} {
		if err := s.VoidSale(ctx, importedSaleID(s.shopID, "etsy", key), "order cancelled"); err != nil {
			t.Fatal(err)
		}
	}
	before := content(t, s)
	_, err := s.ShipOrder(ctx, ShipOrderRequest{Number: "7005", At: day(0)})
	if want := "every line of order 7005 on etsy was voided, so nothing is left to ship"; !strings.Contains(domain.ErrorMessage(err), want) {
		t.Errorf("shipping voided order 7005: %v; want %q", err, want)
	}
	if content(t, s) != before {
		t.Error("the refusal changed the shop")
	}
	if _, err := s.ShipOrder(ctx, ShipOrderRequest{Number: "7006", At: day(0)}); !strings.Contains(domain.ErrorMessage(err), "no imported Etsy or Shopify order has the number") {
		t.Errorf("shipping unknown order 7006: %v; want no order with that number", err)
	}
}
