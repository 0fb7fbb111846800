package domain_test

import (
	"strconv"
	"strings"
	"testing"

	"microshop/domain"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		want       domain.Money
		wantString string
	}{
		{"whole", "24", 2400, "24.00"},
		{"one decimal", "24.5", 2450, "24.50"},
		{"two decimals", "24.00", 2400, "24.00"},
		{"cents only", "0.05", 5, "0.05"},
		{"leading dot", ".5", 50, "0.50"},
		{"zero", "0", 0, "0.00"},
		{"leading zeros", "007.10", 710, "7.10"},
		{"surrounding space", " 7.25 ", 725, "7.25"},
		{"largest accepted", "9999999999999.99", 999999999999999, "9999999999999.99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseMoney(tt.in)
			if err != nil {
				t.Fatalf("ParseMoney(%q) error = %v, want nil", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseMoney(%q) = %d, want %d", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.wantString {
				t.Errorf("ParseMoney(%q).String() = %q, want %q", tt.in, s, tt.wantString)
			}
		})
	}
}

func TestParseMoneyRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"three decimals", "1.234"},
		{"negative", "-1"},
		{"plus sign", "+1"},
		{"letters", "abc"},
		{"empty", ""},
		{"blank", "   "},
		{"exponent", "1e3"},
		{"decimal comma", "1,50"},
		{"thousands separator", "1,000.00"},
		{"trailing dot", "1."},
		{"lone dot", "."},
		{"two dots", "1.2.3"},
		{"hex", "0x10"},
		{"currency symbol", "€5"},
		{"non-ASCII digit", "٣"},
		{"inner space", "1 000"},
		{"too many digits", "10000000000000"},
		{"far too large", "99999999999999999999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseMoney(tt.in)
			if err == nil {
				t.Fatalf("ParseMoney(%q) = %d, nil; want an error", tt.in, got)
			}
			checkInvalid(t, err, strconv.Quote(tt.in))
		})
	}
}

func TestMoneyString(t *testing.T) {
	tests := []struct {
		name string
		in   domain.Money
		want string
	}{
		{"zero", 0, "0.00"},
		{"one cent", 1, "0.01"},
		{"ten cents", 10, "0.10"},
		{"whole", 2400, "24.00"},
		{"mixed", 123456, "1234.56"},
		{"negative", -150, "-1.50"},
		{"negative cent", -5, "-0.05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("Money(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
			}
		})
	}
}

func TestMoneyRoundTrip(t *testing.T) {
	for _, m := range []domain.Money{0, 1, 9, 10, 99, 100, 101, 2450, 999999, 999999999999999} {
		t.Run(m.String(), func(t *testing.T) {
			got, err := domain.ParseMoney(m.String())
			if err != nil {
				t.Fatalf("ParseMoney(%q) error = %v", m.String(), err)
			}
			if got != m {
				t.Errorf("ParseMoney(%q) = %d, want %d", m.String(), got, m)
			}
		})
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"24", "24.5", "0.05", ".5", "1.234", "-1", "1e3", "1,50", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := domain.ParseMoney(s)
		if err != nil {
			if domain.ErrorCode(err) != domain.EInvalid {
				t.Fatalf("ParseMoney(%q) error code = %q, want %q", s, domain.ErrorCode(err), domain.EInvalid)
			}
			return
		}
		if m < 0 {
			t.Fatalf("ParseMoney(%q) = %d, want a non-negative amount", s, m)
		}
		back, err := domain.ParseMoney(m.String())
		if err != nil || back != m {
			t.Fatalf("ParseMoney(%q) = %d, but ParseMoney(%q) = %d, %v", s, m, m.String(), back, err)
		}
	})
}

func TestCheckCurrency(t *testing.T) {
	tests := []struct {
		name     string
		amount   string
		currency string
		ok       bool
	}{
		{"yen, whole", "15", "JPY", true},
		{"yen, .00", "15.00", "JPY", true},
		{"yen with sen", "15.50", "JPY", false},
		{"won with a fraction", "0.01", "KRW", false},
		{"euro cents", "15.50", "EUR", true},
		{"a currency this build does not list", "15.50", "XYZ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := domain.ParseMoney(tt.amount)
			if err != nil {
				t.Fatal(err)
			}
			err = m.CheckCurrency(tt.currency)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckCurrency(%s %s) = %v, want ok %v", tt.amount, tt.currency, err, tt.ok)
			}
			if err != nil && (domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), tt.currency)) {
				t.Errorf("refusal %v does not name the currency", err)
			}
		})
	}
	m, _ := domain.ParseMoney("1234.50")
	if msg := domain.ErrorMessage(m.CheckCurrency("JPY")); !strings.Contains(msg, "1234.50") || !strings.Contains(msg, "like 1234") {
		t.Errorf("refusal %q, want it to name 1234.50 and suggest 1234", msg)
	}
}
