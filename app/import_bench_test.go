package app

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"microshop/domain"
)

// benchImportLines is the size of the Etsy orders file the import
// benchmarks read (issue 13: at least 20 % of the raw SQLite insert rate;
// a dry run under 2 s).
const benchImportLines = 100_000

// benchEtsyFile writes an Etsy sold-order-items file of n lines over the
// last 60 days, SKUs drawn from the big shop, its transaction ids starting
// at first so each file's lines are new to the shop. With shipped, the
// orders more than three days old have shipped two days after the sale,
// as in a real export of last month's orders; without, none has.
func benchEtsyFile(b *testing.B, d *benchData, n int, first int, seed uint64, shipped bool) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("etsy-%d.csv", seed))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(seed, 13))
	today := domain.StartOfDay(time.Now())
	fmt.Fprint(w, "\ufeff"+etsyHeader+"\r\n")
	for i := range n {
		k := d.skus[rng.IntN(len(d.skus))]
		ago := 1 + rng.IntN(60)
		date := today.AddDate(0, 0, -ago).Format("01/02/06")
		row := etsyRow(date, `"Item, `+k.code+`"`, 1+rng.IntN(2), domain.Money(k.price).String(), fmt.Sprint(first+i), fmt.Sprint((first+i)/2), k.code)
		if shipped && ago > 3 {
			row = etsyShipped(date, today.AddDate(0, 0, 2-ago).Format("01/02/06"), `"Item, `+k.code+`"`, 1+rng.IntN(2), domain.Money(k.price).String(),
				fmt.Sprint(first+i), fmt.Sprint((first+i)/2), k.code)
		}
		fmt.Fprint(w, row+"\r\n")
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchImportShop opens a copy of the big shop, as BenchmarkApply does.
func benchImportShop(b *testing.B, d *benchData) *Shop {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "copy.db")
	if err := benchCopy(d, dst); err != nil {
		b.Fatal(err)
	}
	s, err := Open(dst, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkImportEtsyOrders imports a 100,000-line Etsy orders file into a
// copy of the 5,000-SKU shop, and compares the rate with the raw SQLite
// insert rate measured in the same run.
func BenchmarkImportEtsyOrders(b *testing.B) { benchImportEtsy(b, false) }

// BenchmarkImportEtsyOrdersShipped imports a file whose orders have
// mostly shipped, as last month's export has: about 47,000 of its 50,000
// orders are marked shipped too.
func BenchmarkImportEtsyOrdersShipped(b *testing.B) { benchImportEtsy(b, true) }

func benchImportEtsy(b *testing.B, shipped bool) {
	d := benchShop(b)
	ctx := context.Background()
	s := benchImportShop(b, d)
	raw := benchRawRate
	if raw == 0 {
		raw = benchRawInsert(b, benchChanges(d, benchApplyCount, 5))
	}
	seed := uint64(0)
	lines := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		seed++
		file := benchEtsyFile(b, d, benchImportLines, int(seed)*benchImportLines, seed, shipped)
		b.StartTimer()
		res, err := s.Import(ctx, ImportRequest{Path: file})
		if err != nil {
			b.Fatal(err)
		}
		if res.Sales != benchImportLines {
			b.Fatalf("imported %d sales of %d lines", res.Sales, benchImportLines)
		}
		lines += res.Sales
	}
	rate := float64(lines) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "lines/s")
	b.ReportMetric(raw, "raw_rows/s")
	b.ReportMetric(rate/raw, "ratio_to_raw")
}

// BenchmarkImportEtsyOrdersDryRun reads and checks the same file and
// writes nothing.
func BenchmarkImportEtsyOrdersDryRun(b *testing.B) {
	d := benchShop(b)
	ctx := context.Background()
	file := benchEtsyFile(b, d, benchImportLines, 1, 1, false)
	b.ReportAllocs()
	for b.Loop() {
		res, err := d.shop.Import(ctx, ImportRequest{Path: file, DryRun: true})
		if err != nil {
			b.Fatal(err)
		}
		if res.Sales != benchImportLines {
			b.Fatalf("would import %d sales of %d lines", res.Sales, benchImportLines)
		}
	}
	benchReportMS(b)
}
