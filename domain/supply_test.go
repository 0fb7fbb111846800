package domain_test

import (
	"strconv"
	"testing"

	"microshop/domain"
)

func TestDefaultCover(t *testing.T) {
	tests := []struct {
		name    string
		path    domain.SupplyPath
		lead    int
		wantMin int
		wantMax int
	}{
		{"print no lead", domain.PathPrint, 0, 7, 14},
		{"print lead 7", domain.PathPrint, 7, 7, 14},
		{"print lead 8", domain.PathPrint, 8, 14, 28},
		{"print lead 30", domain.PathPrint, 30, 14, 28},
		{"microfactory lead 1", domain.PathMicrofactory, 1, 14, 28},
		{"microfactory lead 14", domain.PathMicrofactory, 14, 14, 28},
		{"microfactory lead 15", domain.PathMicrofactory, 15, 28, 56},
		{"microfactory lead 60", domain.PathMicrofactory, 60, 28, 56},
		{"handmade lead 0", domain.PathHandmade, 0, 7, 14},
		{"handmade lead 7", domain.PathHandmade, 7, 7, 14},
		{"handmade lead 30", domain.PathHandmade, 30, 7, 14},
		{"digital", domain.PathDigital, 0, 0, 0},
		{"digital with a lead", domain.PathDigital, 20, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotMin, gotMax := domain.DefaultCover(tt.path, tt.lead)
			if gotMin != tt.wantMin || gotMax != tt.wantMax {
				t.Errorf("DefaultCover(%s, %d) = %d/%d, want %d/%d", tt.path, tt.lead, gotMin, gotMax, tt.wantMin, tt.wantMax)
			}
		})
	}
}

func TestParseSupplyPath(t *testing.T) {
	for _, p := range []domain.SupplyPath{domain.PathDigital, domain.PathPrint, domain.PathMicrofactory, domain.PathHandmade} {
		t.Run(string(p), func(t *testing.T) {
			got, err := domain.ParseSupplyPath(string(p))
			if err != nil {
				t.Fatalf("ParseSupplyPath(%q) error = %v", p, err)
			}
			if got != p {
				t.Errorf("ParseSupplyPath(%q) = %q, want %q", p, got, p)
			}
		})
	}
	for _, in := range []string{"", "Print", "subscription", " print"} {
		t.Run("reject "+strconv.Quote(in), func(t *testing.T) {
			_, err := domain.ParseSupplyPath(in)
			checkInvalid(t, err, strconv.Quote(in), "digital, print, microfactory or handmade")
		})
	}
}

func TestSupplyPathNeedsFactory(t *testing.T) {
	tests := []struct {
		path domain.SupplyPath
		want bool
	}{
		{domain.PathDigital, false},
		{domain.PathPrint, true},
		{domain.PathMicrofactory, true},
		{domain.PathHandmade, true},
	}
	for _, tt := range tests {
		if got := tt.path.NeedsFactory(); got != tt.want {
			t.Errorf("%s.NeedsFactory() = %v, want %v", tt.path, got, tt.want)
		}
	}
}
