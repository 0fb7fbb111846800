package app

import (
	"context"
	"time"

	"microshop/domain"
)

// Sale is what `sell` asks for.
type Sale struct {
	Code    string
	Qty     int            // 1 when zero: a tap on a tile sells one
	Price   *domain.Money  // unit price; nil for the SKU's price
	Channel domain.Channel // fair when empty
	At      time.Time      // zero for now
	Force   bool           // record it even beyond available stock
}

// SaleResult is a recorded sale.
type SaleResult struct {
	ID        string
	Code      string
	Qty       int
	Price     domain.Money // unit price
	Available int          // available after the sale
}

// Sell records a sale. A sale beyond available stock is refused unless
// forced: one that physically happened is recorded, and the SKU then shows
// as oversold.
func (s *Shop) Sell(ctx context.Context, in Sale) (SaleResult, error) {
	var res SaleResult
	if in.Qty == 0 {
		in.Qty = 1
	}
	if err := domain.ValidateQty(in.Qty); err != nil {
		return res, err
	}
	if in.Channel == "" {
		in.Channel = "fair"
	}
	if _, err := domain.ParseChannel(string(in.Channel)); err != nil {
		return res, err
	}
	err := s.write(ctx, func(t *txn) error {
		at := orNow(in.At, t.now)
		sku, err := findSKU(ctx, t.tx, in.Code)
		if err != nil {
			return err
		}
		if sku.Archived {
			return domain.Errorf(domain.EConflict, "SKU %s is archived and no longer sold", sku.Code)
		}
		price := sku.Price
		if in.Price != nil {
			price = *in.Price
		}
		avail := 0
		if sku.Path != domain.PathDigital {
			lvl, err := levelAt(ctx, t, sku.ID, at)
			if err != nil {
				return err
			}
			avail = lvl.Available()
			if in.Qty > avail && !in.Force {
				return domain.Errorf(domain.EConflict, "cannot sell %d of %s: only %d available at %s; if the sale really happened, record it with --force",
					in.Qty, sku.Code, max(avail, 0), at.In(t.shop.loc).Format("2006-01-02 15:04"))
			}
		}
		res = SaleResult{ID: newID(), Code: sku.Code, Qty: in.Qty, Price: price, Available: avail - in.Qty}
		if sku.Path == domain.PathDigital {
			res.Available = 0
		}
		return t.addEvent(event{Kind: kindSale, ID: res.ID, SKUID: sku.ID, At: at.UnixMilli(), Qty: in.Qty,
			Price: int64(price), Channel: string(in.Channel), FactoryID: sku.FactoryID})
	})
	return res, err
}

// VoidSale cancels a sale recorded by mistake (the sell screen's undo). The
// sale stays in the log; a void event referencing it puts the units back.
func (s *Shop) VoidSale(ctx context.Context, saleID string) error {
	return s.write(ctx, func(t *txn) error {
		var e event
		err := t.tx.QueryRowContext(ctx, `SELECT sku_id, at, qty, price, channel, factory_id FROM events WHERE id = ? AND kind = 'sale'`, saleID).
			Scan(&e.SKUID, &e.At, &e.Qty, &e.Price, &e.Channel, &e.FactoryID)
		if isNoRows(err) {
			return notFound("sale", saleID, "only a recorded sale can be undone")
		} else if err != nil {
			return err
		}
		var n int
		if err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE kind = 'void' AND ref = ?`, saleID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Errorf(domain.EConflict, "sale %s was already undone", saleID)
		}
		e.Kind, e.ID, e.Ref = kindVoid, newID(), saleID
		return t.addEvent(e)
	})
}

// levelAt is a SKU's stock just after at, read inside a write. Like a
// report it replays from the SKU's checkpoint, and leaves one at the start
// of the rate window when there was none, so the next sale starts there.
func levelAt(ctx context.Context, t *txn, skuID string, at time.Time) (domain.Level, error) {
	w := domain.RateWindow(at.In(t.shop.loc), at.Add(time.Millisecond))
	l, err := newLedger(ctx, t.tx, w, []string{skuID})
	if err != nil {
		return domain.Level{}, err
	}
	rep, err := l.replay(ctx, skuID)
	if err != nil {
		return domain.Level{}, err
	}
	if c, ok := l.fresh[skuID]; ok && c.at <= t.now.UnixMilli() {
		if err := saveCheckpoint(ctx, t.tx, skuID, c); err != nil {
			return domain.Level{}, err
		}
	}
	return rep.AtEnd, nil
}

// Return is what `return` asks for.
type Return struct {
	Code    string
	Qty     int
	Reason  domain.ReturnReason
	BatchID string // optional: the batch the unit came from
	Restock bool   // the unit goes back to stock
	At      time.Time
}

// RecordReturn records units coming back. Restocked units go back on hand;
// the reason's class feeds the quality and packaging rules.
func (s *Shop) RecordReturn(ctx context.Context, in Return) (string, error) {
	if err := domain.ValidateQty(in.Qty); err != nil {
		return "", err
	}
	if _, err := domain.ParseReturnReason(string(in.Reason)); err != nil {
		return "", err
	}
	id := newID()
	err := s.write(ctx, func(t *txn) error {
		at := orNow(in.At, t.now)
		sku, err := findSKU(ctx, t.tx, in.Code)
		if err != nil {
			return err
		}
		factory := sku.FactoryID
		batch := ""
		if in.BatchID != "" {
			b, err := findBatch(ctx, t.tx, in.BatchID, maxTime)
			if err != nil {
				return err
			}
			if b.SKUID != sku.ID {
				return domain.Errorf(domain.EInvalid, "batch %s is of %s, not %s; give a batch of the returned SKU", b.ID, b.SKU, sku.Code)
			}
			factory, batch = b.FactoryID, b.ID
		}
		restock := in.Restock && sku.Path != domain.PathDigital
		return t.addEvent(event{Kind: kindReturn, ID: id, SKUID: sku.ID, At: at.UnixMilli(), Qty: in.Qty,
			Reason: string(in.Reason), Restock: restock, BatchID: batch, FactoryID: factory})
	})
	return id, err
}

// Count records a stocktake: qty units on hand at at, held units included.
// Movements before it stop mattering; those after it count from it.
func (s *Shop) Count(ctx context.Context, code string, qty int, at time.Time) (string, error) {
	if err := domain.ValidateCount(qty); err != nil {
		return "", err
	}
	return s.stockEvent(ctx, kindCount, code, qty, "", at)
}

// Adjust records a signed correction with a note saying why.
func (s *Shop) Adjust(ctx context.Context, code string, qty int, note string, at time.Time) (string, error) {
	note, err := domain.CleanNote("note", note)
	if err != nil {
		return "", err
	}
	if err := domain.ValidateAdjustment(qty, note); err != nil {
		return "", err
	}
	return s.stockEvent(ctx, kindAdjust, code, qty, note, at)
}

func (s *Shop) stockEvent(ctx context.Context, kind, code string, qty int, note string, at time.Time) (string, error) {
	id := newID()
	return id, s.write(ctx, func(t *txn) error {
		at := orNow(at, t.now)
		sku, err := findSKU(ctx, t.tx, code)
		if err != nil {
			return err
		}
		if sku.Path == domain.PathDigital {
			return domain.Errorf(domain.EInvalid, "SKU %s is digital and has no stock to count or adjust", sku.Code)
		}
		return t.addEvent(event{Kind: kind, ID: id, SKUID: sku.ID, At: at.UnixMilli(), Qty: qty, Note: note})
	})
}
