package app

import (
	"context"
	"strings"
	"sync"

	"microshop/sync/changes"
)

// logChange adds a change to the log, the one row it makes. An event's row
// holds its fields too (e, decoded from the body), and is then a row of the
// events view. It reports false when the change is held already. An event
// whose id is held already, brought by another change, is logged as a
// plain change, so the log stays whole and the event is counted once; the
// event it returns is then nil.
func (s *Shop) logChange(ctx context.Context, q queryer, c changes.Change, e *event) (logged bool, _ *event, err error) {
	if e != nil && isEvent(c.Entity) {
		n, err := s.skuKey(ctx, q, e.SKUID)
		if err != nil {
			return false, nil, err
		}
		query, args := eventInsert(c, e, n)
		res, err := q.ExecContext(ctx, query, args...)
		if err != nil {
			return false, nil, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return true, e, nil
		}
	}
	res, err := q.ExecContext(ctx, `INSERT INTO changes (origin, seq, hlc, entity, entity_id, body) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, c.Origin, c.Seq, c.HLC, c.Entity, c.EntityID, []byte(c.Body))
	if err != nil {
		return false, nil, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil, nil
}

// skuKey is the local number of a SKU id in the ledger indexes, made the
// first time an event names the SKU. The writer keeps the numbers it knows;
// one made in a transaction that then fails is forgotten with it (see
// writer.end).
func (s *Shop) skuKey(ctx context.Context, q queryer, id string) (int64, error) {
	w := &s.writer
	if w.keys == nil {
		rows, err := q.QueryContext(ctx, `SELECT n, id FROM sku_keys`)
		if err != nil {
			return 0, err
		}
		keys := map[string]int64{}
		for rows.Next() {
			var n int64
			var id string
			if err := rows.Scan(&n, &id); err != nil {
				rows.Close()
				return 0, err
			}
			keys[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		w.keys = keys
	}
	if n, ok := w.keys[id]; ok {
		return n, nil
	}
	var n int64
	if err := q.QueryRowContext(ctx, `INSERT INTO sku_keys (id) VALUES (?) RETURNING n`, id).Scan(&n); err != nil {
		return 0, err
	}
	w.keys[id] = n
	w.unsure = true
	return n, nil
}

// eventInsert is the statement that logs an event change, with its
// arguments. Most of an event's optional fields are empty (a sale has no
// batch, reason or note), and each bound argument costs more than the
// column it fills, so empty fields are written into the statement as
// literals, and so is the kind: one statement per combination, made once.
func eventInsert(c changes.Change, e *event, skuKey int64) (string, []any) {
	args := make([]any, 0, 19)
	args = append(args, c.Origin, c.Seq, c.HLC, c.EntityID, []byte(c.Body), e.SKUID, skuKey, e.At, e.Qty)
	optional := [...]struct {
		value any
		empty bool
	}{
		{e.Held, e.Held == 0}, {e.BatchID, e.BatchID == ""}, {e.FactoryID, e.FactoryID == ""},
		{e.Price, e.Price == 0}, {e.Channel, e.Channel == ""}, {e.Reason, e.Reason == ""},
		{e.Restock, !e.Restock}, {e.Note, e.Note == ""}, {e.Ref, e.Ref == ""},
	}
	shape := 0
	for i, o := range optional {
		if !o.empty {
			shape |= 1 << i
			args = append(args, o.value)
		}
	}
	key := eventShape{c.Entity, shape}
	if query, ok := eventInserts.Load(key); ok {
		return query.(string), args
	}
	empty := [...]string{"0", "''", "''", "0", "''", "''", "0", "''", "''"}
	var b strings.Builder
	// The kind is one of a few names checked by isEvent, safe to write in.
	b.WriteString(`INSERT INTO changes (entity, origin, seq, hlc, entity_id, body, sku_id, sku_n, at, qty,
		held, batch_id, factory_id, price, channel, reason, restock, note, ref) VALUES ('` + c.Entity + `', ?, ?, ?, ?, ?, ?, ?, ?, ?`)
	for i, lit := range empty {
		b.WriteString(", ")
		if shape&(1<<i) != 0 {
			b.WriteString("?")
		} else {
			b.WriteString(lit)
		}
	}
	b.WriteString(") ON CONFLICT DO NOTHING")
	query, _ := eventInserts.LoadOrStore(key, b.String())
	return query.(string), args
}

// eventInserts holds eventInsert's statements by kind and the set of
// fields bound.
var eventInserts sync.Map

type eventShape struct {
	kind   string
	fields int
}
