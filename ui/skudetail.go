package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

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
	columns *fyne.Container // the facts, laid out by flowColumns
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
	// The name wraps: the list cuts it, and here is where it reads whole.
	d.heading.Wrapping = fyne.TextWrapWord
	d.status = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	columns := container.New(&flowColumns{natural: d.factsWidth})
	d.columns = columns
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
	// Laid out as a VBox is, but each part told its width before its
	// height is asked: the heading, the facts and the notes wrap.
	d.body = container.New(wrappedColumn{}, container.NewBorder(nil, nil, nil, d.status, d.heading), d.newNote, d.actions, columns, d.parts, d.places, msgCard, chartCard)
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
			name := l.Name
			if l.Retired {
				name += " (removed)" // units another device left there: move them out
			}
			parts = append(parts, fmt.Sprintf("%s %d", name, lv.OnHand))
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
	d.columns.Refresh() // how many abreast is for the facts shown
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

// factValueRoom is the most of a fact's width the facts' columns are
// sized for: a figure, a cover or "never runs out" on one line, a daily
// rate or a price of a million wrapped once at a space, a factory's long
// name on as many lines as it takes.
const factValueRoom = 100

// factsWidth is how wide column i of skuFacts must be to show its facts
// each on a line of their own, its values up to factValueRoom wide.
func (d *skuDetail) factsWidth(i int) float32 {
	var names, values float32
	for _, f := range skuFacts[i] {
		names = max(names, fyne.MeasureText(f, theme.TextSize(), fyne.TextStyle{Bold: true}).Width)
		for _, line := range strings.Split(d.facts[f].Text, "\n") {
			values = max(values, fyne.MeasureText(line, theme.TextSize(), fyne.TextStyle{}).Width)
		}
	}
	return names + min(values, factValueRoom) + 4*theme.InnerPadding() + theme.Padding()
}
