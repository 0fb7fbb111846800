package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

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
	belowCostOK              string // the price and cost the maker chose to save anyway
}

// editForm opens the editor for a new SKU (orig nil) or an existing one.
func (s *skusScreen) editForm(orig *domain.SKU) *skuForm {
	u := s.u
	factories, err := u.shop.Factories(u.ctx, u.shop.AsOfNow())
	if err != nil {
		u.showError(err)
		return nil
	}
	if orig != nil {
		// The form's own copy: the SKU's detail reads the shop again
		// under an open form when another program changes it, and a price
		// microshopctl set while the form was open was then saved over
		// with the one the form showed, the name alone having been edited.
		own := *orig
		orig = &own
	}
	f := &skuForm{factories: factories, orig: orig, start: map[*fieldEntry]string{}, currency: u.info.Currency}
	f.code = newFieldEntry()
	f.code.SetPlaceHolder("MUG-BLUE, as on the label")
	f.name = newFieldEntry()
	// Placeholders are hints in words, not values: "0.00" in the price
	// read as a price already set. The examples read as prices in the
	// shop's currency: 2400 in yen, not 24.
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
		if v == nil && m.e == f.price {
			// Empty, the SKU sold at 0.00 and the till took nothing.
			bad.add(f.price, domain.Errorf(domain.EInvalid, "the price is empty; give what the buyer pays, like %s, or 0 for a free download", domain.Money(2400).Example(f.currency)))
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
	if q, typed := f.belowCost(); q != "" && f.belowCostOK != typed {
		s.u.ask("Sell below cost?", q, "Save anyway", "Cancel", func() {
			f.belowCostOK = typed
			f.dialog.submit()
		})
		return errAsked
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

// belowCost is the question to ask before saving a price below the cost
// beside it, and the two as typed; "" when the price is not below it, or
// both are as the SKU had them. Swapped, as a slip does, the till sold at
// the cost, each sale at a loss, without a word.
func (f *skuForm) belowCost() (question, typed string) {
	price, err := parseMoneyOpt(f.price.Text, f.currency)
	cost, cerr := parseMoneyOpt(f.cost.Text, f.currency)
	if err != nil || cerr != nil || price == nil || cost == nil || *price == 0 || *cost <= *price {
		return "", ""
	}
	if o := f.orig; o != nil && o.Price == *price && o.Cost == *cost {
		return "", ""
	}
	code := strings.TrimSpace(f.code.Text)
	return fmt.Sprintf("%s would sell at %s and cost %s, so each sale loses %s. Check that the price and the cost are not swapped.",
		code, price.Format(f.currency), cost.Format(f.currency), (*cost - *price).Format(f.currency)), f.price.Text + "\x00" + f.cost.Text
}
