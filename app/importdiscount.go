package app

import (
	"fmt"

	"microshop/domain"
)

// The channels' discounts come off the sales an import records, so the
// takings, the day and the margins count what the buyer paid for the
// items. Shopify gives each line's discount (Lineitem discount). Etsy
// gives the coupon discount of a whole order (Discount Amount, the
// receipt's discount_amt in Etsy's API, which has no discount by
// transaction) on each of the order's rows; the order's lines share it in
// proportion to what they come to. A shipping discount (Etsy's Shipping
// Discount) came off the shipping, which a sale does not hold, and is not
// read.

// lineDiscount reads a Shopify line's discount, the amount taken off the
// whole line: from 0 to the line's total, in whole smallest units of the
// shop's currency.
func lineDiscount(d string, qty int, price domain.Money, currency string, bad []string) (domain.Money, []string) {
	if d == "" {
		return 0, bad
	}
	line := price * domain.Money(qty)
	off, err := domain.ParseMoney(d)
	if err != nil || off < 0 || off > line || off.CheckCurrency(currency) != nil {
		return 0, append(bad, fmt.Sprintf("the line discount %s is not an amount from 0 to the line's %s", domain.QuoteShort(d), line.Format(currency)))
	}
	return off, bad
}

// shopifySubtotal is the Subtotal of the order a Shopify row is of: what
// its items came to after every discount, before shipping and taxes. An
// order's first row holds it (row is that row); set is false when blank.
type shopifySubtotal struct {
	row    int
	amount domain.Money
	set    bool
}

func readShopifySubtotal(cell string, row int, currency string, bad []string) (shopifySubtotal, []string) {
	if cell == "" {
		return shopifySubtotal{row: row}, bad
	}
	amount, err := domain.ParseMoney(cell)
	if err != nil || amount < 0 || amount.CheckCurrency(currency) != nil {
		return shopifySubtotal{}, append(bad, fmt.Sprintf("the order's Subtotal %s is not an amount like %s", domain.QuoteShort(cell), domain.Money(1900).Example(currency)))
	}
	return shopifySubtotal{row: row, amount: amount, set: true}, bad
}

// shareShopifyOrderDiscounts takes off each order's lines the discount
// its Subtotal shows and its lines' own discounts do not: a discount code
// on the whole order comes in Discount Amount, which also holds shipping
// discounts, and not always in the lines' Lineitem discount. What the
// lines come to after their own discounts, less the Subtotal, came off the
// items and nothing else (shipping is not in the Subtotal); the lines
// share it by what each comes to (domain.ShareByValue). A Subtotal at or
// above what the lines come to takes nothing off. subtotals[i] is that of
// lines[i]'s order; an order's lines are together.
func shareShopifyOrderDiscounts(lines []orderLine, subtotals []shopifySubtotal) {
	for start := 0; start < len(lines); {
		end := start + 1
		for end < len(lines) && subtotals[end].row == subtotals[start].row {
			end++
		}
		if sub := subtotals[start]; sub.set {
			shareUnallocated(lines[start:end], sub.amount)
		}
		start = end
	}
}

// shareUnallocated shares among an order's lines what they come to after
// their own discounts beyond subtotal.
func shareUnallocated(order []orderLine, subtotal domain.Money) {
	values, ones := make([]domain.Money, len(order)), make([]int, len(order))
	var sum domain.Money
	for i, l := range order {
		total, err := domain.LineTotal(l.price, l.qty)
		if err != nil {
			return // past what a Money holds: no discount reads right
		}
		values[i], ones[i] = total-l.off, 1
		var ok bool
		if sum, ok = domain.AddMoney(sum, values[i]); !ok {
			return
		}
	}
	if subtotal >= sum {
		return
	}
	for i, off := range domain.ShareByValue(sum-subtotal, values, ones, order[0].currency) {
		order[i].off += off
	}
}

// etsyCoupon is the coupon discount an Etsy row gives its order: the
// amount, and the cell as the file has it, for a refusal to quote.
type etsyCoupon struct {
	off  domain.Money
	cell string
}

// readEtsyCoupon reads a row's Discount Amount: empty is none.
func readEtsyCoupon(cell, currency string, bad []string) (etsyCoupon, []string) {
	if cell == "" {
		return etsyCoupon{}, bad
	}
	off, err := domain.ParseMoney(cell)
	if err != nil || off.CheckCurrency(currency) != nil {
		return etsyCoupon{}, append(bad, fmt.Sprintf("the Discount Amount %s is not an amount like %s, the order's coupon discount",
			domain.QuoteShort(cell), domain.Money(450).Example(currency)))
	}
	return etsyCoupon{off: off, cell: cell}, bad
}

// shareEtsyCoupons shares each order's coupon discount among the order's
// lines (domain.ShareByValue), setting what each takes off, and refuses
// an order whose rows give different discounts, or one beyond what its
// items come to. coupons[i] is what lines[i]'s row gives.
func shareEtsyCoupons(lines []orderLine, coupons []etsyCoupon) []ImportError {
	discounted := map[string]bool{}
	for i, l := range lines {
		if coupons[i].off != 0 {
			discounted[l.order] = true
		}
	}
	orders := map[string][]int{}
	var numbers []string // in the file's order, so refusals come in it too
	for i, l := range lines {
		if !discounted[l.order] {
			continue // no coupon, as nearly every order
		}
		if orders[l.order] == nil {
			numbers = append(numbers, l.order)
		}
		orders[l.order] = append(orders[l.order], i)
	}
	var errs []ImportError
	for _, number := range numbers {
		errs = append(errs, shareEtsyCoupon(lines, coupons, orders[number])...)
	}
	return errs
}

// shareEtsyCoupon shares the coupon discount of one order, the lines at
// at, among them.
func shareEtsyCoupon(lines []orderLine, coupons []etsyCoupon, at []int) []ImportError {
	first := lines[at[0]]
	c := coupons[at[0]]
	var errs []ImportError
	prices, qty := make([]domain.Money, len(at)), make([]int, len(at))
	value, fits := domain.Money(0), true
	for j, i := range at {
		l := lines[i]
		if coupons[i].off != c.off {
			errs = append(errs, ImportError{l.line, fmt.Sprintf("the Discount Amount %s differs from line %d's %s for the same order %s; Etsy gives an order's one coupon discount on each of its rows, so export the file again",
				domain.QuoteShort(coupons[i].cell), first.line, c.off.Format(first.currency), domain.QuoteShort(first.order))})
		}
		prices[j], qty[j] = l.price, l.qty
		total, err := domain.LineTotal(l.price, l.qty)
		sum, ok := domain.AddMoney(value, total)
		value, fits = sum, fits && ok && err == nil
	}
	// A value past what a Money holds is beyond any discount.
	if fits && c.off > value {
		errs = append(errs, ImportError{first.line, fmt.Sprintf("the Discount Amount %s is not an amount from 0 to the order's %s, what its items come to",
			domain.QuoteShort(c.cell), value.Format(first.currency))})
	}
	if len(errs) > 0 {
		return errs
	}
	for j, off := range domain.ShareByValue(c.off, prices, qty, first.currency) {
		lines[at[j]].off = off
	}
	return nil
}

// DiscountsNote says how much the channel's discounts take off the
// sales, in the shop's currency; "" when they take nothing.
func (r ImportResult) DiscountsNote() string {
	if r.Discounts == 0 {
		return ""
	}
	if r.DryRun {
		return fmt.Sprintf("It would take %s of the channel's discounts off the sales.", r.Discounts.Format(r.currency))
	}
	return fmt.Sprintf("Took %s of the channel's discounts off the sales.", r.Discounts.Format(r.currency))
}
