package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The Sell screen's Undo, opened again after the app was closed, reaches
// the sale this device made last in its ten minutes (LastOwnSale): a
// basket's every line, as the till rang it up, and only while some of it
// still stands. A sale that came from another device is another stall's
// buyer's, and is never offered.
func TestLastOwnSaleIsThisDevicesNewestStandingSale(t *testing.T) {
	ctx := context.Background()
	now := day(0).Add(6 * time.Hour) // tillShop's clock
	since := now.Add(-10 * time.Minute)
	sell := func(t *testing.T, s *Shop, clock *fakeClock, ago time.Duration, b Basket) SoldBasket {
		t.Helper()
		clock.Set(now.Add(-ago))
		o, err := s.SellBasket(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	void := func(t *testing.T, s *Shop, id string) {
		t.Helper()
		if err := s.VoidSale(ctx, id, ""); err != nil {
			t.Fatal(err)
		}
	}
	one := func(code string, qty int) Basket { return Basket{Items: []BasketItem{{Code: code, Qty: qty}}} }
	for _, tc := range []struct {
		name string
		// do makes sales on here and on other, a replica synced after, and
		// says which lines LastOwnSale finds: "id code qty [voided]".
		do func(t *testing.T, here, other *Shop, clock *fakeClock) []string
	}{
		{"the newest of this device's sales", func(t *testing.T, here, _ *Shop, clock *fakeClock) []string {
			sell(t, here, clock, 5*time.Minute, one("MUG", 1))
			o := sell(t, here, clock, time.Minute, one("CARD", 2))
			return []string{o.Items[0].ID + " CARD 2"}
		}},
		{"not a newer sale from another device", func(t *testing.T, here, other *Shop, clock *fakeClock) []string {
			o := sell(t, here, clock, 3*time.Minute, one("MUG", 1))
			sell(t, other, clock, time.Minute, one("CARD", 1))
			return []string{o.Items[0].ID + " MUG 1"}
		}},
		{"none when the only recent sale came from another device", func(t *testing.T, here, other *Shop, clock *fakeClock) []string {
			sell(t, other, clock, time.Minute, one("CARD", 1))
			return nil
		}},
		{"none when the newest is voided, not the sale before it", func(t *testing.T, here, _ *Shop, clock *fakeClock) []string {
			sell(t, here, clock, 3*time.Minute, one("MUG", 1))
			o := sell(t, here, clock, time.Minute, one("CARD", 1))
			void(t, here, o.Items[0].ID)
			return nil
		}},
		{"none older than the window", func(t *testing.T, here, _ *Shop, clock *fakeClock) []string {
			sell(t, here, clock, 11*time.Minute, one("MUG", 1))
			return nil
		}},
		{"a sale at the window's start", func(t *testing.T, here, _ *Shop, clock *fakeClock) []string {
			o := sell(t, here, clock, 10*time.Minute, one("MUG", 1))
			return []string{o.Items[0].ID + " MUG 1"}
		}},
		{"a basket's every line, one voided already", func(t *testing.T, here, _ *Shop, clock *fakeClock) []string {
			o := sell(t, here, clock, time.Minute, Basket{Items: []BasketItem{{Code: "MUG", Qty: 2}, {Code: "CARD"}, {Code: "MUG"}}})
			void(t, here, o.Items[1].ID)
			return []string{o.Items[0].ID + " MUG 2", o.Items[1].ID + " CARD 1 voided", o.Items[2].ID + " MUG 1"}
		}},
		{"a kit in a basket, as one line", func(t *testing.T, here, _ *Shop, clock *fakeClock) []string {
			if _, err := here.AddKit(ctx, "GIFT", "Gift set", 1800, []KitPartIn{{"CARD", 1}, {"MUG", 1}}); err != nil {
				t.Fatal(err)
			}
			o := sell(t, here, clock, time.Minute, Basket{Items: []BasketItem{{Code: "GIFT", Qty: 2}, {Code: "CARD"}}})
			return []string{o.Items[0].ID + " GIFT 2", o.Items[1].ID + " CARD 1"}
		}},
		{"not an order imported from a marketplace's file", func(t *testing.T, here, _ *Shop, clock *fakeClock) []string {
			o := sell(t, here, clock, 3*time.Minute, one("MUG", 1))
			clock.Set(now)
			file := writeFile(t, "orders_export.csv", shopifyHeader+"\n"+strings.Join([]string{"#1001", "jo@example.com", "paid",
				now.Add(-time.Minute).Format("2006-01-02 15:04:05 -0700"), "unfulfilled", "", "no", "EUR", "", "", "", "", "", "", "",
				now.Add(-time.Minute).Format("2006-01-02 15:04:05 -0700"), "1", "Card", "10.00", "", "CARD", "true", "true", "pending",
				"Jo", "", "", "", "", "Kiln", "5551"}, ",")+"\n")
			if res, err := here.Import(ctx, ImportRequest{Path: file}); err != nil || res.Sales != 1 {
				t.Fatalf("import: %+v, %v; want the order's one sale", res, err)
			}
			return []string{o.Items[0].ID + " MUG 1"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The device that made the shop has logged more changes than
			// the replica: its sales come later in no order of the
			// replica's own.
			other, clock := tillShop(t)
			here := mustReplica(t, other, clock.Now)
			syncPair(t, here, other)
			want := tc.do(t, here, other, clock)
			syncPair(t, here, other)
			clock.Set(now)
			lines, err := here.LastOwnSale(ctx, since)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range lines {
				line := fmt.Sprintf("%s %s %d", l.ID, l.Code, l.Qty)
				if l.Voided {
					line += " voided"
				}
				got = append(got, line)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("LastOwnSale:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
