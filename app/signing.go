package app

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"strings"

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

// deviceKey is this device's signing key, made on first need and bound
// to this device's id in the shop's book of keys.
func (s *Shop) deviceKey(ctx context.Context) (seal.DeviceKey, error) {
	device := s.DeviceID()
	text, err := getMeta(ctx, s.db, deviceKeyMeta)
	if err != nil {
		return seal.DeviceKey{}, err
	}
	if id, seed, ok := strings.Cut(text, " "); ok && id == device {
		if k, err := seal.ParseDeviceKey(seed); err == nil {
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
	return k, tx.Commit()
}

// KeyOf implements seal.Keys: the key origin signs with, nil while none
// is known.
func (s *Shop) KeyOf(ctx context.Context, origin string) (ed25519.PublicKey, error) {
	var key []byte
	err := s.db.QueryRowContext(ctx, `SELECT key FROM device_keys WHERE origin = ?`, origin).Scan(&key)
	if isNoRows(err) {
		return nil, nil
	}
	return key, err
}

// sealedAfter is ChangesAfter for a sealed shop: each origin's changes
// sealed, within a batch's limits when limit is above 0, and signed: this
// device's own at their end, another's cut after the last of its points
// held here, which each carries.
func (s *Shop) sealedAfter(ctx context.Context, sealer *seal.Sealer, v changes.Vector, limit int) ([]changes.Change, error) {
	origins, err := s.heldOrigins(ctx)
	if err != nil {
		return nil, err
	}
	if limit > 0 {
		limit = min(limit, wire.MaxBatchChanges) // a batch, as wire.FitBatch cuts one
	}
	var out []changes.Change
	size := 0
	for _, o := range origins {
		n := limit - len(out)
		if limit <= 0 {
			n = -1
		} else if n <= 0 {
			break
		}
		run, err := s.logAfterOrigin(ctx, o, v[o], n)
		if err != nil || len(run) == 0 {
			if err != nil {
				return nil, err
			}
			continue
		}
		for i, c := range run {
			if run[i], err = sealer.Seal(c); err != nil {
				return nil, err
			}
		}
		own := o == s.DeviceID()
		if !own {
			// Another's run goes only in the runs its device signed.
			if run, err = s.pointsOf(ctx, sealer, run, n); err != nil {
				return nil, err
			}
		}
		full := false
		if limit > 0 {
			if own {
				size += seal.PointTextSize // the point its last change will carry
			}
			run, full = fitRun(run, &size, len(out) == 0)
			if !own {
				run, _ = seal.Cut(run)
			}
		}
		if own {
			if err := s.signRun(ctx, sealer, run); err != nil {
				return nil, err
			}
		}
		out = append(out, run...)
		if full {
			break
		}
	}
	return out, nil
}

// fitRun cuts run so the batch, size bytes so far, stays within the
// wire's limit (wire.FitBatch); a run that starts the batch keeps at least
// one change. full reports a cut.
func fitRun(run []changes.Change, size *int, first bool) (_ []changes.Change, full bool) {
	for i, c := range run {
		n := wire.ChangeSize(c)
		if *size+n > wire.MaxBatchBytes && !(first && i == 0) {
			return run[:i], true
		}
		*size += n
	}
	return run, false
}

// signRun signs a run of this device's own sealed changes on its last.
func (s *Shop) signRun(ctx context.Context, sealer *seal.Sealer, run []changes.Change) error {
	if len(run) == 0 {
		return nil
	}
	key, err := s.deviceKey(ctx)
	if err != nil {
		return err
	}
	run[len(run)-1].Sig = sealer.SignRun(key, run)
	return nil
}

// pointsOf puts on a run of another device's sealed changes the points
// held of them, and cuts it where they allow (seal.Cut): a device accepts
// another's changes only in runs that device signed. When the points
// begin before the run, it is read again from there, up to n changes.
func (s *Shop) pointsOf(ctx context.Context, sealer *seal.Sealer, run []changes.Change, n int) ([]changes.Change, error) {
	if err := s.attachPoints(ctx, run); err != nil {
		return nil, err
	}
	out, restart := seal.Cut(run)
	if restart == 0 {
		return out, nil
	}
	again, err := s.logAfterOrigin(ctx, run[0].Origin, restart-1, n)
	if err != nil {
		return nil, err
	}
	for i, c := range again {
		if again[i], err = sealer.Seal(c); err != nil {
			return nil, err
		}
	}
	if err := s.attachPoints(ctx, again); err != nil {
		return nil, err
	}
	out, _ = seal.Cut(again)
	return out, nil
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

// savePoint keeps a signed point of origin's change seq.
func savePoint(ctx context.Context, q queryer, origin string, seq int64, sig string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO chain_points (origin, seq, sig) VALUES (?, ?, ?)
		ON CONFLICT (origin, seq) DO UPDATE SET sig = excluded.sig`, origin, seq, sig)
	return err
}

// keepPoints binds the keys of the points a batch brought, checked, and
// keeps the points, in the batch's transaction. An origin's first key is
// its key for good: a point under another, checked against a key bound
// meanwhile, refuses the batch.
func keepPoints(ctx context.Context, tx *sql.Tx, points []seal.Signed) error {
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
