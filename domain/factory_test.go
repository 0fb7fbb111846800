package domain_test

import (
	"strconv"
	"strings"
	"testing"

	"microshop/domain"
)

func TestFactoryIsNew(t *testing.T) {
	tests := []struct {
		name        string
		established bool
		passed      int
		want        bool
	}{
		{"no batches passed", false, 0, true},
		{"two passed", false, 2, true},
		{"three passed", false, 3, false},
		{"many passed", false, 10, false},
		{"established from the start", true, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := domain.Factory{Established: tt.established}
			if got := f.IsNew(tt.passed); got != tt.want {
				t.Errorf("IsNew(%d) = %v, want %v", tt.passed, got, tt.want)
			}
		})
	}
}

func validFactory() domain.Factory {
	return domain.Factory{
		ID: "f1", Name: "Riso Studio", Kind: domain.KindPrint, Location: domain.LocationLocal,
		LeadDays: 7, MOQ: 0, Multiple: 1,
	}
}

func TestFactoryValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*domain.Factory)
		wantErr []string
	}{
		{"valid", func(*domain.Factory) {}, nil},
		{"overseas microfactory with MOQ and multiple", func(f *domain.Factory) {
			f.Kind, f.Location, f.LeadDays, f.MOQ, f.Multiple = domain.KindMicrofactory, domain.LocationOverseas, 45, 100, 25
		}, nil},
		{"own workshop with no lead", func(f *domain.Factory) { f.Kind, f.LeadDays = domain.KindWorkshop, 0 }, nil},
		{"lead a full year", func(f *domain.Factory) { f.LeadDays = 365 }, nil},
		{"blank name", func(f *domain.Factory) { f.Name = "" }, []string{"factory name is empty"}},
		{"unknown kind", func(f *domain.Factory) { f.Kind = "factory" }, []string{`"factory"`, "print, microfactory or workshop"}},
		{"unknown location", func(f *domain.Factory) { f.Location = "abroad" }, []string{`"abroad"`, "local or overseas"}},
		{"negative lead", func(f *domain.Factory) { f.LeadDays = -2 }, []string{"-2", "lead time"}},
		{"lead over a year", func(f *domain.Factory) { f.LeadDays = 366 }, []string{"366", "lead time"}},
		{"negative MOQ", func(f *domain.Factory) { f.MOQ = -1 }, []string{"-1", "minimum order"}},
		{"MOQ too large", func(f *domain.Factory) { f.MOQ = domain.MaxQty + 1 }, []string{"1000001", "minimum order"}},
		{"multiple zero", func(f *domain.Factory) { f.Multiple = 0 }, []string{"0 is not a batch multiple"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validFactory()
			tt.edit(&f)
			err := f.Validate()
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

func TestParseFactoryKindAndLocation(t *testing.T) {
	for _, k := range domain.FactoryKinds {
		if got, err := domain.ParseFactoryKind(string(k)); err != nil || got != k {
			t.Errorf("ParseFactoryKind(%q) = %q, %v; want %q, nil", k, got, err, k)
		}
	}
	for _, l := range domain.Locations {
		if got, err := domain.ParseLocation(string(l)); err != nil || got != l {
			t.Errorf("ParseLocation(%q) = %q, %v; want %q, nil", l, got, err, l)
		}
	}
	for _, in := range []string{"", "Print", "handmade"} {
		_, err := domain.ParseFactoryKind(in)
		checkInvalid(t, err, strconv.Quote(in))
	}
	for _, in := range []string{"", "Local", "remote"} {
		_, err := domain.ParseLocation(in)
		checkInvalid(t, err, strconv.Quote(in))
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"one character", "A", false},
		{"120 characters", strings.Repeat("a", 120), false},
		{"120 runes of 2 bytes", strings.Repeat("é", 120), false},
		{"empty", "", true},
		{"spaces only", "   ", true},
		{"121 characters", strings.Repeat("a", 121), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.ValidateName("shop name", tt.in)
			if !tt.wantErr {
				if err != nil {
					t.Errorf("ValidateName(%q) = %v, want nil", tt.in, err)
				}
				return
			}
			checkInvalid(t, err, "shop name")
		})
	}
}

func TestValidateDaysAndQty(t *testing.T) {
	days := []struct {
		n       int
		wantErr bool
	}{{-1, true}, {0, false}, {365, false}, {366, true}}
	for _, tt := range days {
		err := domain.ValidateDays("lead time", tt.n)
		if got := err != nil; got != tt.wantErr {
			t.Errorf("ValidateDays(%d) error = %v, want error %v", tt.n, err, tt.wantErr)
		}
		if err != nil {
			checkInvalid(t, err, strconv.Itoa(tt.n), "lead time")
		}
	}
	qty := []struct {
		n       int
		wantErr bool
	}{{-5, true}, {0, true}, {1, false}, {domain.MaxQty, false}, {domain.MaxQty + 1, true}}
	for _, tt := range qty {
		err := domain.ValidateQty(tt.n)
		if got := err != nil; got != tt.wantErr {
			t.Errorf("ValidateQty(%d) error = %v, want error %v", tt.n, err, tt.wantErr)
		}
		if err != nil {
			checkInvalid(t, err, strconv.Itoa(tt.n))
		}
	}
}

func TestOrderWarnings(t *testing.T) {
	f := domain.Factory{Name: "Pin Factory", MOQ: 100, Multiple: 50}
	tests := []struct {
		name string
		f    domain.Factory
		qty  int
		want []string // one substring per warning, in order
	}{
		{"at the minimum and on the multiple", f, 100, nil},
		{"above, on the multiple", f, 250, nil},
		{"below the minimum, on the multiple", f, 50, []string{"50 units is below Pin Factory's minimum order of 100"}},
		{"off the multiple", f, 120, []string{"120 units is not a multiple of Pin Factory's batch multiple of 50; the nearest are 100 and 150"}},
		{"below the minimum and off the multiple", f, 30, []string{"minimum order of 100", "the nearest is 50"}},
		{"one unit, below the minimum and off the multiple", f, 1, []string{"1 unit is below Pin Factory's minimum order of 100", "1 unit is not a multiple"}},
		{"no terms", domain.Factory{Name: "Workshop", Multiple: 1}, 7, nil},
		{"multiple of 0 from an old record", domain.Factory{Name: "Old", Multiple: 0}, 7, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.f.OrderWarnings(tt.qty)
			if len(got) != len(tt.want) {
				t.Fatalf("OrderWarnings(%d) = %q, want %d warnings", tt.qty, got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}
