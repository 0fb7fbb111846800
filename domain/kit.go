package domain

import (
	"encoding/json"
	"math/big"
)

// PathKit is the path of a kit: a SKU made of other SKUs, each with a path
// of its own (DESIGN.md section 9). It is not offered among SupplyPaths:
// a kit is made from its parts, not added as a plain SKU.
const PathKit SupplyPath = "kit"

// MaxKitParts bounds a kit's parts: a bundle a buyer can hold.
const MaxKitParts = 20

// KitPart is one part of a kit: a SKU and how many of it one kit holds.
type KitPart struct {
	SKUID string `json:"sku_id"`
	Qty   int    `json:"qty"`
}

// ParseStoredPath accepts a supply path as records carry it: one of
// SupplyPaths, or kit.
func ParseStoredPath(s string) (SupplyPath, error) {
	if s == string(PathKit) {
		return PathKit, nil
	}
	return ParseSupplyPath(s)
}

// ValidateKitParts checks a kit's parts as a list: 1 to MaxKitParts, each
// a SKU once with a quantity of at least 1.
func ValidateKitParts(parts []KitPart) error {
	if len(parts) == 0 || len(parts) > MaxKitParts {
		return Errorf(EInvalid, "a kit has %d parts; give 1 to %d parts", len(parts), MaxKitParts)
	}
	seen := map[string]bool{}
	for _, p := range parts {
		if err := ValidateID("part", p.SKUID); err != nil {
			return err
		}
		if p.Qty < 1 || p.Qty > MaxQty {
			return Errorf(EInvalid, "%d is not a part quantity; use a whole number from 1 to %d", p.Qty, MaxQty)
		}
		if seen[p.SKUID] {
			return Errorf(EInvalid, "a kit names the same part twice; give each part once with its quantity")
		}
		seen[p.SKUID] = true
	}
	return nil
}

// DecodeKitParts reads a kit's parts as stored; ok is false for anything
// that is not a valid list.
func DecodeKitParts(s string) ([]KitPart, error) {
	var parts []KitPart
	if err := json.Unmarshal([]byte(s), &parts); err != nil {
		return nil, Errorf(EInvalid, "the kit's parts are not a list of parts")
	}
	return parts, ValidateKitParts(parts)
}

// EncodeKitParts is the stored form of a kit's parts.
func EncodeKitParts(parts []KitPart) string {
	b, _ := json.Marshal(parts)
	return string(b)
}

// KitAvailable is how many whole kits the parts make: the minimum over
// parts of ⌊available ÷ quantity⌋. An oversold part makes it negative.
func KitAvailable(available []int, qty []int) int {
	out := 0
	for i := range available {
		n := floorDiv(available[i], qty[i])
		if i == 0 || n < out {
			out = n
		}
	}
	return out
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// statusRank orders statuses from worst to best for a kit.
var statusRank = map[Status]int{StatusOversold: 0, StatusStockout: 1, StatusReorder: 2, StatusLow: 3, StatusOK: 4, StatusDigital: 5}

// KitStatus is the worst of its parts' statuses: oversold, stockout,
// reorder, low, ok, in that order (a digital part never holds it back).
func KitStatus(parts []Status) Status {
	worst := StatusDigital
	for _, s := range parts {
		if statusRank[s] < statusRank[worst] {
			worst = s
		}
	}
	if worst == StatusDigital {
		return StatusOK
	}
	return worst
}

// KitPartPrices shares a kit's unit price among its parts in proportion to
// their list prices × quantities (by quantity when all are free): the unit
// price each part's sale line is recorded at, in whole cents. The part that
// comes fewest times takes what rounding leaves, so a kit with a part that
// comes once (most kits) has lines that add up to its price exactly; when
// every part comes several times, the lines may miss a few cents, fewer
// than that part's quantity.
func KitPartPrices(kitPrice Money, listPrices []Money, qty []int) []Money {
	w := newKitWeights(listPrices, qty)
	out := make([]Money, len(qty))
	rest, fewest := kitPrice, 0
	for i := range qty {
		if qty[i] < qty[fewest] {
			fewest = i
		}
	}
	for i := range qty {
		if i != fewest {
			out[i] = w.share(kitPrice, i) / Money(qty[i])
			rest -= out[i] * Money(qty[i])
		}
	}
	out[fewest] = max(rest, 0) / Money(qty[fewest])
	return out
}

// KitPartShares shares an amount paid for a whole kit, such as a refund,
// among its parts as KitPartPrices shares its price: in proportion to
// their list prices × quantities, the first part taking what rounding
// leaves, so the shares add up to the amount exactly.
func KitPartShares(amount Money, listPrices []Money, qty []int) []Money {
	w := newKitWeights(listPrices, qty)
	out := make([]Money, len(qty))
	out[0] = amount
	for i := 1; i < len(qty); i++ {
		out[i] = w.share(amount, i)
		out[0] -= out[i]
	}
	return out
}

// kitWeights are the parts' list prices × quantities, or their quantities
// when all are free, and their sum, in big integers: the largest price a
// shop records times a million units, times an amount to share, goes past
// what an int64 holds (a kit of a 99999999999.00 part sold at -2539.76).
type kitWeights struct {
	each []*big.Int
	sum  *big.Int
}

func newKitWeights(listPrices []Money, qty []int) kitWeights {
	w := kitWeights{each: make([]*big.Int, len(listPrices)), sum: new(big.Int)}
	for i := range listPrices {
		w.each[i] = new(big.Int).Mul(big.NewInt(int64(listPrices[i])), big.NewInt(int64(qty[i])))
		w.sum.Add(w.sum, w.each[i])
	}
	if w.sum.Sign() == 0 {
		for i := range qty {
			w.each[i].SetInt64(int64(qty[i]))
			w.sum.Add(w.sum, w.each[i])
		}
	}
	return w
}

// share is part i's share of amount, rounded down: no more than amount,
// as its weight is no more than the sum.
func (w kitWeights) share(amount Money, i int) Money {
	x := new(big.Int).Mul(big.NewInt(int64(amount)), w.each[i])
	return Money(x.Quo(x, w.sum).Int64())
}

// BundlePrice is a bundle's price: the sum of its parts' prices ×
// quantities less 10 %, rounded half up to the currency's smallest unit (a cent, a whole yen).
func BundlePrice(prices []Money, qty []int, currency string) Money {
	var sum Money
	for i := range prices {
		sum += prices[i] * Money(qty[i])
	}
	unit := smallestUnit(currency)
	return (sum*90 + 50*unit) / (100 * unit) * unit
}
