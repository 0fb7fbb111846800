package ui

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"microshop/app"
	"microshop/domain"
)

// benchSKUs is the large shop of the issue: 5,000 SKUs.
const benchSKUs = 5000

// bigShop makes a shop of n SKUs across five factories through the app
// layer, each with a stock count and some with a sale, so every SKU has a
// ledger to replay. It takes a few seconds per thousand SKUs.
func bigShop(tb testing.TB, n int) *app.Shop {
	tb.Helper()
	ctx := context.Background()
	s := mustShop(tb)
	kinds := []domain.FactoryKind{domain.KindPrint, domain.KindMicrofactory, domain.KindWorkshop}
	for i := range 5 {
		mustFactory(tb, s, fmt.Sprintf("Factory %d", i+1), kinds[i%3], 5+i*5, i%2 == 0)
	}
	paths := []domain.SupplyPath{domain.PathPrint, domain.PathMicrofactory, domain.PathHandmade, domain.PathPrint, domain.PathDigital}
	for i := range n {
		code := fmt.Sprintf("SKU-%05d", i)
		path := paths[i%len(paths)]
		factory := fmt.Sprintf("Factory %d", i%5+1)
		if path == domain.PathDigital {
			factory = ""
		}
		mustSKU(tb, s, code, "Handmade thing no. "+code[4:], path, factory, domain.Money(500+i%40*100))
		if path != domain.PathDigital {
			mustCount(tb, s, code, i%30, day(-20))
		}
		if i%7 == 0 {
			if _, err := s.Sell(ctx, app.Sale{Code: code, Qty: 1, At: day(-2), Force: true}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return s
}

// BenchmarkOpenScreens opens each screen of a 5,000-SKU shop: building the
// screen the first time, then showing it and reading what it shows. The
// warm runs find the shop's reports in the shared cache, as a screen does
// after any other screen read them since the last change; the cold ones
// read the whole stock report again, as after a sale. Reads run on the
// calling goroutine here; in the app they run off the UI goroutine, so the
// window stays responsive while a cold read takes its time.
func BenchmarkOpenScreens(b *testing.B) {
	shop := bigShop(b, benchSKUs)
	a := test.NewTempApp(b)
	w := a.NewWindow("bench")
	u := newUI(a, w, shop, Options{}, true)
	b.Cleanup(func() {
		u.Close()
		w.Close()
	})
	for i, name := range ScreenNames {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u.current = -1
				u.show(i)
			}
		})
	}
	for _, name := range []string{"today", "sell", "skus"} {
		i := screenIndex(name)
		b.Run(name+"/cold", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u.data.stockKey, u.data.alertsKey = cacheKey{}, cacheKey{}
				u.current = -1
				u.show(i)
			}
		})
	}
	// What the process holds once every screen has been open, for issue
	// 18's memory report. This shop's ledger is light (a count and a few
	// sales per SKU) and the test driver draws nothing: the desktop app on
	// the million-event shop holds more (README, Performance).
	b.Run("memory", func(b *testing.B) {
		for b.Loop() {
			for i := range ScreenNames {
				u.current = -1
				u.show(i)
			}
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapInuse)/(1<<20), "heap-MB")
		if rss, ok := residentMB(); ok {
			b.ReportMetric(rss, "rss-MB")
		}
	})
}

// residentMB is this process's resident memory in MiB, from Linux's
// /proc; ok is false elsewhere.
func residentMB() (float64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb float64
			if _, err := fmt.Sscan(rest, &kb); err == nil {
				return kb / 1024, true
			}
		}
	}
	return 0, false
}
