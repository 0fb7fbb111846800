package app

import (
	"context"

	"microshop/domain"
)

// StockAt reports stock as Stock does, counting one location's units only:
// on hand, held, available and cover are that location's; the rate, the
// status and the reorder stay the whole shop's, since reorders look at the
// total. A kit's available is what its parts there make.
func (s *Shop) StockAt(ctx context.Context, asOf AsOf, code, location string) ([]StockRow, error) {
	loc, err := s.FindLocation(ctx, location)
	if err != nil {
		return nil, err
	}
	snap, err := s.snapshot(ctx, asOf, code)
	if err != nil {
		return nil, err
	}
	rows := snap.rows
	if code != "" && rows[0].SKU.Path == domain.PathKit {
		// A kit is what its parts there make: read them all.
		all, err := s.StockAt(ctx, asOf, "", location)
		if err != nil {
			return nil, err
		}
		for _, r := range all {
			if r.SKU.ID == rows[0].SKU.ID {
				return []StockRow{r}, nil
			}
		}
		return rows, nil
	}
	for i, r := range rows {
		if r.SKU.Path != domain.PathDigital && r.SKU.Path != domain.PathKit {
			rows[i] = r.at(loc.ID)
		}
	}
	if err := settleKits(ctx, s.db, rows); err != nil {
		return nil, storeError(s.path, err)
	}
	return rows, nil
}

// at is the row as one location sees it.
func (r StockRow) at(place string) StockRow {
	l := r.Places.At(place, domain.Level{OnHand: r.OnHand, Held: r.Held})
	r.OnHand, r.Held, r.Available = l.OnHand, l.Held, l.Available()
	r.CoverDays, _ = domain.CoverDays(r.Available, r.Rate)
	return r
}
