package app

import (
	"context"
	"testing"
	"time"

	"microshop/domain"
)

func TestHistoryDailySalesAndAvailable(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	mustFactory(t, s, "Clay", 10, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Clay")
	if _, err := s.Count(ctx, "MUG", 10, day(-100)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Count(ctx, "MUG", 8, day(-40)); err != nil {
		t.Fatal(err)
	}
	for _, sale := range []Sale{{Code: "MUG", Qty: 2, At: day(-3)}, {Code: "MUG", Qty: 1, At: day(0).Add(-time.Hour)}} {
		if _, err := s.Sell(ctx, sale); err != nil {
			t.Fatal(err)
		}
	}
	undone, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 3, At: day(-1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, undone.ID, ""); err != nil {
		t.Fatal(err)
	}

	days, err := s.History(ctx, "mug", s.AsOfNow(), HistoryDays)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(days), HistoryDays; got != want {
		t.Fatalf("days = %d, want %d", got, want)
	}
	if got, want := days[len(days)-1].Start, domain.StartOfDay(testStart).UnixMilli(); got != want {
		t.Errorf("last day starts %d, want today %d", got, want)
	}
	last := len(days) - 1
	for _, c := range []struct {
		name            string
		ago             int
		sold, available int
	}{
		{"before the second count", 50, 0, 10},
		{"the second count", 40, 0, 8},
		{"two sold", 3, 2, 6},
		{"sold and undone", 1, 0, 6},
		{"today", 0, 1, 5},
	} {
		d := days[last-c.ago]
		if d.Sold != c.sold || d.Available != c.available {
			t.Errorf("%s (day -%d): sold %d, available %d; want sold %d, available %d", c.name, c.ago, d.Sold, d.Available, c.sold, c.available)
		}
	}
	if _, err := s.History(ctx, "NOPE", s.AsOfNow(), HistoryDays); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("history of an unknown SKU: err %v, want not found", err)
	}
	if _, err := s.History(ctx, "MUG", s.AsOfNow(), 0); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("history of 0 days: err %v, want invalid", err)
	}
}

func TestDaySalesTakesUndoneSalesOff(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustSKU(t, s, "PDF", domain.PathDigital, "")
	price := domain.Money(250)
	if _, err := s.Sell(ctx, Sale{Code: "PDF", Qty: 2, Price: &price}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "PDF", Qty: 1, At: day(-1)}); err != nil {
		t.Fatal(err)
	}
	undone, err := s.Sell(ctx, Sale{Code: "PDF", Qty: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidSale(ctx, undone.ID, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.DaySales(ctx, s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if want := (SalesTotal{Sales: 1, Units: 2, Amount: 500}); got != want {
		t.Errorf("today's sales = %+v, want %+v", got, want)
	}
	clock.Set(day(1))
	got, err = s.DaySales(ctx, s.AsOfNow())
	if err != nil {
		t.Fatal(err)
	}
	if got != (SalesTotal{}) {
		t.Errorf("tomorrow's sales = %+v, want none", got)
	}
}
