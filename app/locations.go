package app

import (
	"context"
	"strings"

	"microshop/domain"
)

// Location is a place stock lives: main, a stall, a partner's shelf. Main's
// ID is empty.
type Location struct {
	ID   string
	Name string
}

// mainLocation is where every shop keeps its stock until it has others.
var mainLocation = Location{Name: domain.MainLocation}

// deviceLocationKey is the meta key of this device's default location: a
// setting of this machine alone, never synced.
const deviceLocationKey = "location"

// AddLocation adds a location. Its id derives from its name, so a location
// added on two devices while apart is one location once they sync.
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
		if have, err := locationName(ctx, t.tx, loc.ID); err != nil {
			return err
		} else if have != "" {
			return domain.Errorf(domain.EConflict, "there is a location %q already; choose another name", have)
		}
		return t.setRecord("location", loc.ID, map[string]any{"name": name})
	})
	return loc, err
}

// Locations lists the shop's locations, main first, the rest by name.
func (s *Shop) Locations(ctx context.Context) ([]Location, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name FROM locations WHERE name <> '' ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	out := []Location{mainLocation}
	for rows.Next() {
		var l Location
		if err := rows.Scan(&l.ID, &l.Name); err != nil {
			return nil, storeError(s.path, err)
		}
		out = append(out, l)
	}
	return out, storeError(s.path, rows.Err())
}

// UseLocation makes name this device's default location: where its sales,
// receipts, returns and counts happen unless they name another.
func (s *Shop) UseLocation(ctx context.Context, name string) (Location, error) {
	loc, err := s.FindLocation(ctx, name)
	if err != nil {
		return loc, err
	}
	if err := s.ReadOnly(); err != nil {
		return loc, err
	}
	// A setting of this device, not a change: nothing to log or sync.
	return loc, storeError(s.path, setMeta(ctx, s.db, deviceLocationKey, loc.ID))
}

// DeviceLocation is this device's default location: main until another is
// chosen, and main again should the chosen one be unknown.
func (s *Shop) DeviceLocation(ctx context.Context) (Location, error) {
	id, err := getMeta(ctx, s.db, deviceLocationKey)
	if err != nil || id == "" {
		return mainLocation, storeError(s.path, err)
	}
	name, err := locationName(ctx, s.db, id)
	if err != nil || name == "" {
		return mainLocation, storeError(s.path, err)
	}
	return Location{ID: id, Name: name}, nil
}

// FindLocation is the location named name, in any case and spacing.
func (s *Shop) FindLocation(ctx context.Context, name string) (Location, error) {
	return findLocation(ctx, s.db, name)
}

func findLocation(ctx context.Context, q queryer, name string) (Location, error) {
	id := domain.LocationID(name)
	if id == "" {
		return mainLocation, nil
	}
	have, err := locationName(ctx, q, id)
	if err != nil {
		return Location{}, err
	}
	if have == "" {
		typed := strings.TrimSpace(name)
		if meant := meantLocation(ctx, q, typed); meant != "" {
			return Location{}, domain.Errorf(domain.ENotFound, "there is no location %q; did you mean %s?", typed, meant).With(domain.RemedyListLocations)
		}
		return Location{}, domain.Errorf(domain.ENotFound, "there is no location %q", typed).With(domain.RemedyListLocations)
	}
	return Location{ID: id, Name: have}, nil
}

// meantLocation is the location a mistyped name was likely meant for: the
// nearest by letters typed wrong, left out, added or swapped, at most one
// in three of its letters and two in all; "" when none is that near. A
// failed read names none, as it only words a refusal.
func meantLocation(ctx context.Context, q queryer, typed string) string {
	rows, err := q.QueryContext(ctx, `SELECT name FROM locations`)
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
func (t *txn) placeOf(ctx context.Context, name string) (Location, error) {
	if name != "" {
		return findLocation(ctx, t.tx, name)
	}
	id, err := getMeta(ctx, t.tx, deviceLocationKey)
	if err != nil || id == "" {
		return mainLocation, err
	}
	have, err := locationName(ctx, t.tx, id)
	if err != nil || have == "" {
		return mainLocation, err
	}
	return Location{ID: id, Name: have}, nil
}
