package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// sourcingView compares the ways to source one SKU side by side: its
// factory at its cost and every quote, with the one to choose and why.
type sourcingView struct {
	u        *UI
	code     string
	rate     *fieldEntry // a daily rate to assume, for a SKU with no sales
	run      *fieldEntry // a limited edition's units
	note     *widget.Label
	table    *widget.Table
	withdraw *widget.Button // the quote of the row selected
	selected int            // the row selected, -1 for none
	result   app.Sourcing
	columns  []int           // the columns of sourcingColumns the table shows
	fitBox   *fyne.Container // the table, its columns laid out by fit
	fit      *columnsLayout
}

var sourcingColumns = []string{"Factory", "Where", "Landed", "Lead", "Cover", "Order", "Avg units", "Cash tied", "Holding/unit", "Total/unit", "Run/unit"}

// sourcingShown is the order the columns show in: the costs per unit the
// choice rests on first, so they are in view in a small window.
var sourcingShown = []int{0, 1, 9, 2, 8, 10, 3, 4, 5, 6, 7}

// sourcingWidths are the columns' widths, by sourcingColumns, before a
// comparison shows: each is then as wide as its heading and figures
// (sourcingView.fitWidths). The factory's name wraps in a small window.
var sourcingWidths = []float32{180, 80, 75, 75, 75, 60, 85, 90, 106, 90, 80}

// maxFactoryWidth is the most the factory's column takes for its longest
// name: a longer one wraps.
const maxFactoryWidth = 240

// sourcingDrop are the columns, by sourcingColumns, the comparison leaves
// out where the rest would not fit without scrolling sideways, the first
// first: Holding/unit is Total/unit less Landed, Avg units a step towards
// it, and Where is told by the lead time and the note. At 800×600 Cover,
// Order and Cash tied were past the table's edge. Run/unit stays with a
// limited run typed, as its answer; with none it is a column of "—",
// left out first (sourcingDropNoRun).
var sourcingDrop = []int{8, 6, 1}

var sourcingDropNoRun = append([]int{10}, sourcingDrop...)

func (u *UI) showSourcing(code string) *sourcingView {
	v := &sourcingView{u: u, code: code, rate: newFieldEntry(), run: newFieldEntry(), note: widget.NewLabel(" "), selected: -1}
	v.note.Wrapping = fyne.TextWrapWord
	v.rate.SetPlaceHolder("from its sales")
	v.run.SetPlaceHolder("none")
	v.columns = sourcingShown
	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.result.Candidates), len(v.columns) },
		newCellLabel, v.updateCell)
	v.table.ShowHeaderColumn = false
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(v.columns) {
			o.(*widget.Label).SetText(sourcingColumns[v.columns[id.Col]])
		}
	}
	cols := make([]tableColumn, len(sourcingShown))
	for i, c := range sourcingShown {
		cols[i] = tableColumn{width: sourcingWidths[c], flex: c == 0}
	}
	v.fitBox, v.fit = fitColumnsDropping(v.table, cols, shownIndexes(sourcingDropNoRun), func(shown []int) {
		v.columns = make([]int, len(shown))
		for i, c := range shown {
			v.columns[i] = sourcingShown[c]
		}
		v.table.Refresh()
	})
	v.fit.sized = func([]float32) { v.fitRows() }
	compare := widget.NewButtonWithIcon("Compare", theme.ViewRefreshIcon(), v.load)
	quote := widget.NewButtonWithIcon("Add a quote…", theme.ContentAddIcon(), func() { u.quoteForm(code, v.load) })
	v.rate.OnSubmitted = func(string) { v.load() }
	v.run.OnSubmitted = func(string) { v.load() }
	v.rate.onEscape, v.run.onEscape = u.escape, u.escape // the dialog closes, as it does with nothing focused
	inputs := container.NewHBox(widget.NewLabel("Units a day"), container.NewGridWrap(fyne.NewSize(110, v.rate.MinSize().Height), v.rate),
		widget.NewLabel("Limited run of"), container.NewGridWrap(fyne.NewSize(90, v.run.MinSize().Height), v.run), compare, quote)
	v.withdraw = widget.NewButtonWithIcon("Withdraw quote…", theme.DeleteIcon(), v.askWithdraw)
	v.withdraw.Disable()
	v.table.OnSelected = func(id widget.TableCellID) {
		v.selected = id.Row
		v.showWithdraw()
	}
	content := readingBorder(container.NewVBox(inputs, v.note), container.NewHBox(v.withdraw), nil, nil, v.fitBox)
	d := dialog.NewCustom("Local or overseas: "+code, "Close", content, u.win)
	d.Resize(fyne.NewSize(min(980, u.win.Canvas().Size().Width-40), min(460, u.win.Canvas().Size().Height-40)))
	u.showDialog(d)
	v.load()
	return v
}

func (v *sourcingView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(v.result.Candidates) || id.Col >= len(v.columns) {
		l.SetText("")
		return
	}
	col := v.columns[id.Col]
	// A factory's name wraps, whole with its paused mark, in a row made
	// as tall (fitRows); the figures fit their columns (fitWidths).
	setWrappedCell(l, sourcingCell(v.result, id.Row, col), fyne.TextStyle{Bold: id.Row == v.result.Best},
		cellAlignment(col, 2), widget.MediumImportance, col == 0)
}

// shownIndexes are the columns cols, by sourcingColumns, by their index
// in sourcingShown.
func shownIndexes(cols []int) []int {
	out := make([]int, len(cols))
	for i, c := range cols {
		out[i] = slices.Index(sourcingShown, c)
	}
	return out
}

// fitWidths makes each column as wide as its heading and what it shows,
// the recommended row's in bold; the factory's up to maxFactoryWidth.
func (v *sourcingView) fitWidths() {
	pad := 2*theme.InnerPadding() + 2 // setCellText cuts a text within a point of its room
	widths := make([]float32, len(sourcingShown))
	for i, col := range sourcingShown {
		w := fyne.MeasureText(sourcingColumns[col], theme.TextSize(), fyne.TextStyle{Bold: true}).Width
		for r := range v.result.Candidates {
			w = max(w, fyne.MeasureText(sourcingCell(v.result, r, col), theme.TextSize(), fyne.TextStyle{Bold: r == v.result.Best}).Width)
		}
		widths[i] = w + pad
		if col == 0 {
			widths[i] = max(sourcingWidths[0], min(widths[i], maxFactoryWidth))
		}
	}
	v.fit.setWidths(v.fitBox, widths)
}

// fitRows makes each row as tall as its factory's name wrapped in the
// width its column has.
func (v *sourcingView) fitRows() {
	if v.fit.widths == nil {
		return // not laid out yet: laying it out fits them
	}
	fitRowHeights(v.table, len(v.result.Candidates), v.fit.widths, func(row, col int) (string, fyne.TextStyle, bool) {
		if col >= len(v.columns) || v.columns[col] != 0 {
			return "", fyne.TextStyle{}, false
		}
		return sourcingCell(v.result, row, 0), fyne.TextStyle{Bold: row == v.result.Best}, true
	})
}

// showWithdraw offers to withdraw the selected row's quote; the SKU's own
// factory at its cost is no quote.
func (v *sourcingView) showWithdraw() {
	if q := v.selectedQuote(); q != nil {
		v.withdraw.SetText("Withdraw " + q.Factory + "'s quote…")
		v.withdraw.Enable()
		return
	}
	v.withdraw.SetText("Withdraw quote…")
	v.withdraw.Disable()
}

// selectedQuote is the quote of the row selected, nil when none is.
func (v *sourcingView) selectedQuote() *domain.Candidate {
	if v.selected < 0 || v.selected >= len(v.result.Candidates) || v.result.Candidates[v.selected].ID == "" {
		return nil
	}
	return &v.result.Candidates[v.selected]
}

// askWithdraw withdraws the selected quote once confirmed.
func (v *sourcingView) askWithdraw() {
	q := v.selectedQuote()
	if q == nil {
		return
	}
	factory := q.Factory
	v.u.confirm("Withdraw the quote?", fmt.Sprintf("%s's quote for %s leaves the comparison on every device. Quoting again brings it back.", factory, v.code),
		"Withdraw", func() {
			v.u.act(func(ctx context.Context) (func(), error) {
				return v.load, v.u.shop.WithdrawQuote(ctx, factory, v.code)
			})
		})
}

// load compares the candidates again with the rate and run typed.
func (v *sourcingView) load() {
	q := app.SourceQuery{Code: v.code, AsOf: v.u.shop.AsOfNow()}
	var bad []string // every problem at once
	if t := strings.TrimSpace(v.rate.Text); t != "" {
		r, err := domain.ParseAssumedRate(t)
		if err != nil {
			bad = append(bad, strings.TrimSuffix(domain.ErrorMessage(err), "."))
		}
		q.Assumed = &r
	}
	if t := strings.TrimSpace(v.run.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > domain.MaxQty {
			bad = append(bad, fmt.Sprintf("%q is not a run; give a number of units from 1 to %d", t, domain.MaxQty))
		}
		q.Run = n
	}
	if len(bad) > 0 {
		v.show(app.Sourcing{}, domain.Errorf(domain.EInvalid, "%s", strings.Join(bad, "; ")))
		return
	}
	v.u.run(func(ctx context.Context) (func(), error) {
		res, err := v.u.shop.Source(ctx, q)
		return func() { v.show(res, err) }, nil
	})
}

// show puts a comparison in the window, or why there is none: an old one
// is never left under an error, where it read as the answer to the new
// question.
func (v *sourcingView) show(res app.Sourcing, err error) {
	v.selected = -1 // the rows are new
	v.table.UnselectAll()
	v.showWithdraw()
	v.note.Importance = widget.MediumImportance
	if err != nil {
		v.result = app.Sourcing{}
		v.note.Importance = widget.DangerImportance
		v.note.SetText(errorText(err))
		v.table.Refresh()
		return
	}
	v.result = res
	how := "from its sales"
	if res.Assumed {
		how = "assumed"
	}
	drop := sourcingDropNoRun
	if slices.ContainsFunc(res.Candidates, func(c domain.Candidate) bool { return c.RunCostPerUnit != 0 }) {
		drop = sourcingDrop // a limited run was typed: Run/unit answers it
	}
	v.fit.setDrop(v.fitBox, shownIndexes(drop))
	v.fitWidths()
	v.fitRows()
	v.note.SetText(fmt.Sprintf("At %.2f units a day (%s) and a holding rate of %d %% a year: %s",
		res.Rate.Hundredths(), how, res.HoldingRate, sentence(res.Reason)))
	v.table.Refresh()
}

func sourcingCell(s app.Sourcing, row, col int) string {
	c := s.Candidates[row]
	if c.Uncosted && (col == 2 || col >= 7) {
		return "—" // what it costs is not known: the SKU has no cost
	}
	switch col {
	case 0:
		return candidateName(c, row == s.Best)
	case 1:
		return string(c.Location)
	case 2:
		return c.LandedCost.Format(s.Currency)
	case 3:
		return plural(c.LeadDays, "day", "days")
	case 4:
		return plural(c.MinCover, "day", "days")
	case 5:
		return strconv.Itoa(c.OrderQty)
	case 6:
		return fmt.Sprintf("%.1f", c.AvgUnits)
	case 7:
		return c.CashTied.Format(s.Currency)
	case 8:
		return c.HoldingPerUnit.Format(s.Currency)
	case 9:
		return c.TotalPerUnit.Format(s.Currency)
	}
	if c.RunCostPerUnit == 0 {
		return "—"
	}
	return c.RunCostPerUnit.Format(s.Currency)
}

// candidateName is a candidate's factory, starred when recommended and
// marked when paused.
func candidateName(c domain.Candidate, best bool) string {
	return domain.NameWithVariant(candidateParts(c, best))
}

// candidateParts are candidateName's factory, starred when recommended,
// and its mark: "paused", or "" for none.
func candidateParts(c domain.Candidate, best bool) (name, mark string) {
	name = c.Factory
	if best {
		name = "★ " + name
	}
	if c.Paused {
		mark = "paused"
	}
	return name, mark
}

// quoteForm records what a factory asks to make a SKU; then runs after.
func (u *UI) quoteForm(code string, then func()) *formDialog {
	return u.quoteFormWith(code, "", func(string) {
		if then != nil {
			then()
		}
	})
}

// factoryQuoteForm records a quote of factory's for a SKU typed in, then
// shows how it compares: the question a quote answers is local or overseas.
func (u *UI) factoryQuoteForm(factory string) *formDialog {
	return u.quoteFormWith("", factory, func(code string) { u.afterForm(func() { u.showSourcing(code) }) })
}

// quoteFormWith is the quote form for code, or for a SKU typed in when
// code is empty, with factory chosen when given; then gets the SKU's code.
func (u *UI) quoteFormWith(code, factoryName string, then func(code string)) *formDialog {
	factories, err := u.shop.Factories(u.ctx, u.shop.AsOfNow())
	if err != nil {
		u.showError(err)
		return nil
	}
	names := make([]string, len(factories))
	for i, f := range factories {
		names[i] = f.Name
	}
	factory := widget.NewSelect(names, nil)
	if factoryName != "" {
		factory.SetSelected(factoryName)
	}
	sku := newFieldEntry()
	sku.SetPlaceHolder("the SKU's code, like MUG-01")
	cost, shipping, moq, multiple, lead := newFieldEntry(), newFieldEntry(), newFieldEntry(), newFieldEntry(), newFieldEntry()
	cur := u.info.Currency
	cost.SetPlaceHolder("per unit, like " + domain.Money(180).Example(cur))
	shipping.SetPlaceHolder("per unit landed; empty: none")
	for _, e := range []*fieldEntry{moq, multiple, lead} {
		e.SetPlaceHolder("empty: the factory's")
	}
	items := []*widget.FormItem{widget.NewFormItem("Factory", factory)}
	title := "Quote for " + code
	if code == "" {
		items = append(items, widget.NewFormItem("SKU", sku))
		title = "Quote from " + factoryName
	}
	free := false // the maker said a quote of 0.00 is meant
	var d *formDialog
	d = u.newFormDialog(title, "Record quote", append(items,
		widget.NewFormItem("Unit cost", cost),
		widget.NewFormItem("Shipping", shipping),
		widget.NewFormItem("Minimum order", moq),
		widget.NewFormItem("Multiple", multiple),
		&widget.FormItem{Text: "Lead time", Widget: lead, HintText: "days from order to arrival"},
	), func() error {
		bad := fieldErrors{}
		if factory.Selected == "" {
			bad.add(factory, domain.Errorf(domain.EInvalid, "choose the factory that quoted"))
		}
		in := app.QuoteFields{Factory: factory.Selected, Code: code}
		if code == "" {
			in.Code = strings.TrimSpace(sku.Text)
			bad.add(sku, u.knownSKU(in.Code))
		}
		c, err := parseMoneyOpt(cost.Text, cur)
		bad.add(cost, err)
		if err == nil && c == nil {
			bad.add(cost, domain.Errorf(domain.EInvalid, "the unit cost is empty; give what the factory asks a unit, like %s", domain.Money(180).Example(cur)))
		} else if c != nil {
			in.UnitCost = *c
		}
		sh, err := parseMoneyOpt(shipping.Text, cur)
		bad.add(shipping, err)
		in.Shipping = sh
		in.MOQ = optInt(bad, moq, "minimum order", 0)
		in.Multiple = optInt(bad, multiple, "multiple", 1)
		days, err := parseDaysOpt("lead time", lead.Text)
		bad.add(lead, err)
		in.LeadDays = days
		if err := bad.orNil(); err != nil {
			return err
		}
		if in.UnitCost == 0 && !free {
			// Asked over the form: Cancel goes back to it, to correct the cost.
			nothing := domain.Money(0).Format(cur)
			u.ask("Record a quote of "+nothing+"?", sentence(app.FreeQuoteWarning(in.Factory, in.Code, cur)), "Record it", "Cancel", func() {
				free = true
				d.submit()
			})
			return errAsked
		}
		res, err := u.shop.QuoteFactory(u.ctx, in)
		if err != nil {
			return err
		}
		then(res.Code)
		return nil
	})
	d.show()
	return d
}

// optInt reads a whole number from lo to domain.MaxQty, or nil for an
// empty field; a bad one is noted in bad, saying what is accepted.
func optInt(bad fieldErrors, e *fieldEntry, what string, lo int) *int {
	if strings.TrimSpace(e.Text) == "" {
		return nil
	}
	n, err := parseIntOpt(what, e.Text, 0, lo, domain.MaxQty)
	if err != nil {
		bad.add(e, err)
		return nil
	}
	return &n
}

// knownSKU says what is wrong with code as the SKU a quote is for: empty,
// or no SKU of the shop's.
func (u *UI) knownSKU(code string) error {
	if code == "" {
		return domain.Errorf(domain.EInvalid, "the SKU is empty; give the code of the SKU the factory quoted for, like MUG-01")
	}
	_, err := u.shop.SKU(u.ctx, code)
	return err
}
