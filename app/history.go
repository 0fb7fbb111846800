package app

import (
	"context"
	"database/sql"
	"math"
	"slices"

	"microshop/domain"
)

// HistoryDays is how far back a SKU's chart looks.
const HistoryDays = 90

// History is one SKU's daily sales and end-of-day available stock over the
// `days` days ending with asOf's day, oldest first: what the SKU chart draws.
func (s *Shop) History(ctx context.Context, code string, asOf AsOf, days int) ([]domain.Day, error) {
	if days < 1 || days > 3660 {
		return nil, domain.Errorf(domain.EInvalid, "%d is not a number of days of history; use 1 to 3660", days)
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer tx.Rollback()
	sku, err := findSKU(ctx, tx, code)
	if err != nil {
		return nil, err
	}
	w := domain.Window{DayStarts: make([]int64, days), End: asOf.End.UnixMilli()}
	for i := range days {
		w.DayStarts[i] = domain.AddDays(asOf.Day, i-days+1).UnixMilli()
	}
	if sku.Path == domain.PathKit {
		out, err := kitHistory(ctx, tx, sku.ID, w)
		return out, storeError(s.path, err)
	}
	l, err := newLedger(ctx, tx, w, []string{sku.ID})
	if err != nil {
		return nil, storeError(s.path, err)
	}
	rep, err := l.replay(ctx, sku.ID)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	// The checkpoints this replay suggests sit further back than the rate
	// window's; saving them would only slow the next report down.
	return rep.Days, nil
}

// kitHistory is a kit's days in w, from its parts' ledgers: the kits its
// scarcest part allows at each day's end (none, for a kit of downloads),
// and the kits sold, on the lines that name the kit, voids left out.
func kitHistory(ctx context.Context, tx *sql.Tx, kitID string, w domain.Window) ([]domain.Day, error) {
	parts, err := storedParts(ctx, tx, kitID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(parts))
	for i, p := range parts {
		ids[i] = p.SKUID
	}
	l, err := newLedger(ctx, tx, w, ids)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Day, len(w.DayStarts))
	for i, start := range w.DayStarts {
		out[i] = domain.Day{Start: start, Available: math.MaxInt}
	}
	for _, p := range parts {
		var path domain.SupplyPath
		if err := tx.QueryRowContext(ctx, `SELECT path FROM skus WHERE id = ?`, p.SKUID).Scan(&path); err != nil || path == domain.PathDigital {
			continue // a part not arrived by sync yet, or a download: no stock to count
		}
		rep, err := l.replay(ctx, p.SKUID)
		if err != nil {
			return nil, err
		}
		for i, d := range rep.Days {
			out[i].Available = min(out[i].Available, floorDiv(d.Available, p.Qty))
		}
	}
	if err := addKitsSold(ctx, tx, kitID, w, out); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Available == math.MaxInt {
			out[i].Available = 0
		}
		out[i].Active = out[i].Available > 0 || out[i].Sold > 0
	}
	return out, nil
}

// addKitsSold adds to each day of w the kits sold that day, on the lines
// that name the kit, voids left out.
func addKitsSold(ctx context.Context, tx *sql.Tx, kitID string, w domain.Window, days []domain.Day) error {
	rows, err := tx.QueryContext(ctx, `SELECT e.at, e.kit_qty FROM events e
		WHERE e.kind = 'sale' AND e.kit_id = ?1 AND e.ref = e.id AND e.at >= ?2 AND e.at < ?3
			AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id)`, kitID, w.DayStarts[0], w.End)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var at int64
		var kits int
		if err := rows.Scan(&at, &kits); err != nil {
			return err
		}
		i, _ := slices.BinarySearch(w.DayStarts, at+1)
		days[max(i-1, 0)].Sold += kits
	}
	return rows.Err()
}

// SalesTotal is what a period's sales add up to, undone sales taken off.
type SalesTotal struct {
	Sales  int          // sales recorded
	Units  int          // units sold
	Amount domain.Money // units × unit price
}

// DaySales totals the sales made on asOf's day up to its end, on every
// device and channel: the sell screen's running total.
func (s *Shop) DaySales(ctx context.Context, asOf AsOf) (SalesTotal, error) {
	var t SalesTotal
	var amount int64
	// A kit's sale counts once, as one line of its units, on its first
	// part's line (the one its lines name as their Ref; a kit sold before
	// sale lines named their kit counts as its parts, as in Sales); a void
	// takes off what the line it voids added, on the day of that sale.
	// Only a kit's lines have a Ref, and the rest are never asked for the
	// kit's columns: reading them cost each sale of the day a third more.
	const counted = `coalesce(sum(CASE WHEN e.ref = '' OR e.kit_qty = 0 THEN 1 ELSE e.ref = e.id END), 0) AS lines,
		coalesce(sum(CASE WHEN e.ref = '' OR e.kit_qty = 0 THEN e.qty WHEN e.ref = e.id THEN e.kit_qty ELSE 0 END), 0) AS units,
		coalesce(sum(e.qty * e.price), 0) AS amount`
	err := s.db.QueryRowContext(ctx, `SELECT s.lines - v.lines, s.units - v.units, s.amount - v.amount
		FROM (SELECT `+counted+` FROM events e WHERE e.kind = 'sale' AND e.at >= ?1 AND e.at < ?2) s,
			(SELECT `+counted+` FROM events v JOIN events e ON e.id = v.ref AND e.kind = 'sale'
				WHERE v.kind = 'void' AND v.at >= ?1 AND v.at < ?2) v`,
		asOf.Day.UnixMilli(), asOf.End.UnixMilli()).Scan(&t.Sales, &t.Units, &amount)
	if err != nil {
		return SalesTotal{}, storeError(s.path, err)
	}
	t.Amount = domain.Money(amount)
	return t, nil
}
