package app

import (
	"context"
	"fmt"
	"time"

	"microshop/domain"
)

// BuyerMessage is the lead-time line for a SKU's listing.
type BuyerMessage struct {
	Code    string
	Message string
	ShipsBy time.Time
	// Warnings are for the maker, not the buyer: a date no batch is on
	// its way to keep.
	Warnings []string
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
	in := s.messageInput(r, 1, asOf, snap.settings.handlingDays)
	text, ships := domain.BuyerMessage(in)
	m := BuyerMessage{Code: r.SKU.Code, Message: text, ShipsBy: ships}
	warnPaused(&m, r, in)
	return m, nil
}

// warnPaused warns when the message's date waits on a batch that r's
// paused factory will not make: nothing of r is on the shelf or on its
// way, and no batch is suggested until the factory is resumed.
func warnPaused(m *BuyerMessage, r StockRow, in domain.MessageInput) {
	if r.Blocked && in.FromLeadTime() {
		m.Warnings = append(m.Warnings, pausedDateWarning(r.SKU.Code, r.SKU.Factory)+".")
	}
}

// pausedDateWarning tells the maker that a date told to a buyer waits on
// a batch a paused factory will not make.
func pausedDateWarning(code, factory string) string {
	return fmt.Sprintf("%s's factory %s is paused and no batch of it is on its way, so the date holds only if one is ordered today: resume %s, or order from another factory",
		code, factory, factory)
}

// messageInput is what the buyer message of r needs, for an order of qty
// units: it is in stock only with qty of them available.
func (s *Shop) messageInput(r StockRow, qty int, asOf AsOf, handlingDays int) domain.MessageInput {
	in := domain.MessageInput{Path: r.SKU.Path, Archived: r.SKU.Archived, Available: r.Available - (qty - 1), LeadDays: r.SKU.LeadDays,
		HandlingDays: handlingDays, Today: asOf.Day}
	if at := r.backBy(in.Available); at > 0 {
		in.NextArrival = time.UnixMilli(at).In(s.loc)
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
	var warned BuyerMessage // what the parts' messages warn of
	for _, p := range parts {
		rows, err := s.Stock(ctx, asOf, p.SKUID)
		if err != nil || rows[0].SKU.Archived {
			continue
		}
		in := s.messageInput(rows[0], p.Qty, asOf, handlingDays)
		text, ships := domain.BuyerMessage(in)
		if out.Message == "" || ships.After(out.ShipsBy) {
			out = BuyerMessage{Code: kit.SKU.Code, Message: text, ShipsBy: ships}
		}
		warnPaused(&warned, rows[0], in)
	}
	out.Warnings = warned.Warnings
	if out.Message == "" {
		text, ships := domain.BuyerMessage(s.messageInput(kit, 1, asOf, handlingDays))
		out = BuyerMessage{Code: kit.SKU.Code, Message: text, ShipsBy: ships}
	}
	return out, nil
}
