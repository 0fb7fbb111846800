package bundle_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/bundle"
)

// benchOrders is how many past order lines the benchmark's shop imported:
// two years of a busy Etsy shop.
const benchOrders = 100_000

// benchEtsy writes an Etsy orders file of n lines of ZINE over the last
// two years, shipped two days after the sale.
func benchEtsy(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "etsy.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,Discount Amount,Shipping Discount,Order Shipping,Order Sales Tax,Item Total,Currency,Transaction ID,Listing ID,Date Paid,Date Shipped,Ship Name,Ship Address1,Ship Address2,Ship City,Ship State,Ship Zipcode,Ship Country,Order ID,Variations,Order Type,Listings Type,Payment Type,InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU\r\n")
	today := domain.StartOfDay(time.Now())
	for i := range n {
		ago := 5 + i%700
		sold, shipped := today.AddDate(0, 0, -ago).Format("01/02/06"), today.AddDate(0, 0, 2-ago).Format("01/02/06")
		fmt.Fprintf(w, "%s,Zine,Jo Buyer,1,5.00,,,0,0,4.50,0,5.00,EUR,%d,1234567,%s,%s,Jo Buyer,1 Main St,,Leeds,,LS1 1AA,United Kingdom,%d,,online,listing,online_cc,,,0,ZINE\r\n",
			sold, 7_000_000+i, sold, shipped, 3_000_000+i/2)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkImportHeld imports the day's bundle on the device that
// imported yesterday's: a shop of two years of orders (about 100,000
// changes) and one new sale, as a stall laptop synced by USB stick does.
func BenchmarkImportHeld(b *testing.B) {
	ctx := context.Background()
	a := apptest.Zine(b, filepath.Join(b.TempDir(), "shop.db"), 20)
	if _, err := a.Import(ctx, app.ImportRequest{Path: benchEtsy(b, benchOrders)}); err != nil {
		b.Fatal(err)
	}
	laptop := apptest.Replica(b, a, "laptop", app.Options{})
	var yesterday bytes.Buffer
	if _, err := bundle.Export(ctx, a, &yesterday, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := bundle.Import(ctx, laptop, &yesterday, "yesterday.msb"); err != nil {
		b.Fatal(err)
	}
	apptest.Sell(b, a, "ZINE", 1, time.Time{}, true)
	var today bytes.Buffer
	n, err := bundle.Export(ctx, a, &today, nil)
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "today.msb")
	if err := os.WriteFile(file, today.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bundle.Import(ctx, laptop, f, "today.msb"); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(n), "changes")
}
