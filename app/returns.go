package app

import (
	"context"
	"slices"
	"strings"

	"microshop/domain"
)

// FactoryReturns is one factory's returns by class over a period.
type FactoryReturns struct {
	Factory   string
	Sold      int
	Quality   int
	Logistics int
	Buyer     int
}

// QualityRate is quality returns as a fraction of units sold; 0 when
// nothing was sold (see Rated).
func (r FactoryReturns) QualityRate() float64 { return domain.ReturnRate(r.Sold, r.Quality) }

// Rated reports whether rates mean anything: returns of units sold before
// the period, with none sold in it, are no share of anything.
func (r FactoryReturns) Rated() bool { return r.Sold > 0 }

// ReturnRates reports units sold and returned by class per factory over the
// `days` days ending with asOf's day. Digital SKUs' returns, which have no
// factory, are under the factory name "".
func (s *Shop) ReturnRates(ctx context.Context, asOf AsOf, days int) ([]FactoryReturns, error) {
	if days < 1 || days > 3660 {
		return nil, domain.Errorf(domain.EInvalid, "%d is not a number of days for return rates; use 1 to 3660", days)
	}
	from := domain.AddDays(asOf.Day, -days+1).UnixMilli()
	end := asOf.End.UnixMilli()
	byID := map[string]*FactoryReturns{}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name FROM factories`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, storeError(s.path, err)
		}
		byID[id] = &FactoryReturns{Factory: name}
	}
	rows.Close()
	get := func(id string) *FactoryReturns {
		if byID[id] == nil {
			byID[id] = &FactoryReturns{}
		}
		return byID[id]
	}
	rows, err = s.db.QueryContext(ctx, `SELECT factory_id, reason, sum(qty) FROM events
		WHERE kind = 'return' AND at >= ? AND at < ? GROUP BY factory_id, reason`, from, end)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	for rows.Next() {
		var id, reason string
		var n int
		if err := rows.Scan(&id, &reason, &n); err != nil {
			rows.Close()
			return nil, storeError(s.path, err)
		}
		r := get(id)
		switch domain.ReturnReason(reason).Class() {
		case domain.ClassQuality:
			r.Quality += n
		case domain.ClassLogistics:
			r.Logistics += n
		default:
			r.Buyer += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	sold, err := soldByFactory(ctx, s.db, from, end)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	// Sales with no factory are digital SKUs': their row, named "".
	for id, n := range sold {
		if n != 0 || byID[id] != nil {
			get(id).Sold = n
		}
	}
	out := make([]FactoryReturns, 0, len(byID))
	for id, r := range byID {
		if id == "" && r.Sold == 0 && r.Quality+r.Logistics+r.Buyer == 0 {
			continue
		}
		out = append(out, *r)
	}
	sortBy(out, func(r FactoryReturns) string { return r.Factory })
	return out, nil
}

func sortBy[T any](items []T, key func(T) string) {
	slices.SortStableFunc(items, func(a, b T) int { return strings.Compare(strings.ToLower(key(a)), strings.ToLower(key(b))) })
}
