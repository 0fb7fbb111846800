package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
)

// batchFilters are the batch list's choices.
var batchFilters = []string{"Open", "Overdue", "In QA hold", "All"}

type batchColumn struct {
	title string
	col   tableColumn
}

// batchColumns fit an 800×600 window side by side, so a batch's status is
// in view without scrolling sideways: the factory's name gives way (it ends
// in "…" and shows whole in the detail), and the order date is left to the
// detail, where the expected date is what a list of open batches needs.
var batchColumns = []batchColumn{
	{"SKU", tableColumn{width: 100, flex: false, floor: 100}}, // a long code gives way, Status stays in view
	{"Factory", tableColumn{width: 160, flex: true}},
	{"Expected", tableColumn{width: 104, flex: false}},
	{"Qty", tableColumn{width: 50, flex: false}},
	{"Received", tableColumn{width: 80, flex: false}},
	{"Held", tableColumn{width: 50, flex: false}},
	{"Status", tableColumn{width: 104, flex: false}},
}

// batchDrop are the columns the batch list leaves out, Received first,
// when a long SKU code widens its column past what the window has room
// for: Status stays in view, and says "part received" or "QA hold"; the
// detail shows the numbers.
var batchDrop = []int{4, 5}

// batchesScreen orders, receives and decides QA on batches, and lists the
// open and overdue ones.
type batchesScreen struct {
	u   *UI
	obj fyne.CanvasObject
	gen int

	filter  *widget.Select
	count   *widget.Label
	table   *widget.Table
	columns []int           // the columns of batchColumns the table shows
	fit     *columnsLayout  // sizes and drops the table's columns
	fitBox  *fyne.Container // the table, laid out by fit
	all     []domain.Batch
	view    []domain.Batch
	now     int64
	detail  *batchDetail
	md      *masterDetail
	pending string // the batch to show once the list is read

	receiving *receiving // the Receive form opened last, which follows the shop while open
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
	s.table = widget.NewTableWithHeaders(func() (int, int) { return len(s.view), len(s.columns) },
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
		if id.Col >= 0 && id.Col < len(s.columns) {
			o.(*widget.Label).SetText(batchColumns[s.columns[id.Col]].title)
		}
	}
	cols := make([]tableColumn, len(batchColumns))
	for i, c := range batchColumns {
		cols[i] = c.col
		s.columns = append(s.columns, i)
	}
	s.fitBox, s.fit = fitColumnsDropping(s.table, cols, batchDrop, func(shown []int) {
		s.columns = shown
		s.table.Refresh()
	})
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.view) {
			s.detail.show(s.view[id.Row], s.now)
			s.md.showDetail()
		}
	}
	s.detail = newBatchDetail(s)
	tools := container.NewHBox(widget.NewLabel("Show"), s.filter, s.count)
	s.md = newMasterDetail(readingBorder(tools, nil, nil, nil, s.fitBox), s.detail.obj, "All batches", func() {
		s.detail.batch = domain.Batch{}
		s.table.UnselectAll()
	})
	s.obj = screenLayout("Batches", order, s.md.obj)
	return s.obj
}

func (s *batchesScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(s.view) || id.Col >= len(s.columns) {
		l.SetText("")
		return
	}
	b := s.view[id.Row]
	loc := s.u.shop.Location()
	l.Importance = widget.MediumImportance
	l.Alignment = fyne.TextAlignLeading
	var text string
	switch s.columns[id.Col] {
	case 0: // whole in the batch's detail
		text = codeCellText(l, b.SKU)
	case 1:
		text = b.Factory
	case 2:
		text = dateText(b.ExpectedAt, loc)
		if b.Overdue(s.now) {
			l.Importance = widget.DangerImportance
		}
	case 3:
		text, l.Alignment = fmt.Sprint(b.Ordered), fyne.TextAlignTrailing
	case 4:
		text, l.Alignment = fmt.Sprint(b.Received), fyne.TextAlignTrailing
	case 5:
		// Units held back while QA is pending; once it decides they are
		// released or rejected (the detail says which), held no longer.
		held := 0
		if b.QA == domain.QAPending {
			held = b.Held
		}
		text, l.Alignment = fmt.Sprint(held), fyne.TextAlignTrailing
	case 6:
		text = batchStatus(b, s.now)
		l.Importance = batchImportance(b, s.now)
	}
	l.Text = text
	l.Refresh()
}

// batchStatus is a batch's state for people, overdue included. A QA hold
// or a failed QA comes before overdue: it is what the maker has to act on
// at their own bench, and the list's red expected date (and the detail's
// still to come) says the batch is late; "overdue" alone hid the hold once
// a long code left the Held column out.
func batchStatus(b domain.Batch, now int64) string {
	switch st := b.Status(); {
	case st == domain.BatchHeld:
		return "QA hold"
	case st == domain.BatchFailed:
		return "QA failed"
	case b.Overdue(now):
		return "overdue"
	}
	switch st := b.Status(); st {
	case domain.BatchPassed:
		return "QA passed"
	case domain.BatchCancelled:
		return "cancelled"
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
	case b.Cancelled():
		return widget.LowImportance
	}
	return widget.MediumImportance
}

func (s *batchesScreen) load() {
	s.content()
	s.gen++
	gen := s.gen
	s.u.run(func(ctx context.Context) (func(), error) {
		all, err := s.u.data.batchList(ctx)
		if err != nil {
			return nil, err
		}
		now := s.u.shop.AsOfNow().End.UnixMilli()
		return func() {
			if gen != s.gen {
				return
			}
			s.all, s.now = all, now
			s.fitCodes()
			s.applyView()
			s.showPending()
		}, nil
	})
}

// fitCodes widens the SKU column for the longest code of every batch, as
// the SKU list's Code column is fitted: at 100 points it cut a code such
// as EBOOK-GLAZE-GUIDE. Qty, Received and Held widen for their biggest
// figures.
func (s *batchesScreen) fitCodes() {
	code := func(i int) string { return s.all[i].SKU }
	widths := make([]float32, len(batchColumns))
	for i, c := range batchColumns {
		widths[i] = c.col.width
	}
	widths[0] = codeColumnWidth(batchColumns[0].col.width, longestOf(len(s.all), code))
	var ordered, received, held int
	for _, b := range s.all {
		ordered, received, held = max(ordered, b.Ordered), max(received, b.Received), max(held, b.Held)
	}
	for col, n := range map[int]int{3: ordered, 4: received, 5: held} {
		widths[col] = figureWidth(widths[col], strconv.Itoa(n))
	}
	s.fit.setWidths(s.fitBox, widths)
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
	edit    *widget.Button
	cancel  *widget.Button
	body    *fyne.Container
	hint    *widget.Label
	openSKU *widget.Button
	openFac *widget.Button
	scroll  *container.Scroll
}

var batchFacts = []string{"SKU", "Factory", "Status", "Ordered", "Received", "Held for QA", "Still to come", "Unit cost", "Ordered on", "Expected", "QA"}

func newBatchDetail(s *batchesScreen) *batchDetail {
	d := &batchDetail{s: s, u: s.u, facts: map[string]*widget.Label{}}
	d.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.heading.SizeName = theme.SizeNameSubHeadingText
	// The heading and the factory's name wrap: on one line a factory named
	// at length widened the window past the screen's edge.
	d.heading.Wrapping = fyne.TextWrapWord
	d.id = copyableLabel()
	form := widget.NewForm()
	for _, f := range batchFacts {
		l := valueLabel()
		if f == "QA" || f == "Factory" {
			l.Wrapping = fyne.TextWrapWord
			l.Truncation = fyne.TextTruncateOff
		}
		d.facts[f] = l
		form.Append(f, l)
	}
	d.receive = widget.NewButtonWithIcon("Receive…", theme.DownloadIcon(), func() { d.s.receiveForm(d.batch) })
	d.receive.Importance = widget.HighImportance
	d.pass = widget.NewButtonWithIcon("Pass QA…", theme.ConfirmIcon(), func() { d.s.passForm(d.batch) })
	d.fail = widget.NewButtonWithIcon("Fail QA…", theme.CancelIcon(), func() { d.s.failForm(d.batch) })
	d.fail.Importance = widget.DangerImportance
	d.edit = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), func() { d.s.editForm(d.batch) })
	d.cancel = widget.NewButtonWithIcon("Cancel batch…", theme.DeleteIcon(), func() { d.s.confirmCancel(d.batch) })
	d.openSKU = widget.NewButton("Open SKU", func() { d.u.openSKU(d.batch.SKU) })
	d.openFac = widget.NewButton("Open factory", func() { d.u.openFactory(d.batch.Factory) })
	// The actions come before the facts, as on a SKU's detail: after them
	// they were below the foot of an 800×600 window. They wrap to a second
	// row in a narrow one.
	actions := container.New(narrowingRowWrap{layout.NewRowWrapLayout()}, d.receive, d.pass, d.fail, d.edit, d.cancel, d.openSKU, d.openFac)
	d.body = container.New(wrappedColumn{}, d.heading, d.id, actions, form)
	d.body.Hide()
	d.hint = widget.NewLabel("Select a batch to receive it or decide its QA.")
	d.hint.Wrapping = fyne.TextWrapWord
	d.scroll = container.NewVScroll(d.body)
	d.obj = container.NewStack(d.scroll, container.NewVBox(d.hint))
	return d
}

func (d *batchDetail) show(b domain.Batch, now int64) {
	if d.batch.ID != b.ID {
		// Another batch starts at its heading and actions, not at the
		// scroll the last one was left at, its buttons out of view.
		d.scroll.ScrollToTop()
	}
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
	set("Unit cost", b.UnitCost.Format(d.u.info.Currency)+" "+d.u.info.Currency)
	set("Ordered on", dateText(b.OrderedAt, loc))
	set("Expected", dateText(b.ExpectedAt, loc))
	qa := string(b.QA)
	if b.QA == domain.QAPending && b.Received > 0 && b.Held == 0 {
		// Its factory is established: "pending" asked for a decision
		// that Pass QA and Fail QA, greyed out, could not give.
		qa = "none needed: no units were held back"
	}
	if b.QAAt > 0 {
		qa += " on " + dateText(b.QAAt, loc)
	}
	if b.QANote != "" {
		qa += ": " + b.QANote
	}
	if b.Cancelled() {
		qa += "; cancelled on " + dateText(b.CancelledAt, loc)
	}
	set("QA", qa)
	enable(d.receive, b.Open())
	enable(d.edit, !b.Cancelled())
	enable(d.cancel, b.Open())
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

// enable enables or disables a button.
func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}
