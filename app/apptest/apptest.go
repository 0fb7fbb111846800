// Package apptest makes shops for the tests of the packages above app:
// the window, the command line, sync. Each helper fails the test on error,
// so a test reads as what a maker did; shops live in the test's temporary
// folder and are closed when it ends. (Package app's internal tests cannot
// import it, and keep theirs.)
package apptest

import (
	"context"
	"database/sql"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
)

// Shop creates an empty shop named name in a temporary folder.
func Shop(tb testing.TB, name string, opts app.Options) *app.Shop {
	tb.Helper()
	return ShopAt(tb, filepath.Join(tb.TempDir(), "shop.db"), app.NewShop{Name: name}, opts)
}

// ShopAt creates a shop at path, closed when the test ends unless the test
// closed it first.
func ShopAt(tb testing.TB, path string, in app.NewShop, opts app.Options) *app.Shop {
	tb.Helper()
	s, err := app.Create(path, in, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// Replica creates an empty replica of s's shop, as device, for sync to fill.
func Replica(tb testing.TB, s *app.Shop, device string, opts app.Options) *app.Shop {
	tb.Helper()
	r, err := app.CreateReplica(filepath.Join(tb.TempDir(), device+".db"), InviteOf(tb, s), device, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

// Factory adds a factory.
func Factory(tb testing.TB, s *app.Shop, name string, kind domain.FactoryKind, leadDays int, established bool) {
	tb.Helper()
	if _, err := s.AddFactory(context.Background(), domain.Factory{Name: name, Kind: kind, LeadDays: leadDays, Established: established}); err != nil {
		tb.Fatal(err)
	}
}

// SKU adds a SKU at price, costing a third of it; factory is "" for a
// digital one.
func SKU(tb testing.TB, s *app.Shop, code, name string, path domain.SupplyPath, factory string, price domain.Money) {
	tb.Helper()
	cost := price / 3
	f := app.SKUFields{Name: &name, Path: &path, Price: &price, Cost: &cost}
	if factory != "" {
		f.Factory = &factory
	}
	if _, err := s.AddSKU(context.Background(), code, f); err != nil {
		tb.Fatal(err)
	}
}

// Count records a stocktake of qty at at.
func Count(tb testing.TB, s *app.Shop, code string, qty int, at time.Time) {
	tb.Helper()
	if _, err := s.Count(context.Background(), code, qty, at); err != nil {
		tb.Fatal(err)
	}
}

// Sell records a sale of qty at at (now when zero), forced beyond stock
// when force is true.
func Sell(tb testing.TB, s *app.Shop, code string, qty int, at time.Time, force bool) app.SaleResult {
	tb.Helper()
	res, err := s.Sell(context.Background(), app.Sale{Code: code, Qty: qty, At: at, Force: force})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// Available is code's available stock now.
func Available(tb testing.TB, s *app.Shop, code string) int {
	tb.Helper()
	rows, err := s.Stock(context.Background(), s.AsOfNow(), code)
	if err != nil {
		tb.Fatal(err)
	}
	if len(rows) != 1 {
		tb.Fatalf("stock of %s: %d rows", code, len(rows))
	}
	return rows[0].Available
}

// Zine is the shop the sync tests pass around: one print SKU, ZINE, from
// the print shop Print, with count counted an hour ago.
func Zine(tb testing.TB, path string, count int) *app.Shop {
	tb.Helper()
	s := ShopAt(tb, path, app.NewShop{Name: "Stall"}, app.Options{})
	Factory(tb, s, "Print", domain.KindPrint, 3, false)
	SKU(tb, s, "ZINE", "Zine", domain.PathPrint, "Print", 0)
	Count(tb, s, "ZINE", count, time.Now().Add(-time.Hour))
	return s
}

// InviteOf is what a replica of s's shop needs: its id and key, with no
// relay.
func InviteOf(tb testing.TB, s *app.Shop) app.Invite {
	tb.Helper()
	key, ok, err := s.Key(context.Background())
	if err != nil || !ok {
		tb.Fatalf("the shop %s has no key: %v", s.ShopID(), err)
	}
	return app.Invite{Shop: s.ShopID(), Key: key}
}

// Sealed is batch as other devices of s's shop send it: sealed with the
// shop's key, and each origin's changes signed as one run by its device.
func Sealed(tb testing.TB, s *app.Shop, batch []changes.Change) []changes.Change {
	tb.Helper()
	sealer := seal.New(s.ShopID(), InviteOf(tb, s).Key)
	out := make([]changes.Change, len(batch))
	runs := map[string][]changes.Change{}
	last := map[string]int{}
	for i, c := range batch {
		var err error
		if out[i], err = sealer.Seal(c); err != nil {
			tb.Fatal(err)
		}
		runs[c.Origin], last[c.Origin] = append(runs[c.Origin], out[i]), i
	}
	for origin, i := range last {
		out[i].Sig = sealer.SignRun(DeviceKey(tb, origin), runs[origin])
	}
	return out
}

// deviceKeys are the signing keys of the made-up devices tests send
// changes of, one per origin for the whole test process.
var deviceKeys sync.Map

// DeviceKey is the signing key of the made-up device origin: the same for
// the whole test process, as a device's own key is.
func DeviceKey(tb testing.TB, origin string) seal.DeviceKey {
	if k, ok := deviceKeys.Load(origin); ok {
		return k.(seal.DeviceKey)
	}
	k, err := seal.NewDeviceKey()
	if err != nil {
		tb.Fatal(err)
	}
	got, _ := deviceKeys.LoadOrStore(origin, k)
	return got.(seal.DeviceKey)
}

// Unsealed makes s a shop as it was before sealing came, that synced
// through relay: it knows the relay and holds no key, so it stays unsealed
// until asked. s is closed; the shop opened again at its path is returned.
func Unsealed(tb testing.TB, s *app.Shop, relay, token string) *app.Shop {
	tb.Helper()
	path := s.Path()
	if err := s.SetSyncPeer(context.Background(), app.SyncPeer{Relay: relay, Token: token}); err != nil {
		tb.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	_, err = db.Exec(`DELETE FROM meta WHERE key = 'shop_key'`)
	db.Close()
	if err != nil {
		tb.Fatal(err)
	}
	s, err = app.Open(path, app.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if s.Sealed() {
		tb.Fatal("a shop that synced before sealing came was sealed at its start")
	}
	return s
}

// FreePort is a port no program listens on now, for a test to host sync
// on: hosting on the default port would meet every other test there, and
// any Microshop on the machine.
func FreePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
