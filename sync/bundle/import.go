package bundle

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"

	"microshop/domain"
	"microshop/sync/changes"
)

// Result is what an import did.
type Result struct {
	Total   int            // changes in the bundle
	Applied int            // changes this replica did not hold yet
	Vector  changes.Vector // the replica's vector afterwards
	// Renewed: this replica was found restored from a backup and took a
	// new device id before applying (see changes.Restorable).
	Renewed bool
}

// Import reads a bundle from src and applies it to r; name is the file's
// name for messages. The whole bundle is checked first (that it is intact,
// complete, within the limits and of r's shop, and, when r is a
// changes.Checker, that r refuses none of the changes it does not hold
// yet) and nothing is applied unless it passes. The packed bytes are kept
// in memory in case the changes r lacks are too many to keep from the
// first reading, so a file changed meanwhile cannot slip in, and src is
// read once. Changes r holds already are neither checked nor applied
// again: they would change nothing, and a bundle holds the whole shop.
func Import(ctx context.Context, r changes.Replica, src io.Reader, name string) (Result, error) {
	packed, h, sv, err := readWhole(ctx, r, src, name)
	if err != nil {
		return Result{}, err
	}
	res := Result{Total: h.count}
	if res.Renewed, err = reconcile(ctx, r, h.Header, sv, name); err != nil {
		return Result{}, err
	}
	before, err := r.Vector(ctx)
	if err != nil {
		return Result{}, err
	}
	runs := func(fn func([]changes.Change) error) error { return eachRunOf(sv.news, fn) }
	if sv.overflowed || res.Renewed { // renewed, r holds other changes than it did
		runs = func(fn func([]changes.Change) error) error {
			return eachRun(ctx, packed.Bytes(), name, r.ShopID(), before, fn)
		}
	}
	if err := checkAll(ctx, r, runs, name); err != nil {
		return Result{}, err
	}
	v, refused, err := applyAll(ctx, r, runs, name)
	if err != nil {
		return res, err
	}
	if a, ok := r.(acknowledger); ok && refused == nil && !res.Renewed && h.Origin != r.DeviceID() {
		// Another device's bundle holds this one's changes up to what its
		// header says (checkOwnClaims): they are synced, as a relay's
		// acknowledgement says, so a shop synced only by USB stick stops
		// counting them as not yet synced.
		if err := a.MarkAcknowledged(ctx, h.Vector); err != nil {
			return res, err
		}
	}
	res.Vector = v
	if v == nil {
		res.Vector = before
	}
	res.Applied = int(res.Vector.Total() - before.Total())
	return res, refused
}

// readWhole reads the bundle in src once, checking it is whole and of r's
// shop, and returns its packed bytes, what it holds and what r lacks of it.
func readWhole(ctx context.Context, r changes.Replica, src io.Reader, name string) (*bytes.Buffer, scanned, *survey, error) {
	sv, err := newSurvey(ctx, r)
	if err != nil {
		return nil, scanned{}, nil, err
	}
	var packed bytes.Buffer
	if f, ok := src.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			packed.Grow(int(min(fi.Size(), maxBytes))) // not grown again and again
		}
	}
	h, err := scan(ctx, io.TeeReader(src, &packed), name, r.ShopID(), sv.see)
	return &packed, h, sv, err
}

// reconcile checks what the bundle says of this replica's own changes and
// of the others' it holds, and renews the replica when the bundle shows it
// was restored from a backup (see changes.Restorable).
func reconcile(ctx context.Context, r changes.Replica, h Header, sv *survey, name string) (bool, error) {
	rs, ok := r.(changes.Restorable)
	if !ok {
		return false, nil
	}
	if err := checkForks(ctx, rs, r.DeviceID(), h, sv, name); err != nil {
		return false, err
	}
	if err := checkOwnClaims(ctx, rs, r.DeviceID(), h, sv, name); err != nil {
		return false, err
	}
	var head *changes.Head
	if hd, ok := h.Heads[r.DeviceID()]; ok {
		head = &hd
	}
	return rs.Reconcile(ctx, h.Vector, head)
}

// checkAll has a replica that can check changes ahead check every run of
// the bundle it does not hold, so a bundle it would refuse any of is not
// imported at all.
func checkAll(ctx context.Context, r changes.Replica, runs func(func([]changes.Change) error) error, name string) error {
	c, ok := r.(changes.Checker)
	if !ok {
		return nil
	}
	check := c.Checks(ctx)
	return runs(func(batch []changes.Change) error {
		if err := check(batch); err != nil {
			return &domain.Error{Code: domain.ErrorCode(err), Message: fmt.Sprintf("the bundle %s was not imported: %s", name, domain.ErrorMessage(err)), Remedy: domain.RemedyOf(err), Err: err}
		}
		return nil
	})
}

// acknowledger is a replica that counts which of its own changes another
// device holds.
type acknowledger interface {
	MarkAcknowledged(ctx context.Context, peer changes.Vector) error
}

// applyAll applies the changes of a checked bundle run by run, and returns
// the replica's vector after them (nil when there were none). A change the
// replica refuses all the same (a replica that cannot check ahead, or a
// key bound by a sync meanwhile) leaves the rest applied; the first
// refusal is returned, naming the file.
func applyAll(ctx context.Context, r changes.Replica, runs func(func([]changes.Change) error) error, name string) (v changes.Vector, refused, err error) {
	err = runs(func(batch []changes.Change) error {
		got, err := r.Apply(ctx, batch)
		if err != nil && got == nil {
			return err
		}
		if err != nil && refused == nil {
			refused = &domain.Error{Code: domain.ErrorCode(err), Message: fmt.Sprintf("the bundle %s holds a change this shop refused, and the rest of it was imported: %s", name, domain.ErrorMessage(err)), Remedy: domain.RemedyOf(err), Err: err}
		}
		v = got
		return nil
	})
	return v, refused, err
}

// batcher cuts a bundle's changes into the batches an import checks and
// applies. A sealed change is checked in the run its device signed, which
// ends at one that carries a point: a batch ends there too. Batches are
// at most a wire batch; the cap only bounds a file of changes signed by no
// one, which a sealed replica refuses.
type batcher struct {
	batch []changes.Change
	fn    func([]changes.Change) error
}

func (b *batcher) add(c changes.Change) error {
	b.batch = append(b.batch, c)
	if len(b.batch) >= batchSize && atRunEnd(c) || len(b.batch) >= 4*batchSize {
		err := b.fn(b.batch)
		b.batch = b.batch[:0]
		return err
	}
	return nil
}

func (b *batcher) flush() error {
	if len(b.batch) == 0 {
		return nil
	}
	return b.fn(b.batch)
}

// eachRun hands fn, batch by batch, the changes of a checked bundle that a
// replica holding held does not hold.
func eachRun(ctx context.Context, packed []byte, name, shop string, held changes.Vector, fn func([]changes.Change) error) error {
	b := &batcher{batch: make([]changes.Change, 0, batchSize), fn: fn}
	u := newUnheld(held)
	if _, err := scan(ctx, bytes.NewReader(packed), name, shop, func(_ *Header, c changes.Change) error {
		return u.pass(c, b.add)
	}); err != nil {
		return err
	}
	return b.flush()
}

// eachRunOf hands fn, batch by batch, the changes cs.
func eachRunOf(cs []changes.Change, fn func([]changes.Change) error) error {
	b := &batcher{batch: make([]changes.Change, 0, batchSize), fn: fn}
	for _, c := range cs {
		if err := b.add(c); err != nil {
			return err
		}
	}
	return b.flush()
}

// checkForks refuses a bundle holding, at the last sequence this replica
// holds of another device, a different change: that device was restored
// from a backup and numbered its changes again, and applying the bundle
// would skip them as held. The restored device renews itself once it
// imports a bundle from here (or syncs), and its next bundle applies.
func checkForks(ctx context.Context, rs changes.Restorable, self string, h Header, sv *survey, name string) error {
	forked := domain.Errorf(domain.EConflict, "the bundle %s comes from a device restored from a backup that has not caught up yet, and importing it would skip its latest changes; import a bundle from this device on that one first (or let it sync), then export it again", name)
	// The bundle's last change of each origin, if held here...
	for origin, head := range h.Heads {
		if origin == self {
			continue
		}
		d, err := rs.DigestAt(ctx, origin, head.Seq)
		if err != nil {
			return err
		}
		if d != "" && d != head.Digest {
			return forked
		}
	}
	// ...and this replica's last change of each origin, if in the bundle.
	if sv.forked {
		return forked
	}
	return nil
}

// checkOwnClaims refuses a bundle whose header says it holds more of this
// replica's own changes, or another last one, than its lines do. What the
// header says of them renews the replica's identity (Reconcile) before
// anything is applied, and the header is neither sealed nor signed: an
// edited one, its checksum made again, had a device take a new id and send
// its changes again. A claim this replica's own log confirms renews
// nothing, and needs no line: a shop restored from this device's backup
// holds its changes without the signatures to forward them, and its
// bundles leave them out. Any other claim must be backed by the bundle's
// lines, as every bundle that could renew a device is: the peer holds
// the changes it claims as their device signed them.
func checkOwnClaims(ctx context.Context, rs changes.Restorable, self string, h Header, sv *survey, name string) error {
	claim := h.Vector[self]
	head, hasHead := h.Heads[self]
	if claim <= 0 && !hasHead {
		return nil
	}
	edited := domain.Errorf(domain.EInvalid, "the bundle %s was changed after it was written: its header names changes of this device it does not hold; nothing was imported, so export it again", name)
	if hasHead && head.Seq != claim {
		return edited
	}
	held, err := rs.DigestAt(ctx, self, claim)
	if err != nil {
		return err
	}
	if held != "" && (!hasHead || held == head.Digest) {
		return nil
	}
	if !sv.claimFound || hasHead && sv.claimDigest != head.Digest {
		return edited
	}
	return nil
}
