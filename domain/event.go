package domain

import "time"

// The ledger's facts are recorded between these moments: a time outside
// them is a typing mistake or a broken clock, never a sale.
var (
	earliestMoment = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	latestMoment   = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).UnixMilli()
)

// ValidateMoment checks when something happened, in unix milliseconds.
func ValidateMoment(what string, ms int64) error {
	if ms < earliestMoment || ms > latestMoment {
		return Errorf(EInvalid, "%d is not a valid %s; use a moment between 1970 and 9999", ms, what)
	}
	return nil
}

// ValidateCount checks a stocktake: a whole number of units from 0.
func ValidateCount(qty int) error {
	if qty < 0 || qty > MaxQty {
		return Errorf(EInvalid, "%d is not a stock count; use a whole number from 0 to %d", qty, MaxQty)
	}
	return nil
}

// ValidateAdjustment checks a signed stock correction and the note that
// says why: a correction of nothing, or without a reason, is refused.
func ValidateAdjustment(qty int, note string) error {
	if qty == 0 {
		return Errorf(EInvalid, "0 is not an adjustment; use a signed whole number like -2 or 3")
	}
	if qty > MaxQty || qty < -MaxQty {
		return Errorf(EInvalid, "%d is too large for an adjustment; use a signed whole number from -%d to %d", qty, MaxQty, MaxQty)
	}
	if note == "" {
		return Errorf(EInvalid, "an adjustment needs a note saying why")
	}
	return ValidateNote("note", note)
}

// ValidateHeld checks the units of a delivery held for QA: from 0 to the
// units delivered.
func ValidateHeld(held, qty int) error {
	if held < 0 || held > qty {
		return Errorf(EInvalid, "%d held of %d units delivered is not possible; hold from 0 to %d", held, qty, qty)
	}
	return nil
}
