package domain

import (
	"fmt"
	"time"
)

// DefaultHandlingDays is how long an in-stock order takes to ship.
const DefaultHandlingDays = 1

// MessageInput is what the buyer message is made from.
type MessageInput struct {
	Path         SupplyPath
	Archived     bool // no longer sold
	Available    int
	LeadDays     int
	HandlingDays int
	Today        time.Time // start of the report's day
	NextArrival  time.Time // expected arrival of the open batch that brings it back in stock; zero if none does
}

// BuyerMessage is the lead-time line a buyer should see, and the date by
// which an order placed today ships: zero when it does not ship at all.
func BuyerMessage(in MessageInput) (string, time.Time) {
	switch {
	case in.Archived:
		return "No longer sold: this product has been discontinued.", time.Time{}
	case in.Path == PathDigital:
		return "Digital product: available to download right after purchase.", in.Today
	case in.Available > 0:
		ships := AddDays(in.Today, in.HandlingDays)
		return fmt.Sprintf("In stock: ships in %s.", days(in.HandlingDays)), ships
	case !in.NextArrival.IsZero():
		back := StartOfDay(in.NextArrival.In(in.Today.Location()))
		if tomorrow := AddDays(in.Today, 1); back.Before(tomorrow) {
			back = tomorrow // overdue: the best honest promise is tomorrow
		}
		ships := AddDays(back, in.HandlingDays)
		return fmt.Sprintf("Back in stock by %s: order now and it ships by %s.", back.Format("2 January 2006"), ships.Format("2 January 2006")), ships
	case in.Path == PathHandmade:
		ships := AddDays(in.Today, in.LeadDays+in.HandlingDays)
		return fmt.Sprintf("Made to order: ships by %s.", ships.Format("2 January 2006")), ships
	}
	back := AddDays(in.Today, in.LeadDays)
	ships := AddDays(back, in.HandlingDays)
	return fmt.Sprintf("Out of stock: back in stock by %s, order now and it ships by %s.", back.Format("2 January 2006"), ships.Format("2 January 2006")), ships
}

// FromLeadTime reports whether the message's date comes from the lead
// time alone: nothing on the shelf and no batch on its way.
func (in MessageInput) FromLeadTime() bool {
	return !in.Archived && in.Path != PathDigital && in.Available <= 0 && in.NextArrival.IsZero()
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
