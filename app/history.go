package app

import (
	"context"
	"database/sql"

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
