package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"microshop/domain"
)

// etsyOrderLines reads Etsy's sold order items: one row per item, keyed by
// its Transaction ID; the Sale Date has no time of day, so noon local.
func (s *Shop) etsyOrderLines(t *csvTable, currency string) ([]orderLine, []ImportError) {
	var (
		key, order, sku, date = t.column("Transaction ID"), t.column("Order ID"), t.column("SKU"), t.column("Sale Date")
		shippedOn, qty, price = t.column("Date Shipped"), t.column("Quantity"), t.column("Price")
		status, orderStatus   = t.column("Status"), t.column("Order Status")
		itemName, currencyCol = t.column("Item Name"), t.column("Currency")
		// The order's coupon discount, on each of its rows. Not its
		// Shipping Discount: that came off the shipping, not the items.
		discount = t.column("Discount Amount")
	)
	lines := make([]orderLine, 0, len(t.rows))
	coupons := make([]etsyCoupon, 0, len(t.rows))
	var errs []ImportError
	days := channelDays{loc: s.loc, now: s.Now()}
	for i := range t.rows {
		l := orderLine{line: t.lines[i], key: t.cell(i, key), order: t.cell(i, order), code: t.cell(i, sku), name: t.cell(i, itemName), currency: currency}
		var bad []string
		if l.key == "" {
			bad = append(bad, "the Transaction ID is empty")
		}
		var ok bool
		if l.at, ok = days.noon(t.cell(i, date)); !ok {
			bad = append(bad, fmt.Sprintf("the Sale Date %s is not a date like 03/14/26", domain.QuoteShort(t.cell(i, date))))
		}
		if shipped := t.cell(i, shippedOn); shipped != "" {
			if l.shipped, ok = days.noon(shipped); !ok {
				bad = append(bad, fmt.Sprintf("the Date Shipped %s is not a date like 03/16/26", domain.QuoteShort(shipped)))
			} else if dayBefore(l.shipped, l.at, s.loc) {
				bad = append(bad, fmt.Sprintf("order %s shipped on %s, before its Sale Date %s; an order ships on or after the day it was sold",
					domain.QuoteShort(l.order), domain.QuoteShort(shipped), domain.QuoteShort(t.cell(i, date))))
			}
		}
		l.qty, l.price, bad = qtyAndPrice(t.cell(i, qty), t.cell(i, price), currency, bad)
		bad = inCurrency(t.cell(i, currencyCol), currency, bad)
		c, bad := readEtsyCoupon(t.cell(i, discount), currency, bad)
		l.skipped = cancelledOrRefunded(t.cell(i, status)) || cancelledOrRefunded(t.cell(i, orderStatus))
		if len(bad) > 0 {
			errs = append(errs, ImportError{l.line, strings.Join(bad, "; ")})
			continue
		}
		lines, coupons = append(lines, l), append(coupons, c)
	}
	return lines, append(errs, shareEtsyCoupons(lines, coupons)...)
}

// channelDays reads Etsy's dates, which have no time of day, as noon
// local time, or as now for today before noon: a sale dated later than
// the clock counts in no stock or report until then, and the stall could
// sell its units again that morning. An export holds a few dozen days
// over many thousand rows, so each is worked out once.
type channelDays struct {
	loc  *time.Location
	now  time.Time
	seen map[string]time.Time
}

func (d *channelDays) noon(s string) (time.Time, bool) {
	if at, ok := d.seen[s]; ok {
		return at, true
	}
	// Etsy writes 03/04/26, month first; a spreadsheet that saved the file
	// again writes 3/4/2026, in the order it read the date in.
	day, err := time.ParseInLocation("1/2/06", s, d.loc)
	if err != nil {
		if day, err = time.ParseInLocation("1/2/2006", s, d.loc); err != nil {
			return time.Time{}, false
		}
	}
	if d.seen == nil {
		d.seen = map[string]time.Time{}
	}
	d.seen[s] = day.Add(12 * time.Hour)
	if d.seen[s].After(d.now) && !day.After(d.now) {
		d.seen[s] = d.now
	}
	return d.seen[s], true
}

// dayBefore tells a ship date on a day before the order's, in the shop's
// time zone, as marking an order shipped by hand refuses it.
func dayBefore(shipped, placed time.Time, loc *time.Location) bool {
	return domain.StartOfDay(shipped.In(loc)).Before(domain.StartOfDay(placed.In(loc)))
}

// cancelledOrRefunded tells an Etsy status that takes a line out of the
// sales.
func cancelledOrRefunded(status string) bool {
	status = strings.ToLower(status)
	return strings.Contains(status, "cancel") || strings.Contains(status, "refund")
}

// shopifyOrderLines reads Shopify's orders export: one row per line item,
// an order's rows together, its fields often only on its first row; a
// line's key is the order's Name and its position in the order, from 1.
// An order met again after another's rows (two exports joined) starts
// again from 1, so its lines have the keys they had and count once.
func (s *Shop) shopifyOrderLines(t *csvTable, currency string) ([]orderLine, []ImportError) {
	var (
		nameCol, sku, created, fulfillment = t.column("Name"), t.column("Lineitem sku"), t.column("Created at"), t.column("Fulfillment Status")
		fulfilledAt, qty, price            = t.column("Fulfilled at"), t.column("Lineitem quantity"), t.column("Lineitem price")
		discount, itemName                 = t.column("Lineitem discount"), t.column("Lineitem name")
		financialCol, cancelledAt          = t.column("Financial Status"), t.column("Cancelled at")
		currencyCol, subtotalCol           = t.column("Currency"), t.column("Subtotal")
	)
	lines := make([]orderLine, 0, len(t.rows))
	var errs []ImportError
	subtotals := make([]shopifySubtotal, 0, len(t.rows)) // of each line's order
	f, pos := 0, 0                                       // the order's first row, and this row's place in it
	for i := range t.rows {
		name := t.cell(i, nameCol)
		if i == 0 || name != t.cell(i-1, nameCol) {
			f, pos = i, 0
		}
		pos++
		l := orderLine{line: t.lines[i], key: name + "/" + strconv.Itoa(pos), pos: pos, order: name, code: t.cell(i, sku), name: t.cell(i, itemName), currency: currency}
		var bad []string
		if name == "" {
			bad = append(bad, "the order Name is empty")
		}
		createdAt := orFirst(t, i, f, created)
		at, err := time.Parse("2006-01-02 15:04:05 -0700", createdAt)
		if err != nil {
			bad = append(bad, fmt.Sprintf("Created at %s is not a time like 2026-03-14 10:23:45 -0500", domain.QuoteShort(createdAt)))
		}
		l.at = at
		if strings.EqualFold(orFirst(t, i, f, fulfillment), "fulfilled") {
			l.shipped, bad = s.shopifyFulfilled(l, orFirst(t, i, f, fulfilledAt), createdAt, bad)
		}
		l.qty, l.price, bad = qtyAndPrice(t.cell(i, qty), t.cell(i, price), currency, bad)
		bad = inCurrency(orFirst(t, i, f, currencyCol), currency, bad)
		if len(bad) == 0 {
			l.off, bad = lineDiscount(t.cell(i, discount), l.qty, l.price, currency, bad)
		}
		sub, bad := readShopifySubtotal(t.cell(f, subtotalCol), f, currency, bad)
		financial := strings.ToLower(orFirst(t, i, f, financialCol))
		cancelled := orFirst(t, i, f, cancelledAt)
		l.skipped = cancelled != "" || financial == "voided" || financial == "refunded"
		// When it was cancelled, if the file says so in a form it reads;
		// else the order is cancelled as of the import.
		l.cancelled, _ = time.Parse("2006-01-02 15:04:05 -0700", cancelled)
		l.partRefunded = financial == "partially_refunded"
		if len(bad) > 0 {
			errs = append(errs, ImportError{l.line, strings.Join(bad, "; ")})
			continue
		}
		lines, subtotals = append(lines, l), append(subtotals, sub)
	}
	if len(errs) == 0 {
		shareShopifyOrderDiscounts(lines, subtotals)
	}
	return lines, errs
}

// shopifyFulfilled is when line l's order, fulfilled, was: at its
// Fulfilled at, or when it was created for a file that leaves that blank.
// A time that cannot be read, or on a day before the order's, is added to
// bad, as marking an order shipped by hand refuses it.
func (s *Shop) shopifyFulfilled(l orderLine, fulfilledAt, createdAt string, bad []string) (time.Time, []string) {
	if fulfilledAt == "" {
		return l.at, bad
	}
	shipped, err := time.Parse("2006-01-02 15:04:05 -0700", fulfilledAt)
	switch {
	case err != nil:
		bad = append(bad, fmt.Sprintf("Fulfilled at %s is not a time like 2026-03-16 09:00:00 -0500", domain.QuoteShort(fulfilledAt)))
	case !l.at.IsZero() && dayBefore(shipped, l.at, s.loc):
		bad = append(bad, fmt.Sprintf("order %s was fulfilled at %s, before it was created at %s; an order is fulfilled on or after the day it was created",
			domain.QuoteShort(l.order), domain.QuoteShort(fulfilledAt), domain.QuoteShort(createdAt)))
	}
	return shipped, bad
}

// orFirst is column j of row i, or of its order's first row when blank.
func orFirst(t *csvTable, i, first, j int) string {
	if v := t.cell(i, j); v != "" {
		return v
	}
	return t.cell(first, j)
}

// inCurrency refuses a line whose prices are in another currency than
// the shop's: they would count as that many of the shop's. A file that
// names no currency is taken to be in the shop's.
func inCurrency(lineCurrency, shopCurrency string, bad []string) []string {
	if lineCurrency == "" || strings.EqualFold(lineCurrency, shopCurrency) {
		return bad
	}
	return append(bad, fmt.Sprintf("its prices are in %s and the shop counts in %s; only lines in %s can be imported",
		domain.QuoteShort(strings.ToUpper(lineCurrency)), shopCurrency, shopCurrency))
}

// qtyAndPrice reads a line's quantity and unit price, a price the shop's
// currency can have: whole yen in yen, as its discounts are.
func qtyAndPrice(q, p, currency string, bad []string) (int, domain.Money, []string) {
	qty, err := strconv.Atoi(q)
	if err != nil || domain.ValidateQty(qty) != nil {
		bad = append(bad, fmt.Sprintf("the quantity %s is not a whole number of units from 1 to %d", domain.QuoteShort(q), domain.MaxQty))
	}
	price, err := domain.ParseMoney(p)
	switch {
	case err != nil || domain.ValidateMoney("price", price) != nil:
		bad = append(bad, fmt.Sprintf("the price %s is not an amount like %s", domain.QuoteShort(p), domain.Money(2400).Example(currency)))
	case price.CheckCurrency(currency) != nil:
		bad = append(bad, "the price "+domain.ErrorMessage(price.CheckCurrency(currency)))
	}
	return qty, price, bad
}
