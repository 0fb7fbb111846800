package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
)

// act runs an action that may wait on the network or the disk off the UI
// goroutine, then its result on it; an error shows in a dialog.
func (u *UI) act(fn func(ctx context.Context) (func(), error)) {
	done := func(apply func(), err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if apply != nil {
			apply()
		}
	}
	if u.inline {
		done(fn(u.ctx))
		return
	}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		apply, err := fn(u.ctx)
		fyne.Do(func() { done(apply, err) })
	}()
}

// screenLayout puts a screen's title and actions above its body.
func screenLayout(title string, actions fyne.CanvasObject, body fyne.CanvasObject) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameHeadingText
	var top fyne.CanvasObject = heading
	if actions != nil {
		top = container.NewBorder(nil, nil, heading, actions)
	}
	return readingBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, body)
}

// readingBorder lays out as container.NewBorder does, with its objects in
// the order a maker reads them: top, left, centre, right, bottom. Tab
// follows that order; container.NewBorder puts the centre first, and Tab
// ran through a screen's body before its heading's buttons.
func readingBorder(top, bottom, left, right fyne.CanvasObject, center ...fyne.CanvasObject) *fyne.Container {
	var objs []fyne.CanvasObject
	for _, o := range [][]fyne.CanvasObject{{top, left}, center, {right, bottom}} {
		for _, x := range o {
			if x != nil {
				objs = append(objs, x)
			}
		}
	}
	return container.New(&readingBorderLayout{border: layout.NewBorderLayout(top, bottom, left, right), top: top, bottom: bottom}, objs...)
}

// readingBorderLayout is a border layout that keeps its top and bottom as
// tall as their text needs, as it wraps or changes. Fyne lays a container
// out again when a child's MinSize changed, but keeps one container to
// lay out at a time as it walks the window, children first: a change
// deeper in the centre, walked after the top, took the border's place,
// and the centre covered the line a wrapping top had grown (Today's
// summary, Sales…'s counts). container.NewBorder walks its top last,
// which is why it held, and why Tab reached the body first.
type readingBorderLayout struct {
	border      fyne.Layout
	top, bottom fyne.CanvasObject
	size        fyne.Size // as last laid out
}

func (l *readingBorderLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.size = size
	l.border.Layout(objs, size)
	if l.outgrown() { // wrapped text knows its height only at its new width
		l.border.Layout(objs, size)
	}
}

// MinSize lays the border out again when its top or bottom has grown or
// shrunk since: Fyne asks it every frame, once its children have been.
func (l *readingBorderLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if !l.size.IsZero() && l.outgrown() {
		l.border.Layout(objs, l.size)
	}
	return l.border.MinSize(objs)
}

// outgrown reports whether the top or the bottom needs another height
// than it was given.
func (l *readingBorderLayout) outgrown() bool {
	for _, o := range []fyne.CanvasObject{l.top, l.bottom} {
		if o != nil && o.Visible() && o.MinSize().Height != o.Size().Height {
			return true
		}
	}
	return false
}

// narrowingRowWrap is Fyne's row wrap layout that can be made narrower
// again, for a detail's row of buttons: once laid out on one row, Fyne's
// asks for that row's width from then on, and a window narrowed to
// 800×600 after a wider one could not shrink the detail (a factory's, a
// batch's), nor leave the list beside it its width.
type narrowingRowWrap struct{ wrap fyne.Layout }

func (l narrowingRowWrap) Layout(objs []fyne.CanvasObject, size fyne.Size) { l.wrap.Layout(objs, size) }

func (l narrowingRowWrap) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var widest float32
	for _, o := range objs {
		if o.Visible() {
			widest = max(widest, o.MinSize().Width)
		}
	}
	return fyne.NewSize(widest, l.wrap.MinSize(objs).Height)
}

// formDialog is a form in a dialog that stays open until its input is
// accepted. submit returns fieldErrors for fields it refuses, shown under
// them all at once, or another error for what the shop refused, shown
// below the form; either way nothing is written and the form stays open.
type formDialog struct {
	*fieldForm
	u      *UI
	form   *widget.Form
	dialog *dialog.CustomDialog
	scroll *container.Scroll // the form scrolls when its errors make it taller than the window
	// submitBtn submits the form (submit), which onSubmit does the work of.
	submitBtn *widget.Button
	onSubmit  func() error
	width     float32
	shown     []string // what its fields held when it opened (fieldValues)
	// back, when set, shows again what opened the form, once it is closed
	// unsubmitted (Cancel, Escape): a form opened from a dialog in its
	// place returns to it, not to the bare window.
	back func()
}

// errAsked is what a submit returns when it asked a question in a dialog
// of its own (replace a file?): the form stays open for the answer.
var errAsked = errors.New("the form asked a question")

func (u *UI) newFormDialog(title, submit string, items []*widget.FormItem, onSubmit func() error) *formDialog {
	f := &formDialog{fieldForm: newFieldForm(items...), u: u, onSubmit: onSubmit}
	f.form = f.fieldForm.Form
	for _, in := range f.inputs {
		for _, part := range fieldParts(in) {
			if fe, ok := part.(*fieldEntry); ok {
				fe.onEscape = f.close
			}
			if e, ok := entryOf(part); ok && !e.MultiLine && e.OnSubmitted == nil {
				e.OnSubmitted = func(string) { f.submit() } // Enter submits, for the keyboard alone
			}
		}
	}
	// The buttons are the dialog's, below the form rather than in it: a
	// form its errors made taller than the window scrolls, and took its
	// buttons out of sight with its last fields.
	f.submitBtn = widget.NewButtonWithIcon(submit, theme.ConfirmIcon(), f.submit)
	f.submitBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), f.close)
	buttons := container.NewBorder(nil, nil, nil, container.NewGridWithRows(1, cancel, f.submitBtn))
	f.scroll = container.NewVScroll(f.obj)
	f.dialog = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, buttons, nil, nil, f.scroll), u.win)
	f.width = float32(460)
	if s := u.win.Canvas().Size(); s.Width > 0 && s.Width*0.8 < f.width {
		f.width = s.Width * 0.8
	}
	f.resized = f.fit
	f.fit()
	return f
}

// submit does what the form is for, and closes it, or says in the form
// what was refused. A dialog shown while the form is open would close with
// it: the confirmations a submit makes wait until the form is gone. The
// errors of the last submit go first: a submit that asked a question
// (errAsked) reports what the answer brings itself, and may have by the
// time it returns.
func (f *formDialog) submit() {
	if f.submitBtn.Disabled() {
		return // Enter in a field does no more than the button offers
	}
	u := f.u
	f.report(nil)
	u.holdInfo = true
	err := f.onSubmit()
	u.holdInfo = false
	held := u.heldInfo
	u.heldInfo = nil
	if err == errAsked {
		if u.isOpen(f.dialog) {
			return // the form waits for the answer
		}
		// The answer came at once and closed the form (await, when
		// actions run inline): what it had to say is shown now.
		for _, show := range held {
			show()
		}
		return
	}
	if err != nil {
		f.report(err)
		return
	}
	f.dialog.Hide()
	for _, show := range held {
		show()
	}
}

// fit sizes the dialog to its width and the height its content needs, as
// error lines come and go: Fyne grows a dialog to what it holds but never
// shrinks it, and a cleared error left an empty band under the buttons.
// In a window too short for the form, the form scrolls.
func (f *formDialog) fit() {
	// Twice: a wrapped error line knows how many lines it takes only once
	// it is laid out at the dialog's width; measured before, the first
	// error left the buttons under the dialog's edge.
	f.fitOnce()
	f.fitOnce()
}

func (f *formDialog) fitOnce() {
	f.scroll.SetMinSize(fyne.Size{})
	chrome := f.dialog.MinSize().Height - f.scroll.MinSize().Height
	h := f.obj.MinSize().Height
	if c := f.u.win.Canvas().Size().Height; c > 0 {
		h = max(min(h, c-chrome-4*theme.Padding()), 0)
	}
	f.scroll.SetMinSize(fyne.NewSize(0, h))
	f.dialog.Resize(fyne.NewSize(f.width, f.dialog.MinSize().Height))
}

// show opens the dialog with the cursor in its first field, so the
// keyboard alone can fill it in and Enter submit it; Escape closes it.
// A form with no field to type in opens with nothing focused: Enter
// reaches the window, which submits the form on top (onTypedKey).
func (f *formDialog) show() {
	f.shown = fieldValues(f.inputs)
	f.u.showOpen(openDialog{d: f.dialog, close: f.close, unsaved: f.changed, submit: f.submit})
	for _, in := range f.inputs {
		for _, part := range fieldParts(in) {
			if e, ok := entryOf(part); ok && !e.Disabled() {
				// The window's canvas: the driver learns which canvas the
				// new dialog is on only when it first draws it.
				f.u.win.Canvas().Focus(part.(fyne.Focusable))
				return
			}
		}
	}
}

// await runs fn off the UI goroutine with the form still open, and
// returns errAsked for the submit to return. What fn refuses is said in
// the form, which stays as filled in; once fn is done, the form closes and
// what fn returned runs.
func (f *formDialog) await(fn func(ctx context.Context) (func(), error)) error {
	f.u.act(func(ctx context.Context) (func(), error) {
		then, err := fn(ctx)
		return func() {
			if err != nil {
				f.report(err)
				return
			}
			f.dialog.Hide()
			if then != nil {
				then()
			}
		}, nil
	})
	return errAsked
}

// close closes the form for Cancel and Escape. A form whose fields were
// changed since it opened asks first: a key pressed by mistake must not
// throw away a filled-in order or a long note.
func (f *formDialog) close() {
	if !f.changed() {
		f.cancel()
		return
	}
	f.u.askToDiscard("Discard what you typed?", "Nothing in this form has been saved.", "Keep editing", f.cancel)
}

// cancel closes the form unsubmitted, and goes back to what opened it.
func (f *formDialog) cancel() {
	f.dialog.Hide()
	if f.back != nil {
		f.back()
	}
}

// refill puts text in e, a field the form itself fills in, as if the form
// had opened with it: Cancel and Escape do not ask to discard it as typed.
func (f *formDialog) refill(e *fieldEntry, text string) {
	before := fieldValues(f.inputs)
	e.SetText(text)
	for i, v := range fieldValues(f.inputs) {
		if i < len(f.shown) && v != before[i] {
			f.shown[i] = v
		}
	}
}

// changed reports whether a field was changed since the form opened.
func (f *formDialog) changed() bool { return !slices.Equal(fieldValues(f.inputs), f.shown) }

// fieldValues is what the fields of a form hold, one string a field part,
// to tell whether anything was changed.
func fieldValues(inputs []fyne.CanvasObject) []string {
	var out []string
	for _, in := range inputs {
		for _, part := range fieldParts(in) {
			switch w := part.(type) {
			case *widget.Select:
				out = append(out, w.Selected)
			case *widget.SelectEntry:
				out = append(out, w.Text)
			case *widget.Check:
				out = append(out, strconv.FormatBool(w.Checked))
			case *widget.RadioGroup:
				out = append(out, w.Selected)
			default:
				if e, ok := entryOf(part); ok {
					out = append(out, e.Text)
				}
			}
		}
	}
	return out
}

// zeroTime asks the app layer for now.
var zeroTime time.Time

// Parsing what people type ----------------------------------------------
//
// An empty field is said to be empty: quoted, it read `"" is not a
// quantity`, beside "the SKU code is empty" in the same form.

// parseQty reads a quantity of 1 or more.
func parseQty(s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return 0, domain.Errorf(domain.EInvalid, "the quantity is empty; give a whole number from 1 to %d", domain.MaxQty)
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, domain.Errorf(domain.EInvalid, "%q is not a quantity; use a whole number from 1 to %d", strings.TrimSpace(s), domain.MaxQty)
	}
	return n, domain.ValidateQty(n)
}

// parseCount reads a stock count of 0 or more.
func parseCount(s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return 0, domain.Errorf(domain.EInvalid, "the count is empty; give the units there, a whole number from 0 to %d", domain.MaxQty)
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > domain.MaxQty {
		return 0, domain.Errorf(domain.EInvalid, "%q is not a stock count; use a whole number from 0 to %d", strings.TrimSpace(s), domain.MaxQty)
	}
	return n, nil
}

// parseSigned reads a signed correction such as -2 or 3.
func parseSigned(s string) (int, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "+")
	if t == "" {
		return 0, domain.Errorf(domain.EInvalid, "the adjustment is empty; give a signed whole number like -2 or 3, not 0")
	}
	n, err := strconv.Atoi(t)
	if err != nil || n == 0 {
		return 0, domain.Errorf(domain.EInvalid, "%q is not an adjustment; use a signed whole number like -2 or 3, not 0", strings.TrimSpace(s))
	}
	return n, nil
}

// parseDaysOpt reads a number of days; empty means "use the default" (nil).
func parseDaysOpt(what, s string) (*int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, domain.Errorf(domain.EInvalid, "%q is not a valid %s; use a whole number of days from 0 to %d", s, what, domain.MaxLeadDays)
	}
	if err := domain.ValidateDays(what, n); err != nil {
		return nil, err
	}
	return &n, nil
}

// parseIntOpt reads a whole number within [lo, hi]; empty gives def.
func parseIntOpt(what, s string, def, lo, hi int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, domain.Errorf(domain.EInvalid, "%q is not a valid %s; use a whole number from %d to %d", s, what, lo, hi)
	}
	return n, nil
}

// parseMoneyOpt reads an amount as typed in a shop with the currency: 9,50
// too where it is written so; empty means none given (nil).
func parseMoneyOpt(s, currency string) (*domain.Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	m, err := domain.ParseMoneyIn(s, currency)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// parseDateOpt reads a date (YYYY-MM-DD); empty gives the zero time.
func parseDateOpt(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := domain.ParseDate(s, loc)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(12 * time.Hour), nil
}

// Showing numbers -------------------------------------------------------

func plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// rateText is units sold a day as `stock` and `reorder` print it, to the
// hundredth: a tenth made 17 sold in 20 days (0.85) read 0.8 here and 0.85
// there, and the reorder point (0.85 × 12 = 10.2) looked wrong beside it.
func rateText(r domain.Rate) string {
	if r.Sold == 0 {
		return "0"
	}
	return fmt.Sprintf("%.2f", r.Hundredths())
}

func dateText(ms int64, loc *time.Location) string {
	if ms == 0 {
		return "—"
	}
	return time.UnixMilli(ms).In(loc).Format("2 Jan 2006")
}

// arrivalText is the day a batch is expected, with "late" once that day
// has gone by, as the overdue batch alert counts it: the date alone, days
// back, read as a delivery still to come. "late", not "overdue": the SKU
// detail's column at 800×600 is narrower than "overdue", which broke
// mid-word.
func arrivalText(ms int64, now time.Time, loc *time.Location) string {
	text := dateText(ms, loc)
	if ms != 0 && ms < domain.StartOfDay(now.In(loc)).UnixMilli() {
		text += ", late"
	}
	return text
}

// statusImportance colours a status the way alerts are coloured.
func statusImportance(s domain.Status) widget.Importance {
	switch s {
	case domain.StatusOversold, domain.StatusStockout:
		return widget.DangerImportance
	case domain.StatusReorder, domain.StatusLow:
		return widget.WarningImportance
	case domain.StatusOK:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

// statusText is a status for people.
func statusText(s domain.Status) string {
	switch s {
	case domain.StatusStockout:
		return "out of stock"
	case domain.StatusReorder:
		return "reorder"
	case domain.StatusLow:
		return "low"
	case domain.StatusOversold:
		return "oversold"
	case domain.StatusDigital:
		return "digital"
	}
	return "ok"
}

func valueLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// masterDetail shows a list, or one of its items in full with a way back:
// a table of many columns needs the whole width.
type masterDetail struct {
	list, detail fyne.CanvasObject
	obj          *fyne.Container
}

func newMasterDetail(list, detail fyne.CanvasObject, backLabel string, onBack func()) *masterDetail {
	m := &masterDetail{list: list}
	back := widget.NewButtonWithIcon(backLabel, theme.NavigateBackIcon(), func() {
		m.showList()
		onBack()
	})
	back.Importance = widget.LowImportance
	m.detail = readingBorder(container.NewHBox(back), nil, nil, nil, detail)
	m.detail.Hide()
	m.obj = container.NewStack(m.list, m.detail)
	return m
}

func (m *masterDetail) showDetail() {
	m.list.Hide()
	m.detail.Show()
}

func (m *masterDetail) showList() {
	m.detail.Hide()
	m.list.Show()
}

// section is a titled card whose explanation wraps to the width it gets
// (a card's subtitle would not, and would widen the window).
func section(title, text string, content fyne.CanvasObject) *widget.Card {
	if text == "" {
		return widget.NewCard(title, "", content)
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return widget.NewCard(title, "", container.NewBorder(l, nil, nil, nil, content))
}
