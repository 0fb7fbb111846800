package seal

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"

	"microshop/sync/changes"
)

// Keys is what a checker of signed points holds of the shop's device
// keys: the relay's store, or a device's shop.
type Keys interface {
	// KeyOf is the key origin signs with, nil while none is known.
	KeyOf(ctx context.Context, origin string) (ed25519.PublicKey, error)
}

// Signed is a point that verified: the change it is on and its device's
// key, for the checker to bind and keep.
type Signed struct {
	Origin string
	Seq    int64
	Sig    string
	Key    ed25519.PublicKey
}

// Checked is what CheckBatch found: the changes that may be kept, in batch
// order, the points among them, and the first change refused, if any.
type Checked struct {
	Kept    []changes.Change
	Points  []Signed
	Refused *Refusal
}

// Refusal is a change refused, and why.
type Refusal struct {
	Change changes.Change
	Err    error
}

// originRun is one origin's state while a batch is checked.
type originRun struct {
	key     ed25519.PublicKey // known, or bound by a point of this batch
	known   bool              // key was looked up
	pending []int             // changes after the last point that verified
	failed  bool
}

// CheckBatch verifies the device signatures of a batch of shop, whose
// write key is writeKey: each origin's changes must come in sequence, in
// whole runs that each end at a point that verifies under the origin's
// key. An origin's changes from the first that fails on are refused
// (Checked.Refused names the first); the other origins' are kept.
func CheckBatch(ctx context.Context, keys Keys, writeKey ed25519.PublicKey, shop string, batch []changes.Change) (Checked, error) {
	var out Checked
	runs := map[string]*originRun{}
	keep := make([]bool, len(batch))
	fail := func(r *originRun, c changes.Change, err error) {
		r.failed, r.pending = true, nil
		if out.Refused == nil {
			out.Refused = &Refusal{c, err}
		}
	}
	for i, c := range batch {
		r := runs[c.Origin]
		if r == nil {
			r = &originRun{}
			runs[c.Origin] = r
		}
		if r.failed {
			continue
		}
		if n := len(r.pending); n > 0 && c.Seq != batch[r.pending[n-1]].Seq+1 {
			fail(r, c, unsigned("it came out of sequence"))
			continue
		}
		r.pending = append(r.pending, i)
		if c.Sig == "" {
			continue
		}
		run, err := r.verify(ctx, keys, writeKey, shop, batch, c)
		if err != nil {
			if !errors.Is(err, ErrUnsigned) {
				return Checked{}, err
			}
			fail(r, batch[r.pending[0]], err)
			continue
		}
		for _, j := range run {
			keep[j] = true
		}
		r.pending = nil
		out.Points = append(out.Points, Signed{Origin: c.Origin, Seq: c.Seq, Sig: c.Sig, Key: r.key})
	}
	for _, r := range runs {
		if len(r.pending) > 0 {
			fail(r, batch[r.pending[0]], unsigned("it came without its device's signature (an older Microshop sends none: update it on the device that made the change)"))
		}
	}
	for i, c := range batch {
		if keep[i] {
			out.Kept = append(out.Kept, c)
		}
	}
	return out, nil
}

// verify checks the point on c, the last of r.pending, and returns the
// indexes of the run it signs: all of r.pending, or the point does not
// cover what came before it in the batch.
func (r *originRun) verify(ctx context.Context, keys Keys, writeKey ed25519.PublicKey, shop string, batch []changes.Change, c changes.Change) ([]int, error) {
	p, err := ParsePoint(c.Sig)
	if err != nil {
		return nil, err
	}
	if first := batch[r.pending[0]].Seq; p.From != first {
		return nil, unsigned("its device signed it with changes that are not all here")
	}
	run := make([]changes.Change, len(r.pending))
	for k, j := range r.pending {
		run[k] = batch[j]
	}
	if err := p.Check(writeKey, shop, run); err != nil {
		return nil, err
	}
	if !r.known {
		if r.key, err = keys.KeyOf(ctx, c.Origin); err != nil {
			return nil, err
		}
		r.known = true
	}
	if r.key != nil && !bytes.Equal(r.key, p.Key) {
		return nil, unsigned("it is signed with another key than its device's")
	}
	r.key = p.Key
	return r.pending, nil
}

// Cut chooses, in a dense run of one origin's changes starting at the one
// after what a peer holds, the runs their points sign, and returns the
// changes to send: from the run's start through the last point reachable
// from it run after run, with only those points' Sigs. When no held point
// starts at the run's start but one starts earlier, restart is where to
// read the run again from (the peer skips what it holds). A run with no
// point to send gives nothing: a device of the shop sent it unsigned.
//
// The same changes can be held with points of two cuts (a relay's batches,
// then a bundle of their device's): the run that is longest at the start
// may end where no run of either cut begins, so the chain sent is the one
// that reaches furthest. Each change holds one point at most, so one chain
// at most reaches it.
func Cut(run []changes.Change) (out []changes.Change, restart int64) {
	if len(run) == 0 {
		return nil, 0
	}
	start := run[0].Seq
	froms, earliest := runStarts(run)
	if earliest != 0 && earliest < start && !startsAt(froms, start) {
		return nil, earliest
	}
	// before[i] is the point that ends the run before the one i's point
	// signs: none when i's run begins at start, unreached when no chain
	// of runs from start reaches i.
	const none, unreached = -1, -2
	before := make([]int, len(run))
	last := unreached
	for i := range run {
		before[i] = unreached
		switch f := froms[i]; {
		case f == start:
			before[i] = none
		case f > start && before[f-1-start] != unreached:
			before[i] = int(f - 1 - start)
		}
		if before[i] != unreached {
			last = i
		}
	}
	if last == unreached {
		return nil, 0
	}
	out = make([]changes.Change, last+1)
	for i, c := range run[:last+1] {
		c.Sig = ""
		out[i] = c
	}
	for i := last; i != none; i = before[i] {
		out[i].Sig = run[i].Sig
	}
	return out, 0
}

// runStarts is, per change of run, where the run its point signs began (0
// for a change with no point), and the earliest of them.
func runStarts(run []changes.Change) (froms []int64, earliest int64) {
	froms = make([]int64, len(run))
	for i, c := range run {
		if c.Sig == "" {
			continue
		}
		if p, err := ParsePoint(c.Sig); err == nil && p.From >= 1 && p.From <= c.Seq {
			froms[i] = p.From
			if earliest == 0 || p.From < earliest {
				earliest = p.From
			}
		}
	}
	return froms, earliest
}

func startsAt(froms []int64, start int64) bool {
	for _, f := range froms {
		if f == start {
			return true
		}
	}
	return false
}
