package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The day's sales open from the Sell screen with the close of the day;
// voiding a line rung up by mistake puts its units back and shows it
// voided, and the takings drop by it.
func TestSalesViewVoidsALineAndClosesTheDay(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sell"})
	test.Tap(findTile(t, w, "MUG"))
	test.Tap(findTile(t, w, "PRINT-A4"))
	before := shownAvailable(t, findTile(t, w, "MUG"))

	tapButton(t, w, "Sales…")
	v := u.showSales(u.sell.load)
	if len(v.lines) != 2 || !strings.Contains(v.summary.Text, "2 orders") || !strings.Contains(v.summary.Text, "takings 36.00") {
		t.Fatalf("sales view: %d lines, summary %q; want the 2 sales, takings 36.00", len(v.lines), v.summary.Text)
	}
	var mug int
	for i, l := range v.lines {
		if l.Code == "MUG" {
			mug = i
		}
	}
	row := v.list.CreateItem()
	v.list.UpdateItem(mug, row)
	var void *widget.Button
	walk(row, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "Void" {
			void = b
		}
		return void == nil
	})
	test.Tap(void)
	tapButton(t, w, "Void")

	lines, err := shop.Sales(ctx, v.lines[0].At.Add(-24*time.Hour), v.lines[0].At.Add(time.Hour), "MUG")
	if err != nil || len(lines) != 1 || !lines[0].Voided {
		t.Fatalf("MUG's sale after Void: %+v, %v; want it voided", lines, err)
	}
	if !strings.Contains(v.summary.Text, "takings 12.00") || !strings.Contains(v.others.Text, "1 line voided") || !strings.Contains(v.others.Text, "By channel: fair 12.00 · online 0.00") {
		t.Fatalf("summary after the void: %q", v.summary.Text)
	}
	if after := shownAvailable(t, findTile(t, w, "MUG")); after == before {
		t.Fatalf("the MUG tile still shows %s after its sale was voided", after)
	}
}
