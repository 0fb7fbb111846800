package domain

// Payment is how a basket was paid, or a refund given.
type Payment string

const (
	PaymentCash  Payment = "cash"
	PaymentCard  Payment = "card"
	PaymentOther Payment = "other"
)

// Payments are the accepted payment methods, in the order the end of day
// lists them.
var Payments = []Payment{PaymentCash, PaymentCard, PaymentOther}

// ParsePayment reads a payment method.
func ParsePayment(s string) (Payment, error) {
	for _, p := range Payments {
		if string(p) == s {
			return p, nil
		}
	}
	return "", Errorf(EInvalid, "%q is not a payment method; use %s", s, joinStrings(Payments))
}

// ValidateDiscount checks a discount in whole percent.
func ValidateDiscount(pct int) error {
	if pct < 0 || pct > 100 {
		return Errorf(EInvalid, "%d %% is not a discount; use a whole percentage from 0 to 100", pct)
	}
	return nil
}

// Discounted is a unit price with pct percent taken off, the part taken
// rounded half up to the currency's smallest unit (DESIGN.md section 8):
// 12.99 € at 10 % is 11.69, 1.30 off; 1555 yen at 10 % is 1399, 156 off, a
// price the shop can be paid, not 1399.50.
func Discounted(price Money, pct int, currency string) (after, off Money) {
	unit := smallestUnit(currency)
	off = (price*Money(pct) + 50*unit) / (100 * unit) * unit
	return price - off, off
}
