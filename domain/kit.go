package domain

import (
	"encoding/json"
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

// KitRun is units of one part of a kit at one unit price and discount.
// A part whose share of the kit's price its units cannot split evenly in
// the currency's smallest units is two or three runs, one smallest unit
// apart (KitRuns).
type KitRun struct {
	Part  int   // the part's place in the kit
	Qty   int   // units of the part in one kit
	Price Money // each unit's, after the discount
	Off   Money // taken off each unit
}

// KitRuns shares a kit's unit price and the discount taken off it among
// its parts in proportion to their list prices × quantities (by quantity
// when all are free), in whole smallest units of the currency, as an
// order's discount is shared among its lines (ShareByValue): the runs of
// one kit come to price and off exactly. Within a part, every unit takes
// the same share rounded down, and the smallest units left over go one
// each to as many of its units: 3 mugs at 50.00 are 1 at 16.66 and 2 at
// 16.67. The runs come part by part, each part's evenly shared units
// first. price and off must not be negative.
func KitRuns(price, off Money, listPrices []Money, qty []int, currency string) []KitRun {
	prices := ShareByValue(price, listPrices, qty, currency)
	offs := ShareByValue(off, listPrices, qty, currency)
	unit := smallestUnit(currency)
	out := make([]KitRun, 0, len(qty))
	for i, q := range qty {
		each, dearer := evenly(prices[i], q, unit)
		eachOff, moreOff := evenly(offs[i], q, unit)
		both := min(dearer, moreOff)
		for _, r := range []KitRun{
			{i, q - max(dearer, moreOff), each, eachOff},
			{i, both, each + unit, eachOff + unit},
			{i, dearer - both, each + unit, eachOff},
			{i, moreOff - both, each, eachOff + unit},
		} {
			if r.Qty > 0 {
				out = append(out, r)
			}
		}
	}
	return out
}

// evenly splits amount over qty units in whole units of unit: each unit's
// share, rounded down, and how many units take one unit more.
func evenly(amount Money, qty int, unit Money) (each Money, more int) {
	units := amount / unit
	return units / Money(qty) * unit, int(units % Money(qty))
}

// KitPartValues are what one unit of each part of a kit is worth at the
// kit's price: its share of the price (KitRuns) over its units, rounded
// down to the currency's smallest unit.
func KitPartValues(price Money, listPrices []Money, qty []int, currency string) []Money {
	shares := ShareByValue(price, listPrices, qty, currency)
	unit := smallestUnit(currency)
	for i := range shares {
		shares[i], _ = evenly(shares[i], qty[i], unit)
	}
	return shares
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
