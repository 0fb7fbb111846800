package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// Margins read the window chosen: a loss 60 days ago is in the 90 days
// it opens on, and gone from the last 30.
func TestMarginsReadTheWindowChosen(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	// Made for 5.00: 5 sold at 9.00 four days ago make 5 × 4.00 = 20.00;
	// 10 sold at 1.00 sixty days ago lost 10 × 4.00 = 40.00.
	cost, cheap := domain.Money(500), domain.Money(100)
	if _, err := shop.EditSKU(ctx, "CANDLE", app.SKUFields{Cost: &cost}); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.Sell(ctx, app.Sale{Code: "CANDLE", Qty: 10, Price: &cheap, At: day(-60), Force: true}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{})
	v := u.showMargins()
	if v.window.Selected != "90 days" || len(v.rows) == 0 || v.rows[0].Code != "CANDLE" || v.rows[0].Contribution >= 0 {
		t.Fatalf("over %s: %+v; want CANDLE first, losing money", v.window.Selected, v.rows)
	}
	v.window.SetSelected("30 days")
	for _, r := range v.rows {
		if r.Code == "CANDLE" && r.Contribution < 0 {
			t.Fatalf("over 30 days CANDLE still lost money: %+v", r)
		}
	}
	if !strings.Contains(v.note.Text, "0 lost money") {
		t.Errorf("over 30 days the note says %q", v.note.Text)
	}
}

// Margins over a window without sales say so, as microshopctl margins
// does: the note read "0 SKUs; 0 lost money (in red)".
func TestMarginsWithNoSalesSaySo(t *testing.T) {
	u, _ := newTestUI(t, mustShop(t), Options{})
	v := u.showMargins()
	if want := "No sales in the last 90 days, so no margins to show."; v.note.Text != want {
		t.Errorf("the note says %q, want %q", v.note.Text, want)
	}
}

// The Margins window gives its room to the SKUs' names: at a fixed 90
// points they read "Printable …" with a fifth of a 1000-wide window's
// dialog empty beside the figures; at 800 × 600 every column still shows.
func TestMarginsNamesTakeTheRoomTheDialogHas(t *testing.T) {
	shop := stockedShop(t)
	// A code longer than the column's usual width shows whole, as the
	// demo shop's do: ZINE-FORAGE read "ZINE-FORA…".
	const long = "RISO-HARBOUR"
	mustSKU(t, shop, long, "Harbour at Dusk risograph print", domain.PathDigital, "", 900)
	for _, size := range []fyne.Size{smallWindow, fyne.NewSize(1000, 680)} {
		u, w := newTestUI(t, shop, Options{})
		w.Resize(size)
		v := u.showMargins()
		var code, name, perDay fyne.CanvasObject
		walk(v.table, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && l.Visible() {
				switch l.Text {
				case "Code":
					code = l
				case "Name":
					name = l
				case "Per day":
					perDay = l
				}
			}
			return true
		})
		if code == nil || name == nil || perDay == nil {
			t.Fatalf("at %v the Margins table shows no Code, Name or Per day heading", size)
		}
		if need := fyne.MeasureText(long, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding(); code.Size().Width < need {
			t.Errorf("at %v the Code column is %.0f wide, want at least %.0f for %s whole", size, code.Size().Width, need, long)
		}
		_, tableRight := absX(v.table)
		_, right := absX(perDay)
		if right > tableRight {
			t.Errorf("at %v the Per day column ends at %.0f, past the table's edge at %.0f", size, right, tableRight)
		}
		if size.Width >= 1000 && tableRight-right > 4*theme.Padding() {
			t.Errorf("at %v the columns end at %.0f, %.0f short of the table's edge, the Name column %.0f wide", size, right, tableRight-right, name.Size().Width)
		}
	}
}
