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

// People read an amount with the currency's own decimals: none in yen or
// won, two in euros and dollars, always with a point.
func TestMoneyFormat(t *testing.T) {
	tests := []struct {
		name     string
		in       domain.Money
		currency string
		want     string
	}{
		{"yen", 150000, "JPY", "1500"},
		{"no yen", 0, "JPY", "0"},
		{"won", 1250000, "KRW", "12500"},
		{"Icelandic krona, a comma currency", 99000, "ISK", "990"},
		{"CFA franc", 50000, "XOF", "500"},
		{"a yen average with hundredths, rounded down", 123449, "JPY", "1234"},
		{"a yen average at a half, rounded up", 123450, "JPY", "1235"},
		{"below zero in yen", -150050, "JPY", "-1501"},
		{"less than half a yen below zero", -40, "JPY", "0"},
		{"euro", 2400, "EUR", "24.00"},
		{"euro cents, with a point", 950, "EUR", "9.50"},
		{"dollar", 123456, "USD", "1234.56"},
		{"pound below zero", -5, "GBP", "-0.05"},
		{"a currency this build does not list", 1550, "XYZ", "15.50"},
		{"no currency", 1550, "", "15.50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.Format(tt.currency); got != tt.want {
				t.Errorf("Money(%d).Format(%q) = %q, want %q", int64(tt.in), tt.currency, got, tt.want)
			}
		})
	}
}

// An example of what to type reads like a price in the currency: 2400
// yen, not 24.
func TestMoneyExample(t *testing.T) {
	for _, tt := range []struct {
		in             domain.Money
		currency, want string
	}{
		{2400, "JPY", "2400"}, {950, "KRW", "950"}, {2400, "EUR", "24.00"}, {180, "USD", "1.80"},
	} {
		if got := tt.in.Example(tt.currency); got != tt.want {
			t.Errorf("Money(%d).Example(%q) = %q, want %q", int64(tt.in), tt.currency, got, tt.want)
		}
		if m, err := domain.ParseMoneyIn(tt.in.Example(tt.currency), tt.currency); err != nil || m.CheckCurrency(tt.currency) != nil {
			t.Errorf("the example %q is refused in %s: %v", tt.in.Example(tt.currency), tt.currency, err)
		}
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

// A shop's own way of writing amounts: 9,50 in a euro shop, where a comma
// is the decimal separator; never a guessed thousands separator.
func TestParseMoneyIn(t *testing.T) {
	tests := []struct {
		name, in, currency string
		want               domain.Money
	}{
		{"euro with a comma", "9,50", "EUR", 950},
		{"euro with one decimal", "9,5", "EUR", 950},
		{"euro with a point", "9.50", "EUR", 950},
		{"euro, cents only", ",50", "EUR", 50},
		{"krona with a comma", "120,00", "SEK", 12000},
		{"zloty, whole", "35", "PLN", 3500},
		{"dollar with a point", "9.50", "USD", 950},
		{"before the currency is known", "9,50", "", 950},
		{"spaces around", " 9,50 ", "EUR", 950},
		{"yen, whole", "1500", "JPY", 150000},
		{"yen with .00", "1500.00", "JPY", 150000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseMoneyIn(tt.in, tt.currency)
			if err != nil || got != tt.want {
				t.Fatalf("ParseMoneyIn(%q, %q) = %d, %v; want %d", tt.in, tt.currency, got, err, tt.want)
			}
		})
	}
}

func TestParseMoneyInRefuses(t *testing.T) {
	tests := []struct {
		name, in, currency string
		want               []string // in the sentence, besides the value as typed
	}{
		{"a thousand with a comma, in euros", "1,000", "EUR", []string{"ambiguous", "1000", "thousands separators are not accepted"}},
		{"a thousand with a point, in euros", "1.000", "EUR", []string{"ambiguous", "1000"}},
		{"a thousand with a comma, in dollars", "1,000", "USD", []string{"thousands separators are not accepted", "type 1000"}},
		{"a thousand before the currency is known", "1,000", "", []string{"ambiguous"}},
		{"German thousands and decimals", "1.000,50", "EUR", []string{"thousands separators are not accepted"}},
		{"English thousands and decimals", "1,000.50", "USD", []string{"thousands separators are not accepted"}},
		{"a decimal comma in dollars", "9,50", "USD", []string{"USD", "decimal point", "type 9.50"}},
		{"a decimal comma in pounds", "9,50", "GBP", []string{"GBP", "type 9.50"}},
		{"a decimal comma in Swiss francs", "9,50", "CHF", []string{"CHF", "type 9.50"}},
		{"three decimals after a comma", "0,125", "EUR", []string{"at most two decimals"}},
		{"two commas", "1,2,3", "EUR", []string{"thousands separators"}},
		{"a lone comma", ",", "EUR", []string{"24,00 or 24.00"}},
		{"a trailing comma", "9,", "EUR", nil},
		{"words", "nine", "EUR", nil},
		{"negative", "-9,50", "EUR", nil},
		{"words, in yen", "nine", "JPY", []string{"whole number like 2400"}},
		{"three decimals, in yen", "15.555", "JPY", []string{"whole number like 2400"}},
		{"a thousand with a comma, in yen", "1,500", "JPY", []string{"thousands separators are not accepted", "type 1500"}},
		{"half a yen", "1555.5", "JPY", []string{"JPY", "only whole yen are accepted", "like 1555"}},
		{"sen, in yen", "15.50", "JPY", []string{"only whole yen are accepted", "like 15"}},
		{"half a yen with a comma", "1555,5", "JPY", []string{"only whole yen are accepted", "like 1555"}},
		{"a fraction of a won", "0.01", "KRW", []string{"only whole won are accepted", "like 0"}},
		{"a fraction of a krona, with a comma", "12,50", "ISK", []string{"ISK", "only whole amounts are accepted", "like 12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.ParseMoneyIn(tt.in, tt.currency)
			if err == nil {
				t.Fatalf("ParseMoneyIn(%q, %q) = %d, nil; want a refusal", tt.in, tt.currency, got)
			}
			checkInvalid(t, err, append([]string{strconv.Quote(tt.in)}, tt.want...)...)
		})
	}
}

func TestDecimalComma(t *testing.T) {
	for cur, want := range map[string]bool{"EUR": true, "SEK": true, "PLN": true, "BRL": true,
		"USD": false, "GBP": false, "JPY": false, "CHF": false, "": false} {
		if got := domain.DecimalComma(cur); got != want {
			t.Errorf("DecimalComma(%q) = %v, want %v", cur, got, want)
		}
	}
}

func TestParseCurrency(t *testing.T) {
	for in, want := range map[string]string{"EUR": "EUR", "eur": "EUR", " gbp ": "GBP", "Jpy": "JPY", "MRU": "MRU", "ves": "VES", "BGN": "BGN", "XCG": "XCG", "ZWG": "ZWG"} {
		if got, err := domain.ParseCurrency(in); err != nil || got != want {
			t.Errorf("ParseCurrency(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	tests := []struct {
		in   string
		want []string
	}{
		// The refusal quotes what was typed, not an upper-cased copy.
		{"euro", []string{`"euro"`, "EUR"}},
		{"Dollars", []string{`"Dollars"`, "USD"}},
		{"EURO", []string{`"EURO"`, "EUR"}},
		{"E1R", []string{`"E1R"`, "three letters like EUR"}},
		{"", []string{`""`, "three letters"}},
		{"€", []string{`"€"`, "EUR"}},
		// Three letters no currency has: the shop's currency cannot be
		// changed later, so a typo at init was the shop's for good.
		{"EUE", []string{`"EUE"`, "ISO 4217", "EUR"}},
		{"xyz", []string{`"xyz"`, "ISO 4217"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := domain.ParseCurrency(tt.in)
			if err == nil {
				t.Fatalf("ParseCurrency(%q) = %q, nil; want a refusal", tt.in, got)
			}
			checkInvalid(t, err, tt.want...)
			if tt.in == "euro" && strings.Contains(domain.ErrorMessage(err), `"EURO"`) {
				t.Errorf("refusal %q quotes EURO, not what was typed", domain.ErrorMessage(err))
			}
		})
	}
}

func FuzzParseMoneyIn(f *testing.F) {
	for _, s := range []string{"9,50", "1,000", "1.000,50", "9.5", ",5", "", "1,2,3"} {
		f.Add(s, "EUR")
		f.Add(s, "USD")
	}
	f.Fuzz(func(t *testing.T, s, currency string) {
		m, err := domain.ParseMoneyIn(s, currency)
		if err != nil {
			if domain.ErrorCode(err) != domain.EInvalid {
				t.Fatalf("ParseMoneyIn(%q, %q) error code = %q", s, currency, domain.ErrorCode(err))
			}
			return
		}
		// What a comma shop reads is what the same text reads with a point.
		if back, err := domain.ParseMoney(strings.Replace(s, ",", ".", 1)); err != nil || back != m {
			t.Fatalf("ParseMoneyIn(%q, %q) = %d, but with a point it reads %d, %v", s, currency, m, back, err)
		}
	})
}
