package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
)

// importDelayed imports an Etsy order of 50 mugs, more than the shop has,
// so the order cannot ship now.
func importDelayed(t *testing.T, shop *app.Shop) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "EtsySoldOrderItems.csv")
	csv := "Sale Date,Item Name,Buyer,Quantity,Price,Currency,Transaction ID,Date Shipped,Order ID,SKU\r\n" +
		day(-1).Format("01/02/06") + ",Mug,Jo,50,24.00,EUR,3001,,9001,MUG\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.Import(context.Background(), app.ImportRequest{Path: file}); err != nil {
		t.Fatal(err)
	}
}

// A delayed order is a row on Today whose button copies the words for its
// buyer; Open orders lists it with the same message.
func TestADelayedOrderIsOnTodayWithItsMessage(t *testing.T) {
	shop := stockedShop(t)
	importDelayed(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "today"})
	var row *todayItem
	for i := range u.today.items {
		if u.today.items[i].alert.Kind == app.AlertDelayedOrder {
			row = &u.today.items[i]
		}
	}
	if row == nil {
		t.Fatalf("no delayed order on Today:\n%s", texts(w.Canvas().Content()))
	}
	u.today.act(*row)
	got := u.app.Clipboard().Content()
	if !strings.Contains(got, "Thank you for your order 9001") || !strings.Contains(got, "Blue stoneware mug") {
		t.Fatalf("the clipboard holds %q; want the message for the buyer of 9001", got)
	}
	closeDialogs(w)

	v := u.showOrders()
	if len(v.orders) != 1 || !v.orders[0].Delayed || !strings.Contains(v.note.Text, "1 cannot ship now") {
		t.Fatalf("open orders %+v, note %q; want 9001, delayed", v.orders, v.note.Text)
	}
	u.app.Clipboard().SetContent("")
	item := v.list.CreateItem()
	v.list.UpdateItem(0, item)
	test.Tap(findButtonIn(t, item, "Copy message"))
	if got := u.app.Clipboard().Content(); got != v.orders[0].Message {
		t.Fatalf("Copy message put %q on the clipboard; want the order's message", got)
	}
}

// findButtonIn is the button labelled text under o.
func findButtonIn(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(o, func(x fyne.CanvasObject) bool {
		if b, ok := x.(*widget.Button); ok && b.Text == text {
			found = b
		}
		if b, ok := x.(*scanButton); ok && b.Text == text { // the Sales window's
			found = &b.Button
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no button %q in:\n%s", text, texts(o))
	}
	return found
}

// A delayed order shipped the day its batch came is marked shipped from
// Open orders, after a question, since it is never undone: it leaves the
// list and Today's delayed orders.
func TestAnOrderIsMarkedShippedFromOpenOrders(t *testing.T) {
	shop := stockedShop(t)
	importDelayed(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "today"})
	v := u.showOrders()
	item := v.list.CreateItem()
	v.list.UpdateItem(0, item)
	test.Tap(findButtonIn(t, item, "Mark shipped"))
	if got := dialogText(w); !strings.Contains(got, "Mark order 9001 on etsy shipped now?") {
		t.Fatalf("Mark shipped asks %q; want the order named", got)
	}
	tapButton(t, w, "Mark shipped")
	if len(v.orders) != 0 || !strings.Contains(v.note.Text, "Marked order 9001 shipped; nothing left to send") {
		t.Fatalf("open orders %+v, note %q; want none left, 9001 named as shipped", v.orders, v.note.Text)
	}
	orders, err := shop.Orders(context.Background(), shop.AsOfNow(), app.OrdersFilter{})
	if err != nil || len(orders) != 1 || !orders[0].Shipped() {
		t.Fatalf("the shop's orders %+v, %v; want 9001 shipped", orders, err)
	}
	for _, it := range u.today.items {
		if it.alert.Kind == app.AlertDelayedOrder {
			t.Fatalf("Today still shows the delayed order: %+v", it.alert)
		}
	}
}

// An open order's row shows what it holds in full in a window of 1150
// points: the items ran on the line of the date, number and state, beside
// the buttons, and were cut ("MUG…") however wide the window was, the
// dialog being 720 points wide.
func TestAnOpenOrdersItemsAreNotCutShort(t *testing.T) {
	shop := stockedShop(t)
	importDelayed(t, shop)
	u, w := newTestUI(t, shop, Options{})
	w.Resize(fyne.NewSize(1150, 800))
	v := u.showOrders()
	item := v.list.CreateItem()
	v.list.UpdateItem(0, item)
	item.Resize(fyne.NewSize(v.list.Size().Width, item.MinSize().Height))
	label := item.(*fyne.Container).Objects[0].(*widget.Label)
	room := label.Size().Width - 2*theme.InnerPadding()
	for _, line := range strings.Split(label.Text, "\n") {
		if got := fyne.MeasureText(line, theme.TextSize(), label.TextStyle).Width; got > room {
			t.Errorf("the row's line %q is %.0f points wide in %.0f: cut short", line, got, room)
		}
	}
	if !strings.Contains(label.Text, strings.Join(v.orders[0].OrderLabels(), ", ")) {
		t.Errorf("the row reads %q; want the order's items", label.Text)
	}
}
