package app

import (
	"context"
	"crypto/ed25519"
	"strings"
	"sync"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// Every change of a sealed shop leaves this device on a chain signed by
// its device (package seal): the last change this device sends of its own
// in a batch carries a signed point, and another device's changes go on
// only as far as the last point of that device held here. Points that
// arrive are checked before anything is applied, and kept.

// deviceKeyMeta holds this device's signing key, after the device id it
// belongs to: a copy or a restored backup that takes a new id makes a new
// key, vouched for as the shop's (its old id's key stays the old id's).
const deviceKeyMeta = "device_key"

var _ seal.Keys = (*Shop)(nil)

// deviceSigner is a device id and its key.
type deviceSigner struct {
	device string
	key    seal.DeviceKey
}

// deviceKey is this device's signing key, made on first need and bound
// to this device's id in the shop's book of keys.
func (s *Shop) deviceKey(ctx context.Context) (seal.DeviceKey, error) {
	device := s.DeviceID()
	if d := s.signer.Load(); d != nil && d.device == device {
		return d.key, nil
	}
	text, err := getMeta(ctx, s.db, deviceKeyMeta)
	if err != nil {
		return seal.DeviceKey{}, err
	}
	if id, seed, ok := strings.Cut(text, " "); ok && id == device {
		if k, err := seal.ParseDeviceKey(seed); err == nil {
			s.signer.Store(&deviceSigner{device, k})
			return k, nil
		}
	}
	k, err := seal.NewDeviceKey()
	if err != nil {
		return seal.DeviceKey{}, err
	}
	tx, done, err := s.begin(ctx)
	if err != nil {
		return seal.DeviceKey{}, err
	}
	defer done()
	defer tx.Rollback()
	if err := setMeta(ctx, tx, deviceKeyMeta, device+" "+k.String()); err != nil {
		return seal.DeviceKey{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO device_keys (origin, key) VALUES (?, ?)
		ON CONFLICT (origin) DO UPDATE SET key = excluded.key`, device, []byte(k.Public())); err != nil {
		return seal.DeviceKey{}, err
	}
	if err := tx.Commit(); err != nil {
		return seal.DeviceKey{}, err
	}
	s.signer.Store(&deviceSigner{device, k})
	return k, nil
}

// KeyOf implements seal.Keys: the key origin signs with, nil while none
// is known.
// Another device's key, once bound, never changes (keepPoints), so it is
// read once: a read after each sync batch's commit cost the batch about
// a millisecond. This device's own is read each time, as deviceKey binds
// a new one should its key be lost.
func (s *Shop) KeyOf(ctx context.Context, origin string) (ed25519.PublicKey, error) {
	own := origin == s.DeviceID()
	if key, ok := s.boundKeys.Load(origin); ok && !own {
		return key.(ed25519.PublicKey), nil
	}
	var key []byte
	err := s.db.QueryRowContext(ctx, `SELECT key FROM device_keys WHERE origin = ?`, origin).Scan(&key)
	if isNoRows(err) {
		return nil, nil
	}
	if err == nil && !own {
		s.boundKeys.Store(origin, ed25519.PublicKey(key))
	}
	return key, err
}

// sealedAfter is ChangesAfter for a sealed shop: each origin's changes
// sealed and signed, a batch at a time (within wire.FitBatch's limits).
// This device's own are signed at their end; another device's go in the
// runs that device signed, from the last of its points held here, and a
// batch may hold more than limit of them to end at one. With no limit,
// it is every batch there is, one after the other.
func (s *Shop) sealedAfter(ctx context.Context, sealer *seal.Sealer, v changes.Vector, limit int) ([]changes.Change, error) {
	if limit <= 0 {
		var all []changes.Change
		v = v.Clone()
		for {
			page, err := s.sealedAfter(ctx, sealer, v, wire.MaxBatchChanges)
			if err != nil || len(page) == 0 {
				return all, err
			}
			all = append(all, page...)
			for _, c := range page {
				v[c.Origin] = max(v[c.Origin], c.Seq)
			}
		}
	}
	limit = min(limit, wire.MaxBatchChanges)
	origins, err := s.heldOrigins(ctx)
	if err != nil {
		return nil, err
	}
	var out []changes.Change
	size := 0
	for _, o := range origins {
		n := limit - len(out)
		if n <= 0 {
			break
		}
		var run []changes.Change
		if o == s.DeviceID() {
			run, err = s.ownRun(ctx, sealer, v[o], n, &size, len(out) == 0)
		} else {
			run, err = s.signedRun(ctx, sealer, o, v[o], n, &size, len(out) == 0)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, run...)
	}
	return out, nil
}

// ownRun is up to n of this device's changes after seq, sealed, fitted
// into the batch (size bytes so far) and signed on the last.
func (s *Shop) ownRun(ctx context.Context, sealer *seal.Sealer, after int64, n int, size *int, first bool) ([]changes.Change, error) {
	run, err := s.sealedRun(ctx, sealer, s.DeviceID(), after, n)
	if err != nil || len(run) == 0 {
		return nil, err
	}
	*size += seal.PointTextSize // the point its last change will carry
	if run = fitRun(run, size, first); len(run) == 0 {
		return nil, nil // the batch is full: they go in the next
	}
	key, err := s.deviceKey(ctx)
	if err != nil {
		return nil, err
	}
	last := &run[len(run)-1]
	last.Sig = sealer.SignRun(key, run)
	s.sentPoints.add(last.Origin, last.Seq, last.Sig)
	return run, nil
}

// sentPoints are points this device signed on runs of its own it sent,
// until a peer acknowledges them.
type sentPoints struct {
	mu     sync.Mutex
	origin string
	bySeq  map[int64]string
}

func (p *sentPoints) add(origin string, seq int64, sig string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.origin != origin { // a renewed device id: the old id's are not its
		p.origin, p.bySeq = origin, map[int64]string{}
	}
	p.bySeq[seq] = sig
}

// take removes and returns the points of origin's runs up to seq.
func (p *sentPoints) take(origin string, seq int64) map[int64]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.origin != origin {
		return nil
	}
	out := map[int64]string{}
	for s, sig := range p.bySeq {
		if s <= seq {
			out[s] = sig
			delete(p.bySeq, s)
		}
	}
	return out
}

// keepSentPoints keeps the points of this device's runs a peer has
// acknowledged up to seq, as points from other devices are kept: a backup
// or a copy of this shop can then pass those changes on once it is a
// device of its own. Without them, a restored shop took every change of
// the device it came from as its own again, and the relay and every
// device held the shop twice.
func (s *Shop) keepSentPoints(ctx context.Context, seq int64) error {
	for at, sig := range s.sentPoints.take(s.DeviceID(), seq) {
		if err := savePoint(ctx, s.db, s.DeviceID(), at, sig); err != nil {
			return err
		}
	}
	return nil
}

// signedRun is another device's changes after seq in the runs that device
// signed (seal.Cut), sealed, with their points: from where the run of the
// point runStart chooses begins (the peer skips what it holds), up to n
// changes or, when it starts the batch, through that point; a run the
// batch's room would end within what the peer holds waits for the next.
// A device of which no point is held (an older Microshop signs none) has
// nothing to forward.
func (s *Shop) signedRun(ctx context.Context, sealer *seal.Sealer, origin string, after int64, n int, size *int, first bool) ([]changes.Change, error) {
	start, end, err := s.runStart(ctx, origin, after)
	if err != nil || end == 0 {
		return nil, err
	}
	if first {
		n = max(n, min(int(end-start+1), wire.MaxBatchChanges))
	}
	run, err := s.sealedRun(ctx, sealer, origin, start-1, n)
	if err != nil {
		return nil, err
	}
	if err := s.attachPoints(ctx, run); err != nil {
		return nil, err
	}
	run, _ = seal.Cut(run)
	room := *size
	run = fitRun(run, size, first)
	run, _ = seal.Cut(run)
	if !first && len(run) > 0 && run[len(run)-1].Seq <= after {
		// Cut to the room left in the batch, the run ends within what
		// the peer holds: it goes in the next, which it begins.
		*size = room
		return nil, nil
	}
	return run, nil
}

// runStart chooses where to send origin's changes after seq from: the
// start of the run of a point held past seq, and that point's seq (0 when
// none is held). Points come in more than one cut when the same changes
// arrived by two ways (a relay's batches, then a bundle of their device's),
// and the first point past seq may sign a run that began long before it:
// sending from there sent most of a shop twice. So it is the point whose
// run begins latest, at seq+1 at best, among those that reach seq+1: a
// device signs runs that fit a wire batch, so they end within one of it.
// When none reaches it, the first point past seq, whose run then starts
// past what the peer holds.
func (s *Shop) runStart(ctx context.Context, origin string, after int64) (start, end int64, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, sig FROM chain_points WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?`,
		origin, after, wire.MaxBatchChanges)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var firstFrom, firstSeq int64
	for rows.Next() {
		var seq int64
		var sig string
		if err := rows.Scan(&seq, &sig); err != nil {
			return 0, 0, err
		}
		p, err := seal.ParsePoint(sig)
		if err != nil {
			continue // a damaged point: the device's own sends will do
		}
		if firstSeq == 0 {
			firstFrom, firstSeq = p.From, seq
		}
		if p.From <= after+1 && p.From > start {
			start, end = p.From, seq
		}
		if start == after+1 {
			break
		}
	}
	if err := rows.Err(); err != nil || end != 0 {
		return start, end, err
	}
	return min(after+1, firstFrom), firstSeq, nil
}

// sealedRun is up to n of origin's changes after seq, sealed.
func (s *Shop) sealedRun(ctx context.Context, sealer *seal.Sealer, origin string, after int64, n int) ([]changes.Change, error) {
	run, err := s.logAfterOrigin(ctx, origin, after, n)
	if err != nil {
		return nil, err
	}
	for i, c := range run {
		if run[i], err = sealer.Seal(c); err != nil {
			return nil, err
		}
	}
	return run, nil
}

// fitRun cuts run so the batch, size bytes so far, stays within the
// wire's limit (wire.FitBatch); a run that starts the batch keeps at least
// one change.
func fitRun(run []changes.Change, size *int, first bool) []changes.Change {
	for i, c := range run {
		n := wire.ChangeSize(c)
		if *size+n > wire.MaxBatchBytes && !(first && i == 0) {
			return run[:i]
		}
		*size += n
	}
	return run
}

// attachPoints sets the Sig of each change of a dense run that this
// device holds a point of.
func (s *Shop) attachPoints(ctx context.Context, run []changes.Change) error {
	if len(run) == 0 {
		return nil
	}
	first := run[0]
	rows, err := s.db.QueryContext(ctx, `SELECT seq, sig FROM chain_points WHERE origin = ? AND seq >= ? AND seq <= ?`,
		first.Origin, first.Seq, run[len(run)-1].Seq)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var sig string
		if err := rows.Scan(&seq, &sig); err != nil {
			return err
		}
		if i := int(seq - first.Seq); i >= 0 && i < len(run) {
			run[i].Sig = sig
		}
	}
	return rows.Err()
}

// errKeyChanged refuses a batch bringing a point of a device under another
// key than the one it signs with.
var errKeyChanged = domain.Errorf(domain.ETampered, "a change came signed with another key than its device's; it was not sent by the device it names")

// savePoint keeps a signed point of origin's change seq, unless one is
// held there already: the same changes cut into other runs (a relay's
// batches, a bundle of their device's) bring other points, and replacing
// one broke the chain it ended, so the run before it went out again from
// the start of the newcomer's run.
func savePoint(ctx context.Context, q queryer, origin string, seq int64, sig string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO chain_points (origin, seq, sig) VALUES (?, ?, ?)
		ON CONFLICT (origin, seq) DO NOTHING`, origin, seq, sig)
	return err
}

// keepPoints binds the keys of the points a batch brought, checked, and
// keeps the points, in the batch's transaction. An origin's first key is
// its key for good: a point under another, checked against a key bound
// meanwhile, refuses the batch.
func keepPoints(ctx context.Context, tx queryer, points []seal.Signed) error {
	for _, p := range points {
		var bound []byte
		err := tx.QueryRowContext(ctx, `INSERT INTO device_keys (origin, key) VALUES (?, ?)
			ON CONFLICT (origin) DO UPDATE SET key = key RETURNING key`, p.Origin, []byte(p.Key)).Scan(&bound)
		if err != nil {
			return err
		}
		if !ed25519.PublicKey(bound).Equal(p.Key) {
			return errKeyChanged
		}
		if err := savePoint(ctx, tx, p.Origin, p.Seq, p.Sig); err != nil {
			return err
		}
	}
	return nil
}
