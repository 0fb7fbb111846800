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
	"order.shipped_at": momentValue,
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
			layout := time.RFC3339
			if k == dayValue {
				layout = time.DateOnly
			}
			return FieldValue{Value: time.UnixMilli(i).In(loc).Format(layout)}
		}
	}
	return asStored
}
