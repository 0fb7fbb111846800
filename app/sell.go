package app

import (
	"context"
	"time"

	"microshop/domain"
)

// Sale is one item sold on its own: a basket of one.
type Sale struct {
	Code    string
	Qty     int            // 1 when zero: a tap on a tile sells one
	Price   *domain.Money  // unit price; nil for the SKU's price
	Channel domain.Channel // fair when empty
	Payment domain.Payment // when empty: cash at a fair, other on another channel
	At      time.Time      // zero for now
	Force   bool           // record it even beyond available stock
	// Location is where it is sold, by name; empty for this device's
	// default location.
	Location string
}

// SaleResult is a recorded sale line.
type SaleResult struct {
	ID        string
	Order     string // the basket it belongs to
	Code      string
	Qty       int
	Price     domain.Money // unit price, after any discount
	Available int          // available after the sale: now, or at its time when that is later
	Digital   bool         // a download, or a kit of downloads: no stock, Available means nothing
}

// Sell records a sale of one item, as a basket of one. A sale that would
// take available stock below zero at any moment from its time to now is
// refused with a *ShortError unless forced: one that physically happened
// is recorded, and the SKU then shows as oversold.
func (s *Shop) Sell(ctx context.Context, in Sale) (SaleResult, error) {
	o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: in.Code, Qty: in.Qty, Price: in.Price}},
		Channel: in.Channel, Payment: in.Payment, At: in.At, Force: in.Force, Location: in.Location})
	if err != nil {
		return SaleResult{}, err
	}
	return o.Items[0], nil
}

// discounted is a unit price with pct percent off, taken to the shop
// currency's smallest unit; the currency is read only for a discount.
func (t *txn) discounted(ctx context.Context, price domain.Money, pct int) (after, off domain.Money, err error) {
	currency := ""
	if pct > 0 {
		if currency, err = shopCurrency(ctx, t.tx, t.shop.shopID); err != nil {
			return 0, 0, err
		}
	}
	after, off = domain.Discounted(price, pct, currency)
	return after, off, nil
}

// sellLine records one line of an order inside its transaction.
func (t *txn) sellLine(ctx context.Context, o *SoldBasket, item BasketItem, b Basket, at time.Time) error {
	if err := t.checkItem(&item); err != nil {
		return err
	}
	sku, err := t.shop.findSKUCached(ctx, t.tx, item.Code)
	if err != nil {
		return err
	}
	if sku.Archived {
		return domain.Errorf(domain.EConflict, "SKU %s is archived and no longer sold", sku.Code)
	}
	listed := sku.Price
	if item.Price != nil {
		listed = *item.Price
	}
	price, off, err := t.discounted(ctx, listed, b.Discount)
	if err != nil {
		return err
	}
	if err := o.addLine(price, off, item.Qty); err != nil {
		return err
	}
	if sku.Path == domain.PathKit {
		res, err := sellKit(ctx, t, sku, Sale{Code: item.Code, Qty: item.Qty, Channel: b.Channel, Payment: b.Payment, Force: b.Force}, at, price, off, o)
		if err != nil {
			return err
		}
		res.Order = o.ID
		o.Items = append(o.Items, res)
		return nil
	}
	res := SaleResult{ID: newID(), Order: o.ID, Code: sku.Code, Qty: item.Qty, Price: price, Digital: sku.Path == domain.PathDigital}
	var left *checkpoint // the SKU's levels just after the sale's moment, without it
	if sku.Path != domain.PathDigital {
		r, err := checkRemoval(ctx, t, sku, o.Location.ID, at, item.Qty, sellVerb)
		if err != nil {
			return err
		}
		if r.short != nil && !b.Force {
			return r.short
		}
		res.Available = r.after
		left = &r.levels
	}
	o.Items = append(o.Items, res)
	if err := t.addEvent(event{Kind: kindSale, ID: res.ID, SKUID: sku.ID, At: at.UnixMilli(), Qty: item.Qty,
		Price: int64(price), Channel: string(b.Channel), FactoryID: sku.FactoryID,
		Order: o.ID, Payment: string(b.Payment), Discount: int64(off), Location: o.Location.ID}); err != nil {
		return err
	}
	if left != nil {
		t.leaveSaleLevel(sku.ID, afterRemoval(*left, o.Location.ID, item.Qty))
	}
	return nil
}

// checkItem checks a basket item's quantity, 1 when not given, and its
// price, when given.
func (t *txn) checkItem(item *BasketItem) error {
	if item.Qty == 0 {
		item.Qty = 1
	}
	if err := domain.ValidateQty(item.Qty); err != nil {
		return err
	}
	return t.checkMoney(item.Price)
}

// addLine adds qty units at price, each off less than listed, to the
// basket's sums; a line or a basket above the largest amount a shop
// records is refused.
func (o *SoldBasket) addLine(price, off domain.Money, qty int) error {
	total, err := domain.LineTotal(price, qty)
	if err != nil {
		return err
	}
	if o.Total += total; domain.ValidateMoney("basket total", o.Total) != nil {
		return domain.Errorf(domain.EInvalid, "the basket comes to %s, more than 9999999999999.99, the largest amount a shop records; sell it in two baskets", o.Total)
	}
	o.Discounts += off * domain.Money(qty)
	return nil
}

// levelAt is a SKU's stock at a location just after at, read inside a
// write, and the SKU's levels everywhere then. It starts from the level
// this process's last sale of the SKU left, when that is still right
// (saleLevels); else, like a report, it replays from a checkpoint, and
// leaves one at the start of at's day when the one it found was older than
// a week, so the day's next sales replay that day alone.
func levelAt(ctx context.Context, t *txn, skuID, place string, at time.Time) (domain.Level, checkpoint, error) {
	if c, ok, err := t.saleLevel(ctx, skuID, at.UnixMilli()); err != nil || ok {
		// Nothing of the SKU happened from c's moment to at.
		c.at = at.UnixMilli() + 1
		return c.places.At(place, c.level), c, err
	}
	// One day's window: only the level at its end is wanted.
	w := domain.Window{DayStarts: []int64{domain.StartOfDay(at.In(t.shop.loc)).UnixMilli()}, End: at.UnixMilli() + 1}
	checked, err := t.checkRecentLevels(ctx)
	if err != nil {
		return domain.Level{}, checkpoint{}, err
	}
	l, err := newSaleLedger(ctx, t.tx, w, skuID, checked)
	if err != nil {
		return domain.Level{}, checkpoint{}, err
	}
	rep, err := l.replay(ctx, skuID)
	if err != nil {
		return domain.Level{}, checkpoint{}, err
	}
	if c, ok := l.fresh[skuID]; ok && c.at <= t.now.UnixMilli() {
		if err := saveCheckpoint(ctx, t.tx, l.saveTo, skuID, c); err != nil {
			return domain.Level{}, checkpoint{}, err
		}
	}
	return rep.Places.At(place, rep.AtEnd), checkpoint{at: w.End, level: rep.AtEnd, places: rep.Places}, nil
}
