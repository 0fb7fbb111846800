package changes

import (
	"maps"
	"slices"
)

// Vector maps each origin device to the highest sequence applied with no gap
// below it.
type Vector map[string]int64

// Has reports whether the change (origin, seq) is covered by the vector.
func (v Vector) Has(origin string, seq int64) bool { return seq <= v[origin] }

// Covers reports whether v holds everything o holds.
func (v Vector) Covers(o Vector) bool {
	for origin, seq := range o {
		if v[origin] < seq {
			return false
		}
	}
	return true
}

// Clone returns an independent copy.
func (v Vector) Clone() Vector {
	if v == nil {
		return Vector{}
	}
	return maps.Clone(v)
}

// Origins returns the vector's origins in sorted order.
func (v Vector) Origins() []string { return slices.Sorted(maps.Keys(v)) }

// Total is the number of changes the vector covers.
func (v Vector) Total() int64 {
	var n int64
	for _, s := range v {
		n += s
	}
	return n
}
