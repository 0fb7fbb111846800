package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// A report of a day gone reads the SKUs as they were at its end: those
// that existed then and were not archived then, with the supply path,
// factory, price, cost, lead time and cover they had then, and their
// factory's lead time, minimum order and multiple of then. A SKU is a
// record, merged field by field, and every version of each of its fields
// is kept with its clock stamp (field_versions, in the first schema, filled
// by every write and every change applied, never emptied), so what it was
// at a moment is what its versions stamped before that moment say. A
// report of now never reads them: the SKUs as stored are now.

// stampBefore is the stamp prefix every clock stamp of a moment before t
// sorts below, and every stamp of t or later at or above: a stamp begins
// with its wall clock in milliseconds, 15 digits.
func stampBefore(t time.Time) string { return fmt.Sprintf("%015d", t.UnixMilli()) }

// skusAsOf is rows, SKUs as stored, as they were at asOf's end: those
// that did not exist then are left out, and those archived then are kept,
// Archived, as a report of now keeps them. For a report of now it is rows,
// read from nowhere else.
func (s *Shop) skusAsOf(ctx context.Context, q queryer, rows []skuRow, asOf AsOf) ([]skuRow, error) {
	if !asOf.gone(s.Now()) {
		return rows, nil
	}
	before := stampBefore(asOf.End)
	one := ""
	if len(rows) == 1 {
		one = rows[0].ID
	}
	hist, err := readHistories(ctx, q, "sku", one, before)
	if err != nil {
		return nil, err
	}
	terms, err := factoryTermsAt(ctx, q, before)
	if err != nil {
		return nil, err
	}
	out := make([]skuRow, 0, len(rows))
	var late []string // made after the end
	for _, r := range rows {
		if h, ok := hist[r.ID]; ok {
			if h.created() >= before {
				late = append(late, r.ID)
			}
			r = r.then(h.at(before, recordTables["sku"].fields))
		}
		t, ok := terms[r.FactoryID]
		if !ok {
			t = factoryTerms{multiple: 1} // none, or not arrived by sync: as the join reads it
		}
		r.Factory, r.factoryLeadDays, r.factoryMOQ, r.factoryMultiple = t.name, t.leadDays, t.moq, t.multiple
		r.Settle(r.over, r.factoryLeadDays)
		out = append(out, r)
	}
	if len(late) == 0 {
		return out, nil
	}
	there, err := historyBefore(ctx, q, late, asOf.End.UnixMilli())
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(out, func(r skuRow) bool {
		had, late := there[r.ID]
		return late && !had
	}), nil
}

// skuAsOf is one SKU as of asOf (skusAsOf). One added after asOf's end,
// with no history then, is not found: the report of that day has no such
// SKU.
func (s *Shop) skuAsOf(ctx context.Context, q queryer, r skuRow, asOf AsOf) (skuRow, error) {
	rows, err := s.skusAsOf(ctx, q, []skuRow{r}, asOf)
	if err != nil {
		return r, err
	}
	if len(rows) == 1 {
		return rows[0], nil
	}
	var first string
	if err := q.QueryRowContext(ctx, `SELECT min(stamp) FROM field_versions WHERE entity = 'sku' AND entity_id = ?`, r.ID).Scan(&first); err != nil {
		return r, err
	}
	added, _ := changes.ParseStamp(first)
	return r, domain.Errorf(domain.ENotFound, "SKU %s was added on %s, after %s: a report of that day has no such SKU",
		r.Code, time.UnixMilli(added.Wall).In(asOf.Day.Location()).Format(time.DateOnly), asOf.Day.Format(time.DateOnly))
}

// then is r, a SKU as stored now, with the fields f (recordHistory.at)
// gave it at a moment: its supply path, factory, price, cost, overrides
// and whether it was archived; a field not set then has its column's
// default. Its code and name stay today's, as the maker knows it and a
// report is asked for it; its factory's name and terms are the caller's.
func (r skuRow) then(f map[string]any) skuRow {
	r.Path = domain.SupplyPath(textField(f, "path", string(domain.PathHandmade)))
	r.FactoryID = textField(f, "factory_id", "")
	r.Price, r.Cost = domain.Money(intField(f, "price", 0)), domain.Money(intField(f, "cost", 0))
	r.Archived = intField(f, "archived", 0) != 0
	r.over = domain.Overrides{LeadDays: daysField(f, "lead_days"), MinCover: daysField(f, "min_cover"), MaxCover: daysField(f, "max_cover")}
	return r
}

// textField, intField and daysField read a field of f as columnValue
// gave it, or def when it was not set.
func textField(f map[string]any, name, def string) string {
	if v, ok := f[name].(string); ok {
		return v
	}
	return def
}

func intField(f map[string]any, name string, def int64) int64 {
	switch v := f[name].(type) {
	case int64:
		return v
	case int: // a bool column's
		return int64(v)
	}
	return def
}

func daysField(f map[string]any, name string) *int {
	if v, ok := f[name].(int64); ok {
		n := int(v)
		return &n
	}
	return nil
}

// factoryTerms are what a SKU takes from its factory: its name, as it is
// now, and its lead time, minimum order and batch multiple.
type factoryTerms struct {
	name                    string
	leadDays, moq, multiple int
}

// factoryTermsAt is every factory's terms as they stood before `before`
// (a stampBefore), by id: as stored, but for factories changed since.
func factoryTermsAt(ctx context.Context, q queryer, before string) (map[string]factoryTerms, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, lead_days, moq, multiple FROM factories`)
	if err != nil {
		return nil, err
	}
	out := map[string]factoryTerms{}
	for rows.Next() {
		var id string
		var t factoryTerms
		if err := rows.Scan(&id, &t.name, &t.leadDays, &t.moq, &t.multiple); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hist, err := readHistories(ctx, q, "factory", "", before)
	if err != nil {
		return nil, err
	}
	for id, h := range hist {
		f := h.at(before, recordTables["factory"].fields)
		t := out[id]
		t.leadDays, t.moq, t.multiple = int(intField(f, "lead_days", 0)), int(intField(f, "moq", 0)), int(intField(f, "multiple", 1))
		out[id] = t
	}
	return out, nil
}

// fieldVersion is one stored version of a record's field.
type fieldVersion struct {
	field, stamp string
	value        []byte
}

// recordHistory is every version of one record's fields, by field and
// then by stamp.
type recordHistory []fieldVersion

// created is when the record was made: the stamp of its first version.
// A record is made with its fields in one change, and its versions keep
// the stamp of the device that made it, also on a device that joined the
// shop later.
func (h recordHistory) created() string {
	first := ""
	for _, v := range h {
		if first == "" || v.stamp < first {
			first = v.stamp
		}
	}
	return first
}

// at is the record's fields as they stood before `before`: each the
// last version stamped before it whose value fits its column (kinds), as
// merging picks the highest-stamped one that fits; a field with none was
// not set then, and is absent. A record made at or after `before` is read
// as it was made: nothing older is known of it, and its report (a day of
// history recorded later) takes the oldest values there are rather than
// today's.
func (h recordHistory) at(before string, kinds map[string]columnKind) map[string]any {
	first := h.created()
	out := map[string]any{}
	for _, v := range h {
		kind, known := kinds[v.field]
		if !known || v.stamp >= before && v.stamp != first {
			continue
		}
		if val, ok := columnValue(kind, v.value); ok {
			out[v.field] = val
		}
	}
	return out
}

// readHistories reads the histories of entity's records that changed at
// or after since (a stampBefore), by id: of the one record id, or of all
// of them when id is "". Records unchanged since are as they are stored.
func readHistories(ctx context.Context, q queryer, entity, id, since string) (map[string]recordHistory, error) {
	query, args := `SELECT entity_id, field, stamp, value FROM field_versions
		WHERE entity = ?1 AND entity_id IN (SELECT entity_id FROM field_versions WHERE entity = ?1 AND stamp >= ?2)
		ORDER BY entity_id, field, stamp`, []any{entity, since}
	if id != "" {
		query, args = `SELECT entity_id, field, stamp, value FROM field_versions
		WHERE entity = ? AND entity_id = ? ORDER BY field, stamp`, []any{entity, id}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]recordHistory{}
	changed := map[string]bool{}
	for rows.Next() {
		var rid string
		var v fieldVersion
		if err := rows.Scan(&rid, &v.field, &v.stamp, &v.value); err != nil {
			return nil, err
		}
		out[rid] = append(out[rid], v)
		changed[rid] = changed[rid] || v.stamp >= since
	}
	for rid := range out {
		if !changed[rid] {
			delete(out, rid)
		}
	}
	return out, rows.Err()
}

// seekFewSKUs is the most SKUs historyBefore looks for one at a time,
// a day at a time; past it, one pass over the ledger before the end costs
// less.
const seekFewSKUs = 16

// historyBefore tells, for each of the SKUs ids, made after end, whether
// it has history before end all the same: a ledger event (a count dated
// then, sales imported from a channel's file) or a batch ordered. The
// ledger says such a SKU was there, so a report of that day has it.
func historyBefore(ctx context.Context, q queryer, ids []string, end int64) (map[string]bool, error) {
	there := make(map[string]bool, len(ids))
	keyed := map[int64]string{} // the ones with events at all, by local number
	for _, id := range ids {
		var ordered bool
		if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM batches WHERE sku_id = ? AND ordered_at < ?)`, id, end).Scan(&ordered); err != nil {
			return nil, err
		}
		var n int64
		err := q.QueryRowContext(ctx, `SELECT n FROM sku_keys WHERE id = ?`, id).Scan(&n)
		switch {
		case ordered:
			there[id] = true
		case err == nil:
			keyed[n] = id
		case isNoRows(err): // not one event
			there[id] = false
		default:
			return nil, err
		}
	}
	if len(keyed) > seekFewSKUs {
		return there, eventsBefore(ctx, q, keyed, end, there)
	}
	l := &ledger{q: q}
	for _, id := range keyed {
		_, found, err := l.eventBefore(ctx, id, end)
		if err != nil {
			return nil, err
		}
		there[id] = found
	}
	return there, nil
}

// eventsBefore tells in there whether each SKU of keyed has an event
// before end, in one pass over the time-led index that stops once each
// is found.
func eventsBefore(ctx context.Context, q queryer, keyed map[int64]string, end int64, there map[string]bool) error {
	for _, id := range keyed {
		there[id] = false
	}
	rows, err := q.QueryContext(ctx, `SELECT sku_n FROM events WHERE at < ? AND sku_n IS NOT NULL`, end)
	if err != nil {
		return err
	}
	defer rows.Close()
	for left := len(keyed); left > 0 && rows.Next(); {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return err
		}
		if id, ok := keyed[n]; ok && !there[id] {
			there[id] = true
			left--
		}
	}
	return rows.Err()
}
