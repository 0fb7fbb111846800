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

// TestConflictsShowValuesAsTypedAndTheDeviceByName has the desk and the
// laptop change a SKU's price, cover and factory while apart: the list of
// conflicts on both shows money as typed, the default as such, the factory
// by name, and the losing device by the name it was given.
func TestConflictsShowValuesAsTypedAndTheDeviceByName(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustCreate(t)
	mustFactory(t, desk, "Fab", 5, true)
	mustFactory(t, desk, "Kiln", 5, true)
	mustSKU(t, desk, "MUG", domain.PathMicrofactory, "Fab")
	if _, err := desk.EditSKU(ctx, "MUG", SKUFields{MinCover: ptr(20)}); err != nil {
		t.Fatal(err)
	}
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)

	if _, err := desk.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(6400)), UnsetMinCover: true, Factory: ptr("Kiln")}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Second))
	if _, err := laptop.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(6500)), MinCover: ptr(10), Factory: ptr("Fab")}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)

	want := map[string][2]FieldValue{
		"price":      {{Value: "65.00"}, {Value: "64.00"}},
		"min_cover":  {{Value: int64(10)}, {Default: true}},
		"factory_id": {{Value: "Fab"}, {Value: "Kiln"}},
	}
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		cs, err := s.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != len(want) {
			t.Fatalf("%s: %d conflicts %+v, want %d", name, len(cs), cs, len(want))
		}
		for _, c := range cs {
			w, ok := want[c.Field]
			if !ok || c.Kept != w[0] || c.Lost != w[1] {
				t.Errorf("%s: %s kept %#v lost %#v, want %#v and %#v", name, c.Field, c.Kept, c.Lost, w[0], w[1])
			}
			if c.LostDevice != "desk" || c.LostDeviceID != desk.DeviceID() {
				t.Errorf("%s: %s lost on device %q (%s), want desk (%s)", name, c.Field, c.LostDevice, c.LostDeviceID, desk.DeviceID())
			}
			if c.LostHere != (s == desk) {
				t.Errorf("%s: %s lost here %v, want %v", name, c.Field, c.LostHere, s == desk)
			}
		}
	}
	if got, want := (FieldValue{Default: true}).String(), "(default)"; got != want {
		t.Errorf("a dropped override reads %q, want %q", got, want)
	}
}

// A conflict names its record as the rest of the app does: "SKU MUG", in
// the list of conflicts and in the alert, where both said "sku MUG".
func TestAConflictNamesItsSKUAsTheAppDoes(t *testing.T) {
	ctx := context.Background()
	desk, laptop, clock := mugOnTwoDevices(t)
	if _, err := desk.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(6400))}); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.EditFactory(ctx, "Fab", FactoryFields{LeadDays: ptr(9)}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Second))
	if _, err := laptop.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(6500))}); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.EditFactory(ctx, "Fab", FactoryFields{LeadDays: ptr(7)}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	cs, err := desk.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.What())
	}
	if want := []string{"factory Fab", "SKU MUG"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the conflicts name %q, want %q", got, want)
	}
	for _, a := range alertsOf(t, desk, AlertSyncConflict) {
		if !strings.Contains(a.Message, " of SKU MUG ") && !strings.Contains(a.Message, " of factory Fab ") {
			t.Errorf("the alert says %q, want the record named as SKU MUG or factory Fab", a.Message)
		}
	}
}

// TestADeviceCannotNameAnother sends a change that gives the desk's id
// another name from a third device, and a name no one could read: neither
// is shown.
func TestADeviceCannotNameAnother(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustCreate(t)
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	forged := []byte(`{"name":{"v":"thief"}}`)
	stamp := func(n int) string { return fmt.Sprintf("%015d.%05d.intruder", clock.Now().UnixMilli()+1000, n) }
	if _, err := laptop.applyPlain(ctx, []changes.Change{{Origin: "intruder", Seq: 1, HLC: stamp(0), Entity: deviceEntity, EntityID: desk.DeviceID(), Body: forged}}); err != nil {
		t.Fatal(err)
	}
	odd := []byte(`{"name":{"v":"bad\u0007name"}}`)
	if _, err := laptop.applyPlain(ctx, []changes.Change{{Origin: "intruder", Seq: 2, HLC: stamp(1), Entity: deviceEntity, EntityID: "intruder", Body: odd}}); err != nil {
		t.Fatal(err)
	}
	got, err := deviceNames(ctx, laptop.db)
	if err != nil {
		t.Fatal(err)
	}
	if got[desk.DeviceID()] != "desk" || got["intruder"] != "" {
		t.Errorf("device names %v, want the desk as desk and the intruder unnamed", got)
	}
}

// Two devices that set a field to the same value at once lost nothing:
// no conflict is listed (the same orders imported on both, marked shipped
// the same day), while a different value still is one.
func TestTheSameValueFromTwoDevicesIsNoConflict(t *testing.T) {
	ctx := context.Background()
	desk, laptop, clock := mugOnTwoDevices(t)

	if _, err := desk.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(6400)), MinCover: ptr(10)}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Second))
	if _, err := laptop.EditSKU(ctx, "MUG", SKUFields{Price: ptr(domain.Money(6400)), MinCover: ptr(12)}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		cs, err := s.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Field != "min_cover" {
			t.Errorf("%s lists conflicts %+v, want only min_cover's (the price is the same on both)", name, cs)
		}
	}
}

// A conflict over a quote names it as people know it: the factory and
// the SKU quoted. It named it by its raw id.
func TestConflictsNameAQuoteByFactoryAndSKU(t *testing.T) {
	ctx := context.Background()
	desk, clock := kitShop(t)
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	for i, s := range []*Shop{desk, laptop} {
		if _, err := s.QuoteFactory(ctx, QuoteFields{Factory: "Fab", Code: "CARD", UnitCost: domain.Money(300 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	syncPair(t, desk, laptop)
	cs, err := desk.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Entity != "quote" || cs[0].Subject != "Fab / CARD" {
		t.Errorf("conflicts %+v, want one over the quote of Fab / CARD", cs)
	}
}

// qaApart has the desk and the laptop decide the QA of one held batch of
// 10 PIN units (20 ordered, 1 held) while apart: the desk first, the
// laptop a second later, so the laptop's decision is kept. A fail on
// either cancels the 10 units still to come.
func qaApart(t *testing.T, deskPass, laptopPass bool) (desk, laptop *Shop, b domain.Batch, clock *fakeClock) {
	t.Helper()
	ctx := context.Background()
	desk, laptop, o, clock := heldOnTwo(t, 10)
	for _, d := range []struct {
		s    *Shop
		pass bool
		note string
	}{{desk, deskPass, "desk looked"}, {laptop, laptopPass, "laptop looked"}} {
		clock.Set(clock.Now().Add(time.Second))
		if _, err := d.s.Decide(ctx, QADecision{Batch: o.ID, Pass: d.pass, Note: d.note, At: clock.Now(), CancelRest: !d.pass}); err != nil {
			t.Fatal(err)
		}
	}
	syncPair(t, desk, laptop)
	return desk, laptop, o.Batch, clock
}

// heldOnTwo is a shop and a replica in step, both holding a batch of 20
// PIN from the new factory Fab with received of it in, QA still to decide.
func heldOnTwo(t *testing.T, received int) (desk, laptop *Shop, o OrderResult, clock *fakeClock) {
	t.Helper()
	ctx := context.Background()
	desk, clock = mustCreate(t)
	mustFactory(t, desk, "Fab", 5, false)
	mustSKU(t, desk, "PIN", domain.PathMicrofactory, "Fab")
	o, err := desk.OrderBatch(ctx, Order{Code: "PIN", Qty: 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.ReceiveBatch(ctx, o.ID, received, clock.Now()); err != nil {
		t.Fatal(err)
	}
	laptop = mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	return desk, laptop, o, clock
}

// undoQAConflict undoes, on s, the conflict over the batch's QA.
func undoQAConflict(t *testing.T, s *Shop) {
	t.Helper()
	ctx := context.Background()
	cs, err := s.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Entity == "batch" && c.Field == "qa" {
			if _, err := s.UndoConflictID(ctx, c.ID()); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no conflict over the batch's QA among %+v", cs)
}

// A QA passed on the desk and failed on the laptop while apart: the fail
// is kept, with its rejected units, its cancelled rest and its paused
// factory. Undoing the conflict on the desk puts the pass back whole, on
// both once they sync: the held unit is for sale, the rest on order, the
// pass's time and note, and the factory takes orders again, with no
// paused-factory alert and no conflict left. The batch passed while its
// failure kept the factory paused on both.
func TestUndoingAQAConflictToPassedLiftsTheFailuresPause(t *testing.T) {
	ctx := context.Background()
	desk, laptop, b, _ := qaApart(t, true, false)
	if got, _ := desk.Batch(ctx, b.ID); got.QA != domain.QAFailed {
		t.Fatalf("before the undo the batch is %s, want the laptop's later fail kept", got.QA)
	}
	passedAt := testStart.Add(time.Second).UnixMilli()
	undoQAConflict(t, desk)
	syncPair(t, desk, laptop)

	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		got, err := s.Batch(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.QA != domain.QAPassed || got.QAAt != passedAt || got.QANote != "desk looked" || got.Cancelled() {
			t.Errorf("%s: batch %s at %d (%q), cancelled %v; want passed at %d (\"desk looked\"), its rest on order",
				name, got.QA, got.QAAt, got.QANote, got.Cancelled(), passedAt)
		}
		row := mustStock(t, s, "PIN", s.AsOfNow())
		if row.OnHand != 10 || row.Available != 10 || row.OnOrder != 10 || row.Blocked {
			t.Errorf("%s: PIN on hand %d, available %d, on order %d, blocked %v; want 10, 10, 10 and not blocked",
				name, row.OnHand, row.Available, row.OnOrder, row.Blocked)
		}
		f, err := s.Factory(ctx, "Fab", s.AsOfNow())
		if err != nil {
			t.Fatal(err)
		}
		if f.Blocked() {
			t.Errorf("%s: factory Fab is still paused (%s) after its batch's QA became a pass", name, f.Reason())
		}
		alerts, err := s.Alerts(ctx, s.AsOfNow())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range alerts {
			if a.Kind == AlertFactoryPaused || a.Kind == AlertSyncConflict {
				t.Errorf("%s: alert %s: %s", name, a.Kind, a.Message)
			}
		}
		if _, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 5}); err != nil {
			t.Errorf("%s: ordering from Fab after the undo: %v", name, err)
		}
	}
	syncPair(t, desk, laptop)
	if d, l := content(t, desk), content(t, laptop); d != l {
		t.Errorf("the desk and the laptop differ after the undo\n desk:   %s\n laptop: %s", d, l)
	}
}

// Undoing a QA conflict to "passed" lifts only the pause that batch's
// failure set: one set by hand since, or by another batch's failure,
// stays as it is on both devices.
func TestUndoingAQAConflictKeepsAnotherPause(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pause func(t *testing.T, s *Shop, clock *fakeClock) string // pauses Fab again, and says why
	}{
		{"by hand", func(t *testing.T, s *Shop, _ *fakeClock) string {
			if err := s.PauseFactory(context.Background(), "Fab", "supplier on holiday"); err != nil {
				t.Fatal(err)
			}
			return "supplier on holiday"
		}},
		{"by another batch's failure", func(t *testing.T, s *Shop, clock *fakeClock) string {
			ctx := context.Background()
			o, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 10})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ReceiveBatch(ctx, o.ID, 10, clock.Now()); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DecideQA(ctx, o.ID, false, "", clock.Now()); err != nil {
				t.Fatal(err)
			}
			return "batch " + o.ID + " of PIN failed QA on 2026-06-01: inspect the rest of that batch"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			desk, laptop, b, clock := qaApart(t, true, false)
			if err := laptop.ResumeFactory(ctx, "Fab"); err != nil {
				t.Fatal(err)
			}
			why := tc.pause(t, laptop, clock)
			syncPair(t, desk, laptop)
			undoQAConflict(t, desk)
			syncPair(t, desk, laptop)
			for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
				if got, _ := s.Batch(ctx, b.ID); got.QA != domain.QAPassed {
					t.Errorf("%s: batch %s after the undo, want passed", name, got.QA)
				}
				f, err := s.Factory(ctx, "Fab", s.AsOfNow())
				if err != nil {
					t.Fatal(err)
				}
				if !f.Paused || f.PauseReason != why {
					t.Errorf("%s: factory Fab paused %v (%q), want it paused still: %q", name, f.Paused, f.PauseReason, why)
				}
			}
		})
	}
}

// Undoing a QA conflict to "failed" brings what a fail does: the held
// unit rejected, the rest cancelled and the factory paused for that batch,
// which the pass that won had left unpaused.
func TestUndoingAQAConflictToFailedPausesTheFactory(t *testing.T) {
	ctx := context.Background()
	desk, laptop, b, _ := qaApart(t, false, true)
	if f, err := laptop.Factory(ctx, "Fab", laptop.AsOfNow()); err != nil || f.Paused {
		t.Fatalf("Fab paused %v, %v before the undo; want the pass that won to leave it unpaused", f.Paused, err)
	}
	undoQAConflict(t, laptop)
	syncPair(t, desk, laptop)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		got, err := s.Batch(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.QA != domain.QAFailed || got.QANote != "desk looked" || !got.Cancelled() {
			t.Errorf("%s: batch %s (%q), cancelled %v; want the desk's fail, its rest cancelled", name, got.QA, got.QANote, got.Cancelled())
		}
		if row := mustStock(t, s, "PIN", s.AsOfNow()); row.OnHand != 9 || row.OnOrder != 0 {
			t.Errorf("%s: PIN on hand %d, on order %d; want 9 (the held unit rejected) and none", name, row.OnHand, row.OnOrder)
		}
		f, err := s.Factory(ctx, "Fab", s.AsOfNow())
		if err != nil {
			t.Fatal(err)
		}
		if !pausedByFailure(f, b.ID) {
			t.Errorf("%s: factory Fab paused %v (%q), want it paused for the batch's failure", name, f.Paused, f.PauseReason)
		}
	}
}

// Two devices that decide a batch's QA within one second list no
// conflict over its time: the list shows both to the second, the same.
// A second apart, they do.
func TestQADecisionsInOneSecondMakeNoConflictOverTheirTime(t *testing.T) {
	for _, tc := range []struct {
		name  string
		apart time.Duration
		want  bool
	}{{"300 ms apart", 300 * time.Millisecond, false}, {"a second apart", time.Second, true}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			desk, laptop, o, clock := heldOnTwo(t, 20)
			at := clock.Now().Add(time.Minute)
			if _, err := desk.DecideQA(ctx, o.ID, true, "", at); err != nil {
				t.Fatal(err)
			}
			if _, err := laptop.DecideQA(ctx, o.ID, true, "", at.Add(tc.apart)); err != nil {
				t.Fatal(err)
			}
			syncPair(t, desk, laptop)
			for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
				cs, err := s.Conflicts(ctx)
				if err != nil {
					t.Fatal(err)
				}
				listed := len(cs) == 1 && cs[0].Field == "qa_at"
				if listed != tc.want || len(cs) > 1 {
					t.Errorf("%s lists conflicts %+v; want one over qa_at: %v", name, cs, tc.want)
				}
				for _, c := range cs {
					if c.Kept == c.Lost {
						t.Errorf("%s lists a conflict over %s whose kept and lost values are both %s", name, c.Field, c.Kept)
					}
				}
			}
		})
	}
}

// A pass decided after a fail on another device wins, and the factory is
// not paused by the fail that lost: the batch read passed while its
// factory stayed paused "because the batch failed QA", and orders from it
// were refused until someone resumed it by hand.
func TestAPassThatWinsOverAFailLeavesTheFactoryUnpaused(t *testing.T) {
	ctx := context.Background()
	desk, laptop, b, _ := qaApart(t, false, true)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		got, err := findBatch(ctx, s.db, b.ID, maxTime)
		if err != nil {
			t.Fatal(err)
		}
		if got.QA != domain.QAPassed {
			t.Fatalf("%s: batch %s, want the later pass kept", name, got.QA)
		}
		if f, err := s.Factory(ctx, "Fab", s.AsOfNow()); err != nil || f.Blocked() {
			t.Errorf("%s: Fab paused %v (%q), %v; want it not paused by the fail that lost", name, f.Paused, f.PauseReason, err)
		}
		if alerts, _ := s.Alerts(ctx, s.AsOfNow()); hasAlert(alerts, AlertFactoryPaused, "Fab") {
			t.Errorf("%s: alerts say Fab is paused: %+v", name, alerts)
		}
		if _, err := s.OrderBatch(ctx, Order{Code: "PIN", Qty: 5}); err != nil {
			t.Errorf("%s: ordering from Fab: %v", name, err)
		}
	}
}

// A QA failed on the desk with the rest cancelled, and passed later on the
// laptop while apart: the pass is kept whole, so the rest of the batch
// stays on order on both. The fail's cancellation, a field the pass did
// not write, outlived it and left a passed batch cancelled, with nothing
// on order. Undoing the conflict puts the fail back with its cancellation.
func TestAPassKeptOverAFailKeepsTheRestOnOrder(t *testing.T) {
	ctx := context.Background()
	desk, laptop, b, _ := qaApart(t, false, true)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		got, err := s.Batch(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.QA != domain.QAPassed || got.Cancelled() || got.OnOrder() != 10 {
			t.Errorf("%s: batch %s, cancelled %v, on order %d; want the laptop's later pass kept, its rest of 10 on order",
				name, got.QA, got.Cancelled(), got.OnOrder())
		}
		if cs, err := s.Conflicts(ctx); err != nil || len(cs) != 1 || cs[0].Field != "qa" {
			t.Errorf("%s lists %+v, %v; want one conflict, over the batch's QA", name, cs, err)
		}
	}
	undoQAConflict(t, desk)
	syncPair(t, desk, laptop)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		if got, err := s.Batch(ctx, b.ID); err != nil || got.QA != domain.QAFailed || !got.Cancelled() || got.OnOrder() != 0 {
			t.Errorf("%s after the undo: batch %s, cancelled %v, on order %d, %v; want the desk's fail back with its rest cancelled",
				name, got.QA, got.Cancelled(), got.OnOrder(), err)
		}
	}
}

// A batch cancelled by hand on the desk and its QA passed later on the
// laptop: the pass says its rest is still to come, so the later edit wins
// as any other, and the cancellation is a conflict that reads as a time,
// which undoing puts back.
func TestACancelLostToALaterPassIsAConflictToUndo(t *testing.T) {
	ctx := context.Background()
	desk, laptop, o, _ := cancelLostToAPass(t)
	cs, err := desk.Conflicts(ctx)
	if err != nil || len(cs) != 1 || cs[0].Field != "cancelled_at" || cs[0].Kept.String() != "(none)" || !strings.HasPrefix(cs[0].Lost.String(), "20") {
		t.Fatalf("desk lists %+v, %v; want one conflict over cancelled_at, kept (none), lost a time", cs, err)
	}
	if got, lost := cs[0].FieldName(), cs[0].Lost.Text("2 Jan 2006 15:04", time.DateOnly); got != "cancelled" || lost != cs[0].Lost.At.Format("2 Jan 2006 15:04") || strings.Contains(lost, "T") {
		t.Errorf("the conflict reads as field %q, lost %q; want cancelled and the time as laid out", got, lost)
	}
	// Today's alert reads the same way: it said "changed cancelled_at"
	// and the lost time as 2026-06-01T12:00:01Z.
	for _, a := range alertsOf(t, desk, AlertSyncConflict) {
		if want := "changed cancelled of batch"; !strings.Contains(a.Message, want) || strings.Contains(a.Message, "_at") || strings.Contains(a.Message, cs[0].Lost.String()) {
			t.Errorf("the alert says %q; want %q and the time as laid out, not %s", a.Message, want, cs[0].Lost.String())
		}
	}
	if _, err := desk.UndoConflictID(ctx, cs[0].ID()); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		if got, err := s.Batch(ctx, o.ID); err != nil || got.QA != domain.QAPassed || !got.Cancelled() {
			t.Errorf("%s after the undo: batch %s, cancelled %v, %v; want passed and cancelled", name, got.QA, got.Cancelled(), err)
		}
	}
}

// A QA decided apart is one conflict, over its verdict: its time and note
// went with it as two more, and undoing the verdict alone puts the whole
// decision back.
func TestAQADecidedApartIsOneConflict(t *testing.T) {
	ctx := context.Background()
	desk, laptop, _, _ := qaApart(t, false, true)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		cs, err := s.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Field != "qa" {
			t.Errorf("%s lists %+v; want one conflict, over the batch's QA", name, cs)
		}
		if alerts := alertsOf(t, s, AlertSyncConflict); len(alerts) != 1 {
			t.Errorf("%s alerts of %d conflicts, want 1: %+v", name, len(alerts), alerts)
		}
	}
	undoQAConflict(t, desk)
	syncPair(t, desk, laptop)
	for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
		if cs, err := s.Conflicts(ctx); err != nil || len(cs) != 0 {
			t.Errorf("%s after the undo lists %+v, %v; want none", name, cs, err)
		}
	}
}

// mugOnTwoDevices is a shop with factory Fab and SKU MUG on a desk and a
// laptop that has synced with it, and their clock: two devices to edit
// MUG apart.
func mugOnTwoDevices(t *testing.T) (desk, laptop *Shop, clock *fakeClock) {
	t.Helper()
	desk, clock = mustCreate(t)
	mustFactory(t, desk, "Fab", 5, true)
	mustSKU(t, desk, "MUG", domain.PathMicrofactory, "Fab")
	laptop = mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	return desk, laptop, clock
}

// A batch cancelled by hand after its QA conflict, on the device whose
// pass won: undoing the conflict puts the fail back, its verdict, time
// and note, but leaves the cancellation made since as the maker made it,
// as an edit made since any other conflict settles it. The undo put the
// fail's own cancelled_at back over it: a fail that cancelled its rest
// moved the maker's cancellation to the fail's time, and one that kept
// its rest on order took the cancellation away, the rest on order again.
func TestUndoingAQAConflictLeavesACancellationMadeSince(t *testing.T) {
	for _, cancelRest := range []bool{true, false} {
		t.Run(fmt.Sprintf("the fail cancelled its rest: %v", cancelRest), func(t *testing.T) {
			ctx := context.Background()
			desk, laptop, o, clock := heldOnTwo(t, 10)
			clock.Set(clock.Now().Add(time.Second))
			if _, err := desk.Decide(ctx, QADecision{Batch: o.ID, Pass: false, Note: "desk looked", At: clock.Now(), CancelRest: cancelRest}); err != nil {
				t.Fatal(err)
			}
			clock.Set(clock.Now().Add(time.Second))
			if _, err := laptop.Decide(ctx, QADecision{Batch: o.ID, Pass: true, Note: "laptop looked", At: clock.Now()}); err != nil {
				t.Fatal(err)
			}
			syncPair(t, desk, laptop)
			clock.Set(clock.Now().Add(time.Hour))
			cancelled, err := laptop.CancelBatch(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			syncPair(t, desk, laptop)
			undoQAConflict(t, desk)
			syncPair(t, desk, laptop)
			for name, s := range map[string]*Shop{"desk": desk, "laptop": laptop} {
				got, err := s.Batch(ctx, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.QA != domain.QAFailed || got.QANote != "desk looked" {
					t.Errorf("%s: batch %s (%q) after the undo, want the desk's fail back", name, got.QA, got.QANote)
				}
				if got.CancelledAt != cancelled.CancelledAt || got.OnOrder() != 0 {
					t.Errorf("%s: batch cancelled at %d, %d on order after the undo; want it cancelled by hand at %d, nothing on order",
						name, got.CancelledAt, got.OnOrder(), cancelled.CancelledAt)
				}
				if cs, err := s.Conflicts(ctx); err != nil || len(cs) != 0 {
					t.Errorf("%s after the undo lists %+v, %v; want none", name, cs, err)
				}
			}
		})
	}
}

// cancelLostToAPass is a batch held for QA on two shops, cancelled by hand
// on the desk and passed a second later on the laptop, the two synced:
// the pass wins, and the cancellation is a conflict.
func cancelLostToAPass(t *testing.T) (desk, laptop *Shop, o OrderResult, clock *fakeClock) {
	t.Helper()
	ctx := context.Background()
	desk, laptop, o, clock = heldOnTwo(t, 10)
	if _, err := desk.CancelBatch(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(time.Second))
	if _, err := laptop.Decide(ctx, QADecision{Batch: o.ID, Pass: true, At: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, laptop)
	return desk, laptop, o, clock
}
