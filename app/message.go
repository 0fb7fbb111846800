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
	if r.SKU.Path == domain.PathKit { // its stock is its parts'
		rows, err := s.kitStock(ctx, asOf, r)
		if err != nil {
			return BuyerMessage{}, err
		}
		r = rows[0]
	}
	in := domain.MessageInput{Path: r.SKU.Path, Archived: r.SKU.Archived, Available: r.Available, LeadDays: r.SKU.LeadDays,
		HandlingDays: snap.settings.handlingDays, Today: asOf.Day}
	if r.NextArrival > 0 {
		in.NextArrival = time.UnixMilli(r.NextArrival).In(s.loc)
	}
	text, ships := domain.BuyerMessage(in)
	return BuyerMessage{Code: r.SKU.Code, Message: text, ShipsBy: ships}, nil
}
