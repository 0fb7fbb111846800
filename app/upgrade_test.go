package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"microshop/app"
	"microshop/domain"
)

// The shops in testdata were made by old builds of microshopctl with
// testdata/oldshop.sh (its head says how to make them again), and every
// figure below was read from them with that build's --json reports, as of
// 2026-12-07 in UTC. This build opens a copy, runs every migration since,
// and must read the same: a maker keeps a shop for years.
//
// Read otherwise on purpose since, and so not compared: daily rates and
// cover days (a download's rate counts from its first sale; no cover when
// nothing is available), margins' costs (the units buyers kept), the
// order of return rates (paused factories first), and archived SKUs, which
// the SKU list of 00d4c47 showed among the rest.

// upgradeNow is noon on the day the shops were made.
var upgradeNow = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// openOldShop opens, with this build, a copy of the shop testdata/name.
func openOldShop(t *testing.T, name string) *app.Shop {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "shop.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := app.Open(path, app.Options{Now: func() time.Time { return upgradeNow }, Location: time.UTC})
	if err != nil {
		t.Fatalf("opening the shop made by an old build: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// level is a SKU's stock as `stock --json` gives it.
type level struct{ onHand, held, available, onOrder int }

// batchState is a batch as `batch list --json` gives it.
type batchState struct {
	ordered, received int
	status            domain.BatchStatus
}

// returned is a factory's row of `returns --days 90 --json`.
type returned struct{ sold, quality, logistics, buyer int }

// oldFigures are what an old build read of its shop.
type oldFigures struct {
	name     string
	stock    map[string]level
	batches  map[string]batchState // by SKU code and units ordered
	returns  map[string]returned   // by factory; "" for downloads
	products []string              // SKUs on sale
}

func TestAShopMadeByTheFirstCommandLineReadsTheSameUpgraded(t *testing.T) {
	// 00d4c47: no locations, voids, refunds, kits or settings yet; its
	// batch edit and cancel failed, so the card batch of 30 is still held.
	s := openOldShop(t, "shop-00d4c47.db")
	checkOldFigures(t, s, oldFigures{
		name: "Upgrade Shop",
		stock: map[string]level{
			"UP-CARD": {105, 1, 104, 70},
			"UP-MUG":  {28, 0, 28, 30},
			"UP-PDF":  {0, 0, 0, 0},
			"UP-PIN":  {-15, 0, -15, 0},
		},
		batches: map[string]batchState{
			"UP-CARD 50":  {50, 0, domain.BatchOrdered},
			"UP-CARD 30":  {30, 10, domain.BatchHeld},
			"UP-CARD 100": {100, 100, domain.BatchPassed},
			"UP-MUG 20":   {20, 0, domain.BatchOrdered},
			"UP-MUG 40":   {40, 30, domain.BatchOrdered},
			"UP-OLD 20":   {20, 20, domain.BatchReceived},
			"UP-PIN 50":   {50, 50, domain.BatchFailed},
		},
		returns: map[string]returned{
			"":           {5, 0, 0, 0},
			"Clay Works": {3, 1, 0, 1},
			"Lino Press": {6, 1, 0, 0},
			"Pin Co":     {60, 0, 0, 0},
		},
		products: []string{"UP-CARD", "UP-MUG", "UP-PDF", "UP-PIN"},
	})
	checkStillSells(t, s, "UP-CARD", 104)
}

func TestAShopMadeWithLocationsReadsTheSameUpgraded(t *testing.T) {
	// 0364bb0: a stall, moves, a basket with a discount, a void, refunds,
	// a kit and the holding rate set to 20 %.
	s := openOldShop(t, "shop-0364bb0.db")
	ctx := context.Background()
	checkOldFigures(t, s, oldFigures{
		name: "Upgrade Shop Renamed",
		stock: map[string]level{
			"UP-CARD": {96, 1, 95, 50},
			"UP-GIFT": {25, 0, 25, 0},
			"UP-MUG":  {25, 0, 25, 40},
			"UP-PDF":  {0, 0, 0, 0},
			"UP-PIN":  {-15, 0, -15, 0},
		},
		batches: map[string]batchState{
			"UP-CARD 50":  {50, 0, domain.BatchOrdered},
			"UP-CARD 30":  {30, 10, domain.BatchCancelled},
			"UP-CARD 100": {100, 100, domain.BatchPassed},
			"UP-MUG 30":   {30, 0, domain.BatchOrdered},
			"UP-MUG 40":   {40, 30, domain.BatchOrdered},
			"UP-OLD 20":   {20, 20, domain.BatchReceived},
			"UP-PIN 50":   {50, 50, domain.BatchFailed},
		},
		returns: map[string]returned{
			"":           {5, 0, 0, 0},
			"Clay Works": {6, 1, 0, 1},
			"Lino Press": {13, 1, 0, 1},
			"Pin Co":     {60, 0, 0, 0},
		},
		products: []string{"UP-CARD", "UP-GIFT", "UP-MUG", "UP-PDF", "UP-PIN"},
	})

	// stock --location "Winter Fair"
	fair, err := s.StockAt(ctx, s.AsOfDate(upgradeNow), "", "Winter Fair")
	if err != nil {
		t.Fatal(err)
	}
	wantFair := map[string]level{"UP-CARD": {9, 0, 9, 0}, "UP-GIFT": {4, 0, 4, 0}, "UP-MUG": {4, 0, 4, 0}}
	for _, r := range fair {
		if w, ok := wantFair[r.SKU.Code]; ok && (r.OnHand != w.onHand || r.Held != w.held || r.Available != w.available) {
			t.Errorf("%s at Winter Fair: %d on hand, %d held, %d available; the old build read %d, %d, %d", r.SKU.Code, r.OnHand, r.Held, r.Available, w.onHand, w.held, w.available)
		}
	}

	// sales --from 2026-09-01 --to 2026-12-07: 13 lines, one voided,
	// 759.19 taken by the others.
	lines, err := s.Sales(ctx, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC), "")
	if err != nil {
		t.Fatal(err)
	}
	var total domain.Money
	voided := 0
	for _, l := range lines {
		if l.Voided {
			voided++
			continue
		}
		total += l.Total()
	}
	if len(lines) != 13 || voided != 1 || total != 75919 {
		t.Errorf("sales: %d lines, %d voided, %s taken; the old build read 13, 1, 759.19", len(lines), voided, total)
	}

	// day 2026-12-01 and day 2026-12-02
	day, err := s.Day(ctx, time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if day.Orders != 3 || day.Sales != 4 || day.Units != 8 || day.Total != 7170 || day.Discounts != 330 ||
		day.Refunds != 450 || day.ByPayment[domain.PaymentCard] != 5370 || day.ByPayment[domain.PaymentCash] != 1350 {
		t.Errorf("1 December: %d orders, %d lines, %d units, %s taken, %s off, %s refunded, card %s, cash %s; the old build read 3, 4, 8, 71.70, 3.30, 4.50, 53.70, 13.50",
			day.Orders, day.Sales, day.Units, day.Total, day.Discounts, day.Refunds, day.ByPayment[domain.PaymentCard], day.ByPayment[domain.PaymentCash])
	}
	day, err = s.Day(ctx, time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if day.Sales != 0 || day.Returns != 1 || day.Voided != 1 {
		t.Errorf("2 December: %d lines, %d returns, %d voided; the old build read 0, 1, 1", day.Sales, day.Returns, day.Voided)
	}

	// margins --days 90: units and takings (costs are read otherwise now).
	margins, err := s.Margins(ctx, s.AsOfDate(upgradeNow), 90)
	if err != nil {
		t.Fatal(err)
	}
	wantMargins := map[string][2]int64{"UP-MUG": {5, 11541}, "UP-PDF": {5, 3000}, "UP-CARD": {13, 5578}, "UP-PIN": {60, 54000}}
	for _, m := range margins {
		if w, ok := wantMargins[m.Code]; ok && (int64(m.Units) != w[0] || int64(m.Revenue) != w[1]) {
			t.Errorf("margins of %s: %d units for %s; the old build read %d for %s", m.Code, m.Units, m.Revenue, w[0], domain.Money(w[1]))
		}
	}

	// shop set --holding-rate 20
	if rate, err := s.HoldingRate(ctx); err != nil || rate != 20 {
		t.Errorf("holding rate %d %% (%v); the old build set 20 %%", rate, err)
	}
	checkStillSells(t, s, "UP-MUG", 25)
}

func checkOldFigures(t *testing.T, s *app.Shop, want oldFigures) {
	t.Helper()
	ctx := context.Background()
	info, err := s.Info(ctx)
	if err != nil || info.Name != want.name || info.Currency != "EUR" {
		t.Errorf("shop %q in %s (%v); the old build read %q in EUR", info.Name, info.Currency, err, want.name)
	}

	rows, err := s.Stock(ctx, s.AsOfDate(upgradeNow), "")
	if err != nil {
		t.Fatal(err)
	}
	var products []string
	for _, r := range rows {
		products = append(products, r.SKU.Code)
		w := want.stock[r.SKU.Code]
		if got := (level{r.OnHand, r.Held, r.Available, r.OnOrder}); got != w {
			t.Errorf("stock of %s: %+v; the old build read %+v", r.SKU.Code, got, w)
		}
	}
	if len(products) != len(want.products) {
		t.Errorf("stock lists %q; the old build listed %q", products, want.products)
	}

	batches, err := s.Batches(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, b := range batches {
		key := b.SKU + " " + strconv.Itoa(b.Ordered)
		w, ok := want.batches[key]
		if !ok {
			t.Errorf("a batch of %d %s the old build did not list", b.Ordered, b.SKU)
			continue
		}
		seen++
		if got := (batchState{b.Ordered, b.Received, b.Status()}); got != w {
			t.Errorf("batch %s: %+v; the old build read %+v", key, got, w)
		}
	}
	if seen != len(want.batches) {
		t.Errorf("%d batches; the old build listed %d", seen, len(want.batches))
	}

	rates, err := s.ReturnRates(ctx, s.AsOfDate(upgradeNow), 90)
	if err != nil {
		t.Fatal(err)
	}
	if len(rates) != len(want.returns) {
		t.Errorf("%d factories in the return rates; the old build listed %d", len(rates), len(want.returns))
	}
	for _, r := range rates {
		if got := (returned{r.Sold, r.Quality, r.Logistics, r.Buyer}); got != want.returns[r.Factory] {
			t.Errorf("returns of %q: %+v; the old build read %+v", r.Factory, got, want.returns[r.Factory])
		}
	}
}

// checkStillSells sells one unit of code at main and finds one fewer of
// the before available: the upgraded shop takes new events as it reads old.
func checkStillSells(t *testing.T, s *app.Shop, code string, before int) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Sell(ctx, app.Sale{Code: code, Qty: 1, Location: "main"}); err != nil {
		t.Fatalf("selling %s in the upgraded shop: %v", code, err)
	}
	rows, err := s.Stock(ctx, s.AsOfNow(), code)
	if err != nil || len(rows) != 1 || rows[0].Available != before-1 {
		t.Errorf("after a sale of one %s: %+v (%v); want %d available", code, rows, err, before-1)
	}
}
