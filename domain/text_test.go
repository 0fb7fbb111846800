package domain_test

import (
	"strings"
	"testing"

	"microshop/domain"
)

func TestValidateText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // in the error; nil when accepted
	}{
		{"plain", "Mug, blue", nil},
		{"accents and emoji", "Thé ☕ noir", nil},
		{"a joined emoji", "👩‍🎨 print", nil},
		{"empty", "", nil},
		{"at the limit", strings.Repeat("é", 10), nil},
		{"escape code", "Mug\x1b[31m", []string{"U+001B", `"Mug\x1b[31m"`}},
		{"bell", "ding\a", []string{"U+0007"}},
		{"newline", "two\nlines", []string{"U+000A"}},
		{"tab", "a\tb", []string{"U+0009"}},
		{"carriage return", "over\rwrite", []string{"U+000D"}},
		{"delete", "x\x7f", []string{"U+007F"}},
		{"C1 CSI", "x\u009b31m", []string{"U+009B"}},
		{"line separator", "a\u2028b", []string{"U+2028"}},
		{"right-to-left override", "gum\u202eMug", []string{"U+202E"}},
		{"isolate", "a\u2066b", []string{"U+2066"}},
		{"invalid UTF-8", "Mug \xff", []string{"not readable text"}},
		{"cut UTF-8", "caf\xc3", []string{"not readable text"}},
		{"one over the limit", strings.Repeat("é", 11), []string{"11 characters long", "at most 10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.ValidateText("note", tt.in, 10)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("ValidateText(%q) = %v, want nil", tt.in, err)
				}
				return
			}
			checkInvalid(t, err, append([]string{"note"}, tt.want...)...)
			if strings.ContainsFunc(domain.ErrorMessage(err), domain.Unprintable) {
				t.Errorf("the message holds the control character raw: %q", domain.ErrorMessage(err))
			}
		})
	}
}

// A name is trimmed and its inner runs of spaces made one; a no-break
// space is kept, as typed on purpose.
func TestCleanNameTrimsAndChecks(t *testing.T) {
	for in, want := range map[string]string{"Riso Corner ": "Riso Corner", "  Riso  Corner\t": "Riso Corner", "Clay \u00a0Works": "Clay \u00a0Works", "Ink": "Ink"} {
		got, err := domain.CleanName("factory name", in)
		if err != nil || got != want {
			t.Errorf("CleanName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "   ", "Riso\x1b[2J", strings.Repeat("r", domain.MaxNameRunes+1)} {
		if _, err := domain.CleanName("factory name", in); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("CleanName(%q) error = %v, want it refused", in, err)
		}
	}
	if _, err := domain.CleanNote("note", strings.Repeat("n", domain.MaxNoteRunes)); err != nil {
		t.Errorf("a note of %d characters: %v", domain.MaxNoteRunes, err)
	}
	if got, err := domain.CleanNote("note", "  "); err != nil || got != "" {
		t.Errorf("CleanNote of spaces = %q, %v; want an empty note", got, err)
	}
}

func TestValidateID(t *testing.T) {
	for _, ok := range []string{"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "x", "étagère-1", strings.Repeat("a", domain.MaxIDBytes)} {
		if err := domain.ValidateID("SKU id", ok); err != nil {
			t.Errorf("ValidateID(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"", "a b", "a\x00b", "a\u00a0b", "a\xffb", strings.Repeat("a", domain.MaxIDBytes+1)} {
		err := domain.ValidateID("SKU id", bad)
		checkInvalid(t, err, "SKU id")
	}
}

func TestQuoteShortCutsLongValues(t *testing.T) {
	if got := domain.QuoteShort("Mug\x1b"); got != `"Mug\x1b"` {
		t.Errorf("QuoteShort = %s, want the escape quoted", got)
	}
	got := domain.QuoteShort(strings.Repeat("é", 20_000))
	if want := `"` + strings.Repeat("é", 40) + `"…`; got != want {
		t.Errorf("QuoteShort of 20,000 characters = %s, want the first 40 and an ellipsis", got)
	}
}

// A value with double quotes in it, as an item's name often has (a print
// of 8" x 10", a tote "Fern"), is quoted in single quotes for the people
// who read it: it read "Linocut tote \"Fern\"", backslashes and all.
func TestQuoteShortKeepsANamesQuotesReadable(t *testing.T) {
	for in, want := range map[string]string{
		`Linocut tote "Fern", large`: `'Linocut tote "Fern", large'`,
		`Art print 8" x 10"`:         `'Art print 8" x 10"'`,
		// With a single quote as well, or anything else to escape, the
		// quoting stays Go's: never ambiguous.
		`Maker's 8" print`: `"Maker's 8\" print"`,
		"Tab\t\"x\"":       `"Tab\t\"x\""`,
		"Mug":              `"Mug"`,
	} {
		if got := domain.QuoteShort(in); got != want {
			t.Errorf("QuoteShort(%s) = %s, want %s", in, got, want)
		}
	}
	long := strings.Repeat(`"`, 50)
	if got, want := domain.QuoteShort(long), "'"+strings.Repeat(`"`, 40)+"'…"; got != want {
		t.Errorf("QuoteShort of 50 quotes = %s, want 40 in single quotes and an ellipsis", got)
	}
}

func TestValidateMoneyAndCurrency(t *testing.T) {
	checkInvalid(t, domain.ValidateMoney("price", -100), "-1.00", "price")
	if err := domain.ValidateMoney("price", 0); err != nil {
		t.Errorf("a price of 0.00: %v", err)
	}
	for _, c := range []string{"EUR", "GBP"} {
		if err := domain.ValidateCurrency(c); err != nil {
			t.Errorf("ValidateCurrency(%q) = %v", c, err)
		}
	}
	for _, c := range []string{"eur", "EURO", "E1R", "", "€"} {
		checkInvalid(t, domain.ValidateCurrency(c), "currency code")
	}
}
