package relay

import (
	"context"
	"crypto/ed25519"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// A sealed shop's changes are signed by the devices that made them, in
// runs (package seal). The relay checks every run it is given before
// storing it, binds each device's key on its first point, and sends the
// changes on in the runs their devices signed, so devices check them too.

// storeKeys is a shop's device keys in the store, as seal.CheckBatch reads
// them.
type storeKeys struct {
	store Store
	shop  string
}

func (k storeKeys) KeyOf(ctx context.Context, origin string) (ed25519.PublicKey, error) {
	return k.store.KeyOf(ctx, k.shop, origin)
}

// checkSigned refuses a batch of a sealed shop unless every change in it
// is signed by its device, and binds the keys of devices seen for the
// first time.
func checkSigned(ctx context.Context, store Store, shop string, writeKey ed25519.PublicKey, batch []changes.Change) error {
	checked, err := seal.CheckBatch(ctx, storeKeys{store, shop}, writeKey, shop, batch)
	if err != nil {
		return err
	}
	if r := checked.Refused; r != nil {
		return wire.Errorf(wire.CodeUnauthorized, "The change %s/%d is refused: %s; only the device that made a change can send it.",
			r.Change.Origin, r.Change.Seq, domain.ErrorMessage(r.Err))
	}
	bound := map[string]bool{}
	for _, p := range checked.Points {
		if bound[p.Origin] {
			continue
		}
		key, err := store.BindDeviceKey(ctx, shop, p.Origin, p.Key)
		if err != nil {
			return err
		}
		if !ed25519.PublicKey(key).Equal(p.Key) {
			return wire.Errorf(wire.CodeUnauthorized, "The change %s/%d is signed with another key than its device's; only the device that made a change can send it.", p.Origin, p.Seq)
		}
		bound[p.Origin] = true
	}
	return nil
}

// SignedChangesAfter is store.ChangesAfter for a device of a shop, with
// each sealed origin's changes in the runs their device signed (seal.Cut):
// a run whose point begins before what the device holds is sent whole
// (the device skips what it holds), and reaches past it: a read cut before
// such a run's point is made again longer, up to maxRunBytes, never sent
// with only what the device holds. A run with no point at all (sent by an
// older Microshop, or stored by hand) goes as it is, for the device to
// refuse and say why.
func SignedChangesAfter(ctx context.Context, store Store, shop string, v changes.Vector, maxChanges, maxBytes int) ([]changes.Change, error) {
	from := v
	for attempt := 0; ; attempt++ {
		batch, err := store.ChangesAfter(ctx, shop, from, maxChanges, maxBytes)
		if err != nil || len(batch) == 0 {
			return batch, err
		}
		out, restarts, short := cutRuns(batch, v)
		switch {
		case len(restarts) > 0 && attempt == 0:
			from = v.Clone()
			for o, seq := range restarts {
				from[o] = seq - 1
			}
		case short && len(out) == 0 && (maxChanges < wire.MaxBatchChanges || maxBytes < maxRunBytes):
			// One run longer than the limits: its device signed it
			// within a batch's limits, which may be larger than these.
			maxChanges = max(maxChanges, min(2*maxChanges, wire.MaxBatchChanges))
			maxBytes = max(maxBytes, min(2*maxBytes, maxRunBytes))
		case short && len(out) == 0:
			return batch, nil // no point in reach: the device refuses it and says why
		default:
			return out, nil
		}
	}
}

// maxRunBytes is how large a run its device signed can read from the
// store: the device fitted it within wire.MaxBatchBytes, and the store may
// hold a point of another cut on each of its changes, which the cut sends
// without.
const maxRunBytes = wire.MaxBatchBytes + wire.MaxBatchChanges*wire.MaxSigBytes

// cutRuns cuts each sealed origin's run of batch at its points, for a
// device holding v. It says where runs whose points begin earlier must be
// read again from, and whether it left out the last run, whose points past
// what the device holds may lie past the limits.
func cutRuns(batch []changes.Change, v changes.Vector) (out []changes.Change, restarts map[string]int64, short bool) {
	runs := originRuns(batch)
	out = make([]changes.Change, 0, len(batch))
	for i, run := range runs {
		if !seal.IsSealed(run[0]) {
			out = append(out, run...)
			continue
		}
		cut, restart := seal.Cut(run)
		held := len(cut) > 0 && cut[len(cut)-1].Seq <= v[run[0].Origin]
		switch {
		case restart != 0:
			if restarts == nil {
				restarts = map[string]int64{}
			}
			restarts[run[0].Origin] = restart
		case (len(cut) == 0 || held) && i == len(runs)-1:
			short = true
		case held:
			// read again from its start, the run reaches no further than
			// what the device holds: it goes in a later batch
		case len(cut) == 0:
			out = append(out, run...) // no point at all: for the device to refuse
		default:
			out = append(out, cut...)
		}
	}
	return out, restarts, short
}

// originRuns splits a batch into runs of one origin each.
func originRuns(batch []changes.Change) [][]changes.Change {
	var runs [][]changes.Change
	start := 0
	for i := 1; i <= len(batch); i++ {
		if i == len(batch) || batch[i].Origin != batch[start].Origin {
			runs = append(runs, batch[start:i])
			start = i
		}
	}
	return runs
}

// dropHeld leaves out of a batch to a device what it holds already: each
// change it holds, and for a sealed shop each signed run it holds whole
// (a run partly held goes whole: its point signs all of it).
func dropHeld(batch []changes.Change, peer changes.Vector) []changes.Change {
	out := make([]changes.Change, 0, len(batch))
	runStart := 0
	for i, c := range batch {
		if seal.IsSealed(c) {
			if c.Sig == "" && i+1 < len(batch) && batch[i+1].Origin == c.Origin {
				continue // the run goes on
			}
			if c.Seq > peer[c.Origin] {
				out = append(out, batch[runStart:i+1]...)
			}
			runStart = i + 1
			continue
		}
		if c.Seq > peer[c.Origin] {
			out = append(out, c)
		}
		runStart = i + 1
	}
	return out
}
