package domain

import (
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
	if got := KitPartPrices(1800, []Money{1000, 500}, []int{1, 2}); got[0] != 900 || got[1] != 450 {
		t.Errorf("split %v, want [9.00 4.50]", got)
	}
	if got := KitPartPrices(1000, []Money{100, 100}, []int{1, 3}); got[0] != 250 || got[1] != 250 {
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

// A refund of 12.00 for the same kit: CARD 6.00, PEN 6.00 in all. Whatever
// the amount and the parts, the shares add up to it and none is negative.
func TestKitPartSharesAddUp(t *testing.T) {
	if got := KitPartShares(1200, []Money{1000, 500}, []int{1, 2}); got[0] != 600 || got[1] != 600 {
		t.Errorf("shares %v, want [6.00 6.00]", got)
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "parts")
		prices := make([]Money, n)
		qty := make([]int, n)
		for i := range n {
			prices[i] = Money(rapid.Int64Range(0, 100_000).Draw(t, "price"))
			qty[i] = rapid.IntRange(1, 50).Draw(t, "qty")
		}
		amount := Money(rapid.Int64Range(0, 10_000_000).Draw(t, "amount"))
		shares := KitPartShares(amount, prices, qty)
		var sum Money
		for i, s := range shares {
			if s < 0 {
				t.Fatalf("part %d's share %s is negative", i, s)
			}
			sum += s
		}
		if sum != amount {
			t.Fatalf("shares %v add up to %s, not %s", shares, sum, amount)
		}
	})
}

// A kit's part lines add up to the price it was sold at. GIFT, 3 CARDs
// (4.00) and a PIN (10.00) at 19.00: the CARDs 19.00 × 12 ÷ 22 ÷ 3 = 3.45
// each, and PIN, once in the kit, the 8.65 left: 19.00. When the CARDs
// took what was left, 10.37 in 3 units of whole cents, the sale recorded
// 18.98 and the day's takings missed 2 cents a kit. Whatever
// the parts, when one comes once (the usual kit) the lines hold the price
// exactly; when every part comes several times the lines miss less than
// the smallest quantity in cents, and no price is negative.
func TestKitPartPricesAddUpToTheKitsPrice(t *testing.T) {
	if got := KitPartPrices(1900, []Money{400, 1000}, []int{3, 1}); got[0]*3+got[1] != 1900 {
		t.Fatalf("split %v adds up to %d, want 19.00", got, got[0]*3+got[1])
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "parts")
		prices := make([]Money, n)
		qty := make([]int, n)
		least := 1 << 30
		for i := range n {
			prices[i] = Money(rapid.Int64Range(0, 100_000).Draw(t, "price"))
			qty[i] = rapid.IntRange(1, 50).Draw(t, "qty")
			least = min(least, qty[i])
		}
		kit := Money(rapid.Int64Range(0, 10_000_000).Draw(t, "kit price"))
		unit := KitPartPrices(kit, prices, qty)
		var sum Money
		for i, u := range unit {
			if u < 0 {
				t.Fatalf("part %d's unit price %s is negative", i, u)
			}
			sum += u * Money(qty[i])
		}
		if least == 1 && sum != kit {
			t.Fatalf("lines %v × %v add up to %s, not the kit's %s", unit, qty, sum, kit)
		}
		if sum > kit || kit-sum >= Money(least) {
			t.Fatalf("lines %v × %v add up to %s, too far from the kit's %s", unit, qty, sum, kit)
		}
	})
}

// The largest amounts a shop records share without wrapping round: a kit
// of a CARD (4.00) and BIG (99,999,999,999.00) at 99,999,999,999.00 took
// 99,999,999,999.00 × 9,999,999,999,900 past what an int64 holds, and its
// sale was refused as "-2539.76 is not a valid price".
func TestKitSharesOfTheLargestAmounts(t *testing.T) {
	const big = Money(9_999_999_999_900)
	if got := KitPartPrices(big, []Money{400, big}, []int{1, 1}); got[0] < 0 || got[1] < 0 || got[0]+got[1] != big {
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
		for i, s := range KitPartShares(amount, prices, qty) {
			if s < 0 || s > amount {
				t.Fatalf("part %d's share %s of %s", i, s, amount)
			}
			sum += s
		}
		if sum != amount {
			t.Fatalf("shares add up to %s, not %s", sum, amount)
		}
		for i, u := range KitPartPrices(amount, prices, qty) {
			if u < 0 || u > amount {
				t.Fatalf("part %d's unit price %s of %s", i, u, amount)
			}
		}
	})
}
