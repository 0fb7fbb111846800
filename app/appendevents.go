package app

import (
	"encoding/json"
	"fmt"

	"microshop/sync/changes"
)

// bulkWrite gives the transaction bulkWriting; the writer puts its own
// settings back when the transaction ends, however it ends. Call it before
// logging tens of thousands of events.
func (t *txn) bulkWrite() error {
	if _, err := t.tx.tx.ExecContext(t.ctx, bulkWriting); err != nil {
		return storeError(t.shop.path, err)
	}
	t.shop.writer.bulk = true
	return nil
}

// addEvents records many insert-only events as addEvent does one by one,
// but logs them in multi-row statements, as applying a sync batch does:
// one statement per event is most of the cost of a large import.
func (t *txn) addEvents(events []event) error {
	cs := make([]changes.Change, 0, min(len(events), maxRun*16))
	es := make([]*event, 0, cap(cs))
	flush := func() error {
		if len(cs) == 0 {
			return nil
		}
		logged, err := t.shop.logChanges(t.ctx, t.ctx, t.tx, cs, es)
		if err != nil {
			return storeError(t.shop.path, err)
		}
		for i, c := range cs {
			if !logged[i] {
				return storeError(t.shop.path, fmt.Errorf("change %d of this device is logged already", c.Seq))
			}
			if err := materialize(t.ctx, t.tx, c, es[i], &t.dv); err != nil {
				return fmt.Errorf("%s %s: %w", c.Entity, c.EntityID, storeError(t.shop.path, err))
			}
			t.made = append(t.made, c)
		}
		cs, es = cs[:0], es[:0]
		return nil
	}
	for i := range events {
		e := &events[i]
		body, ok := encodeEventFast(e)
		if !ok {
			var err error
			if body, err = json.Marshal(e); err != nil {
				return err
			}
		}
		t.seq++
		t.last = t.shop.clock.Next()
		c := changes.Change{Origin: t.shop.DeviceID(), Seq: t.seq, HLC: t.last.String(), Entity: e.Kind, EntityID: e.ID, Body: body}
		e.HLC = c.HLC
		if err := checkContent(c, e); err != nil {
			return err
		}
		cs, es = append(cs, c), append(es, e)
		if len(cs) == cap(cs) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
