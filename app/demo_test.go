package app_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"microshop/app"
	"microshop/domain"
)

// demoBuild creates a demo shop whose now is the given moment. It may run
// on any goroutine.
func demoBuild(t *testing.T, seed int64, now time.Time) (*app.Shop, error) {
	opts := app.Options{Now: func() time.Time { return now }, Location: now.Location()}
	s, err := app.Demo(context.Background(), filepath.Join(t.TempDir(), "shop.db"), seed, opts)
	if err != nil {
		return nil, fmt.Errorf("Demo(seed %d): %w", seed, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, nil
}

// demoCheckDayOne asserts what a newcomer must see on the demo's first day.
func demoCheckDayOne(t *testing.T, s *app.Shop) {
	t.Helper()
	ctx := context.Background()
	asOf := s.AsOfNow()

	stock, err := s.Stock(ctx, asOf, "")
	if err != nil {
		t.Fatalf("Stock: %v", err)
	}
	if len(stock) < 25 || len(stock) > 35 {
		t.Errorf("demo has %d SKUs, want about 30", len(stock))
	}
	paths := map[domain.SupplyPath]int{}
	statuses := map[domain.Status]int{}
	for _, r := range stock {
		paths[r.SKU.Path]++
		statuses[r.Status]++
		if r.SKU.Path != domain.PathDigital && r.OnHand < r.Held {
			t.Errorf("%s: %d on hand but %d held", r.SKU.Code, r.OnHand, r.Held)
		}
	}
	for _, p := range domain.SupplyPaths {
		if paths[p] == 0 {
			t.Errorf("no SKU on the %s path; want all four paths (got %v)", p, paths)
		}
	}
	if statuses[domain.StatusStockout] == 0 {
		t.Errorf("no SKU is out of stock; want at least one (statuses %v)", statuses)
	}
	if statuses[domain.StatusOversold] > 0 {
		t.Errorf("%d SKUs are oversold; the demo must never sell below zero", statuses[domain.StatusOversold])
	}

	reorder, err := s.Reorder(ctx, asOf)
	if err != nil {
		t.Fatalf("Reorder: %v", err)
	}
	orderable, blocked := 0, 0
	for _, r := range reorder {
		if r.Blocked {
			blocked++
		} else if r.SuggestedQty > 0 {
			orderable++
		}
	}
	if orderable < 3 {
		t.Errorf("%d SKUs can be reordered (and %d are blocked); want several", orderable, blocked)
	}
	if blocked == 0 {
		t.Errorf("no reorder is blocked by the paused factory")
	}

	factories, err := s.Factories(ctx, asOf)
	if err != nil {
		t.Fatalf("Factories: %v", err)
	}
	isNew := map[string]bool{}
	paused := 0
	for _, f := range factories {
		isNew[f.Name] = f.New
		if f.QualityPaused {
			paused++
			if f.Sold < domain.MinSoldForQualityRule || f.QualityReturns*100 <= domain.ReturnLimitPercent*f.Sold {
				t.Errorf("%s is quality-paused with %d quality returns of %d sold", f.Name, f.QualityReturns, f.Sold)
			}
		}
	}
	if paused != 1 {
		t.Errorf("%d factories are under the quality pause; want exactly one", paused)
	}

	batches, err := s.Batches(ctx, false)
	if err != nil {
		t.Fatalf("Batches: %v", err)
	}
	held := 0
	for _, b := range batches {
		if b.Status() == domain.BatchHeld && b.QA == domain.QAPending && isNew[b.Factory] {
			held++
		}
	}
	if held == 0 {
		t.Errorf("no batch from a new factory is in QA hold")
	}

	alerts, err := s.Alerts(ctx, asOf)
	if err != nil {
		t.Fatalf("Alerts: %v", err)
	}
	kinds := map[string]bool{}
	for _, a := range alerts {
		kinds[a.Kind] = true
	}
	for _, k := range []string{app.AlertQAHold, app.AlertReorder, app.AlertStockout, app.AlertQualityReturns, app.AlertFactoryPaused} {
		if !kinds[k] {
			t.Errorf("no %s alert on day one", k)
		}
	}

	rates, err := s.ReturnRates(ctx, asOf, 90)
	if err != nil {
		t.Fatalf("ReturnRates: %v", err)
	}
	var sum app.FactoryReturns
	for _, r := range rates {
		sum.Sold += r.Sold
		sum.Quality += r.Quality
		sum.Logistics += r.Logistics
		sum.Buyer += r.Buyer
	}
	if sum.Sold < 1000 || sum.Quality == 0 || sum.Logistics == 0 || sum.Buyer == 0 {
		t.Errorf("90 days hold %d sold and %d quality, %d logistics, %d buyer returns; want sales and returns of every class",
			sum.Sold, sum.Quality, sum.Logistics, sum.Buyer)
	}
}

// demoStockRow is a stock row without the ids, which are new each run.
type demoStockRow struct {
	code                             string
	onHand, held, available, onOrder int
	sold, days                       int
	status                           domain.Status
	price                            domain.Money
}

func demoStock(t *testing.T, s *app.Shop) []demoStockRow {
	t.Helper()
	rows, err := s.Stock(context.Background(), s.AsOfNow(), "")
	if err != nil {
		t.Fatalf("Stock: %v", err)
	}
	out := make([]demoStockRow, len(rows))
	for i, r := range rows {
		out[i] = demoStockRow{r.SKU.Code, r.OnHand, r.Held, r.Available, r.OnOrder, r.Rate.Sold, r.Rate.Days, r.Status, r.SKU.Price}
	}
	return out
}

func TestDemo(t *testing.T) {
	// Monday just after midnight, in a zone with daylight saving: the
	// history crosses a clock change and today holds nothing yet.
	loc := time.FixedZone("CET", 3600)
	if l, err := time.LoadLocation("Europe/Berlin"); err == nil {
		loc = l
	}
	now := time.Date(2026, 4, 20, 0, 5, 0, 0, loc)
	// The three shops are built at once: SQLite under -race is slow.
	seeds := []int64{7, 7, 8}
	shops := make([]*app.Shop, len(seeds))
	errs := make([]error, len(seeds))
	var wg sync.WaitGroup
	for i, seed := range seeds {
		wg.Go(func() { shops[i], errs[i] = demoBuild(t, seed, now) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	a, b, c := shops[0], shops[1], shops[2]

	t.Run("day one", func(t *testing.T) { demoCheckDayOne(t, a) })
	sa := demoStock(t, a)
	t.Run("same seed, same shop", func(t *testing.T) {
		if sb := demoStock(t, b); !slices.Equal(sa, sb) {
			t.Errorf("two demos with seed 7 differ:\n%v\n%v", sa, sb)
		}
	})
	t.Run("other seed, other shop", func(t *testing.T) {
		if sc := demoStock(t, c); slices.Equal(sa, sc) {
			t.Errorf("demos with seeds 7 and 8 have the same stock: %v", sa)
		}
	})
	t.Run("online takings are not cash", func(t *testing.T) { demoCheckPayments(t, a, now) })
	t.Run("refuses an existing shop", func(t *testing.T) {
		_, err := app.Demo(context.Background(), a.Path(), 9, app.Options{Now: func() time.Time { return now }})
		if domain.ErrorCode(err) != domain.EConflict {
			t.Errorf("Demo over an existing shop: got %v, want a conflict error", err)
		}
	})
}

// demoCheckPayments asserts that the close of day of the demo's past week
// counts in cash what the stall took and online orders as paid another way.
func demoCheckPayments(t *testing.T, s *app.Shop, now time.Time) {
	t.Helper()
	online := domain.Money(0)
	for ago := 1; ago <= 7; ago++ {
		day, err := s.Day(context.Background(), now.AddDate(0, 0, -ago))
		if err != nil {
			t.Fatalf("Day: %v", err)
		}
		if day.ByPayment[domain.PaymentCash] != day.ByChannel["fair"] || day.ByPayment[domain.PaymentOther] != day.ByChannel["online"] {
			t.Errorf("%s: paid by %v, sold by channel %v; want cash the fair's takings and other the online ones", day.Date.Format(time.DateOnly), day.ByPayment, day.ByChannel)
		}
		online += day.ByChannel["online"]
	}
	if online == 0 {
		t.Error("the demo sold nothing online in its last week")
	}
}

// The demo's quality pause holds as one a maker's returns made would:
// sales on the first day do not lift it.
func TestTheDemosQualityPauseHolds(t *testing.T) {
	ctx := context.Background()
	s, err := app.Demo(ctx, filepath.Join(t.TempDir(), "demo.db"), 1, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f, err := s.Factory(ctx, "Pearl River Pin Works", s.AsOfNow())
	if err != nil || !f.QualityPaused || f.QualityPausedAt == 0 {
		t.Fatalf("Pearl River Pin Works: %+v, %v; want paused for quality, the moment kept", f, err)
	}
}
