package app

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"microshop/sync/changes"
)

// Record entities and the fields sync may set on them. Each field is the
// column of the same name in the entity's table.
var recordTables = map[string]struct {
	table  string
	fields []string
}{
	"shop":    {"shop", []string{"name", "currency", "hold_percent", "handling_days"}},
	"factory": {"factories", []string{"name", "kind", "location", "lead_days", "moq", "multiple", "established", "paused", "pause_reason", "resumed_at"}},
	"sku":     {"skus", []string{"code", "name", "path", "factory_id", "price", "cost", "lead_days", "min_cover", "max_cover", "archived"}},
	"batch":   {"batches", []string{"sku_id", "factory_id", "ordered", "unit_cost", "ordered_at", "expected_at", "qa", "qa_at", "qa_note"}},
}

func isRecord(entity string) bool {
	_, ok := recordTables[entity]
	return ok
}

// fieldWinner is the current value of a record field and its stamp.
func fieldWinner(ctx context.Context, q queryer, entity, id, field string) (stamp string, value []byte, err error) {
	err = q.QueryRowContext(ctx, `SELECT stamp, value FROM field_versions
		WHERE entity = ? AND entity_id = ? AND field = ? ORDER BY stamp DESC LIMIT 1`, entity, id, field).Scan(&stamp, &value)
	if err == sql.ErrNoRows {
		return "", nil, nil
	}
	return stamp, value, err
}

// materializeRecord merges one record change: every field version is kept,
// the highest stamp wins the column, and versions that lost without being
// knowingly replaced are listed as conflicts.
func materializeRecord(ctx context.Context, q queryer, c changes.Change, inv *invalidations) error {
	var body changes.RecordBody
	if err := json.Unmarshal(c.Body, &body); err != nil {
		return fmt.Errorf("record change %s/%d: %w", c.Origin, c.Seq, err)
	}
	spec, known := recordTables[c.Entity]
	fields := make([]string, 0, len(body))
	for f := range body {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		fv := body[f]
		base, _ := json.Marshal(fv.Base)
		if fv.Base == nil {
			base = []byte("[]")
		}
		value := []byte(fv.Value)
		if len(value) == 0 {
			value = []byte("null")
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO field_versions (entity, entity_id, field, stamp, base, value)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, c.Entity, c.EntityID, f, c.HLC, base, value); err != nil {
			return err
		}
		winStamp, winValue, err := fieldWinner(ctx, q, c.Entity, c.EntityID, f)
		if err != nil {
			return err
		}
		if known && winStamp == c.HLC && slices.Contains(spec.fields, f) {
			if err := setColumn(ctx, q, spec.table, c.EntityID, f, winValue); err != nil {
				return err
			}
			if c.Entity == "batch" && (f == "qa" || f == "qa_at" || f == "sku_id") {
				inv.batch(c.EntityID)
			}
		}
		if err := settleConflicts(ctx, q, c.Entity, c.EntityID, f); err != nil {
			return err
		}
	}
	return nil
}

// setColumn writes a JSON value into a record's column, creating the row
// with defaults when this is the first field of it seen here.
func setColumn(ctx context.Context, q queryer, table, id, column string, raw []byte) error {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return fmt.Errorf("field %s of %s: %w", column, id, err)
	}
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		if err != nil {
			return fmt.Errorf("field %s of %s is not a whole number: %s", column, id, x)
		}
		v = n
	case bool:
		if x {
			v = 1
		} else {
			v = 0
		}
	case string, nil:
	default:
		return fmt.Errorf("field %s of %s has an unsupported value %s", column, id, raw)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO `+table+` (id) VALUES (?) ON CONFLICT DO NOTHING`, id); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `UPDATE `+table+` SET `+column+` = ? WHERE id = ?`, v, id)
	return err
}

// settleConflicts recomputes a field's conflicts from its versions: every
// version but the winner that no other version names as replaced. It is a
// function of the set of versions alone, so replicas holding the same
// changes list the same conflicts whatever order the changes came in.
func settleConflicts(ctx context.Context, q queryer, entity, id, field string) error {
	rows, err := q.QueryContext(ctx, `SELECT stamp, base, value FROM field_versions
		WHERE entity = ? AND entity_id = ? AND field = ? ORDER BY stamp`, entity, id, field)
	if err != nil {
		return err
	}
	type version struct {
		stamp string
		value []byte
	}
	var versions []version
	replaced := map[string]bool{}
	for rows.Next() {
		var v version
		var base []byte
		if err := rows.Scan(&v.stamp, &base, &v.value); err != nil {
			rows.Close()
			return err
		}
		var bases []string
		if err := json.Unmarshal(base, &bases); err == nil {
			for _, b := range bases {
				replaced[b] = true
			}
		}
		versions = append(versions, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(versions) <= 1 {
		return nil
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM conflicts WHERE entity = ? AND entity_id = ? AND field = ?`, entity, id, field); err != nil {
		return err
	}
	kept := versions[len(versions)-1]
	for _, v := range versions[:len(versions)-1] {
		if replaced[v.stamp] {
			continue
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO conflicts (entity, entity_id, field, lost_stamp, lost_value, kept_stamp, kept_value)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, entity, id, field, v.stamp, v.value, kept.stamp, kept.value); err != nil {
			return err
		}
	}
	return nil
}
