package join_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/bundle"
	"microshop/sync/join"
	"microshop/sync/seal"
)

// An invite of another shop does not give its key to the shop at path:
// it is refused and the shop stays as it was.
func TestExistingRefusesAnotherShopsInvite(t *testing.T) {
	ctx := context.Background()
	old, err := app.Create(filepath.Join(t.TempDir(), "old.db"), app.NewShop{Name: "Old"}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	old = apptest.Unsealed(t, old, "ws://relay.example:7420", "t")
	path := old.Path()
	old.Close()
	other := apptest.Shop(t, "Other", app.Options{})
	in, err := other.Invite(ctx, []string{"ws://relay.example:7420"}, "mst_0123456789abcdef_"+strings.Repeat("5a", 32))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := join.Existing(ctx, path, in, app.Options{}); domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("err = %v, want a conflict naming another shop", err)
	}
	again, err := app.Open(path, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Sealed() {
		t.Error("another shop's invite sealed this one")
	}
}

// A bundle opens only with its shop's key: made from it with a wrong key,
// nothing is created.
func TestFromBundleWithAWrongKeyCreatesNothing(t *testing.T) {
	ctx := context.Background()
	desk := apptest.Shop(t, "Desk", app.Options{})
	var file bytes.Buffer
	if _, err := bundle.Export(ctx, desk, &file, nil); err != nil {
		t.Fatal(err)
	}
	in, err := desk.Invite(ctx, []string{"ws://gone.example:7420"}, "mst_0123456789abcdef_"+strings.Repeat("5a", 32))
	if err != nil {
		t.Fatal(err)
	}
	in.Key, _ = seal.NewKey()
	dir := t.TempDir()
	_, err = join.FromBundle(ctx, filepath.Join(dir, "shop.db"), in, "laptop", bytes.NewReader(file.Bytes()), "desk.msb", app.Options{})
	if domain.ErrorCode(err) != domain.ETampered || domain.ErrorMessage(err) != "the invite's key does not open the bundle desk.msb: the invite or the bundle is of another shop, or damaged" {
		t.Fatalf("err = %v, want one sentence saying the invite's key does not open the bundle", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused join left %d files", len(entries))
	}
	in.Key = apptest.InviteOf(t, desk).Key
	s, err := join.FromBundle(ctx, filepath.Join(dir, "shop.db"), in, "laptop", bytes.NewReader(file.Bytes()), "desk.msb", app.Options{})
	if err != nil {
		t.Fatalf("the right key: %v", err)
	}
	defer s.Close()
	if s.ShopID() != desk.ShopID() || !s.Sealed() {
		t.Errorf("made shop %s (sealed %v), want the desk's, sealed", s.ShopID(), s.Sealed())
	}
}

// A shop that syncs with no relay makes an invite by file: with a bundle
// it makes the stall laptop a device of the shop, which later imports the
// workshop's next bundle and holds the same stock, and asks for a relay
// before any sync. Without a bundle, the invite makes nothing.
func TestAnInviteByFileJoinsWithABundle(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	desk := apptest.Zine(t, filepath.Join(dir, "desk.db"), 20)
	in, err := desk.Invite(ctx, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	in, err = app.ParseInvite(in.String()) // as typed on the laptop
	if err != nil || !in.ByFile() {
		t.Fatalf("invite by file: %+v, %v", in, err)
	}
	path := filepath.Join(dir, "stall", "shop.db")
	os.Mkdir(filepath.Dir(path), 0o700)
	if _, _, err := join.New(ctx, path, in, "stall", app.Options{}, nil); domain.ErrorCode(err) != domain.EInvalid ||
		domain.ErrorMessage(err) != "this invite names no relay: join with it and a bundle exported on the inviting device" {
		t.Fatalf("join by relay with an invite by file: err = %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
		t.Fatalf("a refused join left %d files", len(entries))
	}

	var first bytes.Buffer
	if _, err := bundle.Export(ctx, desk, &first, nil); err != nil {
		t.Fatal(err)
	}
	stall, err := join.FromBundle(ctx, path, in, "stall", &first, "desk.msb", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stall.Close()
	if stall.ShopID() != desk.ShopID() || !stall.Sealed() {
		t.Errorf("made shop %s (sealed %v), want the desk's, sealed", stall.ShopID(), stall.Sealed())
	}
	if peer, err := stall.SyncPeer(ctx); err != nil || peer.Relay != "" || peer.Token != "" {
		t.Errorf("the laptop syncs with %+v (%v), want no relay", peer, err)
	}

	apptest.Sell(t, desk, "ZINE", 3, time.Time{}, false)
	var later bytes.Buffer
	if _, err := bundle.Export(ctx, desk, &later, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Import(ctx, stall, &later, "later.msb"); err != nil {
		t.Fatal(err)
	}
	if got, want := apptest.Available(t, stall, "ZINE"), apptest.Available(t, desk, "ZINE"); got != want || want != 17 {
		t.Errorf("the laptop has %d ZINE, the desk %d, want 17 on both", got, want)
	}
}

// A bundle of another shop than the invite's is refused saying so, in
// words for the one joining: not "import it on a device of that shop",
// nor how to join, which is what they are doing. Nothing is made.
func TestFromBundleOfAnotherShopSaysSo(t *testing.T) {
	ctx := context.Background()
	desk := apptest.Shop(t, "Desk", app.Options{})
	other := apptest.Shop(t, "Other", app.Options{})
	var file bytes.Buffer
	if _, err := bundle.Export(ctx, other, &file, nil); err != nil {
		t.Fatal(err)
	}
	in, err := desk.Invite(ctx, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, err = join.FromBundle(ctx, filepath.Join(dir, "shop.db"), in, "laptop", &file, "other.msb", app.Options{})
	want := "the bundle other.msb is of another shop than the invite's; export a bundle on the device that made the invite and join with that one"
	if domain.ErrorCode(err) != domain.EConflict || domain.ErrorMessage(err) != want || domain.RemedyOf(err) != "" {
		t.Fatalf("err = %v (remedy %q), want %q and no remedy", err, domain.RemedyOf(err), want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused join left %d files", len(entries))
	}
}
