package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// The return that pauses a factory says so under the form: it paused the
// factory without a word, and the maker learnt of it only on Today.
func TestAReturnThatPausesAFactorySaysSoUnderTheForm(t *testing.T) {
	shop := stockedShop(t)                // Clay Works sold 18 mugs and 5 candles over the last month
	mustSell(t, shop, "MUG", 10, day(-1)) // 33 sold: 1 defect back is over 3 %
	u, _ := newTestUI(t, shop, Options{Screen: "returns"})
	s := u.returns
	s.code.SetText("MUG")
	s.qty.SetText("1")
	for _, choice := range s.reason.Options {
		if strings.HasPrefix(choice, string(domain.ReturnReason("defect"))+" ") {
			s.reason.SetSelected(choice)
		}
	}
	if err := s.record(); err != nil {
		t.Fatal(err)
	}
	if got := s.done.Text; !strings.Contains(got, "Factory Clay Works is now paused") {
		t.Errorf("after the return that took Clay Works over 3 %%: %q", got)
	}
	// Its detail offers Resume, not Pause… as well, and tells the rate
	// from the limit: 1 of 33 is 3.03 %, not "3.0 %, limit 3 %".
	u.openFactory("Clay Works")
	if !u.factories.pause.Hidden || u.factories.resume.Hidden {
		t.Errorf("Clay Works paused for quality: Pause… shown %v, Resume shown %v; want Resume alone", !u.factories.pause.Hidden, !u.factories.resume.Hidden)
	}
}

// Enter records a return from the keyboard, as the dialogs' forms do; in
// the code, where a scanner ends with it, it goes on to the quantity. It
// did nothing, and the form needed the mouse.
func TestEnterRecordsAReturn(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "returns"})
	s := u.returns
	w.Canvas().Focus(s.code)
	typeFocused(t, w, "MUG")
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.Canvas().Focused() != s.qty {
		t.Fatalf("Enter in the code left the focus on %T, want the quantity", w.Canvas().Focused())
	}
	s.reason.SetSelected(s.reason.Options[0])
	before := stockOf(t, shop, "MUG").OnHand
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(s.done.Text, "Recorded 1 × MUG") {
		t.Fatalf("Enter in the quantity: the form says %q, want the return recorded", s.done.Text)
	}
	if got := stockOf(t, shop, "MUG").OnHand; got != before {
		t.Errorf("a return not restocked changed MUG on hand from %d to %d", before, got)
	}
}

// The Returns screen opens with the cursor in the SKU code, as Sell opens
// in its search box, and a return recorded puts it back there for the
// next: the code typed (or scanned) on opening went nowhere, and after a
// return the cursor stayed in the emptied Refund.
func TestTheReturnsCursorWaitsInTheSKUCode(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{})
	u.showScreen(u.returns)
	s := u.returns
	if got := w.Canvas().Focused(); got != s.code {
		t.Fatalf("Returns opens with %T focused, want the SKU code", got)
	}
	typeFocused(t, w, "MUG")
	s.reason.SetSelected(s.reason.Options[0])
	w.Canvas().Focus(s.refund)
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(s.done.Text, "Recorded 1 × MUG") {
		t.Fatalf("Enter in the refund: the form says %q, want the return recorded", s.done.Text)
	}
	if got := w.Canvas().Focused(); got != s.code {
		t.Errorf("after a return the cursor is in %T, want the SKU code for the next", got)
	}
}

// Quality returns past 3 % before the factory has sold the units the
// pause needs say why no pause follows, beside the chart and on the
// factory's detail: the chart showed Clay Works past the limit and
// nothing was paused, without a word.
func TestQualityReturnsPastTheLimitBeforeThePauseCanJudgeSayWhy(t *testing.T) {
	shop := stockedShop(t) // Clay Works sold 18 mugs and 5 candles over the last month
	if _, err := shop.RecordReturn(context.Background(), app.Return{Code: "MUG", Qty: 1, Reason: "defect"}); err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, shop, Options{Screen: "returns"})
	const why = "past 3 %, but only 23 of the 30 units sold that the pause waits for"
	if got := u.returns.waits.Text; !u.returns.waits.Visible() || !strings.Contains(got, "Clay Works: quality returns are "+why+".") {
		t.Errorf("under the chart: %q (shown %v); want Clay Works' quality returns %s", got, u.returns.waits.Visible(), why)
	}
	if got := u.returns.waits.Text; strings.Contains(got, "Print Hub") {
		t.Errorf("under the chart: %q; want nothing of Print Hub, with no quality return", got)
	}
	u.openFactory("Clay Works")
	if got := u.factories.facts["Paused"].Text; !strings.HasPrefix(got, "no") || !strings.Contains(got, why) {
		t.Errorf("Clay Works' detail says paused %q; want no, and why: %s", got, why)
	}
	// Sold enough, it is paused: the note goes.
	mustSell(t, shop, "MUG", 10, day(-1))
	u.returns.load()
	if u.returns.waits.Visible() {
		t.Errorf("with 33 sold and Clay Works paused, under the chart: %q; want nothing", u.returns.waits.Text)
	}
}

// The factory whose quality returns a maker must act on heads the rates,
// worst first, whatever its name: sorted by name, the one past 3 % was the
// last row, below the fold at 800×600.
func TestFactoriesPastTheQualityLimitAreListedFirst(t *testing.T) {
	for _, tc := range []struct {
		name string
		// sold and quality returns per factory, the returns recorded
		// after the first sales and before the rest
		sold, later, defects map[string]int
		want                 []string
	}{{
		name:    "paused by its returns",
		sold:    map[string]int{"Anvil": 40, "Birch": 40, "Zinc Works": 40},
		defects: map[string]int{"Birch": 1, "Zinc Works": 3}, // 2.5 %, 7.5 %
		want:    []string{"Zinc Works", "Anvil", "Birch"},
	}, {
		name:    "paused, then diluted under the limit; past it on too few sold",
		sold:    map[string]int{"Anvil": 40, "Birch": 10, "Zinc Works": 30},
		later:   map[string]int{"Zinc Works": 10},
		defects: map[string]int{"Birch": 1, "Zinc Works": 1}, // 10 % of 10; 1 of 30 pauses, then 2.5 % of 40
		want:    []string{"Zinc Works", "Birch", "Anvil"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			shop := mustShop(t)
			for _, f := range []string{"Anvil", "Birch", "Zinc Works"} {
				code := strings.ToUpper(f[:3])
				mustFactory(t, shop, f, domain.KindMicrofactory, 10, true)
				mustSKU(t, shop, code, f+" bowl", domain.PathMicrofactory, f, 2000)
				mustCount(t, shop, code, 100, day(-30))
				mustSell(t, shop, code, tc.sold[f], day(-10))
				if n := tc.defects[f]; n > 0 {
					if _, err := shop.RecordReturn(context.Background(), app.Return{Code: code, Qty: n, Reason: "defect"}); err != nil {
						t.Fatal(err)
					}
				}
				if n := tc.later[f]; n > 0 {
					mustSell(t, shop, code, n, day(-1))
				}
			}
			u, w := newTestUI(t, shop, Options{Screen: "returns"})
			w.Resize(smallWindow.SubtractWidthHeight(0, 30))
			var got []string
			for row := range len(tc.want) {
				l := widget.NewLabel("")
				u.returns.numbers.UpdateCell(widget.TableCellID{Row: row, Col: 0}, l)
				got = append(got, l.Text)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("the rates list the factories %q; want %q", got, tc.want)
			}
		})
	}
}

// recordButton is the Returns screen's Record return button.
func recordButton(t *testing.T, u *UI) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(u.returns.obj, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "Record return" {
			found = b
		}
		return found == nil
	})
	if found == nil {
		t.Fatal("no Record return button on the Returns screen")
	}
	return found
}

// inSight reports whether o lies wholly within the screen's body, not
// below its foot where the window cuts it off or a scroll hides it.
func inSight(u *UI, o fyne.CanvasObject) bool {
	d := fyne.CurrentApp().Driver()
	top, p := d.AbsolutePositionForObject(u.returns.obj).Y, d.AbsolutePositionForObject(o).Y
	return o.Visible() && p >= top && p+o.Size().Height <= top+u.returns.obj.Size().Height
}

// At 800×600 the Returns form reads whole: the Batch and Refund fields'
// hints fit them, with no scrollbar under a cut placeholder; the Record return button
// stays in sight after the errors of a blank form push the fields down,
// where it went half off the window; and what was recorded shows without
// scrolling, where it came below the fold.
func TestTheReturnsFormWorksInASmallWindow(t *testing.T) {
	shop := stockedShop(t)
	// The desktop window's menu bar takes some 30 of its height; the test
	// window has none.
	for _, size := range []fyne.Size{smallWindow.SubtractWidthHeight(0, 30), fyne.NewSize(1280, 770)} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			u, w := newTestUI(t, shop, Options{Screen: "returns"})
			w.Resize(size)
			s := u.returns
			for _, f := range []struct {
				name string
				e    *fieldEntry
			}{{"Batch", s.batch}, {"Refund", s.refund}} {
				text := fyne.MeasureText(f.e.PlaceHolder, theme.TextSize(), fyne.TextStyle{}).Width
				if room := f.e.Size().Width - 2*theme.InnerPadding(); text > room {
					t.Errorf("the %s field's placeholder %q is %.0f wide in a field with %.0f for it", f.name, f.e.PlaceHolder, text, room)
				}
			}
			record := recordButton(t, u)
			test.Tap(record)
			if fieldError(t, s.form, "Reason") == "" {
				t.Fatal("a blank form says nothing under Reason")
			}
			if !inSight(u, record) {
				t.Errorf("after the blank form's errors, Record return is at %v, out of sight",
					fyne.CurrentApp().Driver().AbsolutePositionForObject(record))
			}
			// With the room, the fields grow with their errors down to the
			// button, rather than scroll in the height they had without.
			if scroll := s.fields.Objects[0].(*container.Scroll); size.Height > 600 && scroll.Size().Height < scroll.Content.MinSize().Height {
				t.Errorf("at %v after the errors, the fields scroll in %.0f of the %.0f they need", size, scroll.Size().Height, scroll.Content.MinSize().Height)
			}
			s.code.SetText("MUG")
			s.reason.SetSelected(s.reason.Options[0])
			s.restock.SetChecked(true)
			s.refund.SetText("5")
			test.Tap(record)
			if !strings.Contains(s.done.Text, "Recorded 1 × MUG") {
				t.Fatalf("after Record return the form says %q, want the return recorded", s.done.Text)
			}
			if !inSight(u, s.done) {
				t.Errorf("what was recorded, %q, is at %v, out of sight", s.done.Text,
					fyne.CurrentApp().Driver().AbsolutePositionForObject(s.done))
			}
		})
	}
}

// The Refund field says what leaving it empty means, and it means that:
// the margins count the sale price as paid back, and the close of the day,
// taking off what the till paid back, takes nothing off. It read "none",
// and a maker took an empty refund for no refund at all.
func TestTheRefundFieldSaysWhatEmptyMeans(t *testing.T) {
	shop := stockedShop(t)
	u, _ := newTestUI(t, shop, Options{Screen: "returns"})
	s := u.returns
	if got := s.refund.PlaceHolder; !strings.Contains(got, "sale price") {
		t.Errorf("the Refund field's placeholder reads %q; want what an empty refund counts as, the sale price", got)
	}
	if got := s.form.Items[slices.IndexFunc(s.form.Items, func(it *widget.FormItem) bool { return it.Text == "Refund" })].HintText; !strings.Contains(got, "the till paid back") || !strings.Contains(got, "0: exchange") {
		t.Errorf("the Refund field's hint reads %q; want it to say it is what the till paid back, and 0 for an exchange", got)
	}
	s.code.SetText("MUG")
	s.reason.SetSelected("changed-mind (buyer)")
	s.restock.SetChecked(true)
	if err := s.record(); err != nil {
		t.Fatal(err)
	}
	rows, err := shop.Margins(context.Background(), shop.AsOfNow(), domain.MarginWindowDays)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Code == "MUG" && r.Returns != 2400 {
			t.Errorf("a MUG back on the shelf with the refund empty: its margin's returns are %s, want the sale price, 24.00", r.Returns)
		}
	}
	if d, err := shop.Day(context.Background(), shop.Now()); err != nil || d.Refunds != 0 {
		t.Errorf("with the refund empty the day's refunds are %v (%v), want none off the till", d.Refunds, err)
	}
	// The note after it says so: a maker who paid the sale price back from
	// the cash box, reading "empty: the sale price", found the close of the
	// day's cash too high, and nothing had told them why.
	if got := s.done.Text; !strings.Contains(got, "no refund taken off the till") {
		t.Errorf("a return recorded with the refund empty says %q; want that no refund was taken off the till", got)
	}
}

// A reason's error goes once a reason is chosen: any choice is a valid
// one, and "choose a reason" stayed below it in grey, as if still owed.
func TestAReturnsReasonErrorGoesOnceChosen(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "returns"})
	w.Resize(smallWindow.SubtractWidthHeight(0, 30))
	s := u.returns
	test.Tap(recordButton(t, u))
	line := s.form.msgs[slices.IndexFunc(s.form.Items, func(it *widget.FormItem) bool { return it.Text == "Reason" })]
	if !line.Visible() {
		t.Fatal("a blank form says nothing under Reason")
	}
	s.reason.SetSelected(s.reason.Options[0])
	if line.Visible() {
		t.Errorf("with a reason chosen, %q still shows under it", line.Text)
	}
	if fieldError(t, s.form, "SKU") == "" {
		t.Error("choosing a reason took the SKU's error with it")
	}
}

// No share beside a bar is struck through by the 3 % line: at the width
// the chart has beside the form at 800×600, "2.6 %" and "0.0 %" crossed it.
func TestRateChartSharesClearTheLimitLine(t *testing.T) {
	test.NewTempApp(t)
	c := newRateChart()
	c.set([]app.FactoryReturns{
		{Factory: "Clay Works", Sold: 1000, Quality: 26, Logistics: 0, Buyer: 29},
		{Factory: "Print Hub", Sold: 1000, Quality: 0, Logistics: 28, Buyer: 60},
	})
	for _, width := range []float32{250, 340, 600} {
		c.Resize(fyne.NewSize(width, c.MinSize().Height))
		var line *canvas.Line
		var texts []*canvas.Text
		for _, o := range test.WidgetRenderer(c).Objects() {
			switch o := o.(type) {
			case *canvas.Line:
				if o.StrokeWidth == 2 {
					line = o
				}
			case *canvas.Text:
				texts = append(texts, o)
			}
		}
		if line == nil {
			t.Fatalf("at %.0f wide the chart draws no limit line", width)
		}
		x := line.Position1.X
		for _, txt := range texts {
			if txt.Position().Y >= line.Position2.Y || !strings.HasSuffix(txt.Text, "%") {
				continue // the axis's labels, below the bars
			}
			if left, right := txt.Position().X, txt.Position().X+txt.MinSize().Width; left < x+1 && right > x-1 {
				t.Errorf("at %.0f wide %q spans %.0f–%.0f, across the limit line at %.0f", width, txt.Text, left, right, x)
			}
		}
	}
}

// Widened from 800×600, the form's button follows the fields up as their
// text wraps to fewer lines: it stood apart, below a gap as high as the
// lines the narrow window had needed.
func TestTheReturnsButtonFollowsTheFieldsAsTheWindowWidens(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "returns"})
	w.Resize(smallWindow)
	w.Resize(fyne.NewSize(1280, 770))
	scroll := u.returns.fields.Objects[0].(*container.Scroll)
	if got, want := scroll.Size().Height, scroll.Content.MinSize().Height; got != want {
		t.Errorf("at 1280×770 the fields take %.0f high, want the %.0f they need, with the button under them", got, want)
	}
}

// Every column of the return rates shows whole, without scrolling
// sideways: beside the form in an 800×600 window, Buyer was past the
// table's edge. There the table keeps what decides a factory's pause
// (the chart above shows every class's share); with room, all six. Where
// the rates' markers widen their column, the number of quality returns
// gives way there, rather than the names.
func TestTheReturnRatesColumnsShowWhole(t *testing.T) {
	all := []string{"Factory", "Sold", "Quality", "Logistics", "Buyer", "Quality rate"}
	for _, c := range []struct {
		shop func(*testing.T) *app.Shop
		size fyne.Size
		want []string
	}{
		// The desktop window's menu bar takes some 30 of its height.
		{goldenShop, smallWindow.SubtractWidthHeight(0, 30), []string{"Factory", "Sold", "Quality", "Quality rate"}},
		{manyFactoriesShop, smallWindow.SubtractWidthHeight(0, 30), []string{"Factory", "Sold", "Quality rate"}},
		{manyFactoriesShop, fyne.NewSize(1280, 994), all},
	} {
		t.Run(fmt.Sprint(c.size), func(t *testing.T) {
			u, w := newTestUI(t, c.shop(t), Options{Screen: "returns"})
			w.Resize(c.size)
			table := u.returns.numbers
			d := fyne.CurrentApp().Driver()
			left := d.AbsolutePositionForObject(table).X
			right := left + table.Size().Width
			var shown []string
			walk(table, func(o fyne.CanvasObject) bool {
				if l, ok := o.(*widget.Label); ok && o.Visible() && l.TextStyle.Bold && slices.Contains(all, l.Text) {
					shown = append(shown, l.Text)
					if x := d.AbsolutePositionForObject(l).X; x < left || x+l.Size().Width > right+0.5 {
						t.Errorf("the %s column spans %.0f–%.0f, past the table's %.0f–%.0f", l.Text, x, x+l.Size().Width, left, right)
					}
				}
				return o.Visible()
			})
			if !slices.Equal(shown, c.want) {
				t.Errorf("the table's columns are %q, want %q", shown, c.want)
			}
		})
	}
}

// Each row the rates list first says why in a word, beside its rate in the
// table and under its name in the chart: paused for quality (by its
// returns, or by a pause that holds under the limit since), or past 3 % on
// too few sold to pause; a maker compared each rate with 3 % in their
// head. Every rate shows with the same decimals, "3.03 %" stood beside
// "0.0 %", and at 800×600 neither marker nor name is cut further: the
// names have the room they had.
func TestTheReturnRatesMarkTheFactoriesListedFirst(t *testing.T) {
	shop := mustShop(t)
	for _, f := range []struct {
		name                string
		sold, defect, later int
	}{
		{"Anvil", 40, 0, 0},
		{"Birch", 10, 1, 0},                                 // 10 % of 10 sold: past 3 %, too few to pause
		{"Clay Works of the Long Valley", 33, 1, 0},         // 3.03 %: paused
		{"Zinc Works of the Long Valley", 30, 1, 10},        // paused at 1 of 30, then 2.5 % of 40: the pause holds
		{"Oak Tree Workshop of the Long Valley", 100, 2, 0}, // 2 %
	} {
		code := strings.ToUpper(f.name[:3])
		mustFactory(t, shop, f.name, domain.KindMicrofactory, 10, true)
		mustSKU(t, shop, code, f.name+" bowl", domain.PathMicrofactory, f.name, 2000)
		mustCount(t, shop, code, 200, day(-30))
		mustSell(t, shop, code, f.sold, day(-10))
		if f.defect > 0 {
			if _, err := shop.RecordReturn(context.Background(), app.Return{Code: code, Qty: f.defect, Reason: "defect"}); err != nil {
				t.Fatal(err)
			}
		}
		if f.later > 0 {
			mustSell(t, shop, code, f.later, day(-1))
		}
	}
	u, w := newTestUI(t, shop, Options{Screen: "returns"})
	w.Resize(smallWindow.SubtractWidthHeight(0, 30))
	s := u.returns
	want := [][2]string{
		{"Clay Works of the Long Valley", "3.03 % paused"},
		{"Zinc Works of the Long Valley", "2.50 % paused"},
		{"Birch", "10.00 % past 3 %"},
		{"Anvil", "0.00 %"},
		{"Oak Tree Workshop of the Long Valley", "2.00 %"},
	}
	rate := slices.Index(s.columns, rateCol)
	if rate < 0 {
		t.Fatalf("the table shows the columns %v, without the quality rate", s.columns)
	}
	for row, w := range want {
		name, share := widget.NewLabel(""), widget.NewLabel("")
		s.numbers.UpdateCell(widget.TableCellID{Row: row, Col: 0}, name)
		s.numbers.UpdateCell(widget.TableCellID{Row: row, Col: rate}, share)
		if name.Text != w[0] || share.Text != w[1] {
			t.Errorf("row %d: %q, %q; want %q, %q", row+1, name.Text, share.Text, w[0], w[1])
		}
	}
	// As drawn at 800×600: the rates and their markers whole.
	walk(s.numbers, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && o.Visible() && strings.Contains(l.Text, " %") && l.Truncation != fyne.TextTruncateOff {
			t.Errorf("the rate %q is cut in a cell %.0f wide", l.Text, l.Size().Width)
		}
		return o.Visible()
	})
	// The chart says so under each name, with its units sold, and its
	// shares have the table's decimals.
	var texts []string
	for _, o := range test.WidgetRenderer(s.chart).Objects() {
		if txt, ok := o.(*canvas.Text); ok {
			texts = append(texts, txt.Text)
		}
	}
	for _, w := range []string{"33 sold", " · paused", "10 sold", " · past 3 %", "3.03 %", "0.00 %", "10.00 %"} {
		if !slices.Contains(texts, w) {
			t.Errorf("the chart draws no %q: %q", w, texts)
		}
	}
	if n := strings.Count(strings.Join(texts, "|"), " · paused"); n != 2 {
		t.Errorf("the chart marks %d factories paused; want 2, Clay Works and Zinc Works", n)
	}
	// The names have the room they have with no marker.
	plain, pw := newTestUI(t, goldenShop(t), Options{Screen: "returns"})
	pw.Resize(smallWindow.SubtractWidthHeight(0, 30))
	if got, was := nameRoom(t, s), nameRoom(t, plain.returns); got < was {
		t.Errorf("at 800×600 the names have %.0f beside the markers; %.0f without", got, was)
	}
}

// nameRoom is how wide the table's Factory column is.
func nameRoom(t *testing.T, s *returnsScreen) float32 {
	t.Helper()
	var w float32
	walk(s.numbers, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && o.Visible() && l.TextStyle.Bold && l.Text == "Factory" {
			w = l.Size().Width
		}
		return o.Visible()
	})
	if w == 0 {
		t.Fatal("no Factory column on screen")
	}
	return w
}

// An entry's error shows once the maker leaves the field, or presses
// Record return, never while they are still typing in it: a grey error
// stood under what was being typed. A field left untouched says nothing;
// Record return with a blank form still says everything.
func TestAReturnsEntryErrorWaitsTillTheFieldIsLeft(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "returns"})
	w.Resize(smallWindow.SubtractWidthHeight(0, 30))
	s := u.returns
	c := w.Canvas()
	line := func(label string) *widget.Label {
		return s.form.msgs[slices.IndexFunc(s.form.Items, func(it *widget.FormItem) bool { return it.Text == label })]
	}
	y := func(o fyne.CanvasObject) float32 { return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y }

	// Typing a quantity that is no number: nothing yet; left, it is said.
	c.Focus(s.qty)
	typeFocused(t, w, "two")
	if l := line("Quantity"); l.Visible() {
		t.Errorf("while a quantity is typed, %q shows under it", l.Text)
	}
	c.Focus(s.refund) // the refund is left untouched
	if got := fieldError(t, s.form, "Quantity"); got == "" {
		t.Error("the quantity \"two\" left says nothing under it")
	}
	c.Focus(s.batch)
	if l := line("Refund"); l.Visible() {
		t.Errorf("the refund left untouched says %q", l.Text)
	}

	// A blank form's Record return says every error.
	s.qty.SetText("1")
	test.Tap(recordButton(t, u))
	for _, label := range []string{"SKU", "Reason"} {
		if fieldError(t, s.form, label) == "" {
			t.Errorf("Record return with a blank form says nothing under %s", label)
		}
	}

	// Typing the code takes its error away, grey or not, and keeps its
	// room, so nothing below moves under the pointer; left with a code,
	// the room goes.
	c.Focus(s.code)
	qty := y(s.qty)
	typeFocused(t, w, "MUG")
	if l := line("SKU"); l.Visible() {
		t.Errorf("while the code is typed, %q shows under it", l.Text)
	}
	if got := y(s.qty); got != qty {
		t.Errorf("typing the code moved Quantity from %.0f to %.0f", qty, got)
	}
	c.Focus(s.qty)
	if l := line("SKU"); l.Visible() {
		t.Errorf("the code MUG left says %q under it", l.Text)
	}
	if got := y(s.qty); got >= qty {
		t.Errorf("with the code's error gone, Quantity stays at %.0f, want it up from %.0f", got, qty)
	}
	if fieldError(t, s.form, "Reason") == "" {
		t.Error("leaving the code took the reason's error with it")
	}
}

// Ctrl+F on Returns puts the cursor in the SKU code, the screen's way to
// find what came back, as it puts it in the search or filter box of Sell
// and SKUs: on Returns it did nothing.
func TestCtrlFOnReturnsFocusesTheSKUCode(t *testing.T) {
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "returns"})
	w.Canvas().Focus(u.returns.qty)
	u.focusSearch()
	if got := w.Canvas().Focused(); got != u.returns.code {
		t.Errorf("after Ctrl+F on Returns the cursor is in %T, want the SKU code", got)
	}
}

// Find (Ctrl+F, or Go ▸ Find…) on a screen with no search box of its own
// goes to the SKUs list with the cursor in its filter, and on a SKU's page
// goes back to that list: on Today it did nothing, and on a SKU's page it
// put the cursor in the hidden filter, so what was typed went unseen.
func TestFindWithNoSearchBoxHereGoesToTheSKUFilter(t *testing.T) {
	for _, screen := range []string{"today", "batches", "factories", "sync", "skus"} {
		t.Run(screen, func(t *testing.T) {
			u, w := newTestUI(t, stockedShop(t), Options{Screen: screen})
			if screen == "skus" {
				u.skus.showDetail("MUG")
			}
			u.focusSearch()
			if u.currentScreen() != u.skus || w.Canvas().Focused() != u.skus.filterEntry {
				t.Fatalf("after Find on %s: screen %q, cursor in %T; want the SKUs filter", screen, u.currentScreen().title(), w.Canvas().Focused())
			}
			if !u.skus.filterEntry.Visible() || !u.skus.md.list.Visible() {
				t.Errorf("after Find on %s the SKUs filter is hidden; want the list shown", screen)
			}
		})
	}
}

// After a refusal, and after it clears, the help text above Record return
// reads whole where the window has the room: the fields' scroll was
// measured before the refusal's line had its width, one line short, and
// cut the help text's last line while the room below the button stayed
// empty.
func TestTheReturnsHelpTextShowsWholeAfterARefusal(t *testing.T) {
	// The desktop's default window less its menu bar, grown till the form
	// fits it.
	u, w := newTestUI(t, stockedShop(t), Options{Screen: "returns"})
	w.Resize(fyne.NewSize(1000, 770))
	s := u.returns
	scroll := s.fields.Objects[0].(*container.Scroll)
	help := scroll.Content.(*fyne.Container).Objects[1]
	whole := func(when string) {
		t.Helper()
		bottom := help.Position().Y + help.MinSize().Height
		if help.Size().Height < help.MinSize().Height || bottom > scroll.Size().Height {
			t.Errorf("%s, the help text above Record return ends %.0f down in fields %.0f high (it is %.0f of the %.0f high it needs); "+
				"the foot has %.0f to spare", when, bottom, scroll.Size().Height, help.Size().Height, help.MinSize().Height,
				s.fields.Size().Height-s.fields.Objects[1].Position().Y-s.fields.Objects[1].Size().Height)
		}
	}
	whole("at first")
	s.code.SetText("NOPE")
	s.reason.SetSelected(s.reason.Options[0])
	test.Tap(recordButton(t, u))
	if !strings.Contains(s.form.problem.Text, "NOPE") {
		t.Fatalf("Record return with an unknown SKU says %q", s.form.problem.Text)
	}
	whole("after the refusal")
	s.code.SetText("MUG")
	test.Tap(recordButton(t, u))
	if s.form.problem.Visible() {
		t.Fatalf("the refusal %q stays after a return is recorded", s.form.problem.Text)
	}
	whole("after the refusal cleared")
}

// A Refund of 0 records an exchange: nothing paid back, so the mug's
// margins lose nothing, where an empty Refund counts it at its sale
// price. A 0 read as no refund named took 24.00 off MUG's contribution
// that never left the till.
func TestAReturnWithARefundOf0PaysNothingBack(t *testing.T) {
	for _, typed := range []string{"0", "0.00"} {
		t.Run(typed, func(t *testing.T) {
			shop := stockedShop(t)
			u, w := newTestUI(t, shop, Options{Screen: "returns"})
			s := u.returns
			before := marginOf(t, shop, "MUG")
			s.code.SetText("MUG")
			s.reason.SetSelected("wrong-size (buyer)")
			s.restock.SetChecked(true)
			s.refund.SetText(typed)
			tapButton(t, w, "Record return")
			if !strings.Contains(s.done.Text, "back in stock, nothing paid back") {
				t.Errorf("the confirmation says %q; want back in stock, nothing paid back", s.done.Text)
			}
			if after := marginOf(t, shop, "MUG"); after.Returns != before.Returns {
				t.Errorf("MUG's margins after an exchange: %+v; before it %+v; want no refund counted", after, before)
			}
		})
	}
}

// marginOf is a SKU's row of the margins over the last 90 days.
func marginOf(t *testing.T, shop *app.Shop, code string) app.MarginRow {
	t.Helper()
	rows, err := shop.Margins(context.Background(), shop.AsOfNow(), 90)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("no margins row for %s", code)
	return app.MarginRow{}
}
