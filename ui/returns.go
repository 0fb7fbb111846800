package ui

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// returnsScreen records returns and shows return rates by factory and
// reason class over the last 90 days, against the 3 % limit.
type returnsScreen struct {
	u   *UI
	obj fyne.CanvasObject
	gen int

	code    *fieldEntry
	qty     *fieldEntry
	reason  *widget.Select
	batch   *fieldEntry
	restock *widget.Check
	refund  *fieldEntry    // what the till paid back; empty: the sale price (margins)
	payment *widget.Select // how it was paid back
	form    *fieldForm
	fields  *fyne.Container // the form's scroll with the foot under it
	submit  *widget.Button  // below the fields' scroll, always in sight
	done    *widget.Label   // what was recorded, above the button

	chart   *rateChart
	waits   *widget.Label     // why quality returns past the limit pause nothing yet
	waitBox *container.Scroll // waits, scrolling when cut
	numbers *widget.Table
	columns []int           // the columns of rateColumns the table shows
	fit     *columnsLayout  // sizes and drops the table's columns
	fitBox  *fyne.Container // the table, laid out by fit
	box     *fyne.Container
	rates   []app.FactoryReturns
	// decimals every rate of the table shows with, as the chart's do
	// (app.RateDecimals): "3.03 %" stood beside "2.0 %".
	decimals int
}

func newReturnsScreen(u *UI) *returnsScreen { return &returnsScreen{u: u} }

func (s *returnsScreen) title() string       { return "Returns" }
func (s *returnsScreen) icon() fyne.Resource { return theme.MailReplyIcon() }

// reasonChoice is a reason as the select shows it: with its class.
func reasonChoice(r domain.ReturnReason) string {
	return fmt.Sprintf("%s (%s)", r, r.Class())
}

func (s *returnsScreen) content() fyne.CanvasObject {
	if s.obj != nil {
		return s.obj
	}
	s.code = newFieldEntry()
	s.code.SetPlaceHolder("SKU code")
	s.qty = newFieldEntry()
	s.qty.SetText("1")
	var choices []string
	for _, r := range domain.ReturnReasons() {
		choices = append(choices, reasonChoice(r))
	}
	// The reason's error leaves once one is chosen (clearOnChoice), and
	// the fields' scroll takes the room it leaves.
	s.reason = widget.NewSelect(choices, func(string) { s.fields.Refresh() })
	s.reason.PlaceHolder = "(why it came back)"
	s.batch = newFieldEntry()
	// The field is too narrow at 800×600 for the whole hint as a
	// placeholder: cut, it scrolled, with a scrollbar under it.
	s.batch.SetPlaceHolder("optional")
	batch := widget.NewFormItem("Batch", s.batch)
	batch.HintText = "id, or its last 6 characters"
	s.restock = widget.NewCheck("Back on the shelf", nil)
	restock := widget.NewFormItem("Restock", s.restock)
	restock.HintText = "it can be sold again"
	s.refund = newFieldEntry()
	// An empty refund is no "none": the margins count the sale price as
	// paid back (domain.UnitEconomics), though the till gives nothing; 0
	// is an exchange, nothing paid back.
	s.refund.SetPlaceHolder("empty: the sale price")
	refund := widget.NewFormItem("Refund", s.refund)
	refund.HintText = "the till paid back; 0: exchange"
	payments := make([]string, len(domain.Payments))
	for i, p := range domain.Payments {
		payments[i] = string(p)
	}
	s.payment = widget.NewSelect(payments, nil)
	s.payment.SetSelected(string(domain.PaymentCash))
	s.form = newFieldForm(
		widget.NewFormItem("SKU", s.code),
		widget.NewFormItem("Quantity", s.qty),
		widget.NewFormItem("Reason", s.reason),
		batch,
		restock,
		refund,
		widget.NewFormItem("Paid by", s.payment),
	)
	// Enter records the return, as in the dialogs' forms; in the code,
	// where a scanner ends with it, it goes on to the quantity instead.
	s.code.OnSubmitted = func(string) { s.u.win.Canvas().Focus(s.qty) }
	for _, e := range []*widget.Entry{&s.qty.Entry, &s.batch.Entry, &s.refund.Entry} {
		e.OnSubmitted = func(string) { s.onSubmit() }
	}
	s.submit = widget.NewButtonWithIcon("Record return", theme.ConfirmIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	s.done = widget.NewLabel("")
	s.done.Wrapping = fyne.TextWrapWord
	s.done.Hide()
	classes := widget.NewLabel("Quality returns count against the factory: above 3 % of its units sold in 90 days (from 30 sold) it is paused. " +
		"Logistics returns above 3 % of a SKU's sales ask for better packaging. Buyer returns count against nobody.")
	classes.Wrapping = fyne.TextWrapWord
	// The fields scroll; what was recorded and the button stay below them
	// in sight. At 800×600 the errors of a blank form pushed the button
	// off the window, and what was recorded came below the fold.
	foot := container.NewVBox(s.done, container.NewBorder(nil, nil, nil, s.submit))
	fields := container.NewVScroll(container.NewVBox(s.form.obj, classes))
	s.fields = container.New(&footUnder{fields}, fields, foot)
	// An entry's error shows once it is left, or at Record return; while it
	// is typed in, nothing: a grey error stood under what was being typed.
	s.form.checkOnLeave(func() error {
		_, err := s.check()
		return err
	}, s.fields.Refresh)
	record := section("Record a return", "", s.fields)

	s.chart = newRateChart()
	s.waits = widget.NewLabel("")
	s.waits.Wrapping = fyne.TextWrapWord
	s.waits.Importance = widget.WarningImportance
	s.waits.Hide()
	cols := make([]tableColumn, len(rateColumns))
	for i, c := range rateColumns {
		cols[i] = c.tableColumn
		s.columns = append(s.columns, i)
	}
	s.numbers = s.newTable()
	// The chart grows a row per factory: it scrolls above the table
	// rather than set the window's height; why a factory past the limit is
	// not paused stays in sight below it.
	s.waitBox = container.NewVScroll(s.waits)
	s.waitBox.Hide()
	top := container.New(&noteUnder{note: s.waits, box: s.waitBox}, container.NewVScroll(s.chart), s.waitBox)
	s.fitBox, s.fit = fitColumnsDropping(s.numbers, cols, rateDrop, func(shown []int) {
		s.columns = shown
		s.numbers.Refresh()
	})
	s.fit.sized = func([]float32) { s.fitRows() }
	chart := container.NewVSplit(top, s.fitBox)
	chart.Offset = 0.6
	s.box = container.NewStack(chart)
	rates := section("Return rates, last 90 days", "Share of units sold that came back; factories paused or past 3 % first.", s.box)
	split := container.NewHSplit(record, rates)
	split.Offset = 0.38
	s.obj = screenLayout("Returns", nil, split)
	return s.obj
}

// onSubmit records the return the form holds, or says under its fields
// what is wrong with them.
func (s *returnsScreen) onSubmit() {
	err := s.record()
	if err != nil {
		s.done.SetText("")
		s.done.Hide()
	}
	s.report(err)
}

// report shows err under the form's fields, or clears them, and lays the
// fields out again: the desktop does so by itself only when what the
// screen needs changes, and a scroll needs no more whatever it holds.
func (s *returnsScreen) report(err error) {
	s.form.report(err)
	s.fields.Refresh()
}

// check reads the return the form holds, or what is wrong with its fields.
func (s *returnsScreen) check() (app.Return, error) {
	in := app.Return{Code: strings.TrimSpace(s.code.Text), BatchID: strings.TrimSpace(s.batch.Text), Restock: s.restock.Checked}
	bad := fieldErrors{}
	if in.Code == "" {
		bad.add(s.code, domain.Errorf(domain.EInvalid, "the SKU code is empty; type the code of the returned SKU"))
	}
	var err error
	in.Qty, err = parseQty(s.qty.Text)
	bad.add(s.qty, err)
	if s.reason.Selected == "" {
		bad.add(s.reason, domain.Errorf(domain.EInvalid, "choose a reason for the return; the reason decides who must act"))
	} else {
		reason, _, _ := strings.Cut(s.reason.Selected, " ")
		in.Reason, err = domain.ParseReturnReason(reason)
		bad.add(s.reason, err)
	}
	// A refund the desktop could not record left the close of the day's
	// cash too high by every refund paid out at the stall.
	refund, err := parseMoneyOpt(s.refund.Text, s.u.info.Currency)
	bad.add(s.refund, err)
	// A refund of 0 is typed for an exchange: nothing paid back, where an
	// empty one leaves the margins to count the units at the sale price.
	if refund != nil {
		in.Refund, in.Payment, in.NoRefund = *refund, domain.Payment(s.payment.Selected), *refund == 0
	}
	return in, bad.orNil()
}

func (s *returnsScreen) record() error {
	in, err := s.check()
	if err != nil {
		return err
	}
	// What is odd about a return (more back than were ever sold, a refund
	// above what was paid) is asked about before it is recorded: a return has
	// no undo, and a mistyped 500 went on the shelf with a warning after.
	in.DryRun = true
	check, err := s.u.shop.RecordReturn(s.u.ctx, in)
	if err != nil {
		return err
	}
	in.DryRun = false
	if len(check.Warnings) > 0 {
		var msg []string
		for _, w := range check.Warnings {
			msg = append(msg, sentence(w))
		}
		s.u.ask("Record this return?", strings.Join(msg, " "), "Record it", "Cancel", func() {
			s.report(s.recordChecked(in))
		})
		return nil
	}
	return s.recordChecked(in)
}

// recordChecked records a return checked already, says so under the form
// and empties it for the next.
func (s *returnsScreen) recordChecked(in app.Return) error {
	res, err := s.u.shop.RecordReturn(s.u.ctx, in)
	if err != nil {
		return err
	}
	what := "not restocked"
	if in.Restock {
		what = "back in stock"
	}
	switch {
	case in.Refund > 0:
		what += fmt.Sprintf(", %s %s paid back by %s", in.Refund.Format(s.u.info.Currency), s.u.info.Currency, in.Payment)
	case in.NoRefund:
		what += ", nothing paid back"
	default:
		// An empty refund counts at the sale price in the margins, but
		// the close of the day takes nothing off the cash box for it.
		what += "; no refund taken off the till (type the refund to count it in the close of day)"
	}
	note := sentence(fmt.Sprintf("recorded %d × %s returned for %s, %s", in.Qty, res.Code, in.Reason, what))
	for _, w := range res.Warnings {
		note += "\nWarning: " + sentence(w)
	}
	for _, n := range res.PausedNotes {
		note += "\n" + sentence(n)
	}
	s.done.Importance = widget.MediumImportance
	if len(res.Warnings) > 0 {
		s.done.Importance = widget.WarningImportance
	}
	s.done.SetText(note)
	s.done.Show()
	s.code.SetText("")
	s.qty.SetText("1")
	s.batch.SetText("")
	s.refund.SetText("")
	s.reason.ClearSelected()
	s.restock.SetChecked(false)
	s.u.changed()
	// The next return starts at its code: the cursor stayed in the
	// emptied field Enter was pressed in.
	s.u.win.Canvas().Focus(s.code)
	return nil
}

func (s *returnsScreen) load() {
	s.content()
	s.gen++
	gen := s.gen
	s.u.run(func(ctx context.Context) (func(), error) {
		rates, err := s.u.shop.ReturnRates(ctx, s.u.shop.AsOfNow(), domain.ReturnWindowDays)
		if err != nil {
			return nil, err
		}
		return func() {
			if gen != s.gen {
				return
			}
			s.rates, s.decimals = rates, app.RateDecimals(rates)
			s.chart.set(rates)
			s.showWaits()
			s.fitRates()
			s.showNumbers()
			s.box.Refresh()
		}, nil
	})
}

var rateColumns = []struct {
	title string
	tableColumn
}{{"Factory", tableColumn{width: 165, flex: true}}, {"Sold", tableColumn{width: 55, flex: false}}, {"Quality", tableColumn{width: 65, flex: false}},
	{"Logistics", tableColumn{width: 75, flex: false}}, {"Buyer", tableColumn{width: 55, flex: false}}, {"Quality rate", tableColumn{width: 95, flex: false}}}

// rateDrop are the columns of rateColumns the table leaves out where all
// six do not fit, as beside the form in an 800×600 window, where Buyer was
// past the table's edge: Buyer first, as buyer returns count against
// nobody, then Logistics, whose rule is a SKU's, not a factory's, and asks
// only for better packaging. What decides a factory's pause stays: its
// units sold, its quality returns and their rate; and, where a rate's
// marker (rateCell) widens their column past what fits, the number of
// quality returns gives way, as units sold times the rate, rather than the
// factories' names, already cut at 800×600. The chart above shows every
// class's share for each factory at any width.
var rateDrop = []int{4, 3, 2}

// rateCol is the Quality rate column of rateColumns.
const rateCol = 5

// rateCell is a factory's quality rate in the table, with the word that
// says why it heads the list (app.FactoryReturns.QualityMark), "7.5 %
// paused", and its importance: a maker compared each rate with 3 % in
// their head.
func (s *returnsScreen) rateCell(r app.FactoryReturns) (string, widget.Importance) {
	text := r.RateText(r.Quality, s.decimals)
	switch mark := r.QualityMark(); mark {
	case app.MarkQualityPaused:
		return text + " " + mark, widget.DangerImportance
	case app.MarkPastLimit: // too few sold to pause: see waits
		return text + " " + mark, widget.WarningImportance
	}
	return text, widget.MediumImportance
}

// fitRates widens the Quality rate column for the markers of the rates
// shown, or narrows it back to its title, and lays the table's columns
// out again: the markers are cut or the column is wide for nothing.
func (s *returnsScreen) fitRates() {
	w := rateColumns[rateCol].width
	for _, r := range s.rates {
		text, _ := s.rateCell(r)
		// setCellText cuts a text within a point of its room.
		w = max(w, fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{}).Width+2*theme.InnerPadding()+2)
	}
	widths := make([]float32, len(rateColumns))
	for i, c := range rateColumns {
		widths[i] = c.width
	}
	widths[rateCol] = w
	// The counts widen for their biggest figures: 59994 sold read "599…".
	for _, r := range s.rates {
		for col, n := range map[int]int{1: r.Sold, 2: r.Quality, 3: r.Logistics, 4: r.Buyer} {
			widths[col] = figureWidth(widths[col], strconv.Itoa(n))
		}
	}
	s.fit.setWidths(s.fitBox, widths)
}

func (s *returnsScreen) newTable() *widget.Table {
	t := widget.NewTableWithHeaders(func() (int, int) { return len(s.rates), len(s.columns) },
		// setCellText asks for an ellipsis only when a text does not fit.
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row >= len(s.rates) || id.Col >= len(s.columns) {
				return
			}
			r := s.rates[id.Row]
			imp := widget.MediumImportance
			var text string
			switch s.columns[id.Col] {
			case 0:
				// A long name wraps, in a row made as tall (fitRows).
				setWrappedCell(l, factoryCell(r), fyne.TextStyle{}, fyne.TextAlignLeading, imp, true)
				return
			case 1:
				text = fmt.Sprint(r.Sold)
			case 2:
				text = fmt.Sprint(r.Quality)
			case 3:
				text = fmt.Sprint(r.Logistics)
			case 4:
				text = fmt.Sprint(r.Buyer)
			case rateCol:
				text, imp = s.rateCell(r)
			}
			setWrappedCell(l, text, fyne.TextStyle{}, fyne.TextAlignLeading, imp, false)
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(s.columns) {
			o.(*widget.Label).SetText(rateColumns[s.columns[id.Col]].title)
		}
	}
	return t
}

func (s *returnsScreen) showNumbers() {
	s.fitRows()
	s.numbers.Refresh()
}

// factoryCell is a factory's name in the table; downloads have none.
func factoryCell(r app.FactoryReturns) string {
	if r.Factory == "" {
		return "(digital)"
	}
	return r.Factory
}

// fitRows makes each row as tall as its factory's name wrapped in the
// width its column has: cut, "Guangzhou P…" did not say which factory.
func (s *returnsScreen) fitRows() {
	if s.fit.widths == nil {
		return // not laid out yet: laying it out fits them
	}
	fitRowHeights(s.numbers, len(s.rates), s.fit.widths, func(row, col int) (string, fyne.TextStyle, bool) {
		if col >= len(s.columns) || s.columns[col] != 0 {
			return "", fyne.TextStyle{}, false
		}
		return factoryCell(s.rates[row]), fyne.TextStyle{}, true
	})
}

// showWaits says, under the chart, why a factory whose quality returns are
// past the limit is not paused: it has not sold the units the pause needs.
// The chart showed it past the line, and nothing followed.
func (s *returnsScreen) showWaits() {
	var why string
	var waiting []string
	for _, r := range s.rates {
		if w := domain.QualityPauseWait(r.Sold, r.Quality); w != "" && r.Factory != "" {
			why = r.Factory + ": quality returns are " + w + "."
			waiting = append(waiting, fmt.Sprintf("%s (%d sold)", r.Factory, r.Sold))
		}
	}
	if len(waiting) > 1 { // one sentence for them all: ten took half the chart's room
		why = fmt.Sprintf("Quality returns are past %d %%, but short of the %d units sold that the pause waits for, at %s.",
			domain.ReturnLimitPercent, domain.MinSoldForQualityRule, strings.Join(waiting, ", "))
	}
	s.waits.SetText(why)
	s.waits.Hidden = why == ""
	if s.waits.Hidden {
		s.waitBox.Hide()
	} else {
		s.waitBox.Show()
	}
	s.waits.Refresh()
}

// noteUnder lays out what is above a note and the note under it, as tall
// as its text wraps at the width but at most half the height, where its
// box scrolls; what is above takes the rest. As a border's bottom, ten
// factories' notes set the screen's smallest height past 800×600.
type noteUnder struct {
	note *widget.Label
	box  fyne.CanvasObject // holds the note
}

func (l *noteUnder) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := float32(0)
	if l.box.Visible() {
		l.note.Resize(fyne.NewSize(size.Width, l.note.MinSize().Height))
		h = min(l.note.MinSize().Height, size.Height/2)
	}
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, size.Height-h))
	l.box.Move(fyne.NewPos(0, size.Height-h))
	l.box.Resize(fyne.NewSize(size.Width, h))
}

func (l *noteUnder) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// footUnder lays out a scroll and a foot right under what it shows, the
// scroll no taller than its content nor than leaves the foot room: a foot
// at the bottom of a tall window stood apart from the form it submits.
type footUnder struct{ scroll *container.Scroll }

func (l *footUnder) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	// What the content needs is measured once laid out at the new width:
	// its text wraps to fewer lines in a wider window, and a line shown
	// since (a refusal above the fields) has its wrapped height only once
	// it has its width. Measured before, the fields came out a line short
	// and cut the help text under them.
	content := l.scroll.Content
	content.Resize(fyne.NewSize(size.Width, content.MinSize().Height))
	objs[1].Resize(fyne.NewSize(size.Width, objs[1].Size().Height))
	foot := objs[1].MinSize().Height
	h := max(min(content.MinSize().Height, size.Height-foot-theme.Padding()), 0)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	objs[1].Move(fyne.NewPos(0, h+theme.Padding()))
	objs[1].Resize(fyne.NewSize(size.Width, foot))
}

func (l *footUnder) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(a.Width, b.Width), a.Height+theme.Padding()+b.Height)
}

// shown puts the cursor in the SKU code, as Sell does in its search box:
// a code typed or scanned on opening the screen went nowhere.
func (s *returnsScreen) shown() { s.u.win.Canvas().Focus(s.code) }

// rateChart draws, per factory, its quality, logistics and buyer returns
// as shares of units sold, with the 3 % limit as a line across.
type rateChart struct {
	widget.BaseWidget
	rates    []app.FactoryReturns
	decimals int // of every share, as the table's (app.RateDecimals)
}

func newRateChart() *rateChart {
	c := &rateChart{}
	c.ExtendBaseWidget(c)
	return c
}

func (c *rateChart) set(rates []app.FactoryReturns) {
	c.rates, c.decimals = rates, app.RateDecimals(rates)
	c.Refresh()
}

const (
	rateRowHeight = 44
	rateHeader    = 26
)

// MinSize is narrow enough for the Returns screen to fit an 800-wide
// window beside the form; wider, the bars get the room.
func (c *rateChart) MinSize() fyne.Size {
	return fyne.NewSize(240, rateHeader+rateRowHeight*float32(max(len(c.rates), 1))+theme.CaptionTextSize()+8)
}

func (c *rateChart) CreateRenderer() fyne.WidgetRenderer {
	r := &rateChartRenderer{c: c}
	r.build()
	return r
}

type rateChartRenderer struct {
	c       *rateChart
	objects []fyne.CanvasObject
	size    fyne.Size
}

func (r *rateChartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *rateChartRenderer) Destroy()                     {}
func (r *rateChartRenderer) MinSize() fyne.Size           { return r.c.MinSize() }
func (r *rateChartRenderer) Refresh()                     { r.build(); canvas.Refresh(r.c) }

func (r *rateChartRenderer) Layout(size fyne.Size) {
	if size != r.size {
		r.size = size
		r.build()
	}
}

// classColors are the bars of each class, in the order drawn.
func classColors() []color.Color {
	return []color.Color{theme.Color(theme.ColorNameError), theme.Color(theme.ColorNameWarning), theme.Color(theme.ColorNamePrimary)}
}

func (r *rateChartRenderer) build() {
	size := r.size
	if size.IsZero() {
		size = r.c.MinSize()
	}
	fg := theme.Color(theme.ColorNameForeground)
	muted := theme.Color(theme.ColorNamePlaceHolder)
	small := theme.CaptionTextSize()
	var objs []fyne.CanvasObject
	text := func(s string, c color.Color, x, y float32, trailing bool) {
		t := canvas.NewText(s, c)
		t.TextSize = small
		ms := t.MinSize()
		if trailing {
			x -= ms.Width
		}
		t.Move(fyne.NewPos(x, y))
		t.Resize(ms)
		objs = append(objs, t)
	}
	labelW := float32(60)
	for _, f := range r.c.rates {
		labelW = max(labelW, fyne.MeasureText(f.Factory, theme.TextSize(), fyne.TextStyle{}).Width+12,
			fyne.MeasureText(soldLine(f), small, fyne.TextStyle{}).Width+12) // the line under it
	}
	labelW = min(labelW, size.Width*0.35)
	plotX, plotW := labelW, size.Width-labelW-50
	if plotW < 40 {
		r.objects = nil
		return
	}
	colors := classColors()
	const legendStep = 90
	x := plotX
	if x+3*legendStep > size.Width {
		x = 0 // narrow: the legend starts above the factory names
	}
	for i, name := range []string{"quality", "logistics", "buyer"} {
		sw := canvas.NewRectangle(colors[i])
		sw.Move(fyne.NewPos(x, 4))
		sw.Resize(fyne.NewSize(10, 10))
		objs = append(objs, sw)
		text(name, fg, x+14, 0, false)
		x += legendStep
	}
	limit := float64(domain.ReturnLimitPercent) / 100
	scale := 2 * limit
	for _, f := range r.c.rates {
		for _, n := range []int{f.Quality, f.Logistics, f.Buyer} {
			scale = max(scale, 1.15*domain.ReturnRate(f.Sold, n))
		}
	}
	px := func(rate float64) float32 { return plotX + plotW*float32(min(rate/scale, 1)) }
	lx := px(limit)
	top := float32(rateHeader)
	if len(r.c.rates) == 0 {
		text("no sales or returns in the last 90 days", muted, plotX, top+8, false)
	}
	for i, f := range r.c.rates {
		y := top + float32(i)*rateRowHeight
		name := f.Factory
		if name == "" {
			name = "(digital)"
		}
		nt := canvas.NewText(fitText(name, labelW-12, theme.TextSize()), fg)
		nt.TextSize = theme.TextSize()
		nt.Move(fyne.NewPos(0, y+6))
		objs = append(objs, nt)
		objs = append(objs, soldTexts(f, y+8+theme.TextSize(), labelW-12)...)
		for j, n := range []int{f.Quality, f.Logistics, f.Buyer} {
			rate := domain.ReturnRate(f.Sold, n)
			by := y + 4 + float32(j)*12
			bar := canvas.NewRectangle(colors[j])
			bar.Move(fyne.NewPos(plotX, by))
			bar.Resize(fyne.NewSize(max(px(rate)-plotX, 1), 9))
			objs = append(objs, bar)
			// A share whose text would cross the limit's line goes past it:
			// "0.0 %" and "2.6 %" were struck through by the line.
			share := f.RateText(n, r.c.decimals)
			x := px(rate) + 4
			if w := fyne.MeasureText(share, small, fyne.TextStyle{}).Width; x < lx+2 && x+w > lx-2 {
				x = lx + 4
			}
			text(share, muted, x, by-3, false)
		}
	}
	bottom := top + rateRowHeight*float32(max(len(r.c.rates), 1))
	line := canvas.NewLine(theme.Color(theme.ColorNameError))
	line.StrokeWidth = 2
	line.Position1 = fyne.NewPos(lx, top-2)
	line.Position2 = fyne.NewPos(lx, bottom)
	objs = append(objs, line)
	text(fmt.Sprintf("%d %% limit", domain.ReturnLimitPercent), theme.Color(theme.ColorNameError), lx+4, bottom, false)
	axis := canvas.NewLine(muted)
	axis.Position1 = fyne.NewPos(plotX, top-2)
	axis.Position2 = fyne.NewPos(plotX, bottom)
	objs = append(objs, axis)
	text(fmt.Sprintf("%.0f %%", 100*scale), muted, plotX+plotW, bottom, true)
	r.objects = objs
}

// soldLine is what the rate chart says under a factory's name: its units
// sold, and the word that says why it heads the list, if it does
// (app.FactoryReturns.QualityMark).
func soldLine(f app.FactoryReturns) string {
	line := fmt.Sprintf("%d sold", f.Sold)
	if mark := f.QualityMark(); mark != "" {
		line += " · " + mark
	}
	return line
}

// soldTexts draws soldLine at y, the word cut to end within width: the
// units sold muted, the word in the colour of the rate it marks in the
// table (rateCell).
func soldTexts(f app.FactoryReturns, y, width float32) []fyne.CanvasObject {
	small := theme.CaptionTextSize()
	at := func(s string, c color.Color, x float32) *canvas.Text {
		t := canvas.NewText(s, c)
		t.TextSize = small
		t.Move(fyne.NewPos(x, y))
		t.Resize(t.MinSize())
		return t
	}
	sold := at(fmt.Sprintf("%d sold", f.Sold), theme.Color(theme.ColorNamePlaceHolder), 0)
	mark := f.QualityMark()
	if mark == "" {
		return []fyne.CanvasObject{sold}
	}
	c := theme.Color(theme.ColorNameWarning)
	if mark == app.MarkQualityPaused {
		c = theme.Color(theme.ColorNameError)
	}
	x := sold.MinSize().Width
	return []fyne.CanvasObject{sold, at(fitText(" · "+mark, width-x, small), c, x)}
}

// fitText shortens s with an ellipsis to fit width at size.
func fitText(s string, width, size float32) string {
	if s == "" || fyne.MeasureText(s, size, fyne.TextStyle{}).Width <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		if fyne.MeasureText(string(r)+"…", size, fyne.TextStyle{}).Width <= width {
			break
		}
	}
	return string(r) + "…"
}
