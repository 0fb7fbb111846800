package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
)

// mustMugShop is a shop selling MUG from an established factory, with 50
// counted on day 0.
func mustMugShop(tb testing.TB) (*Shop, *fakeClock) {
	tb.Helper()
	s, clock := mustCreate(tb)
	mustFactory(tb, s, "Fab", 5, true)
	mustSKU(tb, s, "MUG", domain.PathMicrofactory, "Fab")
	if _, err := s.Count(context.Background(), "MUG", 50, day(0)); err != nil {
		tb.Fatal(err)
	}
	return s, clock
}

func TestApplyTwiceAndInAnyOrderGivesSameState(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	clock.Set(day(1).Add(time.Hour)) // the sales below are history
	for i := range 10 {
		a.Sell(ctx, Sale{Code: "MUG", At: day(1).Add(time.Duration(i) * time.Minute)})
	}
	if _, err := a.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Big mug")}); err != nil {
		t.Fatal(err)
	}
	all, err := a.logAfter(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 15 {
		t.Fatalf("only %d changes in the log", len(all))
	}

	inOrder := mustReplica(t, a, clock.Now)
	if _, err := inOrder.applyPlain(ctx, all); err != nil {
		t.Fatal(err)
	}
	if _, err := inOrder.applyPlain(ctx, all); err != nil { // again: no effect
		t.Fatal(err)
	}

	reversed := mustReplica(t, a, clock.Now)
	batches := [][]changes.Change{all[:5], all[5:12], all[12:]}
	slices.Reverse(batches)
	for _, b := range batches {
		v, err := reversed.applyPlain(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		_ = v
	}
	want := content(t, a)
	for name, r := range map[string]*Shop{"in order, twice": inOrder, "reversed": reversed} {
		if got := content(t, r); got != want {
			t.Errorf("%s: replica differs from origin\n got: %s\nwant: %s", name, got, want)
		}
		v, _ := r.Vector(ctx)
		if v[a.DeviceID()] != int64(len(all)) {
			t.Errorf("%s: vector %v, want %d for the origin", name, v, len(all))
		}
		if got, want := mustStock(t, r, "MUG", r.AsOfDate(day(1))).OnHand, 40; got != want {
			t.Errorf("%s: on hand %d, want %d", name, got, want)
		}
	}
	// A gap holds the vector back but the changes past it are kept.
	gappy := mustReplica(t, a, clock.Now)
	v, err := gappy.applyPlain(ctx, all[3:])
	if err != nil {
		t.Fatal(err)
	}
	if v[a.DeviceID()] != 0 {
		t.Fatalf("vector past a gap = %d, want 0", v[a.DeviceID()])
	}
	if v, _ = gappy.applyPlain(ctx, all[:3]); v[a.DeviceID()] != int64(len(all)) {
		t.Fatalf("vector after filling the gap = %d, want %d", v[a.DeviceID()], len(all))
	}
}

func TestConcurrentSalesAndEditsConverge(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	mustFactory(t, a, "Fab", 5, true)
	mustSKU(t, a, "MUG", domain.PathMicrofactory, "Fab")
	a.Count(ctx, "MUG", 10, day(0))
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	clock.Set(day(1).Add(time.Hour)) // the sales below are history

	// Offline: both sell the last units and both rename the SKU.
	for i := range 6 {
		if _, err := a.Sell(ctx, Sale{Code: "MUG", At: day(1).Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 7 {
		if _, err := b.Sell(ctx, Sale{Code: "MUG", At: day(1).Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	a.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Mug from the desk")})
	clock.Set(clock.Now().Add(time.Second))
	b.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Mug from the stall"), Price: ptr(domain.Money(2600))})

	syncPair(t, a, b)
	if ga, gb := content(t, a), content(t, b); ga != gb {
		t.Fatalf("replicas differ after sync\n a: %s\n b: %s", ga, gb)
	}
	for _, r := range []*Shop{a, b} {
		row := mustStock(t, r, "MUG", r.AsOfDate(day(1)))
		if row.Available != -3 || row.Status != domain.StatusOversold {
			t.Fatalf("available %d status %s, want -3 oversold (13 sold of 10)", row.Available, row.Status)
		}
		sku, _ := r.SKU(ctx, "MUG")
		if sku.Name != "Mug from the stall" || sku.Price != 2600 {
			t.Fatalf("sku = %+v, want the later edit to win", sku)
		}
		cs, err := r.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Field != "name" || cs[0].Lost.Value != "Mug from the desk" || cs[0].LostDeviceID != a.DeviceID() {
			t.Fatalf("conflicts = %+v, want the desk's name as lost", cs)
		}
	}
	// Undo on one side restores the lost value and settles it everywhere.
	cs, _ := b.Conflicts(ctx)
	c := cs[0]
	if err := b.UndoConflict(ctx, c.Entity, c.EntityID, c.Field, c.LostStamp); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	for _, r := range []*Shop{a, b} {
		sku, _ := r.SKU(ctx, "MUG")
		cs, _ := r.Conflicts(ctx)
		if sku.Name != "Mug from the desk" || len(cs) != 0 {
			t.Fatalf("after undo name %q, %d conflicts; want the desk's name and none", sku.Name, len(cs))
		}
	}
}

func TestSequentialEditsAreNotConflicts(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	mustFactory(t, a, "Fab", 5, true)
	mustSKU(t, a, "MUG", domain.PathMicrofactory, "Fab")
	b := mustReplica(t, a, clock.Now)
	c := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	a.EditSKU(ctx, "MUG", SKUFields{Name: ptr("one")})
	syncPair(t, a, b)
	b.EditSKU(ctx, "MUG", SKUFields{Name: ptr("two")}) // saw "one": replaces it knowingly
	syncPair(t, a, b)
	// c learns b's edit before a's: still no conflict.
	vb, _ := b.logAfter(ctx, nil, 0)
	var fromB, fromA []changes.Change
	for _, ch := range vb {
		if ch.Origin == b.DeviceID() {
			fromB = append(fromB, ch)
		} else {
			fromA = append(fromA, ch)
		}
	}
	c.applyPlain(ctx, fromB)
	c.applyPlain(ctx, fromA)
	for _, r := range []*Shop{a, b, c} {
		cs, _ := r.Conflicts(ctx)
		sku, _ := r.SKU(ctx, "MUG")
		if len(cs) != 0 || sku.Name != "two" {
			t.Fatalf("name %q with conflicts %+v; want \"two\" and none", sku.Name, cs)
		}
	}
}

func TestApplyRefusesMalformedChangesAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	b := mustReplica(t, a, clock.Now)
	good, _ := a.logAfter(ctx, nil, 0)
	for name, bad := range map[string]changes.Change{
		"no origin":  {Seq: 1, HLC: good[0].HLC, Entity: "sku", EntityID: "x", Body: []byte(`{}`)},
		"seq zero":   {Origin: "d", Seq: 0, HLC: good[0].HLC, Entity: "sku", EntityID: "x", Body: []byte(`{}`)},
		"bad stamp":  {Origin: "d", Seq: 1, HLC: "yesterday", Entity: "sku", EntityID: "x", Body: []byte(`{}`)},
		"bad body":   {Origin: "d", Seq: 1, HLC: good[0].HLC, Entity: "sku", EntityID: "x", Body: []byte(`{`)},
		"own device": {Origin: b.DeviceID(), Seq: 1, HLC: good[0].HLC, Entity: "sku", EntityID: "x", Body: []byte(`{}`)},
	} {
		batch := append(slices.Clone(good), bad)
		if _, err := b.applyPlain(ctx, batch); err == nil {
			t.Errorf("%s: applied", name)
		} else if domain.ErrorMessage(err) == "" {
			t.Errorf("%s: no message", name)
		}
		if n := countRows(t, b.db, "changes"); n != 0 {
			t.Fatalf("%s: %d changes written by a refused batch", name, n)
		}
	}
}

// A body this build cannot read is kept and forwarded, never refused: a
// refusal would block every later change of its device, on every replica.
func TestUnreadableBodiesStayInTheLog(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	b := mustReplica(t, a, clock.Now)
	odd := []changes.Change{
		{Origin: "d", Seq: 1, HLC: "000000000000005.00000.d", Entity: "sku", EntityID: "x", Body: []byte(`[1]`)},
		{Origin: "d", Seq: 2, HLC: "000000000000006.00000.d", Entity: "sale", EntityID: "y", Body: []byte(`{"qty":"lots"}`)},
		{Origin: "d", Seq: 3, HLC: "000000000000007.00000.d", Entity: "gift_card", EntityID: "z", Body: []byte(`{"v":1}`)},
	}
	v, err := b.applyPlain(ctx, odd)
	if err != nil {
		t.Fatal(err)
	}
	if v["d"] != 3 || countRows(t, b.db, "events") != 0 || countRows(t, b.db, "skus") != 0 {
		t.Fatalf("vector %v, %d events, %d SKUs; want all 3 logged and nothing materialized", v, countRows(t, b.db, "events"), countRows(t, b.db, "skus"))
	}
	if out, _ := b.logAfter(ctx, changes.Vector{}, 0); len(out) != 3 {
		t.Fatalf("%d changes to forward, want 3", len(out))
	}
}

func TestCopiedDatabaseTakesNewDeviceID(t *testing.T) {
	a, _ := mustCreate(t)
	id := a.DeviceID()
	path := a.Path()
	a.Close()

	again, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.DeviceID() != id {
		t.Fatalf("reopening changed the device id")
	}
	again.Close()

	copyPath := path + ".copy.db"
	data, _ := os.ReadFile(path)
	os.WriteFile(copyPath, data, 0o644)
	cp, err := Open(copyPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if cp.DeviceID() == id {
		t.Fatal("a copied database kept the original's device id")
	}
}

func TestOpenRefusesMissingCorruptAndNewerDatabases(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir+"/none.db", Options{}); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("missing: err = %v", err)
	}
	junk := dir + "/junk.db"
	os.WriteFile(junk, []byte("this is not a database, just some bytes that are long enough to look like a header......"), 0o644)
	if _, err := Open(junk, Options{}); domain.ErrorCode(err) != domain.EUnavailable {
		t.Errorf("corrupt: err = %v (%s)", err, domain.ErrorMessage(err))
	}
	s, _ := mustCreate(t)
	if _, err := s.db.Exec(`INSERT INTO migrations (name, applied_at) VALUES ('9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	if _, err := Open(path, Options{}); domain.ErrorCode(err) != domain.ETooNew {
		t.Errorf("newer: err = %v", err)
	}
}

// A report marks a fully received batch settled and skips it from then on;
// a receipt arriving by sync must bring it back. Here the desk has passed
// three batches, so it takes the factory as established and holds nothing,
// while the laptop, not yet told, holds units of its own receipt for QA.
func TestReceiptFromSyncUnsettlesABatch(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	mustFactory(t, a, "NewFab", 5, false)
	mustSKU(t, a, "MUG", domain.PathMicrofactory, "NewFab")
	x, err := a.OrderBatch(ctx, Order{Code: "MUG", Qty: 10, At: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	clock.Set(day(5).Add(time.Hour)) // the batches below are history

	for i := range 3 {
		at := day(1 + i)
		o, err := a.OrderBatch(ctx, Order{Code: "MUG", Qty: 10, At: at})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ReceiveBatch(ctx, o.ID, 10, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := a.DecideQA(ctx, o.ID, true, "", at.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if rc, err := a.ReceiveBatch(ctx, x.ID, 10, day(5)); err != nil || rc.HeldUnits != 0 {
		t.Fatalf("desk receipt: %+v, %v; want nothing held from an established factory", rc, err)
	}
	clock.Set(day(6))
	if _, err := a.Stock(ctx, a.AsOfNow(), ""); err != nil {
		t.Fatal(err)
	}
	var settled int
	a.db.QueryRow(`SELECT count(*) FROM batches WHERE id = ? AND settled_at IS NOT NULL`, x.ID).Scan(&settled)
	if settled != 1 {
		t.Fatal("the report did not mark the received batch settled")
	}

	rc, err := b.ReceiveBatch(ctx, x.ID, 10, day(5).Add(time.Hour))
	if err != nil || rc.HeldUnits == 0 {
		t.Fatalf("laptop receipt: %+v, %v; want units held from a factory it takes as new", rc, err)
	}
	syncPair(t, a, b)
	_, alerts, err := a.Overview(ctx, a.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	for _, al := range alerts {
		if al.Kind == AlertQAHold && al.Subject == x.ID {
			return
		}
	}
	t.Fatalf("alerts %v: want a QA hold on batch %s, whose held units came by sync", alerts, x.ID)
}

// An event id is counted once whichever change brings it. A second change
// carrying the same event (a buggy or forged peer) is still logged, so the
// vector moves past it and it is forwarded, but it sells nothing.
func TestAnEventBroughtByTwoChangesCountsOnce(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	if _, err := a.Sell(ctx, Sale{Code: "MUG", Qty: 3, At: day(1)}); err != nil {
		t.Fatal(err)
	}
	all, err := a.logAfter(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	sale := all[len(all)-1]
	if sale.Entity != kindSale {
		t.Fatalf("last change is a %s, want the sale", sale.Entity)
	}
	copied := sale
	copied.Origin, copied.Seq, copied.HLC = "other-device", 1, "000000000000009.00000.other-device"

	b := mustReplica(t, a, clock.Now)
	if _, err := b.applyPlain(ctx, all); err != nil {
		t.Fatal(err)
	}
	v, err := b.applyPlain(ctx, []changes.Change{copied})
	if err != nil {
		t.Fatal(err)
	}
	if v["other-device"] != 1 {
		t.Errorf("vector %v: the copy's origin should be at 1", v)
	}
	if got := mustStock(t, b, "MUG", b.AsOfDate(day(2))).OnHand; got != 47 {
		t.Errorf("on hand %d, want 47: the sale counted once", got)
	}
	if n := countRows(t, b.db, "events"); n != 2 {
		t.Errorf("%d events, want 2 (the count and the sale)", n)
	}
	out, err := b.logAfter(ctx, changes.Vector{a.DeviceID(): int64(len(all))}, 0)
	if err != nil || len(out) != 1 || out[0].Origin != "other-device" {
		t.Fatalf("changes to forward = %v, %v; want the copy", out, err)
	}
}

// Apply writes a run of one origin's events with one statement. The rows
// it skips (held already, a second copy in the same batch, an event id held
// under another change) must come out as applying them one by one would.
func TestAnEventRunSkipsWhatItHoldsAsOneByOneWould(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	clock.Set(day(2)) // the sales below are history
	for i := range 4 {
		if _, err := a.Sell(ctx, Sale{Code: "MUG", Qty: 1, At: day(1).Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := a.logAfter(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	sales := all[len(all)-4:]
	b := mustReplica(t, a, clock.Now)
	// The first sale arrives early; then all four come with the second one
	// twice, and another device forwards a copy of the fourth under its own
	// origin inside a run of that device's new sale.
	if _, err := b.applyPlain(ctx, all[:len(all)-3]); err != nil {
		t.Fatal(err)
	}
	copied := sales[3]
	copied.Origin, copied.Seq, copied.HLC = "other-device", 1, "000000000000009.00000.other-device"
	own := sales[0]
	own.Origin, own.Seq, own.HLC, own.EntityID = "other-device", 2, "000000000000010.00000.other-device", newID()
	// No device signs a run holding a change twice, so the batch goes
	// straight to the log as opened changes, past the signature check.
	batch := []changes.Change{sales[0], sales[1], sales[1], sales[2], sales[3], copied, own}
	v, err := b.applyOpen(ctx, batch, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v[a.DeviceID()] != int64(len(all)) || v["other-device"] != 2 {
		t.Errorf("vector %v: want %s at %d and other-device at 2", v, a.DeviceID(), len(all))
	}
	if got := mustStock(t, b, "MUG", b.AsOfDate(day(2))).OnHand; got != 45 {
		t.Errorf("on hand %d, want 45: four sales and the other device's one, each counted once", got)
	}
	if n := countRows(t, b.db, "events"); n != 6 {
		t.Errorf("%d events, want 6 (the count and five sales)", n)
	}
	var sold int
	if err := b.db.QueryRow(`SELECT coalesce(sum(sold), 0) FROM factory_sales`).Scan(&sold); err != nil || sold != 5 {
		t.Errorf("factory sales hold %d units (%v), want 5", sold, err)
	}
	if n := countRows(t, b.db, "changes"); n != len(all)+2 {
		t.Errorf("%d changes logged, want %d: each change once, the copy as a plain one", n, len(all)+2)
	}
	again, err := b.applyOpen(ctx, batch, nil)
	if err != nil || !maps.Equal(again, v) || countRows(t, b.db, "changes") != len(all)+2 {
		t.Errorf("applying the batch again gave %v, %v and %d changes; want nothing new", again, err, countRows(t, b.db, "changes"))
	}
}

// A SKU's local number made in a transaction that does not commit must not
// be remembered: another SKU would take the same number and their ledgers
// would mix.
func TestSKUKeysOfAFailedTransactionAreForgotten(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	key := func(id string, commit bool) int64 {
		t.Helper()
		tx, done, err := s.begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer done()
		n, err := s.skuKey(ctx, tx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !commit {
			tx.Rollback()
			return n
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		s.committed()
		return n
	}
	key("sku-a", false)
	b := key("sku-b", true)
	if a := key("sku-a", true); a == b {
		t.Fatalf("sku-a and sku-b both have key %d", a)
	}
	var stored int64
	if err := s.db.QueryRow(`SELECT n FROM sku_keys WHERE id = 'sku-b'`).Scan(&stored); err != nil || stored != b {
		t.Fatalf("sku-b is stored as %d (%v), handed out as %d", stored, err, b)
	}
}

// Applying a sync batch leaves stock checkpoints in place; a report finds
// the ones an earlier-dated event made wrong. Here the laptop sold, offline,
// before the moment the desktop's checkpoints stand at.
func TestLateEventFromSyncCorrectsCheckpointedStock(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	mustFactory(t, a, "Fab", 5, true)
	mustSKU(t, a, "MUG", domain.PathMicrofactory, "Fab")
	mustSKU(t, a, "CUP", domain.PathMicrofactory, "Fab")
	for _, code := range []string{"MUG", "CUP"} {
		if _, err := a.Count(ctx, code, 50, day(0)); err != nil {
			t.Fatal(err)
		}
	}
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	clock.Set(day(60))
	// Both reports leave checkpoints at their rate window's start, weeks
	// after day 0.
	if _, err := a.Stock(ctx, a.AsOfNow(), ""); err != nil {
		t.Fatal(err)
	}
	mustStock(t, a, "CUP", a.AsOfNow())
	var points int
	a.db.QueryRow(`SELECT count(*) FROM stock_checkpoints WHERE at > ?`, day(1).UnixMilli()).Scan(&points)
	if points != 2 {
		t.Fatalf("%d checkpoints after day 1, want 2", points)
	}
	if _, err := b.Sell(ctx, Sale{Code: "MUG", Qty: 4, At: day(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Sell(ctx, Sale{Code: "CUP", Qty: 3, At: day(1)}); err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	if got := mustStock(t, a, "MUG", a.AsOfNow()).OnHand; got != 46 {
		t.Errorf("MUG alone: on hand %d, want 46", got)
	}
	rows, err := a.Stock(ctx, a.AsOfNow(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if want := map[string]int{"MUG": 46, "CUP": 47}[r.SKU.Code]; r.OnHand != want {
			t.Errorf("stock list: %s on hand %d, want %d", r.SKU.Code, r.OnHand, want)
		}
	}
}

// An override given up goes back to following the default, on this device
// and on a replica it syncs with; one given both ways is refused.
func TestADroppedOverrideFollowsTheDefaultAgain(t *testing.T) {
	ctx := context.Background()
	a, clock := mustMugShop(t)
	b := mustReplica(t, a, clock.Now)
	if _, err := a.EditSKU(ctx, "MUG", SKUFields{LeadDays: ptr(20), MinCover: ptr(9)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.EditSKU(ctx, "MUG", SKUFields{LeadDays: ptr(30), UnsetLeadDays: true}); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("a lead time given and dropped at once: err = %v, want a refusal", err)
	}
	k, err := a.EditSKU(ctx, "MUG", SKUFields{UnsetLeadDays: true})
	if err != nil {
		t.Fatal(err)
	}
	if k.LeadDays != 5 || k.MinCover != 9 {
		t.Errorf("after dropping the lead time: lead %d, min cover %d; want the factory's 5 and the kept 9", k.LeadDays, k.MinCover)
	}
	all, err := a.logAfter(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.applyPlain(ctx, all); err != nil {
		t.Fatal(err)
	}
	if k, err := b.SKU(ctx, "MUG"); err != nil || k.LeadDays != 5 || k.MinCover != 9 {
		t.Errorf("the replica has lead %d, min cover %d (%v); want 5 and 9", k.LeadDays, k.MinCover, err)
	}
	// It follows the factory from now on, whichever that is.
	mustFactory(t, a, "Far", 12, true)
	if k, err := a.EditSKU(ctx, "MUG", SKUFields{Factory: ptr("Far")}); err != nil || k.LeadDays != 12 {
		t.Errorf("moved to a 12-day factory, the mug has lead %d (%v); want 12", k.LeadDays, err)
	}
}

// Two devices adding the same code while apart end with two SKUs. The code
// then names neither (see TestACodeOnTwoSKUsIsRefusedWhereItWouldPickOne),
// an alert names both, and giving the other a code of its own, found by
// its id, settles it on every device.
func TestASKUCodeAddedOnTwoDevicesIsFlaggedAndCanBeSettled(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	b := mustReplica(t, a, clock.Now)
	exchange := func() {
		t.Helper()
		for _, p := range [][2]*Shop{{a, b}, {b, a}} {
			all, err := p[0].logAfter(ctx, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p[1].applyPlain(ctx, all); err != nil {
				t.Fatal(err)
			}
		}
	}
	exchange()
	digital := domain.PathDigital
	for _, s := range []struct {
		shop *Shop
		name string
	}{{a, "Cup pattern"}, {b, "Cup sticker"}} {
		if _, err := s.shop.AddSKU(ctx, "CUP", SKUFields{Name: ptr(s.name), Path: &digital, Price: ptr(domain.Money(500))}); err != nil {
			t.Fatal(err)
		}
	}
	exchange()
	var meant, other domain.SKU // the one the alert names first, and the other
	for _, s := range []*Shop{a, b} {
		if k, err := s.SKU(ctx, "cup"); domain.RemedyOf(err) != domain.RemedySameCode {
			t.Errorf("CUP is %+v (%v); want it refused, as it names neither SKU", k, err)
		}
		alerts, err := s.Alerts(ctx, s.AsOfNow())
		if err != nil {
			t.Fatal(err)
		}
		var found []Alert
		for _, al := range alerts {
			if al.Kind == AlertDuplicateCode && al.Subject == "CUP" {
				found = append(found, al)
			}
		}
		if len(found) != 1 || !strings.Contains(found[0].Message, "Cup pattern") || !strings.Contains(found[0].Message, "Cup sticker") {
			t.Fatalf("alerts %+v: want one naming both SKUs with the code CUP", alerts)
		}
		list, err := s.SKUs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		meant, other = list[0], list[1]
		if other.ID < meant.ID {
			meant, other = other, meant
		}
		if !strings.Contains(found[0].Message, other.ID) {
			t.Errorf("the alert %q does not give the id of %q to edit it by", found[0].Message, other.Name)
		}
	}
	if _, err := b.EditSKU(ctx, other.ID, SKUFields{Code: ptr("cup")}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("giving the other SKU the code it shares: err = %v, want a refusal", err)
	}
	if _, err := b.EditSKU(ctx, meant.ID, SKUFields{Code: ptr("Cup")}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("writing a shared code in other letters: err = %v, want a refusal, as the other SKU still has it", err)
	}
	if _, err := b.EditSKU(ctx, meant.ID, SKUFields{Code: ptr("CUP/2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.EditSKU(ctx, "cup/2", SKUFields{Code: ptr("Cup/2")}); err != nil {
		t.Errorf("writing a SKU's own code in other letters: %v", err)
	}
	if _, err := b.EditSKU(ctx, "CUP/2", SKUFields{Code: ptr("cup")}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("renaming to a code another SKU has: err = %v, want a refusal", err)
	}
	exchange()
	for _, s := range []*Shop{a, b} {
		for code, name := range map[string]string{"CUP": other.Name, "Cup/2": meant.Name} {
			if k, err := s.SKU(ctx, code); err != nil || k.Name != name {
				t.Errorf("%s is %q (%v), want %q", code, k.Name, err, name)
			}
		}
		alerts, err := s.Alerts(ctx, s.AsOfNow())
		if err != nil {
			t.Fatal(err)
		}
		for _, al := range alerts {
			if al.Kind == AlertDuplicateCode || al.Kind == AlertSyncConflict {
				t.Errorf("after the rename an alert remains: %+v", al)
			}
		}
	}
}

// Batches prepared ahead (changes.Preparer, as a sync prepares the next
// batch while one commits) apply as Apply applies them as one batch, and
// a batch prepared before its device's key was bound is checked against
// that key, as Apply would check it now.
func TestPreparedBatchesApplyAsOne(t *testing.T) {
	ctx := context.Background()
	sku, prepared, whole := twoCapReplicas(t)
	sales := func(peer string, from, n int) []changes.Change {
		out := make([]changes.Change, n)
		for i := range out {
			seq := from + i
			at := testStart.UnixMilli() - int64(1000-seq)*1000
			out[i] = changes.Change{Origin: peer, Seq: int64(seq), HLC: changes.Stamp{Wall: at, Device: peer}.String(), Entity: kindSale,
				EntityID: newID(), Body: json.RawMessage(fmt.Sprintf(`{"sku_id":%q,"at":%d,"qty":1,"price":1200,"channel":"fair"}`, sku.ID, at))}
		}
		return out
	}

	peer := newID()
	var batches []changes.Prepared
	var all []changes.Change
	for i := range 3 {
		batch := sealedFor(t, prepared, sales(peer, 1+i*parallelRead, parallelRead))
		batches = append(batches, prepared.Prepare(ctx, batch))
		all = append(all, batch...)
	}
	got, err := prepared.ApplyPrepared(ctx, batches)
	if err != nil || got[peer] != 3*parallelRead {
		t.Fatalf("vector %v, err %v: want the %d changes of three batches applied", got, err, 3*parallelRead)
	}
	if _, err := whole.Apply(ctx, all); err != nil {
		t.Fatal(err)
	}
	if content(t, prepared) != content(t, whole) {
		t.Error("batches applied as prepared differ from the same changes applied as one batch")
	}

	// Another device's later changes, signed under a key of their own,
	// are prepared before its first changes bind its key.
	other := newID()
	sealer := prepared.sealer.Load()
	forger, err := seal.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	later := sealedFor(t, prepared, sales(other, 11, 10))
	later[len(later)-1].Sig = sealer.SignRun(forger, later)
	early := prepared.Prepare(ctx, later)
	if _, err := prepared.Apply(ctx, sealedFor(t, prepared, sales(other, 1, 10))); err != nil {
		t.Fatal(err)
	}
	got, err = prepared.ApplyPrepared(ctx, []changes.Prepared{early})
	if domain.ErrorCode(err) != domain.ETampered || !errors.Is(err, seal.ErrUnsigned) {
		t.Fatalf("err = %v, want the changes refused for their signature, as Apply refuses them", err)
	}
	if got[other] != 10 || got[peer] != 3*parallelRead {
		t.Errorf("vector %v, want the device's first 10 changes only", got)
	}
}
