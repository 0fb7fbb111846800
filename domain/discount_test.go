package domain

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// 3 × 3.67 with 0.01 off the line: 2 at 3.67 and 1 at 3.66, 11.00, where
// 0.01 ÷ 3 rounded down booked 11.01. 2 × 24.00 with 6.00 off divides: 2 at
// 21.00. In yen the odd unit is a whole yen: 3 × 367 with 1 off is 2 at
// 367 and 1 at 366.
func TestLineRuns(t *testing.T) {
	for _, c := range []struct {
		name     string
		price    Money
		qty      int
		off      Money
		currency string
		want     []LineRun
	}{
		{"odd cent", 367, 3, 1, "EUR", []LineRun{{2, 367, 0}, {1, 366, 1}}},
		{"divides", 2400, 2, 600, "EUR", []LineRun{{2, 2100, 300}}},
		{"none", 2400, 5, 0, "EUR", []LineRun{{5, 2400, 0}}},
		{"all of it", 999, 4, 3996, "EUR", []LineRun{{4, 0, 999}}},
		{"two odd cents of seven units", 1000, 7, 702, "EUR", []LineRun{{5, 900, 100}, {2, 899, 101}}},
		{"whole yen", 36700, 3, 100, "JPY", []LineRun{{2, 36700, 0}, {1, 36600, 100}}},
	} {
		if got := LineRuns(c.price, c.qty, c.off, c.currency); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %d × %s less %s: %v, want %v", c.name, c.qty, c.price, c.off, got, c.want)
		}
	}
}

// Whatever the line, its runs hold its units and come to exactly its
// total less the discount, at prices of whole smallest units no lower
// than nothing, one smallest unit apart.
func TestLineRunsAddUpExactly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		currency := rapid.SampledFrom([]string{"EUR", "JPY"}).Draw(t, "currency")
		unit := smallestUnit(currency)
		price := Money(rapid.Int64Range(0, 1e7).Draw(t, "price")) * unit
		qty := rapid.IntRange(1, 1000).Draw(t, "qty")
		off := Money(rapid.Int64Range(0, int64(price/unit)*int64(qty)).Draw(t, "off")) * unit
		runs := LineRuns(price, qty, off, currency)
		units, total := 0, Money(0)
		for _, r := range runs {
			if r.Qty < 1 || r.Price < 0 || r.Price%unit != 0 || r.Price+r.Off != price {
				t.Fatalf("run %+v of %d × %s less %s", r, qty, price, off)
			}
			units += r.Qty
			total += r.Price * Money(r.Qty)
		}
		if units != qty || total != price*Money(qty)-off || len(runs) > 2 || len(runs) == 2 && runs[0].Price-runs[1].Price != unit {
			t.Fatalf("%d × %s less %s: runs %+v come to %d units, %s", qty, price, off, runs, units, total)
		}
	})
}

// 5.00 off an order of 2 × 24.00 and 1 × 18.50 (66.50): 48.00 takes
// 3.609… and 18.50 takes 1.390…, rounded down 3.60 and 1.39, and the cent
// left goes to the line rounding shortened most: 3.61 and 1.39. Three
// equal lines share 1.00 as 0.34, 0.33, 0.33; free lines by quantity; in
// yen whole yen.
func TestShareByValue(t *testing.T) {
	for _, c := range []struct {
		name     string
		amount   Money
		prices   []Money
		qty      []int
		currency string
		want     []Money
	}{
		{"coupon", 500, []Money{2400, 1850}, []int{2, 1}, "EUR", []Money{361, 139}},
		{"equal lines", 100, []Money{500, 500, 500}, []int{1, 1, 1}, "EUR", []Money{34, 33, 33}},
		{"nothing", 0, []Money{500, 700}, []int{1, 2}, "EUR", []Money{0, 0}},
		{"all of it", 2550, []Money{1000, 550}, []int{2, 1}, "EUR", []Money{2000, 550}},
		{"free lines", 300, []Money{0, 0}, []int{1, 2}, "EUR", []Money{100, 200}},
		{"whole yen", 10000, []Money{120000, 120000, 120000}, []int{1, 1, 1}, "JPY", []Money{3400, 3300, 3300}},
		{"one line", 123, []Money{999}, []int{3}, "EUR", []Money{123}},
	} {
		if got := ShareByValue(c.amount, c.prices, c.qty, c.currency); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %s over %v × %v: %v, want %v", c.name, c.amount, c.prices, c.qty, got, c.want)
		}
	}
}

// The shares add up to the amount, each in whole smallest units, none
// beyond what its line comes to, however large the lines.
func TestShareByValueAddsUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		currency := rapid.SampledFrom([]string{"EUR", "JPY"}).Draw(t, "currency")
		unit := smallestUnit(currency)
		n := rapid.IntRange(1, 20).Draw(t, "lines")
		prices, qty := make([]Money, n), make([]int, n)
		var value Money
		for i := range n {
			prices[i] = Money(rapid.Int64Range(0, 1e13).Draw(t, "price")) * unit
			qty[i] = rapid.IntRange(1, 1000).Draw(t, "qty")
			value += prices[i] * Money(qty[i]) / unit
		}
		amount := Money(rapid.Int64Range(0, min(int64(value), 1e13)).Draw(t, "amount")) * unit
		shares := ShareByValue(amount, prices, qty, currency)
		var sum Money
		for i, s := range shares {
			if s < 0 || s%unit != 0 || value > 0 && s > prices[i]*Money(qty[i]) {
				t.Fatalf("share %d of %s over %v × %v: %v", i, amount, prices, qty, shares)
			}
			sum += s
		}
		if sum != amount {
			t.Fatalf("%s over %v × %v: shares %v add up to %s", amount, prices, qty, shares, sum)
		}
	})
}
