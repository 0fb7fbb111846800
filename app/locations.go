package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"microshop/domain"
)

// Location is a place stock lives: main, a stall, a partner's shelf. Main's
// ID is empty.
type Location struct {
	ID   string
	Name string
	// Retired is a location removed (`location remove`): it is left out of
	// lists and pickers, but events at it stay valid and history names it.
	// Locations lists one only while it holds units (see there).
	Retired bool
	// Units and SKUs are what a retired location listed still holds: its
	// units on hand, of how many SKUs.
	Units, SKUs int
}

// mainLocation is where every shop keeps its stock until it has others.
var mainLocation = Location{Name: domain.MainLocation}

// deviceLocationKey is the meta key of this device's default location: a
// setting of this machine alone, never synced.
const deviceLocationKey = "location"

// AddLocation adds a location. Its id derives from its name, so a location
// added on two devices while apart is one location once they sync. Adding
// a removed location's name brings that location back, same id, as typed.
func (s *Shop) AddLocation(ctx context.Context, name string) (Location, error) {
	name, err := domain.CleanLocationName(name)
	if err != nil {
		return Location{}, err
	}
	loc := Location{ID: domain.LocationID(name), Name: name}
	err = s.write(ctx, func(t *txn) error {
		if loc.ID == "" {
			return domain.Errorf(domain.EConflict, "every shop has the location %q already; choose another name", domain.MainLocation)
		}
		if named, ok, err := locationNamed(ctx, t.tx, name); err != nil {
			return err
		} else if ok {
			if !named.Retired {
				return domain.Errorf(domain.EConflict, "there is a location %q already; choose another name", named.Name)
			}
			loc.ID = named.ID // a removed location of that name comes back
			return t.setRecord("location", loc.ID, map[string]any{"name": name, "retired": false})
		}
		have, err := locationByID(ctx, t.tx, loc.ID)
		if err != nil {
			return err
		}
		switch {
		case have.Name == "":
			return t.setRecord("location", loc.ID, map[string]any{"name": name})
		case have.Retired:
			return t.setRecord("location", loc.ID, map[string]any{"name": name, "retired": false})
		case sameLocationName(have.Name, name):
			return domain.Errorf(domain.EConflict, "there is a location %q already; choose another name", have.Name)
		}
		// The id derives from the name a location was added with: one
		// renamed since still has it.
		return domain.Errorf(domain.EConflict, "location %q was added as %q and renamed since; choose another name, or rename %s back", have.Name, name, have.Name)
	})
	return loc, err
}

// RenameLocation gives a location another name to show. Its id stays, so
// every event at it stays there; the name is a record field that syncs as
// any other, the last writer winning and the other name kept in conflicts.
func (s *Shop) RenameLocation(ctx context.Context, name, newName string) (Location, error) {
	clean, err := domain.CleanLocationName(newName)
	if err != nil {
		return Location{}, err
	}
	var loc Location
	err = s.write(ctx, func(t *txn) error {
		if loc, err = findLocation(ctx, t.tx, name); err != nil {
			return err
		}
		if loc.ID == "" {
			return domain.Errorf(domain.EInvalid, "main keeps its name: every device knows it by it; add a location with the name you want and move units there")
		}
		if loc.Retired {
			return retiredError(loc)
		}
		if err := t.nameFree(ctx, loc, clean); err != nil {
			return err
		}
		if clean == loc.Name {
			return nil // nothing changes: no change to log
		}
		loc.Name = clean
		return t.setRecord("location", loc.ID, map[string]any{"name": clean})
	})
	return loc, err
}

// nameFree refuses clean as loc's new name when another location shows
// it or was added with it (its id derives from it), saying which.
func (t *txn) nameFree(ctx context.Context, loc Location, clean string) error {
	other := Location{}
	if id := domain.LocationID(clean); id == "" {
		other = mainLocation
	} else if named, ok, err := locationNamed(ctx, t.tx, clean); err != nil {
		return err
	} else if ok && named.ID != loc.ID {
		other = named
	} else if have, err := locationByID(ctx, t.tx, id); err != nil {
		return err
	} else if have.Name != "" && id != loc.ID {
		other = have
	}
	if other.Name == "" {
		return nil
	}
	was := ""
	if !sameLocationName(other.Name, clean) {
		was = fmt.Sprintf(" (added as %q)", clean)
	}
	if other.Retired {
		return domain.Errorf(domain.EConflict, "location %q%s was removed and would come back under that name; choose another name, or add %q again, move %s's units there and remove %s",
			other.Name, was, clean, loc.Name, loc.Name)
	}
	return domain.Errorf(domain.EConflict, "there is a location %q%s already; choose another name, or move %s's units to %s and remove %s",
		other.Name, was, loc.Name, other.Name, loc.Name)
}

// Removed is what RemoveLocation did: the location retired, and whether
// this device's default was it and is main again.
type Removed struct {
	Location
	WasDefault bool
}

// RemoveLocation retires a location: it leaves the lists and pickers,
// while its events stay valid and its history still names it. A location
// holding units is refused: they would drop out of sight. Main stays.
func (s *Shop) RemoveLocation(ctx context.Context, name string) (Removed, error) {
	var out Removed
	err := s.write(ctx, func(t *txn) error {
		loc, err := t.removable(ctx, name)
		if err != nil {
			return err
		}
		out.Location = loc
		id, err := getMeta(ctx, t.tx, deviceLocationKey)
		if err != nil {
			return err
		}
		if id == loc.ID {
			out.WasDefault = true
			// A setting of this device, in the same transaction.
			if err := setMeta(ctx, t.tx, deviceLocationKey, ""); err != nil {
				return err
			}
		}
		out.Retired = true
		return t.setRecord("location", loc.ID, map[string]any{"retired": true})
	})
	return out, err
}

// CheckRemoveLocation says whether RemoveLocation would remove the
// location now, and which it is, changing nothing: the desktop asks
// "Remove Stall?" only of one it can remove.
func (s *Shop) CheckRemoveLocation(ctx context.Context, name string) (Location, error) {
	var loc Location
	err := s.write(ctx, func(t *txn) error {
		var err error
		loc, err = t.removable(ctx, name) // writes nothing: the transaction is dropped
		return err
	})
	return loc, err
}

// removable is the location named, when it may be removed: not main, not
// removed already, and holding no units.
func (t *txn) removable(ctx context.Context, name string) (Location, error) {
	loc, err := findLocation(ctx, t.tx, name)
	if err != nil {
		return Location{}, err
	}
	if loc.ID == "" {
		return Location{}, domain.Errorf(domain.EInvalid, "main cannot be removed: every shop keeps it")
	}
	if loc.Retired {
		return Location{}, domain.Errorf(domain.EConflict, "location %q is removed already", loc.Name)
	}
	held, err := t.unitsAt(ctx, loc.ID)
	if err != nil {
		return Location{}, err
	}
	return loc, held.refusal(loc.Name)
}

// retiredError refuses a removed location where one is chosen to work at.
func retiredError(loc Location) error {
	return domain.Errorf(domain.EConflict, "location %q was removed; add it again to use it", loc.Name).With(domain.RemedyListLocations)
}

// unitsHeld is a location's units now, by SKU code: on hand, held
// included; short are the SKUs below none there (sold beyond it).
type unitsHeld struct {
	units, skus int
	codes       []string // "MUG 3", in code order
	short       []string // "CARD -1"
}

// refusal is why a location holding units cannot be removed, nil when it
// holds none.
func (h unitsHeld) refusal(name string) error {
	switch {
	case h.skus > 0:
		return domain.Errorf(domain.EConflict, "%s still holds %s of %s (%s); move them to another location first, then remove it",
			name, units(h.units), plural(h.skus, "SKU"), strings.Join(h.codes, ", ")).With(domain.RemedyMoveUnits)
	case len(h.short) > 0:
		return domain.Errorf(domain.EConflict, "%s has less than none of %s (sold beyond what was there); count it there first, then remove it",
			name, strings.Join(h.short, ", "))
	}
	return nil
}

// unitsAt is what a location holds now, over every SKU with stock of its
// own, archived ones too: units there are units, listed or not.
func (t *txn) unitsAt(ctx context.Context, id string) (unitsHeld, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT DISTINCT s.id, s.code FROM events e JOIN skus s ON s.id = e.sku_id
		WHERE (e.location = ? OR e.to_location = ?) AND s.path NOT IN (?, ?) ORDER BY s.code, s.id`,
		id, id, string(domain.PathDigital), string(domain.PathKit))
	if err != nil {
		return unitsHeld{}, err
	}
	type sku struct{ id, code string }
	var skus []sku
	for rows.Next() {
		var k sku
		if err := rows.Scan(&k.id, &k.code); err != nil {
			rows.Close()
			return unitsHeld{}, err
		}
		skus = append(skus, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return unitsHeld{}, err
	}
	var h unitsHeld
	for _, k := range skus {
		lvl, _, err := levelAt(ctx, t, k.id, id, t.now)
		if err != nil {
			return unitsHeld{}, err
		}
		switch n := max(lvl.OnHand, lvl.Held); {
		case n > 0:
			h.units += n
			h.skus++
			h.codes = append(h.codes, fmt.Sprintf("%s %d", k.code, n))
		case n < 0:
			h.short = append(h.short, fmt.Sprintf("%s %d", k.code, n))
		}
	}
	return h, nil
}

// Locations lists the shop's locations, main first, the rest by name. A
// removed location is left out, unless it holds units: removed on one
// device while another, apart, moved or gave units back there, it comes
// back into the lists once they sync, marked Retired with what it holds,
// so those units never drop out of sight and the pickers can move them
// out. It stays removed: once empty, it leaves the lists again. Undoing
// the removal by a change of its own instead would have each device that
// sees the units write one, and the maker never asked for it.
func (s *Shop) Locations(ctx context.Context) ([]Location, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, retired FROM locations WHERE name <> '' ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	out := []Location{mainLocation}
	var retired []int
	for rows.Next() {
		var l Location
		if err := rows.Scan(&l.ID, &l.Name, &l.Retired); err != nil {
			return nil, storeError(s.path, err)
		}
		if l.Retired {
			retired = append(retired, len(out))
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	rows.Close()
	if len(retired) == 0 {
		return out, nil
	}
	snap, err := s.snapshot(ctx, s.AsOfNow(), "")
	if err != nil {
		return nil, err
	}
	for _, i := range retired {
		out[i].Units, out[i].SKUs = unitsIn(snap.rows, out[i].ID)
	}
	return slices.DeleteFunc(out, func(l Location) bool { return l.Retired && l.SKUs == 0 }), nil
}

// OpenLocations are the locations work may happen at: all but the removed ones
// Locations lists for the units they still hold. Sell, Receive and the
// destination of a move offer these; a move's source and a count offer
// every location listed, so units left at a removed one can leave it.
func OpenLocations(locs []Location) []Location {
	return slices.DeleteFunc(slices.Clone(locs), func(l Location) bool { return l.Retired })
}

// unitsIn is the units on hand at a location over rows, held included,
// and of how many SKUs.
func unitsIn(rows []StockRow, id string) (n, skus int) {
	for _, r := range rows {
		if r.SKU.Path == domain.PathDigital || r.SKU.Path == domain.PathKit {
			continue
		}
		l := r.Places.At(id, domain.Level{OnHand: r.OnHand, Held: r.Held})
		if u := max(l.OnHand, l.Held); u != 0 {
			n += u
			skus++
		}
	}
	return n, skus
}

// retiredStockAlerts tell of removed locations that hold units: removed on
// one device while another, apart, brought units there.
func (s *Shop) retiredStockAlerts(ctx context.Context, rows []StockRow) ([]Alert, error) {
	list, err := s.db.QueryContext(ctx, `SELECT id, name FROM locations WHERE retired AND name <> '' ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer list.Close()
	var out []Alert
	for list.Next() {
		var id, name string
		if err := list.Scan(&id, &name); err != nil {
			return nil, storeError(s.path, err)
		}
		if n, skus := unitsIn(rows, id); skus > 0 {
			out = append(out, Alert{Kind: AlertRetiredStock, Subject: name, Message: fmt.Sprintf(
				"Location %s was removed, but %s of %s are there: move them to another location, or add %s again",
				name, units(n), plural(skus, "SKU"), name)})
		}
	}
	return out, storeError(s.path, list.Err())
}

// deviceLocationAlert tells the maker that the location this device sells
// from was removed on another device: its sales go to main from then on,
// and nothing else would say so. Choosing a location, main too, or adding
// the removed one again ends it.
func (s *Shop) deviceLocationAlert(ctx context.Context) ([]Alert, error) {
	id, err := getMeta(ctx, s.db, deviceLocationKey)
	if err != nil || id == "" {
		return nil, storeError(s.path, err)
	}
	loc, err := locationByID(ctx, s.db, id)
	if err != nil || !loc.Retired || loc.Name == "" {
		return nil, storeError(s.path, err)
	}
	return []Alert{{Kind: AlertLocationRemoved, Subject: loc.Name, Message: fmt.Sprintf(
		"%s, where this device sold, was removed on another device: its sales go to %s until you choose where it sells",
		loc.Name, domain.MainLocation)}}, nil
}

// sameLocationName reports whether two names are one location's: alike
// but for case and spacing.
func sameLocationName(a, b string) bool {
	return domain.LocationID(a) == domain.LocationID(b)
}

// locationNamed is the location whose name is name, in any case and
// spacing, removed or not: the one not removed first, then the one whose
// id the name gives, then by id (two devices apart may give two locations
// one name).
func locationNamed(ctx context.Context, q queryer, name string) (Location, bool, error) {
	want := domain.LocationID(name)
	rows, err := q.QueryContext(ctx, `SELECT id, name, retired FROM locations WHERE name <> '' ORDER BY retired, id = ? DESC, id`, want)
	if err != nil {
		return Location{}, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var l Location
		if err := rows.Scan(&l.ID, &l.Name, &l.Retired); err != nil {
			return Location{}, false, err
		}
		if domain.LocationID(l.Name) == want {
			return l, true, nil
		}
	}
	return Location{}, false, rows.Err()
}

// locationByID is the location with id; its Name is "" when there is none.
func locationByID(ctx context.Context, q queryer, id string) (Location, error) {
	if id == "" {
		return mainLocation, nil
	}
	l := Location{ID: id}
	err := q.QueryRowContext(ctx, `SELECT name, retired FROM locations WHERE id = ?`, id).Scan(&l.Name, &l.Retired)
	if isNoRows(err) {
		return Location{}, nil
	}
	return l, err
}

// UseLocation makes name this device's default location: where its sales,
// receipts, returns and counts happen unless they name another.
func (s *Shop) UseLocation(ctx context.Context, name string) (Location, error) {
	loc, err := s.FindLocation(ctx, name)
	if err != nil {
		return loc, err
	}
	if loc.Retired {
		return loc, retiredError(loc)
	}
	if err := s.ReadOnly(); err != nil {
		return loc, err
	}
	// A setting of this device, not a change: nothing to log or sync.
	return loc, storeError(s.path, setMeta(ctx, s.db, deviceLocationKey, loc.ID))
}

// DeviceLocation is this device's default location: main until another is
// chosen, and main again should the chosen one be unknown or removed (on
// another device: removing it here sets main).
func (s *Shop) DeviceLocation(ctx context.Context) (Location, error) {
	loc, err := deviceLocation(ctx, s.db)
	return loc, storeError(s.path, err)
}

func deviceLocation(ctx context.Context, q queryer) (Location, error) {
	id, err := getMeta(ctx, q, deviceLocationKey)
	if err != nil || id == "" {
		return mainLocation, err
	}
	loc, err := locationByID(ctx, q, id)
	if err != nil || loc.Name == "" || loc.Retired {
		return mainLocation, err
	}
	return loc, nil
}

// FindLocation is the location named name, in any case and spacing.
func (s *Shop) FindLocation(ctx context.Context, name string) (Location, error) {
	return findLocation(ctx, s.db, name)
}

// A location is found by the name it shows first, then by the name it was
// added with (which its id derives from), and found removed too: events at
// it stay valid, and its units can be moved out. Where a removed one may
// not be chosen, the caller says so.
func findLocation(ctx context.Context, q queryer, name string) (Location, error) {
	id := domain.LocationID(name)
	if id == "" {
		return mainLocation, nil
	}
	if named, ok, err := locationNamed(ctx, q, name); err != nil || ok {
		return named, err
	}
	have, err := locationByID(ctx, q, id)
	if err != nil {
		return Location{}, err
	}
	if have.Name == "" {
		typed := strings.TrimSpace(name)
		if meant := meantLocation(ctx, q, typed); meant != "" {
			return Location{}, domain.Errorf(domain.ENotFound, "there is no location %q; did you mean %s?", typed, meant).With(domain.RemedyListLocations)
		}
		return Location{}, domain.Errorf(domain.ENotFound, "there is no location %q", typed).With(domain.RemedyListLocations)
	}
	return have, nil
}

// meantLocation is the location a mistyped name was likely meant for: the
// nearest by letters typed wrong, left out, added or swapped, at most one
// in three of its letters and two in all; "" when none is that near. A
// failed read names none, as it only words a refusal.
func meantLocation(ctx context.Context, q queryer, typed string) string {
	rows, err := q.QueryContext(ctx, `SELECT name FROM locations WHERE name <> '' AND NOT retired`)
	if err != nil {
		return ""
	}
	defer rows.Close()
	names := []string{domain.MainLocation}
	for rows.Next() {
		var n string
		if rows.Scan(&n) != nil {
			return ""
		}
		names = append(names, n)
	}
	if rows.Err() != nil {
		return ""
	}
	best, bestD := "", 3
	for _, n := range names {
		d := typoDistance(strings.ToLower(typed), strings.ToLower(n))
		if d < bestD && 3*d <= len([]rune(n)) {
			best, bestD = n, d
		}
	}
	return best
}

// typoDistance is how many letters typed wrong, left out, added or swapped
// with the next turn a into b (the optimal string alignment distance).
func typoDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// locationName is the name of the location with id, "" when there is none.
func locationName(ctx context.Context, q queryer, id string) (string, error) {
	if id == "" {
		return domain.MainLocation, nil
	}
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM locations WHERE id = ?`, id).Scan(&name)
	if isNoRows(err) {
		return "", nil
	}
	return name, err
}

// placeOf is where an event of this device happens: the location named,
// or the device's default when name is empty.
// A removed location named is refused: nothing is sold, received or
// returned at a place the maker took away (see placeOrRemoved).
func (t *txn) placeOf(ctx context.Context, name string) (Location, error) {
	loc, err := t.placeOrRemoved(ctx, name)
	if err == nil && loc.Retired {
		return Location{}, retiredError(loc)
	}
	return loc, err
}

// placeOrRemoved is placeOf that takes a removed location too: a count or
// an adjustment there settles units a device that was apart left at it.
func (t *txn) placeOrRemoved(ctx context.Context, name string) (Location, error) {
	if name != "" {
		return findLocation(ctx, t.tx, name)
	}
	return deviceLocation(ctx, t.tx)
}
