package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"microshop/domain"
)

// Count records a stocktake at this device's default location: see
// CountStock.
func (s *Shop) Count(ctx context.Context, code string, qty int, at time.Time) (string, error) {
	return s.CountStock(ctx, Stocktake{Code: code, Qty: qty, At: at})
}

// Stocktake is what `count` asks for.
type Stocktake struct {
	Code     string
	Qty      int       // units on hand there, held units included
	At       time.Time // zero for now
	Location string    // by name; empty for this device's default
}

// CountStock records a stocktake: qty units on hand at one location at at,
// held units included. Movements there before it stop mattering; those
// after it count from it. Other locations keep their own stock.
func (s *Shop) CountStock(ctx context.Context, in Stocktake) (string, error) {
	if err := domain.ValidateCount(in.Qty); err != nil {
		return "", err
	}
	return s.stockEvent(ctx, event{Kind: kindCount, Qty: in.Qty}, in.Code, in.Location, in.At, false)
}

// CountBelowHeld is what to tell a maker whose count of counted units of
// code at place is below the held units there, and "" otherwise; batches
// names the batches holding them (HeldBatches), as the tool at hand calls
// them. A count includes held units, and held units leave only through
// their batch's QA, so such a count leaves available there below zero: a
// count that left the QA box out looks like stock sold that was never
// there. Held units lost or broken leave the same way: no event takes
// units out of a hold, so QA decides on those left (a fail takes all the
// held units out, a pass sells them), and a count after the decision sets
// the shelf, as it holds nothing back any more.
func CountBelowHeld(code, place string, counted, held int, batches []string) string {
	if counted >= held {
		return ""
	}
	which := "their batch"
	if len(batches) > 0 {
		which = strings.Join(batches, " and ")
	}
	return fmt.Sprintf("%s at %s has %s held for QA, more than the %d counted; a count includes held units, so %d show as sold beyond stock there until the batch passes or fails QA; if the held ones were left out, count again with them; if some were lost or broken, decide QA of %s on those left, then count again",
		code, place, units(held), counted, held-counted, which)
}

// HeldBatches lists the batches whose units of code wait for QA at a
// location (by name), oldest first: the QA that lets held units leave.
func (s *Shop) HeldBatches(ctx context.Context, code, location string) ([]domain.Batch, error) {
	loc, err := s.FindLocation(ctx, location)
	if err != nil {
		return nil, err
	}
	sku, err := s.SKU(ctx, code)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.batch_id FROM events e JOIN batches b ON b.id = e.batch_id
		WHERE e.sku_id = ? AND e.location = ? AND e.kind = 'receipt' AND e.batch_id <> '' AND e.held > 0 AND b.qa = 'pending'
		GROUP BY e.batch_id ORDER BY min(b.ordered_at), e.batch_id`, sku.ID, loc.ID)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, storeError(s.path, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	out := make([]domain.Batch, 0, len(ids))
	for _, id := range ids {
		b, err := s.Batch(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Adjust records a signed correction with a note saying why. A correction
// that takes units out follows the rule for sales: see AdjustStock.
func (s *Shop) Adjust(ctx context.Context, code string, qty int, note string, at time.Time) (string, error) {
	return s.AdjustStock(ctx, Adjustment{Code: code, Qty: qty, Note: note, At: at})
}

// Adjustment is what `adjust` asks for.
type Adjustment struct {
	Code     string
	Qty      int // signed: -2 takes two out
	Note     string
	At       time.Time // zero for now
	Force    bool      // take units out even beyond available stock
	Location string    // by name; empty for this device's default
}

// AdjustStock records a signed correction. One that takes units out is
// refused, as a sale is, when available stock would go below zero at any
// moment from its time to now, unless forced: units cannot leave that were
// not there, and those in QA hold leave through a failed QA.
func (s *Shop) AdjustStock(ctx context.Context, in Adjustment) (string, error) {
	note, err := domain.CleanNote("note", in.Note)
	if err != nil {
		return "", err
	}
	if err := domain.ValidateAdjustment(in.Qty, note); err != nil {
		return "", err
	}
	return s.stockEvent(ctx, event{Kind: kindAdjust, Qty: in.Qty, Note: note}, in.Code, in.Location, in.At, in.Force)
}

// stockEvent records a count or an adjustment e of the SKU code at the
// location named place.
func (s *Shop) stockEvent(ctx context.Context, e event, code, place string, at time.Time, force bool) (string, error) {
	e.ID = newID()
	return e.ID, s.write(ctx, func(t *txn) error {
		at := orNow(at, t.now)
		if err := t.checkAt(at); err != nil {
			return err
		}
		sku, err := findSKU(ctx, t.tx, code)
		if err != nil {
			return err
		}
		if sku.Path == domain.PathDigital {
			return domain.Errorf(domain.EInvalid, "SKU %s is digital and has no stock to count or adjust", sku.Code)
		}
		if sku.Path == domain.PathKit {
			return domain.Errorf(domain.EInvalid, "SKU %s is a kit and has no stock of its own; count or adjust its parts", sku.Code)
		}
		loc, err := t.placeOrRemoved(ctx, place) // units left at a removed location are counted out
		if err != nil {
			return err
		}
		if e.Kind == kindAdjust && e.Qty < 0 && !force {
			r, err := checkRemoval(ctx, t, sku, loc.ID, at, -e.Qty, "take out")
			if err != nil {
				return err
			}
			if r.short != nil {
				return r.short
			}
		}
		e.SKUID, e.At, e.Location = sku.ID, at.UnixMilli(), loc.ID
		return t.addEvent(e)
	})
}
