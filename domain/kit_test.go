package domain

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// A kit of 1 CARD and 2 PENs: CARD 3 available, PEN 5 → ⌊3 ÷ 1⌋ = 3 and
// ⌊5 ÷ 2⌋ = 2, so 2 kits. PEN oversold by 1: ⌊−1 ÷ 2⌋ = −1.
func TestKitAvailableAndStatus(t *testing.T) {
	if got := KitAvailable([]int{3, 5}, []int{1, 2}); got != 2 {
		t.Errorf("available %d, want 2", got)
	}
	if got := KitAvailable([]int{3, -1}, []int{1, 2}); got != -1 {
		t.Errorf("available %d, want -1", got)
	}
	for _, c := range []struct {
		parts []Status
		want  Status
	}{
		{[]Status{StatusOK, StatusLow}, StatusLow},
		{[]Status{StatusReorder, StatusStockout, StatusOK}, StatusStockout},
		{[]Status{StatusStockout, StatusOversold}, StatusOversold},
		{[]Status{StatusDigital, StatusOK}, StatusOK},
	} {
		if got := KitStatus(c.parts); got != c.want {
			t.Errorf("%v: %s, want %s", c.parts, got, c.want)
		}
	}
}

// 18.00 for 1 CARD (10.00) and 2 PENs (5.00): weights 10.00 and 10.00, so
// PEN takes 18.00 × 10 ÷ 20 ÷ 2 = 4.50 each and CARD the rest, 9.00.
// 10.00 for 1 A (1.00) and 3 B (1.00): B 10.00 × 3 ÷ 4 ÷ 3 = 2.50 each,
// A 10.00 − 7.50 = 2.50. Bundle price of 1 × 10.00 + 2 × 5.00 = 20.00
// less 10 % = 18.00; of 3.33 + 3.33 = 6.66 less 10 % = 5.994 → 5.99.
func TestKitPrices(t *testing.T) {
	if got := KitRuns(1800, 0, []Money{1000, 500}, []int{1, 2}, "EUR"); !slices.Equal(got, []KitRun{{0, 1, 900, 0}, {1, 2, 450, 0}}) {
		t.Errorf("split %v, want [9.00 4.50]", got)
	}
	if got := KitRuns(1000, 0, []Money{100, 100}, []int{1, 3}, "EUR"); !slices.Equal(got, []KitRun{{0, 1, 250, 0}, {1, 3, 250, 0}}) {
		t.Errorf("split %v, want [2.50 2.50]", got)
	}
	if got := BundlePrice([]Money{1000, 500}, []int{1, 2}, "EUR"); got != 1800 {
		t.Errorf("bundle %s, want 18.00", got)
	}
	if got := BundlePrice([]Money{333, 333}, []int{1, 1}, "EUR"); got != 599 {
		t.Errorf("bundle %s, want 5.99", got)
	}
	// A yen has no smaller unit: 1555 + 1000 less 10 % is 2299.50, which
	// no buyer can pay; it rounds half up to 2300.
	if got := BundlePrice([]Money{155500, 100000}, []int{1, 1}, "JPY"); got != 230000 {
		t.Errorf("bundle in yen %s, want 2300", got.Format("JPY"))
	}
}

func TestDiscountedToTheCurrencysUnit(t *testing.T) {
	for _, c := range []struct {
		price      Money
		pct        int
		currency   string
		after, off Money
	}{
		{1299, 10, "EUR", 1169, 130},
		{155500, 10, "JPY", 139900, 15600}, // 155.5 yen off rounds to 156
		{155400, 10, "JPY", 139900, 15500}, // 155.4 to 155
		{150000, 0, "JPY", 150000, 0},
		{150000, 100, "JPY", 0, 150000},
	} {
		after, off := Discounted(c.price, c.pct, c.currency)
		if after != c.after || off != c.off {
			t.Errorf("%s %s at %d %%: %s after, %s off; want %s after, %s off", c.price, c.currency, c.pct, after, off, c.after, c.off)
		}
	}
}

func TestKitPartsRefused(t *testing.T) {
	for name, parts := range map[string][]KitPart{
		"none":   nil,
		"zero":   {{SKUID: "a", Qty: 0}},
		"twice":  {{SKUID: "a", Qty: 1}, {SKUID: "a", Qty: 1}},
		"no id":  {{SKUID: "", Qty: 1}},
		"absurd": {{SKUID: "a", Qty: MaxQty + 1}},
	} {
		if ValidateKitParts(parts) == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if _, err := DecodeKitParts(`{"x":1}`); err == nil {
		t.Errorf("a malformed list accepted")
	}
}

// A kit's part lines add up to the price it was sold at. GIFT, 3 CARDs
// (4.00) and a PIN (10.00) at 19.00: the CARDs' share 19.00 × 12 ÷ 22 =
// 10.36, the PIN's 8.63 and the cent left (its remainder is the larger)
// 8.64; the CARDs 2 at 3.45 and 1 at 3.46. Three mugs at 50.00 were 3 at
// 16.66, and the day's takings missed 2 cents a kit; they are 1 at 16.66
// and 2 at 16.67. A set of a CARD (¥300) and a PIN (¥500) at ¥700 was
// ¥262.50 and ¥437.50, halves of a yen no buyer pays. Whatever the
// parts, the discount and the currency, the runs come to the kit's price
// and discount exactly, in whole smallest units, none negative, and a
// part's units at most one smallest unit apart.
func TestKitRunsAddUpToTheKitsPrice(t *testing.T) {
	for _, c := range []struct {
		price    Money
		prices   []Money
		qty      []int
		currency string
		want     []KitRun
	}{
		{1900, []Money{400, 1000}, []int{3, 1}, "EUR", []KitRun{{0, 2, 345, 0}, {0, 1, 346, 0}, {1, 1, 864, 0}}},
		{5000, []Money{1800}, []int{3}, "EUR", []KitRun{{0, 1, 1666, 0}, {0, 2, 1667, 0}}},
		{70000, []Money{30000, 50000}, []int{1, 1}, "JPY", []KitRun{{0, 1, 26300, 0}, {1, 1, 43700, 0}}},
	} {
		if got := KitRuns(c.price, 0, c.prices, c.qty, c.currency); !slices.Equal(got, c.want) {
			t.Errorf("%s of %v × %v: runs %v, want %v", c.price.Format(c.currency), c.qty, c.prices, got, c.want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		currency := rapid.SampledFrom([]string{"EUR", "JPY"}).Draw(t, "currency")
		unit := smallestUnit(currency)
		n := rapid.IntRange(1, 6).Draw(t, "parts")
		prices := make([]Money, n)
		qty := make([]int, n)
		for i := range n {
			prices[i] = Money(rapid.Int64Range(0, 100_000).Draw(t, "price")) * unit
			qty[i] = rapid.IntRange(1, 50).Draw(t, "qty")
		}
		kit := Money(rapid.Int64Range(0, 10_000_000).Draw(t, "kit price")) * unit
		off := Money(rapid.Int64Range(0, 1_000_000).Draw(t, "discount")) * unit
		var sum, sumOff Money
		units := make([]int, n)
		low := make([]Money, n)
		for _, r := range KitRuns(kit, off, prices, qty, currency) {
			if r.Price < 0 || r.Off < 0 || r.Price%unit != 0 || r.Off%unit != 0 {
				t.Fatalf("part %d at %s, %s off: not whole %s", r.Part, r.Price, r.Off, currency)
			}
			if units[r.Part] == 0 {
				low[r.Part] = r.Price
			}
			if r.Price-low[r.Part] > unit || low[r.Part]-r.Price > unit {
				t.Fatalf("part %d's units at %s and %s", r.Part, low[r.Part], r.Price)
			}
			units[r.Part] += r.Qty
			sum += r.Price * Money(r.Qty)
			sumOff += r.Off * Money(r.Qty)
		}
		if !slices.Equal(units, qty) {
			t.Fatalf("runs hold %v units of the parts, not %v", units, qty)
		}
		if sum != kit || sumOff != off {
			t.Fatalf("runs come to %s with %s off, not the kit's %s with %s off", sum, sumOff, kit, off)
		}
	})
}

// The largest amounts a shop records share without wrapping round: a kit
// of a CARD (4.00) and BIG (99,999,999,999.00) at 99,999,999,999.00 took
// 99,999,999,999.00 × 9,999,999,999,900 past what an int64 holds, and its
// sale was refused as "-2539.76 is not a valid price".
func TestKitSharesOfTheLargestAmounts(t *testing.T) {
	const big = Money(9_999_999_999_900)
	if got := KitRuns(big, 0, []Money{400, big}, []int{1, 1}, "EUR"); len(got) != 2 || got[0].Price < 0 || got[1].Price < 0 || got[0].Price+got[1].Price != big {
		t.Fatalf("split %v, want two shares adding up to %s", got, big)
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "parts")
		prices := make([]Money, n)
		qty := make([]int, n)
		for i := range n {
			prices[i] = Money(rapid.Int64Range(0, int64(maxMoney)).Draw(t, "price"))
			qty[i] = rapid.IntRange(1, MaxQty).Draw(t, "qty")
		}
		amount := Money(rapid.Int64Range(0, int64(maxMoney)).Draw(t, "amount"))
		var sum Money
		for _, r := range KitRuns(amount, 0, prices, qty, "EUR") {
			if r.Price < 0 || r.Price > amount {
				t.Fatalf("part %d's unit price %s of %s", r.Part, r.Price, amount)
			}
			sum += r.Price * Money(r.Qty)
		}
		if sum != amount {
			t.Fatalf("runs come to %s, not %s", sum, amount)
		}
	})
}
