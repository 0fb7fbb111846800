package domain

import "strings"

// SupplyPath is how a SKU is made or bought: every SKU has exactly one.
type SupplyPath string

const (
	PathDigital      SupplyPath = "digital"
	PathPrint        SupplyPath = "print"
	PathMicrofactory SupplyPath = "microfactory"
	PathHandmade     SupplyPath = "handmade"
)

// SupplyPaths lists every supply path in the order they are offered.
var SupplyPaths = []SupplyPath{PathDigital, PathPrint, PathMicrofactory, PathHandmade}

// ParseSupplyPath accepts one of the four supply paths.
func ParseSupplyPath(s string) (SupplyPath, error) {
	for _, p := range SupplyPaths {
		if string(p) == s {
			return p, nil
		}
	}
	return "", Errorf(EInvalid, "%q is not a supply path; use one of %s", s, joinStrings(SupplyPaths))
}

// NeedsFactory reports whether SKUs on this path need a primary factory or
// maker. Digital products have none, nor do kits: their parts do.
func (p SupplyPath) NeedsFactory() bool { return p != PathDigital && p != PathKit }

// DefaultCover returns the default minimum and maximum (order-up-to) days of
// cover for a supply path and lead time: print 7 days (14 when the lead time
// is over 7), microfactory 14 (28 when the lead time is over 14), handmade 7,
// digital 0 because it never runs out. The maximum is twice the minimum.
func DefaultCover(p SupplyPath, leadDays int) (minDays, maxDays int) {
	switch p {
	case PathPrint:
		minDays = 7
		if leadDays > 7 {
			minDays = 14
		}
	case PathMicrofactory:
		minDays = 14
		if leadDays > 14 {
			minDays = 28
		}
	case PathHandmade:
		minDays = 7
	}
	return minDays, 2 * minDays
}

func joinStrings[S ~string](items []S) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = string(it)
	}
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}
