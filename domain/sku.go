package domain

import (
	"unicode"
	"unicode/utf8"
)

// SKU is one thing the shop sells. Lead time and cover are the effective
// values; the *Set flags say whether they were chosen for this SKU or follow
// the defaults of its path and factory.
type SKU struct {
	ID        string
	Code      string
	Name      string
	Path      SupplyPath
	FactoryID string // empty for digital
	Factory   string // the factory's name, for display
	Price     Money
	Cost      Money
	Archived  bool
	// Variant is which of its product's variants the SKU is, as the
	// channel's products or listings file named it ("Large", "M / Blue");
	// empty for a SKU without variants (see VariantText).
	Variant string

	LeadDays int
	MinCover int
	MaxCover int
	Over     Overrides // the per-SKU choices behind them, kept as stored
}

// Shown is the SKU's name as a maker reads it beside its product's other
// variants (see NameWithVariant).
func (s SKU) Shown() string { return NameWithVariant(s.Name, s.Variant) }

// NameWithVariant is a SKU's name followed by its variant, "Mug (Small /
// Blue)", or the name alone for a SKU without one: two variants share
// their product's name, and shown by name alone "Mug" (Small) and "Mug"
// (Large) read the same, so a maker sold or reordered the wrong one. Every
// place a maker reads or picks a SKU shows it so.
func NameWithVariant(name, variant string) string {
	if variant == "" {
		return name
	}
	return name + " (" + variant + ")"
}

// Overrides holds the per-SKU choices that replace the defaults; nil follows
// the default.
type Overrides struct {
	LeadDays *int
	MinCover *int
	MaxCover *int
}

// Settle fills the SKU's effective lead time and cover from its overrides, the
// factory's lead time and the defaults of its supply path. A digital SKU
// has neither, whatever its overrides: they stay kept for a return to a
// physical path.
func (s *SKU) Settle(o Overrides, factoryLeadDays int) {
	s.Over = o
	s.LeadDays, s.MinCover, s.MaxCover = 0, 0, 0
	if s.Path == PathDigital {
		return
	}
	s.LeadDays = factoryLeadDays
	if o.LeadDays != nil {
		s.LeadDays = *o.LeadDays
	}
	s.MinCover, s.MaxCover = DefaultCover(s.Path, s.LeadDays)
	if o.MinCover != nil {
		s.MinCover = *o.MinCover
		s.MaxCover = 2 * s.MinCover
	}
	if o.MaxCover != nil {
		s.MaxCover = *o.MaxCover
	}
}

// ValidateCode checks a SKU code: 1 to 40 letters, digits, '-', '_', '.' or
// '/', as printed on a label or typed by a barcode scanner.
func ValidateCode(code string) error {
	if code == "" {
		return Errorf(EInvalid, "the SKU code is empty; use 1 to 40 of the letters A to Z, digits, '-', '_', '.' or '/'")
	}
	if len(code) > 40 {
		return Errorf(EInvalid, "the SKU code %s is too long, %d characters; use at most 40", QuoteShort(code), utf8.RuneCountInString(code))
	}
	for _, r := range code {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' || r == '/') {
			return Errorf(EInvalid, "the SKU code %s has %q in it; use only the letters A to Z, digits, '-', '_', '.' or '/'", QuoteShort(code), r)
		}
	}
	return nil
}

// Validate checks a SKU's fields after Settle.
func (s SKU) Validate() error {
	if err := ValidateCode(s.Code); err != nil {
		return err
	}
	if err := ValidateName("SKU name", s.Name); err != nil {
		return err
	}
	if _, err := ParseStoredPath(string(s.Path)); err != nil {
		return err
	}
	if s.Path == PathDigital && s.FactoryID != "" {
		return Errorf(EInvalid, "SKU %s is digital and cannot have a factory; leave out the factory or choose print, microfactory or handmade", s.Code)
	}
	if s.Path.NeedsFactory() && s.FactoryID == "" {
		return Errorf(EInvalid, "SKU %s is %s and needs a primary factory", s.Code, s.Path).With(RemedyNameFactory)
	}
	for _, d := range []struct {
		what string
		n    int
	}{{"lead time", s.LeadDays}, {"minimum cover", s.MinCover}, {"maximum cover", s.MaxCover}} {
		if err := ValidateDays(d.what, d.n); err != nil {
			return err
		}
	}
	if s.MaxCover < s.MinCover {
		return Errorf(EInvalid, "maximum cover %d days is below minimum cover %d days; use a maximum of at least %d", s.MaxCover, s.MinCover, s.MinCover)
	}
	if err := ValidateMoney("price", s.Price); err != nil {
		return err
	}
	return ValidateMoney("cost", s.Cost)
}
