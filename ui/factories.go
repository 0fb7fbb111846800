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
	"microshop/assets"
	"microshop/domain"
)

// factoriesScreen lists the shop's factories with their state, and shows
// one with its batches and quality record.
type factoriesScreen struct {
	u   *UI
	obj fyne.CanvasObject
	gen int

	list      *widget.List
	factories []app.FactoryView
	batches   []domain.Batch
	now       int64
	selected  string // the factory in the detail pane

	heading  *widget.Label
	state    *widget.Label
	facts    map[string]*widget.Label
	pause    *widget.Button
	resume   *widget.Button
	edit     *widget.Button
	own      []domain.Batch
	batchBox *widget.List
	noBatch  *widget.Label // in place of the batches, when the factory has none
	body     *fyne.Container
	hint     *widget.Label
}

var factoryFacts = []string{"Kind", "Location", "Lead time", "Minimum order", "Batch multiple", "Quality hold", "Paused", "Quality returns"}

func newFactoriesScreen(u *UI) *factoriesScreen {
	return &factoriesScreen{u: u, facts: map[string]*widget.Label{}}
}

func (s *factoriesScreen) title() string       { return "Factories" }
func (s *factoriesScreen) icon() fyne.Resource { return assets.FactoryIcon }

func (s *factoriesScreen) content() fyne.CanvasObject {
	if s.obj != nil {
		return s.obj
	}
	s.list = widget.NewList(func() int { return len(s.factories) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("Factory name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			// What a factory is read for shows whole: the list is kept as
			// wide as the widest kind, place and lead time, where at
			// 800×600 it cut "microfactory · overseas · 30 days" to
			// "microfactory · ov…". The name gives way instead.
			sub := widget.NewLabel(factoryLine(domain.KindMicrofactory, domain.LocationOverseas, domain.MaxLeadDays))
			badge := widget.NewLabelWithStyle("paused", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			// The badge goes beside the name, not the whole row: beside
			// the line under it too, it made the list too wide for the
			// detail at 800×600.
			return container.NewVBox(container.NewBorder(nil, nil, nil, badge, name), sub)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.factories) {
				return
			}
			f := s.factories[id]
			c := o.(*fyne.Container)
			top := c.Objects[0].(*fyne.Container)
			top.Objects[0].(*widget.Label).SetText(f.Name)
			c.Objects[1].(*widget.Label).SetText(factoryLine(f.Kind, f.Location, f.LeadDays))
			badge := top.Objects[1].(*widget.Label)
			text, imp := factoryBadge(f)
			badge.Text, badge.Importance = text, imp
			badge.Refresh()
		})
	s.list.OnSelected = func(id widget.ListItemID) {
		if id < len(s.factories) {
			s.selected = s.factories[id].Name
			s.showSelected()
		}
	}
	add := widget.NewButtonWithIcon("Add factory…", theme.ContentAddIcon(), func() { s.addForm() })
	add.Importance = widget.HighImportance

	s.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.heading.SizeName = theme.SizeNameSubHeadingText
	// A long name wraps: on one line it widened the window past the
	// screen's edge.
	s.heading.Wrapping = fyne.TextWrapWord
	s.state = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	form := widget.NewForm()
	for _, f := range factoryFacts {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		s.facts[f] = l
		form.Append(f, l)
	}
	s.pause = widget.NewButtonWithIcon("Pause…", theme.MediaPauseIcon(), func() { s.pauseForm(s.selected) })
	s.resume = widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), func() { s.confirmResume(s.selected) })
	s.resume.Importance = widget.HighImportance
	s.edit = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), func() { s.editForm(s.selected) })
	s.batchBox = widget.NewList(func() int { return len(s.own) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			st := widget.NewLabel("")
			return container.NewBorder(nil, nil, nil, st, l)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.own) {
				return
			}
			b := s.own[id]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s · %d ordered %s · %d received", b.SKU, b.Ordered,
				dateText(b.OrderedAt, s.u.shop.Location()), b.Received))
			st := c.Objects[1].(*widget.Label)
			st.Text, st.Importance = batchStatus(b, s.now), batchImportance(b, s.now)
			st.Refresh()
		})
	s.batchBox.OnSelected = func(id widget.ListItemID) {
		s.batchBox.UnselectAll()
		if id < len(s.own) {
			s.u.openBatch(s.own[id].ID)
		}
	}
	po := widget.NewButtonWithIcon("Purchase order…", theme.DocumentIcon(), func() { s.u.purchaseOrderForm(s.selected) })
	quote := widget.NewButton("Quote…", func() { s.u.factoryQuoteForm(s.selected) })
	// The actions wrap to a second row in a narrow pane: on one row, with
	// Resume beside Pause for a factory paused for its returns, they were
	// wider than the pane and squeezed the factory list to a sliver.
	actions := container.New(narrowingRowWrap{layout.NewRowWrapLayout()}, s.edit, s.pause, s.resume, po, quote)
	top := container.New(wrappedColumn{}, container.NewBorder(nil, nil, nil, s.state, s.heading), form, actions)
	// A factory with no batches says so: a bare heading read as a list
	// still loading.
	s.noBatch = widget.NewLabel("No batches ordered from this factory yet.")
	s.noBatch.Wrapping = fyne.TextWrapWord
	s.noBatch.Hide()
	batches := container.NewBorder(widget.NewLabelWithStyle("Batches", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil,
		container.NewStack(s.batchBox, container.NewVBox(s.noBatch)))
	// The facts scroll rather than set the window's height: wrapped in a
	// narrow pane they would not fit a small window above the batches.
	facts := container.NewVSplit(container.NewVScroll(top), batches)
	facts.Offset = 0.7
	s.body = container.NewStack(facts)
	s.body.Hide()
	s.hint = widget.NewLabel("Select a factory to see its batches and quality record.")
	s.hint.Wrapping = fyne.TextWrapWord
	split := container.NewHSplit(s.list, container.NewStack(s.body, container.NewVBox(s.hint)))
	split.Offset = 0.35
	s.obj = screenLayout("Factories", add, split)
	return s.obj
}

// factoryLine is what the list says of a factory under its name.
func factoryLine(kind domain.FactoryKind, loc domain.Location, leadDays int) string {
	return fmt.Sprintf("%s · %s · %s", kind, loc, plural(leadDays, "day", "days"))
}

// factoryBadge is the word beside a factory in the list.
func factoryBadge(f app.FactoryView) (string, widget.Importance) {
	switch {
	case f.Blocked():
		return "paused", widget.DangerImportance
	case f.New:
		return "new", widget.WarningImportance
	}
	return "", widget.MediumImportance
}

func (s *factoriesScreen) load() {
	s.content()
	s.gen++
	gen := s.gen
	s.u.run(func(ctx context.Context) (func(), error) {
		asOf := s.u.shop.AsOfNow()
		fs, err := s.u.shop.Factories(ctx, asOf)
		if err != nil {
			return nil, err
		}
		bs, err := s.u.data.batchList(ctx)
		if err != nil {
			return nil, err
		}
		return func() {
			if gen != s.gen {
				return
			}
			s.factories, s.batches, s.now = fs, bs, asOf.End.UnixMilli()
			s.list.Refresh()
			s.showSelected()
		}, nil
	})
}

func (s *factoriesScreen) shown() {}

// reveal makes name the factory in the detail pane.
func (s *factoriesScreen) reveal(name string) {
	s.content()
	s.selected = name
}

func (s *factoriesScreen) showSelected() {
	for i, f := range s.factories {
		if strings.EqualFold(f.Name, s.selected) {
			s.list.ScrollTo(i)
			s.show(f)
			return
		}
	}
}

func (s *factoriesScreen) show(f app.FactoryView) {
	s.selected = f.Name
	s.heading.SetText(f.Name)
	text, imp := factoryBadge(f)
	if text == "" {
		text, imp = "established", widget.SuccessImportance
	}
	s.state.Text, s.state.Importance = text, imp
	s.state.Refresh()
	set := func(name, v string) { s.facts[name].SetText(v) }
	set("Kind", string(f.Kind))
	set("Location", string(f.Location))
	set("Lead time", plural(f.LeadDays, "day", "days"))
	moq := "none"
	if f.MOQ > 0 {
		moq = plural(f.MOQ, "unit", "units")
	}
	set("Minimum order", moq)
	set("Batch multiple", fmt.Sprint(f.Multiple))
	switch {
	case f.Established:
		set("Quality hold", "none: marked as established")
	case f.New:
		set("Quality hold", fmt.Sprintf("new: %d of %d batches passed QA; part of each receipt is held until QA passes", f.Passed, domain.PassesToEstablish))
	default:
		set("Quality hold", fmt.Sprintf("none: %d batches passed QA", f.Passed))
	}
	switch {
	case f.Paused, f.QualityPaused:
		set("Paused", sentence(f.Reason()))
	case domain.QualityPauseWait(f.Sold, f.QualityReturns) != "":
		set("Paused", "no: its quality returns are "+domain.QualityPauseWait(f.Sold, f.QualityReturns))
	default:
		set("Paused", "no")
	}
	// Counted afresh from a lifted pause, the counts say since when: read
	// as the 90 days', "0 units sold" disagreed with the Returns screen.
	// The label names no span, so it never contradicts the value.
	since := " in the last 90 days"
	if !f.CountedSince.IsZero() {
		since = " since its pause was lifted on " + f.CountedSince.Format("2 Jan 2006")
	}
	set("Quality returns", fmt.Sprintf("%s of %s sold%s (%s, limit %d %%)", plural(f.QualityReturns, "quality return", "quality returns"),
		plural(f.Sold, "unit", "units"), since, domain.ReturnPercent(f.Sold, f.QualityReturns), domain.ReturnLimitPercent))
	s.pause.Hidden = f.Blocked() // a factory paused for quality is resumed, not paused again
	s.resume.Hidden = !f.Blocked()
	s.pause.Refresh()
	s.resume.Refresh()
	s.own = s.own[:0]
	for _, b := range s.batches {
		if b.FactoryID == f.ID {
			s.own = append(s.own, b)
		}
	}
	s.batchBox.Refresh()
	s.noBatch.Hidden = len(s.own) > 0
	s.noBatch.Refresh()
	s.hint.Hide()
	s.body.Show()
}

// addForm records a new factory.
func (s *factoriesScreen) addForm() *formDialog { return s.addFormThen(nil) }

// addFormThen records a new factory, then gives its name to added (when
// set): the SKU form takes the factory it was added for.
func (s *factoriesScreen) addFormThen(added func(name string)) *formDialog {
	u := s.u
	name := newFieldEntry()
	name.SetPlaceHolder("Clay Works")
	kinds := make([]string, len(domain.FactoryKinds))
	for i, k := range domain.FactoryKinds {
		kinds[i] = string(k)
	}
	kind := widget.NewSelect(kinds, nil)
	kind.PlaceHolder = "(print shop, microfactory or your workshop)"
	locs := make([]string, len(domain.Locations))
	for i, l := range domain.Locations {
		locs[i] = string(l)
	}
	loc := widget.NewSelect(locs, nil)
	loc.SetSelectedIndex(0)
	lead := newFieldEntry()
	lead.SetPlaceHolder("days from order to arrival")
	moq := newFieldEntry()
	moq.SetPlaceHolder("0 (none)")
	multiple := newFieldEntry()
	multiple.SetPlaceHolder("1 (any quantity)")
	established := widget.NewCheck("Known good: never hold its units for QA", nil)
	d := u.newFormDialog("Add factory", "Add factory", []*widget.FormItem{
		widget.NewFormItem("Name", name),
		widget.NewFormItem("Kind", kind),
		widget.NewFormItem("Location", loc),
		widget.NewFormItem("Lead time", lead),
		widget.NewFormItem("Minimum order", moq),
		widget.NewFormItem("Batch multiple", multiple),
		widget.NewFormItem("", established),
	}, func() error {
		f := domain.Factory{Name: strings.TrimSpace(name.Text), Established: established.Checked}
		bad := fieldErrors{}
		bad.add(name, domain.ValidateName("factory name", f.Name))
		var err error
		if kind.Selected == "" {
			bad.add(kind, domain.Errorf(domain.EInvalid, "choose the factory's kind: print, microfactory or workshop"))
		} else {
			f.Kind, err = domain.ParseFactoryKind(kind.Selected)
			bad.add(kind, err)
		}
		f.Location, err = domain.ParseLocation(loc.Selected)
		bad.add(loc, err)
		if strings.TrimSpace(lead.Text) == "" {
			bad.add(lead, domain.Errorf(domain.EInvalid, "the lead time is empty; give the days from order to arrival, 0 to %d", domain.MaxLeadDays))
		} else if days, err := parseDaysOpt("lead time", lead.Text); bad.add(lead, err) {
			f.LeadDays = *days
		}
		f.MOQ, err = parseIntOpt("minimum order", moq.Text, 0, 0, domain.MaxQty)
		bad.add(moq, err)
		f.Multiple, err = parseIntOpt("batch multiple", multiple.Text, 1, 1, domain.MaxQty)
		bad.add(multiple, err)
		if err := bad.orNil(); err != nil {
			return err
		}
		got, err := u.shop.AddFactory(u.ctx, f)
		if err != nil {
			return err
		}
		s.selected = got.Name
		u.changed()
		if added != nil {
			added(got.Name)
		}
		return nil
	})
	d.show()
	return d
}

// editForm changes a factory's name and terms. Its SKUs and batches
// follow it under a new name.
func (s *factoriesScreen) editForm(name string) *formDialog {
	u := s.u
	var f app.FactoryView
	for _, v := range s.factories {
		if strings.EqualFold(v.Name, name) {
			f = v
		}
	}
	if f.ID == "" {
		return nil
	}
	nameEntry := newFieldEntry()
	nameEntry.SetText(f.Name)
	locs := make([]string, len(domain.Locations))
	for i, l := range domain.Locations {
		locs[i] = string(l)
	}
	loc := widget.NewSelect(locs, nil)
	loc.SetSelected(string(f.Location))
	lead := newFieldEntry()
	lead.SetText(fmt.Sprint(f.LeadDays))
	moq := newFieldEntry()
	moq.SetText(fmt.Sprint(f.MOQ))
	multiple := newFieldEntry()
	multiple.SetText(fmt.Sprint(f.Multiple))
	d := u.newFormDialog("Edit "+f.Name, "Save", []*widget.FormItem{
		{Text: "Name", Widget: nameEntry, HintText: "its SKUs and batches follow it"},
		widget.NewFormItem("Location", loc),
		{Text: "Lead time", Widget: lead, HintText: "days from order to arrival; SKUs that follow it change too"},
		{Text: "Minimum order", Widget: moq, HintText: "units; 0 for none"},
		{Text: "Batch multiple", Widget: multiple, HintText: "units; 1 for any quantity"},
	}, func() error {
		var in app.FactoryFields
		newName := strings.TrimSpace(nameEntry.Text)
		if newName != f.Name {
			in.Name = &newName
		}
		l, err := domain.ParseLocation(loc.Selected)
		if err != nil {
			return err
		}
		in.Location = &l
		if strings.TrimSpace(lead.Text) == "" {
			return domain.Errorf(domain.EInvalid, "the lead time is empty; give the days from order to arrival, 0 to %d", domain.MaxLeadDays)
		}
		if in.LeadDays, err = parseDaysOpt("lead time", lead.Text); err != nil {
			return err
		}
		n, err := parseIntOpt("minimum order", moq.Text, 0, 0, domain.MaxQty)
		if err != nil {
			return err
		}
		in.MOQ = &n
		m, err := parseIntOpt("batch multiple", multiple.Text, 1, 1, domain.MaxQty)
		if err != nil {
			return err
		}
		in.Multiple = &m
		got, err := u.shop.EditFactory(u.ctx, f.Name, in)
		if err != nil {
			return err
		}
		s.selected = got.Name
		u.changed()
		return nil
	})
	d.show()
	return d
}

// pauseForm pauses a factory by hand, with a reason.
func (s *factoriesScreen) pauseForm(name string) *formDialog {
	reason := newFieldEntry()
	reason.SetPlaceHolder("paused by hand")
	d := s.u.newFormDialog("Pause "+name, "Pause", []*widget.FormItem{
		{Text: "Reason", Widget: reason, HintText: "no batch is suggested from a paused factory"},
	}, func() error {
		if err := s.u.shop.PauseFactory(s.u.ctx, name, strings.TrimSpace(reason.Text)); err != nil {
			return err
		}
		s.u.changed()
		return nil
	})
	d.show()
	return d
}

func (s *factoriesScreen) confirmResume(name string) {
	s.u.confirm("Resume "+name+"?", "Batches will be suggested from it again, and its quality record starts afresh.", "",
		func() { s.resumeNow(name) })
}

func (s *factoriesScreen) resumeNow(name string) {
	if err := s.u.shop.ResumeFactory(s.u.ctx, name); err != nil {
		s.u.showError(err)
		return
	}
	s.u.changed()
}
