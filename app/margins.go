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
	if days < 1 || days > 3660 {
		return nil, domain.Errorf(domain.EInvalid, "%d is not a number of days for margins; use 1 to 3660", days)
	}
	rows, err := s.margins(ctx, s.db, asOf, days)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	return rows, nil
}

// marginFacts are a SKU's sums over the window, read in one scan.
type marginSums struct {
	units, returned, notRestocked, refundUnits int
	revenue, refunds                           domain.Money
}

func (s *Shop) margins(ctx context.Context, q queryer, asOf AsOf, days int) ([]MarginRow, error) {
	from := domain.AddDays(asOf.Day, -days+1).UnixMilli()
	end := asOf.End.UnixMilli()
	// A void carries the price and quantity of the sale it undoes.
	rows, err := q.QueryContext(ctx, `SELECT k.id, m.units, m.revenue, m.returned, m.not_restocked, m.refunded, m.refund_units FROM (
			SELECT sku_n,
				sum(CASE entity WHEN 'sale' THEN qty WHEN 'void' THEN -qty ELSE 0 END) AS units,
				sum(CASE entity WHEN 'sale' THEN qty * price WHEN 'void' THEN -qty * price ELSE 0 END) AS revenue,
				sum(CASE entity WHEN 'return' THEN qty ELSE 0 END) AS returned,
				sum(CASE WHEN entity = 'return' AND restock = 0 THEN qty ELSE 0 END) AS not_restocked,
				sum(CASE entity WHEN 'return' THEN refund ELSE 0 END) AS refunded,
				sum(CASE WHEN entity = 'return' AND refund > 0 THEN qty ELSE 0 END) AS refund_units
			FROM changes INDEXED BY events_at
			WHERE at IS NOT NULL AND at >= ? AND at < ? AND entity IN ('sale', 'void', 'return') GROUP BY sku_n) m
		JOIN sku_keys k ON k.n = m.sku_n`, from, end)
	if err != nil {
		return nil, err
	}
	sums := map[string]marginSums{}
	for rows.Next() {
		var id string
		var m marginSums
		if err := rows.Scan(&id, &m.units, &m.revenue, &m.returned, &m.notRestocked, &m.refunds, &m.refundUnits); err != nil {
			rows.Close()
			return nil, err
		}
		sums[id] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	skus, err := s.reportSKUs(ctx, q, "")
	if err != nil {
		return nil, err
	}
	out := make([]MarginRow, 0, len(skus))
	for _, k := range skus {
		if k.Path == domain.PathKit {
			continue // a kit's sales are its parts'
		}
		m := sums[k.ID]
		out = append(out, MarginRow{Code: k.Code, Name: k.Name, Margin: domain.UnitEconomics(domain.MarginFacts{
			Units: m.units, Revenue: m.revenue, UnitCost: k.Cost, Returned: m.returned, NotRestock: m.notRestocked,
			Refunds: m.refunds, RefundUnits: m.refundUnits, WindowDays: days})})
	}
	slices.SortStableFunc(out, func(a, b MarginRow) int {
		if a.Contribution != b.Contribution {
			return cmpInt64(int64(a.Contribution), int64(b.Contribution))
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out, nil
}
