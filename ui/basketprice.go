package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"

	"microshop/domain"
)

// priceForm asks for the unit price of the basket's line id, as
// `microshopctl sell CODE --price X` takes it: a slightly imperfect mug
// sold below its price at the stall. It opens with the line's price, and
// the basket's Discount % comes off the price set, as it does off the
// SKU's.
func (b *basketPanel) priceForm(id int) *formDialog {
	i := b.lineIndex(id)
	if i < 0 || b.recording {
		return nil
	}
	l := b.lines[i]
	u := b.s.u
	cur := u.info.Currency
	price := newFieldEntry()
	price.SetText(l.unit().Format(cur))
	price.SetPlaceHolder(l.sku.SKU.Price.Format(cur))
	item := widget.NewFormItem("Unit price", price)
	item.HintText = fmt.Sprintf("Before the basket's Discount %%; empty for the SKU's %s %s", l.sku.SKU.Price.Format(cur), cur)
	f := u.newFormDialog(fmt.Sprintf("Price of %s in this basket", l.sku.SKU.Code), "Set price", []*widget.FormItem{item}, func() error {
		p, err := linePrice(price.Text, l.sku.SKU.Price, cur)
		if err == nil {
			err = b.setPrice(id, p)
		}
		if domain.ErrorCode(err) == domain.EInvalid {
			return fieldErrors{price: err}
		}
		return err
	})
	f.back = b.s.shown
	f.show()
	return f
}

// linePrice reads a line's unit price as typed in a shop with the
// currency, by the rules of the command line's --price: 9,50 too where
// the currency is written so, no fraction of a yen. Empty, or the SKU's
// own price listed, gives nil: the line is at the SKU's price.
func linePrice(text string, listed domain.Money, currency string) (*domain.Money, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	p, err := domain.ParseMoneyIn(text, currency)
	if err != nil {
		return nil, err
	}
	if p == listed {
		return nil, nil
	}
	return &p, nil
}

// setPrice gives line id the unit price p (nil for the SKU's). A line
// left at the price of another line of the same SKU becomes one with it.
func (b *basketPanel) setPrice(id int, p *domain.Money) error {
	i := b.lineIndex(id)
	switch {
	case i < 0:
		return domain.Errorf(domain.EConflict, "that line is no longer in the basket; nothing was changed")
	case b.recording:
		return domain.Errorf(domain.EConflict, "the basket is being recorded; its prices can no longer change")
	}
	l := &b.lines[i]
	if p != nil {
		if _, err := domain.LineTotal(*p, l.qty); err != nil {
			return err
		}
	}
	l.price = p
	code, unit := l.sku.SKU.Code, l.unit()
	for j := range b.lines {
		if j != i && b.lines[j].sku.SKU.ID == l.sku.SKU.ID && samePrice(b.lines[j].price, p) {
			first, second := min(i, j), max(i, j)
			b.lines[first].qty += b.lines[second].qty
			b.lines = append(b.lines[:second], b.lines[second+1:]...)
			break
		}
	}
	b.refresh()
	cur := b.s.u.info.Currency
	b.s.say(fmt.Sprintf("%s at %s each in the basket · %s", code, unit.Format(cur), b.total.Text), widget.MediumImportance)
	b.s.u.afterForm(b.s.shown) // the next scan goes in the basket, once the form is gone
	return nil
}

// samePrice reports whether two lines' own prices are the same, nil (the
// SKU's) only as nil.
func samePrice(a, c *domain.Money) bool {
	if a == nil || c == nil {
		return a == c
	}
	return *a == *c
}

// lineIndex is where line id is in the basket, -1 when it is not.
func (b *basketPanel) lineIndex(id int) int {
	for i, l := range b.lines {
		if l.id == id {
			return i
		}
	}
	return -1
}
