package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// basketPanel is the till's basket on the Sell screen, shown while Basket
// is ticked: taps and scans add items, it shows the total and the change
// for the cash given, and Done records the whole basket as one order.
type basketPanel struct {
	s     *sellScreen
	lines []basketLine

	list     *widget.List
	total    *widget.Label
	discount *widget.Entry
	given    *fieldEntry
	change   *widget.Label
	payment  *widget.RadioGroup
	done     *widget.Button
	takeOut  *widget.Button
	obj      fyne.CanvasObject

	// added is what the line beside the basket says of the last add, with
	// the basket's total: said, its text then; what, the part before the
	// total; units, the basket's units then. A discount typed after it
	// left the line showing the total before the discount.
	added struct {
		said, what string
		units      int
	}
	// recording: Done was pressed and the basket is being written. Done
	// again (nothing seemed to happen while the shop was busy) recorded
	// the whole basket a second time.
	recording bool
	nextID    int // the id of the last line put in the basket
	// heights are the rows' heights as set on the list, by row: a line
	// with its own price takes two lines of text, the others one.
	heights     []float32
	short, tall float32 // a row's height without and with its own price
}

type basketLine struct {
	id  int // the line's own, for life: what was sold of it is told from what went in since
	sku app.StockRow
	qty int
	// price is the line's own unit price, before the basket's discount
	// (a slightly imperfect mug sold below its price); nil for the SKU's.
	price *domain.Money
}

// unit is what one unit of the line costs before the basket's discount.
func (l basketLine) unit() domain.Money {
	if l.price != nil {
		return *l.price
	}
	return l.sku.SKU.Price
}

func newBasketPanel(s *sellScreen) *basketPanel {
	b := &basketPanel{s: s}
	b.list = widget.NewList(func() int { return len(b.lines) }, newBasketRow, b.showLine)
	tall := newBasketRow().(*fyne.Container)
	tall.Objects[0].(*fyne.Container).Objects[1].Show()
	b.tall = tall.MinSize().Height
	b.short = newBasketRow().MinSize().Height
	b.total = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.discount = widget.NewEntry()
	b.discount.SetPlaceHolder("0")
	b.discount.OnChanged = func(string) { b.refresh() }
	b.given = newFieldEntry()
	b.given.SetPlaceHolder("cash given")
	b.given.OnChanged = func(string) { b.refresh() }
	b.change = widget.NewLabel("")
	b.payment = widget.NewRadioGroup([]string{"cash", "card", "other"}, nil)
	b.payment.Horizontal = true
	b.payment.Required = true
	b.payment.SetSelected("cash")
	b.payment.OnChanged = func(string) { b.refresh() }
	b.done = widget.NewButtonWithIcon("Done", theme.ConfirmIcon(), b.record)
	b.given.OnSubmitted = func(string) { b.record() } // the cash given is the last thing typed
	b.done.Importance = widget.HighImportance
	clearBtn := widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), func() {
		b.clear()
		b.s.say("Emptied the basket.", widget.MediumImportance)
	})
	// Ctrl+Z's button, with the undo arrow: the arrow on Undo's button
	// beside the basket voided the last paid sale, and looked the same.
	b.takeOut = widget.NewButtonWithIcon("Last line out", theme.ContentUndoIcon(), func() {
		b.takeLastOut()
		b.s.u.win.Canvas().Focus(b.s.search) // the next scan goes in the basket
	})
	// The controls take three rows and the total's, so the list of lines
	// shows four or more in an 800×600 window even below a long message:
	// the total heads the list beside Clear, the discount shares a row with
	// the cash given, the change with Done. A row each, they left room for
	// one line and a half.
	heading := container.NewBorder(nil, nil, nil, container.NewHBox(b.takeOut, clearBtn), b.total)
	form := container.NewVBox(
		b.payment,
		container.NewGridWithColumns(2,
			container.NewBorder(nil, nil, widget.NewLabel("Discount %"), nil, b.discount),
			container.NewBorder(nil, nil, widget.NewLabel("Given"), nil, b.given)),
		container.NewBorder(nil, nil, nil, b.done, b.change))
	panel := readingBorder(heading, form, nil, nil, b.list)
	width := canvas.NewRectangle(color.Transparent)
	// Wide enough for the discount and the cash given side by side; at
	// 800×600 the tiles beside it still show a column. And for the
	// heading of a large basket, whatever this one holds: the basket's
	// width followed its total's text, and a third item's longer total
	// took a column of tiles away between two taps, the next tap landing
	// on the tile that had moved there.
	large := widget.NewLabelWithStyle(basketTotalText(99, 99999, b.s.u.info.Currency), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	pad := theme.Padding()
	headingWidth := large.MinSize().Width + pad + b.takeOut.MinSize().Width + pad + clearBtn.MinSize().Width
	width.SetMinSize(fyne.NewSize(max(300, headingWidth+2*pad), 0))
	b.obj = container.NewStack(width, container.NewPadded(panel))
	b.obj.Hide()
	b.refresh()
	return b
}

// newBasketRow is a line of the basket: what it comes to, its own price
// when it has one, and its buttons, Price… and −.
func newBasketRow() fyne.CanvasObject {
	text := widget.NewLabel("")
	text.Truncation = fyne.TextTruncateEllipsis
	note := widget.NewLabel("")
	note.Truncation = fyne.TextTruncateEllipsis
	note.Importance = widget.WarningImportance
	note.Hide()
	price := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), nil)
	minus := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), nil)
	// Centred beside the line's text: stretched to a line with its own
	// price, they stood two lines tall.
	return container.NewBorder(nil, nil, nil, container.NewCenter(container.NewHBox(price, minus)), container.NewVBox(text, note))
}

// showLine fills row o with line id.
func (b *basketPanel) showLine(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(b.lines) {
		return
	}
	l := b.lines[id]
	cur := b.s.u.info.Currency
	row := o.(*fyne.Container)
	texts, buttons := row.Objects[0].(*fyne.Container), row.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container)
	texts.Objects[0].(*widget.Label).SetText(basketLineText(l, b.pctOrNone(), cur))
	note := texts.Objects[1].(*widget.Label)
	if t := ownPriceText(l, cur); t != "" {
		note.SetText(t)
		note.Show()
	} else {
		note.Hide()
	}
	price := buttons.Objects[0].(*widget.Button)
	lineID := l.id
	price.OnTapped = func() { b.priceForm(lineID) }
	// A price changed while the basket is written would leave the line
	// looking unsold, to be sold again with the next basket.
	if b.recording {
		price.Disable()
	} else {
		price.Enable()
	}
	buttons.Objects[1].(*widget.Button).OnTapped = func() { b.remove(id) }
}

// ownPriceText says a line's own price beside the SKU's, "" for a line at
// the SKU's price.
func ownPriceText(l basketLine, cur string) string {
	if l.price == nil {
		return ""
	}
	return fmt.Sprintf("%s each instead of %s", l.price.Format(cur), l.sku.SKU.Price.Format(cur))
}

// add puts qty of the SKU ref (its id or code) in the basket.
func (b *basketPanel) add(ref string, qty int) {
	var sku app.StockRow
	found := false
	for _, r := range b.s.rows {
		if r.SKU.ID == ref || strings.EqualFold(r.SKU.Code, ref) {
			sku, found = r, true
			break
		}
	}
	if !found {
		b.s.fail(domain.Errorf(domain.ENotFound, "there is no SKU %q on sale", ref).With(domain.RemedyListSKUs))
		return
	}
	// Into its line at the SKU's price: a mug sold below its price leaves
	// the next mug at its own.
	for i := range b.lines {
		if b.lines[i].sku.SKU.ID == sku.SKU.ID && b.lines[i].price == nil {
			b.lines[i].qty += qty
			b.afterAdd(sku, qty)
			return
		}
	}
	b.nextID++
	b.lines = append(b.lines, basketLine{id: b.nextID, sku: sku, qty: qty})
	b.afterAdd(sku, qty)
}

// afterAdd says what went in the basket. More than are available is said
// at once, in the warning's colour, while the buyer is still at the stall:
// the question whether to sell beyond stock comes only at Done.
func (b *basketPanel) afterAdd(sku app.StockRow, qty int) {
	b.refresh()
	what := fmt.Sprintf("Added %d × %s to the basket", qty, sku.SKU.Code)
	msg := what + " · " + b.total.Text
	importance := widget.MediumImportance
	if in := b.qtyOf(sku.SKU.ID); sku.Status != domain.StatusDigital && in > sku.Available {
		// Short, for the narrow line beside the basket: its total is in
		// the basket itself.
		msg = fmt.Sprintf("Added %d × %s: %d in the basket, %s", qty, sku.SKU.Code, in, availableText(sku.Available))
		importance = widget.WarningImportance
	}
	b.s.say(msg, importance)
	b.added.said, b.added.what, b.added.units = "", "", 0
	if importance == widget.MediumImportance {
		b.added.said, b.added.what, b.added.units = msg, what, b.units()
	}
	// As after a sale: the next scan is one unit, and the box is empty, so
	// Ctrl+Z reaches the basket rather than undoing the code's typing.
	b.s.qty.SetText("1")
	b.s.search.SetText("")
	b.s.u.win.Canvas().Focus(b.s.search)
}

// qtyOf is the units of a SKU in the basket, at any price.
func (b *basketPanel) qtyOf(id string) int {
	n := 0
	for _, l := range b.lines {
		if l.sku.SKU.ID == id {
			n += l.qty
		}
	}
	return n
}

// availableText says how many are available, for a basket holding more.
func availableText(n int) string {
	switch {
	case n < 0:
		return fmt.Sprintf("oversold by %d already", -n)
	case n == 0:
		return "none available"
	}
	return fmt.Sprintf("only %d available", n)
}

// basketLineText is a line as the basket lists it, with what it comes to
// after pct percent off, as the sale books it, so the buyer can check it
// line by line and the lines add up to the total. It showed the list
// price while the total had the discount.
func basketLineText(l basketLine, pct int, currency string) string {
	total, err := l.amount(pct, currency)
	if err != nil {
		return fmt.Sprintf("%d × %s", l.qty, l.sku.SKU.Code)
	}
	return fmt.Sprintf("%d × %s · %s", l.qty, l.sku.SKU.Code, total.Format(currency))
}

// amount is what the line comes to after pct percent off, as SellBasket
// books it: each unit's price discounted to the currency's smallest unit
// (domain.Discounted), times the quantity.
func (l basketLine) amount(pct int, currency string) (domain.Money, error) {
	price, _ := domain.Discounted(l.unit(), pct, currency)
	return domain.LineTotal(price, l.qty)
}

// remove takes one unit of line i out of the basket, as the quantity's
// − does, and the line with its last, and says so.
func (b *basketPanel) remove(i int) {
	if i >= len(b.lines) {
		return
	}
	code := b.lines[i].sku.SKU.Code
	if b.lines[i].qty > 1 {
		b.lines[i].qty--
	} else {
		b.lines = append(b.lines[:i], b.lines[i+1:]...)
	}
	b.refresh()
	b.s.say(fmt.Sprintf("Took 1 × %s out of the basket.", code), widget.MediumImportance)
}

// takeLastOut takes the basket's last line out whole, as Ctrl+Z does
// with Basket ticked, and says what it took. It took one unit of it and
// said the whole line had gone.
func (b *basketPanel) takeLastOut() {
	if len(b.lines) == 0 {
		return
	}
	last := b.lines[len(b.lines)-1]
	b.lines = b.lines[:len(b.lines)-1]
	b.refresh()
	b.s.say(fmt.Sprintf("Took %d × %s out of the basket.", last.qty, last.sku.SKU.Code), widget.MediumImportance)
}

// notIn is the basket's lines less sent, the lines as they were recorded:
// what was put in it after they were taken from it.
func (b *basketPanel) notIn(sent []basketLine) []basketLine {
	var left []basketLine
	for _, l := range b.lines {
		for _, was := range sent {
			if was.id == l.id {
				l.qty -= was.qty
			}
		}
		if l.qty > 0 {
			left = append(left, l)
		}
	}
	return left
}

func (b *basketPanel) clear() {
	b.lines = nil
	b.given.SetText("")
	b.discount.SetText("")
	b.payment.SetSelected("cash") // each buyer pays their own way: a card kept for the next counted cash as card
	b.refresh()
}

// pct is the discount typed, 0 when none or unreadable (the basket then
// refuses to record and says why).
func (b *basketPanel) pct() (int, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(b.discount.Text), "%"))
	if t == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil {
		return 0, domain.Errorf(domain.EInvalid, "%q is not a discount; type a whole percentage from 0 to 100", b.discount.Text)
	}
	return n, domain.ValidateDiscount(n)
}

// pctOrNone is the discount typed, 0 while it is no whole percentage:
// the basket shows list prices until it is.
func (b *basketPanel) pctOrNone() int {
	pct, err := b.pct()
	if err != nil {
		return 0
	}
	return pct
}

// sum is what the basket costs with the discount typed: its lines'
// amounts, as listed.
func (b *basketPanel) sum() domain.Money {
	pct, cur := b.pctOrNone(), b.s.u.info.Currency
	var total domain.Money
	for _, l := range b.lines {
		amount, _ := l.amount(pct, cur)
		total += amount
	}
	return total
}

// basketTotalText heads the basket: its units and what they come to.
func basketTotalText(units int, total domain.Money, cur string) string {
	return fmt.Sprintf("%s · total %s %s", plural(units, "item", "items"), total.Format(cur), cur)
}

// units is the units in the basket.
func (b *basketPanel) units() int {
	units := 0
	for _, l := range b.lines {
		units += l.qty
	}
	return units
}

func (b *basketPanel) refresh() {
	cur := b.s.u.info.Currency
	units := b.units()
	total := b.sum()
	b.total.SetText(basketTotalText(units, total, cur))
	b.restateAdded(units)
	b.change.SetText("")
	if b.payment.Selected == "cash" && strings.TrimSpace(b.given.Text) != "" {
		if given, err := b.givenAmount(); err == nil && given >= total {
			b.change.SetText(fmt.Sprintf("Change to give: %s %s", (given - total).Format(cur), cur))
		} else if err == nil {
			b.change.SetText(fmt.Sprintf("%s %s short", (total - given).Format(cur), cur))
		}
	}
	// A discount that is no whole percentage is said as it is typed: the
	// total left it out without a word until Done refused it. Short, for
	// the room beside Done; Done says it whole.
	b.change.Importance = widget.MediumImportance
	if _, err := b.pct(); err != nil {
		b.change.SetText("Discount: a whole % from 0 to 100")
		b.change.Importance = widget.DangerImportance
	}
	b.change.Refresh()
	if len(b.lines) == 0 || b.recording {
		b.done.Disable()
		b.takeOut.Disable()
	} else {
		b.done.Enable()
		b.takeOut.Enable()
	}
	if f := b.s.feedback; f.Importance == widget.DangerImportance {
		// Why Done was refused no longer holds once the basket changes.
		f.SetText("")
		f.Importance = widget.MediumImportance
		f.Refresh()
	}
	b.fitRows()
	b.list.Refresh()
}

// fitRows makes the rows of lines with a price of their own tall enough
// for it, and the others as the list makes them.
func (b *basketPanel) fitRows() {
	for i, l := range b.lines {
		h := b.short
		if l.price != nil {
			h = b.tall
		}
		if i >= len(b.heights) {
			b.heights = append(b.heights, b.short) // the list's own height for a row
		}
		if b.heights[i] != h {
			b.heights[i] = h
			b.list.SetItemHeight(i, h)
		}
	}
}

// restateAdded keeps the line beside the basket from showing a stale
// total: while it still says the last add, a new discount restates it
// with the total now; once units went out of the basket, it says what a
// tap does instead.
func (b *basketPanel) restateAdded(units int) {
	f := b.s.feedback
	if b.added.said == "" || f == nil || f.Text != b.added.said {
		return
	}
	if units != b.added.units {
		b.added.said = ""
		b.s.say(b.s.hint(), widget.MediumImportance)
		return
	}
	b.added.said = b.added.what + " · " + b.total.Text
	b.s.say(b.added.said, widget.MediumImportance)
}

// record sells the basket as one order; short stock asks first, as a
// single sale does.
func (b *basketPanel) record() {
	if b.recording {
		return
	}
	pct, err := b.pct()
	if err != nil {
		b.s.fail(err)
		return
	}
	if err := b.checkGiven(); err != nil {
		b.s.fail(err)
		return
	}
	basket := app.Basket{Discount: pct, Payment: domain.Payment(b.payment.Selected)}
	for _, l := range b.lines {
		basket.Items = append(basket.Items, app.BasketItem{Code: l.sku.SKU.ID, Qty: l.qty, Price: l.price})
	}
	b.write(basket, slices.Clone(b.lines))
}

// givenAmount is the cash given, as typed, in an amount the currency has:
// half a yen is no cash.
func (b *basketPanel) givenAmount() (domain.Money, error) {
	cur := b.s.u.info.Currency
	given, err := domain.ParseMoneyIn(b.given.Text, cur)
	if err == nil {
		err = given.CheckCurrency(cur)
	}
	return given, err
}

// checkGiven refuses cash given that is short of the total, or is no
// amount: the sale would be recorded as paid with money still to take, or
// a slip in the amount typed would go unseen.
func (b *basketPanel) checkGiven() error {
	text := strings.TrimSpace(b.given.Text)
	if b.payment.Selected != "cash" || text == "" {
		return nil
	}
	cur := b.s.u.info.Currency
	given, err := b.givenAmount()
	if err != nil {
		return err
	}
	if total := b.sum(); given < total {
		return domain.Errorf(domain.EInvalid, "the cash given, %s %s, is %s short of the total %s %s; take the rest, or correct the amount given",
			given.Format(cur), cur, (total - given).Format(cur), total.Format(cur), cur)
	}
	return nil
}

// write records basket, made of the lines sent.
func (b *basketPanel) write(basket app.Basket, sent []basketLine) {
	b.recording = true
	b.refresh()
	b.s.u.write(func(ctx context.Context) func() {
		o, err := b.s.u.shop.SellBasket(ctx, basket)
		return func() {
			b.recording = false
			b.refresh()
			var short *app.ShortError
			switch {
			case err == nil:
				b.sold(o, sent)
			case errors.As(err, &short) && !basket.Force:
				msg := fmt.Sprintf("%s%s Record the whole basket anyway? It shows as oversold until you count the stock.", b.s.shortSentence(short), moveFirst(short))
				d := b.s.u.newQuestion("Sell beyond stock?", msg, func(ok bool) {
					if ok {
						basket.Force = true
						b.write(basket, sent)
					}
				})
				d.SetConfirmText("Sell anyway")
				b.s.u.showDialog(d)
			default:
				// Kept whole, as it was, for Done to try again once the
				// reason is put right.
				msg := strings.TrimSuffix(domain.ErrorMessage(notSold(err)), ".")
				b.s.fail(&domain.Error{Code: domain.ErrorCode(err), Message: msg + ". The basket is kept: Done tries it again", Err: err})
			}
		}
	})
}

// sold shows the basket recorded, and starts the next with what was put
// in the basket while it was written, the next buyer's: emptied whole, it
// lost them.
func (b *basketPanel) sold(o app.SoldBasket, sent []basketLine) {
	s := b.s
	s.madeSale(o.Items)
	for _, it := range o.Items {
		s.moveTo(it.Code, it.Available)
	}
	change := b.change.Text
	next := b.notIn(sent)
	b.clear()
	b.lines = next
	b.refresh()
	// Items, as the basket's total and Undo's question count them: "a
	// basket of 2 lines" for three mugs and a print read as two things sold.
	items := 0
	for _, it := range o.Items {
		items += it.Qty
	}
	msg := fmt.Sprintf("Sold a basket of %s for %s %s (%s)", plural(items, "item", "items"), o.Total.Format(s.u.info.Currency), s.u.info.Currency, o.Payment)
	if strings.HasPrefix(change, "Change") {
		msg += " · " + change
	}
	s.say(msg, widget.SuccessImportance)
	s.showUndo()
	s.grid.Refresh()
	s.u.changed()
	s.u.win.Canvas().Focus(s.search)
}
