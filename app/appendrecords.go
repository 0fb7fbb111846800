package app

import (
	"encoding/json"
	"fmt"
	"strings"

	"microshop/sync/changes"
)

// newRecord is a record the shop holds no version of, and its fields'
// values in the order of the fields addNewRecords is given.
type newRecord struct {
	id     string
	values []any
}

// addNewRecords records records of entity that this device holds no
// version of, each as the one change setRecord would make of it, setting
// fields, but logs and materializes them in multi-row statements: an
// import that marks tens of thousands of orders shipped spent nine tenths
// of its time in setRecord's dozen statements an order. With no earlier
// version, each field's version has no base, wins its column and leaves no
// conflict, so the rows to write are known without reading any. The
// caller makes sure the shop holds no version of any of them.
func (t *txn) addNewRecords(entity string, fields []string, recs []newRecord) error {
	spec, ok := recordTables[entity]
	if !ok {
		return fmt.Errorf("%s is not a record with a table", entity)
	}
	const run = 64
	cs := make([]changes.Change, 0, run)
	values := make([][][]byte, 0, run) // each change's fields, as JSON
	for i := 0; i < len(recs); i += run {
		cs, values = cs[:0], values[:0]
		for _, r := range recs[i:min(i+run, len(recs))] {
			c, raw, err := t.newRecordChange(entity, fields, r)
			if err != nil {
				return err
			}
			cs, values = append(cs, c), append(values, raw)
		}
		if err := t.logNewRecords(cs); err != nil {
			return storeError(t.shop.path, err)
		}
		if err := t.materializeNewRecords(spec.table, fields, cs, values); err != nil {
			return storeError(t.shop.path, err)
		}
		t.made = append(t.made, cs...)
	}
	t.dv.records = t.dv.records || len(recs) > 0
	return nil
}

// newRecordChange stamps the change that sets r's fields, held to the
// rules apply holds every record change to, and gives the fields' values
// as the change holds them.
func (t *txn) newRecordChange(entity string, fields []string, r newRecord) (changes.Change, [][]byte, error) {
	body := make(changes.RecordBody, len(fields))
	values := make([][]byte, len(fields))
	for j, f := range fields {
		raw, err := json.Marshal(r.values[j])
		if err != nil {
			return changes.Change{}, nil, err
		}
		body[f], values[j] = changes.FieldValue{Value: raw}, raw
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return changes.Change{}, nil, err
	}
	t.seq++
	t.last = t.shop.clock.Next()
	c := changes.Change{Origin: t.shop.DeviceID(), Seq: t.seq, HLC: t.last.String(), Entity: entity, EntityID: r.id, Body: raw}
	return c, values, checkContent(c, nil)
}

// logNewRecords logs record changes of this device, as logChange does.
func (t *txn) logNewRecords(cs []changes.Change) error {
	args := make([]any, 0, len(cs)*6)
	for _, c := range cs {
		args = append(args, c.Origin, c.Seq, c.HLC, c.Entity, c.EntityID, []byte(c.Body))
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT OR IGNORE INTO changes (origin, seq, hlc, entity, entity_id, body) VALUES `+rowsOf(6, len(cs)), args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != int64(len(cs)) {
		return fmt.Errorf("%d of %d changes of this device are logged already", int64(len(cs))-n, len(cs))
	}
	return nil
}

// materializeNewRecords writes what materializeRecord would of each
// change: a version of every field, and the record's row with them all.
func (t *txn) materializeNewRecords(table string, fields []string, cs []changes.Change, values [][][]byte) error {
	versions := make([]any, 0, len(cs)*len(fields)*6)
	row := make([]any, 0, len(cs)*(len(fields)+1))
	for i, c := range cs {
		row = append(row, c.EntityID)
		for j, f := range fields {
			raw := values[i][j]
			versions = append(versions, c.Entity, c.EntityID, f, c.HLC, []byte("[]"), raw)
			// The column takes the value as it reads back from the
			// version, as settleColumn does.
			v, _ := columnValue(recordTables[c.Entity].fields[f], raw)
			row = append(row, v)
		}
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO field_versions (entity, entity_id, field, stamp, base, value) VALUES `+
		rowsOf(6, len(cs)*len(fields))+` ON CONFLICT DO NOTHING`, versions...); err != nil {
		return err
	}
	set := make([]string, len(fields))
	for j, f := range fields {
		set[j] = f + " = excluded." + f
	}
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO `+table+` (id, `+strings.Join(fields, ", ")+`) VALUES `+
		rowsOf(len(fields)+1, len(cs))+` ON CONFLICT (id) DO UPDATE SET `+strings.Join(set, ", "), row...)
	return err
}

// rowsOf is the VALUES list of n rows of width placeholders each.
func rowsOf(width, n int) string {
	one := "(" + strings.Repeat("?, ", width-1) + "?)"
	return strings.Repeat(one+", ", n-1) + one
}
