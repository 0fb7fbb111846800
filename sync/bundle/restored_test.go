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
