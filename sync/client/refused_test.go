package client

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/relay"
	"microshop/sync/seal"
)

// A change the relay holds that does not open is refused, and a live
// session says so in its status while it stays up to date with the rest,
// instead of ending or stalling.
func TestALiveSessionReportsRefusedChanges(t *testing.T) {
	ctx := context.Background()
	tr, a, token := syncedShop(t)
	// A body changed after it was sealed, put straight into the relay's
	// store (a relay that returns garbage).
	mallory := uuid.Must(uuid.NewV7()).String()
	c, err := seal.New(a.ShopID(), apptest.InviteOf(t, a).Key).Seal(changes.Change{Origin: mallory, Seq: 1,
		HLC: changes.Stamp{Wall: time.Now().UnixMilli(), Device: mallory}.String(), Entity: "device", EntityID: mallory, Body: json.RawMessage(`{"name":{"v":"x"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	c.Body = json.RawMessage(`"` + string(c.Body[5:len(c.Body)-1]) + `"`)
	store, err := relay.OpenSQLiteStore(filepath.Join(tr.dir, "shops"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Append(ctx, a.ShopID(), []changes.Change{c}); err != nil {
		t.Fatal(err)
	}
	store.Close()

	b := apptest.Replica(t, a, "laptop", app.Options{})
	seen := make(chan Status, 16)
	live, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- Watch(live, Config{Relay: tr.url(), Token: token, Replica: b, OnStatus: func(s Status) {
			if s.State == StateUpToDate {
				select {
				case seen <- s:
				default:
				}
			}
		}})
	}()
	select {
	case s := <-seen:
		if domain.ErrorCode(s.Err) != domain.ETampered {
			t.Errorf("up to date with err %v, want the refusal in the status", s.Err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the live session never came up to date")
	}
	if got := available(t, b); got != 100 {
		t.Errorf("the laptop has %d available, want 100: everything else applied", got)
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("Watch ended with %v", err)
	}
}

// copiedShop is a shop and a copy of it made with its device file, as a
// maker copies a shop's folder to a second laptop, before either synced;
// unsigned, the copy is made as an older version left it, before the
// device had a signing key.
func copiedShop(t *testing.T, unsigned bool) (a, b *app.Shop) {
	t.Helper()
	dir, copyDir := t.TempDir(), t.TempDir()
	a = apptest.Zine(t, filepath.Join(dir, "shop.db"), 100)
	a.Close()
	for _, name := range []string{"shop.db", "shop.db.device"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(copyDir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if unsigned {
		for _, d := range []string{dir, copyDir} {
			db, err := sql.Open("sqlite", filepath.Join(d, "shop.db"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.Exec(`DELETE FROM meta WHERE key = 'device_key'`)
			if err == nil {
				_, err = db.Exec(`DELETE FROM device_keys WHERE origin = (SELECT value FROM meta WHERE key = 'device_id')`)
			}
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var err error
	if a, err = app.Open(filepath.Join(dir, "shop.db"), app.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if b, err = app.Open(filepath.Join(copyDir, "shop.db"), app.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

// A shop copied with its device file to a second laptop before either
// synced: each sells, each syncs, and every sale reaches every device.
// The copy made a signing key of its own for the one device id, and the
// relay refused all it sold, for ever ("signed with another key than its
// device's"), once the first had synced.
func TestACopiedShopsSalesAllSync(t *testing.T) {
	ctx := context.Background()
	tr := startRelay(t)
	a, b := copiedShop(t, false)
	token := tr.token(a.ShopID())
	if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: a}); err != nil {
		t.Fatal(err)
	}
	sell(t, b, 1)
	if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: b}); err != nil {
		t.Fatalf("the copy's sync: %v", err)
	}
	sell(t, a, 2)
	for _, s := range []*app.Shop{a, b, a} {
		if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: s}); err != nil {
			t.Fatal(err)
		}
	}
	c := joinShop(t, tr.url(), token, a)
	for name, s := range map[string]*app.Shop{"first": a, "copy": b, "joined": c} {
		if got := available(t, s); got != 97 {
			t.Errorf("%s: %d available, want 97 (100 − 1 − 2)", name, got)
		}
	}
}

// A push the relay refuses is reported in the relay's words, every time.
// The relay says why and then closes the line; the session saw the close
// (or its writer failing on it) first as often as not, and told the maker
// "The other side closed the connection: unauthorized." or "The
// connection to the relay was lost; sync again in a moment.", a sale
// stuck behind a reason that changed with every try.
func TestARefusedPushIsReportedInTheRelaysWords(t *testing.T) {
	ctx := context.Background()
	tr := startRelay(t)
	a, b := copiedShop(t, true) // two keys for one device id
	token := tr.token(a.ShopID())
	if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: a}); err != nil {
		t.Fatal(err)
	}
	sell(t, b, 1)
	for i := range 12 {
		_, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: b})
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, "signed with another key") {
			t.Fatalf("sync %d: %q (code %q), want the relay's reason: the change is signed with another key", i+1, msg, domain.ErrorCode(err))
		}
	}
}
