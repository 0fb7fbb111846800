package domain

import (
	"cmp"
	"math/big"
	"slices"
)

// LineRun is units of a sale line at one unit price: a line whose
// discount its units do not share evenly is two runs (LineRuns).
type LineRun struct {
	Qty   int
	Price Money // each unit's, after the discount
	Off   Money // taken off each unit
}

// LineRuns takes off, the discount of a whole line of qty units at
// price, off its units in whole smallest units of the currency, so the
// line comes to exactly qty × price − off: every unit takes the same
// share, and the odd units of the currency left over go one each to the
// last units, one run one smallest unit cheaper. 3 × 3.67 with 0.01 off
// is 2 at 3.67 and 1 at 3.66, 11.00. off must be from 0 to the line's
// total, in whole smallest units.
func LineRuns(price Money, qty int, off Money, currency string) []LineRun {
	unit := smallestUnit(currency)
	units := off / unit
	each, odd := units/Money(qty)*unit, int(units%Money(qty))
	first := LineRun{Qty: qty - odd, Price: price - each, Off: each}
	if odd == 0 {
		return []LineRun{first}
	}
	return []LineRun{first, {Qty: odd, Price: first.Price - unit, Off: first.Off + unit}}
}

// ShareByValue shares amount, a discount given to a whole order, among
// its lines in proportion to what each comes to (price × qty; by quantity
// when every line is free), in whole smallest units of the currency: each
// takes its exact share rounded down, and the units rounding leaves go one
// each to the lines it shortened most (the earlier first on a tie). The
// shares add up to amount exactly, and none is more than its line comes
// to. amount must be from 0 to what the lines come to in all.
func ShareByValue(amount Money, prices []Money, qty []int, currency string) []Money {
	unit := smallestUnit(currency)
	weights, sum := make([]*big.Int, len(prices)), new(big.Int)
	for i := range prices {
		weights[i] = new(big.Int).Mul(big.NewInt(int64(prices[i])), big.NewInt(int64(qty[i])))
		sum.Add(sum, weights[i])
	}
	if sum.Sign() == 0 {
		for i := range weights {
			weights[i].SetInt64(int64(qty[i]))
			sum.Add(sum, weights[i])
		}
	}
	units := big.NewInt(int64(amount / unit))
	shares := make([]Money, len(weights))
	rems := make([]*big.Int, len(weights))
	left := amount / unit
	for i, w := range weights {
		q, r := new(big.Int).QuoRem(new(big.Int).Mul(units, w), sum, new(big.Int))
		shares[i], rems[i] = Money(q.Int64()), r
		left -= shares[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(0, rems[a].Cmp(rems[b])) })
	for _, i := range order[:left] {
		shares[i]++
	}
	for i := range shares {
		shares[i] *= unit
	}
	return shares
}
