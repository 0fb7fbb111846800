package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

func TestSetCellTextTruncatesOnlyWhatDoesNotFit(t *testing.T) {
	test.NewTempApp(t)
	l := widget.NewLabel("placeholder")
	l.Resize(fyne.NewSize(90, 36))
	setCellText(l, "MUG", fyne.TextAlignTrailing, widget.DangerImportance)
	if l.Text != "MUG" || l.Truncation != fyne.TextTruncateOff || l.Alignment != fyne.TextAlignTrailing || l.Importance != widget.DangerImportance {
		t.Errorf("short text: %q truncation %v alignment %v importance %v", l.Text, l.Truncation, l.Alignment, l.Importance)
	}
	long := "A very long handmade stoneware mug name"
	setCellText(l, long, fyne.TextAlignLeading, widget.MediumImportance)
	if l.Text != long || l.Truncation != fyne.TextTruncateEllipsis {
		t.Errorf("long text: %q truncation %v, want it whole with an ellipsis", l.Text, l.Truncation)
	}
	setCellText(l, "CUP", fyne.TextAlignLeading, widget.MediumImportance)
	if l.Text != "CUP" || l.Truncation != fyne.TextTruncateOff || l.Importance != widget.MediumImportance {
		t.Errorf("reused for short text: %q truncation %v importance %v", l.Text, l.Truncation, l.Importance)
	}
}

func TestSKUTableCellsFollowFilter(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "skus"})
	w.Resize(fyne.NewSize(800, 600))
	s := u.skus
	shown := func() string { return texts(s.table) }
	for _, code := range []string{"CANDLE", "GUIDE", "MUG", "PRINT-A4"} {
		if !strings.Contains(shown(), code+"\n") {
			t.Errorf("table does not show %s:\n%s", code, shown())
		}
	}
	test.Type(s.filterEntry, "clay")
	got := shown()
	if !strings.Contains(got, "MUG\n") || !strings.Contains(got, "CANDLE\n") || strings.Contains(got, "GUIDE\n") || strings.Contains(got, "PRINT-A4\n") {
		t.Errorf("filtered by clay, the table shows:\n%s", got)
	}
	// Each cell of the first row shows its column's text, aligned and
	// coloured as before, of the columns an 800×600 window shows.
	r := s.rows[s.view[0]]
	for i, c := range s.columns {
		col := skuColumns[c]
		l := widget.NewLabel("placeholder")
		l.Resize(fyne.NewSize(col.width, 36))
		s.updateCell(widget.TableCellID{Row: 0, Col: i}, l)
		if l.Text != col.text(r) || (l.Alignment == fyne.TextAlignTrailing) != col.numeric {
			t.Errorf("column %s shows %q aligned %v", col.title, l.Text, l.Alignment)
		}
		if col.title == "Status" && l.Importance != statusImportance(r.Status) {
			t.Errorf("status cell importance %v, want %v", l.Importance, statusImportance(r.Status))
		}
	}
}

func TestReusedTileShowsItsNewSKU(t *testing.T) {
	test.NewTempApp(t)
	tl := newTile()
	tl.Resize(tileSize)
	rd := test.WidgetRenderer(tl).(*tileRenderer)
	mug := app.StockRow{SKU: domain.SKU{ID: "1", Code: "MUG", Name: "Blue stoneware mug"}}
	tl.show(mug, domain.Assessment{Status: domain.StatusOK, Available: 4}, "EUR")
	candle := app.StockRow{SKU: domain.SKU{ID: "2", Code: "CANDLE", Name: "Beeswax candle"}}
	tl.show(candle, domain.Assessment{Status: domain.StatusOversold, Available: -2}, "EUR")
	if rd.name.Text != "Beeswax candle" || rd.code.Text != "CANDLE" || rd.avail.Text != "0" || rd.caption.Text != "oversold by 2" {
		t.Errorf("reused tile shows %q %q %q %q", rd.name.Text, rd.code.Text, rd.avail.Text, rd.caption.Text)
	}
	tl.show(candle, domain.Assessment{Status: domain.StatusOK, Available: 3}, "EUR")
	if rd.avail.Text != "3" || rd.caption.Text != "available" {
		t.Errorf("after a change the tile shows %q %q", rd.avail.Text, rd.caption.Text)
	}
}

// The SKU list and detail give the daily rate as `stock` prints it, to the
// hundredth: MUG sold 18 in 28 days, 0.64 a day, which read 0.6 here.
func TestSKURateReadsAsStockPrintsIt(t *testing.T) {
	u, _ := newTestUI(t, stockedShop(t), Options{Screen: "skus"})
	s := u.skus
	if got := texts(s.table); !strings.Contains(got, "\n0.64\n") {
		t.Errorf("the SKU list:\n%s\nwant MUG's rate, 18 ÷ 28, as 0.64", got)
	}
	s.showDetail("MUG")
	if got := s.detail.facts["Daily rate"].Text; !strings.Contains(got, "0.64 a day (18 in 28 d)") {
		t.Errorf("MUG's detail:\n%s\nwant its rate as 0.64 a day (18 in 28 d)", got)
	}
}

// A batch expected on a day gone by reads as late in a SKU's detail:
// its date alone, three days back, read as a delivery still to come.
func TestASKUsOverdueArrivalSaysSo(t *testing.T) {
	shop := stockedShop(t)
	if _, err := shop.OrderBatch(context.Background(), app.Order{Code: "MUG", Qty: 20, At: day(-10), Expected: day(-3)}); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.OrderBatch(context.Background(), app.Order{Code: "PRINT-A4", Qty: 20, At: day(-1), Expected: day(4)}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "skus"})
	for code, want := range map[string]string{
		"MUG":      day(-3).Format("2 Jan 2006") + ", late",
		"PRINT-A4": day(4).Format("2 Jan 2006"),
	} {
		u.skus.showDetail(code)
		if got := u.skus.detail.facts["Next arrival"].Text; got != want {
			t.Errorf("%s's next arrival reads %q, want %q", code, got, want)
		}
	}
}

// A kit of downloads never runs out, as a download does: the SKU list
// showed 0 available for it beside ∞ for its part, as if it had sold out.
// A kit has no daily rate of its own (its sales count in its parts'), so
// its Per day is a dash, as on the command line, not a 0 that reads as
// never sold.
func TestAKitsAvailableAndRateInTheSKUList(t *testing.T) {
	text := func(title string, r app.StockRow) string {
		for _, c := range skuColumns {
			if c.title == title {
				return c.text(r)
			}
		}
		t.Fatalf("no column %s", title)
		return ""
	}
	downloads := app.StockRow{SKU: domain.SKU{Code: "SET", Path: domain.PathKit}, Assessment: domain.Assessment{Status: domain.StatusDigital}}
	if got := text("Available", downloads); got != "∞" {
		t.Errorf("a kit of downloads shows %q available, want ∞", got)
	}
	gift := app.StockRow{SKU: domain.SKU{Code: "GIFT", Path: domain.PathKit}, Assessment: domain.Assessment{Status: domain.StatusOK, Available: 3}}
	if got := text("Available", gift); got != "3" {
		t.Errorf("a kit of 3 shows %q available, want 3", got)
	}
	if got := text("Per day", gift); got != "—" {
		t.Errorf("a kit's per day shows %q, want —", got)
	}
}
