package app

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
)

// A member device holds the shop key, so it can seal anything; it still
// cannot write in another device's name: a change it signs under the
// desk's id and next number is refused by every device that knows the
// desk's key, the rest of its batch applies, and the desk's real change
// with that number still comes through.
func TestAMemberCannotWriteInAnotherDevicesName(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustMugShop(t)
	member, stall := mustReplica(t, desk, clock.Now), mustReplica(t, desk, clock.Now)
	syncPair(t, desk, member)
	syncPair(t, desk, stall)

	next, err := desk.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mug := mustStock(t, desk, "MUG", desk.AsOfNow())
	forged := changes.Change{Origin: desk.DeviceID(), Seq: next[desk.DeviceID()] + 1,
		HLC: changes.Stamp{Wall: clock.Now().UnixMilli(), Device: desk.DeviceID()}.String(), Entity: "sale", EntityID: newID(),
		Body: []byte(`{"sku_id":"` + mug.SKU.ID + `","at":` + strconv.FormatInt(clock.Now().UnixMilli(), 10) + `,"qty":40,"channel":"fair","price":1}`)}
	sealer := member.sealer.Load()
	sealed, err := sealer.Seal(forged)
	if err != nil {
		t.Fatal(err)
	}
	key, err := member.deviceKey(ctx) // vouched for by the shop: the member is one
	if err != nil {
		t.Fatal(err)
	}
	sealed.Sig = sealer.SignRun(key, []changes.Change{sealed})
	if _, err := member.Sell(ctx, Sale{Code: "MUG", Qty: 1}); err != nil {
		t.Fatal(err)
	}
	own, err := member.ChangesAfter(ctx, next, 0)
	if err != nil {
		t.Fatal(err)
	}

	before := mustStock(t, stall, "MUG", stall.AsOfNow()).OnHand
	v, err := stall.Apply(ctx, append([]changes.Change{sealed}, own...))
	if domain.ErrorCode(err) != domain.ETampered || !errors.Is(err, seal.ErrUnsigned) {
		t.Fatalf("the forged change: err = %v, want a tampered refusal for its signature", err)
	}
	mv, err := member.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v[desk.DeviceID()] != next[desk.DeviceID()] || v[member.DeviceID()] != mv[member.DeviceID()] {
		t.Errorf("vector %v (before %v; desk %s): want the desk's as before and the member's own sale applied", v, next, desk.DeviceID())
	}
	if got := mustStock(t, stall, "MUG", stall.AsOfNow()).OnHand; got != before-1 {
		t.Errorf("on hand %d, want %d: the member's own sale only", got, before-1)
	}

	if _, err := desk.Sell(ctx, Sale{Code: "MUG", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, desk, stall)
	if got := mustStock(t, stall, "MUG", stall.AsOfNow()).OnHand; got != before-3 {
		t.Errorf("on hand %d after the desk's real sale, want %d", got, before-3)
	}
}

// A device forwards another's changes in the runs their device signed,
// whatever runs it got them in, and a third device takes them from it as
// from their own device: here the stall takes the desk's first changes
// from the desk in small pages and the rest from the laptop, which took
// everything from the desk in one.
func TestForwardedChangesKeepTheirDevicesSignatures(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustMugShop(t)
	clock.Set(day(1).Add(time.Hour))
	for i := range 20 {
		if _, err := desk.Sell(ctx, Sale{Code: "MUG", At: day(1).Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	laptop, stall := mustReplica(t, desk, clock.Now), mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	for range 3 {
		v, _ := stall.Vector(ctx)
		page, err := desk.ChangesAfter(ctx, v, 4)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := stall.Apply(ctx, page); err != nil {
			t.Fatal(err)
		}
	}
	for {
		v, _ := stall.Vector(ctx)
		page, err := laptop.ChangesAfter(ctx, v, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if _, err := stall.Apply(ctx, page); err != nil {
			t.Fatalf("a page forwarded by the laptop: %v", err)
		}
	}
	dv, _ := desk.Vector(ctx)
	sv, _ := stall.Vector(ctx)
	if sv[desk.DeviceID()] != dv[desk.DeviceID()] {
		t.Fatalf("the stall holds the desk's changes up to %d, want %d", sv[desk.DeviceID()], dv[desk.DeviceID()])
	}
	if got, want := mustStock(t, stall, "MUG", stall.AsOfNow()).OnHand, mustStock(t, desk, "MUG", desk.AsOfNow()).OnHand; got != want {
		t.Errorf("the stall has %d on hand, the desk %d", got, want)
	}
}

// A copy of a shop that takes a new device id signs with a new key: the
// old id's key stays the old id's.
func TestANewDeviceIDGetsItsOwnKey(t *testing.T) {
	ctx := context.Background()
	desk, _ := mustMugShop(t)
	before, err := desk.deviceKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	old := desk.DeviceID()
	id := newID()
	desk.device.Store(&id) // as settleIdentity and Reconcile do
	after, err := desk.deviceKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Public().Equal(before.Public()) {
		t.Error("the new device id signs with the old id's key")
	}
	for origin, want := range map[string]seal.DeviceKey{old: before, id: after} {
		if got, err := desk.KeyOf(ctx, origin); err != nil || !got.Equal(want.Public()) {
			t.Errorf("the key of %s is %x (%v), want its own", origin, got, err)
		}
	}
}

// A batch that other devices' changes fill leaves this device's own for
// the next: a device that joined a big shop and sold once sends it all,
// batch by batch, to a device that holds nothing.
func TestABatchFullOfOtherDevicesChangesLeavesOwnForTheNext(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustMugShop(t)
	clock.Set(day(1).Add(time.Hour))
	for i := range 900 {
		if _, err := desk.Sell(ctx, Sale{Code: "MUG", Qty: 1, Force: true, At: day(1).Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)
	if _, err := laptop.Sell(ctx, Sale{Code: "MUG", Qty: 1, Force: true}); err != nil {
		t.Fatal(err)
	}
	stall := mustReplica(t, desk, clock.Now)
	for pages := 0; ; pages++ {
		v, _ := stall.Vector(ctx)
		page, err := laptop.ChangesAfter(ctx, v, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if pages == 20 {
			t.Fatal("the laptop keeps sending")
		}
		if _, err := stall.Apply(ctx, page); err != nil {
			t.Fatal(err)
		}
	}
	lv, _ := laptop.Vector(ctx)
	if sv, _ := stall.Vector(ctx); !maps.Equal(sv, lv) {
		t.Errorf("the stall holds %v, the laptop %v", sv, lv)
	}
}

// Changes that came twice, cut into different signed runs (by a relay in
// its batches, then in a bundle of their device's), are passed on once
// each: a device forwarding them read a run of the other cut from where it
// began, and sent most of the shop twice.
func TestChangesThatCameTwiceArePassedOnOnce(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustMugShop(t)
	clock.Set(day(1).Add(time.Hour))
	for i := range 40 {
		if _, err := desk.Sell(ctx, Sale{Code: "MUG", At: day(1).Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	laptop := mustReplica(t, desk, clock.Now)
	for _, cut := range []int{7, 20} { // a relay's batches, then a bundle's runs
		for v := (changes.Vector{}); ; {
			page, err := desk.ChangesAfter(ctx, v, cut)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			if _, err := laptop.Apply(ctx, page); err != nil {
				t.Fatal(err)
			}
			for _, c := range page {
				v[c.Origin] = max(v[c.Origin], c.Seq)
			}
		}
	}
	held, _ := laptop.Vector(ctx)
	for _, limit := range []int{0, 5, 500} {
		stall := mustReplica(t, desk, clock.Now)
		sent := 0
		for pages := 0; ; pages++ {
			v, _ := stall.Vector(ctx)
			page, err := laptop.ChangesAfter(ctx, v, limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 || pages == 100 {
				break
			}
			sent += len(page)
			if _, err := stall.Apply(ctx, page); err != nil {
				t.Fatal(err)
			}
		}
		sv, _ := stall.Vector(ctx)
		if !maps.Equal(sv, held) {
			t.Fatalf("pages of %d: the stall holds %v, the laptop %v", limit, sv, held)
		}
		if sent != int(held.Total()) {
			t.Errorf("pages of %d: the laptop sent %d changes to pass on the %d it holds", limit, sent, held.Total())
		}
	}
}

// A device found restored from a backup takes a new id under its own name
// at once: it showed with no name, and its sales under a bare id, until
// it next wrote something.
func TestARenewedDeviceKeepsItsName(t *testing.T) {
	ctx := context.Background()
	desk, _ := mustMugShop(t)
	v, _ := desk.Vector(ctx)
	old := desk.DeviceID()
	peer := changes.Vector{old: v[old] + 5} // a peer holds more of it than it does: restored
	renewed, err := desk.Reconcile(ctx, peer, nil)
	if err != nil || !renewed || desk.DeviceID() == old {
		t.Fatalf("Reconcile: renewed %v, %v", renewed, err)
	}
	st, err := desk.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Names[desk.DeviceID()]; got != "desk" {
		t.Errorf("the renewed device is named %q, want desk as before", got)
	}
}

// A device forwarding another's changes sends a run of them only when it
// reaches past what the peer holds. Here the laptop holds the stall's
// changes in two cuts (its first three sales, then all six again, as
// when an acknowledgement was lost), and the desk holds the first three:
// in a page that the laptop's own sale begins, the stall's run had room
// for three changes only, and the laptop sent those three, all held
// by the desk, and nothing the desk lacked.
func TestAForwardedRunReachesPastWhatThePeerHolds(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustMugShop(t)
	clock.Set(day(1).Add(time.Hour))
	laptop, stall := mustReplica(t, desk, clock.Now), mustReplica(t, desk, clock.Now)
	if laptop.DeviceID() > stall.DeviceID() {
		laptop, stall = stall, laptop // the laptop's changes go first in its pages
	}
	syncPair(t, desk, laptop)
	syncPair(t, desk, stall)
	sell := func(s *Shop, n int) {
		for range n {
			if _, err := s.Sell(ctx, Sale{Code: "MUG"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	vectorOf := func(s *Shop) changes.Vector {
		v, err := s.Vector(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	apply := func(to *Shop, cs []changes.Change) {
		if _, err := to.Apply(ctx, cs); err != nil {
			t.Fatal(err)
		}
	}
	sid := stall.DeviceID()
	sell(stall, 3)
	firstCut, err := stall.ChangesAfter(ctx, vectorOf(laptop), 0)
	if err != nil {
		t.Fatal(err)
	}
	apply(laptop, firstCut)
	apply(desk, firstCut)
	sell(stall, 3)
	again := vectorOf(laptop)
	delete(again, sid)
	secondCut, err := stall.ChangesAfter(ctx, again, 0)
	if err != nil {
		t.Fatal(err)
	}
	apply(laptop, secondCut)
	sell(laptop, 1)

	dv, lv := vectorOf(desk), vectorOf(laptop)
	n := int(lv[laptop.DeviceID()]-dv[laptop.DeviceID()]) + int(dv[sid])
	page, err := laptop.ChangesAfter(ctx, dv, n)
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]int64{}
	for _, c := range page {
		last[c.Origin] = max(last[c.Origin], c.Seq)
	}
	for o, seq := range last {
		if seq <= dv[o] {
			t.Errorf("a page of %d for the desk holds %s's changes up to %d, all of which the desk holds (up to %d)", n, o, seq, dv[o])
		}
	}
	syncPair(t, laptop, desk)
	if got, want := vectorOf(desk)[sid], vectorOf(stall)[sid]; got != want {
		t.Errorf("the desk holds the stall's changes up to %d, want %d", got, want)
	}
}
