package client

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"microshop/app"
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
			a := newShopAt(t, path)
			token := tr.token(a.ShopID())
			syncOnce(t, tr, token, a)
			b := joinShop(t, tr.url(), token)
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
