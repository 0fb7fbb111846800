package bundle_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/bundle"
)

func openAt(t *testing.T, path string) *app.Shop {
	t.Helper()
	s, err := app.Open(path, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func copyShop(t *testing.T, from, to string) {
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
	os.Remove(filepath.Join(to, "shop.db-wal"))
	os.Remove(filepath.Join(to, "shop.db-shm"))
}

func carry(t *testing.T, from, to *app.Shop) (bundle.Result, error) {
	t.Helper()
	return bundle.Import(context.Background(), to, bytes.NewReader(mustExport(t, from)), "carried.msb")
}

func sellN(t *testing.T, s *app.Shop, n int) {
	t.Helper()
	for range n {
		if _, err := s.Sell(context.Background(), app.Sale{Code: "ZINE", Force: true}); err != nil {
			t.Fatal(err)
		}
	}
}

func availableNow(t *testing.T, s *app.Shop) int {
	t.Helper()
	rows, err := s.Stock(context.Background(), s.AsOfNow(), "ZINE")
	if err != nil {
		t.Fatal(err)
	}
	return rows[0].Available
}

// A device restored from a backup with its device file, syncing only by
// bundles: its changes after the restore reuse numbers the other device
// holds. Its bundle is refused (not silently skipped) until it has taken a
// bundle from the other device, which renews it; then every sale arrives
// once.
func TestBundlesCarryARestoredDevicesSales(t *testing.T) {
	for _, tc := range []struct {
		name          string
		before, after int
	}{
		{"equal vectors", 1, 1},
		{"more after", 1, 3},
		{"more before", 3, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir, backup := t.TempDir(), t.TempDir()
			path := filepath.Join(dir, "shop.db")
			a := apptest.Zine(t, path, 20)
			b := mustReplica(t, a)
			if _, err := carry(t, a, b); err != nil {
				t.Fatal(err)
			}
			a.Close()
			copyShop(t, dir, backup)
			a = openAt(t, path)
			sellN(t, a, tc.before)
			if _, err := carry(t, a, b); err != nil {
				t.Fatal(err)
			}
			a.Close()
			copyShop(t, backup, dir)
			a = openAt(t, path)
			t.Cleanup(func() { a.Close() })
			sellN(t, a, tc.after)

			vb, _ := b.Vector(ctx)
			if _, err := carry(t, a, b); domain.ErrorCode(err) != domain.EConflict {
				t.Fatalf("the restored device's bundle was imported (%v); want it refused until the device caught up", err)
			}
			if after, _ := b.Vector(ctx); !after.Covers(vb) || !vb.Covers(after) {
				t.Fatalf("a refused bundle changed the replica: %v, was %v", after, vb)
			}
			old := a.DeviceID()
			res, err := carry(t, b, a)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Renewed || a.DeviceID() == old {
				t.Fatalf("importing the other device's bundle did not renew the restored one (renewed %v)", res.Renewed)
			}
			if _, err := carry(t, a, b); err != nil {
				t.Fatal(err)
			}
			want := 20 - tc.before - tc.after
			for name, s := range map[string]*app.Shop{"restored": a, "other": b} {
				if got := availableNow(t, s); got != want {
					t.Errorf("%s device: %d available, want %d", name, got, want)
				}
			}
			va, _ := a.Vector(ctx)
			vb, _ = b.Vector(ctx)
			if !va.Covers(vb) || !vb.Covers(va) {
				t.Fatalf("replicas differ: %v vs %v", va, vb)
			}
		})
	}
}

// A shop restored from a backup (restore: a new device of the shop) holds
// the backed-up device's changes without the signatures to forward them,
// so its bundles carry only what it made since. The backed-up device
// takes such a bundle, whose header says it holds that device's changes
// as its own log confirms: it was refused as edited ("export it again",
// which changed nothing), so the restored shop's sales never came back.
func TestARestoredShopsBundleIsTakenByTheDeviceItWasBackedUpFrom(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := apptest.Zine(t, filepath.Join(dir, "shop.db"), 20)
	t.Cleanup(func() { a.Close() })
	sellN(t, a, 2)
	if err := a.Backup(ctx, filepath.Join(dir, "backup.db"), false); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Restore(ctx, filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored.db"), app.Options{}); err != nil {
		t.Fatal(err)
	}
	r := openAt(t, filepath.Join(dir, "restored.db"))
	t.Cleanup(func() { r.Close() })
	sellN(t, r, 3)
	if _, err := carry(t, r, a); err != nil {
		t.Fatalf("the restored shop's bundle: %v", err)
	}
	if _, err := carry(t, a, r); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*app.Shop{"backed up": a, "restored": r} {
		if got := availableNow(t, s); got != 15 {
			t.Errorf("%s: %d available, want 15 (20 − 2 − 3)", name, got)
		}
	}
}

// A shop restored from a backup of a device that never synced passes the
// whole shop on: the backed-up device's changes no peer had acknowledged
// are the restored shop's now, signed by it. They were left under the
// lost device's id, which no device can sign for, so a device joining the
// restored shop got an empty one (no name, no SKUs, no sales).
func TestARestoredShopPassesOnWhatItsDeviceNeverSynced(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := apptest.Zine(t, filepath.Join(dir, "shop.db"), 20)
	sellN(t, a, 2)
	if err := a.Backup(ctx, filepath.Join(dir, "backup.db"), false); err != nil {
		t.Fatal(err)
	}
	a.Close() // the laptop is lost
	if _, err := app.Restore(ctx, filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored.db"), app.Options{}); err != nil {
		t.Fatal(err)
	}
	r := openAt(t, filepath.Join(dir, "restored.db"))
	t.Cleanup(func() { r.Close() })
	if got := availableNow(t, r); got != 18 {
		t.Fatalf("the restored shop has %d available, want 18 (20 − 2)", got)
	}
	c := apptest.Replica(t, r, "second", app.Options{})
	if _, err := carry(t, r, c); err != nil {
		t.Fatalf("the restored shop's bundle: %v", err)
	}
	if got := availableNow(t, c); got != 18 {
		t.Errorf("a device joining the restored shop has %d available, want 18 (20 − 2)", got)
	}
}
