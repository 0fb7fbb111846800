package app

import (
	"context"
	"time"

	"microshop/domain"
)

// BatchFields are the parts of a batch that may change after it is
// ordered; nil leaves a field as it is.
type BatchFields struct {
	Qty      *int       // units ordered: not below those received
	Expected *time.Time // when it should arrive
}

// EditBatch changes the quantity or the expected arrival of a batch. The
// quantity cannot go below what was received, and a cancelled batch is not
// edited. Like an order, the result warns of a quantity below the
// factory's minimum or off its multiple.
func (s *Shop) EditBatch(ctx context.Context, ref string, in BatchFields) (OrderResult, error) {
	var res OrderResult
	if in.Qty == nil && in.Expected == nil {
		return res, domain.Errorf(domain.EInvalid, "nothing to change; give the new quantity or the expected date")
	}
	if in.Qty != nil {
		if err := domain.ValidateQty(*in.Qty); err != nil {
			return res, err
		}
	}
	err := s.write(ctx, func(t *txn) error {
		b, err := findBatch(ctx, t.tx, ref, maxTime)
		if err != nil {
			return err
		}
		if b.Cancelled() {
			return domain.Errorf(domain.EConflict, "%s was cancelled on %s; order a new batch instead of editing it",
				b.Name(t.shop.loc), time.UnixMilli(b.CancelledAt).In(t.shop.loc).Format(time.DateOnly))
		}
		fields := map[string]any{}
		if in.Qty != nil && *in.Qty != b.Ordered {
			if *in.Qty < b.Received {
				return domain.Errorf(domain.EInvalid, "%s cannot be cut to %d units: %d have been received already; give at least %d",
					b.Name(t.shop.loc), *in.Qty, b.Received, b.Received)
			}
			f, err := findFactoryByID(ctx, t.tx, b.FactoryID)
			if err != nil {
				return err
			}
			b.Ordered, fields["ordered"] = *in.Qty, *in.Qty
			res.Warnings = f.OrderWarnings(*in.Qty)
		}
		if in.Expected != nil {
			loc := t.shop.loc
			if err := CheckExpected(time.UnixMilli(b.OrderedAt).In(loc), in.Expected.In(loc)); err != nil {
				return err
			}
			if ms := in.Expected.UnixMilli(); ms != b.ExpectedAt {
				b.ExpectedAt, fields["expected_at"] = ms, ms
			}
		}
		res.Batch = b
		if len(fields) == 0 {
			return nil // as it was: nothing to write, nothing to sync
		}
		return t.setRecord("batch", b.ID, fields)
	})
	return res, err
}

// CancelBatch cancels the units of a batch not yet received: they leave
// on order. What was received stays, and held units still wait for QA. A
// batch fully received has nothing left to cancel.
func (s *Shop) CancelBatch(ctx context.Context, ref string) (domain.Batch, error) {
	var b domain.Batch
	err := s.write(ctx, func(t *txn) error {
		var err error
		if b, err = findBatch(ctx, t.tx, ref, maxTime); err != nil {
			return err
		}
		switch {
		case b.Cancelled():
			return domain.Errorf(domain.EConflict, "%s was already cancelled on %s",
				b.Name(t.shop.loc), time.UnixMilli(b.CancelledAt).In(t.shop.loc).Format(time.DateOnly))
		case b.Received >= b.Ordered:
			return domain.Errorf(domain.EConflict, "%s is fully received (%d of %d units), so nothing is left to cancel",
				b.Name(t.shop.loc), b.Received, b.Ordered)
		}
		b.CancelledAt = t.now.UnixMilli()
		return t.setRecord("batch", b.ID, map[string]any{"cancelled_at": b.CancelledAt})
	})
	return b, err
}
