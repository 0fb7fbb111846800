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
		if r.Status == domain.StatusDigital { // a download, or a kit of downloads
			return "∞"
		}
		return fmt.Sprint(r.Available)
	}, func(a, b app.StockRow) int { return cmp.Compare(sortAvailable(a), sortAvailable(b)) }},
	{"On order", 75, true, func(r app.StockRow) string { return fmt.Sprint(r.OnOrder) },
		func(a, b app.StockRow) int { return cmp.Compare(a.OnOrder, b.OnOrder) }},
	{"Cover", 90, true, coverText,
		func(a, b app.StockRow) int { return cmp.Compare(a.CoverDays, b.CoverDays) }},
	{"Per day", 65, true, func(r app.StockRow) string {
		if r.SKU.Path == domain.PathKit {
			return "—" // its sales count in its parts' rates
		}
		return rateText(r.Rate)
	},
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
	if r.Status == domain.StatusDigital {
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
		if i == 0 {
			cols[i].floor = c.width // a long code gives way, Per day stays in view
		}
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
	switch col.title {
	case "Name":
		text = shownText(l, r.SKU.Name, r.SKU.Variant)
	case "Code": // whole in the SKU's detail
		text = codeCellText(l, text)
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
// cut in the middle (codeText), and shown whole in the detail.
const maxCodeWidth = 220

// fitCodes widens the Code column for the longest code of the list, the
// rows filtered out too, so that filtering does not move the columns:
// at its usual width an eleven-letter code such as EBOOK-GLAZE was cut.
func (s *skusScreen) fitCodes() {
	widths := make([]float32, len(skuColumns))
	for i, c := range skuColumns {
		widths[i] = c.width
		if c.numeric { // as wide as the widest figure: 1428.43 a day read "1428.…"
			widths[i] = figureWidth(c.width, longestOf(len(s.rows), func(r int) string { return c.text(s.rows[r]) })...)
		}
	}
	widths[0] = codeColumnWidth(skuColumns[0].width, longestCodes(s.rows))
	s.fit.setWidths(s.fitBox, widths)
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
