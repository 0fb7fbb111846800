package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
)

// A new shop is sealed from its first change: what leaves it shows no
// name, code or price, and a replica holding the key reads it all.
func TestANewShopsChangesLeaveSealed(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	if !a.Sealed() {
		t.Fatal("a new shop is not sealed")
	}
	path, price := domain.PathDigital, domain.Money(2400)
	if _, err := a.AddSKU(ctx, "MUG-01", SKUFields{Name: ptr("Speckled mug"), Path: &path, Price: &price}); err != nil {
		t.Fatal(err)
	}
	out, err := a.ChangesAfter(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range out {
		// The device id and clock stamp are in the clear by design, and
		// may hold any digits.
		c.Origin, c.HLC = "", ""
		raw, _ := json.Marshal(c)
		for _, secret := range []string{"MUG-01", "Speckled", "Test Shop", "2400"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("a change leaves showing %q: %s", secret, raw)
			}
		}
	}
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	if got := content(t, b); got != content(t, a) {
		t.Errorf("the replica reads another shop:\n%s\nwant\n%s", got, content(t, a))
	}
}

// A change that does not open is refused with a typed error, and so are
// the later changes of its device, which need it; every other device's
// changes in the batch are applied.
func TestATamperedChangeIsRefusedAndTheRestApplied(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	peer := "0190d8e2-8d1e-7c3a-9f00-0000000000aa"
	stamp := changes.Stamp{Wall: testStart.UnixMilli(), Device: peer}.String()
	named := func(seq int64, name string) changes.Change {
		return changes.Change{Origin: peer, Seq: seq, HLC: stamp, Entity: deviceEntity, EntityID: peer, Body: json.RawMessage(`{"name":{"v":"` + name + `"}}`)}
	}
	path := domain.PathDigital
	if _, err := a.AddSKU(ctx, "CAP-01", SKUFields{Name: ptr("Cap"), Path: &path}); err != nil {
		t.Fatal(err)
	}
	v, _ := b.Vector(ctx)
	fromA, err := a.ChangesAfter(ctx, v, 0)
	if err != nil {
		t.Fatal(err)
	}
	bad := sealedFor(t, b, []changes.Change{named(1, "stall"), named(2, "stall again")})
	bad[0].Seq = 1
	bad[0].HLC = changes.Stamp{Wall: testStart.UnixMilli() + 1, Device: peer}.String() // moved: does not open
	before := content(t, b)
	got, err := b.Apply(ctx, append(bad, fromA...))
	if msg := domain.ErrorMessage(err); domain.ErrorCode(err) != domain.ETampered || !strings.Contains(msg, "change 1 from a device that has not named itself was refused") || strings.Contains(msg, peer) {
		t.Fatalf("err = %v, want a tampered refusal saying which change, without the device's id", err)
	}
	if got[peer] != 0 {
		t.Errorf("vector %v holds the refused device's changes", got)
	}
	if got[a.DeviceID()] != v[a.DeviceID()]+int64(len(fromA)) {
		t.Errorf("vector %v, want the other device's %d changes applied", got, len(fromA))
	}
	if _, err := b.SKU(ctx, "CAP-01"); err != nil {
		t.Errorf("the other device's SKU was not applied: %v", err)
	}
	if content(t, b) == before {
		t.Error("nothing was applied")
	}
	if n := countRows(t, b.db, "changes WHERE origin = '"+peer+"'"); n != 0 {
		t.Errorf("%d changes of the refused device were written", n)
	}

	// The device's real changes then arrive and apply.
	if _, err := b.Apply(ctx, sealedFor(t, b, []changes.Change{named(1, "stall"), named(2, "stall again")})); err != nil {
		t.Fatal(err)
	}
}

// A change sent in the clear to a sealed shop is refused; a sealed change
// reaching a device that holds no key says an invite is needed.
func TestSealedAndUnsealedDoNotMix(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	b := mustReplica(t, a, clock.Now)
	plain, err := a.logAfter(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Apply(ctx, plain); domain.ErrorCode(err) != domain.ETampered {
		t.Fatalf("plain changes to a sealed shop: err = %v, want tampered", err)
	}
	if n := countRows(t, b.db, "changes"); n != 0 {
		t.Fatalf("%d plain changes were written", n)
	}

	legacy := unsealedShop(t, clock)
	sealed, err := a.ChangesAfter(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		sealed[i].Origin = legacy.DeviceID() + "x"
	}
	_, err = legacy.Apply(ctx, sealed[:1])
	if domain.ErrorCode(err) != domain.ENeedsInvite || domain.RemedyOf(err) != domain.RemedyInvite {
		t.Fatalf("a sealed change to an unsealed shop: err = %v, want needs_invite with the invite remedy", err)
	}
}

// unsealedShop is a shop as it was before sealing came, and had synced: no
// key, and a relay it knows.
func unsealedShop(t *testing.T, clock *fakeClock) *Shop {
	t.Helper()
	path := filepath.Join(t.TempDir(), "legacy.db")
	s, err := Create(path, NewShop{Name: "Old Shop", Device: "desk"}, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSyncPeer(context.Background(), SyncPeer{Relay: "ws://127.0.0.1:7420", Token: "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`DELETE FROM meta WHERE key = ?`, shopKeyMeta); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if s.Sealed() {
		t.Fatal("a shop that synced before sealing came was sealed at its start: its other devices would be cut off")
	}
	return s
}

// A shop that never shared a change is sealed at its first start; one
// that synced stays as it is until Seal, which then makes its key once.
func TestExistingShopsAreSealedOnlyWhenSafe(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	path := a.Path()
	if _, err := a.db.Exec(`DELETE FROM meta WHERE key = ?`, shopKeyMeta); err != nil {
		t.Fatal(err)
	}
	a.Close()
	a, err := Open(path, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !a.Sealed() {
		t.Error("a shop that never shared a change was not sealed at its first start")
	}

	legacy := unsealedShop(t, clock)
	if _, ok, _ := legacy.Key(ctx); ok {
		t.Fatal("the unsealed shop has a key")
	}
	if _, err := legacy.Invite(ctx, []string{"ws://127.0.0.1:7420"}, "t"); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(err.Error(), "seal the shop first") {
		t.Errorf("an invite of an unsealed shop: err = %v, want a refusal saying to seal first", err)
	}
	if err := legacy.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	if err := legacy.Seal(ctx); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("sealing twice: err = %v, want conflict", err)
	}
	key, ok, err := legacy.Key(ctx)
	if err != nil || !ok || !legacy.Sealed() {
		t.Fatalf("after Seal: key %v %v, sealed %v", ok, err, legacy.Sealed())
	}
	if err := legacy.AdoptKey(ctx, key); err != nil {
		t.Errorf("adopting the key it holds: %v", err)
	}
	other, _ := seal.NewKey()
	if err := legacy.AdoptKey(ctx, other); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("adopting another key: err = %v, want conflict", err)
	}
	if held, _, _ := legacy.Key(ctx); held != key {
		t.Error("a refused key replaced the shop's")
	}
}

// An invite reads back whole; a damaged, cut or foreign string is
// refused with a sentence naming it.
func TestInvites(t *testing.T) {
	ctx := context.Background()
	a, _ := mustCreate(t)
	in, err := a.Invite(ctx, []string{"ws://192.168.1.20:7420", "ws://10.0.0.5:7420"}, "mst_0123456789abcdef_"+strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	text := in.String()
	back, err := ParseInvite("  " + text[:40] + "\n" + text[40:] + " ")
	if err != nil {
		t.Fatal(err)
	}
	if back.Shop != a.ShopID() || back.Token != in.Token || back.Key != in.Key || strings.Join(back.Relays, " ") != strings.Join(in.Relays, " ") {
		t.Errorf("read back %+v, want %+v", back, in)
	}
	flipped := []byte(text)
	i := len(invitePrefix) + 10
	if flipped[i] == 'A' {
		flipped[i] = 'B'
	} else {
		flipped[i] = 'A'
	}
	for name, bad := range map[string]string{
		"empty":          "",
		"a relay URL":    "ws://192.168.1.20:7420",
		"one char off":   string(flipped),
		"cut short":      text[:len(text)-5],
		"not base64":     invitePrefix + "!!!!",
		"only the start": invitePrefix,
	} {
		if _, err := ParseInvite(bad); domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(err.Error(), "not a usable invite") {
			t.Errorf("%s: err = %v, want an invalid invite", name, err)
		}
	}
}

// An invite made by an earlier version, which always named a relay,
// still reads the same. (Its token was "mst_0123456789abcdef_00" until
// invites were checked for tokens a relay makes, which this one now is;
// the bytes are laid out as that version wrote them.)
func TestAnEarlierVersionsInviteStillReads(t *testing.T) {
	const old = "microshop1:JDAxOTBkOGUyLThkMWUtN2MzYS05ZjAwLTAwMDAwMDAwMDBhYVVtc3RfMDEyMzQ1Njc4OWFiY2RlZl8wMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8Xd3NzOi8vcmVsYXkuZXhhbXBsZS5jb205YLR1O5U"
	in, err := ParseInvite(old)
	if err != nil {
		t.Fatal(err)
	}
	var key seal.Key
	for i := range key {
		key[i] = byte(i)
	}
	want := Invite{Relays: []string{"wss://relay.example.com"}, Token: "mst_0123456789abcdef_" + strings.Repeat("0", 64), Shop: "0190d8e2-8d1e-7c3a-9f00-0000000000aa", Key: key}
	if in.ByFile() || in.Token != want.Token || in.Shop != want.Shop || in.Key != key || strings.Join(in.Relays, " ") != want.Relays[0] {
		t.Errorf("read %+v, want %+v", in, want)
	}
	if in.String() != old {
		t.Errorf("written again as %s", in.String())
	}
}

// A shop that syncs with no relay (by file, or not at all) makes an invite
// naming none, which reads back whole; cut or damaged, it is refused as
// any invite is, and one naming a relay without its token, or a token
// without a relay, is refused too.
func TestAnInviteByFile(t *testing.T) {
	ctx := context.Background()
	a, _ := mustCreate(t)
	in, err := a.Invite(ctx, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	key, _, _ := a.Key(ctx)
	if !in.ByFile() || in.Token != "" || in.Shop != a.ShopID() || in.Key != key {
		t.Fatalf("invite by file = %+v", in)
	}
	text := in.String()
	back, err := ParseInvite(text)
	if err != nil {
		t.Fatal(err)
	}
	if !back.ByFile() || back.Token != "" || back.Shop != in.Shop || back.Key != in.Key {
		t.Errorf("read back %+v, want %+v", back, in)
	}
	flipped := []byte(text)
	i := len(flipped) - 3
	if flipped[i] == 'A' {
		flipped[i] = 'B'
	} else {
		flipped[i] = 'A'
	}
	for name, bad := range map[string]string{
		"one char off":         string(flipped),
		"cut short":            text[:len(text)-5],
		"cut to the key":       text[:len(invitePrefix)+40],
		"a token, no relay":    Invite{Token: "mst_x", Shop: in.Shop, Key: in.Key}.String(),
		"a relay, no token":    Invite{Relays: []string{"ws://10.0.0.5:7420"}, Shop: in.Shop, Key: in.Key}.String(),
		"no shop":              Invite{Key: in.Key}.String(),
		"a shop that is no id": Invite{Shop: "fern", Key: in.Key}.String(),
		// Made by hand or by a device that remembered a mistyped token:
		// the device joining with it would be refused only at the relay.
		"a token no relay makes": Invite{Relays: []string{"ws://10.0.0.5:7420"}, Token: "mst_y", Shop: in.Shop, Key: in.Key}.String(),
	} {
		if _, err := ParseInvite(bad); domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(err.Error(), "not a usable invite") {
			t.Errorf("%s: err = %v, want an invalid invite", name, err)
		}
	}

	// Once the shop syncs with a relay, its invite names it, as before.
	token := "mst_0123456789abcdef_" + strings.Repeat("cd", 32)
	if err := a.SetSyncPeer(ctx, SyncPeer{Relay: "ws://10.0.0.5:7420", Token: token}); err != nil {
		t.Fatal(err)
	}
	if in, err := a.Invite(ctx, nil, ""); err != nil || in.ByFile() || in.Relays[0] != "ws://10.0.0.5:7420" || in.Token != token {
		t.Errorf("invite of a shop syncing with a relay = %+v, %v", in, err)
	}

	// A token remembered before tokens were checked where they are typed
	// makes no invite: it is refused, without its secret.
	mistyped := token[:len(token)-1] + "x"
	if err := a.SetSyncPeer(ctx, SyncPeer{Relay: "ws://10.0.0.5:7420", Token: mistyped}); err != nil {
		t.Fatal(err)
	}
	if in, err := a.Invite(ctx, nil, ""); domain.ErrorCode(err) != domain.EInvalid || strings.Contains(err.Error(), mistyped[20:]) {
		t.Errorf("invite with a remembered token no relay makes = %+v, %v; want it refused without the secret", in, err)
	}
}

// The key lives in the shop's database and nowhere in its change log.
func TestTheKeyNeverEntersTheLog(t *testing.T) {
	ctx := context.Background()
	a, _ := mustCreate(t)
	key, _, _ := a.Key(ctx)
	cs, err := a.logAfter(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if strings.Contains(string(c.Body), key.String()) {
			t.Fatalf("change %s/%d holds the shop key", c.Origin, c.Seq)
		}
	}
	if b, err := os.ReadFile(a.Path() + ".device"); err != nil || strings.Contains(string(b), key.String()) {
		t.Fatalf("the device file holds the key (%v)", err)
	}
}

// A batch long enough to be opened and read on two goroutines (readAll)
// is refused as one read in order: the first change that does not open,
// or is malformed, in the batch's order is the one named, wherever the
// batch was split, and an untouched batch applies whole.
func TestALongBatchIsReadInOrder(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	b := mustReplica(t, a, clock.Now)
	path := domain.PathDigital
	sku, err := a.AddSKU(ctx, "CAP-01", SKUFields{Name: ptr("Cap"), Path: &path})
	if err != nil {
		t.Fatal(err)
	}
	syncPair(t, a, b)
	const n = 3 * parallelRead
	peer := "0190d8e2-8d1e-7c3a-9f00-0000000000bb"
	sales := func() []changes.Change {
		out := make([]changes.Change, n)
		for i := range out {
			at := testStart.UnixMilli() - int64(n-i)*1000
			body := fmt.Sprintf(`{"sku_id":%q,"at":%d,"qty":1,"price":1200,"channel":"fair"}`, sku.ID, at)
			out[i] = changes.Change{Origin: peer, Seq: int64(i + 1), HLC: changes.Stamp{Wall: at, Device: peer}.String(),
				Entity: kindSale, EntityID: fmt.Sprintf("0190d8e2-8d1e-7c3a-9f00-%012d", i), Body: json.RawMessage(body)}
		}
		return out
	}

	malformed := sales()
	for _, i := range []int{n - 10, n/2 + 3} {
		malformed[i].Body = json.RawMessage(`{"sku_id":`)
	}
	if _, err := b.Apply(ctx, sealedFor(t, b, malformed)); domain.ErrorCode(err) != domain.EInvalid ||
		!strings.Contains(domain.ErrorMessage(err), fmt.Sprintf("change %d ", n/2+4)) {
		t.Fatalf("err = %v, want change %d named as malformed", err, n/2+4)
	}

	moved := sealedFor(t, b, sales())
	for _, i := range []int{n - 5, n/2 + 1} {
		moved[i].HLC = changes.Stamp{Wall: testStart.UnixMilli() + int64(i), Device: peer}.String()
	}
	got, err := b.Apply(ctx, moved)
	if domain.ErrorCode(err) != domain.ETampered || !strings.Contains(domain.ErrorMessage(err), fmt.Sprintf("change %d ", n/2+2)) {
		t.Fatalf("err = %v, want change %d refused as tampered", err, n/2+2)
	}
	if got[peer] != 0 {
		t.Errorf("vector %v holds changes of a run its device's signature no longer covers", got)
	}

	if got, err = b.Apply(ctx, sealedFor(t, b, sales())); err != nil || got[peer] != n {
		t.Fatalf("vector %v, err %v: want all %d changes applied", got, err, n)
	}
	if c := countRows(t, b.db, "events WHERE kind = 'sale' AND sku_id = '"+sku.ID+"'"); c != n {
		t.Errorf("%d sales in the ledger, want %d", c, n)
	}
}
