package app

import (
	"context"
	"time"

	"microshop/domain"
)

// BuyerMessage is the lead-time line for a SKU's listing.
type BuyerMessage struct {
	Code    string
	Message string
	ShipsBy time.Time
}

// Message writes the buyer lead-time message for a SKU as of asOf.
func (s *Shop) Message(ctx context.Context, code string, asOf AsOf) (BuyerMessage, error) {
	if err := checkOneCode(code); err != nil {
		return BuyerMessage{}, err
	}
	snap, err := s.snapshot(ctx, asOf, code)
	if err != nil {
		return BuyerMessage{}, err
	}
	r := snap.rows[0]
	if r.SKU.Path == domain.PathKit && !r.SKU.Archived {
		return s.kitMessage(ctx, asOf, r, snap.settings.handlingDays)
	}
	text, ships := domain.BuyerMessage(s.messageInput(r, 1, asOf, snap.settings.handlingDays))
	return BuyerMessage{Code: r.SKU.Code, Message: text, ShipsBy: ships}, nil
}

// messageInput is what the buyer message of r needs, for an order of qty
// units: it is in stock only with qty of them available.
func (s *Shop) messageInput(r StockRow, qty int, asOf AsOf, handlingDays int) domain.MessageInput {
	in := domain.MessageInput{Path: r.SKU.Path, Archived: r.SKU.Archived, Available: r.Available - (qty - 1), LeadDays: r.SKU.LeadDays,
		HandlingDays: handlingDays, Today: asOf.Day}
	if r.NextArrival > 0 {
		in.NextArrival = time.UnixMilli(r.NextArrival).In(s.loc)
	}
	return in
}

// kitMessage is a kit's buyer message: it ships when its last part can,
// so the message is that part's. Parts are read as the kit's stock reads
// them: one not yet arrived by sync, or no longer sold, is passed over.
func (s *Shop) kitMessage(ctx context.Context, asOf AsOf, kit StockRow, handlingDays int) (BuyerMessage, error) {
	parts, err := storedParts(ctx, s.db, kit.SKU.ID)
	if err != nil {
		return BuyerMessage{}, storeError(s.path, err)
	}
	var out BuyerMessage
	for _, p := range parts {
		rows, err := s.Stock(ctx, asOf, p.SKUID)
		if err != nil || rows[0].SKU.Archived {
			continue
		}
		text, ships := domain.BuyerMessage(s.messageInput(rows[0], p.Qty, asOf, handlingDays))
		if out.Message == "" || ships.After(out.ShipsBy) {
			out = BuyerMessage{Code: kit.SKU.Code, Message: text, ShipsBy: ships}
		}
	}
	if out.Message == "" {
		text, ships := domain.BuyerMessage(s.messageInput(kit, 1, asOf, handlingDays))
		out = BuyerMessage{Code: kit.SKU.Code, Message: text, ShipsBy: ships}
	}
	return out, nil
}
