package ui

import (
	"context"
	"fmt"
	"io"
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

// The stall's stock: where this device sells from, packing for a fair and
// counting what came back (DESIGN.md section 8).

// addLocationChoice, renameLocationChoice and removeLocationChoice end the
// location list: they ask for a new location's name, another name for one,
// and which to remove. The last two are there once there is a location
// besides main.
const (
	addLocationChoice    = "Add a location…"
	renameLocationChoice = "Rename a location…"
	removeLocationChoice = "Remove a location…"
)

// placeBar is the Sell screen's heading actions: where this device sells
// from, and the fair's packing and return.
type placeBar struct {
	s      *sellScreen
	obj    fyne.CanvasObject
	choice *widget.Select
	names  []string
	here   app.Location
}

func newPlaceBar(s *sellScreen) *placeBar {
	b := &placeBar{s: s}
	b.choice = widget.NewSelect(nil, b.chosen)
	b.choice.PlaceHolder = domain.MainLocation
	pack := widget.NewButton("Pack for a fair…", func() { s.u.showPack(s.load) })
	back := widget.NewButton("Count what came back…", func() { s.u.showCameBack(s.load) })
	b.obj = container.NewHBox(container.NewCenter(widget.NewLabel("Selling at")), b.choice, pack, back)
	return b
}

// show sets the list to the shop's locations, this device's chosen.
func (b *placeBar) show(locs []app.Location, here app.Location) {
	b.here = here
	b.names = b.names[:0]
	for _, l := range app.OpenLocations(locs) { // a removed one is sold at no more
		b.names = append(b.names, l.Name)
	}
	b.choice.Options = append(append([]string(nil), b.names...), addLocationChoice)
	if len(b.names) > 1 {
		b.choice.Options = append(b.choice.Options, renameLocationChoice, removeLocationChoice)
	}
	b.choice.OnChanged = nil // setting what is chosen is not a choice
	b.choice.SetSelected(here.Name)
	b.choice.OnChanged = b.chosen
}

// chosen makes the chosen location this device's: its sales, receipts,
// returns and counts happen there from now on.
func (b *placeBar) chosen(name string) {
	u := b.s.u
	switch name {
	case addLocationChoice, renameLocationChoice, removeLocationChoice:
		b.choice.OnChanged = nil
		b.choice.SetSelected(b.here.Name)
		b.choice.OnChanged = b.chosen
	}
	switch name {
	case addLocationChoice:
		u.showAddLocation(func(loc app.Location) { b.chosen(loc.Name) })
		return
	case renameLocationChoice:
		u.showRenameLocation(b.here, b.s.load)
		return
	case removeLocationChoice:
		u.showRemoveLocation(b.here, b.s.load)
		return
	}
	if name == b.here.Name {
		return
	}
	u.write(func(ctx context.Context) func() {
		_, err := u.shop.UseLocation(ctx, name)
		return func() {
			if err != nil {
				u.showError(err)
				b.s.load()
				return
			}
			// A sale asked about at the last place is not this one's: its
			// "press Enter to sell anyway" stayed, counted against the old
			// place's stock.
			b.s.asked = nil
			b.s.say(fmt.Sprintf("Selling at %s now: sales take its stock.", name), widget.MediumImportance)
			b.s.load()
		}
	})
}

// atHere is " at Stall" when this device works away from main, for the
// titles of what it records there; empty at main.
func (u *UI) atHere() string {
	if here, err := u.shop.DeviceLocation(u.ctx); err == nil && here.ID != "" {
		return " at " + here.Name
	}
	return ""
}

// showAddLocation asks for a new location's name; added, it is passed to
// then.
func (u *UI) showAddLocation(then func(app.Location)) {
	name := widget.NewEntry()
	name.SetPlaceHolder("stall, a partner's shelf, the shop window")
	f := u.newFormDialog("Add a location", "Add", []*widget.FormItem{widget.NewFormItem("Name", name)}, func() error {
		loc, err := u.shop.AddLocation(u.ctx, name.Text)
		if err != nil {
			return err
		}
		then(loc)
		return nil
	})
	f.show()
}

// locationChoice is a select of the shop's locations other than main that
// work happens at, with here chosen when it is one of them, else the
// first; nil when there is none.
func (u *UI) locationChoice(here app.Location) *widget.Select {
	locs, err := u.shop.Locations(u.ctx)
	if err != nil {
		u.showError(err)
		return nil
	}
	sel := widget.NewSelect(nil, nil)
	for _, l := range app.OpenLocations(locs) {
		if l.ID != "" {
			sel.Options = append(sel.Options, l.Name)
		}
	}
	if len(sel.Options) == 0 {
		u.showError(domain.Errorf(domain.ENotFound, "the shop has main alone, which keeps its name and stays; add a location first"))
		return nil
	}
	sel.SetSelected(sel.Options[0])
	if here.ID != "" {
		sel.SetSelected(here.Name)
	}
	return sel
}

// showRenameLocation asks for a location's new name: a typo fixed. Its
// units, sales and moves go with it; then runs once it is renamed.
func (u *UI) showRenameLocation(here app.Location, then func()) *formDialog {
	which := u.locationChoice(here)
	if which == nil {
		return nil
	}
	name := newFieldEntry()
	name.SetPlaceHolder("the name to show")
	f := u.newFormDialog("Rename a location", "Rename", []*widget.FormItem{
		{Text: "Location", Widget: which},
		{Text: "New name", Widget: name, HintText: "its units, sales and moves go with it"},
	}, func() error {
		_, err := u.shop.RenameLocation(u.ctx, which.Selected, name.Text)
		if err != nil {
			// Every refusal is about the name typed: the location was
			// chosen from the list.
			return fieldErrors{name: err}
		}
		then() // the location list shows the new name: no message to dismiss
		return nil
	})
	f.show()
	return f
}

// showRemoveLocation asks which location to remove, then whether to: it
// leaves the lists, while its sales and moves keep its name. A location
// holding units is refused under its name before anything is asked.
func (u *UI) showRemoveLocation(here app.Location, then func()) *formDialog {
	which := u.locationChoice(here)
	if which == nil {
		return nil
	}
	confirmed := ""
	var f *formDialog
	f = u.newFormDialog("Remove a location", "Remove…", []*widget.FormItem{
		{Text: "Location", Widget: which, HintText: "it leaves the lists; its sales and moves keep its name"},
	}, func() error {
		chosen := which.Selected
		if confirmed != chosen {
			loc, err := u.shop.CheckRemoveLocation(u.ctx, chosen)
			if err != nil {
				return fieldErrors{which: err}
			}
			msg := fmt.Sprintf("%s leaves the location lists, on every device once they sync. Its sales and moves keep its name, and adding %s again brings it back.", loc.Name, loc.Name)
			if here.ID == loc.ID {
				msg += " This device sells at main from then on."
			}
			d := u.question("Remove "+loc.Name+"?", msg, "Remove", "Keep it", func() {
				confirmed = chosen
				f.submit()
			})
			d.SetConfirmImportance(widget.DangerImportance)
			u.showDialog(d)
			return errAsked
		}
		confirmed = ""
		// The question said what removing does, main included when this
		// device sold there; the list shows it done: no message to dismiss.
		if _, err := u.shop.RemoveLocation(u.ctx, chosen); err != nil {
			return fieldErrors{which: err}
		}
		then()
		return nil
	})
	f.show()
	return f
}

// offerFairPlaces offers the shop's locations other than main, where a
// fair's stock goes, with this device's chosen when it is one of them; it
// reports whether there is any.
func (u *UI) offerFairPlaces(sel *widget.Select) bool {
	locs, err := u.shop.Locations(u.ctx)
	if err != nil {
		u.showError(err)
		return false
	}
	sel.Options = nil
	for _, l := range app.OpenLocations(locs) {
		if l.ID != "" {
			sel.Options = append(sel.Options, l.Name)
		}
	}
	if len(sel.Options) == 0 {
		return false
	}
	if here, err := u.shop.DeviceLocation(u.ctx); err == nil && here.ID != "" {
		sel.SetSelected(here.Name)
	} else {
		sel.SetSelected(sel.Options[0])
	}
	return true
}

// packView works out what to bring to a fair, moves it from main in one
// click, and saves the list as a checklist to print.
type packView struct {
	u      *UI
	days   *widget.Select
	to     *widget.Select
	list   *widget.List
	note   *widget.Label
	move   *widget.Button
	save   *widget.Button
	lines  []app.PackLine
	dialog dialog.Dialog
	onMove func()

	// Each line wraps in a row as tall as it needs (fitRows): cut to
	// one, a long name and what is there already ended in "…".
	listBox *fyne.Container // the list, told its width
	width   float32
	fit     *rowFit
	heights []float32
}

// packText is a packing list's line as the dialog shows it.
func packText(l app.PackLine) string {
	text := fmt.Sprintf("☐ %s × %d · %s · %.2f a fair day", l.Code, l.Qty, domain.NameWithVariant(l.Name, l.Variant), l.FairRate)
	if l.There > 0 {
		text += fmt.Sprintf(" · %d there already", l.There)
	}
	return text
}

func (v *packView) newList() *widget.List {
	return widget.NewList(func() int { return len(v.lines) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		return l
	}, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < len(v.lines) {
			o.(*widget.Label).SetText(packText(v.lines[id]))
		}
	})
}

// setWidth is told the list's width: its rows are fitted to it.
func (v *packView) setWidth(w float32) {
	if w != v.width {
		v.width = w
		v.fitRows()
	}
}

// fitRows makes each row as tall as its line wrapped at the list's width.
func (v *packView) fitRows() {
	if v.width <= 0 {
		return
	}
	if v.fit == nil || v.fit.room != v.width {
		l := widget.NewLabel("x")
		l.Wrapping = fyne.TextWrapWord
		v.fit = newRowFit(l, v.width, l.MinSize().Height)
	}
	want := make([]float32, len(v.lines))
	for i, l := range v.lines {
		want[i] = v.fit.height(packText(l))
	}
	v.list = setHeights(v.list, v.listBox, v.heights, want, v.fit.base, func() *widget.List { v.list = v.newList(); return v.list })
	v.heights = want
}

// fairLengths are the fair lengths the dialog offers, in days.
var fairLengths = []string{"1", "2", "3", "4", "5", "7", "10", "14"}

func (u *UI) showPack(onMove func()) *packView {
	v := &packView{u: u, onMove: onMove}
	v.days = widget.NewSelect(fairLengths, func(string) { v.load() })
	v.to = widget.NewSelect(nil, func(string) { v.load() }) // what is there already is brought less
	v.note = widget.NewLabel(" ")
	v.note.Wrapping = fyne.TextWrapWord
	v.list = v.newList()
	v.listBox = container.New(widthLayout{v.setWidth}, v.list)
	v.move = widget.NewButtonWithIcon("Move", theme.ConfirmIcon(), v.moveAll)
	v.move.Importance = widget.HighImportance
	v.save = widget.NewButtonWithIcon("Save checklist…", theme.DocumentSaveIcon(), func() { v.saveChecklist() })
	top := container.NewVBox(
		container.NewHBox(widget.NewLabel("A fair of"), v.days, widget.NewLabel("days, at"), v.to),
		v.note, widget.NewSeparator())
	content := readingBorder(top, container.NewHBox(v.save, v.move), nil, nil, v.listBox)
	d := dialog.NewCustom("Pack for a fair", "Close", content, u.win)
	d.Resize(fyne.NewSize(min(640, u.win.Canvas().Size().Width-40), min(480, u.win.Canvas().Size().Height-40)))
	v.dialog = d
	u.showDialog(d)
	u.offerFairPlaces(v.to)
	v.days.SetSelected("2") // reads the list
	return v
}

func (v *packView) load() {
	if v.days.Selected == "" {
		return // the place was chosen before the length: the length's choice reads the list
	}
	days, _ := strconv.Atoi(v.days.Selected)
	to := v.to.Selected
	v.u.run(func(ctx context.Context) (func(), error) {
		lines, err := v.u.shop.Pack(ctx, v.u.shop.AsOfNow(), days, to)
		if err != nil {
			return nil, err
		}
		return func() {
			v.lines = lines
			v.fitRows()
			v.list.Refresh()
			v.showButtons()
		}, nil
	})
}

// showButtons says what a click does, or why it cannot.
func (v *packView) showButtons() {
	units := 0
	for _, l := range v.lines {
		units += l.Qty
	}
	switch {
	case len(v.to.Options) == 0:
		v.note.SetText("Add a location for the fair first: choose " + addLocationChoice + " under Selling at.")
		v.move.Disable()
	case len(v.lines) == 0 && v.to.Selected != "":
		v.note.SetText(v.to.Selected + " has what the fair needs, or main has nothing to add.")
		v.move.Disable()
	case len(v.lines) == 0:
		v.note.SetText("Nothing at main to pack.")
		v.move.Disable()
	default:
		v.note.SetText(fmt.Sprintf("Bring %s of %s from main: the fair's daily sales × the days × 1.5, less what is at %s already.",
			plural(units, "unit", "units"), plural(len(v.lines), "SKU", "SKUs"), v.to.Selected))
		v.move.SetText("Move them to " + v.to.Selected)
		v.move.Enable()
	}
	if len(v.lines) == 0 {
		v.save.Disable()
	} else {
		v.save.Enable()
	}
}

// moveAll records the list as one move from main, all or nothing.
func (v *packView) moveAll() {
	to, lines := v.to.Selected, v.lines
	moves := make([]app.Move, len(lines))
	for i, l := range lines {
		moves[i] = app.Move{Code: l.Code, Qty: l.Qty, From: domain.MainLocation, To: to}
	}
	// Greyed out until the move is written: pressed again while the shop
	// was busy, it moved the list twice.
	v.move.Disable()
	v.u.write(func(ctx context.Context) func() {
		_, err := v.u.shop.MoveStock(ctx, moves...)
		return func() {
			if err != nil {
				v.note.SetText(errorText(err))
				v.move.Enable()
				return
			}
			v.dialog.Hide()
			units := 0
			for _, l := range lines {
				units += l.Qty
			}
			v.u.inform("Packed", fmt.Sprintf("Moved %s of %s from main to %s", plural(units, "unit", "units"), plural(len(lines), "SKU", "SKUs"), to))
			v.u.changed()
			if v.onMove != nil {
				v.onMove()
			}
		}
	})
}

func (v *packView) saveChecklist() *formDialog {
	days, _ := strconv.Atoi(v.days.Selected)
	lines, to := v.lines, v.to.Selected
	if to == "" {
		to = "the fair"
	}
	u := v.u
	return u.saveForm("Save the packing checklist", "Save",
		"pack-"+strings.ToLower(strings.ReplaceAll(to, " ", "-"))+".pdf", "a checklist to print: a box to tick for each SKU",
		func(ctx context.Context, path string, overwrite bool) error {
			return u.shop.WriteOutput(path, overwrite, func(w io.Writer) error {
				return app.WritePackPDF(w, lines, days, to, u.shop.ShopName(ctx))
			})
		}, func(path string) { u.inform("Checklist saved", "Saved the checklist as "+path+".") }) // the summary stays
}

// cameBackView counts what came back from a fair's location and moves it
// home to main: each SKU there starts at what the ledger says is there.
type cameBackView struct {
	u       *UI
	from    *widget.Select
	rows    *fyne.Container
	entries map[string]*fieldEntry
	order   []string       // the codes as the rows list them
	there   map[string]int // what the ledger says is there, by code
	held    map[string]int // of those, the units held for QA, by code
	note    *widget.Label
	done    *widget.Button
	dialog  dialog.Dialog
	onDone  func()
}

func (u *UI) showCameBack(onDone func()) *cameBackView {
	v := &cameBackView{u: u, onDone: onDone, entries: map[string]*fieldEntry{}}
	v.from = widget.NewSelect(nil, func(string) { v.load() })
	v.note = widget.NewLabel(" ")
	v.note.Wrapping = fyne.TextWrapWord
	v.rows = container.NewVBox()
	v.done = widget.NewButtonWithIcon("Count and move home", theme.ConfirmIcon(), v.bringBack)
	v.done.Importance = widget.HighImportance
	v.done.Disable()
	top := container.NewVBox(container.NewHBox(widget.NewLabel("Back from"), v.from), v.note, widget.NewSeparator())
	content := readingBorder(top, container.NewHBox(v.done), nil, nil, container.NewVScroll(v.rows))
	d := dialog.NewCustomWithoutButtons("Count what came back", content, u.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", v.close)})
	d.Resize(fyne.NewSize(min(560, u.win.Canvas().Size().Width-40), min(480, u.win.Canvas().Size().Height-40)))
	v.dialog = d
	u.showClosing(d, v.close)
	if !u.offerFairPlaces(v.from) {
		v.note.SetText("There is no location but main: stock goes to a fair with Pack for a fair.")
	}
	return v
}

// load lists the SKUs with units at the location, each counted as what
// should be there until the maker types what is.
func (v *cameBackView) load() {
	from := v.from.Selected
	v.u.run(func(ctx context.Context) (func(), error) {
		rows, err := v.u.shop.StockAt(ctx, v.u.shop.AsOfNow(), "", from)
		if err != nil {
			return nil, err
		}
		return func() {
			v.rows.RemoveAll()
			v.entries, v.there, v.held, v.order = map[string]*fieldEntry{}, map[string]int{}, map[string]int{}, nil
			for _, r := range rows {
				if r.SKU.Path == domain.PathDigital || r.SKU.Path == domain.PathKit || r.OnHand <= 0 {
					continue
				}
				e := newFieldEntry()
				e.onEscape = v.u.escape
				e.SetText(strconv.Itoa(r.OnHand))
				v.entries[r.SKU.Code], v.there[r.SKU.Code], v.held[r.SKU.Code] = e, r.OnHand, r.Held
				v.order = append(v.order, r.SKU.Code)
				there := fmt.Sprintf("%d there", r.OnHand)
				if r.Held > 0 {
					there += fmt.Sprintf(", %d held for QA stay", r.Held)
				}
				// What is there comes before the name, which a narrow
				// window cuts: cut after it, the held units went unsaid.
				label := widget.NewLabel(fmt.Sprintf("%s (%s) · %s", r.SKU.Code, there, r.SKU.Shown()))
				label.Truncation = fyne.TextTruncateEllipsis
				v.rows.Add(container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(80, e.MinSize().Height), e), label))
			}
			if len(v.entries) == 0 {
				v.note.SetText("Nothing is at " + from + ".")
				v.done.Disable()
				return
			}
			v.guide()
			v.done.Enable()
		}, nil
	})
}

// close closes the count for Close and Escape, asking first when a count
// was typed: counting a fair's boxes is slow, and one key lost it all.
func (v *cameBackView) close() {
	for code, e := range v.entries {
		if strings.TrimSpace(e.Text) != strconv.Itoa(v.there[code]) {
			v.u.askToDiscard("Discard the counts?", "The counts typed here have not been recorded.", "Keep counting", v.dialog.Hide)
			return
		}
	}
	v.dialog.Hide()
}

// bringBack counts what was typed and moves it home: every bad count is
// named at once, in the rows' order, and a count above what went there
// is asked about first, as a typo would make stock out of nothing; so is
// one below the units held there for QA, which a count includes: it would
// leave them sold beyond stock.
func (v *cameBackView) bringBack() {
	counted := make(map[string]int, len(v.entries))
	var bad, more, fewer []string
	for _, code := range v.order {
		n, err := parseCount(v.entries[code].Text)
		if err != nil {
			if len(bad) == 0 {
				v.u.win.Canvas().Focus(v.entries[code])
			}
			bad = append(bad, code+": "+strings.TrimSuffix(domain.ErrorMessage(err), "."))
			continue
		}
		counted[code] = n
		if n > v.there[code] {
			more = append(more, fmt.Sprintf("%s: %d counted, %d went there", code, n, v.there[code]))
		}
		if n < v.held[code] {
			fewer = append(fewer, fmt.Sprintf("%s: %d counted, %d held for QA there, which a count includes", code, n, v.held[code]))
		}
	}
	if len(bad) > 0 {
		v.note.SetText(sentence(strings.Join(bad, "; ")))
		v.note.Importance = widget.DangerImportance
		v.note.Refresh()
		return
	}
	v.guide() // the last try's errors are corrected
	if len(more)+len(fewer) > 0 {
		title := "More came back than went?"
		if len(more) == 0 {
			title = "Fewer than are held for QA?"
		}
		v.u.confirm(title, sentence(strings.Join(append(more, fewer...), "; "))+" Count them as typed?", "Count them", func() { v.move(counted) })
		return
	}
	v.move(counted)
}

// guide says what to type, in place of a refused count's errors.
func (v *cameBackView) guide() {
	v.note.Importance = widget.MediumImportance
	v.note.SetText("Type the units that came back of each; they are counted at " + v.from.Selected + " and moved home to main.")
}

// move counts the units at the fair's location and moves them home.
func (v *cameBackView) move(counted map[string]int) {
	from := v.from.Selected
	// Greyed out until the counts are written: pressed again while the
	// shop was busy, it counted the emptied place up to the count again
	// and moved that home too, units out of nothing.
	v.done.Disable()
	v.u.write(func(ctx context.Context) func() {
		held, err := v.u.shop.BringBack(ctx, from, counted)
		return func() {
			if err != nil {
				v.note.SetText(errorText(err))
				v.done.Enable()
				return
			}
			units, stay := 0, 0
			for _, n := range counted {
				units += n
			}
			var heldWhat []string
			for _, code := range v.order {
				if n := min(held[code], counted[code]); n > 0 {
					stay += n
					heldWhat = append(heldWhat, fmt.Sprintf("%d × %s", n, code))
				}
			}
			v.dialog.Hide()
			msg := fmt.Sprintf("Counted %s at %s and moved them to main", plural(units, "unit", "units"), from)
			if stay > 0 {
				msg = fmt.Sprintf("Counted %s at %s and moved %d to main; %s stay at %s, held for QA until their batch passes",
					plural(units, "unit", "units"), from, units-stay, strings.Join(heldWhat, ", "), from)
			}
			v.u.inform("Back home", msg)
			v.u.changed()
			if v.onDone != nil {
				v.onDone()
			}
		}
	})
}
