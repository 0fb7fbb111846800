package controller

import (
	"context"
	"time"

	"microshop/sync/lan"
)

// Offer is an invite this computer offers to one nearby: the invite
// itself, to copy or scan, and the short code that fetches it from this
// computer until Until.
type Offer struct {
	Invite string
	Code   string // XXXX-XXXX; "" when this computer does not host sync
	Until  time.Time
	ByFile bool // the invite names no relay: it joins with a bundle
}

// OfferInvite makes an invite for another device. While this computer
// hosts sync, the invite leads to its hosted relay (every address of it,
// with the hosting token) and is also offered under a new short code, so
// the other computer needs only to pick this one and type the code;
// otherwise it leads to the relay this device syncs with, or, syncing
// with none, it names no relay and joins with a bundle.
func (c *Controller) OfferInvite(ctx context.Context) (Offer, error) {
	c.mu.Lock()
	h := c.host
	c.mu.Unlock()
	if h == nil {
		inv, err := c.shop.Invite(ctx, nil, "")
		if err != nil {
			return Offer{}, err
		}
		return Offer{Invite: inv.String(), ByFile: inv.ByFile()}, nil
	}
	inv, err := c.shop.Invite(ctx, h.info.Addresses, h.info.Token)
	if err != nil {
		return Offer{}, err
	}
	text := inv.String()
	code, until, err := h.offers.Offer(text)
	if err != nil {
		return Offer{}, err
	}
	return Offer{Invite: text, Code: code, Until: until}, nil
}

// Browse lists the computers on the local network hosting sync.
func (c *Controller) Browse(ctx context.Context) ([]lan.Host, error) {
	return c.lan.Browse(ctx, lan.DefaultWait)
}
