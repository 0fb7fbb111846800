package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// setup is how far a new shop is set up: a factory to make its goods, a
// SKU, and a count of the stock on the shelf.
type setup struct {
	factory, sku, counted bool
	toCount               domain.SKU // the first SKU still to count
}

func (s setup) done() bool { return s.factory && s.sku && s.counted }

// readSetup sees how far the shop is set up from its stock rows; it asks
// for the factories only when no SKU tells (a made SKU has its factory).
func readSetup(ctx context.Context, shop *app.Shop, rows []app.StockRow) (setup, error) {
	st := setup{sku: len(rows) > 0}
	made := false
	for _, r := range rows {
		if r.SKU.Path == domain.PathDigital {
			continue
		}
		made = true
		if stocked(r) {
			st.counted = true // one SKU counted is a shop under way
		} else if st.toCount.ID == "" {
			st.toCount = r.SKU
		}
	}
	switch {
	case made:
		st.factory = true
	case st.sku:
		st.factory, st.counted = true, true // digital goods need no factory, nor a count
	default:
		fs, err := shop.Factories(ctx, shop.AsOfNow())
		st.factory = len(fs) > 0
		return st, err
	}
	return st, nil
}

// stocked reports whether a SKU's stock ever moved: counted, ordered or
// sold.
func stocked(r app.StockRow) bool {
	if r.OnHand != 0 || r.OnOrder > 0 {
		return true
	}
	for _, d := range r.Days {
		if d.Active || d.Sold > 0 {
			return true
		}
	}
	return false
}

// firstSteps is Today's guide for a new shop: each step with the button
// that opens its form, ticked once done.
type firstSteps struct {
	u     *UI
	obj   fyne.CanvasObject
	steps []firstStep
	setup setup
}

type firstStep struct {
	icon *widget.Icon
	btn  *widget.Button
	done func(setup) bool
}

func newFirstSteps(u *UI) *firstSteps {
	g := &firstSteps{u: u}
	step := func(text, button string, done func(setup) bool, do func()) fyne.CanvasObject {
		st := firstStep{icon: widget.NewIcon(theme.RadioButtonIcon()), btn: widget.NewButton(button, do), done: done}
		g.steps = append(g.steps, st)
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		return container.NewBorder(nil, nil, container.NewVBox(st.icon), container.NewVBox(st.btn), l)
	}
	rows := container.NewVBox(
		step("Add the factory that makes your goods: a print shop, a microfactory or your own workshop. A shop that sells only digital goods needs none.",
			"Add factory…", func(s setup) bool { return s.factory }, func() { u.factories.addForm() }),
		step("Add a SKU for each thing you sell, with its code, price and how it is made.",
			"New SKU…", func(s setup) bool { return s.sku }, func() { u.skus.editForm(nil) }),
		step("Count the stock on your shelf, so Microshop knows what you can sell and when to reorder.",
			"Count stock…", func(s setup) bool { return s.counted }, func() {
				if g.setup.toCount.ID != "" {
					u.skus.countForm(g.setup.toCount)
				}
			}),
	)
	g.obj = section("Set up this shop", "Three steps, and Today shows what needs action: reorders, batches to check, returns to look into.", rows)
	g.obj.Hide()
	return g
}

// set shows the guide while the shop is not set up, each step ticked or
// offered; the count waits for a SKU to count.
func (g *firstSteps) set(st setup) {
	g.setup = st
	if st.done() {
		g.obj.Hide()
		return
	}
	next := true // the first step not done is the one to do now
	for _, s := range g.steps {
		done := s.done(st)
		switch {
		case done:
			s.icon.SetResource(theme.ConfirmIcon())
			s.btn.Disable()
		default:
			s.icon.SetResource(theme.RadioButtonIcon())
			s.btn.Enable()
		}
		s.btn.Importance = widget.MediumImportance
		if !done && next {
			s.btn.Importance = widget.HighImportance
			next = false
		}
		s.btn.Refresh()
	}
	if st.toCount.ID == "" {
		g.steps[2].btn.Disable()
	}
	g.obj.Show()
}
