package app

import (
	"context"
	"slices"
	"strings"

	"microshop/domain"
)

// MarginRow is one SKU's unit economics over a window.
type MarginRow struct {
	Code string
	Name string
	domain.Margin
}

// Margins works out the unit economics of every SKU on sale over the days
// ending with asOf (DESIGN.md section 9), the worst contribution first.
func (s *Shop) Margins(ctx context.Context, asOf AsOf, days int) ([]MarginRow, error) {
	if days < 1 || days > MaxReportDays {
		return nil, domain.Errorf(domain.EInvalid, "%d is not a number of days for margins; use 1 to %d", days, MaxReportDays)
	}
	rows, err := s.margins(ctx, s.db, asOf, days)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	return rows, nil
}

// marginSums are a SKU's sums over the window, read in one scan.
type marginSums struct {
	units, returned, notRestocked, refundUnits, valuedUnits int
	revenue, refunds, valued                                domain.Money
	over                                                    bool // a sum went past what a Money holds
}

// add counts one row: kind 1 a sale, 2 a void, 3 a return.
func (m *marginSums) add(kind int64, qty int, price domain.Money, restock bool, refund domain.Money) {
	switch kind {
	case 1:
		m.units += qty
		m.addTo(&m.revenue, price*domain.Money(qty))
	case 2:
		m.units -= qty
		m.addTo(&m.revenue, -price*domain.Money(qty))
	default:
		m.returned += qty
		if !restock {
			m.notRestocked += qty
		}
		switch {
		case refund == refundNone: // an exchange: refunded, at nothing
			m.refundUnits += qty
		case refund > 0:
			m.addTo(&m.refunds, refund)
			m.refundUnits += qty
		case price > 0: // a kit's part, at its share of the kit's price
			m.addTo(&m.valued, price*domain.Money(qty))
			m.valuedUnits += qty
		}
	}
}

// addTo adds v to a sum, noting when it goes past what a Money holds.
func (m *marginSums) addTo(sum *domain.Money, v domain.Money) {
	next, ok := domain.AddMoney(*sum, v)
	*sum, m.over = next, m.over || !ok
}

// bySKUID keys sums by SKU id, from the ledger's local SKU numbers.
func bySKUID(ctx context.Context, q queryer, byKey map[int64]*marginSums) (map[string]marginSums, error) {
	rows, err := q.QueryContext(ctx, `SELECT n, id FROM sku_keys`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]marginSums, len(byKey))
	for rows.Next() {
		var n int64
		var id string
		if err := rows.Scan(&n, &id); err != nil {
			return nil, err
		}
		if m, ok := byKey[n]; ok {
			out[id] = *m
		}
	}
	return out, rows.Err()
}

func (s *Shop) margins(ctx context.Context, q queryer, asOf AsOf, days int) ([]MarginRow, error) {
	from := domain.AddDays(asOf.Day, -days+1).UnixMilli()
	end := asOf.End.UnixMilli()
	// A void carries the price and quantity of the sale it undoes. The rows
	// are summed here, not with GROUP BY: the index is in time order, and
	// SQLite would sort 90 days of rows by SKU first.
	rows, err := q.QueryContext(ctx, `SELECT sku_n, CASE entity WHEN 'sale' THEN 1 WHEN 'void' THEN 2 ELSE 3 END, qty, price, restock, refund
		FROM changes INDEXED BY events_at
		WHERE at IS NOT NULL AND at >= ? AND at < ? AND entity IN ('sale', 'void', 'return')`, from, end)
	if err != nil {
		return nil, err
	}
	byKey := map[int64]*marginSums{}
	var vals [6]any
	dest := [6]any{&vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &vals[5]}
	for rows.Next() {
		if err := rows.Scan(dest[:]...); err != nil {
			rows.Close()
			return nil, err
		}
		key, _ := vals[0].(int64)
		kind, _ := vals[1].(int64)
		qty, _ := vals[2].(int64)
		price, _ := vals[3].(int64)
		restock, _ := vals[4].(int64)
		refund, _ := vals[5].(int64)
		m := byKey[key]
		if m == nil {
			m = &marginSums{}
			byKey[key] = m
		}
		m.add(kind, int(qty), domain.Money(price), restock != 0, domain.Money(refund))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sums, err := bySKUID(ctx, q, byKey)
	if err != nil {
		return nil, err
	}
	// Every SKU, archived ones too: one archived since still sold in the
	// window, and its takings, refunds and costs count. Each is as it was
	// at the window's end, at the cost it had then.
	skus, err := s.skuList.get(ctx, q)
	if err != nil {
		return nil, err
	}
	if skus, err = s.skusAsOf(ctx, q, skus, asOf); err != nil {
		return nil, err
	}
	out := make([]MarginRow, 0, len(skus))
	for _, k := range skus {
		m, sold := sums[k.ID]
		if k.Path == domain.PathKit || k.Archived && !sold {
			continue // a kit's sales are its parts'
		}
		if m.over {
			return nil, domain.Errorf(domain.EInvalid, "the sales of %s over the last %d days add up to more than can be counted; a line's price or quantity is wrong: check its sales and void the wrong line", k.Code, days)
		}
		out = append(out, MarginRow{Code: k.Code, Name: k.Name, Margin: domain.UnitEconomics(domain.MarginFacts{
			Units: m.units, Revenue: m.revenue, UnitCost: k.Cost, UnitPrice: k.Price, Returned: m.returned, NotRestock: m.notRestocked,
			Refunds: m.refunds, RefundUnits: m.refundUnits, Valued: m.valued, ValuedUnits: m.valuedUnits, WindowDays: days})})
	}
	slices.SortStableFunc(out, func(a, b MarginRow) int {
		if a.Contribution != b.Contribution {
			return cmpInt64(int64(a.Contribution), int64(b.Contribution))
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out, nil
}
