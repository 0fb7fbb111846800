package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// txn is one local write: the rows it changes and the change records that
// describe them commit together or not at all.
type txn struct {
	ctx context.Context
	// tx runs the transaction's statements, each prepared once for the
	// life of the shop: a sale runs a dozen, and parsing them again every
	// time was a third of its cost.
	tx   *prepared
	shop *Shop
	now  time.Time // the one clock reading of this transaction
	seq  int64     // the last local sequence used
	last changes.Stamp
	dv   derived
	made []changes.Change
	// recentChecked is the last log row this transaction checked the
	// recent levels against; 0 when it did not.
	recentChecked int64
	// What the kept sale levels (saleLevels) learn at commit: whether t
	// read the log rows before its own for them, up to levelsFrom, its
	// last row (levelsTo), the SKUs whose events it logged, the latest of
	// their moments, the levels its sales left and whether a batch changed.
	levelsRead           bool
	levelsFrom, levelsTo int64
	touchedSKUs          map[string]bool
	maxAt                int64
	saleLeft             map[string]checkpoint
	batchChanged         bool
}

// write runs fn in a transaction and commits its rows and changes together.
// Any error rolls everything back, so a refused command changes nothing.
func (s *Shop) write(ctx context.Context, fn func(t *txn) error) error {
	tx, done, err := s.begin(ctx)
	if err != nil {
		return storeError(s.path, err)
	}
	defer done()
	defer tx.Rollback()
	t := &txn{ctx: ctx, tx: s.prepared(tx), shop: s, now: s.Now()}
	// Every statement runs prepared, these too: parsing each again cost a
	// warm sale a sixth of its time.
	if err := t.tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes WHERE origin = ?`, s.DeviceID()).Scan(&t.seq); err != nil {
		return storeError(s.path, err)
	}
	if err := fn(t); err != nil {
		return err
	}
	named, err := t.announceDevice()
	if err != nil {
		return err
	}
	if len(t.made) == 0 {
		return nil
	}
	if err := t.dv.flush(ctx, t.tx); err != nil {
		return storeError(s.path, err)
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO vector (origin, seq) VALUES (?, ?)
		ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq`, s.DeviceID(), t.seq); err != nil {
		return storeError(s.path, err)
	}
	if err := setMeta(ctx, t.tx, "clock", t.last.String()); err != nil {
		return storeError(s.path, err)
	}
	if err := t.lastRow(ctx); err != nil {
		return storeError(s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return storeError(s.path, err)
	}
	if named {
		s.named.Store(true)
	}
	s.committed()
	s.recentChecked.committed(t.recentChecked)
	s.saleLevels.committed(t)
	s.walGrew()
	s.notify()
	return nil
}

// setRecord writes fields of a record as one change, each field replacing
// the value this device currently holds and every value of it this device
// holds as lost in a conflict: an edit made where both versions are known
// comes after both, so it settles the conflict, here and on every replica
// it reaches. Based on the winner alone, the old lost value stayed listed
// against the new one.
func (t *txn) setRecord(entity, id string, fields map[string]any) error {
	lost, err := openLost(t.ctx, t.tx, entity, id)
	if err != nil {
		return storeError(t.shop.path, err)
	}
	body := changes.RecordBody{}
	var bases []changes.Stamp
	for f, v := range fields {
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		fv := changes.FieldValue{Value: raw}
		stamp, _, err := fieldWinner(t.ctx, t.tx, entity, id, f)
		if err != nil {
			return storeError(t.shop.path, err)
		}
		if stamp != "" {
			fv.Base = []string{stamp}
		}
		fv.Base = append(fv.Base, lost[f]...)
		for _, b := range fv.Base {
			if st, err := changes.ParseStamp(b); err == nil {
				bases = append(bases, st)
			}
		}
		body[f] = fv
	}
	return t.append(entity, id, body, bases...)
}

// openLost is, by field, the stamps of a record's versions this device
// lists as lost in its conflicts.
func openLost(ctx context.Context, q queryer, entity, id string) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT field, lost_stamp FROM conflicts WHERE entity = ? AND entity_id = ? ORDER BY field, lost_stamp`, entity, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lost map[string][]string
	for rows.Next() {
		var field, stamp string
		if err := rows.Scan(&field, &stamp); err != nil {
			return nil, err
		}
		if lost == nil {
			lost = map[string][]string{}
		}
		lost[field] = append(lost[field], stamp)
	}
	return lost, rows.Err()
}

// resolve writes a field's value as a change that replaces both the current
// winner and a lost version, which settles that conflict on every replica.
func (t *txn) resolve(entity, id, field string, value json.RawMessage, replaced ...string) error {
	fv := changes.FieldValue{Value: value, Base: replaced}
	var bases []changes.Stamp
	for _, r := range replaced {
		if st, err := changes.ParseStamp(r); err == nil {
			bases = append(bases, st)
		}
	}
	return t.append(entity, id, changes.RecordBody{field: fv}, bases...)
}

// addEvent records an insert-only event. The event goes on as it is:
// only its body is written as JSON, never read back.
func (t *txn) addEvent(e event) error {
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return t.log(e.Kind, e.ID, body, &e)
}

// append records a change of a record.
func (t *txn) append(entity, id string, body changes.RecordBody, after ...changes.Stamp) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return t.log(entity, id, raw, nil, after...)
}

// log stamps a change, logs it and materializes it exactly as a change
// from another device would be; e is the event it carries, if it is one.
func (t *txn) log(entity, id string, raw []byte, e *event, after ...changes.Stamp) error {
	t.seq++
	t.last = t.shop.clock.Next(after...)
	c := changes.Change{Origin: t.shop.DeviceID(), Seq: t.seq, HLC: t.last.String(), Entity: entity, EntityID: id, Body: raw}
	if e != nil {
		e.Kind, e.ID, e.HLC = entity, id, c.HLC
	}
	// What another device would set aside is refused here: every input
	// edge checks its own fields first, this holds the whole change to the
	// same rules apply uses.
	if err := checkContent(c, e); err != nil {
		return err
	}
	if e != nil {
		t.touched(e)
	}
	t.batchChanged = t.batchChanged || entity == "batch"
	logged, e, err := t.shop.logChange(t.ctx, t.tx, c, e)
	if err == nil && !logged {
		err = fmt.Errorf("change %d of this device is logged already", c.Seq)
	}
	if err != nil {
		return storeError(t.shop.path, err)
	}
	if err := materialize(t.ctx, t.tx, c, e, &t.dv); err != nil {
		return fmt.Errorf("%s %s: %w", entity, id, storeError(t.shop.path, err))
	}
	t.made = append(t.made, c)
	return nil
}

// materialize turns a logged change into what it means: records merge
// field by field; an event, e, is its log row already, and only the caches
// derived from the ledger learn of it. Changes of kinds this build does not
// know stay in the log only, to be forwarded to others.
func materialize(ctx context.Context, q queryer, c changes.Change, e *event, dv *derived) error {
	switch {
	case isRecord(c.Entity):
		return materializeRecord(ctx, q, c, dv)
	case e != nil:
		eventLogged(e, dv)
	}
	return nil
}

// notFound is the error for a named thing that does not exist.
func notFound(what, name string, remedy domain.Remedy) error {
	return domain.Errorf(domain.ENotFound, "there is no %s %q", what, name).With(remedy)
}
