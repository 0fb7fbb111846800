package ui

import (
	"context"
	"errors"
	"fmt"
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

// batchFilters are the batch list's choices.
var batchFilters = []string{"Open", "Overdue", "In QA hold", "All"}

var batchColumns = []struct {
	title string
	width float32
}{{"SKU", 120}, {"Factory", 190}, {"Ordered", 105}, {"Expected", 105}, {"Qty", 60}, {"Received", 80}, {"Held", 60}, {"Status", 110}}

// batchesScreen orders, receives and decides QA on batches, and lists the
// open and overdue ones.
type batchesScreen struct {
	u   *UI
	obj fyne.CanvasObject
	gen int

	filter  *widget.Select
	count   *widget.Label
	table   *widget.Table
	all     []domain.Batch
	view    []domain.Batch
	now     int64
	detail  *batchDetail
	md      *masterDetail
	pending string // the batch to show once the list is read
}

func newBatchesScreen(u *UI) *batchesScreen { return &batchesScreen{u: u} }

func (s *batchesScreen) title() string       { return "Batches" }
func (s *batchesScreen) icon() fyne.Resource { return theme.StorageIcon() }

func (s *batchesScreen) content() fyne.CanvasObject {
	if s.obj != nil {
		return s.obj
	}
	s.filter = widget.NewSelect(batchFilters, func(string) { s.applyView() })
	s.filter.SetSelectedIndex(0)
	s.count = widget.NewLabel("")
	order := widget.NewButtonWithIcon("Order batch…", theme.ContentAddIcon(), func() { s.orderForm("", 0) })
	order.Importance = widget.HighImportance
	s.table = widget.NewTableWithHeaders(func() (int, int) { return len(s.view), len(batchColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("placeholder")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		}, s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(batchColumns) {
			o.(*widget.Label).SetText(batchColumns[id.Col].title)
		}
	}
	for i, c := range batchColumns {
		s.table.SetColumnWidth(i, c.width)
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.view) {
			s.detail.show(s.view[id.Row], s.now)
			s.md.showDetail()
		}
	}
	s.detail = newBatchDetail(s)
	tools := container.NewHBox(widget.NewLabel("Show"), s.filter, s.count)
	s.md = newMasterDetail(container.NewBorder(tools, nil, nil, nil, s.table), s.detail.obj, "All batches", func() {
		s.detail.batch = domain.Batch{}
		s.table.UnselectAll()
	})
	s.obj = screenLayout("Batches", order, s.md.obj)
	return s.obj
}

func (s *batchesScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(s.view) {
		l.SetText("")
		return
	}
	b := s.view[id.Row]
	loc := s.u.shop.Location()
	l.Importance = widget.MediumImportance
	l.Alignment = fyne.TextAlignLeading
	var text string
	switch id.Col {
	case 0:
		text = b.SKU
	case 1:
		text = b.Factory
	case 2:
		text = dateText(b.OrderedAt, loc)
	case 3:
		text = dateText(b.ExpectedAt, loc)
		if b.Overdue(s.now) {
			l.Importance = widget.DangerImportance
		}
	case 4:
		text, l.Alignment = fmt.Sprint(b.Ordered), fyne.TextAlignTrailing
	case 5:
		text, l.Alignment = fmt.Sprint(b.Received), fyne.TextAlignTrailing
	case 6:
		text, l.Alignment = fmt.Sprint(b.Held), fyne.TextAlignTrailing
	case 7:
		text = batchStatus(b, s.now)
		l.Importance = batchImportance(b, s.now)
	}
	l.Text = text
	l.Refresh()
}

// batchStatus is a batch's state for people, overdue included.
func batchStatus(b domain.Batch, now int64) string {
	if b.Overdue(now) {
		return "overdue"
	}
	switch st := b.Status(); st {
	case domain.BatchHeld:
		return "QA hold"
	case domain.BatchPassed:
		return "QA passed"
	case domain.BatchFailed:
		return "QA failed"
	case domain.BatchOrdered:
		if b.Received > 0 {
			return "part received"
		}
		return "ordered"
	default:
		return string(st)
	}
}

func batchImportance(b domain.Batch, now int64) widget.Importance {
	switch {
	case b.Overdue(now), b.QA == domain.QAFailed:
		return widget.DangerImportance
	case b.Status() == domain.BatchHeld:
		return widget.WarningImportance
	case b.QA == domain.QAPassed, b.Status() == domain.BatchReceived:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

func (s *batchesScreen) load() {
	s.content()
	s.gen++
	gen := s.gen
	s.u.run(func(ctx context.Context) (func(), error) {
		all, err := s.u.shop.Batches(ctx, false)
		if err != nil {
			return nil, err
		}
		now := s.u.shop.AsOfNow().End.UnixMilli()
		return func() {
			if gen != s.gen {
				return
			}
			s.all, s.now = all, now
			s.applyView()
			s.showPending()
		}, nil
	})
}

func (s *batchesScreen) shown() {}

// reveal shows the batch with id (or a unique part of it) once the list is
// read.
func (s *batchesScreen) reveal(id string) {
	s.content()
	s.pending = id
}

func (s *batchesScreen) showPending() {
	id := s.pending
	if id == "" && s.detail.batch.ID != "" {
		id = s.detail.batch.ID
	}
	if id == "" {
		return
	}
	s.pending = ""
	for _, b := range s.all {
		if b.ID == id || strings.HasPrefix(b.ID, id) || strings.HasSuffix(b.ID, id) {
			s.detail.show(b, s.now)
			s.md.showDetail()
			return
		}
	}
}

func (s *batchesScreen) applyView() {
	if s.table == nil {
		return
	}
	s.view = s.view[:0]
	for _, b := range s.all {
		keep := true
		switch s.filter.Selected {
		case "Open":
			keep = b.Open() || (b.Held > 0 && b.QA == domain.QAPending)
		case "Overdue":
			keep = b.Overdue(s.now)
		case "In QA hold":
			keep = b.Held > 0 && b.QA == domain.QAPending
		}
		if keep {
			s.view = append(s.view, b)
		}
	}
	s.count.SetText(fmt.Sprintf("%d of %d", len(s.view), len(s.all)))
	s.table.Refresh()
}

// batchDetail shows one batch and what can be done to it.
type batchDetail struct {
	s       *batchesScreen
	u       *UI
	obj     fyne.CanvasObject
	batch   domain.Batch
	heading *widget.Label
	id      *widget.Label
	facts   map[string]*widget.Label
	receive *widget.Button
	pass    *widget.Button
	fail    *widget.Button
	body    *fyne.Container
	hint    *widget.Label
	openSKU *widget.Button
	openFac *widget.Button
}

var batchFacts = []string{"SKU", "Factory", "Status", "Ordered", "Received", "Held for QA", "Still to come", "Unit cost", "Ordered on", "Expected", "QA"}

func newBatchDetail(s *batchesScreen) *batchDetail {
	d := &batchDetail{s: s, u: s.u, facts: map[string]*widget.Label{}}
	d.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.heading.SizeName = theme.SizeNameSubHeadingText
	d.id = copyableLabel()
	form := widget.NewForm()
	for _, f := range batchFacts {
		l := valueLabel()
		if f == "QA" {
			l.Wrapping = fyne.TextWrapWord
			l.Truncation = fyne.TextTruncateOff
		}
		d.facts[f] = l
		form.Append(f, l)
	}
	d.receive = widget.NewButtonWithIcon("Receive…", theme.DownloadIcon(), func() { d.s.receiveForm(d.batch) })
	d.receive.Importance = widget.HighImportance
	d.pass = widget.NewButtonWithIcon("Pass QA", theme.ConfirmIcon(), func() {
		if err := d.s.decide(d.batch, true, ""); err != nil {
			d.u.showError(err)
		}
	})
	d.fail = widget.NewButtonWithIcon("Fail QA…", theme.CancelIcon(), func() { d.s.failForm(d.batch) })
	d.fail.Importance = widget.DangerImportance
	d.openSKU = widget.NewButton("Open SKU", func() { d.u.openSKU(d.batch.SKU) })
	d.openFac = widget.NewButton("Open factory", func() { d.u.openFactory(d.batch.Factory) })
	d.body = container.NewVBox(d.heading, d.id, form, container.NewHBox(d.receive, d.pass, d.fail),
		container.NewHBox(d.openSKU, d.openFac))
	d.body.Hide()
	d.hint = widget.NewLabel("Select a batch to receive it or decide its QA.")
	d.hint.Wrapping = fyne.TextWrapWord
	d.obj = container.NewStack(container.NewVScroll(d.body), container.NewVBox(d.hint))
	return d
}

func (d *batchDetail) show(b domain.Batch, now int64) {
	d.batch = b
	loc := d.u.shop.Location()
	d.heading.SetText(fmt.Sprintf("%d × %s from %s", b.Ordered, b.SKU, b.Factory))
	d.id.SetText(b.ID)
	set := func(name, v string) { d.facts[name].SetText(v) }
	set("SKU", b.SKU)
	set("Factory", b.Factory)
	set("Status", batchStatus(b, now))
	d.facts["Status"].Importance = batchImportance(b, now)
	d.facts["Status"].Refresh()
	set("Ordered", fmt.Sprint(b.Ordered))
	set("Received", fmt.Sprint(b.Received))
	held := fmt.Sprint(b.Held)
	switch {
	case b.Held > 0 && b.QA == domain.QAPending:
		held = fmt.Sprintf("%d units held until QA passes", b.Held)
	case b.Held > 0 && b.QA == domain.QAFailed:
		held = fmt.Sprintf("%d units rejected", b.Held)
	case b.Held > 0:
		held = fmt.Sprintf("%d units released", b.Held)
	}
	set("Held for QA", held)
	set("Still to come", fmt.Sprint(b.OnOrder()))
	set("Unit cost", b.UnitCost.String()+" "+d.u.info.Currency)
	set("Ordered on", dateText(b.OrderedAt, loc))
	set("Expected", dateText(b.ExpectedAt, loc))
	qa := string(b.QA)
	if b.QAAt > 0 {
		qa += " on " + dateText(b.QAAt, loc)
	}
	if b.QANote != "" {
		qa += ": " + b.QANote
	}
	set("QA", qa)
	if b.Open() {
		d.receive.Enable()
	} else {
		d.receive.Disable()
	}
	if b.QA == domain.QAPending && b.Held > 0 {
		d.pass.Enable()
		d.fail.Enable()
	} else {
		d.pass.Disable()
		d.fail.Disable()
	}
	d.hint.Hide()
	d.body.Show()
}

// Forms -------------------------------------------------------------------

// orderForm orders a batch; code and qty pre-fill it (a reorder's
// suggestion).
func (s *batchesScreen) orderForm(code string, qty int) *formDialog {
	u := s.u
	factories, err := u.shop.Factories(u.ctx, u.shop.AsOfNow())
	if err != nil {
		u.showError(err)
		return nil
	}
	const primary = "(its primary factory)"
	names := []string{primary}
	for _, f := range factories {
		names = append(names, f.Name)
	}
	skuEntry := newFieldEntry()
	skuEntry.SetText(code)
	skuEntry.SetPlaceHolder("SKU code")
	qtyEntry := newFieldEntry()
	if qty > 0 {
		qtyEntry.SetText(fmt.Sprint(qty))
	}
	qtyEntry.SetPlaceHolder("units")
	factory := widget.NewSelect(names, nil)
	factory.SetSelectedIndex(0)
	cost := newFieldEntry()
	cost.SetPlaceHolder("the SKU's cost")
	expected := newFieldEntry()
	expected.SetPlaceHolder("YYYY-MM-DD; empty: today + lead time")
	title := "Order batch"
	if code != "" {
		title = "Order " + code
	}
	d := u.newFormDialog(title, "Order", []*widget.FormItem{
		widget.NewFormItem("SKU", skuEntry),
		widget.NewFormItem("Quantity", qtyEntry),
		widget.NewFormItem("Factory", factory),
		widget.NewFormItem("Unit cost", cost),
		widget.NewFormItem("Expected", expected),
	}, func() error {
		bad := fieldErrors{}
		o := app.Order{Code: strings.TrimSpace(skuEntry.Text)}
		if o.Code == "" {
			bad.add(skuEntry, domain.Errorf(domain.EInvalid, "the SKU code is empty; type the code of the SKU to order"))
		}
		var err error
		o.Qty, err = parseQty(qtyEntry.Text)
		bad.add(qtyEntry, err)
		if factory.Selected != primary {
			o.Factory = factory.Selected
		}
		o.UnitCost, err = parseMoneyOpt(cost.Text)
		bad.add(cost, err)
		o.Expected, err = parseDateOpt(expected.Text, u.shop.Location())
		bad.add(expected, err)
		if err := bad.orNil(); err != nil {
			return err
		}
		b, err := u.shop.OrderBatch(u.ctx, o)
		var paused *app.PausedError
		if errors.As(err, &paused) {
			// The form closes and the question comes after it, as the
			// confirmations of a submit do: a dialog shown over the form
			// would close with it.
			ask := func() { s.confirmPaused(o, paused) }
			if u.holdInfo {
				u.heldInfo = append(u.heldInfo, ask)
			} else {
				ask()
			}
			return nil
		}
		if err != nil {
			return err
		}
		s.ordered(b)
		return nil
	})
	d.show()
	return d
}

// confirmPaused asks whether to order from a paused factory anyway, and
// does if so.
func (s *batchesScreen) confirmPaused(o app.Order, p *app.PausedError) {
	msg := fmt.Sprintf("%s is paused (%s); order anyway?", p.Factory, p.Reason)
	if p.Quality {
		msg = fmt.Sprintf("%s is paused for quality returns (%s); order anyway?", p.Factory, p.Reason)
	}
	d := dialog.NewConfirm("Order from a paused factory?", msg, func(ok bool) {
		if !ok {
			return
		}
		o.Force = true
		b, err := s.u.shop.OrderBatch(s.u.ctx, o)
		if err != nil {
			s.u.showError(err)
			return
		}
		s.ordered(b)
	}, s.u.win)
	d.SetConfirmText("Order anyway")
	d.SetDismissText("Cancel")
	d.Show()
}

// ordered says a batch was ordered and shows it in the list.
func (s *batchesScreen) ordered(b domain.Batch) {
	s.u.inform("Batch ordered", fmt.Sprintf("ordered %d of %s from %s, expected %s", b.Ordered, b.SKU, b.Factory, dateText(b.ExpectedAt, s.u.shop.Location())))
	s.pending = b.ID
	s.u.changed()
}

// receiveForm records units of a batch arriving; from a new factory some
// are held until QA passes, and it says how many.
func (s *batchesScreen) receiveForm(b domain.Batch) *formDialog {
	u := s.u
	qty := newFieldEntry()
	qty.SetText(fmt.Sprint(b.OnOrder()))
	d := u.newFormDialog("Receive "+b.SKU+" from "+b.Factory, "Receive", []*widget.FormItem{
		{Text: "Units arrived", Widget: qty, HintText: fmt.Sprintf("%d still to come", b.OnOrder())},
	}, func() error {
		n, err := parseQty(qty.Text)
		if err != nil {
			return fieldErrors{qty: err}
		}
		got, err := u.shop.ReceiveBatch(u.ctx, b.ID, n, time.Time{})
		if err != nil {
			return err
		}
		msg := fmt.Sprintf("received %d of %s", got.Units, got.SKU)
		if held := got.HeldUnits; held > 0 {
			msg += fmt.Sprintf("; %s held for QA: %s is new, so they cannot be sold until you pass the batch", plural(held, "unit is", "units are"), got.Factory)
		}
		u.inform("Batch received", msg)
		s.pending = got.ID
		u.changed()
		return nil
	})
	d.show()
	return d
}

// decide passes or fails a batch's held units.
func (s *batchesScreen) decide(b domain.Batch, pass bool, note string) error {
	got, err := s.u.shop.DecideQA(s.u.ctx, b.ID, pass, note, time.Time{})
	if err != nil {
		return err
	}
	if pass {
		s.u.inform("QA passed", fmt.Sprintf("%s of %s released for sale", plural(got.Held, "unit", "units"), got.SKU))
	} else {
		s.u.inform("QA failed", fmt.Sprintf("%s of %s rejected and %s paused: inspect the rest of the batch", plural(got.Held, "unit", "units"), got.SKU, got.Factory))
	}
	s.pending = got.ID
	s.u.changed()
	return nil
}

// failForm fails QA with a note saying what was wrong.
func (s *batchesScreen) failForm(b domain.Batch) *formDialog {
	note := newFieldMultiLineEntry()
	note.SetPlaceHolder("what was wrong: cracked glaze on 3 of 10…")
	d := s.u.newFormDialog("Fail QA of "+b.SKU+" from "+b.Factory, "Fail QA", []*widget.FormItem{
		{Text: "Note", Widget: note, HintText: "the held units are rejected and the factory is paused"},
	}, func() error {
		if strings.TrimSpace(note.Text) == "" {
			return fieldErrors{note: domain.Errorf(domain.EInvalid, "a failed QA needs a note saying what was wrong, for the factory")}
		}
		return s.decide(b, false, strings.TrimSpace(note.Text))
	})
	d.show()
	return d
}
