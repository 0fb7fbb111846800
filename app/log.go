package app

import (
	"context"
	"errors"
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
		res, err := q.ExecContext(ctx, eventInsert(1, allColumns), eventValues(nil, c, e, n, allColumns)...)
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
// writer.end). One it does not know may have been made by another process
// on the same shop (the command line beside the desktop app), so it is
// looked for before it is made.
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
	err := q.QueryRowContext(ctx, `SELECT n FROM sku_keys WHERE id = ?`, id).Scan(&n)
	if err == nil {
		w.keys[id] = n
		return n, nil
	}
	if !isNoRows(err) {
		return 0, err
	}
	if err := q.QueryRowContext(ctx, `INSERT INTO sku_keys (id) VALUES (?) RETURNING n`, id).Scan(&n); err != nil {
		return 0, err
	}
	w.keys[id] = n
	w.unsure = true
	return n, nil
}

// maxRun is the most event changes logChanges writes with one statement.
// Every statement run costs the driver and SQLite a fixed amount (locks,
// cursors on the log and each of its indexes, the halt), which for a
// single row is about a fifth of applying it.
const maxRun = 64

// logChanges logs a sync batch's changes in order, as logChange would one
// by one, and reports which it logged; an event whose id is held already
// is logged as a plain change and its entry in events set to nil. Runs of
// events from one origin go in as one multi-row statement each; cancel is
// checked between statements.
func (s *Shop) logChanges(ctx, cancel context.Context, q queryer, batch []changes.Change, events []*event) ([]bool, error) {
	logged := make([]bool, len(batch))
	for i := 0; i < len(batch); {
		if err := cancel.Err(); err != nil {
			return nil, err
		}
		j := i
		for j < len(batch) && j-i < maxRun && events[j] != nil && isEvent(batch[j].Entity) && batch[j].Origin == batch[i].Origin {
			j++
		}
		if j-i > 1 {
			if err := s.logEventRun(ctx, q, batch[i:j], events[i:j], logged[i:j]); err != nil {
				return nil, err
			}
			i = j
			continue
		}
		ok, e, err := s.logChange(ctx, q, batch[i], events[i])
		if err != nil {
			return nil, err
		}
		logged[i], events[i] = ok, e
		i++
	}
	return logged, nil
}

// logEventRun logs events of one origin with one statement. Rows it skips
// (held already, or an event id held under another change) are few; they
// are found by the log's arrival order and go through logChange again,
// which tells the two apart.
func (s *Shop) logEventRun(ctx context.Context, q queryer, run []changes.Change, events []*event, logged []bool) error {
	var before int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM changes`).Scan(&before); err != nil {
		return err
	}
	// The values go in the writer's slice, reused for every run: a
	// large import or sync batch runs thousands of these statements.
	args := s.writer.args[:0]
	if args == nil {
		args = make([]any, 0, maxRun*eventColumns)
	}
	defer func() { clear(args); s.writer.args = args[:0] }()
	mask := s.writer.runMask(events)
	for i, c := range run {
		n, err := s.skuKey(ctx, q, events[i].SKUID)
		if err != nil {
			return err
		}
		args = eventValues(args, c, events[i], n, mask)
	}
	n, err := s.execEvents(ctx, q, eventInsert(len(run), mask), args)
	if err != nil {
		return err
	}
	if n == int64(len(run)) {
		for i := range logged {
			logged[i] = true
		}
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT seq FROM changes WHERE n > ?`, before)
	if err != nil {
		return err
	}
	inserted := map[int64]bool{}
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			rows.Close()
			return err
		}
		inserted[seq] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, c := range run {
		if inserted[c.Seq] {
			logged[i] = true
			delete(inserted, c.Seq) // a second copy in the run was skipped
			continue
		}
		ok, e, err := s.logChange(ctx, q, c, events[i])
		if err != nil {
			return err
		}
		logged[i], events[i] = ok, e
	}
	return nil
}

// execEvents runs a multi-row insert of events, directly on the writer's
// connection when q is one of the writer's transactions (see execDirect).
func (s *Shop) execEvents(ctx context.Context, q queryer, query string, args []any) (int64, error) {
	if p, ok := q.(*prepared); ok && p.shared != nil {
		n, err := s.writer.execDirect(ctx, query, args)
		if !errors.Is(err, errNoDirect) {
			return n, err
		}
	}
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// eventColumns is how many values each row of eventInsert takes when
// every optional column is bound.
const eventColumns = 11 + len(optionalColumns)

// optionalColumns are the columns of an event's log row that most events
// leave empty (a sale has no batch, reason or note), in eventInsert's
// order after the eleven every event sets. A statement binds only those
// some row of its run sets, and writes the others' empty value as a
// literal: binding a value costs the driver more than SQLite's storing
// it, and a run of sales bound twelve of them a row for nothing.
var optionalColumns = [...]struct {
	name, empty string // the column, and its empty value in SQL
	text        bool   // an empty text is bound as NULL and stored as ''
	value       func(e *event) any
}{
	{"held", "0", false, func(e *event) any { return int64(e.Held) }},
	{"batch_id", "''", true, func(e *event) any { return e.BatchID }},
	{"factory_id", "''", true, func(e *event) any { return e.FactoryID }},
	{"channel", "''", true, func(e *event) any { return e.Channel }},
	{"reason", "''", true, func(e *event) any { return e.Reason }},
	{"restock", "0", false, func(e *event) any { return e.Restock }},
	{"note", "''", true, func(e *event) any { return e.Note }},
	{"ref", "''", true, func(e *event) any { return e.Ref }},
	{"order_id", "''", true, func(e *event) any { return e.Order }},
	{"payment", "''", true, func(e *event) any { return e.Payment }},
	{"discount", "0", false, func(e *event) any { return e.Discount }},
	{"refund", "0", false, func(e *event) any { return refundColumn(e) }},
	{"location", "''", true, func(e *event) any { return e.Location }},
	{"to_location", "''", true, func(e *event) any { return e.To }},
	{"kit_id", "''", true, func(e *event) any { return e.Kit }},
	{"kit_qty", "0", false, func(e *event) any { return int64(e.KitQty) }},
}

// refundNone is the refund column of a return that paid nothing back (an
// exchange: event.NoRefund), told from 0, a return naming no refund,
// which the margins value at the sale price. A flag of its own would be a
// column outside the index the margins read (events_money, events_at), and
// send them to every row. No body carries a refund below zero (checkTill
// refuses one), and the column is this device's own, filled from the body
// wherever a body becomes a row (refundColumn; migration 0030 for rows
// logged before), never synced. Every reader of the column takes it as 0
// paid back: max(refund, 0) in SQL.
const refundNone = -1

// refundColumn is the value of an event's refund column.
func refundColumn(e *event) int64 {
	if e.NoRefund {
		return refundNone
	}
	return e.Refund
}

// columnMask says which of optionalColumns a statement binds, a bit each.
type columnMask uint16

// allColumns binds every optional column: the one-row insert's mask, and
// that of runs shorter than maxRun, so the writer keeps no more than one
// statement per run length and a few for full runs.
const allColumns columnMask = 1<<len(optionalColumns) - 1

// maxMasks is the most masks of full runs the writer keeps statements
// for: each is a statement of maxRun rows, and a shop's events set a few
// combinations of columns.
const maxMasks = 8

// runMask is the mask a run of events is logged with: the optional
// columns any of them sets when the run is full and the writer has, or
// may add, a statement for that mask; every column otherwise.
func (w *writer) runMask(events []*event) columnMask {
	if len(events) != maxRun {
		return allColumns
	}
	var mask columnMask
	for _, e := range events {
		mask |= setColumns(e)
	}
	if !w.masks[mask] {
		if len(w.masks) >= maxMasks {
			return allColumns
		}
		if w.masks == nil {
			w.masks = map[columnMask]bool{}
		}
		w.masks[mask] = true
	}
	return mask
}

// setColumns is the mask of the optional columns e sets.
func setColumns(e *event) columnMask {
	var m columnMask
	for i, col := range optionalColumns {
		switch v := col.value(e).(type) {
		case string:
			if v != "" {
				m |= 1 << i
			}
		case bool:
			if v {
				m |= 1 << i
			}
		case int64:
			if v != 0 {
				m |= 1 << i
			}
		}
	}
	return m
}

// eventValues appends the values of an event change's row to args, in
// eventInsert's order, with the optional columns mask binds.
func eventValues(args []any, c changes.Change, e *event, skuKey int64, mask columnMask) []any {
	args = append(args, c.Entity, c.Origin, c.Seq, c.HLC, c.EntityID, []byte(c.Body), e.SKUID, skuKey, e.At, int64(e.Qty), e.Price) // an int would go through reflection
	for i, col := range optionalColumns {
		if mask&(1<<i) == 0 {
			continue
		}
		v := col.value(e)
		if s, ok := v.(string); ok && col.text {
			v = orNull(s)
		}
		args = append(args, v)
	}
	return args
}

// eventInsert is the statement that logs n event changes, binding the
// optional columns of mask. Most of an event's text fields are empty;
// bound, they are bound as NULL and stored as empty text, because binding
// a string copies it into C memory, even an empty one. A row held already
// is skipped by OR IGNORE, which skips it as ON CONFLICT DO NOTHING did,
// and also means no row can abort the statement: SQLite then keeps no
// statement journal, a copy of every page a many-row statement touches
// that cost a sixth of logging a large import. A NULL in a NOT NULL
// column, which ON CONFLICT would have refused, is skipped too, and then
// refused by logChange's plain insert.
func eventInsert(n int, mask columnMask) string {
	key := eventInsertKey{n, mask}
	if query, ok := eventInserts.Load(key); ok {
		return query.(string)
	}
	var b strings.Builder
	b.WriteString(`INSERT OR IGNORE INTO changes (entity, origin, seq, hlc, entity_id, body, sku_id, sku_n, at, qty, price`)
	row := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
	for i, col := range optionalColumns {
		b.WriteString(", " + col.name)
		switch {
		case mask&(1<<i) == 0:
			row += ", " + col.empty
		case col.text:
			row += ", ifnull(?, '')"
		default:
			row += ", ?"
		}
	}
	b.WriteString(") VALUES ")
	row += ")"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	query, _ := eventInserts.LoadOrStore(key, b.String())
	return query.(string)
}

// eventInsertKey names one of eventInsert's statements.
type eventInsertKey struct {
	n    int
	mask columnMask
}

// eventInserts holds eventInsert's statements by their number of rows
// and mask.
var eventInserts sync.Map

// orNull is s, or NULL for an empty string.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}
