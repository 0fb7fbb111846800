package bundle

import (
	"context"

	"microshop/sync/changes"
	"microshop/sync/seal"
)

// keepAtMost is how many new changes the first reading of a bundle keeps
// in memory (about 30 MB), so a bundle bringing a few changes to a shop
// that holds the rest is checked and applied without reading it again.
// A bundle bringing more is read again, run by run.
var keepAtMost = 50_000

// unheld passes on, in order, the changes of a bundle a replica does not
// hold yet: every bundle carries the whole shop, and a device that synced
// yesterday holds nearly all of it. A change held is dropped, except with
// the rest of a run its device signed that the replica holds only the
// start of: a run is checked whole, so those wait for its point.
type unheld struct {
	held    changes.Vector
	waiting map[string][]changes.Change // held changes of an origin since its last point
}

func newUnheld(held changes.Vector) *unheld {
	return &unheld{held: held, waiting: map[string][]changes.Change{}}
}

// pass hands c to emit if the replica does not hold it, after the held
// start of its run.
func (u *unheld) pass(c changes.Change, emit func(changes.Change) error) error {
	if c.Seq > u.held[c.Origin] {
		for _, w := range u.waiting[c.Origin] {
			if err := emit(w); err != nil {
				return err
			}
		}
		delete(u.waiting, c.Origin)
		return emit(c)
	}
	if atRunEnd(c) {
		delete(u.waiting, c.Origin)
	} else {
		u.waiting[c.Origin] = append(u.waiting[c.Origin], c)
	}
	return nil
}

// atRunEnd says c ends a run of changes checked together: a sealed change
// at its device's signed point, or any change not sealed.
func atRunEnd(c changes.Change) bool { return c.Sig != "" || !seal.IsSealed(c) }

// survey is what the first reading of a bundle finds besides its being
// whole: what the fork and claim checks ask of its lines (see checkForks
// and checkOwnClaims), and the changes the replica does not hold.
type survey struct {
	self  string
	heads map[string]changes.Head // the replica's last change of each origin; nil when it cannot say
	new   *unheld

	forked      bool   // a line at one of heads is another change
	claimFound  bool   // the line at the header's claim of the replica's own changes
	claimDigest string // and its digest
	news        []changes.Change
	overflowed  bool // more than keepAtMost new changes: news is not all of them
}

func newSurvey(ctx context.Context, r changes.Replica) (*survey, error) {
	held, err := r.Vector(ctx)
	if err != nil {
		return nil, err
	}
	s := &survey{self: r.DeviceID(), new: newUnheld(held)}
	if rs, ok := r.(changes.Restorable); ok {
		if s.heads, err = rs.Heads(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// see takes in one line of the bundle, whose header is h.
func (s *survey) see(h *Header, c changes.Change) error {
	if hd, ok := s.heads[c.Origin]; ok && c.Origin != s.self && c.Seq == hd.Seq && seal.Digest(c) != hd.Digest {
		s.forked = true
	}
	if c.Origin == s.self && c.Seq == h.Vector[s.self] {
		s.claimFound, s.claimDigest = true, seal.Digest(c)
	}
	if s.overflowed {
		return nil
	}
	return s.new.pass(c, func(c changes.Change) error {
		if len(s.news) == keepAtMost {
			s.news, s.overflowed = nil, true
		} else if !s.overflowed {
			s.news = append(s.news, c)
		}
		return nil
	})
}
