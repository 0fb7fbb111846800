package app_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/changes"
)

// roNow is the clock of the read-only tests: the shop and its copy report
// the same moment.
var roNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func roOptions() app.Options {
	return app.Options{Now: func() time.Time { return roNow }, Location: time.UTC}
}

// closedDemo makes the demo shop in a folder of its own and closes it, as
// a maker's shop is before it goes on a USB stick.
func closedDemo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Stall", "shop.db")
	s, err := app.Demo(context.Background(), path, 1, roOptions())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return path
}

// copyShop copies the closed shop at path, with its device file, to a
// folder of its own: the same shop, the same device, and writable.
func copyShop(t *testing.T, path string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "Copy", "shop.db")
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", ".device"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func mustOpen(t *testing.T, path string, opts app.Options) *app.Shop {
	t.Helper()
	s, err := app.Open(path, opts)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// reports reads every report a maker looks at.
func reports(t *testing.T, s *app.Shop) map[string]any {
	t.Helper()
	ctx := context.Background()
	now, past := s.AsOfNow(), s.AsOfDate(roNow.AddDate(0, 0, -30))
	skus, err := s.SKUs(ctx)
	if err != nil || len(skus) == 0 {
		t.Fatalf("SKUs: %d, %v", len(skus), err)
	}
	code := skus[0].Code
	read := map[string]func() (any, error){
		"stock":      func() (any, error) { return s.Stock(ctx, now, "") },
		"stock past": func() (any, error) { return s.Stock(ctx, past, "") },
		"stock one":  func() (any, error) { return s.Stock(ctx, now, code) },
		"stock main": func() (any, error) { return s.StockAt(ctx, now, "", "main") },
		"reorder":    func() (any, error) { return s.Reorder(ctx, now) },
		"alerts":     func() (any, error) { return s.Alerts(ctx, now) },
		"margins":    func() (any, error) { return s.Margins(ctx, now, 90) },
		"returns":    func() (any, error) { return s.ReturnRates(ctx, now, 90) },
		"factories":  func() (any, error) { return s.Factories(ctx, now) },
		"batches":    func() (any, error) { return s.Batches(ctx, false) },
		"skus":       func() (any, error) { return s.SKUs(ctx) },
		"sales":      func() (any, error) { return s.Sales(ctx, roNow.AddDate(0, 0, -30), roNow, "") },
		"day":        func() (any, error) { return s.Day(ctx, roNow.AddDate(0, 0, -1)) },
		"kits":       func() (any, error) { return s.Kits(ctx, now) },
		"orders":     func() (any, error) { return s.Orders(ctx, now, app.OrdersFilter{}) },
		"pack":       func() (any, error) { return s.Pack(ctx, now, 3, "") },
		"message":    func() (any, error) { return s.Message(ctx, code, now) },
		"history":    func() (any, error) { return s.History(ctx, code, now, 28) },
		"ideas":      func() (any, error) { return s.BundleIdeas(ctx, now, 5) },
		"conflicts":  func() (any, error) { return s.Conflicts(ctx) },
		"status":     func() (any, error) { return s.Status(ctx) },
		"info":       func() (any, error) { return s.Info(ctx) },
	}
	out := map[string]any{}
	for name, fn := range read {
		v, err := fn()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = v
	}
	return out
}

func sameReports(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	for name, w := range want {
		if !reflect.DeepEqual(got[name], w) {
			t.Errorf("%s: %s reads\n%.800v\nwant, as the writable copy reads,\n%.800v", what, name, got[name], w)
		}
	}
}

// A shop on a write-protected stick, or in a folder the maker cannot
// write to, opens by itself (no option asked), reads exactly as a
// writable copy of it does, again and again, and leaves its files byte
// for byte as they were: no write-ahead log, no cache, no device file.
func TestAWriteProtectedShopReadsAsItsWritableCopy(t *testing.T) {
	path := closedDemo(t)
	writable := mustOpen(t, copyShop(t, path), roOptions())
	before := apptest.WriteProtect(t, path)

	s := mustOpen(t, path, roOptions())
	if err := s.ReadOnly(); domain.ErrorCode(err) != domain.EReadOnly {
		t.Fatalf("ReadOnly() = %v, want the shop to know it can only be read", err)
	}
	if writable.ReadOnly() != nil {
		t.Fatalf("the writable copy says %v", writable.ReadOnly())
	}
	want := reports(t, writable)
	sameReports(t, "the write-protected shop", reports(t, s), want)
	// Reports keep what they learned for the next one; read-only, the
	// next one learns it again, and must come to the same.
	sameReports(t, "read again", reports(t, s), want)
	s.Close()
	before.Unchanged(t, filepath.Dir(path))
}

// roWrites are changes a maker makes, each to be refused by a shop that
// can only be read. batch is another device's changes to apply.
func roWrites(t *testing.T, batch []changes.Change) map[string]func(context.Context, *app.Shop) error {
	digital := domain.PathDigital
	products := filepath.Join(t.TempDir(), "products_export.csv")
	if err := os.WriteFile(products, []byte("Title,URL handle,SKU,Price,Inventory quantity\nBowl,bowl,BOWL,18.00,7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]func(context.Context, *app.Shop) error{
		"sell": func(ctx context.Context, s *app.Shop) error {
			_, err := s.Sell(ctx, app.Sale{Code: "ZINE"})
			return err
		},
		"sell basket": func(ctx context.Context, s *app.Shop) error {
			_, err := s.SellBasket(ctx, app.Basket{Items: []app.BasketItem{{Code: "ZINE", Qty: 1}}})
			return err
		},
		"sku add": func(ctx context.Context, s *app.Shop) error {
			_, err := s.AddSKU(ctx, "GUIDE", app.SKUFields{Name: ptr("Guide"), Path: &digital})
			return err
		},
		"count": func(ctx context.Context, s *app.Shop) error {
			_, err := s.Count(ctx, "ZINE", 3, time.Time{})
			return err
		},
		"factory add": func(ctx context.Context, s *app.Shop) error {
			_, err := s.AddFactory(ctx, domain.Factory{Name: "Kiln", Kind: domain.KindWorkshop, LeadDays: 5})
			return err
		},
		"apply a sync batch": func(ctx context.Context, s *app.Shop) error {
			_, err := s.Apply(ctx, batch)
			return err
		},
		"import": func(ctx context.Context, s *app.Shop) error {
			_, err := s.Import(ctx, app.ImportRequest{Path: products, SupplyPath: domain.PathDigital})
			return err
		},
		"location use": func(ctx context.Context, s *app.Shop) error {
			_, err := s.UseLocation(ctx, "main")
			return err
		},
		"remember a relay": func(ctx context.Context, s *app.Shop) error {
			return s.SetSyncPeer(ctx, app.SyncPeer{Relay: "ws://relay.example:7420", Token: "t"})
		},
		"mark synced": func(ctx context.Context, s *app.Shop) error {
			return s.MarkAcknowledged(ctx, changes.Vector{s.DeviceID(): 1})
		},
	}
}

// Every change to a shop that can only be read is refused with one
// sentence saying where the shop is, that it can only be read and why,
// and how to change it; nothing is written.
func TestAWriteProtectedShopRefusesEveryChange(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "Stall", "shop.db")
	s := apptest.Zine(t, path, 5)
	laptop := apptest.Replica(t, s, "laptop", app.Options{})
	apptest.Factory(t, laptop, "Kiln", domain.KindWorkshop, 5, false)
	held, err := s.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := laptop.ChangesAfter(ctx, held, 0)
	if err != nil || len(batch) == 0 {
		t.Fatalf("the laptop's changes: %d, %v", len(batch), err)
	}
	s.Close()
	before := apptest.WriteProtect(t, path)

	ro := mustOpen(t, path, app.Options{})
	for name, write := range roWrites(t, batch) {
		err := write(ctx, ro)
		if got := domain.ErrorCode(err); got != domain.EReadOnly {
			t.Errorf("%s: %v (code %q), want it refused as read-only", name, err, got)
			continue
		}
		msg := domain.ErrorMessage(err)
		for _, want := range []string{path, "can only be read here", "copy it to a folder you can write to"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: %q does not say %q", name, msg, want)
			}
		}
		if domain.RemedyOf(err) != domain.RemedyWritableCopy {
			t.Errorf("%s: remedy %q, want %q", name, domain.RemedyOf(err), domain.RemedyWritableCopy)
		}
	}
	if got := apptest.Available(t, ro, "ZINE"); got != 5 {
		t.Errorf("after the refusals ZINE has %d available, want the 5 counted", got)
	}
	ro.Close()
	before.Unchanged(t, filepath.Dir(path))
}

// Asked to open a shop read-only, the shop reads, refuses every change
// in words that say it was asked, and writes nothing at all, though its
// file could be written: no log, no shared memory, no new device id for a
// copy that came without its device file.
func TestAShopOpenedReadOnlyWritesNothing(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "Stall")
	path := filepath.Join(dir, "shop.db")
	s := apptest.Zine(t, path, 5)
	device := s.DeviceID()
	s.Close()
	if err := os.Remove(path + ".device"); err != nil { // a copy without its device file
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // made by an older version, readable by all
		t.Fatal(err)
	}
	before := apptest.Snap(t, dir)

	opts := app.Options{ReadOnly: true}
	ro := mustOpen(t, path, opts)
	if got := apptest.Available(t, ro, "ZINE"); got != 5 {
		t.Errorf("ZINE reads %d available, want 5", got)
	}
	if ro.DeviceID() != device {
		t.Errorf("the copy read as device %s, want its own %s", ro.DeviceID(), device)
	}
	for name, write := range roWrites(t, nil) {
		err := write(ctx, ro)
		if domain.ErrorCode(err) != domain.EReadOnly || domain.RemedyOf(err) != domain.RemedyOpenWritable ||
			!strings.Contains(domain.ErrorMessage(err), "is open read-only") {
			t.Errorf("%s: %v (remedy %q), want it refused as opened read-only", name, err, domain.RemedyOf(err))
		}
	}
	ro.Close()
	before.Unchanged(t, dir)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("the shop file's mode is %v (%v), want it left at 0644", fi.Mode().Perm(), err)
	}
}

// A shop of an older format is converted when it is opened; one that can
// only be read cannot be, and says so, rather than failing on a missing
// column half-way through a report.
func TestAnOlderShopThatCanOnlyBeReadSaysItCannotBeConverted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Stall")
	path := filepath.Join(dir, "shop.db")
	apptest.Zine(t, path, 5).Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM migrations WHERE name = (SELECT max(name) FROM migrations)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	_, err = app.Open(path, app.Options{ReadOnly: true})
	checkOlder(t, "opened read-only", err, domain.RemedyOpenWritable, "open it normally once")

	before := apptest.WriteProtect(t, path)
	_, err = app.Open(path, app.Options{})
	checkOlder(t, "write-protected", err, domain.RemedyWritableCopy, "copy it to a folder you can write to")
	before.Unchanged(t, dir)
}

func checkOlder(t *testing.T, what string, err error, remedy domain.Remedy, want string) {
	t.Helper()
	msg := domain.ErrorMessage(err)
	if domain.ErrorCode(err) != domain.EReadOnly || domain.RemedyOf(err) != remedy {
		t.Fatalf("%s: %v (code %q, remedy %q), want a read-only refusal", what, err, domain.ErrorCode(err), domain.RemedyOf(err))
	}
	for _, w := range []string{"older version", "convert", want} {
		if !strings.Contains(msg, w) {
			t.Errorf("%s: %q does not say %q", what, msg, w)
		}
	}
}

// A backup taken of a shop that can only be read is the copy a maker can
// change: backing up reads.
func TestAWriteProtectedShopBacksUp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Stall", "shop.db")
	apptest.Zine(t, path, 5).Close()
	apptest.WriteProtect(t, path)
	ro := mustOpen(t, path, app.Options{})
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := ro.Backup(context.Background(), out, false); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	cp := mustOpen(t, out, app.Options{})
	if cp.ReadOnly() != nil {
		t.Fatalf("the backup can only be read: %v", cp.ReadOnly())
	}
	if _, err := cp.Sell(context.Background(), app.Sale{Code: "ZINE"}); err != nil {
		t.Fatalf("selling from the copy: %v", err)
	}
	if got := apptest.Available(t, cp, "ZINE"); got != 4 {
		t.Errorf("the copy has %d ZINE after a sale of 1 of 5", got)
	}
}

func ptr[T any](v T) *T { return &v }
