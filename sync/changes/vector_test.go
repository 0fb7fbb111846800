package changes_test

import (
	"slices"
	"testing"

	"microshop/sync/changes"
)

func TestVectorHas(t *testing.T) {
	v := changes.Vector{"a": 5, "b": 1}
	tests := []struct {
		name   string
		v      changes.Vector
		origin string
		seq    int64
		want   bool
	}{
		{"below", v, "a", 3, true},
		{"at", v, "a", 5, true},
		{"just above", v, "a", 6, false},
		{"first of an origin", v, "b", 1, true},
		{"unknown origin", v, "c", 1, false},
		{"nil vector", nil, "a", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.Has(tt.origin, tt.seq); got != tt.want {
				t.Errorf("%v.Has(%q, %d) = %v, want %v", tt.v, tt.origin, tt.seq, got, tt.want)
			}
		})
	}
}

func TestVectorCovers(t *testing.T) {
	tests := []struct {
		name string
		v, o changes.Vector
		want bool
	}{
		{"both empty", changes.Vector{}, changes.Vector{}, true},
		{"both nil", nil, nil, true},
		{"nil covers empty", nil, changes.Vector{}, true},
		{"anything covers nil", changes.Vector{"a": 1}, nil, true},
		{"equal", changes.Vector{"a": 3, "b": 2}, changes.Vector{"a": 3, "b": 2}, true},
		{"ahead on every origin", changes.Vector{"a": 4, "b": 9}, changes.Vector{"a": 3, "b": 2}, true},
		{"superset of origins", changes.Vector{"a": 3, "b": 2}, changes.Vector{"a": 3}, true},
		{"behind on one origin", changes.Vector{"a": 3, "b": 1}, changes.Vector{"a": 3, "b": 2}, false},
		{"missing an origin", changes.Vector{"a": 3}, changes.Vector{"a": 3, "b": 1}, false},
		{"empty misses everything", changes.Vector{}, changes.Vector{"a": 1}, false},
		{"zero entry asks for nothing", changes.Vector{"a": 1}, changes.Vector{"a": 1, "b": 0}, true},
		{"concurrent", changes.Vector{"a": 5, "b": 1}, changes.Vector{"a": 1, "b": 5}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.Covers(tt.o); got != tt.want {
				t.Errorf("%v.Covers(%v) = %v, want %v", tt.v, tt.o, got, tt.want)
			}
		})
	}
}

func TestVectorClone(t *testing.T) {
	tests := []struct {
		name string
		v    changes.Vector
	}{
		{"nil", nil},
		{"empty", changes.Vector{}},
		{"some", changes.Vector{"a": 3, "b": 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.v.Clone()
			if c == nil {
				t.Fatalf("Clone() = nil, want a usable map")
			}
			if !c.Covers(tt.v) || !tt.v.Covers(c) || len(c) != len(tt.v) {
				t.Errorf("Clone() = %v, want %v", c, tt.v)
			}
			c["a"] = 100
			c["new"] = 1
			if tt.v["a"] == 100 || tt.v.Has("new", 1) {
				t.Errorf("changing the clone changed the original: %v", tt.v)
			}
		})
	}
}

func TestVectorOriginsAndTotal(t *testing.T) {
	tests := []struct {
		name        string
		v           changes.Vector
		wantOrigins []string
		wantTotal   int64
	}{
		{"nil", nil, []string{}, 0},
		{"one", changes.Vector{"a": 4}, []string{"a"}, 4},
		{"several sorted", changes.Vector{"c": 1, "a": 10, "b": 5}, []string{"a", "b", "c"}, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.Origins(); !slices.Equal(got, tt.wantOrigins) {
				t.Errorf("Origins() = %q, want %q", got, tt.wantOrigins)
			}
			if got := tt.v.Total(); got != tt.wantTotal {
				t.Errorf("Total() = %d, want %d", got, tt.wantTotal)
			}
		})
	}
}
