package app

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"
)

// ImportCountedOpen is a SKU an order file sells in open orders dated
// before its last stocktake. That count set what was on hand, so the
// ledger takes nothing off for those sales; but an order not yet shipped
// had its units on the shelf when they were counted, and they still show
// as available, to be sold twice. The import cannot know whether the
// maker counted them or put them aside, so it says so, and a count after
// packing sets it right.
type ImportCountedOpen struct {
	Code      string
	Units     int
	Orders    []string // the open orders' numbers, in the file's order
	CountedAt time.Time
}

// String says it to the maker in one sentence.
func (c ImportCountedOpen) String() string {
	orders, the, is := "order "+c.Orders[0], "the order", "is"
	if len(c.Orders) > 1 {
		orders, the, is = fmt.Sprintf("%d open orders", len(c.Orders)), "the orders", "are"
	}
	return fmt.Sprintf("%s: %s in %s, not shipped yet, dated before its stocktake of %s: that count set what was on hand, so %s took nothing off it; if the units were still on the shelf when you counted, count %s again once %s %s packed, or they show as available and can sell twice.",
		c.Code, plural(c.Units, "unit"), orders, c.CountedAt.Format("2 January 2006 15:04"), the, c.Code, the, is)
}

// countedOpen are the SKUs whose new open-order sales in batch are dated
// before their last stocktake at main, by code.
func (s *Shop) countedOpen(ctx context.Context, q queryer, batch []event, shipped map[string]bool) ([]ImportCountedOpen, error) {
	open := func(e *event) bool { return e.Order != "" && !shipped[e.Order] }
	ids := map[string]bool{}
	for i := range batch {
		if open(&batch[i]) {
			ids[batch[i].SKUID] = true
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	counted, err := lastCounts(ctx, q, slices.Collect(maps.Keys(ids)))
	if err != nil || len(counted) == 0 {
		return nil, err
	}
	bySKU := map[string]*ImportCountedOpen{}
	for i := range batch {
		e := &batch[i]
		at, ok := counted[e.SKUID]
		if !ok || e.At >= at || !open(e) {
			continue
		}
		c := bySKU[e.SKUID]
		if c == nil {
			c = &ImportCountedOpen{CountedAt: time.UnixMilli(at).In(s.loc)}
			bySKU[e.SKUID] = c
		}
		c.Units += e.Qty
		if !slices.Contains(c.Orders, e.Order) {
			c.Orders = append(c.Orders, e.Order)
		}
	}
	if len(bySKU) == 0 {
		return nil, nil
	}
	err = eachRowIn(ctx, q, `SELECT id, code FROM skus WHERE id IN %s`, slices.Collect(maps.Keys(bySKU)), func(rows *sql.Rows) error {
		var id, code string
		err := rows.Scan(&id, &code)
		bySKU[id].Code = code
		return err
	})
	out := make([]ImportCountedOpen, 0, len(bySKU))
	for _, c := range bySKU {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b ImportCountedOpen) int { return cmp.Compare(a.Code, b.Code) })
	return out, err
}

// CountedOpenNote is the sentence before the SKUs whose open orders an
// import finds dated before their stocktake; "" when there are none.
func (r ImportResult) CountedOpenNote() string {
	if len(r.CountedOpen) == 0 {
		return ""
	}
	if len(r.CountedOpen) == 1 {
		return "1 SKU is sold in open orders dated before its last stocktake:"
	}
	return fmt.Sprintf("%d SKUs are sold in open orders dated before their last stocktake:", len(r.CountedOpen))
}
