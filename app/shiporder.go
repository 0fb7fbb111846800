package app

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"microshop/domain"
)

// ShipOrderRequest names an imported order the maker has shipped by hand,
// and when. Channel is "" for whichever channel has the number.
type ShipOrderRequest struct {
	Number  string
	Channel domain.Channel
	At      time.Time
}

// ShipOrder marks an imported order shipped by hand: a delayed order
// shipped the day its batch arrives leaves the delayed list now, not at the
// channel's next export. It writes the record a file's Date Shipped or
// Fulfillment Status writes, so it syncs and merges the same way: shipped
// is never undone, so a later file that still shows the order open changes
// nothing, and one that shows it shipped keeps the time marked here.
func (s *Shop) ShipOrder(ctx context.Context, req ShipOrderRequest) (ChannelOrder, error) {
	shipped, err := s.ShipOrders(ctx, []ShipOrderRequest{req})
	if err != nil {
		return ChannelOrder{}, err
	}
	return shipped[0], nil
}

// ShipOrders marks several imported orders shipped, a morning's parcels at
// once, all or none: each is checked before any is marked, and one refused
// marks none, so the same command runs again once the bad one is put right.
func (s *Shop) ShipOrders(ctx context.Context, reqs []ShipOrderRequest) ([]ChannelOrder, error) {
	for _, req := range reqs {
		if req.Channel != "" && !slices.Contains(domain.ImportedChannels, req.Channel) {
			return nil, domain.Errorf(domain.EInvalid, "%s is not a channel orders are imported from; use etsy or shopify", domain.QuoteShort(string(req.Channel)))
		}
	}
	var out []ChannelOrder
	err := s.write(ctx, func(tx *txn) error {
		out = out[:0]
		for _, req := range reqs {
			o, err := s.checkShipment(ctx, tx, req)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(out, func(p ChannelOrder) bool { return p.Channel == o.Channel && p.Number == o.Number }) {
				return domain.Errorf(domain.EInvalid, "order %s on %s is given twice; give each order once", o.Number, o.Channel)
			}
			out = append(out, o)
		}
		for _, o := range out {
			err := tx.setRecord("order", orderRecordID(s.shopID, string(o.Channel), o.Number),
				map[string]any{"channel": string(o.Channel), "number": o.Number, "shipped_at": o.ShippedAt.UnixMilli()})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && len(reqs) > 1 {
		return nil, noneShipped(err)
	}
	return out, err
}

// checkShipment is the order req names, shipped at req.At, or why it
// cannot be marked so.
func (s *Shop) checkShipment(ctx context.Context, tx *txn, req ShipOrderRequest) (ChannelOrder, error) {
	o, err := s.orderToShip(ctx, tx, req)
	if err != nil {
		return o, err
	}
	if err := tx.checkAt(req.At); err != nil {
		return o, err
	}
	if domain.StartOfDay(req.At.In(s.loc)).Before(domain.StartOfDay(o.At)) {
		return o, domain.Errorf(domain.EInvalid, "the ship date %s is before order %s was placed on %s; give the day it left",
			req.At.In(s.loc).Format(time.DateOnly), o.Number, o.At.Format(time.DateOnly))
	}
	o.ShippedAt = req.At.In(s.loc)
	return o, nil
}

// noneShipped says of a refusal among several orders that none was
// marked: the others named were fine, and a maker would else wonder which
// went through.
func noneShipped(err error) error {
	var e *domain.Error
	if !errors.As(err, &e) {
		return err
	}
	return &domain.Error{Code: e.Code, Remedy: e.Remedy, Err: e.Err,
		Message: strings.TrimSuffix(e.Message, "; nothing changed") + "; no order was marked shipped"}
}

// orderToShip finds the open order req names. A Shopify order's number
// may be given without its "#": a shell reads the rest of a line after
// an unquoted # as a comment.
func (s *Shop) orderToShip(ctx context.Context, tx *txn, req ShipOrderRequest) (ChannelOrder, error) {
	var found []ChannelOrder
	var download []bool
	for _, number := range []string{req.Number, "#" + req.Number} {
		rows, err := tx.tx.QueryContext(ctx, `SELECT e.channel, min(e.at), max(k.path <> 'digital') FROM events e JOIN skus k ON k.id = e.sku_id
			WHERE e.kind = 'sale' AND e.channel IN ('etsy', 'shopify') AND e.order_id = ? AND e.order_id <> '' AND (? = '' OR e.channel = ?)
				AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id)
			GROUP BY e.channel ORDER BY e.channel`, number, string(req.Channel), string(req.Channel))
		if err != nil {
			return ChannelOrder{}, storeError(s.path, err)
		}
		for rows.Next() {
			var ch string
			var at int64
			var toShip bool
			if err := rows.Scan(&ch, &at, &toShip); err != nil {
				rows.Close()
				return ChannelOrder{}, storeError(s.path, err)
			}
			found = append(found, ChannelOrder{Number: number, Channel: domain.Channel(ch), At: time.UnixMilli(at).In(s.loc)})
			download = append(download, !toShip)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return ChannelOrder{}, storeError(s.path, err)
		}
		if len(found) > 0 || req.Number == "" || req.Number[0] == '#' {
			break
		}
	}
	switch {
	case len(found) == 0:
		return ChannelOrder{}, s.noOrderToShip(ctx, tx, req)
	case len(found) > 1:
		return ChannelOrder{}, domain.Errorf(domain.EInvalid, "order %s is on both Etsy and Shopify; name its channel, etsy or shopify", domain.QuoteShort(req.Number))
	}
	o := found[0]
	if download[0] {
		return o, domain.Errorf(domain.EConflict, "order %s on %s holds downloads only, delivered when bought; nothing is left to ship", o.Number, o.Channel)
	}
	var shipped int64
	err := tx.tx.QueryRowContext(ctx, `SELECT shipped_at FROM orders WHERE channel = ? AND number = ? AND shipped_at > 0 LIMIT 1`,
		string(o.Channel), o.Number).Scan(&shipped)
	switch {
	case err == nil:
		return o, domain.Errorf(domain.EConflict, "order %s on %s is marked shipped already, on %s; nothing changed", o.Number, o.Channel,
			time.UnixMilli(shipped).In(s.loc).Format(time.DateOnly))
	case err != sql.ErrNoRows:
		return o, storeError(s.path, err)
	}
	return o, nil
}

// noOrderToShip says why no open order has req's number: every line of
// the order was voided, or no imported order has it. A voided order was
// said to be no order at all, and its maker looked for a typo.
func (s *Shop) noOrderToShip(ctx context.Context, tx *txn, req ShipOrderRequest) error {
	var number, channel string
	err := tx.tx.QueryRowContext(ctx, `SELECT order_id, channel FROM events
		WHERE kind = 'sale' AND channel IN ('etsy', 'shopify') AND order_id IN (?, ?) AND order_id <> '' AND (? = '' OR channel = ?)
		ORDER BY order_id <> ?, channel LIMIT 1`,
		req.Number, "#"+req.Number, string(req.Channel), string(req.Channel), req.Number).Scan(&number, &channel)
	switch {
	case err == nil:
		return domain.Errorf(domain.EConflict, "every line of order %s on %s was voided, so nothing is left to ship", number, channel)
	case err != sql.ErrNoRows:
		return storeError(s.path, err)
	}
	return domain.Errorf(domain.ENotFound, "no imported Etsy or Shopify order has the number %s; the orders list shows each order's number",
		domain.QuoteShort(req.Number))
}
