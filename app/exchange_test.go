package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// A mug swapped for another at the fair paid nothing back: its margin
// loses no money that never left the till. MUG and CARD (each 10.00, cost
// 3.00) sell 2 each; one of each comes back and goes on the shelf.
//
//	MUG, exchanged (refund 0): revenue 20.00, cost 1 kept × 3.00 = 3.00,
//	     returns 0.00, contribution 20.00 − 3.00 − 0.00 = 17.00
//	CARD, no refund named: returns 1 × 10.00, the sale price, as before:
//	     contribution 20.00 − 3.00 − 10.00 = 7.00
func TestAnExchangeCountsNothingPaidBackInTheMargins(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	for _, code := range []string{"MUG", "CARD"} {
		if _, err := s.Sell(ctx, Sale{Code: code, Qty: 2}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "wrong-size", Restock: true, NoRefund: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "CARD", Qty: 1, Reason: "wrong-size", Restock: true}); err != nil {
		t.Fatal(err)
	}
	if m := marginOf(t, s, "MUG"); m.Revenue != 2000 || m.Cost != 300 || m.Returns != 0 || m.Contribution != 1700 {
		t.Errorf("MUG exchanged: %+v; want revenue 20.00, cost 3.00, returns 0.00, contribution 17.00", m)
	}
	if m := marginOf(t, s, "CARD"); m.Returns != 1000 || m.Contribution != 700 {
		t.Errorf("CARD back with no refund named: %+v; want returns 10.00 (its sale price), contribution 7.00", m)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "wrong-size", Refund: 900, NoRefund: true}); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("a refund of 9.00 with nothing paid back: err = %v, want it refused", err)
	}
}

// A kit swapped for another paid nothing back for any of its parts: each
// part's line says so, and none is valued at its share of the kit's price.
func TestAKitExchangedCountsNothingPaidBackForItsParts(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	if _, err := s.AddKit(ctx, "SET", "Mug and card", 1800, []KitPartIn{{"MUG", 1}, {"CARD", 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "SET"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "SET", Qty: 1, Reason: "changed-mind", Restock: true, NoRefund: true}); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"MUG", "CARD"} {
		if m := marginOf(t, s, code); m.Returns != 0 || m.Contribution != m.Revenue {
			t.Errorf("%s, a part of the kit exchanged: %+v; want returns 0.00, the revenue kept", code, m)
		}
	}
}

// A return another device recorded as an exchange counts as one here:
// the mug (10.00, cost 3.00) sold once and came back to the shelf with
// nothing paid back keeps its 10.00; named no refund, it would keep 0.00.
func TestAnExchangeFromAnotherDeviceCountsNothingPaidBack(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	clock.Set(day(2))
	if _, err := a.Sell(ctx, Sale{Code: "MUG", At: day(1)}); err != nil {
		t.Fatal(err)
	}
	mug, err := a.SKU(ctx, "MUG")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, body   string
		contribution domain.Money
	}{
		{"as this build writes it", `{"sku_id":%q,"at":%d,"qty":1,"reason":"wrong-size","restock":true,"no_refund":true}`, 1000},
		// Spaced out, the body takes encoding/json's path.
		{"spaced out", `{ "no_refund" : true, "sku_id" : %q, "at" : %d, "qty" : 1, "reason" : "wrong-size", "restock" : true }`, 1000},
		{"naming no refund", `{"sku_id":%q,"at":%d,"qty":1,"reason":"wrong-size","restock":true}`, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := mustReplica(t, a, clock.Now)
			syncPair(t, a, b)
			body := fmt.Appendf(nil, tt.body, mug.ID, day(1).Add(time.Hour).UnixMilli())
			back := changes.Change{Origin: "peer", Seq: 1, HLC: peerStamp(clock, -time.Hour), Entity: kindReturn, EntityID: newID(), Body: body}
			if _, err := b.applyPlain(ctx, []changes.Change{back}); err != nil {
				t.Fatal(err)
			}
			if got := alertsOf(t, b, AlertQuarantined); len(got) != 0 {
				t.Fatalf("set aside: %+v", got)
			}
			if m := marginOf(t, b, "MUG"); m.Contribution != tt.contribution {
				t.Errorf("MUG: %+v; want contribution %s", m, tt.contribution)
			}
		})
	}
}

// The close of the day and a void's warning count what left the till: an
// exchange took nothing out. MUG (10.00) sells 2 for cash; one comes back
// refunded 4.00 in cash, the other is exchanged and restocked.
func TestAnExchangeTakesNothingOffTheDayOrAVoidsWarning(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	sale, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Return{{Code: "MUG", Qty: 1, Reason: "broke", Refund: 400}, {Code: "MUG", Qty: 1, Reason: "wrong-size", Restock: true, NoRefund: true}} {
		if _, err := s.RecordReturn(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.Day(ctx, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d.Refunds != 400 || d.ByPayment[domain.PaymentCash] != 1600 || d.Returns != 2 {
		t.Errorf("the day: refunds %s, cash %s, %d returned; want 4.00, 16.00 and 2", d.Refunds, d.ByPayment[domain.PaymentCash], d.Returns)
	}
	warnings, err := s.VoidWarnings(ctx, sale.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "refunded 4.00, 1 of them put back in stock") {
		t.Errorf("void warnings %q; want the 4.00 refunded and the 1 unit restocked", warnings)
	}
}

// A kit exchanged takes nothing off what a void of its sale warns of: its
// parts' lines each say nothing was paid back, and their sum was taken
// off the refund of the kit returned before it.
func TestAKitExchangedTakesNothingOffAVoidsWarning(t *testing.T) {
	ctx := context.Background()
	s, _ := tillShop(t)
	if _, err := s.AddKit(ctx, "SET", "Mug and card", 1800, []KitPartIn{{"MUG", 1}, {"CARD", 1}}); err != nil {
		t.Fatal(err)
	}
	sale, err := s.Sell(ctx, Sale{Code: "SET", Qty: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Return{{Code: "SET", Qty: 1, Reason: "broke", Refund: 1800}, {Code: "SET", Qty: 1, Reason: "wrong-size", Restock: true, NoRefund: true}} {
		if _, err := s.RecordReturn(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	warnings, err := s.VoidWarnings(ctx, sale.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) == 0 || !strings.Contains(warnings[0], "refunded 18.00, 1 of them put back in stock") {
		t.Errorf("void warnings %q; want the kit's 18.00 refunded and 1 kit restocked", warnings)
	}
	if d, err := s.Day(ctx, s.Now()); err != nil || d.Refunds != 1800 {
		t.Errorf("the day's refunds %s (%v); want 18.00", d.Refunds, err)
	}
}

// A build before exchanges logged one from a newer device as naming no
// refund; upgraded, it reads the body again and counts nothing paid back.
func TestAnExchangeLoggedByAnOlderBuildCountsOnceUpgraded(t *testing.T) {
	ctx := context.Background()
	s, clock := tillShop(t)
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "wrong-size", Restock: true, NoRefund: true}); err != nil {
		t.Fatal(err)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE changes SET refund = 0 WHERE entity = 'return'`, // as the older build logged it
		`DELETE FROM migrations WHERE name = '0030_no_refund.sql'`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	path := s.path
	s.Close()
	up, err := Open(path, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	if m := marginOf(t, up, "MUG"); m.Returns != 0 || m.Contribution != 1700 {
		t.Errorf("MUG after the upgrade: %+v; want returns 0.00, contribution 17.00", m)
	}
}

// Exchanges synced in a full run go in with one statement, which binds
// only the columns its events set: each row holds nothing paid back, as
// one logged alone does, not the literal 0 of a column left out.
func TestExchangesSyncedInARunHoldNothingPaidBack(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	mug, err := a.SKU(ctx, "MUG")
	if err != nil {
		t.Fatal(err)
	}
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	run := make([]changes.Change, maxRun)
	for i := range run {
		body := fmt.Appendf(nil, `{"sku_id":%q,"at":%d,"qty":1,"reason":"wrong-size","restock":true,"no_refund":true}`, mug.ID, day(1).UnixMilli()+int64(i))
		run[i] = changes.Change{Origin: "peer", Seq: int64(i + 1), HLC: peerStamp(clock, time.Duration(i)*time.Millisecond), Entity: kindReturn, EntityID: newID(), Body: body}
	}
	if _, err := b.applyPlain(ctx, run); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, b.db, fmt.Sprintf("changes WHERE entity = 'return' AND refund = %d", refundNone)); n != maxRun {
		t.Errorf("%d of the %d exchanges hold nothing paid back", n, maxRun)
	}
}
