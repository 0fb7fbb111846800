package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"microshop/domain"
)

// FieldValue is a record field's value as people give it, not as it is
// stored: money as a decimal string ("64.00"), days and counts as whole
// numbers, yes/no as a bool, a factory by its name and a SKU by its code,
// a moment in the shop's time zone. Value is a string, an int64, a bool, or
// nil for none; Default marks an override given up, so the default
// applies. A stored value that does not fit its field (from a device that
// does not check it) is its JSON text, as a string. Shown is how a person
// reads the value where that is not Value's text: an amount in a currency
// with no minor unit, "1500" for "1500.00" in yen; "" otherwise.
type FieldValue struct {
	Value   any
	Default bool
	Shown   string
	// At is a moment's or a day's value as a time in the shop's zone,
	// zero for other fields: Value's RFC 3339 is the command line's typed
	// form, and a table or a screen lays At out as its other times (Text).
	At  time.Time
	day bool
}

// Text is the value for people, a moment laid out as moment and a day as
// day: each tool writes the times of a conflict as it writes its others.
func (v FieldValue) Text(moment, day string) string {
	switch {
	case v.At.IsZero():
		return v.String()
	case v.day:
		return v.At.Format(day)
	}
	return v.At.Format(moment)
}

// String is the value for a sentence or a table cell.
func (v FieldValue) String() string {
	if v.Shown != "" {
		return v.Shown
	}
	switch x := v.Value.(type) {
	case nil:
		if v.Default {
			return "(default)"
		}
		return "(none)"
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case string:
		if x == "" {
			return "(empty)"
		}
		return x
	}
	return fmt.Sprint(v.Value)
}

// valueKind is how a field's stored value reads for people.
type valueKind int

const (
	textValue     valueKind = iota // a string as it is
	moneyValue                     // minor units, shown as a decimal
	countValue                     // a whole number: days, units, a percentage
	overrideValue                  // a whole number of days, or null for the default
	boolValue
	factoryValue // a factory id, shown as its name
	skuValue     // a SKU id, shown as its code
	momentValue  // Unix milliseconds, shown as a time
	dayValue     // Unix milliseconds, shown as a date
)

// fieldKinds are the record fields that do not read as plain text, by
// "entity.field".
var fieldKinds = map[string]valueKind{
	"shop.hold_percent": countValue, "shop.handling_days": countValue, "shop.holding_rate": countValue,
	"quote.factory_id": factoryValue, "quote.sku_id": skuValue, "quote.unit_cost": moneyValue, "quote.shipping": moneyValue,
	"quote.moq": countValue, "quote.multiple": countValue, "quote.lead_days": countValue,
	"factory.lead_days": countValue, "factory.moq": countValue, "factory.multiple": countValue,
	"factory.established": boolValue, "factory.paused": boolValue, "factory.resumed_at": momentValue,
	"factory.quality_paused_at": momentValue,
	"sku.factory_id":            factoryValue, "sku.price": moneyValue, "sku.cost": moneyValue,
	"sku.lead_days": overrideValue, "sku.min_cover": overrideValue, "sku.max_cover": overrideValue,
	"sku.archived": boolValue,
	"batch.sku_id": skuValue, "batch.factory_id": factoryValue, "batch.ordered": countValue,
	"batch.unit_cost": moneyValue, "batch.ordered_at": momentValue, "batch.expected_at": dayValue,
	"batch.qa_at": momentValue, "batch.cancelled_at": momentValue,
	"order.shipped_at": momentValue, "order.withdrawn_at": momentValue,
	"location.retired": boolValue,
}

// fieldWords are the record fields whose stored names are not what a
// maker reads, by "entity.field": a conflict listed "cancelled_at". The
// others read as their names with spaces (FieldName).
var fieldWords = map[string]string{
	"shop.hold_percent": "QA hold percent", "shop.handling_days": "handling days",
	"quote.factory_id": "factory", "quote.sku_id": "SKU", "quote.moq": "MOQ", "quote.shipping": "shipping per unit",
	"factory.moq": "MOQ", "factory.resumed_at": "resumed", "factory.quality_paused_at": "paused for quality",
	"factory.pause_reason": "reason for the pause",
	"sku.factory_id":       "factory", "sku.min_cover": "min cover days", "sku.max_cover": "max cover days",
	"batch.sku_id": "SKU", "batch.factory_id": "factory", "batch.ordered": "quantity ordered", "batch.ordered_at": "ordered",
	"batch.expected_at": "expected", "batch.qa": "QA", "batch.qa_at": "QA decided", "batch.qa_note": "QA note",
	"batch.cancelled_at": "cancelled",
	"order.shipped_at":   "shipped", "order.withdrawn_at": "cancelled",
	"location.retired": "removed",
}

// FieldName is a record field as a maker reads it: "cancelled" for a
// batch's cancelled_at, "unit cost" for unit_cost.
func FieldName(entity, field string) string {
	if w, ok := fieldWords[entity+"."+field]; ok {
		return w
	}
	return strings.ReplaceAll(field, "_", " ")
}

// names are what ids stand for, for people, and the currency amounts are
// written in.
type names struct {
	factories, skus, devices map[string]string
	currency                 string
}

func loadNames(ctx context.Context, q queryer, shopID string) (names, error) {
	var n names
	var err error
	if n.currency, err = shopCurrency(ctx, q, shopID); err != nil {
		return n, err
	}
	if n.devices, err = deviceNames(ctx, q); err != nil {
		return n, err
	}
	if n.factories, err = idMap(ctx, q, `SELECT id, name FROM factories`); err != nil {
		return n, err
	}
	n.skus, err = idMap(ctx, q, `SELECT id, code FROM skus`)
	return n, err
}

func idMap(ctx context.Context, q queryer, query string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		m[id] = name
	}
	return m, rows.Err()
}

// value reads a stored field value of kind k for people.
func (n names) value(k valueKind, raw []byte, loc *time.Location) FieldValue {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil || d.More() {
		return FieldValue{Value: strings.TrimSpace(string(raw))}
	}
	asStored := FieldValue{Value: strings.TrimSpace(string(raw))}
	switch x := x.(type) {
	case string:
		switch k {
		case textValue:
			return FieldValue{Value: x}
		case factoryValue, skuValue:
			if x == "" {
				return FieldValue{}
			}
			m := n.factories
			if k == skuValue {
				m = n.skus
			}
			if name, ok := m[x]; ok {
				return FieldValue{Value: name}
			}
			return FieldValue{Value: x} // not arrived yet: its id
		}
	case bool:
		if k == boolValue {
			return FieldValue{Value: x}
		}
	case nil:
		if k == overrideValue {
			return FieldValue{Default: true}
		}
	case json.Number:
		i, err := x.Int64()
		if err != nil {
			return asStored
		}
		switch k {
		case moneyValue:
			m := domain.Money(i)
			v := FieldValue{Value: m.String()}
			if shown := m.Format(n.currency); shown != v.Value {
				v.Shown = shown
			}
			return v
		case countValue, overrideValue:
			return FieldValue{Value: i}
		case momentValue, dayValue:
			if i == 0 {
				return FieldValue{}
			}
			at := time.UnixMilli(i).In(loc)
			if k == dayValue {
				return FieldValue{Value: at.Format(time.DateOnly), At: at, day: true}
			}
			return FieldValue{Value: at.Format(time.RFC3339), At: at}
		}
	}
	return asStored
}
