package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"microshop/domain"
	"microshop/sync/changes"
)

// A replica restored from a backup together with its device file still
// holds its old device id, and issues again sequence numbers it had used
// before the restore: sync would skip the new changes as duplicates of the
// old ones and the sales behind them would never reach another device.
// Reconcile catches it by what a peer holds of this device's own changes
// (DESIGN.md section 3) and renews the replica's identity.

// Reconcile compares a peer's vector and head of this device's changes
// with the replica's own log; see changes.Restorable.
func (s *Shop) Reconcile(ctx context.Context, peer changes.Vector, head *changes.Head) (bool, error) {
	renewed, err := s.renewIfRestored(ctx, peer, head)
	if !renewed || err != nil {
		return renewed, err
	}
	// The new id takes the device's name at once, so the sync under way
	// carries it: the device showed with no name, and its sales under a
	// bare id, until it next wrote something.
	return true, s.write(ctx, func(t *txn) error { _, err := t.nameDevice(); return err })
}

// renewIfRestored gives the replica a new device id when the peer shows
// it was restored from a backup, and reports whether it did.
func (s *Shop) renewIfRestored(ctx context.Context, peer changes.Vector, head *changes.Head) (bool, error) {
	tx, done, err := s.begin(ctx)
	if err != nil {
		return false, storeError(s.path, err)
	}
	defer done()
	defer tx.Rollback()
	old := s.DeviceID()
	own, keep, restored, err := divergence(ctx, tx, old, peer, head)
	if err != nil {
		return false, storeError(s.path, err)
	}
	if !restored {
		return false, nil
	}
	// The changes no peer has acknowledged may be ones the peer holds
	// under the same numbers with other content; they are re-issued under
	// the new id. Those a peer did hold are re-issued too, which is safe:
	// an event is held once whatever change brings it, and a record's
	// field versions are keyed by their stamps, which do not change.
	acked, err := getMetaInt(ctx, tx, "acked_seq")
	if err != nil {
		return false, storeError(s.path, err)
	}
	keep = min(keep, acked)
	device := newID()
	if err := reissue(ctx, tx, old, device, keep, own); err != nil {
		return false, storeError(s.path, err)
	}
	if err := setMeta(ctx, tx, "device_id", device); err != nil {
		return false, storeError(s.path, err)
	}
	if err := setMeta(ctx, tx, "acked_seq", "0"); err != nil {
		return false, storeError(s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return false, storeError(s.path, err)
	}
	// The database names the new id now; the clock carries on past every
	// stamp the old one issued.
	clock := changes.NewClock(device, s.now)
	clock.Observe(s.clock.Last())
	s.clock = clock
	s.device.Store(&device)
	s.named.Store(false)
	s.notify()
	if err := s.writeDeviceFile(device); err != nil {
		return true, domain.Errorf(domain.EUnavailable, "this shop was restored from a backup and now syncs as a new device, but its device file %s could not be written: %v", s.deviceFile(), err)
	}
	return true, nil
}

// reissue moves old's changes after keep to the origin device, numbered
// from 1 in the same order. The log rows stay where they are, so the
// ledger, stock checkpoints and every derived total are untouched.
func reissue(ctx context.Context, q queryer, old, device string, keep, own int64) error {
	if _, err := q.ExecContext(ctx, `UPDATE changes SET origin = ?, seq = seq - ? WHERE origin = ? AND seq > ?`, device, keep, old, keep); err != nil {
		return err
	}
	if keep > 0 {
		if _, err := q.ExecContext(ctx, `UPDATE vector SET seq = ? WHERE origin = ?`, keep, old); err != nil {
			return err
		}
	} else if _, err := q.ExecContext(ctx, `DELETE FROM vector WHERE origin = ?`, old); err != nil {
		return err
	}
	if own > keep {
		if _, err := q.ExecContext(ctx, `INSERT INTO vector (origin, seq) VALUES (?, ?)`, device, own-keep); err != nil {
			return err
		}
	}
	return nil
}

var errNotHeld = errors.New("not in the log")

// divergence finds where the peer's record of this device's changes and
// the replica's own log part: own is the replica's last sequence number of
// them, keep the last one both may hold alike. A peer holding more than
// the replica, or other content at its head, means the replica was
// restored from a backup.
func divergence(ctx context.Context, tx queryer, device string, peer changes.Vector, head *changes.Head) (own, keep int64, restored bool, err error) {
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes WHERE origin = ?`, device).Scan(&own); err != nil {
		return 0, 0, false, err
	}
	if peer[device] > own {
		return own, own, true, nil
	}
	if head == nil || head.Seq <= 0 || head.Seq > own {
		return own, own, false, nil
	}
	c, err := changeAt(ctx, tx, device, head.Seq)
	if err != nil {
		return 0, 0, false, err
	}
	if changes.Digest(c) != head.Digest {
		return own, head.Seq - 1, true, nil
	}
	return own, own, false, nil
}

// changeAt reads one change of the log.
func changeAt(ctx context.Context, q queryer, origin string, seq int64) (changes.Change, error) {
	c := changes.Change{Origin: origin, Seq: seq}
	var body []byte
	err := q.QueryRowContext(ctx, `SELECT hlc, entity, entity_id, body FROM changes WHERE origin = ? AND seq = ?`, origin, seq).
		Scan(&c.HLC, &c.Entity, &c.EntityID, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("change %d of %s: %w", seq, origin, errNotHeld)
	}
	c.Body = body
	return c, err
}

// Heads lists, per origin, the highest change held with no gap below it
// and its digest, for a bundle's header.
func (s *Shop) Heads(ctx context.Context) (map[string]changes.Head, error) {
	v, err := s.Vector(ctx)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	heads := make(map[string]changes.Head, len(v))
	for origin, seq := range v {
		if seq < 1 {
			continue
		}
		c, err := changeAt(ctx, s.db, origin, seq)
		if err != nil {
			return nil, storeError(s.path, err)
		}
		heads[origin] = changes.Head{Seq: seq, Digest: changes.Digest(c)}
	}
	return heads, nil
}

// DigestAt is the digest of the change (origin, seq), "" when not held.
func (s *Shop) DigestAt(ctx context.Context, origin string, seq int64) (string, error) {
	c, err := changeAt(ctx, s.db, origin, seq)
	if errors.Is(err, errNotHeld) {
		return "", nil
	}
	if err != nil {
		return "", storeError(s.path, err)
	}
	return changes.Digest(c), nil
}
