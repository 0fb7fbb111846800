package app

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"microshop/domain"
)

// VoidWarnings says what voiding the sale line saleID may count twice:
// returns of what it sold, recorded at or after its time, that paid money
// back or put units back in stock. A return names no sale, so the shop
// cannot tell whether those were this sale's units; if they were, the
// return gave the money and the units back already, and the void gives
// them back again: the close of day takes the refund out and the sale's
// takings back, and the units come back to stock twice. A kit's line
// stands for its kit's sale, checked against returns of the kit, and
// each of its parts against returns of that part on its own: the void
// gives back every part.
//
// Nothing is written: the desktop asks with these before a void, and the
// command line refuses on them unless forced. None is said of a sale
// voided already or not found: VoidSale says why it is refused.
func (s *Shop) VoidWarnings(ctx context.Context, saleID string) ([]string, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer tx.Rollback()
	warnings, err := s.voidWarnings(ctx, tx, strings.TrimSpace(saleID))
	return warnings, storeError(s.path, err)
}

// voidWarnings are VoidWarnings' as q reads them.
func (s *Shop) voidWarnings(ctx context.Context, q queryer, saleID string) ([]string, error) {
	var sale struct {
		skuID, code, kitID, kitCode, order, ref string
		at                                      int64
		qty, kitQty                             int
	}
	err := q.QueryRowContext(ctx, `SELECT e.sku_id, k.code, e.kit_id, ifnull((SELECT code FROM skus WHERE id = e.kit_id AND e.kit_id <> ''), ''),
			e.order_id, e.ref, e.at, e.qty, e.kit_qty
		FROM events e JOIN skus k ON k.id = e.sku_id WHERE e.id = ? AND e.kind = 'sale'`, saleID).
		Scan(&sale.skuID, &sale.code, &sale.kitID, &sale.kitCode, &sale.order, &sale.ref, &sale.at, &sale.qty, &sale.kitQty)
	if isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if stands, err := saleStands(ctx, q, saleID); err != nil || !stands {
		return nil, err
	}
	currency, err := shopCurrency(ctx, q, s.shopID)
	if err != nil {
		return nil, err
	}
	if sale.kitID == "" {
		back, err := skuReturnedSince(ctx, q, sale.skuID, sale.at)
		if err != nil || back.returns == 0 {
			return nil, err
		}
		return []string{back.warning(sale.code, sale.qty, false, "", currency, s.loc)}, nil
	}
	code := sale.kitCode
	if code == "" { // the kit's record has yet to arrive from the device that made it
		code = sale.code
	}
	return s.kitVoidWarnings(ctx, q, code, sale.kitID, sale.order, sale.ref, sale.at, sale.kitQty, currency)
}

// kitVoidWarnings are VoidWarnings' for a sale of kits of kitID, code,
// whose first line is first in order: returns of the kit, then of each
// part on its own.
func (s *Shop) kitVoidWarnings(ctx context.Context, q queryer, code, kitID, order, first string, at int64, kits int, currency string) ([]string, error) {
	var warnings []string
	back, err := kitReturnedSince(ctx, q, kitID, at)
	if err != nil {
		return nil, err
	}
	if back.returns > 0 {
		warnings = append(warnings, back.warning(code, kits, true, "", currency, s.loc))
	}
	parts, err := kitSaleParts(ctx, q, order, first)
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		back, err := skuReturnedSince(ctx, q, p.skuID, at)
		if err != nil {
			return nil, err
		}
		if back.returns > 0 {
			warnings = append(warnings, back.warning(p.code, p.qty, false, code, currency, s.loc))
		}
	}
	return warnings, nil
}

// soldPart is a line of a kit's sale: the part, its code and its units.
type soldPart struct {
	skuID, code string
	qty         int
}

// kitSaleParts are the lines of the kit's sale whose first line is first,
// in the order of their codes.
func kitSaleParts(ctx context.Context, q queryer, order, first string) ([]soldPart, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.sku_id, k.code, e.qty FROM events e JOIN skus k ON k.id = e.sku_id
		WHERE e.order_id = ? AND e.order_id <> '' AND e.kind = 'sale' AND e.ref = ? ORDER BY k.code`, order, first)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []soldPart
	for rows.Next() {
		var p soldPart
		if err := rows.Scan(&p.skuID, &p.code, &p.qty); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// returnedSince is what came back of a SKU, or of a kit, from a moment on
// in the returns that paid money back or put units back in stock: how
// many returns, their units (kits, for a kit), the refunds in all, the
// units put back in stock, and the first and last return's moments.
type returnedSince struct {
	returns, units, restocked int
	refund                    domain.Money
	first, last               int64
}

// skuReturnedSince is what came back of a SKU on its own (not in a kit)
// at or after at, in returns that refunded money or restocked units; an
// exchange (refundNone) refunded nothing.
// Returns are few beside sales: the returns' index, which holds each
// return's SKU, is read from at on, so a sale of a year ago reads a
// year's returns, not a year's events.
func skuReturnedSince(ctx context.Context, q queryer, skuID string, at int64) (returnedSince, error) {
	var r returnedSince
	var first, last sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(qty), 0), coalesce(sum(CASE WHEN restock THEN qty ELSE 0 END), 0),
			coalesce(sum(max(refund, 0)), 0), min(at), max(at)
		FROM changes INDEXED BY events_returns
		WHERE entity = 'return' AND at >= ? AND sku_id = ? AND kit_id = '' AND (refund > 0 OR restock)`, at, skuID).
		Scan(&r.returns, &r.units, &r.restocked, &r.refund, &first, &last)
	r.first, r.last = first.Int64, last.Int64
	return r, err
}

// kitReturnedSince is what came back of a kit at or after at, in returns
// that refunded money or restocked units. A kit's return is its parts'
// lines, each naming the kit and the first line, all at one moment: the
// first line counts the kits, and the refund is shared among the lines.
func kitReturnedSince(ctx context.Context, q queryer, kitID string, at int64) (returnedSince, error) {
	var r returnedSince
	var first, last sql.NullInt64
	err := q.QueryRowContext(ctx, `WITH kits AS (SELECT f.at, f.kit_qty, sum(max(l.refund, 0)) AS refund, max(l.restock) AS restock
			FROM changes f INDEXED BY events_returns JOIN changes l INDEXED BY events_returns
				ON l.entity = 'return' AND l.at = f.at AND l.ref = f.entity_id AND l.kit_id = f.kit_id
			WHERE f.entity = 'return' AND f.at >= ? AND f.kit_id = ? AND f.ref = f.entity_id GROUP BY f.entity_id)
		SELECT count(*), coalesce(sum(kit_qty), 0), coalesce(sum(CASE WHEN restock THEN kit_qty ELSE 0 END), 0),
			coalesce(sum(refund), 0), min(at), max(at)
		FROM kits WHERE refund > 0 OR restock`, at, kitID).
		Scan(&r.returns, &r.units, &r.restocked, &r.refund, &first, &last)
	r.first, r.last = first.Int64, last.Int64
	return r, err
}

// warning is the one sentence a maker reads before voiding a sale of sold
// units of code (kits, when kit; a part of kit partOf, when that is set)
// after these returns: what came back and when, what it was given back,
// that the return settled it if it was this sale's, and what the void
// would give back again.
func (r returnedSince) warning(code string, sold int, kit bool, partOf, currency string, loc *time.Location) string {
	what, noun := plural(r.units, "unit")+" of "+code, "unit"
	if kit {
		what, noun = fmt.Sprintf("%d × %s", r.units, code), "kit"
	}
	came, it := "came back after this sale", "it"
	if partOf != "" { // a part back on its own settles that part, not the kit's sale
		what += ", a part of " + partOf + ","
		came, it = "came back on its own after this sale", "that unit"
		if r.units > 1 {
			it = "those units"
		}
	}
	when := func(at int64) string { return time.UnixMilli(at).In(loc).Format("2006-01-02 15:04") }
	on := "on " + when(r.first)
	if r.returns > 1 {
		on = fmt.Sprintf("in %d returns from %s to %s", r.returns, when(r.first), when(r.last))
	}
	given, twice := r.given(noun, currency)
	those := "it was this sale's " + noun
	switch {
	case r.units > sold && sold == 1: // more came back than this sale sold
		those = "this sale's " + noun + " was among them"
	case r.units > sold:
		those = "this sale's " + noun + "s were among them"
	case r.units != 1:
		those = "they were this sale's " + noun + "s"
	}
	if sold != 1 { // the void gives back what the sale sold
		twice = strings.Replace(twice, " "+noun+" ", " "+noun+"s ", 1)
	}
	settled := "the return"
	if r.returns > 1 {
		settled = "those returns"
	}
	return fmt.Sprintf("%s %s, %s, %s; if %s, %s settled %s, and voiding the sale too counts %s", what, came, on, given, those, settled, it, twice)
}

// given is what these returns gave back, and what voiding the sale then
// gives back twice, of a sale of noun (unit or kit).
func (r returnedSince) given(noun, currency string) (given, twice string) {
	switch {
	case r.refund > 0 && r.restocked == r.units:
		return "refunded " + r.refund.Format(currency) + " and put back in stock", "the money and the " + noun + " back twice"
	case r.refund > 0 && r.restocked > 0:
		return fmt.Sprintf("refunded %s, %d of them put back in stock", r.refund.Format(currency), r.restocked), "the money and the " + noun + " back twice"
	case r.refund > 0:
		return "refunded " + r.refund.Format(currency), "the money back twice"
	}
	return "put back in stock with no refund", "the " + noun + " back in stock twice"
}
