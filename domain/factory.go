package domain

import "fmt"

// FactoryKind says what sort of supplier a factory is.
type FactoryKind string

const (
	KindPrint        FactoryKind = "print"
	KindMicrofactory FactoryKind = "microfactory"
	KindWorkshop     FactoryKind = "workshop"
)

// FactoryKinds lists every factory kind.
var FactoryKinds = []FactoryKind{KindPrint, KindMicrofactory, KindWorkshop}

// Location says whether a factory is near the shop or abroad.
type Location string

const (
	LocationLocal    Location = "local"
	LocationOverseas Location = "overseas"
)

// Locations lists every location.
var Locations = []Location{LocationLocal, LocationOverseas}

// PassesToEstablish is how many of a factory's batches must pass QA before it
// stops being new and its batches are no longer held back.
const PassesToEstablish = 3

// MaxLeadDays bounds lead times and cover days: a year is plenty for a maker.
const MaxLeadDays = 365

// Factory is a primary supplier: a print shop, a microfactory or the maker's
// own workshop.
type Factory struct {
	ID          string
	Name        string
	Kind        FactoryKind
	Location    Location
	LeadDays    int
	MOQ         int  // minimum order quantity; 0 means none
	Multiple    int  // batch multiple; 1 means any quantity
	Established bool // known good: never treated as new
	Paused      bool // paused by a failed QA or by hand
	PauseReason string
}

// IsNew reports whether the factory's batches are still held back for QA,
// given how many of its batches have passed.
func (f Factory) IsNew(passedBatches int) bool {
	return !f.Established && passedBatches < PassesToEstablish
}

// OrderWarnings says what is odd about ordering qty units from the factory:
// fewer than its minimum order, or a quantity off its batch multiple. Such
// an order may be what was agreed, so it is not refused; but a mistyped
// quantity looks just like it, and the factory may round it for you.
func (f Factory) OrderWarnings(qty int) []string {
	var out []string
	if f.MOQ > 0 && qty < f.MOQ {
		out = append(out, fmt.Sprintf("%s is below %s's minimum order of %d", countOf(qty, "unit"), f.Name, f.MOQ))
	}
	if m := f.Multiple; m > 1 && qty%m != 0 {
		lower, upper := qty/m*m, (qty/m+1)*m
		near := fmt.Sprintf("the nearest is %d", upper)
		if lower > 0 {
			near = fmt.Sprintf("the nearest are %d and %d", lower, upper)
		}
		out = append(out, fmt.Sprintf("%s is not a multiple of %s's batch multiple of %d; %s", countOf(qty, "unit"), f.Name, m, near))
	}
	return out
}

// ParseFactoryKind accepts print, microfactory or workshop.
func ParseFactoryKind(s string) (FactoryKind, error) {
	for _, k := range FactoryKinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", Errorf(EInvalid, "%q is not a factory kind; use one of %s", s, joinStrings(FactoryKinds))
}

// ParseLocation accepts local or overseas.
func ParseLocation(s string) (Location, error) {
	for _, l := range Locations {
		if string(l) == s {
			return l, nil
		}
	}
	return "", Errorf(EInvalid, "%q is not a location; use %s", s, joinStrings(Locations))
}

// Validate checks the fields a person types.
func (f Factory) Validate() error {
	if err := ValidateName("factory name", f.Name); err != nil {
		return err
	}
	if _, err := ParseFactoryKind(string(f.Kind)); err != nil {
		return err
	}
	if _, err := ParseLocation(string(f.Location)); err != nil {
		return err
	}
	if err := ValidateDays("lead time", f.LeadDays); err != nil {
		return err
	}
	if err := ValidateMOQ(f.MOQ); err != nil {
		return err
	}
	if err := ValidateMultiple(f.Multiple); err != nil {
		return err
	}
	return ValidateNote("reason for the pause", f.PauseReason)
}

// ValidateMOQ checks a minimum order quantity; 0 means none.
func ValidateMOQ(n int) error {
	if n < 0 || n > MaxQty {
		return Errorf(EInvalid, "%d is not a minimum order; use a whole number from 0 to %d", n, MaxQty)
	}
	return nil
}

// ValidateMultiple checks a batch multiple; 1 means any quantity.
func ValidateMultiple(n int) error {
	if n < 1 || n > MaxQty {
		return Errorf(EInvalid, "%d is not a batch multiple; use a whole number from 1 to %d", n, MaxQty)
	}
	return nil
}

// MaxQty bounds a single quantity so sums stay exact.
const MaxQty = 1_000_000

// ValidateDays checks a number of days such as a lead time or cover.
func ValidateDays(what string, days int) error {
	if days < 0 || days > MaxLeadDays {
		return Errorf(EInvalid, "%d is not a valid %s; use a whole number of days from 0 to %d", days, what, MaxLeadDays)
	}
	return nil
}

// ValidateQty checks a quantity that must be a positive whole number.
func ValidateQty(qty int) error {
	if qty < 1 || qty > MaxQty {
		return Errorf(EInvalid, "%d is not a valid quantity; use a whole number from 1 to %d", qty, MaxQty)
	}
	return nil
}
