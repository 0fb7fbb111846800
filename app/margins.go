package app

import (
	"context"
	"sort"

	"microshop/domain"
)

// MarginRow is a SKU's unit economics over a window.
type MarginRow struct {
	Code string
	Name string
	domain.Margin
}

// MaxMarginDays bounds the window of Margins.
const MaxMarginDays = 3650

// Margins works out the unit economics of every SKU sold or returned in
// the days days up to asOf (DESIGN.md section 9), the worst contribution
// first.
func (s *Shop) Margins(ctx context.Context, asOf AsOf, days int) ([]MarginRow, error) {
	if days < 1 || days > MaxMarginDays {
		return nil, domain.Errorf(domain.EInvalid, "%d days is not a window; give 1 to %d days", days, MaxMarginDays)
	}
	start := asOf.Day.AddDate(0, 0, -(days - 1)).UnixMilli()
	end := asOf.End.UnixMilli()
	type acc struct {
		in         domain.MarginInput
		code, name string
	}
	bySKU := map[string]*acc{}
	// A return without a refund recorded is taken as refunded at the
	// SKU's price.
	rows, err := s.db.QueryContext(ctx, `SELECT k.id, k.code, k.name, k.price, k.cost, x.units, x.revenue, x.refunded, x.unrefunded, x.unrestocked
		FROM (
			SELECT sku_id,
				sum(CASE WHEN kind = 'sale' THEN qty ELSE 0 END) AS units,
				sum(CASE WHEN kind = 'sale' THEN qty * price ELSE 0 END) AS revenue,
				sum(CASE WHEN kind = 'return' THEN refund ELSE 0 END) AS refunded,
				sum(CASE WHEN kind = 'return' AND refund = 0 THEN qty ELSE 0 END) AS unrefunded,
				sum(CASE WHEN kind = 'return' AND NOT restock THEN qty ELSE 0 END) AS unrestocked
			FROM events e
			WHERE at >= ?1 AND at < ?2 AND kind IN ('sale', 'return')
				-- a void carries the time of the sale it voids
				AND NOT (kind = 'sale' AND id IN (SELECT ref FROM events WHERE kind = 'void' AND at >= ?1 AND at < ?2))
			GROUP BY sku_id
		) x JOIN skus k ON k.id = x.sku_id`, start, end)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a acc
		var price, cost, revenue, refunded, unrefunded int64
		if err := rows.Scan(&id, &a.code, &a.name, &price, &cost, &a.in.Units, &revenue, &refunded, &unrefunded, &a.in.Unrestocked); err != nil {
			return nil, storeError(s.path, err)
		}
		a.in.Revenue, a.in.UnitCost, a.in.Days = domain.Money(revenue), domain.Money(cost), days
		a.in.Refunds = domain.Money(refunded + unrefunded*price)
		bySKU[id] = &a
	}
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	out := make([]MarginRow, 0, len(bySKU))
	for _, a := range bySKU {
		out = append(out, MarginRow{Code: a.code, Name: a.name, Margin: domain.UnitEconomics(a.in)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Contribution != out[j].Contribution {
			return out[i].Contribution < out[j].Contribution
		}
		return out[i].Code < out[j].Code
	})
	return out, nil
}
