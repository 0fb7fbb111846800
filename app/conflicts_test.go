package app

import (
	"context"
	"fmt"
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
		}
	}
	if got, want := (FieldValue{Default: true}).String(), "(default)"; got != want {
		t.Errorf("a dropped override reads %q, want %q", got, want)
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
	desk, clock := mustCreate(t)
	mustFactory(t, desk, "Fab", 5, true)
	mustSKU(t, desk, "MUG", domain.PathMicrofactory, "Fab")
	laptop := mustReplica(t, desk, clock.Now)
	syncPair(t, desk, laptop)

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
