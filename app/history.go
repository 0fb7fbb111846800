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
	err := s.db.QueryRowContext(ctx, `SELECT
		coalesce(sum(CASE kind WHEN 'sale' THEN 1 ELSE -1 END), 0),
		coalesce(sum(CASE kind WHEN 'sale' THEN qty ELSE -qty END), 0),
		coalesce(sum(CASE kind WHEN 'sale' THEN qty * price ELSE -qty * price END), 0)
		FROM events WHERE kind IN ('sale', 'void') AND at >= ? AND at < ?`,
		asOf.Day.UnixMilli(), asOf.End.UnixMilli()).Scan(&t.Sales, &t.Units, &amount)
	if err != nil {
		return SalesTotal{}, storeError(s.path, err)
	}
	t.Amount = domain.Money(amount)
	return t, nil
}
