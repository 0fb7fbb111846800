package app

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// priceApart has the desk set MUG's price to 64.00 and the laptop, a
// second later, to 65.00, while apart, and syncs them: 65.00 is kept on
// both, 64.00 a conflict.
func priceApart(t *testing.T) (desk, laptop *Shop, clock *fakeClock) {
	t.Helper()
	ctx := context.Background()
	desk, laptop, clock = mugOnTwoDevices(t)
	if _, err := desk.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(6400))}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Second))
	if _, err := laptop.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(6500))}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	return desk, laptop, clock
}

// onlyConflict is the one conflict s lists.
func onlyConflict(t *testing.T, s *Shop) Conflict {
	t.Helper()
	cs, err := s.Conflicts(context.Background())
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts %+v, %v; want one", cs, err)
	}
	return cs[0]
}

// noConflicts fails the test when a shop lists a conflict.
func noConflicts(t *testing.T, shops map[string]*Shop) {
	t.Helper()
	for name, s := range shops {
		if cs, err := s.Conflicts(context.Background()); err != nil || len(cs) != 0 {
			t.Errorf("%s lists conflicts %+v, %v; want none", name, cs, err)
		}
		if alerts := alertsOf(t, s, AlertSyncConflict); len(alerts) != 0 {
			t.Errorf("%s alerts %+v; want no sync conflict on Today", name, alerts)
		}
	}
}

// Keeping a conflict settles it on the value in force: it leaves the list
// on the device that kept it, on the other once they sync, and on a
// device that joins later, which listed an edit it never saw; the price
// stays 65.00 everywhere. It could only be undone, and stayed for good.
// A conflict settled meanwhile (on another device, synced in while the
// Sync screen showed it) is refused, when kept or undone, in a maker's
// words: it named the record's id and the lost version's clock stamp.
func TestAConflictSettledMeanwhileSaysSoWithoutIDs(t *testing.T) {
	ctx := context.Background()
	desk, _, _ := priceApart(t)
	c := onlyConflict(t, desk)
	if err := desk.KeepConflict(ctx, c.Entity, c.EntityID, c.Field, c.LostStamp); err != nil {
		t.Fatal(err)
	}
	for name, again := range map[string]func() error{
		"keep": func() error { return desk.KeepConflict(ctx, c.Entity, c.EntityID, c.Field, c.LostStamp) },
		"undo": func() error { return desk.UndoConflict(ctx, c.Entity, c.EntityID, c.Field, c.LostStamp) },
	} {
		err := again()
		msg := domain.ErrorMessage(err)
		if domain.ErrorCode(err) != domain.ENotFound || !strings.Contains(msg, "SKU MUG") || !strings.Contains(msg, "settled") ||
			strings.Contains(msg, c.EntityID) || strings.Contains(msg, c.LostStamp) {
			t.Errorf("%s of a settled conflict: %q; want it said settled, of SKU MUG's price, with no id or stamp", name, msg)
		}
	}
}

func TestKeepSettlesAConflictOnEveryDeviceAndLeavesTheValue(t *testing.T) {
	ctx := context.Background()
	desk, laptop, clock := priceApart(t)
	c := onlyConflict(t, desk)
	got, err := desk.KeepConflictID(ctx, strings.ToUpper(c.ID()))
	if err != nil {
		t.Fatal(err)
	}
	if got.Field != "price" || got.Kept.String() != "65.00" || got.Lost.String() != "64.00" {
		t.Errorf("keep returned %+v, want the price conflict as it stood", got)
	}
	noConflicts(t, map[string]*Shop{"desk": desk})
	syncPair(t, desk, laptop)
	later := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, later)
	shops := map[string]*Shop{"desk": desk, "laptop": laptop, "a device joined later": later}
	noConflicts(t, shops)
	for name, s := range shops {
		if sku, err := s.SKU(ctx, "MUG"); err != nil || sku.Price != 6500 {
			t.Errorf("%s: MUG at %s, %v; want the kept 65.00", name, sku.Price, err)
		}
	}
	if _, err := desk.KeepConflictID(ctx, c.ID()); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("keeping a settled conflict again: %v; want it not found", err)
	}
}

// Keeping a conflict over a batch's QA settles the whole decision, its
// time, note and cancelled rest with its verdict, in one change, on both
// devices; the batch, its stock and its factory stay as the kept fail
// left them. Settled part by part, the decision's time and note came back
// as conflicts of their own.
func TestKeepingAQAConflictSettlesItWholeAndMovesNothing(t *testing.T) {
	ctx := context.Background()
	desk, laptop, b, _ := qaApart(t, true, false)
	type state struct {
		batch   domain.Batch
		stock   StockRow
		factory FactoryView
	}
	stateOf := func(s *Shop) state {
		t.Helper()
		got, err := s.Batch(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		f, err := s.Factory(ctx, "Fab", s.AsOfNow())
		if err != nil {
			t.Fatal(err)
		}
		return state{got, mustStock(t, s, "PIN", s.AsOfNow()), f}
	}
	before := stateOf(desk)
	if before.batch.QA != domain.QAFailed || !before.factory.Paused {
		t.Fatalf("before keeping, batch %s and Fab paused %v; want the laptop's fail kept", before.batch.QA, before.factory.Paused)
	}
	c := onlyConflict(t, desk)
	if !c.OverQA() {
		t.Fatalf("the conflict is over %s, want the batch's QA", c.Field)
	}
	v0, _ := desk.Vector(ctx)
	if _, err := desk.KeepConflictID(ctx, c.ID()); err != nil {
		t.Fatal(err)
	}
	if v1, _ := desk.Vector(ctx); v1[desk.DeviceID()] != v0[desk.DeviceID()]+1 {
		t.Errorf("keeping the decision made %d changes, want one", v1[desk.DeviceID()]-v0[desk.DeviceID()])
	}
	syncPair(t, desk, laptop)
	noConflicts(t, map[string]*Shop{"desk": desk, "laptop": laptop})
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		if got := stateOf(s); !reflect.DeepEqual(got, before) {
			t.Errorf("%s after keeping:\n %+v\nwant as before:\n %+v", name, got, before)
		}
	}
	if d, l := content(t, desk), content(t, laptop); d != l {
		t.Errorf("the desk and the laptop differ after the keep\n desk:   %s\n laptop: %s", d, l)
	}
}

// Editing a field again where both values of its conflict are known comes
// after both: the conflict is settled, on both devices once they sync, and
// the new value is in force. The old lost value stayed listed against it.
func TestAnEditAfterAConflictSettlesIt(t *testing.T) {
	for _, tc := range []struct {
		name string
		on   func(desk, laptop *Shop) *Shop
	}{
		{"on the device whose value was kept", func(_, laptop *Shop) *Shop { return laptop }},
		{"on the device whose value lost", func(desk, _ *Shop) *Shop { return desk }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			desk, laptop, clock := priceApart(t)
			clock.Set(clock.Now().Add(time.Second))
			if _, err := tc.on(desk, laptop).EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(1200))}); err != nil {
				t.Fatal(err)
			}
			syncPair(t, desk, laptop)
			shops := map[string]*Shop{"desk": desk, "laptop": laptop}
			noConflicts(t, shops)
			for name, s := range shops {
				if sku, err := s.SKU(ctx, "MUG"); err != nil || sku.Price != 1200 {
					t.Errorf("%s: MUG at %s, %v; want the new 12.00", name, sku.Price, err)
				}
			}
		})
	}
}

// A batch cancelled again after its cancellation lost to a later pass on
// another device settles that conflict: the batch's edits go the same way
// as any record's.
func TestCancellingABatchAgainSettlesItsConflict(t *testing.T) {
	ctx := context.Background()
	desk, laptop, o, clock := cancelLostToAPass(t)
	if c := onlyConflict(t, desk); c.Field != "cancelled_at" {
		t.Fatalf("the conflict is over %s, want cancelled_at", c.Field)
	}
	clock.Set(clock.Now().Add(time.Second))
	if _, err := desk.CancelBatch(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	noConflicts(t, map[string]*Shop{"desk": desk, "laptop": laptop})
	if got, err := laptop.Batch(ctx, o.ID); err != nil || !got.Cancelled() || got.QA != domain.QAPassed {
		t.Errorf("the laptop's batch: %s, cancelled %v, %v; want passed and cancelled", got.QA, got.Cancelled(), err)
	}
}

// Today's line about a conflict quotes the two values: a name with a comma
// in it read as two values, "kept Cat pin, gold, the other value ...".
func TestAConflictAlertQuotesItsValues(t *testing.T) {
	ctx := context.Background()
	desk, laptop, clock := mugOnTwoDevices(t)
	if _, err := desk.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Cat pin (enamel)")}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Second))
	if _, err := laptop.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Cat pin, gold")}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	alerts := alertsOf(t, desk, AlertSyncConflict)
	const want = `kept "Cat pin, gold", the other value "Cat pin (enamel)" is in conflicts`
	if len(alerts) != 1 || !strings.Contains(alerts[0].Message, want) {
		t.Errorf("the alerts say %+v; want one with %q", alerts, want)
	}
}
