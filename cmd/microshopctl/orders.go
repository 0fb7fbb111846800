package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"microshop/app"
	"microshop/domain"
)

// orderJSON is a row of `orders` (CLI.md). ShipsBy is null unless the
// order is delayed and can ship; ShippedAt is null while it is open;
// CancelledAt is null unless its channel cancelled or refunded it after
// its lines were imported.
type orderJSON struct {
	Order     string          `json:"order"`
	Channel   string          `json:"channel"`
	At        string          `json:"at"`
	Shipped   bool            `json:"shipped"`
	ShippedAt *string         `json:"shipped_at"`
	Items     []orderItemJSON `json:"items"`
	Delayed   bool            `json:"delayed"`
	ShipsBy   *string         `json:"ships_by"`
	Message   string          `json:"message"`
	// CancelledAt: the order is not open unless it shipped first.
	CancelledAt *string `json:"cancelled_at"`
}

// shippedOrderJSON is what `orders ship` prints: the order's row in
// `orders` as far as shipping it tells.
type shippedOrderJSON struct {
	Order     string `json:"order"`
	Channel   string `json:"channel"`
	At        string `json:"at"`
	Shipped   bool   `json:"shipped"`
	ShippedAt string `json:"shipped_at"`
}

type orderItemJSON struct {
	Code string `json:"code"`
	Qty  int    `json:"qty"`
	Kit  string `json:"kit,omitempty"` // the kit the part was sold in
}

func runOrders(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	open := f.Bool("open", false, "only the orders not yet shipped nor cancelled")
	delayed := f.Bool("delayed", false, "only the open orders holding an oversold SKU, with the message for the buyer")
	day := f.asOfFlag()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		orders, err := s.Orders(ctx, asOf(s, *day), app.OrdersFilter{Open: *open, Delayed: *delayed})
		if err != nil {
			return err
		}
		// Each warning once: every order of a paused factory's SKU carries
		// the same one, and 2,000 of them scrolled the list away.
		var warnings []string
		for _, o := range orders {
			for _, w := range o.Warnings {
				if !slices.Contains(warnings, w) {
					warnings = append(warnings, w)
				}
			}
		}
		c.warn(warnings)
		if c.json {
			out := make([]orderJSON, len(orders))
			for i, o := range orders {
				out[i] = newOrderJSON(o)
			}
			return printJSONList(c, out)
		}
		if len(orders) == 0 {
			c.say("%s", noOrders(*open, *delayed))
			return nil
		}
		tw := c.table("ORDER", "CHANNEL", "DATE", "ITEMS", "STATE")
		for _, o := range orders {
			row(tw, o.Number, o.Channel, o.At.Format(time.DateOnly), itemsText(o), orderState(o))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, o := range orders {
			if o.Delayed {
				c.say("To the buyer of %s: %s", o.Number, o.Message)
			}
		}
		return nil
	})
}

func newOrderJSON(o app.ChannelOrder) orderJSON {
	j := orderJSON{Order: o.Number, Channel: string(o.Channel), At: o.At.Format(time.RFC3339), Shipped: o.Shipped(),
		Items: make([]orderItemJSON, len(o.Items)), Delayed: o.Delayed, Message: o.Message}
	for i, it := range o.Items {
		j.Items[i] = orderItemJSON{Code: it.Code, Qty: it.Qty, Kit: it.Kit}
	}
	if o.Shipped() {
		at := o.ShippedAt.Format(time.RFC3339)
		j.ShippedAt = &at
	}
	if !o.WithdrawnAt.IsZero() {
		at := o.WithdrawnAt.Format(time.RFC3339)
		j.CancelledAt = &at
	}
	if o.Delayed && !o.ShipsBy.IsZero() {
		d := o.ShipsBy.Format(time.DateOnly)
		j.ShipsBy = &d
	}
	return j
}

func runOrderShip(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	channel := parsed(f, "channel", "the orders' `CHANNEL`, etsy or shopify, when both have a number", parseOrderChannel)
	at := f.atFlag()
	pos, err := f.parse(args, "ORDER", "[ORDER ...]")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		reqs := make([]app.ShipOrderRequest, len(pos))
		for i, number := range pos {
			reqs[i] = app.ShipOrderRequest{Number: number, Channel: *channel, At: eventTime(s, *at)}
		}
		shipped, err := s.ShipOrders(ctx, reqs)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]shippedOrderJSON, len(shipped))
			for i, o := range shipped {
				out[i] = shippedOrderJSON{Order: o.Number, Channel: string(o.Channel), At: o.At.Format(time.RFC3339),
					Shipped: true, ShippedAt: o.ShippedAt.Format(time.RFC3339)}
			}
			if len(out) == 1 {
				return c.printJSON(out[0]) // one order is one object, as it was before several were taken
			}
			return c.printJSON(out)
		}
		if len(shipped) == 1 {
			o := shipped[0]
			c.say("Marked order %s on %s shipped on %s; it leaves the open and delayed orders, on every device as they sync.",
				o.Number, o.Channel, o.ShippedAt.Format(minuteLayout))
			return nil
		}
		names := make([]string, len(shipped))
		for i, o := range shipped {
			names[i] = fmt.Sprintf("%s on %s", o.Number, o.Channel)
		}
		c.say("Marked %d orders shipped on %s: %s; they leave the open and delayed orders, on every device as they sync.",
			len(shipped), shipped[0].ShippedAt.Format(minuteLayout), strings.Join(names, ", "))
		return nil
	})
}

// parseOrderChannel accepts the channels orders are imported from.
func parseOrderChannel(s string) (domain.Channel, error) {
	if c := domain.Channel(s); slices.Contains(domain.ImportedChannels, c) {
		return c, nil
	}
	return "", domain.Errorf(domain.EInvalid, "%q is not a channel orders are imported from; use etsy or shopify", s)
}

// noOrders says why the list is empty.
func noOrders(open, delayed bool) string {
	switch {
	case delayed:
		return "No delayed orders: every open order can ship from stock."
	case open:
		return "No open orders: every imported order has shipped or was cancelled."
	}
	return "No orders to show; imported Etsy and Shopify orders appear here (`microshopctl import FILE`)."
}

func itemsText(o app.ChannelOrder) string { return strings.Join(o.OrderLabels(), " ") }

func orderState(o app.ChannelOrder) string {
	switch {
	case o.Shipped() && !o.WithdrawnAt.IsZero():
		return "shipped " + o.ShippedAt.Format(time.DateOnly) + ", cancelled " + o.WithdrawnAt.Format(time.DateOnly)
	case o.Shipped():
		return "shipped " + o.ShippedAt.Format(time.DateOnly)
	case !o.WithdrawnAt.IsZero():
		return "cancelled " + o.WithdrawnAt.Format(time.DateOnly)
	case o.Delayed && o.ShipsBy.IsZero():
		return "delayed: cannot ship"
	case o.Delayed:
		return "delayed: ships by " + o.ShipsBy.Format(time.DateOnly)
	}
	return "open"
}
