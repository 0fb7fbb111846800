package ui

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// Decisions beyond the reorder (DESIGN.md section 9): bundle ideas and
// money-losing SKUs on Today, kits, margins and sourcing.

// Today's rows that are not alerts of the shop's: what the decisions
// suggest, read after the alerts so the screen opens as fast as before.
const (
	kindBundleIdea = "bundle_idea"
	kindLosesMoney = "loses_money"
)

// marginDays is the window the margins and Today's money-losers read.
const marginDays = 90

// decisionItems are Today's bundle ideas and the SKUs that lost money
// over the last marginDays days.
func decisionItems(ctx context.Context, shop *app.Shop, cur string) ([]todayItem, error) {
	asOf := shop.AsOfNow()
	ideas, err := shop.BundleIdeas(ctx, asOf, app.BundleIdeasShown)
	if err != nil {
		return nil, err
	}
	margins, err := shop.Margins(ctx, asOf, marginDays)
	if err != nil {
		return nil, err
	}
	var items []todayItem
	for _, m := range margins {
		if m.Contribution >= 0 {
			break // the worst first: the rest made money
		}
		items = append(items, todayItem{action: "Open SKU", alert: app.Alert{Kind: kindLosesMoney, Subject: m.Code,
			Message: fmt.Sprintf("%s (%s) lost %s %s over the last %d days: %d sold for %s, costing %s with %s in returns",
				m.Code, m.Name, (-m.Contribution).Format(cur), cur, marginDays, m.Units, m.Revenue.Format(cur), m.Cost.Format(cur), m.Returns.Format(cur))}})
	}
	for _, idea := range ideas {
		items = append(items, todayItem{action: "Make a kit…", idea: &idea, newSKU: idea.ShortHistory, alert: app.Alert{Kind: kindBundleIdea, Subject: idea.Over + "+" + idea.With,
			Message: fmt.Sprintf("Sell %s with %s for %s %s: it could free %s in 28 days. %s", idea.Over, idea.With, idea.Price.Format(cur), cur, plural(idea.FreesUnits, "unit", "units"), sentence(idea.Reason))}})
	}
	return items, nil
}

// kitForm makes a kit: a SKU sold and returned as its parts. idea, when
// given, fills it in.
func (u *UI) kitForm(idea *domain.BundleIdea) *formDialog { return u.kitFormThen(idea, nil) }

// kitFormThen is kitForm; then, when given, runs once the kit is made.
func (u *UI) kitFormThen(idea *domain.BundleIdea, then func()) *formDialog {
	code, name, parts, price := newFieldEntry(), newFieldEntry(), newFieldEntry(), newFieldEntry()
	code.SetPlaceHolder("KIT-01")
	name.SetPlaceHolder("what the buyer sees")
	parts.SetPlaceHolder("MUG-01:1, CARD-02:2")
	price.SetPlaceHolder("empty: the parts' prices less 10 %")
	if idea != nil {
		code.SetText("KIT-" + idea.Over)
		name.SetText(idea.Over + " with " + idea.With)
		parts.SetText(idea.Over + ":1, " + idea.With + ":1")
		price.SetText(idea.Price.Format(u.info.Currency))
	}
	d := u.newFormDialog("New kit", "Make kit", []*widget.FormItem{
		widget.NewFormItem("Code", code),
		widget.NewFormItem("Name", name),
		{Text: "Parts", Widget: parts, HintText: "CODE:QTY of each part, comma between"},
		widget.NewFormItem("Price", price),
	}, func() error {
		// Every problem at once, each under its field: the shop's own
		// refusal says only the first.
		bad := fieldErrors{}
		bad.add(code, domain.ValidateCode(strings.TrimSpace(code.Text)))
		_, err := domain.CleanName("kit name", name.Text)
		bad.add(name, err)
		in, err := parseParts(parts.Text)
		bad.add(parts, err)
		bad.add(parts, app.CheckKitParts(strings.TrimSpace(code.Text), in))
		bad.add(parts, u.knownParts(in))
		p, err := parseMoneyOpt(price.Text, u.info.Currency)
		bad.add(price, err)
		if err := bad.orNil(); err != nil {
			return err
		}
		kitPrice := domain.Money(-1) // the parts' prices less 10 %
		if p != nil {
			kitPrice = *p
		}
		k, err := u.shop.AddKit(u.ctx, strings.TrimSpace(code.Text), name.Text, kitPrice, in)
		if err != nil {
			return err
		}
		u.inform("Kit made", fmt.Sprintf("%s sells at %s %s; it is on the Sell screen and sells as its parts", k.Code, k.Price.Format(u.info.Currency), u.info.Currency))
		u.changed()
		if then != nil {
			then()
		}
		return nil
	})
	d.show()
	return d
}

// knownParts refuses the first part the shop has no SKU for.
func (u *UI) knownParts(parts []app.KitPartIn) error {
	for _, p := range parts {
		if _, err := u.shop.SKU(u.ctx, p.Code); err != nil {
			return err
		}
	}
	return nil
}

// parseParts reads "CODE:QTY, CODE:QTY"; a part without a quantity is one.
func parseParts(s string) ([]app.KitPartIn, error) {
	var out []app.KitPartIn
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		code, qty, found := strings.Cut(p, ":")
		n := 1
		if found {
			var err error
			if n, err = strconv.Atoi(strings.TrimSpace(qty)); err != nil || n < 1 {
				return nil, domain.Errorf(domain.EInvalid, "%q is not a part; write CODE:QTY with a quantity from 1, like MUG-01:2", p)
			}
		}
		out = append(out, app.KitPartIn{Code: strings.TrimSpace(code), Qty: n})
	}
	if len(out) == 0 {
		return nil, domain.Errorf(domain.EInvalid, "a kit needs its parts; write them as CODE:QTY, like MUG-01:1, CARD-02:2")
	}
	return out, nil
}

// marginsView is the unit economics of every SKU, worst first, or sorted
// by the column chosen.
type marginsView struct {
	u     *UI
	rows  []app.MarginRow
	table *widget.Table
	sort  *widget.Select
	note  *widget.Label
	// window is how many days back the margins read; marginDays at first.
	window *widget.Select
	// fitCodes widens the Code column for the longest code read: at its
	// usual width ZINE-FORAGE read "ZINE-FORA…"; and each figure's column
	// for its widest figure.
	fitCodes func()
	columns  []int // the columns of marginColumns the table shows
}

// marginWindows are the windows the view offers, in days.
var marginWindows = []int{30, marginDays, 365}

var marginColumns = []string{"Code", "Name", "Units", "Revenue", "Cost", "Returns", "Contribution", "Margin", "Per day"}

// marginWidths are the columns' widths before the margins are read; the
// name's is what it gets in a wide window, and it gives way to 60 % of it
// (minFlexShare), a name of about twenty letters, before columns are left
// out.
var marginWidths = []float32{100, 270, 50, 75, 70, 70, 100, 70, 65}

// marginDrop are the columns, by marginColumns, the margins leave out
// where the rest would not fit, the first first: Returns, then Cost, the
// steps from Revenue to Contribution, which the note names, then Per day.
// At 800×600 every column showed and the names read "Print…" and "Riso …".
var marginDrop = []int{5, 4, 8}

// marginSorts are the orders the view offers.
var marginSorts = []string{"Contribution, worst first", "Contribution, best first", "Margin %, worst first", "Units sold", "Revenue"}

func (u *UI) showMargins() *marginsView {
	v := &marginsView{u: u, note: widget.NewLabel(" ")}
	v.note.Wrapping = fyne.TextWrapWord
	for i := range marginColumns {
		v.columns = append(v.columns, i)
	}
	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.rows), len(v.columns) },
		newCellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row < len(v.rows) && id.Col < len(v.columns) {
				col := v.columns[id.Col]
				imp := widget.MediumImportance
				if v.rows[id.Row].Contribution < 0 {
					imp = widget.DangerImportance
				}
				text := marginCell(v.rows[id.Row], col, u.info.Currency)
				if col == 0 {
					text = codeCellText(l, text)
				}
				setCellText(l, text, cellAlignment(col, 2), imp)
			}
		})
	v.table.ShowHeaderColumn = false
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(v.columns) {
			o.(*widget.Label).SetText(marginColumns[v.columns[id.Col]])
		}
	}
	// The names take what room a wider window has: at a fixed width they
	// were cut short beside an empty fifth of the dialog.
	cols := make([]tableColumn, len(marginColumns))
	for i, w := range marginWidths {
		cols[i] = tableColumn{width: w, flex: i == 1}
	}
	fitted, fit := fitColumnsDropping(v.table, cols, marginDrop, func(shown []int) {
		v.columns = shown
		v.table.Refresh()
	})
	v.fitCodes = func() {
		widths := slices.Clone(marginWidths)
		widths[0] = codeColumnWidth(marginWidths[0], longestOf(len(v.rows), func(i int) string { return v.rows[i].Code }))
		for col := 2; col < len(marginColumns); col++ {
			for _, r := range v.rows {
				widths[col] = figureWidth(widths[col], marginCell(r, col, u.info.Currency))
			}
		}
		fit.setWidths(fitted, widths)
	}
	v.sort = widget.NewSelect(marginSorts, func(string) { v.sortRows() })
	sortBox := container.NewGridWrap(fyne.NewSize(260, v.sort.MinSize().Height), v.sort)
	var windows []string
	for _, n := range marginWindows {
		windows = append(windows, fmt.Sprintf("%d days", n))
	}
	v.window = widget.NewSelect(windows, func(string) { v.load() })
	top := container.NewVBox(container.NewHBox(widget.NewLabel("The last"), v.window, widget.NewLabel("sorted by"), sortBox), v.note)
	d := dialog.NewCustom("Margins", "Close", readingBorder(top, nil, nil, nil, fitted), u.win)
	d.Resize(fyne.NewSize(min(900, u.win.Canvas().Size().Width-40), min(520, u.win.Canvas().Size().Height-40)))
	u.showDialog(d)
	v.window.SetSelected(fmt.Sprintf("%d days", marginDays)) // reads the margins
	return v
}

// load reads the margins over the window chosen.
func (v *marginsView) load() {
	u, days := v.u, marginWindows[max(v.window.SelectedIndex(), 0)]
	u.run(func(ctx context.Context) (func(), error) {
		rows, err := u.shop.Margins(ctx, u.shop.AsOfNow(), days)
		if err != nil {
			return nil, err
		}
		return func() {
			v.rows = rows
			v.fitCodes()
			losing := 0
			for _, r := range rows {
				if r.Contribution < 0 {
					losing++
				}
			}
			if len(rows) == 0 {
				// Said as microshopctl margins says it: "0 SKUs; 0 lost
				// money" read as a count, not as nothing sold.
				v.note.SetText(fmt.Sprintf("No sales in the last %d days, so no margins to show.", days))
			} else {
				v.note.SetText(fmt.Sprintf("%s; %d lost money (in red). Contribution is revenue less cost and returns; a kit's sales count in its parts'.", plural(len(rows), "SKU", "SKUs"), losing))
			}
			v.sort.SetSelectedIndex(0)
			v.sortRows() // again when the sort chosen is the same
		}, nil
	})
}

func (v *marginsView) sortRows() {
	by := v.sort.SelectedIndex()
	slices.SortStableFunc(v.rows, func(a, b app.MarginRow) int {
		switch by {
		case 1:
			return cmp.Compare(b.Contribution, a.Contribution)
		case 2:
			return cmp.Compare(a.MarginPct, b.MarginPct)
		case 3:
			return cmp.Compare(b.Units, a.Units)
		case 4:
			return cmp.Compare(b.Revenue, a.Revenue)
		}
		return cmp.Compare(a.Contribution, b.Contribution)
	})
	v.table.Refresh()
}

// newCellLabel is a table cell: one line, cut short with an ellipsis.
func newCellLabel() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// cellAlignment puts figures, from column firstNumber on, to the right.
func cellAlignment(col, firstNumber int) fyne.TextAlign {
	if col >= firstNumber {
		return fyne.TextAlignTrailing
	}
	return fyne.TextAlignLeading
}

func marginCell(r app.MarginRow, col int, currency string) string {
	switch col {
	case 0:
		return r.Code
	case 1:
		return r.Name
	case 2:
		return strconv.Itoa(r.Units)
	case 3:
		return r.Revenue.Format(currency)
	case 4:
		return r.Cost.Format(currency)
	case 5:
		return r.Returns.Format(currency)
	case 6:
		return r.Contribution.Format(currency)
	case 7:
		if r.Revenue == 0 {
			return "—" // nothing sold: no margin, where 0.0 % reads as breaking even
		}
		return fmt.Sprintf("%.1f %%", r.MarginPct)
	}
	return r.PerDay.Format(currency)
}
