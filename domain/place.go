package domain

import (
	"strings"

	"github.com/google/uuid"
)

// Stock lives at locations: a shop starts with main, and a maker adds a
// stall, a partner's shelf, a shop window. A location's id derives from its
// name, so two devices adding "Stall" while apart make one location. The
// ledger names main by the empty id: everything recorded before locations
// existed is there.

// MainLocation is the name of the location every shop starts with.
const MainLocation = "main"

var locationSpace = uuid.MustParse("0b5f3c2e-8d7a-4c61-9e0f-3a6d2b7c9e14")

// LocationID is the id of the location named name: the same on every
// device for names that differ only in case and spacing; "" for main.
func LocationID(name string) string {
	folded := strings.ToLower(strings.Join(strings.Fields(name), " "))
	if folded == MainLocation {
		return ""
	}
	return uuid.NewSHA1(locationSpace, []byte(folded)).String()
}

// CleanLocationName is a typed location name with its spaces tidied,
// checked: 1 to MaxNameRunes characters of text.
func CleanLocationName(name string) (string, error) {
	// A line break or a tab is refused, as in any other name, before the
	// spaces are evened out: it had become a space without a word.
	if err := ValidateName("location name", strings.TrimSpace(name)); err != nil {
		return "", err
	}
	name = strings.Join(strings.Fields(name), " ")
	return name, ValidateName("location name", name)
}

// ValidateStoredLocationName checks a location's name as a record holds
// it, as one from another device arrives: what CleanLocationName makes of
// a typed name, and never main's, which every shop has already.
func ValidateStoredLocationName(name string) error {
	clean, err := CleanLocationName(name)
	if err != nil {
		return err
	}
	if clean != name {
		return Errorf(EInvalid, "location name %s has spaces a location name does not keep", QuoteShort(name))
	}
	if LocationID(name) == "" {
		return Errorf(EInvalid, "a location cannot be named %s: every shop has that one", MainLocation)
	}
	return nil
}

// Places is one SKU's stock at each location, by location id.
type Places map[string]Level

// Total is the SKU's stock over all its locations.
func (p Places) Total() Level {
	var t Level
	for _, l := range p {
		t.OnHand += l.OnHand
		t.Held += l.Held
	}
	return t
}

// At is the stock at one location: the whole stock when p is nil, which
// stands for everything at main.
func (p Places) At(id string, total Level) Level {
	if p == nil {
		if id == "" {
			return total
		}
		return Level{}
	}
	return p[id]
}

func (p Places) clone() Places {
	out := make(Places, len(p))
	for id, l := range p {
		out[id] = l
	}
	return out
}

// AtMain reports whether movements play out at main alone, so the total
// replay needs no per-location bookkeeping.
func AtMain(moves []Movement) bool {
	for _, m := range moves {
		if m.Place != "" || m.Moved != 0 {
			return false
		}
	}
	return true
}

// Settle plays movements made at locations, in time order, from the levels
// before the first (nil: all of start at main), and turns each into what
// it does to the total: a count sets its own location's level, so it
// becomes the change it makes there; a move changes no total. It returns
// the levels before the first movement at or after mark, and after the last.
func Settle(start Level, places Places, moves []Movement, mark int64) (atMark, atEnd Places) {
	if places == nil {
		places = Places{"": start}
	} else {
		places = places.clone()
	}
	for i := range moves {
		m := &moves[i]
		if atMark == nil && m.At >= mark {
			atMark = places.clone()
		}
		here := places[m.Place]
		switch {
		case m.Moved != 0:
			here.OnHand -= m.Moved
			there := places[m.To]
			there.OnHand += m.Moved
			places[m.To] = there
		case m.Count:
			m.Count, m.OnHand = false, m.OnHand-here.OnHand
			fallthrough
		default:
			here = here.Apply(*m)
		}
		places[m.Place] = here
	}
	if atMark == nil {
		atMark = places.clone()
	}
	return atMark, places
}

// AtPlace is the movements as one location sees them, in the same order: a
// count there sets its level, a move out of it takes units and a move into
// it brings them; the rest of the shop is left out.
func AtPlace(moves []Movement, place string) []Movement {
	out := make([]Movement, 0, len(moves))
	for _, m := range moves {
		switch {
		case m.Moved != 0 && m.Place == place:
			out = append(out, Movement{At: m.At, OnHand: -m.Moved})
		case m.Moved != 0 && m.To == place:
			out = append(out, Movement{At: m.At, OnHand: m.Moved})
		case m.Moved == 0 && m.Place == place:
			out = append(out, m)
		}
	}
	return out
}
