package bundle_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/bundle"
)

func mustShop(t *testing.T) *app.Shop {
	t.Helper()
	s, err := app.Create(filepath.Join(t.TempDir(), "shop.db"), app.NewShop{Name: "Stall"}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	if _, err := s.AddFactory(ctx, domain.Factory{Name: "Print", Kind: domain.KindPrint, LeadDays: 3}); err != nil {
		t.Fatal(err)
	}
	path, name, factory := domain.PathPrint, "Zine", "Print"
	if _, err := s.AddSKU(ctx, "ZINE", app.SKUFields{Name: &name, Path: &path, Factory: &factory}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Count(ctx, "ZINE", 20, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.Sell(ctx, app.Sale{Code: "ZINE"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func mustReplica(t *testing.T, s *app.Shop) *app.Shop {
	t.Helper()
	r, err := app.CreateReplica(filepath.Join(t.TempDir(), "replica.db"), s.ShopID(), "laptop", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func available(t *testing.T, s *app.Shop) int {
	t.Helper()
	rows, err := s.Stock(context.Background(), s.AsOfNow(), "ZINE")
	if err != nil {
		t.Fatal(err)
	}
	return rows[0].Available
}

func TestExportImportIsIdempotent(t *testing.T) {
	ctx := context.Background()
	a := mustShop(t)
	b := mustReplica(t, a)
	file := filepath.Join(t.TempDir(), "stall.msb")
	n, err := bundle.Export(ctx, a, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	va, _ := a.Vector(ctx)
	if int64(n) != va.Total() {
		t.Fatalf("exported %d changes, shop holds %d", n, va.Total())
	}
	res, err := bundle.Import(ctx, b, file)
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != n || res.Total != n {
		t.Fatalf("import applied %d of %d, want %d of %d", res.Applied, res.Total, n, n)
	}
	if got := available(t, b); got != 17 {
		t.Fatalf("replica has %d available, want 17", got)
	}
	res, err = bundle.Import(ctx, b, file)
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 0 || available(t, b) != 17 {
		t.Fatalf("second import applied %d and left %d available; want 0 and 17", res.Applied, available(t, b))
	}
}

func TestImportRefusesBadBundlesAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	a := mustShop(t)
	other := mustShop(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.msb")
	if _, err := bundle.Export(ctx, a, good, nil); err != nil {
		t.Fatal(err)
	}
	raw := gunzip(t, good)
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	lines := strings.SplitAfter(raw, "\n")
	cases := map[string]struct {
		path string
		code string
	}{
		"another shop": {good, domain.EConflict},
		"truncated":    {write("cut.msb", strings.Join(lines[:len(lines)-3], "")), domain.EInvalid},
		"no trailer":   {write("notrailer.msb", strings.Join(lines[:len(lines)-2], "")), domain.EInvalid},
		"newer schema": {write("new.msb", strings.Replace(raw, `"schema_version":1`, `"schema_version":99`, 1)), domain.ETooNew},
		"not a bundle": {write("junk.msb", "hello\n"), domain.EInvalid},
		"missing":      {filepath.Join(dir, "nope.msb"), domain.ENotFound},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			target := mustReplica(t, a)
			if name == "another shop" {
				target = other
			}
			before, _ := target.Vector(ctx)
			_, err := bundle.Import(ctx, target, c.path)
			if domain.ErrorCode(err) != c.code {
				t.Fatalf("err = %v (code %q), want code %q", err, domain.ErrorCode(err), c.code)
			}
			if !strings.Contains(domain.ErrorMessage(err), filepath.Base(c.path)) {
				t.Errorf("message %q does not name the file", domain.ErrorMessage(err))
			}
			after, _ := target.Vector(ctx)
			if after.Total() != before.Total() {
				t.Fatalf("a refused bundle changed the vector from %v to %v", before, after)
			}
		})
	}
}

func gunzip(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
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
