package client

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
)

// copyFiles copies the shop's database and device file from one folder to
// another, as a maker backing up or restoring by hand would.
func copyFiles(t *testing.T, from, to string) {
	t.Helper()
	for _, name := range []string{"shop.db", "shop.db.device"} {
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"shop.db-wal", "shop.db-shm"} {
		os.Remove(filepath.Join(to, name))
	}
}

// A replica restored from a backup with its device file issues again the
// sequence numbers it used after the backup. Sync must notice by content,
// even when the relay holds exactly as many of its changes as it does,
// and lose no sale and count none twice.
func TestARestoredDeviceLosesNoSale(t *testing.T) {
	for _, tc := range []struct {
		name          string
		before, after int // sales synced before the restore, and made after it
	}{
		{"one before and one after: equal vectors", 1, 1},
		{"more before", 3, 2},
		{"more after", 2, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			tr := startRelay(t)
			dir, backup := t.TempDir(), t.TempDir()
			path := filepath.Join(dir, "shop.db")
			a := apptest.Zine(t, path, 100)
			token := tr.token(a.ShopID())
			syncOnce(t, tr, token, a)
			b := joinShop(t, tr.url(), token, a)
			sell(t, b, 4)
			syncOnce(t, tr, token, b)
			syncOnce(t, tr, token, a)

			a.Close()
			copyFiles(t, dir, backup)
			a = reopen(t, path)
			old := a.DeviceID()
			sell(t, a, tc.before)
			syncOnce(t, tr, token, a)
			a.Close()

			copyFiles(t, backup, dir)
			a = reopen(t, path)
			t.Cleanup(func() { a.Close() })
			if a.DeviceID() != old {
				t.Fatalf("the restored database with its device file took a new id at open")
			}
			sell(t, a, tc.after)
			res := syncOnce(t, tr, token, a)
			if !res.Renewed || a.DeviceID() == old {
				t.Fatalf("sync did not notice the restore: renewed %v, device %s (was %s)", res.Renewed, a.DeviceID(), old)
			}
			syncOnce(t, tr, token, b)
			syncOnce(t, tr, token, a)

			want := 100 - 4 - tc.before - tc.after
			for name, s := range map[string]*app.Shop{"restored": a, "other": b} {
				if got := available(t, s); got != want {
					t.Errorf("%s device: %d available, want %d", name, got, want)
				}
				st, err := s.Status(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if st.Unsynced != 0 {
					t.Errorf("%s device: %d changes unsynced after sync", name, st.Unsynced)
				}
			}
			va, _ := a.Vector(ctx)
			vb, _ := b.Vector(ctx)
			if !va.Covers(vb) || !vb.Covers(va) {
				t.Fatalf("replicas differ: %v vs %v", va, vb)
			}
			// A second restore-free sync finds nothing more to do.
			if res := syncOnce(t, tr, token, a); res.Renewed || res.Sent != 0 || res.Received != 0 {
				t.Fatalf("a sync after converging moved %d/%d changes, renewed %v", res.Sent, res.Received, res.Renewed)
			}
		})
	}
}

func reopen(t *testing.T, path string) *app.Shop {
	t.Helper()
	s, err := app.Open(path, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func syncOnce(t *testing.T, tr *testRelay, token string, s *app.Shop) Result {
	t.Helper()
	res, err := Sync(context.Background(), Config{Relay: tr.url(), Token: token, Replica: s})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The maker's way: `backup` while the shop is open, sell and sync, then
// `restore`. The restored shop is a new device at once, and every sale,
// before and after the restore, reaches the other device exactly once.
func TestBackupAndRestoreLoseNoSale(t *testing.T) {
	ctx := context.Background()
	tr := startRelay(t)
	path := filepath.Join(t.TempDir(), "shop.db")
	a := apptest.Zine(t, path, 100)
	token := tr.token(a.ShopID())
	syncOnce(t, tr, token, a)
	b := joinShop(t, tr.url(), token, a)
	old := a.DeviceID()

	backup := filepath.Join(t.TempDir(), "monday.msbackup")
	if err := a.Backup(ctx, backup, false); err != nil {
		t.Fatal(err)
	}
	sell(t, a, 2)
	syncOnce(t, tr, token, a)
	sell(t, a, 1) // never synced: the restore keeps it in the shop set aside
	a.Close()

	res, err := app.Restore(ctx, backup, path, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.DeviceID == old || res.KeptAs == "" {
		t.Fatalf("restore kept device %s (was %s), set the old shop aside as %q", res.DeviceID, old, res.KeptAs)
	}
	a = reopen(t, path)
	t.Cleanup(func() { a.Close() })
	sell(t, a, 3)
	if r := syncOnce(t, tr, token, a); r.Renewed {
		t.Fatalf("a restored shop was renewed again at sync: it should have taken a new id at restore")
	}
	// The shop set aside still holds its unsynced sale under the old id.
	kept := reopen(t, res.KeptAs)
	t.Cleanup(func() { kept.Close() })
	if kept.DeviceID() != old {
		t.Fatalf("the shop set aside lost its device id: %s, want %s", kept.DeviceID(), old)
	}
	syncOnce(t, tr, token, kept)
	for _, s := range []*app.Shop{b, a, kept, b, a} {
		syncOnce(t, tr, token, s)
	}
	want := 100 - 2 - 1 - 3
	for name, s := range map[string]*app.Shop{"restored": a, "other": b, "set aside": kept} {
		if got := available(t, s); got != want {
			t.Errorf("%s device: %d available, want %d", name, got, want)
		}
	}
}

// A copy of a shop that never synced holds its device's changes without
// the points to pass them on (only that device can sign them): a one-shot
// sync sends what it can and ends, counting what it could not, where it
// waited for ever for the relay to hold them.
func TestASyncEndsWithWhatItCannotPassOn(t *testing.T) {
	ctx := context.Background()
	tr := startRelay(t)
	dir := t.TempDir()
	a := apptest.Zine(t, filepath.Join(dir, "shop.db"), 100)
	sell(t, a, 2)
	if err := a.Backup(ctx, filepath.Join(dir, "copy.db"), false); err != nil {
		t.Fatal(err)
	}
	held := a.Status
	st, err := held(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stranded := st.Vector[a.DeviceID()]
	a.Close()
	c := reopen(t, filepath.Join(dir, "copy.db")) // a new device, holding a's changes
	t.Cleanup(func() { c.Close() })
	sell(t, c, 1)
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	res, err := Sync(ctx, Config{Relay: tr.url(), Token: tr.token(c.ShopID()), Replica: c})
	if err != nil {
		t.Fatalf("the sync did not end: %v", err)
	}
	if res.Sent != 1 || res.Stranded != stranded {
		t.Errorf("sent %d, stranded %d; want the copy's own sale sent and a's %d changes counted as stranded", res.Sent, res.Stranded, stranded)
	}
}

// A shop restored from a backup of a device that had synced passes that
// device's changes on as they are, signed by it: the device keeps the
// points of its runs a relay acknowledged, so the backup holds them. The
// restored shop took every change as its own again, and the relay and
// every device held the shop twice; a new relay now gets it once.
func TestARestoredShopForwardsWhatItsDeviceSynced(t *testing.T) {
	ctx := context.Background()
	old, fresh := startRelay(t), startRelay(t)
	dir := t.TempDir()
	a := apptest.Zine(t, filepath.Join(dir, "shop.db"), 100)
	sell(t, a, 3)
	syncOnce(t, old, old.token(a.ShopID()), a)
	if err := a.Backup(ctx, filepath.Join(dir, "backup.db"), false); err != nil {
		t.Fatal(err)
	}
	held, err := a.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a.Close() // the laptop is lost
	if _, err := app.Restore(ctx, filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored.db"), app.Options{}); err != nil {
		t.Fatal(err)
	}
	r := reopen(t, filepath.Join(dir, "restored.db"))
	t.Cleanup(func() { r.Close() })
	st, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Unsynced > 1 { // at most its name, as a new device
		t.Errorf("the restored shop has %d changes of its own to send (the backup held %d): the backed-up device's, taken again as its own", st.Unsynced, held.Vector.Total())
	}
	if res := syncOnce(t, old, old.token(r.ShopID()), r); res.Sent > 1 {
		t.Errorf("the restored shop sent the relay that held its device's changes %d again", res.Sent)
	}
	token := fresh.token(r.ShopID())
	res := syncOnce(t, fresh, token, r)
	if res.Stranded != 0 {
		t.Errorf("%d changes could not be passed on to the new relay", res.Stranded)
	}
	j := joinShop(t, fresh.url(), token, r)
	if got := available(t, j); got != 97 {
		t.Errorf("a device joining the new relay has %d available, want 97 (100 − 3)", got)
	}
}
