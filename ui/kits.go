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

// kitsView lists the kits on sale: what each is made of, its price and how
// many can be sold now (its scarcest part's count).
type kitsView struct {
	u      *UI
	kits   []app.KitView
	table  *widget.Table
	note   *widget.Label
	d      dialog.Dialog
	fitBox *fyne.Container // the table, its columns laid out by fit
	fit    *columnsLayout
}

var kitColumns = []string{"Code", "Name", "Parts", "Price", "Available"}

// kitWidths are the columns' widths before the kits are read; then the
// code, price and count are as wide as they need (fitWidths), and the
// name and parts share the rest, wrapping in taller rows (fitRows).
var kitWidths = []float32{140, 160, 230, 70, 85}

// kitWraps tells the columns whose cells wrap: the name and the parts.
func kitWraps(col int) bool { return col == 1 || col == 2 }

func (u *UI) showKits() *kitsView {
	v := &kitsView{u: u, note: widget.NewLabel(" ")}
	v.note.Wrapping = fyne.TextWrapWord
	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.kits), len(kitColumns) },
		newCellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(v.kits) {
				imp := widget.MediumImportance
				if k := v.kits[id.Row]; id.Col == 4 && k.Available <= 0 && !k.Digital {
					imp = widget.DangerImportance
				}
				setWrappedCell(o.(*widget.Label), v.cell(id.Row, id.Col), fyne.TextStyle{},
					cellAlignment(id.Col, 3), imp, kitWraps(id.Col))
			}
		})
	v.table.ShowHeaderColumn = false
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(kitColumns[id.Col])
		}
	}
	cols := make([]tableColumn, len(kitWidths))
	for i, w := range kitWidths {
		cols[i] = tableColumn{width: w, flex: kitWraps(i)}
	}
	v.fitBox, v.fit = fitColumnsDropping(v.table, cols, nil, nil)
	v.fit.sized = func([]float32) { v.fitRows() }
	v.table.OnSelected = func(id widget.TableCellID) {
		v.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(v.kits) {
			v.d.Hide()
			u.openSKU(v.kits[id.Row].Code)
		}
	}
	add := widget.NewButtonWithIcon("New kit…", theme.ContentAddIcon(), func() { u.kitFormThen(nil, v.load) })
	add.Importance = widget.HighImportance
	top := container.NewBorder(nil, nil, nil, add, v.note)
	d := dialog.NewCustom("Kits", "Close", readingBorder(top, nil, nil, nil, v.fitBox), u.win)
	v.d = d
	d.Resize(fyne.NewSize(min(760, u.win.Canvas().Size().Width-40), min(460, u.win.Canvas().Size().Height-40)))
	u.showDialog(d)
	v.load()
	return v
}

// load reads the kits again.
func (v *kitsView) load() {
	v.u.run(func(ctx context.Context) (func(), error) {
		kits, err := v.u.shop.Kits(ctx, v.u.shop.AsOfNow())
		if err != nil {
			return nil, err
		}
		return func() {
			v.kits = kits
			if len(kits) == 0 {
				v.note.SetText("No kits yet. A kit is a SKU sold as its parts: make one here, or from a bundle idea on Today.")
			} else {
				v.note.SetText(fmt.Sprintf("%s. A kit can be sold as often as its scarcest part allows.", plural(len(kits), "kit", "kits")))
			}
			v.fitWidths()
			v.fitRows()
			v.table.Refresh()
		}, nil
	})
}

// fitWidths makes the code, price and count columns as wide as their
// headings and cells.
func (v *kitsView) fitWidths() {
	widths := slices.Clone(kitWidths)
	for col := range kitColumns {
		if kitWraps(col) {
			continue
		}
		w := fyne.MeasureText(kitColumns[col], theme.TextSize(), fyne.TextStyle{Bold: true}).Width
		for _, k := range v.kits {
			w = max(w, fyne.MeasureText(kitCell(k, col, v.u.info.Currency), theme.TextSize(), fyne.TextStyle{}).Width)
		}
		widths[col] = w + 2*theme.InnerPadding() + 2 // setCellText cuts a text within a point of its room
	}
	v.fit.setWidths(v.fitBox, widths)
}

// fitRows makes each row as tall as its name and parts wrapped in their
// columns' widths.
func (v *kitsView) fitRows() {
	if v.fit.widths == nil {
		return // not laid out yet: laying it out fits them
	}
	fitRowHeights(v.table, len(v.kits), v.fit.widths, func(row, col int) (string, fyne.TextStyle, bool) {
		return v.cell(row, col), fyne.TextStyle{}, kitWraps(col)
	})
}

// cell is what the table shows in a column of a kit's row: its parts in
// lines that break between two parts, to the Parts column's width.
func (v *kitsView) cell(row, col int) string {
	k := v.kits[row]
	if col == 2 && col < len(v.fit.widths) {
		return partsLines(k.Parts, v.fit.widths[col])
	}
	return kitCell(k, col, v.u.info.Currency)
}

// partsLines writes a kit's parts as app.KitPartsText does, in lines that
// fit in a cell width wide, each broken between two parts: a part keeps
// its quantity with its code. Wrapped by the label, "1 ×" ended a line
// and its code began the next, and a no-break space would not help:
// Fyne breaks a line at any space. A part wider than the cell alone is
// still wrapped by the label.
func partsLines(parts []app.KitPartIn, width float32) string {
	room := width - 2*theme.InnerPadding() - 2 // as a label wraps, within a point
	var lines []string
	line := ""
	for i := range parts {
		part := app.KitPartsText(parts[i : i+1])
		if i < len(parts)-1 {
			part += " +"
		}
		switch {
		case line == "":
			line = part
		case fyne.MeasureText(line+" "+part, theme.TextSize(), fyne.TextStyle{}).Width > room:
			lines = append(lines, line)
			line = part
		default:
			line += " " + part
		}
	}
	return strings.Join(append(lines, line), "\n")
}

func kitCell(k app.KitView, col int, currency string) string {
	switch col {
	case 0:
		return k.Code
	case 1:
		return k.Name
	case 2:
		return app.KitPartsText(k.Parts)
	case 3:
		return k.Price.Format(currency)
	}
	if k.Digital {
		return "∞" // downloads never run out, as a download's tile says
	}
	return strconv.Itoa(k.Available)
}

// partsInput writes parts as the kit forms take them: "MUG:1, CARD:2".
func partsInput(parts []app.KitPartIn) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p.Code + ":" + strconv.Itoa(p.Qty)
	}
	return strings.Join(out, ", ")
}

// kitEditForm changes what a kit has of its own: its code, name, parts and
// price (its factory, cost, lead time and cover are its parts'). id is the
// kit's SKU id; then, when given, runs with the kit as saved.
func (u *UI) kitEditForm(k app.KitView, id string, then func(domain.SKU)) *formDialog {
	code, name, parts, price := newFieldEntry(), newFieldEntry(), newFieldEntry(), newFieldEntry()
	code.SetText(k.Code)
	name.SetText(k.Name)
	parts.SetText(partsInput(k.Parts))
	price.SetText(k.Price.Format(u.info.Currency))
	d := u.newFormDialog("Edit kit "+k.Code, "Save", []*widget.FormItem{
		widget.NewFormItem("Code", code),
		widget.NewFormItem("Name", name),
		{Text: "Parts", Widget: parts, HintText: "CODE:QTY of each part, comma between"},
		widget.NewFormItem("Price", price),
	}, func() error {
		in, err := u.kitEdits(k, code, name, parts, price)
		if err != nil {
			return err
		}
		saved, err := u.shop.EditKit(u.ctx, id, in)
		if err != nil {
			return err
		}
		u.changed()
		if then != nil {
			then(saved)
		}
		return nil
	})
	d.show()
	return d
}

// kitEdits reads the kit form into what changed; what it refuses comes
// back as fieldErrors, every field checked, as the New kit form does.
func (u *UI) kitEdits(k app.KitView, code, name, parts, price *fieldEntry) (app.KitFields, error) {
	var in app.KitFields
	bad := fieldErrors{}
	if c := strings.TrimSpace(code.Text); c != k.Code && bad.add(code, domain.ValidateCode(c)) {
		in.Code = &c
	}
	if n := strings.TrimSpace(name.Text); n != k.Name {
		if _, err := domain.CleanName("kit name", n); bad.add(name, err) {
			in.Name = &n
		}
	}
	if strings.TrimSpace(parts.Text) != partsInput(k.Parts) {
		p, err := parseParts(parts.Text)
		if bad.add(parts, err) {
			in.Parts = p
			if p == nil {
				bad.add(parts, domain.Errorf(domain.EInvalid, "a kit needs at least one part; write CODE:QTY, like MUG-01:2"))
			}
			bad.add(parts, app.CheckKitParts(strings.TrimSpace(code.Text), p))
			bad.add(parts, u.knownParts(p))
		}
	}
	p, err := parseMoneyOpt(price.Text, u.info.Currency)
	if bad.add(price, err) {
		switch {
		case p == nil:
			bad.add(price, domain.Errorf(domain.EInvalid, "give the kit's price, like %s", k.Price.Format(u.info.Currency)))
		case *p != k.Price:
			in.Price = p
		}
	}
	return in, bad.orNil()
}
