package app

import (
	"context"
	"time"

	"microshop/domain"
)

// The fair-day till (DESIGN.md section 8): a basket is one order, paid one
// way, recorded in one transaction; any sale line can be voided later; the
// end of day adds up what the cash box should hold.

// BasketItem is one line of a basket.
type BasketItem struct {
	Code  string
	Qty   int           // 1 when zero
	Price *domain.Money // unit price before the discount; nil for the SKU's price
}

// Basket is what a customer buys at once.
type Basket struct {
	Items    []BasketItem
	Payment  domain.Payment // when empty: cash at a fair, other on another channel
	Discount int            // percent off every line, 0 to 100
	Channel  domain.Channel // fair when empty
	At       time.Time      // zero for now
	Force    bool           // record it even beyond available stock
	Location string         // where it is sold, by name; empty for this device's default
}

// SoldBasket is a recorded basket: one order.
type SoldBasket struct {
	ID        string
	Items     []SaleResult
	Total     domain.Money // what the customer pays
	Discounts domain.Money // what the discount took off
	Payment   domain.Payment
	Location  Location // where it was sold
}

// MaxBasketItems bounds a basket: more lines than any stall customer
// buys is a scanner gone wrong.
const MaxBasketItems = 500

// SellBasket records a basket as one order: every line or, when any line
// is refused (an unknown code, stock short without Force), none.
func (s *Shop) SellBasket(ctx context.Context, b Basket) (SoldBasket, error) {
	if len(b.Items) == 0 {
		return SoldBasket{}, domain.Errorf(domain.EInvalid, "the basket is empty; add at least one item to sell")
	}
	if len(b.Items) > MaxBasketItems {
		return SoldBasket{}, domain.Errorf(domain.EInvalid, "a basket of %d lines is more than %d; sell it as several baskets", len(b.Items), MaxBasketItems)
	}
	if err := domain.ValidateDiscount(b.Discount); err != nil {
		return SoldBasket{}, err
	}
	if b.Channel == "" {
		b.Channel = "fair"
	}
	if _, err := domain.ParseChannel(string(b.Channel)); err != nil {
		return SoldBasket{}, err
	}
	b.Payment = paymentOr(b.Payment, b.Channel)
	if _, err := domain.ParsePayment(string(b.Payment)); err != nil {
		return SoldBasket{}, err
	}
	// A sale under way is recorded whole: a window closing or a Ctrl+C
	// while it is written does not lose it; one not begun is not begun.
	// Its statements then also run without a goroutine each to watch the
	// context, a tenth of a sale's time.
	if err := ctx.Err(); err != nil {
		return SoldBasket{}, err
	}
	ctx = context.WithoutCancel(ctx)
	var o SoldBasket
	err := s.write(ctx, func(t *txn) error {
		o = SoldBasket{ID: newID(), Payment: b.Payment}
		at := orNow(b.At, t.now)
		if err := t.checkAt(at); err != nil {
			return err
		}
		var err error
		if o.Location, err = t.placeOf(ctx, b.Location); err != nil {
			return err
		}
		for _, item := range b.Items {
			if err := t.sellLine(ctx, &o, item, b, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return SoldBasket{}, err
	}
	return o, nil
}

// paymentOr is p, or when it is empty the way a sale on channel is paid
// unless told: cash at a fair, other elsewhere (paid on the channel, as
// an imported order is), so the close of day's cash line stays what the
// cash box holds.
func paymentOr(p domain.Payment, channel domain.Channel) domain.Payment {
	if p == "" && channel != "fair" {
		return domain.PaymentOther
	}
	return orCash(p)
}

func orCash(p domain.Payment) domain.Payment {
	if p == "" {
		return domain.PaymentCash
	}
	return p
}
