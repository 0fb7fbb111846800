package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// Long names and big numbers, as a maker's shop may have them: a factory
// named as on its invoices, a SKU named as in its listing, 100,000 units
// and a price of 1,000,000.00.
const (
	longFactory = "Guangzhou Pearl River Delta Precision Enamel Pin Manufacturing Company Limited"
	longQuoter  = "Kowloon Bay Industrial Ceramics and Homeware Export Trading Company"
	bigCode     = "HANDTHROWN-MUG-XL-BLUE"
	bigName     = "Hand-thrown speckled stoneware serving mug, extra large, with a celadon glaze inside"
)

// longShop is stockedShop with bigCode: made by longFactory at
// 1,000,000.00 (costing 250,000.50), 100,000 counted, 59,994 sold in six
// days of 9,999 and 100,000 on order, and quoted by longQuoter and by
// Clay Works.
func longShop(t *testing.T) *app.Shop {
	t.Helper()
	ctx := context.Background()
	s := stockedShop(t)
	mustFactory(t, s, longFactory, domain.KindMicrofactory, 21, true)
	mustFactory(t, s, longQuoter, domain.KindMicrofactory, 30, false)
	mustSKU(t, s, bigCode, bigName, domain.PathMicrofactory, longFactory, 100_000_000)
	must[domain.SKU](t)(s.EditSKU(ctx, bigCode, app.SKUFields{Cost: ptr(domain.Money(25_000_050))}))
	mustCount(t, s, bigCode, 100_000, day(-60))
	for d := -42; d < 0; d += 7 {
		mustSell(t, s, bigCode, 9_999, day(d))
	}
	if _, err := s.OrderBatch(ctx, app.Order{Code: bigCode, Qty: 100_000}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{longQuoter, "Clay Works"} {
		if _, err := s.QuoteFactory(ctx, app.QuoteFields{Factory: f, Code: bigCode, UnitCost: 9_999_999, Shipping: ptr(domain.Money(1_200_000))}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// shownLines are the lines label l draws.
func shownLines(l *widget.Label) []string {
	var lines []string
	walk(l, func(o fyne.CanvasObject) bool {
		if x, ok := o.(*canvas.Text); ok && x.Text != "" {
			lines = append(lines, x.Text)
		}
		return true
	})
	return lines
}

// A SKU's facts show whole, each word and figure on one line, in an
// 800×600 window and at the usual size: in a third of the detail's width
// the daily rate of a SKU selling hundreds a day, its units on hand and
// its price read "1428.4 / 3 a / day", "4000 / 6" and "1000000.00 /
// 250000.50 EUR" broken inside figures.
func TestSKUFactsKeepFiguresWhole(t *testing.T) {
	u, w := newTestUI(t, longShop(t), Options{Screen: "skus"})
	u.skus.showDetail(bigCode)
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		w.Resize(size)
		layOut(w.Content())
		for name, l := range u.skus.detail.facts {
			t.Run(name, func(t *testing.T) { assertShownWhole(t, size, l) })
		}
		// The name is whole under its code: it is cut in the list.
		assertShownWhole(t, size, u.skus.detail.heading)
		rate := u.skus.detail.facts["Daily rate"]
		if lines := shownLines(rate); len(lines) > 2 {
			t.Errorf("at %v the daily rate takes %d lines: %q", size, len(lines), lines)
		}
	}
}

// assertCellsWhole fails unless every cell table shows draws its whole
// text: no name ending in "…", no figure cut.
func assertCellsWhole(t *testing.T, size fyne.Size, what string, table fyne.CanvasObject) {
	t.Helper()
	n := 0
	walk(table, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && o.Visible() && l.Text != "" {
			n++
			// A text may break its own lines (a kit's parts do).
			if got := strings.Join(shownLines(l), " "); got != strings.Join(strings.Fields(l.Text), " ") {
				t.Errorf("at %v the %s shows %q of %q", size, what, got, l.Text)
			}
			if got, room := l.MinSize().Height, l.Size().Height; got > room+0.5 {
				t.Errorf("at %v the %s's %q needs %.0f high and gets %.0f", size, what, l.Text, got, room)
			}
		}
		return o.Visible()
	})
	if n == 0 {
		t.Errorf("at %v the %s shows nothing", size, what)
	}
}

// The sourcing comparison shows each factory's name and each figure whole
// in an 800×600 window and at the usual size: names ended in "…" (a
// factory quoting a mug read "Kowloon Bay Indust…", the SKU's own
// "Guangzhou Pearl Ri…") and the landed cost and cash tied of a
// 250,000.50 mug in "…" too. A name wraps in a taller row instead.
func TestSourcingShowsNamesAndFiguresWhole(t *testing.T) {
	shop := longShop(t)
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		u, w := newTestUI(t, shop, Options{})
		w.Resize(size)
		v := u.showSourcing(bigCode)
		layOut(w.Canvas().Overlays().Top())
		if len(v.result.Candidates) != 3 {
			t.Fatalf("the comparison lists %d sources, want the SKU's factory and two quotes", len(v.result.Candidates))
		}
		assertCellsWhole(t, size, "comparison", v.table)
		if _, tableRight := absX(v.table); true {
			walk(v.table, func(o fyne.CanvasObject) bool {
				if _, right := absX(o); o.Visible() && right > tableRight+0.5 {
					if l, ok := o.(*widget.Label); ok {
						t.Errorf("at %v %q ends at %.0f, past the table's edge at %.0f", size, l.Text, right, tableRight)
					}
				}
				return o.Visible()
			})
		}
	}
}

// The Kits dialog shows each kit's code, name, parts, price and count
// whole in an 800×600 window and at the usual size: parts ended in "…"
// ("1 × HANDTHROWN-MUG-XL-BLUE + 12 × P…"), the one column saying what a
// kit is made of, and so did names. They wrap in taller rows instead.
func TestKitsShowNamesAndPartsWhole(t *testing.T) {
	shop := longShop(t)
	ctx := context.Background()
	if _, err := shop.AddKit(ctx, "GIFT-SET-DELUXE", "Deluxe gift set: the extra large celadon mug with two prints and a glazing guide", 100_000_000,
		[]app.KitPartIn{{Code: bigCode, Qty: 1}, {Code: "PRINT-A4", Qty: 2}, {Code: "GUIDE", Qty: 1}, {Code: "MUG", Qty: 12}}); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.AddKit(ctx, "MUG-PAIR", "Two mugs", 4000, []app.KitPartIn{{Code: "MUG", Qty: 2}}); err != nil {
		t.Fatal(err)
	}
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		u, w := newTestUI(t, shop, Options{})
		w.Resize(size)
		v := u.showKits()
		layOut(w.Canvas().Overlays().Top())
		if len(v.kits) != 2 {
			t.Fatalf("the Kits dialog lists %d kits, want 2", len(v.kits))
		}
		assertCellsWhole(t, size, "kits", v.table)
	}
}

// assertFiguresWhole fails unless every figure table shows is drawn
// whole; names may give way there, shown whole in a detail.
func assertFiguresWhole(t *testing.T, size fyne.Size, what string, table fyne.CanvasObject, want ...string) {
	t.Helper()
	seen := map[string]bool{}
	walk(table, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && o.Visible() && l.Text != "" && strings.Trim(l.Text, "0123456789.") == "" {
			seen[l.Text] = true
			// A text may break its own lines (a kit's parts do).
			if got := strings.Join(shownLines(l), " "); got != strings.Join(strings.Fields(l.Text), " ") {
				t.Errorf("at %v the %s shows %q of %q", size, what, got, l.Text)
			}
		}
		return o.Visible()
	})
	for _, w := range want {
		if !seen[w] {
			t.Errorf("at %v the %s shows no %s:\n%s", size, what, w, texts(table))
		}
	}
}

// The batch list and the return rates show big figures whole in an
// 800×600 window and at the usual size: an order of 100000 read "10…"
// under Qty, and 59994 units sold "599…".
func TestListsShowBigFiguresWhole(t *testing.T) {
	shop := longShop(t)
	if _, err := shop.RecordReturn(context.Background(), app.Return{Code: bigCode, Qty: 1, Reason: domain.ReturnReasons()[0]}); err != nil {
		t.Fatal(err)
	}
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		u, w := newTestUI(t, shop, Options{Screen: "batches"})
		w.Resize(size)
		u.batches.filter.SetSelected("All")
		layOut(w.Content())
		assertFiguresWhole(t, size, "batch list", u.batches.table, "100000")
		u.show(screenIndex("returns"))
		layOut(w.Content())
		assertFiguresWhole(t, size, "return rates", u.returns.numbers, "59994")
	}
}

// The margins show every figure whole, and a SKU's name of a few words
// whole, in an 800×600 window and at the usual size: names read "Print…"
// and "Riso …" beside nine columns of figures, and a revenue of
// 59994000000.00 was cut.
func TestMarginsShowFiguresAndNamesWhole(t *testing.T) {
	shop := longShop(t)
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		u, w := newTestUI(t, shop, Options{})
		w.Resize(size)
		v := u.showMargins()
		layOut(w.Canvas().Overlays().Top())
		assertFiguresWhole(t, size, "margins", v.table, "59994000000.00")
		var mug string
		walk(v.table, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && o.Visible() && l.Text == "Blue stoneware mug" {
				mug = strings.Join(shownLines(l), " ")
			}
			return o.Visible()
		})
		if mug != "Blue stoneware mug" {
			t.Errorf("at %v MUG's name reads %q; want Blue stoneware mug whole", size, mug)
		}
	}
}

// Pack for a fair shows each line whole in an 800×600 window and at the
// usual size: a long name, and what is there already after it, ended in
// "…" on a line of its own; it wraps in a taller row instead.
func TestPackingListShowsEachLineWhole(t *testing.T) {
	shop := longShop(t)
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		u, w := newTestUI(t, shop, Options{})
		w.Resize(size)
		v := u.showPack(nil)
		layOut(w.Canvas().Overlays().Top())
		if len(v.lines) == 0 {
			t.Fatal("nothing to pack")
		}
		found := false
		walk(v.list, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && o.Visible() && strings.Contains(l.Text, bigCode) {
				found = true
				assertShownWhole(t, size, l)
			}
			return o.Visible()
		})
		if !found {
			t.Errorf("at %v the packing list shows no %s:\n%s", size, bigCode, texts(v.list))
		}
	}
}

// With a code of twenty letters and more in the list, the SKU list keeps
// Status, Available, Cover and Per day in view in an 800×600 window
// without scrolling sideways: the Code column, widened for the code, had
// pushed Per day past the table's edge. The code gives way instead,
// whole in the SKU's detail. The figures show whole: a rate of 1071.32 a
// day read "1071.…".
func TestALongCodeLeavesTheSKUColumnsInView(t *testing.T) {
	u, w := newTestUI(t, longShop(t), Options{Screen: "skus"})
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		w.Resize(size)
		layOut(w.Content())
		_, tableRight := absX(u.skus.table)
		for _, title := range []string{"Code", "Name", "Status", "Available", "Cover", "Per day"} {
			if _, right := absX(headerButton(t, u, title)); right > tableRight+0.5 {
				t.Errorf("at %v the %s column ends at %.0f, past the table's edge at %.0f", size, title, right, tableRight)
			}
		}
		assertFiguresWhole(t, size, "SKU list", u.skus.table, "40006", "1071.32")
	}
}

// Two codes of 40 letters, the longest a code may be, that differ only
// at their end read apart in the SKU list at 800×600, cut in the middle:
// cut at the end, both read "FERN-PRINT-A4-BLUE-L…". A short code shows
// whole, and a long one whole in the SKU's detail.
func TestTwoLongCodesReadApartInTheSKUList(t *testing.T) {
	shop := stockedShop(t)
	codes := []string{"FERN-PRINT-A4-BLUE-LINEN-2026-LIMITED-01", "FERN-PRINT-A4-BLUE-LINEN-2026-LIMITED-02"}
	for _, code := range codes {
		mustSKU(t, shop, code, "Fern print", domain.PathPrint, "Print Hub", 1200)
	}
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	w.Resize(smallWindow)
	layOut(w.Content())
	u.skus.table.Refresh()
	readApart(t, "SKU", u.skus.table, append(codes, "MUG"))
	u.openSKU(codes[1])
	if got := u.skus.detail.heading.Text; !strings.HasPrefix(got, codes[1]+" ") {
		t.Errorf("%s's detail reads %q, want the code whole", codes[1], got)
	}
}

// A batch of a factory named at length, and the factory itself, open in
// an 800×600 window without widening it, the name whole: the headings
// ("100000 × HANDTHROWN-MUG-XL-BLUE from Guangzhou…", the factory's
// name) kept to one line and widened the window past the screen's edge,
// 1237 wide, with the detail's right side out of sight.
func TestALongFactoryNameKeepsTheDetailsInTheWindow(t *testing.T) {
	shop := longShop(t)
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		u, w := newTestUI(t, shop, Options{Screen: "batches"})
		w.Resize(size)
		var b domain.Batch
		for _, x := range must[[]domain.Batch](t)(shop.Batches(context.Background(), false)) {
			if x.SKU == bigCode {
				b = x
			}
		}
		u.batches.detail.show(b, testNow.UnixMilli())
		u.batches.md.showDetail()
		layOut(w.Content())
		fits(t, size, w, "a batch of "+longFactory)
		assertShownWhole(t, size, u.batches.detail.heading)
		assertShownWhole(t, size, u.batches.detail.facts["Factory"])

		u.show(screenIndex("factories"))
		u.factories.reveal(longFactory)
		u.factories.showSelected()
		layOut(w.Content())
		fits(t, size, w, longFactory)
		assertShownWhole(t, size, u.factories.heading)
	}
}

// fits fails unless the window's content fits a window of size.
func fits(t *testing.T, size fyne.Size, w fyne.Window, what string) {
	t.Helper()
	if got := w.Canvas().Content().MinSize(); got.Width > size.Width || got.Height > size.Height {
		t.Errorf("with %s shown the window needs %v, more than %v", what, got, size)
	}
}

// The return rates name each factory whole in an 800×600 window and at
// the usual size, a long name wrapping in a taller row: "Guangzhou P…"
// and "Kowloon Bay I…" were all the table said of which factory a rate
// was.
func TestReturnRatesNameEachFactoryWhole(t *testing.T) {
	shop := longShop(t)
	if _, err := shop.RecordReturn(context.Background(), app.Return{Code: bigCode, Qty: 1, Reason: domain.ReturnReasons()[0]}); err != nil {
		t.Fatal(err)
	}
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		u, w := newTestUI(t, shop, Options{Screen: "returns"})
		w.Resize(size)
		layOut(w.Content())
		// Beside the return form at 800×600 the column is narrower than
		// "Manufacturing": a word that long breaks, but no letter is lost.
		walk(u.returns.numbers, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && o.Visible() && strings.Contains(l.Text, " ") {
				unspaced := func(s string) string { return strings.ReplaceAll(s, " ", "") }
				if got := strings.Join(shownLines(l), ""); unspaced(got) != unspaced(l.Text) {
					t.Errorf("at %v the return rates show %q of %q", size, got, l.Text)
				}
				if got, room := l.MinSize().Height, l.Size().Height; got > room+0.5 {
					t.Errorf("at %v %q needs %.0f high and gets %.0f", size, l.Text, got, room)
				}
			}
			return o.Visible()
		})
	}
}

// Batches of two codes of 40 letters that differ only at their end read
// apart in the Batches list at 800×600, cut in the middle as in the SKU
// list: cut at the end, both read "FERN-PRINT-A4-BLUE-L…".
func TestTwoLongCodesReadApartInTheBatchesList(t *testing.T) {
	shop := stockedShop(t)
	codes := []string{"FERN-PRINT-A4-BLUE-LINEN-2026-LIMITED-01", "FERN-PRINT-A4-BLUE-LINEN-2026-LIMITED-02"}
	for _, code := range codes {
		mustSKU(t, shop, code, "Fern print", domain.PathPrint, "Print Hub", 1200)
		if _, err := shop.OrderBatch(context.Background(), app.Order{Code: code, Qty: 20}); err != nil {
			t.Fatal(err)
		}
	}
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	w.Resize(smallWindow)
	layOut(w.Content())
	u.batches.table.Refresh()
	readApart(t, "Batches", u.batches.table, codes)
}

// readApart checks that the list shows each of codes as drawn: whole, or
// cut in the middle, its start and its end kept.
func readApart(t *testing.T, list string, table fyne.CanvasObject, codes []string) {
	t.Helper()
	var shown []string // as drawn, cut or not
	walk(table, func(o fyne.CanvasObject) bool {
		if x, ok := o.(*canvas.Text); ok {
			shown = append(shown, x.Text)
		}
		return o.Visible()
	})
	for _, code := range codes {
		head, tail := code[:3], code[len(code)-3:]
		if !slices.ContainsFunc(shown, func(s string) bool {
			return s == code || strings.HasPrefix(s, head) && strings.HasSuffix(s, tail) && strings.Contains(s, "…")
		}) {
			t.Errorf("the %s list shows:\n%s\nwant %s, or its start and its end %s", list, strings.Join(shown, "\n"), code, tail)
		}
	}
}
