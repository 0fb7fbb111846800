package app

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"microshop/domain"
)

// tillShop is a shop with MUG (10.00, 20 counted) and CARD (10.00, 30
// counted), on the test clock a little after noon on day 0.
func tillShop(t *testing.T) (*Shop, *fakeClock) {
	t.Helper()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Fab", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	mustSKU(t, s, "CARD", domain.PathPrint, "Fab")
	for code, n := range map[string]int{"MUG": 20, "CARD": 30} {
		if _, err := s.Count(context.Background(), code, n, day(0).Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	clock.Set(day(0).Add(6 * time.Hour))
	return s, clock
}

func availableNow(t *testing.T, s *Shop, code string) int {
	t.Helper()
	n, _ := available(t, s, code)
	return n
}

func TestABasketIsOneOrderAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	four50 := domain.Money(450)
	o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG", Qty: 2}, {Code: "CARD", Price: &four50}}, Discount: 10, Payment: domain.PaymentCard})
	if err != nil {
		t.Fatal(err)
	}
	// MUG: 10.00 less 1.00 = 9.00 × 2 = 18.00; CARD: 4.50 less 0.45 = 4.05.
	if o.Total != 2205 || o.Discounts != 245 || o.Payment != domain.PaymentCard || len(o.Items) != 2 {
		t.Fatalf("order %+v; want total 22.05, discounts 2.45, card, 2 lines", o)
	}
	if o.Items[0].Order != o.ID || o.Items[1].Order != o.ID || o.Items[0].Price != 900 || o.Items[1].Price != 405 {
		t.Fatalf("lines %+v; want both in order %s at 9.00 and 4.05", o.Items, o.ID)
	}
	if o.Items[0].Available != 18 || o.Items[1].Available != 29 {
		t.Fatalf("available after the basket: %d and %d, want 18 and 29", o.Items[0].Available, o.Items[1].Available)
	}

	for _, tc := range []struct {
		name  string
		items []BasketItem
		short bool
	}{
		{"an unknown code on the third line", []BasketItem{{Code: "MUG"}, {Code: "CARD"}, {Code: "NOPE"}}, false},
		{"a short third line", []BasketItem{{Code: "MUG"}, {Code: "CARD"}, {Code: "MUG", Qty: 18}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := content(t, s)
			_, err := s.SellBasket(ctx, Basket{Items: tc.items})
			var short *ShortError
			if err == nil || errors.As(err, &short) != tc.short {
				t.Fatalf("err = %v; want a refusal (short: %v)", err, tc.short)
			}
			if content(t, s) != before {
				t.Fatal("a refused basket recorded some of its lines")
			}
		})
	}
}

func TestTillRefusesBadInputAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	mugSale, err := s.Sell(ctx, Sale{Code: "MUG"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, mugSale.ID, "rung up twice"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		do   func() error
		code string
	}{
		{"an unknown payment", func() error {
			_, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG"}}, Payment: "bitcoin"})
			return err
		}, domain.EInvalid},
		{"a discount below 0", func() error {
			_, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG"}}, Discount: -1})
			return err
		}, domain.EInvalid},
		{"a discount above 100", func() error {
			_, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG"}}, Discount: 101})
			return err
		}, domain.EInvalid},
		{"an empty basket", func() error { _, err := s.SellBasket(ctx, Basket{}); return err }, domain.EInvalid},
		{"a void of an unknown sale", func() error { return s.VoidSale(ctx, "0190e3a4-0000-7000-8000-00000000beef", "") }, domain.ENotFound},
		{"a second void", func() error { return s.VoidSale(ctx, mugSale.ID, "") }, domain.EConflict},
		{"a line worth more than the largest amount", func() error {
			most := domain.Money(999_999_999_999_999)
			_, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG", Qty: 2, Price: &most}}, Force: true})
			return err
		}, domain.EInvalid},
		{"a basket worth more than the largest amount", func() error {
			most := domain.Money(999_999_999_999_999)
			_, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG", Price: &most}, {Code: "CARD", Price: &most}}})
			return err
		}, domain.EInvalid},
		{"a refund paid in bitcoin", func() error {
			_, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "changed-mind", Refund: 900, Payment: "bitcoin"})
			return err
		}, domain.EInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := content(t, s)
			if err := tc.do(); domain.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want code %s", err, tc.code)
			}
			if content(t, s) != before {
				t.Fatal("the refused input changed the shop")
			}
		})
	}
}

// Two devices void the same sale while apart: after sync the units came
// back once, and both show one void.
func TestVoidsRestoreExactlyTheUnitsOnce(t *testing.T) {
	ctx := context.Background()
	a, clock := tillShop(t)
	sale, err := a.Sell(ctx, Sale{Code: "MUG", Qty: 3})
	if err != nil {
		t.Fatal(err)
	}
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	if err := a.VoidSale(ctx, sale.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := b.VoidSale(ctx, sale.ID, "wrong mug"); err != nil {
		t.Fatal(err)
	}
	if got := availableNow(t, a, "MUG"); got != 20 {
		t.Fatalf("after the void: %d available, want the 20 counted", got)
	}
	syncPair(t, a, b)
	for name, s := range map[string]*Shop{"a": a, "b": b} {
		if got := availableNow(t, s, "MUG"); got != 20 {
			t.Errorf("%s: %d available after both voids synced, want 20", name, got)
		}
		lines, err := s.Sales(ctx, day(0), day(1), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 1 || !lines[0].Voided {
			t.Errorf("%s: sales %+v, want the one line, voided", name, lines)
		}
	}
}

// A day worked out by hand:
//
//	basket A, cash, 10 % off: MUG × 2 at 9.00 (1.00 off each) = 18.00
//	                          CARD × 1 at 4.05 (0.45 off)      =  4.05
//	basket B, card:           CARD × 2 at 4.50                 =  9.00
//	basket C, card:           MUG × 1 at 10.00, voided later     (0.00)
//	a return of 1 MUG, refunded 9.00 in cash
//
// orders 2, lines 3, units 5, takings 31.05, discounts 2.45; cash 22.05
// less the 9.00 refund = 13.05, card 9.00; 1 unit returned, 9.00
// refunded, 1 line voided, of 10.00. A sale the next day counts in none
// of it.
func TestEndOfDayOnAHandComputedDay(t *testing.T) {
	ctx := context.Background()
	s, clock := tillShop(t)
	four50 := domain.Money(450)
	sell := func(b Basket) SoldBasket {
		t.Helper()
		o, err := s.SellBasket(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	sell(Basket{Items: []BasketItem{{Code: "MUG", Qty: 2}, {Code: "CARD", Price: &four50}}, Discount: 10})
	sell(Basket{Items: []BasketItem{{Code: "CARD", Qty: 2, Price: &four50}}, Payment: domain.PaymentCard})
	c := sell(Basket{Items: []BasketItem{{Code: "MUG"}}, Payment: domain.PaymentCard})
	if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "changed-mind", Refund: 900}); err != nil {
		t.Fatal(err)
	}
	clock.Set(day(1).Add(time.Hour))
	if err := s.VoidSale(ctx, c.Items[0].ID, ""); err != nil { // the next morning
		t.Fatal(err)
	}
	sell(Basket{Items: []BasketItem{{Code: "MUG"}}})

	got, err := s.Day(ctx, day(0))
	if err != nil {
		t.Fatal(err)
	}
	want := DaySummary{Date: domain.StartOfDay(day(0)), Orders: 2, Sales: 3, Units: 5, Total: 3105, Discounts: 245,
		Returns: 1, Refunds: 900, Voided: 1, VoidedTotal: 1000}
	if got.Date != want.Date || got.Orders != want.Orders || got.Sales != want.Sales || got.Units != want.Units ||
		got.Total != want.Total || got.Discounts != want.Discounts || got.Returns != want.Returns ||
		got.Refunds != want.Refunds || got.Voided != want.Voided || got.VoidedTotal != want.VoidedTotal {
		t.Fatalf("day:\n got %+v\nwant %+v", got, want)
	}
	if got.ByPayment[domain.PaymentCash] != 1305 || got.ByPayment[domain.PaymentCard] != 900 || got.ByPayment[domain.PaymentOther] != 0 {
		t.Errorf("by payment %v, want cash 13.05, card 9.00, other 0.00", got.ByPayment)
	}
	if len(got.ByChannel) != 1 || got.ByChannel["fair"] != 3105 {
		t.Errorf("by channel %v, want fair 31.05", got.ByChannel)
	}
}

// The close of a day says what its voided lines came to, as sold: each
// line's quantity at its price after the discount, on the day of the sale
// it voids. "Voided: 2 lines" alone did not say whether they were the
// 48.00 the cash box was short.
func TestTheDaySaysWhatItsVoidsCameTo(t *testing.T) {
	ctx := context.Background()
	s, clock := tillShop(t)
	four50 := domain.Money(450)
	// MUG 10.00 less 1.00 = 9.00 × 2 = 18.00; CARD 4.50 less 0.45 = 4.05.
	o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG", Qty: 2}, {Code: "CARD", Price: &four50}}, Discount: 10})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := s.Sell(ctx, Sale{Code: "CARD", Qty: 3})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Day(ctx, day(0))
	if err != nil || got.Voided != 0 || got.VoidedTotal != 0 {
		t.Fatalf("a day without voids: %d voided of %s, %v; want none, 0.00", got.Voided, got.VoidedTotal, err)
	}
	clock.Set(day(1).Add(time.Hour)) // voided the next morning: they count on the day of the sale
	for _, l := range o.Items {
		if err := s.VoidSale(ctx, l.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	got, err = s.Day(ctx, day(0))
	if err != nil {
		t.Fatal(err)
	}
	if got.Voided != 2 || got.VoidedTotal != 2205 || got.Total != 3*kept.Price {
		t.Errorf("the day: %d voided of %s, takings %s; want 2 lines of 22.05, takings 30.00", got.Voided, got.VoidedTotal, got.Total)
	}
	if next, err := s.Day(ctx, day(1)); err != nil || next.Voided != 0 || next.VoidedTotal != 0 {
		t.Errorf("the day of the voids: %d voided of %s, %v; want none: they count on the day of the sales", next.Voided, next.VoidedTotal, err)
	}
}

// An imported Etsy sale counts in the day under its own channel.
func TestDayTellsImportedChannels(t *testing.T) {
	d := DaySummary{ByChannel: map[domain.Channel]domain.Money{"fair": 100, "etsy": 250}}
	chs := d.Channels()
	if !slices.Contains(chs, "etsy") || slices.Contains(chs, "shopify") || !slices.Contains(chs, "online") {
		t.Fatalf("channels %v; want the shop's own and etsy, not shopify", chs)
	}
}

// An online sale typed without a payment is not cash: the close of day's
// cash line is what the cash box should hold, and a parcel paid on the
// channel never went through it. A fair sale still defaults to cash.
func TestASaleOnlineWithoutAPaymentIsNotCash(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	online, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG"}}, Channel: "online"})
	if err != nil {
		t.Fatal(err)
	}
	if online.Payment != domain.PaymentOther {
		t.Errorf("an online sale without a payment is paid %q, want other", online.Payment)
	}
	fair, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: "MUG"}}})
	if err != nil {
		t.Fatal(err)
	}
	if fair.Payment != domain.PaymentCash {
		t.Errorf("a fair sale without a payment is paid %q, want cash", fair.Payment)
	}
	d, err := s.Day(ctx, day(0))
	if err != nil {
		t.Fatal(err)
	}
	if d.ByPayment[domain.PaymentCash] != 1000 || d.ByPayment[domain.PaymentOther] != 1000 {
		t.Errorf("by payment %v, want cash 10.00 (the fair sale) and other 10.00 (the online one)", d.ByPayment)
	}
}
