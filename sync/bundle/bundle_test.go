package bundle_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/bundle"
)

// mustShop is a shop with one SKU, ZINE: 20 counted, 3 sold.
func mustShop(t *testing.T) *app.Shop {
	t.Helper()
	s := apptest.Zine(t, filepath.Join(t.TempDir(), "shop.db"), 20)
	for range 3 {
		apptest.Sell(t, s, "ZINE", 1, time.Time{}, false)
	}
	return s
}

func mustReplica(t *testing.T, s *app.Shop) *app.Shop {
	return apptest.Replica(t, s, "laptop", app.Options{})
}

// mustExport is a's bundle, as bytes.
func mustExport(t *testing.T, a *app.Shop) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := bundle.Export(context.Background(), a, &buf, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func available(t *testing.T, s *app.Shop) int {
	t.Helper()
	rows, err := s.Stock(context.Background(), s.AsOfNow(), "ZINE")
	if domain.ErrorCode(err) == domain.ENotFound {
		return -1 // a replica that holds nothing yet
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		return -1
	}
	return rows[0].Available
}

func TestExportImportIsIdempotent(t *testing.T) {
	ctx := context.Background()
	a := mustShop(t)
	b := mustReplica(t, a)
	var file bytes.Buffer
	n, err := bundle.Export(ctx, a, &file, nil)
	if err != nil {
		t.Fatal(err)
	}
	va, _ := a.Vector(ctx)
	if int64(n) != va.Total() {
		t.Fatalf("exported %d changes, shop holds %d", n, va.Total())
	}
	res, err := bundle.Import(ctx, b, bytes.NewReader(file.Bytes()), "stall.msb")
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != n || res.Total != n {
		t.Fatalf("import applied %d of %d, want %d of %d", res.Applied, res.Total, n, n)
	}
	if got := available(t, b); got != 17 {
		t.Fatalf("replica has %d available, want 17", got)
	}
	res, err = bundle.Import(ctx, b, bytes.NewReader(file.Bytes()), "stall.msb")
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 0 || available(t, b) != 17 {
		t.Fatalf("second import applied %d and left %d available; want 0 and 17", res.Applied, available(t, b))
	}
}

// A bundle from an export since a vector holds only what that vector
// lacks, and the checksum covers it all the same.
func TestExportSinceAVector(t *testing.T) {
	ctx := context.Background()
	a := mustShop(t)
	b := mustReplica(t, a)
	if _, err := bundle.Import(ctx, b, bytes.NewReader(mustExport(t, a)), "all.msb"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sell(ctx, app.Sale{Code: "ZINE"}); err != nil {
		t.Fatal(err)
	}
	vb, _ := b.Vector(ctx)
	var buf bytes.Buffer
	n, err := bundle.Export(ctx, a, &buf, vb)
	if err != nil || n != 1 {
		t.Fatalf("export since b's vector: %d changes, err %v; want 1", n, err)
	}
	res, err := bundle.Import(ctx, b, &buf, "new.msb")
	if err != nil || res.Applied != 1 || available(t, b) != 16 {
		t.Fatalf("import = %+v, err %v, available %d; want 1 applied and 16", res, err, available(t, b))
	}
}

// Bundles written before the checksum (no version, no sha256 in the end
// line) are still imported: people keep old files on sticks.
func TestImportReadsBundlesFromBeforeTheChecksum(t *testing.T) {
	ctx := context.Background()
	a := mustShop(t)
	b := mustReplica(t, a)
	text := unpack(t, mustExport(t, a))
	old := withoutVersion(t, text)
	res, err := bundle.Import(ctx, b, bytes.NewReader(pack(t, old)), "old.msb")
	if err != nil {
		t.Fatal(err)
	}
	if va, _ := a.Vector(ctx); int64(res.Applied) != va.Total() || available(t, b) != 17 {
		t.Fatalf("old bundle applied %d, available %d; want %d and 17", res.Applied, available(t, b), va.Total())
	}
}

func pack(t *testing.T, text string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := io.WriteString(zw, text); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func unpack(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// A bundle of more changes than one import batch holds several runs each
// signed by its device; the import applies each whole, so every change
// comes through.
func TestABundleOfManyRunsImportsWhole(t *testing.T) {
	ctx := context.Background()
	a := apptest.Zine(t, filepath.Join(t.TempDir(), "shop.db"), 2000)
	for range 1200 {
		apptest.Sell(t, a, "ZINE", 1, time.Time{}, false)
	}
	b := mustReplica(t, a)
	res, err := bundle.Import(ctx, b, bytes.NewReader(mustExport(t, a)), "big.msb")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := a.Vector(ctx)
	if res.Vector[a.DeviceID()] != want[a.DeviceID()] {
		t.Errorf("the replica holds the shop's changes up to %d, want %d", res.Vector[a.DeviceID()], want[a.DeviceID()])
	}
	if got := available(t, b); got != 800 {
		t.Errorf("available %d, want 800", got)
	}
}

// A device synced only by USB stick: once a bundle from the other device
// shows it holds this one's sales, they no longer count as not yet synced.
// Only a relay's acknowledgement had cleared them, so the count never went
// down for a shop without one.
func TestABundleBackAcknowledgesTheSalesItHolds(t *testing.T) {
	ctx := context.Background()
	a, b := laptopWithASale(t)
	unsynced := func() int64 {
		st, err := b.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st.Unsynced
	}
	if n := unsynced(); n == 0 {
		t.Fatal("the laptop's sale counts as synced before any bundle went out")
	}
	// Its own bundle, imported back, proves nothing.
	if _, err := bundle.Import(ctx, b, bytes.NewReader(mustExport(t, b)), "own.msb"); err != nil {
		t.Fatal(err)
	}
	if unsynced() == 0 {
		t.Fatal("the laptop's own bundle acknowledged its sales")
	}
	if _, err := bundle.Import(ctx, a, bytes.NewReader(mustExport(t, b)), "b.msb"); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Import(ctx, b, bytes.NewReader(mustExport(t, a)), "a2.msb"); err != nil {
		t.Fatal(err)
	}
	if n := unsynced(); n != 0 {
		t.Errorf("after the workshop's bundle came back holding them: %d changes not yet synced; want 0", n)
	}
}

// laptopWithASale is a shop and a laptop that took the shop's bundle and
// then sold one ZINE, not yet sent anywhere.
func laptopWithASale(t *testing.T) (shop, laptop *app.Shop) {
	t.Helper()
	shop = mustShop(t)
	laptop = mustReplica(t, shop)
	if _, err := bundle.Import(context.Background(), laptop, bytes.NewReader(mustExport(t, shop)), "shop.msb"); err != nil {
		t.Fatal(err)
	}
	apptest.Sell(t, laptop, "ZINE", 1, time.Time{}, false)
	return shop, laptop
}
