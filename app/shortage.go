package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"microshop/domain"
)

// ShortError refuses a sale or a correction that would take a SKU's
// available stock below zero at some moment from its time to now: at its
// own time, or later, when the units it takes were sold afterwards. The
// rule (DESIGN.md section 1) skips moments before the SKU's first
// stocktake, which already counts what happened before it.
type ShortError struct {
	Code      string    // the SKU
	Qty       int       // the units asked for
	Available int       // the units available at At, before these
	At        time.Time // the first moment they would be missing
	Later     bool      // At is after the event's own time
	Part      string    // for a kit, the part that is short, by code
	// Elsewhere are the other locations holding units available at At,
	// for a sale short at its location: main first, then by name.
	Elsewhere []PlaceUnits
	Location  string // where the sale is short, by name, with Elsewhere
	why       string // what is short, after "cannot sell N of CODE: "
	err       *domain.Error
}

// PlaceUnits are the units available at a location.
type PlaceUnits struct {
	Location  string // by name
	Available int
}

func (e *ShortError) Error() string { return e.err.Error() }

// MoveHint says where else the units are, and to move some where the sale
// is first: "18 are available at main: move some to Stall first". Sold
// anyway, the sale's location reads oversold while the other keeps units
// that left it. "" when no other location has any.
func (e *ShortError) MoveHint() string {
	if len(e.Elsewhere) == 0 {
		return ""
	}
	where := make([]string, len(e.Elsewhere))
	for i, p := range e.Elsewhere {
		where[i] = fmt.Sprintf("%d at %s", p.Available, p.Location)
		if i == 0 {
			where[i] = fmt.Sprintf("%d are available at %s", p.Available, p.Location)
		}
	}
	return fmt.Sprintf("%s: move some to %s first", strings.Join(where, " and "), e.Location)
}
func (e *ShortError) Unwrap() error { return e.err }

// removal is what taking units out of a SKU's stock at a moment means.
type removal struct {
	// after is the units available after it: now, or at its own time
	// when that is later than now.
	after int
	short *ShortError // nil when stock suffices at every moment checked
	// levels are the SKU's levels just after the removal's moment,
	// without it.
	levels checkpoint
}

// checkRemoval replays a SKU's stock from at to now with qty units taken
// out at at. The level at at is the one a sale now reads; the movements
// after it (none, for a sale at now) are read only when at is in the past,
// up to the next stocktake, after which the removal changes nothing.
func checkRemoval(ctx context.Context, t *txn, sku skuRow, place string, at time.Time, qty int, verb string) (removal, error) {
	lvl, levels, err := levelAt(ctx, t, sku.ID, place, at)
	if err != nil {
		return removal{}, err
	}
	what := sku.Code
	if place != "" {
		name, err := locationName(ctx, t.tx, place)
		if err != nil {
			return removal{}, err
		}
		what += " at " + name
	}
	r := removal{levels: levels}
	short := func(moment int64, avail int, later bool, cause string) {
		if place == "" && t.hasLocations(ctx) {
			// Reports show every location's units together: say these
			// are main's.
			what += " at " + domain.MainLocation
		}
		when := time.UnixMilli(moment).In(t.shop.loc)
		e := &ShortError{Code: sku.Code, Qty: qty, Available: avail, At: when, Later: later}
		asked := fmt.Sprintf("cannot %s %d of %s", verb, qty, what)
		if later {
			asked += " on " + longDate(at.In(t.shop.loc))
			e.why = fmt.Sprintf("%s %s on %s at %s", cause, availablePhrase(avail), longDate(when), when.Format("15:04"))
		} else {
			e.why = fmt.Sprintf("%s at %s", availablePhrase(avail), when.Format("2006-01-02 15:04"))
			if verb == sellVerb {
				e.Elsewhere, e.Location = r.levels.elsewhere(ctx, t, place)
				if hint := e.MoveHint(); hint != "" {
					e.why += "; " + hint
				}
			}
		}
		e.err = domain.Errorf(domain.EShort, "%s: %s", asked, e.why)
		r.short = e
	}
	level := lvl // without the removal
	if level.Available() < qty {
		short(at.UnixMilli(), level.Available(), false, "")
	}
	counted := false
	if now := t.now.UnixMilli(); at.UnixMilli() < now {
		l := &ledger{q: t.tx, window: domain.Window{End: now + 1}}
		moves, err := l.movements(ctx, sku.ID, at.UnixMilli()+1)
		if err != nil {
			return removal{}, err
		}
		early := verb == moveVerb && r.short != nil // dated before the units came, perhaps
		for _, m := range domain.AtPlace(moves, place) {
			// From a stocktake on, the count holds every unit, so the
			// removal changes nothing.
			counted = counted || m.Count
			level = level.Apply(m)
			if early && level.Available() >= qty {
				r.short.movedTooEarly(m.At, t.shop.loc)
				early = false
			}
			if !counted && r.short == nil && level.Available() < qty {
				cause := "the sales after it leave"
				if m.Sold <= 0 {
					cause = "a later correction leaves"
				}
				short(m.At, level.Available(), true, cause)
			}
		}
	}
	if !counted {
		level.OnHand -= qty
	}
	r.after = level.Available()
	// A move's units arrive somewhere: units it takes that its source did
	// not hold at its moment would appear at the destination, which no
	// count of the source takes back. So the count's pardon below is not
	// a move's.
	pardonable := r.short != nil && !(verb == moveVerb && !r.short.Later)
	if pardonable && counted {
		// Before the first stocktake nothing is checked: that count holds
		// whatever this removal took.
		before, err := countedBefore(ctx, t, sku.ID, place, at.UnixMilli())
		if err != nil {
			return removal{}, err
		}
		if !before {
			r.short = nil
		}
	}
	return r, nil
}

// movedTooEarly adds, to a move refused at its own moment, the moment from
// which its source held enough: it was dated before the units came.
func (e *ShortError) movedTooEarly(enough int64, loc *time.Location) {
	when := time.UnixMilli(enough).In(loc).Format("2006-01-02 15:04")
	e.why += fmt.Sprintf("; enough were there from %s: date the move then or later", when)
	e.err = domain.Errorf(domain.EShort, "%s; enough were there from %s: date the move then or later", e.err.Message, when)
}

// elsewhere are the locations other than place whose units are available
// at the checkpoint's moment, main first, then by name, and place's name.
// A failed read names none, as it only words a refusal.
func (c checkpoint) elsewhere(ctx context.Context, t *txn, place string) ([]PlaceUnits, string) {
	here, err := locationName(ctx, t.tx, place)
	if err != nil || c.places == nil && place == "" {
		return nil, here
	}
	places := c.places
	if places == nil { // all of it at main
		places = domain.Places{"": c.level}
	}
	var out []PlaceUnits
	for id, l := range places {
		if id == place || l.Available() <= 0 {
			continue
		}
		name, err := locationName(ctx, t.tx, id)
		if err != nil || name == "" {
			continue
		}
		out = append(out, PlaceUnits{Location: name, Available: l.Available()})
	}
	slices.SortFunc(out, func(a, b PlaceUnits) int {
		if (a.Location == domain.MainLocation) != (b.Location == domain.MainLocation) {
			if a.Location == domain.MainLocation {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Location, b.Location)
	})
	return out, here
}

// countedBefore reports whether a SKU had a stocktake at or before at, one
// seek a day into the day-led index from the ledger's first day, at a
// location (a count counts one location). Only a
// removal that would be refused asks.
func countedBefore(ctx context.Context, t *txn, skuID, place string, at int64) (bool, error) {
	l := &ledger{q: t.tx}
	first, last, err := l.days(ctx, 0, at+1)
	if err != nil {
		return false, err
	}
	var found bool
	err = t.tx.QueryRowContext(ctx, `WITH RECURSIVE days(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM days WHERE day < ?2)
		SELECT EXISTS (SELECT 1 FROM days CROSS JOIN events e
			WHERE e.at / 86400000 = days.day AND e.sku_n = (SELECT n FROM sku_keys WHERE id = ?3) AND e.kind = 'count' AND e.at <= ?4 AND e.location = ?5)`,
		first, last, skuID, at, place).Scan(&found)
	return found, err
}

// availablePhrase says how many units are available, in a refusal: below
// zero, the SKU is oversold (a forced sale, a sync), and saying "only 0"
// would hide by how much.
func availablePhrase(avail int) string {
	switch {
	case avail > 0:
		return fmt.Sprintf("only %d available", avail)
	case avail == 0:
		return "none available"
	}
	return fmt.Sprintf("none available (%d oversold)", -avail)
}

// longDate is a day as a maker writes it: 5 November 2026.
func longDate(t time.Time) string { return t.Format("2 January 2006") }

// hasLocations says whether the shop keeps stock anywhere but main; a
// failed read says no, as it only words a refusal.
func (t *txn) hasLocations(ctx context.Context) bool {
	var some bool
	err := t.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM locations)`).Scan(&some)
	return err == nil && some
}
