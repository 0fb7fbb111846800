package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
)

// ordersView lists the imported orders still to send, the delayed ones
// with the message for their buyer, ready to copy.
type ordersView struct {
	u      *UI
	note   *widget.Label
	list   *widget.List
	orders []app.ChannelOrder
}

func (u *UI) showOrders() *ordersView {
	v := &ordersView{u: u}
	v.note = widget.NewLabel(" ")
	v.note.Wrapping = fyne.TextWrapWord
	v.list = widget.NewList(func() int { return len(v.orders) }, v.newRow, v.updateRow)
	content := container.NewBorder(container.NewVBox(v.note, widget.NewSeparator()), nil, nil, nil, v.list)
	d := dialog.NewCustom("Open orders", "Close", content, u.win)
	d.Resize(fyne.NewSize(min(960, u.win.Canvas().Size().Width-40), min(520, u.win.Canvas().Size().Height-40)))
	u.showDialog(d)
	u.run(func(ctx context.Context) (func(), error) {
		orders, err := u.shop.Orders(ctx, u.shop.AsOfNow(), app.OrdersFilter{Open: true})
		if err != nil {
			return nil, err
		}
		return func() {
			v.orders = orders
			delayed := 0
			for _, o := range orders {
				if o.Delayed {
					delayed++
				}
			}
			switch {
			case len(orders) == 0:
				v.note.SetText("Nothing to send: every imported order has shipped. Import a newer Etsy or Shopify export to see new ones.")
			case delayed > 0:
				v.note.SetText(fmt.Sprintf("%s to send; %d cannot ship now: copy the message and send it to the buyer before they ask.",
					plural(len(orders), "order", "orders"), delayed))
			default:
				v.note.SetText(plural(len(orders), "order", "orders") + " to send.")
			}
			v.list.Refresh()
		}, nil
	})
	return v
}

func (v *ordersView) newRow() fyne.CanvasObject {
	text := widget.NewLabel("order\nitems") // two lines: every row is as high as this one
	text.Truncation = fyne.TextTruncateEllipsis
	copyBtn := widget.NewButtonWithIcon("Copy message", theme.ContentCopyIcon(), nil)
	shipBtn := widget.NewButtonWithIcon("Mark shipped", theme.ConfirmIcon(), nil)
	return container.NewBorder(nil, nil, nil, container.NewHBox(copyBtn, shipBtn), text)
}

func (v *ordersView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(v.orders) {
		return
	}
	ord := v.orders[id]
	row := o.(*fyne.Container)
	buttons := row.Objects[1].(*fyne.Container)
	text, copyBtn, shipBtn := row.Objects[0].(*widget.Label), buttons.Objects[0].(*widget.Button), buttons.Objects[1].(*widget.Button)
	shipBtn.OnTapped = func() { v.askShip(ord) }
	items := ord.OrderLabels() // a kit as the buyer bought it, not its parts
	state := "to send"
	if ord.Delayed {
		state = "delayed: ships by " + ord.ShipsBy.Format("2 Jan")
		if ord.ShipsBy.IsZero() {
			state = "delayed: cannot ship"
		}
	}
	// The items on a line of their own: beside the date, number and state
	// they were cut short however wide the window, and the delayed date,
	// what the maker looks for, comes first.
	text.SetText(fmt.Sprintf("%s  %s · %s · %s\n%s", ord.At.Format(time.DateOnly), ord.Number, state, ord.Channel, strings.Join(items, ", ")))
	if ord.Delayed {
		copyBtn.Show()
		copyBtn.OnTapped = func() {
			v.u.app.Clipboard().SetContent(ord.Message)
			v.note.SetText("Copied the message for the buyer of order " + ord.Number + ".")
		}
	} else {
		copyBtn.Hide()
	}
}

// askShip asks before marking o shipped: a shipment is never undone, so a
// slip of the mouse would take an order that still waits off the list.
func (v *ordersView) askShip(o app.ChannelOrder) {
	msg := fmt.Sprintf("Mark order %s on %s shipped now? It leaves the open and delayed orders on every device, and a later export that still shows it open does not bring it back.",
		o.Number, o.Channel)
	d := v.u.newQuestion("Mark this order shipped?", msg, func(ok bool) {
		if !ok {
			return
		}
		v.u.write(func(ctx context.Context) func() {
			_, err := v.u.shop.ShipOrder(ctx, app.ShipOrderRequest{Number: o.Number, Channel: o.Channel, At: v.u.shop.Now()})
			return func() {
				if err != nil {
					v.u.showError(err)
					return
				}
				v.orders = slices.DeleteFunc(v.orders, func(x app.ChannelOrder) bool { return x.Number == o.Number && x.Channel == o.Channel })
				v.list.UnselectAll()
				v.list.Refresh()
				left := "nothing left to send"
				if len(v.orders) > 0 {
					left = plural(len(v.orders), "order", "orders") + " still to send"
				}
				v.note.SetText(fmt.Sprintf("Marked order %s shipped; %s.", o.Number, left))
				v.u.changed()
			}
		})
	})
	d.SetConfirmText("Mark shipped")
	d.SetDismissText("Cancel")
	v.u.showDialog(d)
}
