package app

import (
	"context"
	"time"

	"microshop/domain"
)

// PackLine is what to bring of one SKU to a fair.
type PackLine struct {
	Code     string
	Name     string
	Variant  string // see domain.SKU.Variant
	Qty      int
	FairRate float64 // units a fair day
	There    int     // available at the fair's location already
}

// Pack lists what to bring to a fair of days days, from what is at main
// (DESIGN.md section 8): SKUs with stock, scarce or not, by code. Digital
// SKUs and kits travel as their parts, so neither is listed. With the
// fair's location, what is there already is brought less: packing twice
// does not bring twice.
func (s *Shop) Pack(ctx context.Context, asOf AsOf, days int, to string) ([]PackLine, error) {
	if err := domain.ValidateFairDays(days); err != nil {
		return nil, err
	}
	there, err := s.availableAt(ctx, asOf, to)
	if err != nil {
		return nil, err
	}
	rows, err := s.StockAt(ctx, asOf, "", domain.MainLocation)
	if err != nil {
		return nil, err
	}
	fair, err := s.fairSales(ctx, asOf)
	if err != nil {
		return nil, err
	}
	var out []PackLine
	for _, r := range rows {
		if r.SKU.Path == domain.PathDigital || r.SKU.Path == domain.PathKit || r.Available <= 0 {
			continue
		}
		f := fair[r.SKU.ID]
		rate := domain.FairRate(f.units, len(f.days), r.Rate.PerDay())
		if n := domain.PackQty(rate, days, r.Available, there[r.SKU.ID]); n > 0 {
			out = append(out, PackLine{Code: r.SKU.Code, Name: r.SKU.Name, Variant: r.SKU.Variant, Qty: n, FairRate: rate, There: there[r.SKU.ID]})
		}
	}
	return out, nil
}

// availableAt is what is available at the fair's location, by SKU id;
// nothing when none is named.
func (s *Shop) availableAt(ctx context.Context, asOf AsOf, to string) (map[string]int, error) {
	if to == "" {
		return nil, nil
	}
	loc, err := s.FindLocation(ctx, to)
	if err != nil {
		return nil, err
	}
	if loc.ID == "" {
		return nil, domain.Errorf(domain.EInvalid, "a fair's stock is packed from main; name the fair's location, not main")
	}
	if loc.Retired {
		return nil, retiredError(loc)
	}
	rows, err := s.StockAt(ctx, asOf, "", loc.Name)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.SKU.ID] = r.Available
	}
	return out, nil
}

// fairSold is a SKU's units sold at fairs, and the days it sold there.
type fairSold struct {
	units int
	days  map[string]bool
}

// fairSales reads the fair sales of the PackWindowDays days to asOf, voids
// taken off, by SKU.
func (s *Shop) fairSales(ctx context.Context, asOf AsOf) (map[string]fairSold, error) {
	from := domain.AddDays(asOf.Day, 1-domain.PackWindowDays).UnixMilli()
	rows, err := s.db.QueryContext(ctx, `SELECT sku_id, at, CASE kind WHEN 'sale' THEN qty ELSE -qty END FROM events
		WHERE at >= ? AND at < ? AND kind IN ('sale', 'void') AND channel = 'fair'`, from, asOf.End.UnixMilli())
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	out := map[string]fairSold{}
	for rows.Next() {
		var id string
		var at int64
		var qty int
		if err := rows.Scan(&id, &at, &qty); err != nil {
			return nil, storeError(s.path, err)
		}
		f := out[id]
		if f.days == nil {
			f.days = map[string]bool{}
		}
		f.units += qty
		if qty > 0 {
			f.days[time.UnixMilli(at).In(s.loc).Format(time.DateOnly)] = true
		}
		out[id] = f
	}
	return out, storeError(s.path, rows.Err())
}

// BringBack records what came back from a location after a fair: for each
// SKU code, a count of the units there, and a move home to main of those
// that can be sold, in one transaction. Units held there for QA stay, as
// a move would leave them: moved, they went on sale at main unchecked,
// and the location showed them oversold. It returns the units that stay
// held, by code, for those that hold some.
func (s *Shop) BringBack(ctx context.Context, location string, counted map[string]int) (map[string]int, error) {
	loc, err := s.FindLocation(ctx, location)
	if err != nil {
		return nil, err
	}
	if loc.ID == "" {
		return nil, domain.Errorf(domain.EInvalid, "main is home already; bring stock back from another location")
	}
	for code, n := range counted {
		if err := domain.ValidateCount(n); err != nil {
			return nil, domain.Errorf(domain.EInvalid, "%s: %s", code, domain.ErrorMessage(err))
		}
	}
	held := map[string]int{}
	err = s.write(ctx, func(t *txn) error {
		for code, n := range counted {
			sku, err := findSKU(ctx, t.tx, code)
			if err != nil {
				return err
			}
			if sku.Path == domain.PathDigital || sku.Path == domain.PathKit {
				return domain.Errorf(domain.EInvalid, "SKU %s is %s and has no stock of its own to count", sku.Code, pathWords(sku.Path))
			}
			// A count sets what is on hand; what is held comes from the
			// deliveries before it, so it is read first.
			lvl, _, err := levelAt(ctx, t, sku.ID, loc.ID, t.now)
			if err != nil {
				return err
			}
			at := t.now.UnixMilli()
			if err := t.addEvent(event{Kind: kindCount, ID: newID(), SKUID: sku.ID, At: at, Qty: n, Location: loc.ID}); err != nil {
				return err
			}
			if lvl.Held > 0 {
				held[sku.Code] = lvl.Held
			}
			if home := n - lvl.Held; home > 0 {
				if err := t.addEvent(event{Kind: kindMove, ID: newID(), SKUID: sku.ID, At: at, Qty: home, Location: loc.ID}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return held, nil
}
