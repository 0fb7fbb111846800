package app

import (
	"cmp"
	"context"
	"slices"
	"strconv"
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
	// QualityPaused: the factory is paused for quality as of the report,
	// by its returns in the 90 days to it or by a pause that holds since
	// (see FactoryView.QualityPaused), whatever the period's rates say.
	QualityPaused bool
}

// QualityRate is quality returns as a fraction of units sold; 0 when
// nothing was sold (see Rated).
func (r FactoryReturns) QualityRate() float64 { return domain.ReturnRate(r.Sold, r.Quality) }

// Rated reports whether rates mean anything: returns of units sold before
// the period, with none sold in it, are no share of anything.
func (r FactoryReturns) Rated() bool { return r.Sold > 0 }

// PastLimit reports whether the factory's quality returns in the period
// are past the limit, however many units it sold.
func (r FactoryReturns) PastLimit() bool {
	return r.Rated() && r.Quality*100 > domain.ReturnLimitPercent*r.Sold
}

// The words a list of return rates marks a factory's row with when its
// quality returns are for the maker to act on (QualityMark): the words
// the factory's badge and detail use for those states.
var (
	MarkQualityPaused = "paused"
	MarkPastLimit     = "past " + strconv.Itoa(domain.ReturnLimitPercent) + " %"
)

// QualityMark says in a word why the factory heads a list of return
// rates (see sortReturns): MarkQualityPaused when it is paused for
// quality; MarkPastLimit when its quality returns in the period are past
// the limit and it is not paused for them, as it has sold too few units
// for the pause to judge (or, over a period other than 90 days, as the
// pause judges 90 days); "" for the rest, and for digital SKUs, which have
// no factory to pause. A maker compared each rate with 3 % in their head.
func (r FactoryReturns) QualityMark() string {
	switch {
	case r.Factory == "":
		return ""
	case r.QualityPaused:
		return MarkQualityPaused
	case domain.QualityPause(r.Sold, r.Quality) || domain.QualityPauseWait(r.Sold, r.Quality) != "":
		return MarkPastLimit
	}
	return ""
}

// RateDecimals is how many decimals every rate of a list of return rates
// shows with (RateText): one, or more where one would write a rate beside
// the limit as the limit itself, "3.0 %" for 3.03 % (domain.ReturnDecimals).
// A list with "3.03 %" beside "2 %" read unevenly.
func RateDecimals(rows []FactoryReturns) int {
	decimals := 1
	for _, r := range rows {
		if !r.Rated() {
			continue
		}
		for _, n := range []int{r.Quality, r.Logistics, r.Buyer} {
			decimals = max(decimals, domain.ReturnDecimals(r.Sold, n))
		}
	}
	return decimals
}

// RateText is returns as a share of the factory's units sold, to
// decimals (RateDecimals of the list it is in), "3.3 %"; "n/a" when it
// sold none in the period: returns of earlier sales are no share of it.
func (r FactoryReturns) RateText(returns, decimals int) string {
	if !r.Rated() {
		return "n/a"
	}
	return domain.ReturnPercentTo(r.Sold, returns, decimals)
}

// MaxReportDays is the longest window a report of return rates or margins
// looks back over: ten years and a few leap days.
const MaxReportDays = 3660

// ReturnRates reports units sold and returned by class per factory over the
// `days` days ending with asOf's day, worst first (see sortReturns).
// Digital SKUs' returns, which have no factory, are under the factory
// name "".
func (s *Shop) ReturnRates(ctx context.Context, asOf AsOf, days int) ([]FactoryReturns, error) {
	if days < 1 || days > MaxReportDays {
		return nil, domain.Errorf(domain.EInvalid, "%d is not a number of days for return rates; use 1 to %d", days, MaxReportDays)
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
	for _, f := range factories {
		if r := byID[f.ID]; r != nil && f.QualityPaused {
			r.QualityPaused = true
		}
	}
	shown := make([]*FactoryReturns, 0, len(byID))
	for id, r := range byID {
		if id == "" && r.Sold == 0 && r.Quality+r.Logistics+r.Buyer == 0 {
			continue
		}
		shown = append(shown, r)
	}
	sortReturns(shown)
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
func sortReturns(rates []*FactoryReturns) {
	const rest = 2
	concern := func(r *FactoryReturns) int {
		switch {
		case r.Factory == "": // digital SKUs: no factory to pause
			return rest
		case r.QualityPaused || domain.QualityPause(r.Sold, r.Quality):
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
