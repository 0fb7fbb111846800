package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/sync/client"
)

// goldenShop is stockedShop with a batch on its way, so every screen has
// something to show; nothing in it is random or depends on today's date.
func goldenShop(t *testing.T) *app.Shop {
	t.Helper()
	shop := stockedShop(t)
	if _, err := shop.OrderBatch(context.Background(), app.Order{Code: "MUG", Qty: 30}); err != nil {
		t.Fatal(err)
	}
	return shop
}

// TestScreensRender pins each key screen to a golden file; run with
// -update after a deliberate change and review the diff.
func TestScreensRender(t *testing.T) {
	cases := []struct {
		screen string
		golden string
		prep   func(u *UI)
	}{
		{"today", "today.xml", nil},
		{"sell", "sell.xml", nil},
		{"skus", "skus.xml", nil},
		{"skus", "sku_detail.xml", func(u *UI) { u.skus.table.Select(widget.TableCellID{Row: 2, Col: 0}) }},
		{"batches", "batches.xml", nil},
		{"returns", "returns.xml", nil},
		{"factories", "factories.xml", func(u *UI) { u.factories.list.Select(1) }},
		{"sync", "sync.xml", nil},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			shop := goldenShop(t)
			fake := &fakeSync{status: SyncStatus{State: client.StateUpToDate, Relay: "wss://relay.example.com", LastSync: testNow.Add(-90e9)}}
			u, w := newTestUI(t, shop, Options{Screen: c.screen, NewSync: func(*app.Shop) SyncController { return fake }})
			if c.prep != nil {
				c.prep(u)
			}
			assertGolden(t, w, c.golden)
		})
	}
}

func TestFirstRunRenders(t *testing.T) {
	u, w := newTestUI(t, nil, Options{Path: "/home/maker/.local/share/microshop/shop.db"})
	u.first.device.SetText("workshop desktop")
	u.first.joinDevice.SetText("workshop desktop")
	assertGolden(t, w, "firstrun.xml")
}
