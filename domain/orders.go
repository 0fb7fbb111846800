package domain

import (
	"fmt"
	"time"
)

// DelayMessage is what to send the buyer of an order that cannot ship now
// (DESIGN.md section 7): which product holds it and the date it ships, in
// the words of the lead-time message; ships is zero when the product is no
// longer made.
func DelayMessage(number, product string, ships time.Time) string {
	if ships.IsZero() {
		return fmt.Sprintf("Thank you for your order %s. We are sorry: %s is no longer made, so we cannot send it; we will refund it, or offer you another.", number, product)
	}
	return fmt.Sprintf("Thank you for your order %s. %s sold out faster than we could make more: your order ships by %s, and we will let you know as soon as it is on its way.",
		number, product, ships.Format("2 January 2006"))
}
