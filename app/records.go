package app

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"microshop/domain"
	"microshop/sync/changes"
)

// columnKind is the type a record field's JSON value must have to be
// written to its column.
type columnKind int

const (
	textColumn    columnKind = iota // a JSON string
	intColumn                       // a whole JSON number
	boolColumn                      // true or false
	nullIntColumn                   // a whole JSON number, or null for "use the default"
)

// Record entities and the fields sync may set on them. Each field is the
// column of the same name in the entity's table.
var recordTables = map[string]struct {
	table  string
	fields map[string]columnKind
}{
	"shop": {"shop", map[string]columnKind{"name": textColumn, "currency": textColumn, "hold_percent": intColumn, "handling_days": intColumn,
		"holding_rate": intColumn}},
	"quote": {"quotes", map[string]columnKind{"factory_id": textColumn, "sku_id": textColumn, "unit_cost": intColumn,
		"shipping": intColumn, "moq": intColumn, "multiple": intColumn, "lead_days": intColumn, "withdrawn": boolColumn}},
	"factory": {"factories", map[string]columnKind{"name": textColumn, "kind": textColumn, "location": textColumn,
		"lead_days": intColumn, "moq": intColumn, "multiple": intColumn, "established": boolColumn, "paused": boolColumn,
		"pause_reason": textColumn, "resumed_at": intColumn, "quality_paused_at": intColumn}},
	"sku": {"skus", map[string]columnKind{"code": textColumn, "name": textColumn, "path": textColumn, "factory_id": textColumn,
		"price": intColumn, "cost": intColumn, "lead_days": nullIntColumn, "min_cover": nullIntColumn, "max_cover": nullIntColumn,
		"archived": boolColumn, "parts": textColumn, "handle": textColumn, "options": textColumn}},
	"location": {"locations", map[string]columnKind{"name": textColumn, "retired": boolColumn}},
	"order":    {"orders", map[string]columnKind{"channel": textColumn, "number": textColumn, "shipped_at": intColumn, "withdrawn_at": intColumn}},
	"batch": {"batches", map[string]columnKind{"sku_id": textColumn, "factory_id": textColumn, "ordered": intColumn,
		"unit_cost": intColumn, "ordered_at": intColumn, "expected_at": intColumn, "qa": textColumn, "qa_at": intColumn,
		"qa_note": textColumn, "cancelled_at": intColumn}},
}

func isRecord(entity string) bool {
	_, ok := recordTables[entity]
	return ok || entity == deviceEntity
}

// recordChecks are the rules a record field's value must meet, beyond its
// column's type: the same domain rules the local write path applies, so a
// change another device sends is held to what this one would write. Each
// looks at one value alone, never at the rest of the record, so whether a
// change is accepted never depends on what else has arrived.
var recordChecks = map[string]map[string]func(v any) error{
	"shop": {
		"name":          text(func(s string) error { return domain.ValidateName("shop name", s) }),
		"currency":      text(domain.ValidateCurrency),
		"hold_percent":  whole(domain.ValidateHoldPercent),
		"handling_days": whole(func(n int) error { return domain.ValidateDays("handling time", n) }),
		"holding_rate":  whole(domain.ValidateHoldingRate),
	},
	"quote": {
		"factory_id": text(func(s string) error { return domain.ValidateID("factory id", s) }),
		"sku_id":     text(func(s string) error { return domain.ValidateID("SKU id", s) }),
		"unit_cost":  unitCost("unit cost"),
		"shipping":   unitCost("shipping per unit"),
		"moq":        whole(domain.ValidateMOQ),
		"multiple":   whole(domain.ValidateMultiple),
		"lead_days":  whole(func(n int) error { return domain.ValidateDays("lead time", n) }),
	},
	"factory": {
		"name":              text(func(s string) error { return domain.ValidateName("factory name", s) }),
		"kind":              text(func(s string) error { _, err := domain.ParseFactoryKind(s); return err }),
		"location":          text(func(s string) error { _, err := domain.ParseLocation(s); return err }),
		"lead_days":         whole(func(n int) error { return domain.ValidateDays("lead time", n) }),
		"moq":               whole(domain.ValidateMOQ),
		"multiple":          whole(domain.ValidateMultiple),
		"pause_reason":      text(func(s string) error { return domain.ValidateNote("reason for the pause", s) }),
		"resumed_at":        momentOrZero("time the factory was resumed"),
		"quality_paused_at": momentOrZero("time the factory's quality returns paused it"),
	},
	"sku": {
		"code": text(domain.ValidateCode),
		"name": text(func(s string) error { return domain.ValidateName("SKU name", s) }),
		"path": text(func(s string) error { _, err := domain.ParseStoredPath(s); return err }),
		"parts": text(func(s string) error {
			if s == "" {
				return nil
			}
			// A kit of one unit of one SKU is taken from another device,
			// though this one refuses to make one: builds before that
			// rule made them, and a device joining the shop would set
			// them aside, with the sales that name them. It is odd, not
			// harmful: it sells and returns as its one part.
			_, err := domain.DecodeKitParts(s)
			return err
		}),
		"factory_id": text(func(s string) error { return idOrEmpty("factory id", s) }),
		"handle":     text(domain.ValidateHandle),
		"options": text(func(s string) error {
			_, err := domain.DecodeVariantOptions(s)
			return err
		}),
		"price":     money("price"),
		"cost":      money("cost"),
		"lead_days": days("lead time"),
		"min_cover": days("minimum cover"),
		"max_cover": days("maximum cover"),
	},
	deviceEntity: {
		"name": text(func(s string) error { return domain.ValidateName("device name", s) }),
	},
	"location": {
		// A location's name as this device would write it: spaces tidied,
		// and never main's, which every shop has already.
		"name": text(domain.ValidateStoredLocationName),
	},
	"order": {
		"channel":      text(func(s string) error { _, err := domain.ParseEventChannel(s); return err }),
		"number":       text(func(s string) error { return domain.ValidateID("order number", s) }),
		"shipped_at":   momentOrZero("time the order shipped"),
		"withdrawn_at": momentOrZero("time the order was cancelled or refunded"),
	},
	"batch": {
		"sku_id":      text(func(s string) error { return domain.ValidateID("SKU id", s) }),
		"factory_id":  text(func(s string) error { return domain.ValidateID("factory id", s) }),
		"ordered":     whole(domain.ValidateQty),
		"unit_cost":   money("unit cost"),
		"ordered_at":  momentOrZero("order time"),
		"expected_at": momentOrZero("expected arrival"),
		"qa":          text(func(s string) error { _, err := domain.ParseQA(s); return err }),
		"qa_at":       momentOrZero("time of the QA decision"),
		"qa_note":     text(func(s string) error { return domain.ValidateNote("QA note", s) }),
	},
}

// text, whole, money, days and momentOrZero adapt a domain rule to a
// column's decoded value (see columnValue).
func text(check func(string) error) func(any) error {
	return func(v any) error { s, _ := v.(string); return check(s) }
}

func whole(check func(int) error) func(any) error {
	return func(v any) error { n, _ := v.(int64); return check(clampInt(n)) }
}

func money(what string) func(any) error {
	return func(v any) error { n, _ := v.(int64); return domain.ValidateMoney(what, domain.Money(n)) }
}

func unitCost(what string) func(any) error {
	return func(v any) error { n, _ := v.(int64); return domain.ValidateUnitCost(what, domain.Money(n)) }
}

// days accepts null too: the SKU follows the default.
func days(what string) func(any) error {
	return func(v any) error {
		if v == nil {
			return nil
		}
		return domain.ValidateDays(what, clampInt(v.(int64)))
	}
}

func momentOrZero(what string) func(any) error {
	return func(v any) error {
		if n, _ := v.(int64); n != 0 {
			return domain.ValidateMoment(what, n)
		}
		return nil
	}
}

func idOrEmpty(what, s string) error {
	if s == "" {
		return nil
	}
	return domain.ValidateID(what, s)
}

// clampInt is n as an int, held inside ±2³¹ so that on any platform a
// value out of every range stays out of it.
func clampInt(n int64) int {
	return int(max(min(n, math.MaxInt32), math.MinInt32))
}

// checkRecord decides whether a record change from another device may take
// effect: every field it sets is one its entity has, with a value of the
// column's type that meets the field's rule. A change that sets a field
// wrongly is refused whole, never in part.
func checkRecord(c changes.Change) error {
	if !utf8.Valid(c.Body) {
		return domain.Errorf(domain.EInvalid, "it holds bytes that are not text")
	}
	var body changes.RecordBody
	if err := json.Unmarshal(c.Body, &body); err != nil {
		return domain.Errorf(domain.EInvalid, "its body is not a list of fields")
	}
	fields := recordTables[c.Entity].fields
	if c.Entity == deviceEntity {
		fields = deviceFields
	}
	checks := recordChecks[c.Entity]
	for _, f := range slices.Sorted(maps.Keys(body)) {
		kind, ok := fields[f]
		if !ok {
			return domain.Errorf(domain.EInvalid, "it sets %s, which a %s does not have", domain.QuoteShort(f), c.Entity)
		}
		v, ok := columnValue(kind, body[f].Value)
		if !ok {
			return domain.Errorf(domain.EInvalid, "its %s is %s, which is not %s", f, domain.QuoteShort(string(body[f].Value)), kindWords[kind])
		}
		if check := checks[f]; check != nil {
			if err := check(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// kindWords says in words what a column takes.
var kindWords = map[columnKind]string{
	textColumn:    "text",
	intColumn:     "a whole number",
	boolColumn:    "true or false",
	nullIntColumn: "a whole number or the default",
}

// columnValue decodes a field's JSON value for a column of kind k; ok is
// false when the value does not fit, and then the version never reaches
// the column, whatever its stamp.
func columnValue(k columnKind, raw []byte) (v any, ok bool) {
	if v, ok, plain := plainColumnValue(k, raw); plain {
		return v, ok
	}
	return decodedColumnValue(k, raw)
}

// decodedColumnValue is columnValue by a JSON decoder: for any value.
func decodedColumnValue(k columnKind, raw []byte) (any, bool) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil || d.More() {
		return nil, false
	}
	switch x := x.(type) {
	case string:
		return x, k == textColumn
	case bool:
		if k != boolColumn {
			return nil, false
		}
		if x {
			return 1, true
		}
		return 0, true
	case json.Number:
		n, err := x.Int64()
		return n, err == nil && (k == intColumn || k == nullIntColumn)
	case nil:
		return nil, k == nullIntColumn
	}
	return nil, false
}

// plainColumnValue is columnValue for the values this build writes, read
// without a decoder: a string of printable ASCII with no escapes, or a
// whole number of at most 18 digits. plain is false for anything else.
// Merging a record decodes each of its fields, and a decoder for each was
// most of the cost of marking an import's orders shipped.
func plainColumnValue(k columnKind, raw []byte) (v any, ok, plain bool) {
	if s, plain := plainString(raw); plain {
		return s, k == textColumn, true
	}
	if n, plain := plainInt(raw); plain {
		return n, k == intColumn || k == nullIntColumn, true
	}
	return nil, false, false
}

// plainString reads a JSON string of printable ASCII with no escapes.
func plainString(raw []byte) (string, bool) {
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' {
		return "", false
	}
	for _, c := range raw[1 : n-1] {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return "", false
		}
	}
	return string(raw[1 : n-1]), true
}

// plainInt reads a JSON whole number of at most 18 digits.
func plainInt(raw []byte) (int64, bool) {
	digits := raw
	if len(raw) > 0 && raw[0] == '-' {
		digits = raw[1:]
	}
	if len(digits) == 0 || len(digits) > 18 || digits[0] == '0' && len(digits) > 1 {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	return n, err == nil
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
// the column holds the highest-stamped version whose value fits it, and
// versions that lost without being knowingly replaced are listed as
// conflicts. All of it depends only on the set of versions, never on the
// order they came in, so a change is never refused for what it holds: one
// this build cannot read stays in the log, to be forwarded.
func materializeRecord(ctx context.Context, q queryer, c changes.Change, dv *derived) error {
	var body changes.RecordBody
	if err := json.Unmarshal(c.Body, &body); err != nil {
		return nil
	}
	spec, known := recordTables[c.Entity]
	dv.records = true
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
		if kind, ok := spec.fields[f]; known && ok {
			changed, err := settleColumn(ctx, q, spec.table, c.Entity, c.EntityID, f, kind, c.HLC)
			if err != nil {
				return err
			}
			if changed && c.Entity == "batch" {
				dv.batch(c.EntityID, f)
			}
		}
		if err := settleConflicts(ctx, q, c.Entity, c.EntityID, f); err != nil {
			return err
		}
	}
	return nil
}

// settleColumn writes the field's column when the version stamped `stamp`
// is now the highest-stamped one that fits it. Otherwise the column already
// holds the right value.
func settleColumn(ctx context.Context, q queryer, table, entity, id, field string, kind columnKind, stamp string) (bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT stamp, value FROM field_versions
		WHERE entity = ? AND entity_id = ? AND field = ? ORDER BY stamp DESC`, entity, id, field)
	if err != nil {
		return false, err
	}
	var winner string
	var value any
	for rows.Next() {
		var st string
		var raw []byte
		if err := rows.Scan(&st, &raw); err != nil {
			rows.Close()
			return false, err
		}
		if v, ok := columnValue(kind, raw); ok {
			winner, value = st, v
			break
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || winner != stamp {
		return false, err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO `+table+` (id) VALUES (?) ON CONFLICT DO NOTHING`, id); err != nil {
		return false, err
	}
	_, err = q.ExecContext(ctx, `UPDATE `+table+` SET `+field+` = ? WHERE id = ?`, value, id)
	return true, err
}

// settleConflicts recomputes a field's conflicts from its versions: every
// version but the winner that no other version names as replaced and
// whose value reads differently from the winner's (see sameValue). It is a
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
		// A version replaced knowingly, or one that said what the kept one
		// says (two devices set the same value), lost nothing.
		if replaced[v.stamp] || sameValue(entity, field, v.value, kept.value) {
			continue
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO conflicts (entity, entity_id, field, lost_stamp, lost_value, kept_stamp, kept_value)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, entity, id, field, v.stamp, v.value, kept.stamp, kept.value); err != nil {
			return err
		}
	}
	return nil
}

// sameValue reports whether two versions of a field say the same to
// people: the same JSON, or moments within the same second, which every
// list shows alike. Two devices deciding a batch's QA in one second listed
// a conflict over its time whose kept and lost values read the same, and
// undoing it changed nothing anyone could see.
func sameValue(entity, field string, a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	x, okX := plainInt(a)
	y, okY := plainInt(b)
	if entity == "order" && (field == "shipped_at" || field == "withdrawn_at") {
		// Shipped is what the maker needs to know of an order: one device
		// marking it by hand and another importing the file that says it
		// shipped, each at its own time, lost nothing worth a conflict.
		// Cancelled likewise: two devices importing an Etsy file, which
		// gives no time, each wrote the time of its own import.
		return okX && okY && x > 0 && y > 0
	}
	if fieldKinds[entity+"."+field] != momentValue {
		return false
	}
	return okX && okY && x > 0 && y > 0 && x/1000 == y/1000
}
