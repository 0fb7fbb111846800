package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// salesView is the day at the till: what the cash box and the card reader
// should show, and every sale line of the day with a Void button for the
// one rung up by mistake. It opens from the Sell screen.
type salesView struct {
	u       *UI
	day     time.Time // the start of the day shown
	title   *widget.Label
	next    *scanButton
	summary *widget.Label // the day's orders and takings
	money   *widget.Label // by payment
	others  *widget.Label // by channel
	returns *widget.Label // returns, refunds and voids
	list    *scanList
	lines   []app.SaleLine
	read    bool           // lines are the day's, read: none says there were no sales
	close   app.DaySummary // the close of the day shown, as last read
	dialog  dialog.Dialog
	onVoid  func() // the Sell screen reads the shop again
	// focus is a channel order whose lines come first while its day is
	// shown: a cancelled order's, to void among a busy day's lines.
	focus string
}

// showSales opens the day's sales and its close, today's first; the days
// before are a tap away, to close a fair after midnight or check
// yesterday's cash box, and the close of any of them saves as a PDF.
func (u *UI) showSales(onVoid func()) *salesView {
	return u.showSalesOn(domain.StartOfDay(u.shop.Now()), "", onVoid)
}

// showSalesOn opens the sales and close of the day starting at day: a
// cancelled order's, whose lines are voided there.
func (u *UI) showSalesOn(day time.Time, order string, onVoid func()) *salesView {
	v := &salesView{u: u, onVoid: onVoid, day: day, focus: order}
	// The counts wrap at the dialog's width, where they were cut with "…"
	// at 800×600.
	v.summary, v.money, v.others, v.returns = widget.NewLabel(" "), widget.NewLabel(" "), widget.NewLabel(" "), widget.NewLabel(" ")
	for _, l := range []*widget.Label{v.summary, v.money, v.others, v.returns} {
		l.Wrapping = fyne.TextWrapWord
	}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	// Each widget that can have the focus passes on what is typed to
	// the till (handToTill), as the window does with none focused.
	prev := newScanButton("", theme.NavigateBackIcon(), func() { v.showDay(v.day.AddDate(0, 0, -1)) }, u.handToTill)
	v.next = newScanButton("", theme.NavigateNextIcon(), func() { v.showDay(v.day.AddDate(0, 0, 1)) }, u.handToTill)
	save := newScanButton("Save as PDF…", theme.DocumentSaveIcon(), func() { v.saveClose() }, u.handToTill)
	days := container.NewBorder(nil, nil, container.NewHBox(prev, v.next), save, v.title)
	v.list = newScanList(v.rows, v.newRow, v.updateRow, u.handToTill)
	content := readingBorder(container.NewVBox(days, v.summary, v.money, v.others, v.returns, widget.NewSeparator()), nil, nil, nil, v.list)
	// Done, not Close: a button reading Close on the close of the day
	// looked like it would close (end) the day.
	d := dialog.NewCustomWithoutButtons("Sales and close of day", content, u.win)
	d.SetButtons([]fyne.CanvasObject{newScanButton("Done", nil, d.Hide, u.handToTill)})
	// As tall as the window allows, up to a dozen lines: at 460 high the
	// list showed four lines of a fair day's sixty, even at 1280×900.
	d.Resize(fyne.NewSize(min(720, u.win.Canvas().Size().Width-40), min(760, u.win.Canvas().Size().Height-40)))
	v.dialog = d
	u.sales = v
	u.showDialog(d)
	v.showDay(v.day)
	return v
}

// showDay shows the day starting at day, not after today.
func (v *salesView) showDay(day time.Time) {
	today := domain.StartOfDay(v.u.shop.Now())
	if day.After(today) {
		day = today
	}
	if !day.Equal(v.day) {
		v.focus = ""
	}
	v.day = day
	if day.Equal(today) {
		v.next.Disable()
	} else {
		v.next.Enable()
	}
	v.load()
}

// saveClose saves the close of the day shown as a page to print.
func (v *salesView) saveClose() *formDialog {
	u, day := v.u, v.close
	return u.saveForm("Save the close of "+v.day.Format("Monday 2 January"), "Save",
		"close-"+v.day.Format(time.DateOnly)+".pdf", "the day's close, to print or keep with the cash box",
		func(ctx context.Context, path string, overwrite bool) error {
			return u.shop.WriteOutput(path, overwrite, func(w io.Writer) error {
				return app.WriteDayPDF(w, day, u.shop.ShopName(ctx), u.info.Currency)
			})
		}, func(path string) { u.inform("Close saved", "Saved the close as "+path+".") })
}

func (v *salesView) newRow() fyne.CanvasObject {
	text := widget.NewLabel("")
	text.Truncation = fyne.TextTruncateEllipsis
	void := newScanButton("Void", theme.ContentUndoIcon(), nil, v.u.handToTill)
	return container.NewBorder(nil, nil, nil, void, text)
}

// rows is how many lines the list shows: a day without sales shows one
// saying so, as an empty list under a close of 0 orders looked unread.
func (v *salesView) rows() int {
	if v.read && len(v.lines) == 0 {
		return 1
	}
	return len(v.lines)
}

func (v *salesView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	row := o.(*fyne.Container)
	text, void := row.Objects[0].(*widget.Label), row.Objects[1].(*scanButton)
	if len(v.lines) == 0 {
		text.SetText("No sales on " + v.day.Format("Monday 2 January") + ".")
		void.Hide()
		return
	}
	if id >= len(v.lines) {
		return
	}
	void.Show()
	l := v.lines[id]
	state := ""
	if l.Voided {
		state = " · voided"
	}
	cur := v.u.info.Currency
	// The channel beside the payment traces the close's "By channel" sums
	// to their lines, and the location its sums by location.
	paid := string(l.Payment)
	if len(v.close.Locations()) > 1 {
		paid += " · " + l.Location
	}
	// A channel's order is named by its number, as Today names it; a
	// basket's id means nothing to read.
	channel := string(l.Channel)
	if slices.Contains(domain.ImportedChannels, l.Channel) {
		channel += " order " + l.Order
	}
	text.SetText(fmt.Sprintf("%s  %d × %s at %s = %s %s · %s · %s · %s%s", l.At.Format("15:04"), l.Qty, l.Code, l.Price.Format(cur), l.Total().Format(cur),
		cur, channel, paid, l.Device, state))
	if l.Voided {
		void.Disable()
	} else {
		void.Enable()
	}
	void.OnTapped = func() { v.confirmVoid(l) }
}

// confirmVoid asks before voiding a line: the units come back to stock,
// but for a download, which holds none. When a return of what it sold
// was recorded since (app.VoidWarnings), the question says so first: if
// those were this sale's units, the void would count them back twice.
func (v *salesView) confirmVoid(l app.SaleLine) {
	v.u.run(func(ctx context.Context) (func(), error) {
		warnings, err := v.u.shop.VoidWarnings(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		// By its id: a code two devices gave two SKUs names neither.
		sku, err := v.u.shop.SKU(ctx, cmp.Or(l.SKU, l.Code))
		download := err == nil && sku.Path == domain.PathDigital
		return func() { v.askVoid(l, download, warnings) }, nil
	})
}

// askVoid asks whether to void l, a download's sale when download, with
// warnings of returns since it.
func (v *salesView) askVoid(l app.SaleLine, download bool, warnings []string) {
	back := "Its units come back to stock"
	if download {
		back = "It no longer counts as sold"
	}
	msg := fmt.Sprintf("Void the sale of %d × %s at %s? %s; the line stays, shown as voided.", l.Qty, l.Code, l.At.Format("15:04"), back)
	d := v.u.newQuestion("Void this sale?", withVoidWarnings(msg, warnings), func(ok bool) {
		if !ok {
			return
		}
		v.u.write(func(ctx context.Context) func() {
			err := v.u.shop.VoidSaleWarned(ctx, l.ID, "", warnings)
			return func() {
				if errors.Is(err, app.ErrVoidWarned) {
					v.confirmVoid(l) // a return came in since: ask again, telling of it
					return
				}
				if err != nil {
					v.u.showError(err)
					return
				}
				v.u.changed() // and so this view
				if v.onVoid != nil {
					v.onVoid()
				}
			}
		})
	})
	d.SetConfirmText("Void")
	if len(warnings) > 0 {
		d.SetConfirmText("Void it anyway")
		d.SetDismissText("Cancel")
		d.SetConfirmImportance(widget.WarningImportance)
	}
	v.u.showDialog(d)
}

// load reads the day's lines and its close.
func (v *salesView) load() {
	v.u.run(func(ctx context.Context) (func(), error) {
		start := v.day
		lines, err := v.u.shop.Sales(ctx, start, start.AddDate(0, 0, 1), "")
		if err != nil {
			return nil, err
		}
		day, err := v.u.shop.Day(ctx, start)
		if err != nil {
			return nil, err
		}
		return func() {
			if !start.Equal(v.day) {
				return // another day was chosen meanwhile
			}
			v.lines, v.close, v.read = focusFirst(lines, v.focus), day, true
			v.title.SetText(start.Format("Monday 2 January 2006"))
			lines := dayText(day, v.u.info.Currency)
			v.summary.SetText(lines[0])
			v.money.SetText(lines[1])
			v.others.SetText(lines[2])
			v.returns.SetText(lines[3])
			v.list.Refresh()
		}, nil
	})
}

// focusFirst puts the lines of order first, the others after them as
// they were.
func focusFirst(lines []app.SaleLine, order string) []app.SaleLine {
	if order == "" {
		return lines
	}
	rank := func(l app.SaleLine) int {
		if l.Order == order {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(lines, func(a, b app.SaleLine) int { return cmp.Compare(rank(a), rank(b)) })
	return lines
}

// dayText is the close of a day in four lines, to check against the
// cash box and the card reader: the takings, by payment (and by payment
// at each location, when there are several), by channel, then the returns
// and voids. The channels are the command line's day's: the
// fair's takings apart from the online orders of the same day.
func dayText(d app.DaySummary, currency string) [4]string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s, %s, %s · takings %s %s", d.Date.Format("Monday 2 January"), plural(d.Orders, "order", "orders"),
		plural(d.Sales, "line", "lines"), plural(d.Units, "unit", "units"), d.Total.Format(currency), currency)
	if d.Discounts > 0 {
		fmt.Fprintf(&b, " after %s of discounts", d.Discounts.Format(currency))
	}
	var out [4]string
	out[0] = b.String()
	b.Reset()
	b.WriteString("By payment: ")
	for i, p := range domain.Payments {
		if i > 0 {
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "%s %s", p, d.ByPayment[p].Format(currency))
	}
	b.WriteString(" (less refunds)")
	if places := d.Locations(); len(places) > 1 { // each cash box, when there are several
		for _, at := range places {
			fmt.Fprintf(&b, "\nAt %s: ", at)
			for i, p := range domain.Payments {
				if i > 0 {
					b.WriteString(" · ")
				}
				fmt.Fprintf(&b, "%s %s", p, d.ByLocation[at][p].Format(currency))
			}
		}
	}
	out[1] = b.String()
	b.Reset()
	b.WriteString("By channel: ")
	for i, ch := range d.Channels() {
		if i > 0 {
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "%s %s", ch, d.ByChannel[ch].Format(currency))
	}
	out[2] = b.String()
	// Returns and voids are a line of their own: on the channels' line,
	// even as sentences apart, a trial read them as more channels. Each
	// says its money, in the currency: the voided lines' amount explains
	// a cash box short of what was rung up.
	out[3] = fmt.Sprintf("Returns: %s, %s %s refunded. Voided: %s, %s %s.", plural(d.Returns, "unit", "units"), d.Refunds.Format(currency), currency,
		plural(d.Voided, "line", "lines"), d.VoidedTotal.Format(currency), currency)
	return out
}
