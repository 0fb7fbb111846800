package domain_test

import (
	"strconv"
	"strings"
	"testing"

	"microshop/domain"
)

func TestSKUSettle(t *testing.T) {
	tests := []struct {
		name        string
		path        domain.SupplyPath
		factoryLead int
		o           domain.Overrides
		wantLead    int
		wantMin     int
		wantMax     int
	}{
		{"print follows factory lead 7", domain.PathPrint, 7, domain.Overrides{}, 7, 7, 14},
		{"print follows factory lead 10", domain.PathPrint, 10, domain.Overrides{}, 10, 14, 28},
		{"microfactory lead 14", domain.PathMicrofactory, 14, domain.Overrides{}, 14, 14, 28},
		{"microfactory lead 15", domain.PathMicrofactory, 15, domain.Overrides{}, 15, 28, 56},
		{"handmade", domain.PathHandmade, 21, domain.Overrides{}, 21, 7, 14},
		{"digital ignores factory lead", domain.PathDigital, 9, domain.Overrides{}, 0, 0, 0},
		// A SKU switched to digital keeps its overrides for a way back, but
		// a download has no lead time and no cover.
		{"digital ignores its overrides", domain.PathDigital, 9, domain.Overrides{LeadDays: new(4), MinCover: new(1), MaxCover: new(3)}, 0, 0, 0},
		{"lead override drives default cover", domain.PathPrint, 10, domain.Overrides{LeadDays: new(5)}, 5, 7, 14},
		{"lead override above threshold", domain.PathMicrofactory, 3, domain.Overrides{LeadDays: new(20)}, 20, 28, 56},
		{"lead override of zero", domain.PathPrint, 10, domain.Overrides{LeadDays: new(0)}, 0, 7, 14},
		{"min override doubles for max", domain.PathPrint, 7, domain.Overrides{MinCover: new(10)}, 7, 10, 20},
		{"max override only", domain.PathPrint, 7, domain.Overrides{MaxCover: new(30)}, 7, 7, 30},
		{"min and max overrides", domain.PathMicrofactory, 20, domain.Overrides{MinCover: new(10), MaxCover: new(12)}, 20, 10, 12},
		{"all overrides", domain.PathHandmade, 4, domain.Overrides{LeadDays: new(2), MinCover: new(3), MaxCover: new(5)}, 2, 3, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := domain.SKU{Code: "MUG-1", Name: "Mug", Path: tt.path}
			s.Settle(tt.o, tt.factoryLead)
			if s.LeadDays != tt.wantLead || s.MinCover != tt.wantMin || s.MaxCover != tt.wantMax {
				t.Errorf("after Settle lead/min/max = %d/%d/%d, want %d/%d/%d",
					s.LeadDays, s.MinCover, s.MaxCover, tt.wantLead, tt.wantMin, tt.wantMax)
			}
		})
	}
}

// Removing an override must bring the default back, not keep the old value.
func TestSKUSettleAgainDropsOldOverrides(t *testing.T) {
	s := domain.SKU{Code: "P-1", Name: "Print", Path: domain.PathPrint}
	s.Settle(domain.Overrides{LeadDays: new(3), MinCover: new(20), MaxCover: new(50)}, 10)
	s.Settle(domain.Overrides{}, 10)
	if got, want := [3]int{s.LeadDays, s.MinCover, s.MaxCover}, [3]int{10, 14, 28}; got != want {
		t.Errorf("lead/min/max = %v, want %v", got, want)
	}
}

func validSKU() domain.SKU {
	return domain.SKU{
		Code: "MUG-1", Name: "Blue mug", Path: domain.PathHandmade, FactoryID: "f1",
		Price: 2400, Cost: 800, LeadDays: 7, MinCover: 7, MaxCover: 14,
	}
}

func TestSKUValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*domain.SKU)
		wantErr []string // substrings of the message; nil means valid
	}{
		{"valid handmade", func(*domain.SKU) {}, nil},
		{"valid digital", func(s *domain.SKU) {
			s.Path, s.FactoryID, s.LeadDays, s.MinCover, s.MaxCover = domain.PathDigital, "", 0, 0, 0
		}, nil},
		{"max equals min", func(s *domain.SKU) { s.MaxCover = 7 }, nil},
		{"free item", func(s *domain.SKU) { s.Price, s.Cost = 0, 0 }, nil},
		{"digital with factory", func(s *domain.SKU) { s.Path = domain.PathDigital }, []string{"MUG-1", "digital", "factory"}},
		{"print without factory", func(s *domain.SKU) { s.Path, s.FactoryID = domain.PathPrint, "" }, []string{"MUG-1", "print", "needs a primary factory"}},
		{"microfactory without factory", func(s *domain.SKU) { s.Path, s.FactoryID = domain.PathMicrofactory, "" }, []string{"microfactory", "needs a primary factory"}},
		{"handmade without maker", func(s *domain.SKU) { s.FactoryID = "" }, []string{"handmade", "needs a primary factory"}},
		{"max below min", func(s *domain.SKU) { s.MinCover, s.MaxCover = 7, 5 }, []string{"maximum cover 5 days is below minimum cover 7 days", "at least 7"}},
		{"max one below min", func(s *domain.SKU) { s.MinCover, s.MaxCover = 7, 6 }, []string{"maximum cover 6 days is below minimum cover 7 days"}},
		{"unknown path", func(s *domain.SKU) { s.Path = "subscription" }, []string{`"subscription"`, "supply path"}},
		{"empty code", func(s *domain.SKU) { s.Code = "" }, []string{"SKU code is empty"}},
		{"code with space", func(s *domain.SKU) { s.Code = "MUG 1" }, []string{`"MUG 1"`, `' '`}},
		{"code with accent", func(s *domain.SKU) { s.Code = "CAFÉ" }, []string{`"CAFÉ"`, `'É'`}},
		{"code too long", func(s *domain.SKU) { s.Code = strings.Repeat("A", 41) }, []string{"too long", "at most 40"}},
		// A code of 10,000 characters was said back in full, a screenful.
		{"code far too long", func(s *domain.SKU) { s.Code = strings.Repeat("A", 10000) }, []string{"…", "10000 characters", "at most 40"}},
		{"blank name", func(s *domain.SKU) { s.Name = "  " }, []string{"SKU name is empty"}},
		{"name too long", func(s *domain.SKU) { s.Name = strings.Repeat("é", 121) }, []string{"121 characters long", "at most 120"}},
		{"negative lead", func(s *domain.SKU) { s.LeadDays = -1 }, []string{"-1", "lead time"}},
		{"lead over a year", func(s *domain.SKU) { s.LeadDays = 366 }, []string{"366", "lead time", "0 to 365"}},
		{"negative min cover", func(s *domain.SKU) { s.MinCover = -1 }, []string{"-1", "minimum cover"}},
		{"max cover over a year", func(s *domain.SKU) { s.MaxCover = 400 }, []string{"400", "maximum cover"}},
		{"negative price", func(s *domain.SKU) { s.Price = -1 }, []string{"-0.01", "price", "0.00 to"}},
		{"cost too large", func(s *domain.SKU) { s.Cost = 1_000_000_000_000_001 }, []string{"10000000000000.01", "cost", "0.00 to"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSKU()
			tt.edit(&s)
			err := s.Validate()
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			checkInvalid(t, err, tt.wantErr...)
		})
	}
}

func TestValidateCode(t *testing.T) {
	good := []string{"A", "mug-1", "MUG_1.v2/blue", "0123456789", strings.Repeat("x", 40)}
	for _, c := range good {
		t.Run("accept "+strconv.Quote(c), func(t *testing.T) {
			if err := domain.ValidateCode(c); err != nil {
				t.Errorf("ValidateCode(%q) = %v, want nil", c, err)
			}
		})
	}
	bad := []string{"", " ", "MUG 1", "MUG\t1", "mug#1", "mug,1", "ＡＢ", "ß", strings.Repeat("x", 41)}
	for _, c := range bad {
		t.Run("reject "+strconv.Quote(c), func(t *testing.T) {
			checkInvalid(t, domain.ValidateCode(c), "SKU code")
		})
	}
	// É is a letter, but not one a code takes: the refusal says which do.
	if err := domain.ValidateCode("CARD-ÉTÉ"); err == nil || !strings.Contains(err.Error(), "the letters A to Z") {
		t.Errorf("ValidateCode(CARD-ÉTÉ) = %v, want a refusal naming the letters A to Z", err)
	}
}

// A SKU shows its variant after its name, and a SKU without one (Shopify's
// Default Title included) its name alone.
func TestNameWithVariant(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []domain.VariantOption
		want string
	}{
		{"one option", []domain.VariantOption{{"Size", "Large"}}, "Mug (Large)"},
		{"two options", []domain.VariantOption{{"Size", "M"}, {"Colour", "Blue"}}, "Mug (M / Blue)"},
		{"none", nil, "Mug"},
		{"Shopify's default", []domain.VariantOption{{"Title", "Default Title"}}, "Mug"},
	} {
		sku := domain.SKU{Name: "Mug", Variant: domain.VariantText(tc.opts)}
		if got := sku.Shown(); got != tc.want {
			t.Errorf("%s: %q; want %q", tc.name, got, tc.want)
		}
	}
}
