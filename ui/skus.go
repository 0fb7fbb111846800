package ui

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// skuColumn is one column of the SKU table.
type skuColumn struct {
	title   string
	width   float32
	numeric bool
	text    func(r app.StockRow) string
	compare func(a, b app.StockRow) int
}

var skuColumns = []skuColumn{
	{"Code", 110, false, func(r app.StockRow) string { return r.SKU.Code },
		func(a, b app.StockRow) int {
			return cmp.Compare(strings.ToLower(a.SKU.Code), strings.ToLower(b.SKU.Code))
		}},
	// A SKU's variant follows its name (updateCell fits the two): two
	// variants of one product share the name.
	{"Name", 175, false, func(r app.StockRow) string { return r.SKU.Shown() },
		func(a, b app.StockRow) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a.SKU.Name), strings.ToLower(b.SKU.Name)),
				cmp.Compare(strings.ToLower(a.SKU.Variant), strings.ToLower(b.SKU.Variant)))
		}},
	{"Path", 100, false, func(r app.StockRow) string { return string(r.SKU.Path) },
		func(a, b app.StockRow) int { return cmp.Compare(a.SKU.Path, b.SKU.Path) }},
	{"Factory", 135, false, func(r app.StockRow) string { return r.SKU.Factory },
		func(a, b app.StockRow) int {
			return cmp.Compare(strings.ToLower(a.SKU.Factory), strings.ToLower(b.SKU.Factory))
		}},
	// Wide enough for "reorder · new" and "oversold · new": at 95 the mark
	// was cut to "reorder · …".
	{"Status", 115, false, rowStatusText,
		func(a, b app.StockRow) int { return cmp.Compare(severity(b.Status), severity(a.Status)) }},
	{"Available", 80, true, func(r app.StockRow) string {
		if r.SKU.Path == domain.PathDigital {
			return "∞"
		}
		return fmt.Sprint(r.Available)
	}, func(a, b app.StockRow) int { return cmp.Compare(sortAvailable(a), sortAvailable(b)) }},
	{"On order", 75, true, func(r app.StockRow) string { return fmt.Sprint(r.OnOrder) },
		func(a, b app.StockRow) int { return cmp.Compare(a.OnOrder, b.OnOrder) }},
	{"Cover", 90, true, coverText,
		func(a, b app.StockRow) int { return cmp.Compare(a.CoverDays, b.CoverDays) }},
	{"Per day", 65, true, func(r app.StockRow) string { return rateText(r.Rate) },
		func(a, b app.StockRow) int { return cmp.Compare(a.Rate.PerDay(), b.Rate.PerDay()) }},
}

// skuDrop are the columns the SKU list leaves out, Path first, where the
// rest would not fit without scrolling sideways: in the window the app
// opens in, Per day was past the table's edge. What a SKU is made by and
// its batches on order show in its detail; status, stock, cover and rate
// are what the list is read for.
var skuDrop = []int{2, 3, 6}

// newRateNote says what a reorder marked new means, below the rows that
// carry the mark: the mark alone left it to be guessed.
var newRateNote = fmt.Sprintf("New: under %d days of history, so the rate is a first guess.", domain.ShortHistoryDays)

// rowStatusText is a row's status for people, a reorder resting on under
// 14 days of history marked new (newRateNote).
func rowStatusText(r app.StockRow) string {
	if r.ShortHistory {
		return statusText(r.Status) + " · new"
	}
	return statusText(r.Status)
}

// sortAvailable puts digital SKUs, which never run out, above any stock.
func sortAvailable(r app.StockRow) int {
	if r.SKU.Path == domain.PathDigital {
		return math.MaxInt
	}
	return r.Available
}

// statusFilters are the status filter's choices. The last lists the
// archived SKUs, which every other choice leaves out.
var statusFilters = []string{"All statuses", "Needs action", "Out of stock", "Oversold", "Reorder", "Low", "OK", "Digital", archivedFilter}

const archivedFilter = "Archived"

func statusMatches(filter string, s domain.Status) bool {
	switch filter {
	case "Needs action":
		return severity(s) > 0
	case "Out of stock":
		return s == domain.StatusStockout
	case "Oversold":
		return s == domain.StatusOversold
	case "Reorder":
		return s == domain.StatusReorder
	case "Low":
		return s == domain.StatusLow
	case "OK":
		return s == domain.StatusOK
	case "Digital":
		return s == domain.StatusDigital
	}
	return true
}

// skusScreen lists every SKU on sale, sortable and filterable, with a
// detail pane and an editor.
type skusScreen struct {
	u   *UI
	obj fyne.CanvasObject
	gen int

	filterEntry *widget.Entry
	status      *widget.Select
	count       *widget.Label
	table       *widget.Table
	newNote     *widget.Label // newRateNote, below the table while a row shown is marked new
	empty       *widget.Label // in the table's place when it has no row: why, and what to do
	list        *fyne.Container
	fitBox      *fyne.Container // the table, its columns laid out by fit
	fit         *columnsLayout
	rows        []app.StockRow // shared: never changed here
	archived    bool           // rows are the archived SKUs
	view        []int
	columns     []int // the columns of skuColumns the table shows
	sortCol     int
	sortDesc    bool

	detail   *skuDetail
	md       *masterDetail
	selected string // the SKU shown in full, by code or id; "" for the list
}

func newSKUsScreen(u *UI) *skusScreen { return &skusScreen{u: u} }

func (s *skusScreen) title() string       { return "SKUs" }
func (s *skusScreen) icon() fyne.Resource { return theme.ListIcon() }

func (s *skusScreen) content() fyne.CanvasObject {
	if s.obj != nil {
		return s.obj
	}
	s.filterEntry = widget.NewEntry()
	s.filterEntry.SetPlaceHolder("Filter by code, name or factory; Enter opens")
	s.filterEntry.OnChanged = func(string) { s.applyView() }
	s.filterEntry.OnSubmitted = func(string) { s.openTyped() }
	s.status = widget.NewSelect(statusFilters, s.statusChanged)
	s.status.SetSelectedIndex(0)
	s.count = widget.NewLabel("")
	newSKU := widget.NewButtonWithIcon("New SKU…", theme.ContentAddIcon(), func() { s.editForm(nil) })
	newSKU.Importance = widget.HighImportance

	s.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(s.view), len(s.columns) },
		// setCellText truncates a cell's text with an ellipsis when it
		// does not fit; the template leaves truncation off, as a label
		// that truncates shapes its text on every resize.
		func() fyne.CanvasObject { return widget.NewLabel("placeholder") },
		s.updateCell)
	s.table.ShowHeaderColumn = false
	// The code stays in view as the table scrolls right to cover and rate:
	// at 800×600 a row of numbers had no SKU beside it.
	s.table.StickyColumnCount = 1
	s.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(s.columns) {
			b.SetText("")
			return
		}
		c := s.columns[id.Col]
		title := skuColumns[c].title
		if c == s.sortCol {
			title += map[bool]string{false: " ▲", true: " ▼"}[s.sortDesc]
		}
		b.SetText(title)
		b.OnTapped = func() { s.sortBy(c) }
	}
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.view) {
			s.showDetail(s.rows[s.view[id.Row]].SKU.ID)
		}
	}

	s.detail = newSKUDetail(s)
	tools := container.NewBorder(nil, nil, nil, container.NewHBox(s.status, s.count), s.filterEntry)
	cols := make([]tableColumn, len(skuColumns))
	for i, c := range skuColumns {
		cols[i] = tableColumn{width: c.width, flex: c.title == "Name" || c.title == "Factory"}
		s.columns = append(s.columns, i)
	}
	// Once below the table, not in each row: "reorder · new" fits the
	// Status column, and the sentence would not.
	s.newNote = widget.NewLabel(newRateNote)
	s.newNote.Wrapping = fyne.TextWrapWord
	s.newNote.Hide()
	s.fitBox, s.fit = fitColumnsDropping(s.table, cols, skuDrop, func(shown []int) {
		s.columns = shown
		s.table.Refresh()
	})
	s.empty = widget.NewLabel("")
	s.empty.Wrapping = fyne.TextWrapWord
	s.empty.Hide()
	s.list = readingBorder(tools, s.newNote, nil, nil, container.NewStack(s.fitBox, container.New(wrappedColumn{}, s.empty)))
	s.md = newMasterDetail(s.list, s.detail.content(), "All SKUs", func() {
		s.selected = ""
		s.table.UnselectAll()
	})
	labels := widget.NewButtonWithIcon("Print labels…", theme.DocumentPrintIcon(), func() { s.u.labelsForm(s.shownCodes()) })
	s.obj = screenLayout("SKUs", container.NewHBox(labels, newSKU), s.md.obj)
	return s.obj
}

func (s *skusScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(s.view) || id.Col >= len(s.columns) {
		l.SetText("")
		return
	}
	r := s.rows[s.view[id.Row]]
	col := skuColumns[s.columns[id.Col]]
	align := fyne.TextAlignLeading
	if col.numeric {
		align = fyne.TextAlignTrailing
	}
	imp := widget.MediumImportance
	if col.title == "Status" {
		imp = statusImportance(r.Status)
	}
	text := col.text(r)
	if col.title == "Name" {
		text = shownText(l, r.SKU.Name, r.SKU.Variant)
	}
	setCellText(l, text, align, imp)
}

func (s *skusScreen) load() {
	s.content()
	s.gen++
	gen := s.gen
	archived := s.status.Selected == archivedFilter
	s.u.run(func(ctx context.Context) (func(), error) {
		load := s.u.data.stock
		if archived {
			load = s.archivedRows
		}
		rows, err := load(ctx)
		if err != nil {
			return nil, err
		}
		return func() {
			if gen != s.gen {
				return
			}
			s.rows, s.archived = rows, archived
			s.fitCodes()
			s.applyView()
		}, nil
	})
	if s.selected != "" {
		s.detail.load(s.selected)
		s.md.showDetail()
	}
}

func (s *skusScreen) shown() {}

// statusChanged filters the rows, or loads the other list when the choice
// moves to or from the archived SKUs, which the stock list leaves out.
func (s *skusScreen) statusChanged(choice string) {
	if s.table != nil && (choice == archivedFilter) != s.archived {
		s.load()
		return
	}
	s.applyView()
}

// archivedRows reads the archived SKUs' stock one by one: they are few,
// and read only when asked for.
func (s *skusScreen) archivedRows(ctx context.Context) ([]app.StockRow, error) {
	all, err := s.u.shop.SKUs(ctx)
	if err != nil {
		return nil, err
	}
	asOf := s.u.shop.AsOfNow()
	var rows []app.StockRow
	for _, k := range all {
		if !k.Archived {
			continue
		}
		r, err := s.u.shop.Stock(ctx, asOf, k.ID)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	return rows, nil
}

// reveal makes code the SKU in the detail pane.
func (s *skusScreen) reveal(code string) {
	s.content()
	s.selected = code
}

// filterTo lists the SKUs whose code, name or factory holds text, with
// none opened.
func (s *skusScreen) filterTo(text string) {
	s.content()
	s.selected = ""
	s.filterEntry.SetText(text)
}

// showDetail shows a SKU, by code or by id: the list's rows go by id, as
// a code two devices added while apart names only one of them.
func (s *skusScreen) showDetail(sku string) {
	s.selected = sku
	s.detail.load(sku)
	s.md.showDetail()
}

// openTyped is Enter in the filter: it opens the SKU whose whole code was
// typed, or else the first one listed. Enter did nothing, and a maker at
// the keyboard (Ctrl+3, Ctrl+F, a code) had no way on to the SKU's Count…
// without the mouse.
func (s *skusScreen) openTyped() {
	if len(s.view) == 0 {
		return
	}
	pick := s.view[0]
	for _, i := range s.view {
		if strings.EqualFold(s.rows[i].SKU.Code, strings.TrimSpace(s.filterEntry.Text)) {
			pick = i
			break
		}
	}
	s.showDetail(s.rows[pick].SKU.ID)
}

func (s *skusScreen) sortBy(col int) {
	if s.sortCol == col {
		s.sortDesc = !s.sortDesc
	} else {
		s.sortCol, s.sortDesc = col, false
	}
	s.applyView()
}

// shownCodes are the codes of the SKUs the list shows, in its order, when
// a filter or a status leaves some out: Print labels… beside the list
// prints those, as a maker who filtered the list to the totes means, not
// every SKU on sale. Nil when the list shows every SKU on sale, or none,
// or the archived ones, which are not on sale.
func (s *skusScreen) shownCodes() []string {
	if s.table == nil || s.archived || len(s.view) == 0 || len(s.view) == len(s.rows) {
		return nil
	}
	codes := make([]string, len(s.view))
	for i, v := range s.view {
		codes[i] = s.rows[v].SKU.Code
	}
	return codes
}

// applyView filters and sorts the rows into what the table shows.
func (s *skusScreen) applyView() {
	if s.table == nil {
		return
	}
	q := strings.ToLower(strings.TrimSpace(s.filterEntry.Text))
	st := s.status.Selected
	view := make([]int, 0, len(s.rows))
	anyNew := false
	for i, r := range s.rows {
		if r.SKU.Archived != (st == archivedFilter) || (st != archivedFilter && !statusMatches(st, r.Status)) {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(r.SKU.Code), q) && !strings.Contains(strings.ToLower(r.SKU.Shown()), q) &&
			!strings.Contains(strings.ToLower(r.SKU.Factory), q) {
			continue
		}
		view = append(view, i)
		anyNew = anyNew || r.ShortHistory
	}
	if s.newNote.Hidden == anyNew {
		s.newNote.Hidden = !anyNew
		s.list.Refresh() // lays the table out again, above the note or without it
	}
	col := skuColumns[s.sortCol]
	slices.SortStableFunc(view, func(a, b int) int {
		c := col.compare(s.rows[a], s.rows[b])
		if s.sortDesc {
			return -c
		}
		return c
	})
	s.view = view
	s.count.SetText(fmt.Sprintf("%d of %d", len(view), len(s.rows)))
	s.showEmpty(emptySKUsText(len(s.rows), len(view), q, st))
	s.table.Refresh()
}

// showEmpty puts text in the table's place, or the table back for "".
// A new shop's list was a bare row of headings, and a filter that left
// no SKU out of many an empty table with "0 of 12" at its side.
func (s *skusScreen) showEmpty(text string) {
	if text == s.empty.Text && s.empty.Visible() == (text != "") {
		return
	}
	s.empty.SetText(text)
	s.empty.Hidden, s.fitBox.Hidden = text == "", text != ""
	s.list.Refresh()
}

// emptySKUsText says why the SKU list shows none of its rows of all, and
// what to do, with the filter's text q and status st; "" when it shows
// some.
func emptySKUsText(all, shown int, q, st string) string {
	switch {
	case shown > 0:
		return ""
	case all == 0 && st == archivedFilter:
		return "No SKU is archived."
	case all == 0:
		return "No SKUs on sale yet: New SKU… adds one, or Shop → Import a file… takes an Etsy or Shopify listings file."
	case q != "" && st != statusFilters[0]:
		return fmt.Sprintf("No SKU with the status %q matches %q.", st, q)
	case q != "":
		return fmt.Sprintf("No SKU matches %q.", q)
	}
	return fmt.Sprintf("No SKU matches the status %q.", st)
}

// maxCodeWidth is as wide as the Code column grows for long codes, about
// twenty letters: it stays in view as the table scrolls sideways, and at
// 800×600 a wider one left little room for the rest. Longer codes are
// cut, and shown whole in the detail.
const maxCodeWidth = 220

// fitCodes widens the Code column for the longest code of the list, the
// rows filtered out too, so that filtering does not move the columns:
// at its usual width an eleven-letter code such as EBOOK-GLAZE was cut.
func (s *skusScreen) fitCodes() {
	s.fit.setWidth(s.fitBox, 0, codeColumnWidth(skuColumns[0].width, longestCodes(s.rows)))
}

// codeColumnWidth is how wide a column of codes is for codes, the longest
// of its list (longestCodes, longestOf): as wide as the widest, not narrower than width,
// its usual width, nor wider than maxCodeWidth.
func codeColumnWidth(width float32, codes []string) float32 {
	for _, code := range codes {
		// setCellText cuts a text within a point of its room.
		width = max(width, fyne.MeasureText(code, theme.TextSize(), fyne.TextStyle{}).Width+2*theme.InnerPadding()+2)
	}
	return min(width, maxCodeWidth)
}

// maxMeasuredCodes bounds the codes fitCodes measures: Fyne shapes a text
// the first time it measures it, and the 5,000 codes of a big shop took
// half a second to measure, ten times what opening the screen may take.
const maxMeasuredCodes = 32

// longestCodes are the codes of rows that can be the widest: those at most
// two letters shorter than the longest, at most maxMeasuredCodes of them
// (letters differ in width, but three more letters outweigh that).
func longestCodes(rows []app.StockRow) []string {
	return longestOf(len(rows), func(i int) string { return rows[i].SKU.Code })
}

// longestOf is longestCodes of the n codes code gives, by their index.
func longestOf(n int, code func(i int) string) []string {
	longest := 0
	for i := range n {
		longest = max(longest, utf8.RuneCountInString(code(i)))
	}
	var out []string
	for i := range n {
		if c := code(i); utf8.RuneCountInString(c) >= longest-2 {
			if out = append(out, c); len(out) == maxMeasuredCodes {
				break
			}
		}
	}
	return out
}

// skuDetail is the pane beside the table: one SKU's numbers, its 90-day
// chart, its buyer message and what can be done to it.
type skuDetail struct {
	s         *skusScreen
	u         *UI
	obj       fyne.CanvasObject
	places    *widget.Label   // on hand at each location, when not all at main
	parts     *fyne.Container // a kit's parts and how many of each are available
	partLines *widget.Label   // one line a part
	gen       int

	heading *widget.Label
	status  *widget.Label
	newNote *widget.Label // newRateNote, under the status of a reorder marked new
	facts   map[string]*widget.Label
	chart   *dayChart
	message *widget.Label
	// messageWarning is for the maker: a date no batch is on its way to
	// keep. Copy leaves it out.
	messageWarning *widget.Label
	copyBtn        *widget.Button
	actions        *fyne.Container
	body           *fyne.Container
	scroll         *container.Scroll // the body's; a SKU newly shown starts at its top
	hint           *widget.Label
	row            app.StockRow
	orderBtn       *widget.Button
	countBtn       *widget.Button
	adjustBtn      *widget.Button
	moveBtn        *widget.Button // shown when the shop has a place besides main

	labelsBtn, sourceBtn *widget.Button
	// One of the two shows: Archive for a SKU on sale, Unarchive otherwise.
	archiveBtn, unarchiveBtn *widget.Button
}

// skuFacts are the detail's facts, in three columns.
var skuFacts = [][]string{
	{"Path", "Factory", "Price / cost", "Lead time"},
	{"Cover min / max", "Daily rate", "Days of cover", "Next arrival"},
	{"On hand", "Held for QA", "Available", "On order"},
}

func newSKUDetail(s *skusScreen) *skuDetail {
	d := &skuDetail{s: s, u: s.u, facts: map[string]*widget.Label{}}
	d.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.heading.SizeName = theme.SizeNameSubHeadingText
	d.heading.Truncation = fyne.TextTruncateEllipsis
	d.status = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	columns := container.NewGridWithColumns(len(skuFacts))
	for _, col := range skuFacts {
		form := widget.NewForm()
		for _, f := range col {
			// Values wrap rather than end in "…": in an 800-point window
			// a third of the width cut "7 / 14 days" to "7 / 14 ...".
			l := widget.NewLabel("")
			l.Wrapping = fyne.TextWrapWord
			d.facts[f] = l
			form.Append(f, l)
		}
		columns.Add(form)
	}
	d.chart = newDayChart()
	d.message = widget.NewLabel("")
	d.message.Wrapping = fyne.TextWrapWord
	d.messageWarning = widget.NewLabel("")
	d.messageWarning.Wrapping = fyne.TextWrapWord
	d.messageWarning.Importance = widget.WarningImportance
	d.messageWarning.Hide()
	d.copyBtn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		d.u.app.Clipboard().SetContent(d.message.Text)
		d.copyBtn.SetText("Copied") // nothing else shows it went
	})
	edit := widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), d.edit)
	d.orderBtn = widget.NewButtonWithIcon("Order batch…", theme.ContentAddIcon(), func() { d.u.batches.orderForm(d.row.SKU.Code, d.row.Plan.SuggestedQty()) })
	d.countBtn = widget.NewButton("Count…", func() { d.s.countForm(d.row.SKU) })
	d.labelsBtn = widget.NewButton("Labels…", func() { d.u.labelsForm([]string{d.row.SKU.Code}) })
	d.sourceBtn = widget.NewButton("Sourcing…", func() { d.u.showSourcing(d.row.SKU.Code) })
	d.adjustBtn = widget.NewButton("Adjust…", func() { d.s.adjustForm(d.row.SKU) })
	d.moveBtn = widget.NewButton("Move…", func() { d.s.moveForm(d.row.SKU) })
	d.moveBtn.Hide()
	d.archiveBtn = widget.NewButtonWithIcon("Archive", theme.DeleteIcon(), func() { d.s.archive(d.row.SKU) })
	d.unarchiveBtn = widget.NewButtonWithIcon("Unarchive", theme.ContentUndoIcon(), func() { d.s.unarchive(d.row.SKU) })
	d.unarchiveBtn.Hide()
	// The buttons wrap to a second row in a narrow window.
	d.actions = container.New(narrowingRowWrap{layout.NewRowWrapLayout()}, edit, d.orderBtn, d.countBtn, d.adjustBtn, d.moveBtn, d.labelsBtn, d.sourceBtn, d.archiveBtn, d.unarchiveBtn)
	msgLabel := widget.NewLabelWithStyle("Buyer message", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	msgCard := container.NewBorder(nil, d.messageWarning, msgLabel, d.copyBtn, d.message)
	chartCard := widget.NewCard("", "Last 90 days", d.chart)
	d.places = widget.NewLabel("")
	d.places.Wrapping = fyne.TextWrapWord
	d.places.Hide()
	d.partLines = widget.NewLabel("")
	d.partLines.Wrapping = fyne.TextWrapWord
	d.parts = container.NewBorder(nil, nil, widget.NewLabelWithStyle("Parts", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, d.partLines)
	d.parts.Hide()
	d.newNote = widget.NewLabel(newRateNote)
	d.newNote.Wrapping = fyne.TextWrapWord
	d.newNote.Hide()
	d.body = container.NewVBox(container.NewBorder(nil, nil, nil, d.status, d.heading), d.newNote, d.actions, columns, d.parts, d.places, msgCard, chartCard)
	d.body.Hide()
	d.hint = widget.NewLabel("Select a SKU to see its history and buyer message.")
	d.hint.Wrapping = fyne.TextWrapWord
	d.scroll = container.NewVScroll(d.body)
	d.obj = container.NewStack(d.scroll, container.NewVBox(d.hint))
	return d
}

func (d *skuDetail) content() fyne.CanvasObject { return d.obj }

// load reads one SKU's stock, history and buyer message.
func (d *skuDetail) load(code string) {
	d.gen++
	gen := d.gen
	d.u.run(func(ctx context.Context) (func(), error) {
		asOf := d.u.shop.AsOfNow()
		rows, err := d.u.shop.Stock(ctx, asOf, code)
		if err != nil {
			return nil, err
		}
		days, err := d.u.shop.History(ctx, code, asOf, app.HistoryDays)
		if err != nil {
			return nil, err
		}
		msg, err := d.u.shop.Message(ctx, code, asOf)
		if err != nil {
			return nil, err
		}
		locs, err := d.u.shop.Locations(ctx)
		if err != nil {
			return nil, err
		}
		var kit *app.KitView
		if rows[0].SKU.Path == domain.PathKit {
			k, err := d.u.shop.Kit(ctx, code, asOf)
			if err != nil {
				return nil, err
			}
			kit = &k
		}
		return func() {
			if gen != d.gen {
				return
			}
			d.show(rows[0], days, msg)
			d.showPlaces(rows[0], locs)
			d.showParts(kit)
		}, nil
	})
}

// showParts lists a kit's parts, each with how many a kit takes and how
// many are available: a kit's detail said how many kits could be sold but
// not what they were made of, nor which part was short.
func (d *skuDetail) showParts(k *app.KitView) {
	if k == nil {
		d.parts.Hide()
		return
	}
	lines := make([]string, len(k.Stock))
	for i, p := range k.Stock {
		var have string
		switch {
		case !p.OnSale:
			have = "no longer on sale"
		case p.Digital:
			have = "a download, never runs out"
		default:
			have = fmt.Sprintf("%d available", p.Available)
		}
		lines[i] = fmt.Sprintf("%d × %s · %s", p.Qty, p.Code, have)
	}
	d.partLines.SetText(strings.Join(lines, "\n"))
	d.parts.Show()
}

// showPlaces says where the units on hand are, once some are away from
// main.
func (d *skuDetail) showPlaces(r app.StockRow, locs []app.Location) {
	d.moveBtn.Hidden = len(locs) < 2 || r.SKU.Path == domain.PathDigital || r.SKU.Path == domain.PathKit
	d.moveBtn.Refresh()
	if r.Places == nil || r.SKU.Path == domain.PathDigital {
		d.places.Hide()
		return
	}
	var parts []string
	for _, l := range locs {
		if lv := r.Places.At(l.ID, domain.Level{}); lv.OnHand != 0 || l.ID == "" {
			parts = append(parts, fmt.Sprintf("%s %d", l.Name, lv.OnHand))
		}
	}
	d.places.SetText("On hand by location: " + strings.Join(parts, " · "))
	d.places.Show()
}

// showStatus shows the SKU's status, and what new means under a reorder
// marked new.
func (d *skuDetail) showStatus(r app.StockRow) {
	d.status.SetText(rowStatusText(r))
	d.status.Importance = statusImportance(r.Status)
	d.status.Refresh()
	if d.newNote.Hidden == r.ShortHistory {
		d.newNote.Hidden = !r.ShortHistory
		d.body.Refresh() // lays the body out again, with the note or without it
	}
}

func (d *skuDetail) show(r app.StockRow, days []domain.Day, msg app.BuyerMessage) {
	if d.row.SKU.ID != r.SKU.ID {
		// Another SKU starts at its code and name, not at the scroll the
		// last one was left at, its heading and buttons out of view.
		d.scroll.ScrollToTop()
	}
	d.row = r
	k := r.SKU
	cur := d.u.info.Currency
	heading := k.Code + " — " + k.Shown()
	if k.Archived {
		heading += " (archived)"
	}
	d.heading.SetText(heading)
	d.showStatus(r)
	factory := k.Factory
	if factory == "" {
		factory = "—"
	}
	if r.Blocked && k.Path != domain.PathKit { // a kit's is a part's factory
		factory += " (paused)"
	}
	set := func(name, v string) { d.facts[name].SetText(v) }
	set("Path", string(k.Path))
	set("Factory", factory)
	set("Price / cost", k.Price.Format(cur)+" / "+k.Cost.Format(cur)+" "+cur)
	set("Lead time", plural(k.LeadDays, "day", "days"))
	set("Cover min / max", fmt.Sprintf("%d / %d days", k.MinCover, k.MaxCover))
	set("On hand", fmt.Sprint(r.OnHand))
	set("Held for QA", fmt.Sprint(r.Held))
	set("Available", fmt.Sprint(r.Available))
	set("On order", fmt.Sprint(r.OnOrder))
	set("Daily rate", fmt.Sprintf("%s a day (%d in %d d)", rateText(r.Rate), r.Rate.Sold, r.Rate.Days))
	set("Days of cover", coverText(r))
	set("Next arrival", arrivalText(r.NextArrival, d.u.shop.Now(), d.u.shop.Location()))
	switch k.Path {
	case domain.PathDigital:
		for _, n := range []string{"Lead time", "Cover min / max", "On hand", "Held for QA", "Available", "On order", "Next arrival"} {
			set(n, "—")
		}
		set("Days of cover", "never runs out")
		if r.IdleOnOrder > 0 {
			// Batches from before it became digital: not stock it waits for.
			set("On order", fmt.Sprintf("— (%d in open batches, not counted)", r.IdleOnOrder))
		}
	case domain.PathKit:
		// Its units, sales and making are its parts': it has what its
		// scarcest part allows, and the shortest cover of its parts.
		for _, n := range []string{"Factory", "Lead time", "Cover min / max", "Held for QA", "On order", "Next arrival"} {
			set(n, "—")
		}
		set("Price / cost", k.Price.Format(cur)+" "+cur)
		set("Daily rate", "—")
	}
	// A kit does none of these: its parts are made, counted and labelled.
	for _, b := range []*widget.Button{d.orderBtn, d.countBtn, d.adjustBtn, d.labelsBtn, d.sourceBtn} {
		b.Show()
		if k.Path == domain.PathKit {
			b.Hide()
		}
	}
	for _, b := range []*widget.Button{d.orderBtn, d.countBtn, d.adjustBtn, d.sourceBtn} {
		enable(b, k.Path != domain.PathDigital) // a download is neither made nor held
	}
	if k.Archived {
		d.orderBtn.Disable() // batches are ordered only for SKUs on sale
		d.archiveBtn.Hide()
		d.unarchiveBtn.Show()
	} else {
		d.unarchiveBtn.Hide()
		d.archiveBtn.Show()
	}
	d.showMessage(msg)
	d.chart.set(days, d.u.shop.Location())
	d.hint.Hide()
	d.body.Show()
}

// showMessage shows the buyer message, and beside it what the maker is
// warned of (Copy leaves that out).
func (d *skuDetail) showMessage(msg app.BuyerMessage) {
	d.message.SetText(msg.Message)
	d.copyBtn.SetText("Copy")
	d.messageWarning.SetText(strings.Join(msg.Warnings, "\n"))
	if len(msg.Warnings) > 0 {
		d.messageWarning.Show()
	} else {
		d.messageWarning.Hide()
	}
}

// edit opens the SKU's editor; a kit's has only what a kit has of its own.
func (d *skuDetail) edit() {
	if d.row.SKU.Path != domain.PathKit {
		d.s.editForm(&d.row.SKU)
		return
	}
	k, err := d.u.shop.Kit(d.u.ctx, d.row.SKU.Code, d.u.shop.AsOfNow())
	if err != nil {
		d.u.showError(err)
		return
	}
	d.u.kitEditForm(k, d.row.SKU.ID, func(saved domain.SKU) { d.s.selected = saved.ID })
}

// Forms -------------------------------------------------------------------

// skuForm is the SKU editor: every field, with the supply path's defaults
// shown as placeholders until overridden.
type skuForm struct {
	code, name, price, cost  *fieldEntry
	lead, minCover, maxCover *fieldEntry
	path, factory            *widget.Select
	newFactory               *widget.Button // adds a factory without leaving the form
	adding                   *formDialog    // the factory form New… opened last
	factories                []app.FactoryView
	orig                     *domain.SKU
	start                    map[*fieldEntry]string // what the override fields held when the form opened
	dialog                   *formDialog
	currency                 string // the shop's, which says whether 9,50 is an amount
}

// editForm opens the editor for a new SKU (orig nil) or an existing one.
func (s *skusScreen) editForm(orig *domain.SKU) *skuForm {
	u := s.u
	factories, err := u.shop.Factories(u.ctx, u.shop.AsOfNow())
	if err != nil {
		u.showError(err)
		return nil
	}
	f := &skuForm{factories: factories, orig: orig, start: map[*fieldEntry]string{}, currency: u.info.Currency}
	f.code = newFieldEntry()
	f.code.SetPlaceHolder("MUG-BLUE, as on the label")
	f.name = newFieldEntry()
	// Placeholders are hints in words, not values: "0.00" in the price
	// read as a price already set. Empty still saves 0.00. The examples
	// read as prices in the shop's currency: 2400 in yen, not 24.
	f.name.SetPlaceHolder("e.g. Blue stoneware mug")
	f.price = newFieldEntry()
	f.price.SetPlaceHolder("what the buyer pays, e.g. " + domain.Money(2400).Example(f.currency))
	f.cost = newFieldEntry()
	f.cost.SetPlaceHolder("what one costs you, e.g. " + domain.Money(950).Example(f.currency))
	f.lead, f.minCover, f.maxCover = newFieldEntry(), newFieldEntry(), newFieldEntry()
	paths := make([]string, len(domain.SupplyPaths))
	for i, p := range domain.SupplyPaths {
		paths[i] = string(p)
	}
	names := make([]string, len(factories))
	for i, fv := range factories {
		names[i] = fv.Name
	}
	f.factory = widget.NewSelect(names, func(string) { f.placeholders() })
	// A SKU made by a factory not added yet took it from the Factories
	// screen, the form and all it held thrown away to get there.
	f.newFactory = widget.NewButtonWithIcon("New…", theme.ContentAddIcon(), func() {
		f.adding = s.u.factories.addFormThen(f.factoryAdded)
	})
	f.path = widget.NewSelect(paths, func(string) { f.placeholders() })
	f.path.PlaceHolder = "(choose how it is made)"
	for _, e := range []*fieldEntry{f.lead, f.minCover} {
		e.OnChanged = func(string) { f.placeholders() }
	}

	title, submit := "New SKU", "Add SKU"
	if orig != nil {
		title, submit = "Edit "+orig.Code, "Save"
		f.code.SetText(orig.Code)
		f.name.SetText(orig.Name)
		f.path.SetSelected(string(orig.Path))
		f.factory.SetSelected(orig.Factory)
		f.price.SetText(orig.Price.Format(f.currency))
		f.cost.SetText(orig.Cost.Format(f.currency))
		// An override shows as a value; a default shows as a placeholder.
		if lead := f.factoryLead(); orig.LeadDays != lead {
			f.lead.SetText(fmt.Sprint(orig.LeadDays))
		}
		minD, maxD := domain.DefaultCover(orig.Path, orig.LeadDays)
		if orig.MinCover != minD {
			f.minCover.SetText(fmt.Sprint(orig.MinCover))
			maxD = 2 * orig.MinCover
		}
		if orig.MaxCover != maxD {
			f.maxCover.SetText(fmt.Sprint(orig.MaxCover))
		}
	}
	for _, e := range []*fieldEntry{f.lead, f.minCover, f.maxCover} {
		f.start[e] = e.Text
	}
	f.placeholders()
	items := []*widget.FormItem{
		widget.NewFormItem("Code", f.code),
		widget.NewFormItem("Name", f.name),
		widget.NewFormItem("Supply path", f.path),
		widget.NewFormItem("Factory", container.NewBorder(nil, nil, nil, f.newFactory, f.factory)),
		widget.NewFormItem("Price", f.price),
		widget.NewFormItem("Cost", f.cost),
		{Text: "Lead time (days)", Widget: f.lead, HintText: "empty: the factory's lead time"},
		{Text: "Min cover (days)", Widget: f.minCover, HintText: "empty: the supply path's default"},
		{Text: "Max cover (days)", Widget: f.maxCover, HintText: "empty: twice the minimum"},
	}
	f.dialog = u.newFormDialog(title, submit, items, func() error { return s.saveSKU(f) })
	f.dialog.show()
	return f
}

// factoryAdded lists the factory just added, named name, and chooses it.
func (f *skuForm) factoryAdded(name string) {
	u := f.dialog.u
	factories, err := u.shop.Factories(u.ctx, u.shop.AsOfNow())
	if err != nil {
		u.showError(err)
		return
	}
	f.factories = factories
	names := make([]string, len(factories))
	for i, fv := range factories {
		names[i] = fv.Name
	}
	f.factory.SetOptions(names)
	f.factory.SetSelected(name)
}

// factoryLead is the lead time of the chosen factory; 0 for none.
func (f *skuForm) factoryLead() int {
	for _, fv := range f.factories {
		if fv.Name == f.factory.Selected {
			return fv.LeadDays
		}
	}
	return 0
}

// placeholders show the defaults that apply to the fields left empty.
func (f *skuForm) placeholders() {
	path := domain.SupplyPath(f.path.Selected)
	if path == domain.PathDigital {
		// Clearing calls this again through the select's OnChanged, even
		// when nothing is selected: only clear what is there.
		if f.factory.Selected != "" {
			f.factory.ClearSelected()
		}
		f.factory.PlaceHolder = "(a download needs no factory)"
		f.factory.Disable()
		f.newFactory.Disable()
		// Nor has it a lead time or cover: a lead time typed for one
		// was taken without a word and dropped.
		for _, e := range []*fieldEntry{f.lead, f.minCover, f.maxCover} {
			if e.Text != "" {
				e.SetText("") // calls this again
			}
			e.SetPlaceHolder("(a download never runs out)")
			e.Disable()
		}
		return
	}
	for _, e := range []*fieldEntry{f.lead, f.minCover, f.maxCover} {
		e.Enable()
	}
	f.factory.PlaceHolder = "(choose the primary factory)"
	f.factory.Enable()
	f.newFactory.Enable()
	// A shop's only factory is the one a new SKU comes from: it had
	// to be chosen from a list of one.
	if f.orig == nil && len(f.factories) == 1 && f.factory.Selected == "" {
		f.factory.SetSelected(f.factories[0].Name) // calls this again
		return
	}
	lead := f.factoryLead()
	f.lead.SetPlaceHolder(emptyDays(lead, f.factory.Selected != "", "the factory's"))
	if n, err := parseDaysOpt("lead time", f.lead.Text); err == nil && n != nil {
		lead = *n
	}
	minD, maxD := domain.DefaultCover(path, lead)
	f.minCover.SetPlaceHolder(emptyDays(minD, path != "", "the supply path's"))
	n, err := parseDaysOpt("minimum cover", f.minCover.Text)
	if err == nil && n != nil {
		maxD = 2 * *n
	}
	f.maxCover.SetPlaceHolder(emptyDays(maxD, path != "" || (err == nil && n != nil), "twice the minimum"))
}

// emptyDays is a days field's placeholder: what leaving it empty gives,
// in words, or where that comes from while it is not known yet. A bare
// "14 (default)" read as a value typed in.
func emptyDays(days int, known bool, from string) string {
	if !known {
		return "empty: " + from
	}
	return "empty: " + plural(days, "day", "days")
}

// fields reads the form into what AddSKU and EditSKU take: for an edit,
// only what changed. What it refuses comes back as fieldErrors, every
// field checked.
func (f *skuForm) fields() (app.SKUFields, error) {
	var in app.SKUFields
	bad := fieldErrors{}
	o := f.orig
	code := strings.TrimSpace(f.code.Text)
	if o == nil || code != o.Code {
		if bad.add(f.code, domain.ValidateCode(code)) && o != nil {
			in.Code = &code
		}
	}
	name := strings.TrimSpace(f.name.Text)
	if o == nil || name != o.Name {
		bad.add(f.name, domain.ValidateName("SKU name", name))
		in.Name = &name
	}
	var path domain.SupplyPath
	if f.path.Selected == "" {
		bad.add(f.path, domain.Errorf(domain.EInvalid, "choose a supply path: digital, print, microfactory or handmade"))
	} else if p, err := domain.ParseSupplyPath(f.path.Selected); bad.add(f.path, err) {
		path = p
		if o == nil || path != o.Path {
			in.Path = &path
		}
	}
	factory := f.factory.Selected
	if path == domain.PathDigital {
		factory = ""
	}
	if (o == nil && factory != "") || (o != nil && factory != o.Factory) {
		in.Factory = &factory
	}
	if path != "" && path.NeedsFactory() && factory == "" {
		bad.add(f.factory, domain.Errorf(domain.EInvalid, "a %s SKU needs its primary factory; choose one, or add it with New…", path))
	}
	for _, m := range []struct {
		e   *fieldEntry
		dst **domain.Money
	}{{f.price, &in.Price}, {f.cost, &in.Cost}} {
		v, err := parseMoneyOpt(m.e.Text, f.currency)
		if !bad.add(m.e, err) {
			continue
		}
		if v == nil {
			zero := domain.Money(0)
			v = &zero
		}
		*m.dst = v
	}
	if o != nil {
		if in.Price != nil && *in.Price == o.Price {
			in.Price = nil
		}
		if in.Cost != nil && *in.Cost == o.Cost {
			in.Cost = nil
		}
	}
	for _, d := range []struct {
		e     *fieldEntry
		what  string
		dst   **int
		unset *bool
	}{
		{f.lead, "lead time", &in.LeadDays, &in.UnsetLeadDays},
		{f.minCover, "minimum cover", &in.MinCover, &in.UnsetMinCover},
		{f.maxCover, "maximum cover", &in.MaxCover, &in.UnsetMaxCover},
	} {
		v, err := parseDaysOpt(d.what, d.e.Text)
		if !bad.add(d.e, err) {
			continue
		}
		if o != nil && strings.TrimSpace(d.e.Text) == f.start[d.e] {
			continue // unchanged: keep following the default, or the override
		}
		// An emptied field gives the override up: the default applies again.
		*d.dst, *d.unset = v, v == nil && o != nil
	}
	return in, bad.orNil()
}

func (s *skusScreen) saveSKU(f *skuForm) error {
	in, err := f.fields()
	if err != nil {
		return err
	}
	var k domain.SKU
	if f.orig == nil {
		k, err = s.u.shop.AddSKU(s.u.ctx, strings.TrimSpace(f.code.Text), in)
	} else {
		k, err = s.u.shop.EditSKU(s.u.ctx, f.orig.ID, in)
	}
	if err != nil {
		return err
	}
	s.selected = k.ID
	s.u.changed()
	return nil
}

// countForm records a stocktake: at this device's location, or, in a shop
// with more than one, at the one chosen, as `count --location` does (the
// stall's shelf counted at the workshop after the fair). It shows what the
// ledger holds there, held units too, for the count to be read against.
func (s *skusScreen) countForm(k domain.SKU) *formDialog {
	u := s.u
	qty := newFieldEntry()
	qty.SetPlaceHolder("units on the shelf, held ones included")
	level := widget.NewLabel("")
	here, _ := u.shop.DeviceLocation(u.ctx)
	place := here.Name
	show := func(name string) {
		place = name
		level.SetText(s.ledgerLevel(k, name))
	}
	title, items := "Count "+k.Code+u.atHere(), []*widget.FormItem{}
	if names := u.locationNames(); len(names) > 1 {
		where := widget.NewSelect(names, nil)
		where.SetSelected(here.Name)
		where.OnChanged = func(name string) {
			show(name)
			u.win.Canvas().Focus(qty) // chosen, the count is typed next
		}
		title, items = "Count "+k.Code, append(items, widget.NewFormItem("Location", where))
	}
	show(place)
	items = append(items, widget.NewFormItem("On the ledger", level), widget.NewFormItem("Units on hand", qty))
	var d *formDialog
	asked := "" // a count below the held units the maker confirmed, and where
	d = u.newFormDialog(title, "Record count", items, func() error {
		n, err := parseCount(qty.Text)
		if err != nil {
			return fieldErrors{qty: err}
		}
		if note := s.countBelowHeld(k, place, n); note != "" && asked != fmt.Sprint(n, place) {
			// Asked over the form: Cancel goes back to it to correct the
			// count, which the maker may have taken without the QA box.
			u.ask("Fewer than are held for QA?", sentence(note), "Count them", "Cancel", func() {
				asked = fmt.Sprint(n, place)
				d.submit()
			})
			return errAsked
		}
		if _, err := u.shop.CountStock(u.ctx, app.Stocktake{Code: k.ID, Qty: n, Location: place}); err != nil {
			return err
		}
		u.changed()
		return nil
	})
	d.show()
	return d
}

// locationNames are the shop's locations by name, main first; nil if they
// cannot be read, which leaves a count at this device's.
func (u *UI) locationNames() []string {
	locs, err := u.shop.Locations(u.ctx)
	if err != nil {
		return nil
	}
	names := make([]string, len(locs))
	for i, l := range locs {
		names[i] = l.Name
	}
	return names
}

// ledgerLevel says what the ledger holds of k at place: "12 on hand, 2 of
// them held for QA".
func (s *skusScreen) ledgerLevel(k domain.SKU, place string) string {
	rows, err := s.u.shop.StockAt(s.u.ctx, s.u.shop.AsOfNow(), k.Code, place)
	if err != nil || len(rows) != 1 {
		return ""
	}
	at := fmt.Sprintf("%d on hand at %s", rows[0].OnHand, place)
	switch held := rows[0].Held; {
	case held > rows[0].OnHand:
		// After a count below the held units, or a sale forced beyond
		// stock: "1 on hand, 2 of them held" cannot be.
		at += fmt.Sprintf(", and %d held for QA there: more than are on hand", held)
	case held > 0:
		at += fmt.Sprintf(", %d of them held for QA", held)
	}
	return at
}

// countBelowHeld is the warning for a count of n units of k at place when
// more are held there for QA, naming their batches as the Batches screen
// shows them; else "".
func (s *skusScreen) countBelowHeld(k domain.SKU, place string, n int) string {
	u := s.u
	rows, err := u.shop.StockAt(u.ctx, u.shop.AsOfNow(), k.Code, place)
	if err != nil || len(rows) != 1 || n >= rows[0].Held {
		return ""
	}
	var names []string
	if batches, err := u.shop.HeldBatches(u.ctx, k.Code, place); err == nil {
		for _, b := range batches {
			names = append(names, b.Name(u.shop.Location()))
		}
	}
	return app.CountBelowHeld(k.Code, place, n, rows[0].Held, names)
}

// adjustForm records a signed correction with a note.
func (s *skusScreen) adjustForm(k domain.SKU) *formDialog {
	qty := newFieldEntry()
	qty.SetPlaceHolder("-2 or 3")
	note := newFieldEntry()
	note.SetPlaceHolder("why: broken on the shelf, found a box…")
	d := s.u.newFormDialog("Adjust "+k.Code+s.u.atHere(), "Record adjustment", []*widget.FormItem{
		widget.NewFormItem("Units", qty), widget.NewFormItem("Note", note)}, func() error {
		bad := fieldErrors{}
		n, err := parseSigned(qty.Text)
		bad.add(qty, err)
		if strings.TrimSpace(note.Text) == "" {
			bad.add(note, domain.Errorf(domain.EInvalid, "an adjustment needs a note saying why, such as \"broken on the shelf\""))
		}
		if err := bad.orNil(); err != nil {
			return err
		}
		if _, err := s.u.shop.Adjust(s.u.ctx, k.ID, n, strings.TrimSpace(note.Text), zeroTime); err != nil {
			return err
		}
		s.u.changed()
		return nil
	})
	d.show()
	return d
}

func (s *skusScreen) archive(k domain.SKU) {
	s.u.confirm("Archive "+k.Code+"?", sentence(fmt.Sprintf("%s stops being sold and reordered; its history stays", k.Shown())), "", func() {
		if err := s.u.shop.ArchiveSKU(s.u.ctx, k.ID); err != nil {
			s.u.showError(err)
			return
		}
		s.selected = ""
		s.md.showList()
		s.u.changed()
	})
}

// unarchive puts an archived SKU back on sale; it stays in the detail pane.
func (s *skusScreen) unarchive(k domain.SKU) {
	back, err := s.u.shop.UnarchiveSKU(s.u.ctx, k.ID)
	if err != nil {
		s.u.showError(err)
		return
	}
	s.selected = back.ID
	s.u.changed()
}
