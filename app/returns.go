package app

import (
	"cmp"
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
// `days` days ending with asOf's day, worst first (see sortReturns).
// Digital SKUs' returns, which have no factory, are under the factory
// name "".
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
	// A pause holds after the returns that set it are diluted under the
	// limit; the factories' record says which it holds for.
	factories, err := s.Factories(ctx, asOf)
	if err != nil {
		return nil, err
	}
	paused := map[*FactoryReturns]bool{}
	for _, f := range factories {
		if r := byID[f.ID]; r != nil && f.QualityPaused {
			paused[r] = true
		}
	}
	shown := make([]*FactoryReturns, 0, len(byID))
	for id, r := range byID {
		if id == "" && r.Sold == 0 && r.Quality+r.Logistics+r.Buyer == 0 {
			continue
		}
		shown = append(shown, r)
	}
	sortReturns(shown, paused)
	out := make([]FactoryReturns, len(shown))
	for i, r := range shown {
		out[i] = *r
	}
	return out, nil
}

// sortReturns puts first the factories whose quality returns a maker must
// act on, worst first: those paused for quality (by the rates shown, or
// by a pause that holds), then those past the limit that have not sold
// enough to be paused yet; then the rest by name. By name alone, the
// factory past 3 % could be the last row, below the fold at 800×600.
func sortReturns(rates []*FactoryReturns, paused map[*FactoryReturns]bool) {
	const rest = 2
	concern := func(r *FactoryReturns) int {
		switch {
		case r.Factory == "": // digital SKUs: no factory to pause
			return rest
		case paused[r] || domain.QualityPause(r.Sold, r.Quality):
			return 0
		case domain.QualityPauseWait(r.Sold, r.Quality) != "":
			return 1
		}
		return rest
	}
	sortBy(rates, func(r *FactoryReturns) string { return r.Factory })
	slices.SortStableFunc(rates, func(a, b *FactoryReturns) int {
		ca, cb := concern(a), concern(b)
		if ca != cb || ca == rest {
			return cmp.Compare(ca, cb)
		}
		return cmp.Compare(b.QualityRate(), a.QualityRate())
	})
}

func sortBy[T any](items []T, key func(T) string) {
	slices.SortStableFunc(items, func(a, b T) int { return strings.Compare(strings.ToLower(key(a)), strings.ToLower(key(b))) })
}
