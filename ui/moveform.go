package ui

import (
	"fmt"

	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// moveForm carries units of one SKU from one location to another: more
// to the stall than the pack list says, or one SKU back home. The desktop
// moved only the whole pack list, at its quantities, and Adjust in its
// place would have changed the shop's total.
func (s *skusScreen) moveForm(k domain.SKU) *formDialog {
	u := s.u
	locs, err := u.shop.Locations(u.ctx)
	if err != nil {
		u.showError(err)
		return nil
	}
	here, err := u.shop.DeviceLocation(u.ctx)
	if err != nil {
		u.showError(err)
		return nil
	}
	// Units may leave a removed location that holds some, never go to one.
	names := make([]string, len(locs))
	for i, l := range locs {
		names[i] = l.Name
	}
	var open []string
	for _, l := range app.OpenLocations(locs) {
		open = append(open, l.Name)
	}
	from, to := widget.NewSelect(names, nil), widget.NewSelect(open, nil)
	from.SetSelected(domain.MainLocation)
	if here.ID != "" { // a device at the stall brings units back, or takes more
		to.SetSelected(here.Name)
	}
	qty := newFieldEntry()
	qty.SetPlaceHolder("units to carry")
	d := u.newFormDialog("Move "+k.Code, "Move", []*widget.FormItem{
		widget.NewFormItem("From", from),
		widget.NewFormItem("To", to),
		widget.NewFormItem("Units", qty),
	}, func() error {
		bad := fieldErrors{}
		if from.Selected == "" {
			bad.add(from, domain.Errorf(domain.EInvalid, "choose where the units are now"))
		}
		switch {
		case to.Selected == "":
			bad.add(to, domain.Errorf(domain.EInvalid, "choose where the units go"))
		case to.Selected == from.Selected:
			bad.add(to, domain.Errorf(domain.EInvalid, "the units are at %s already; choose another place to carry them to", to.Selected))
		}
		n, err := parseQty(qty.Text)
		bad.add(qty, err)
		if err := bad.orNil(); err != nil {
			return err
		}
		if _, err := u.shop.MoveStock(u.ctx, app.Move{Code: k.Code, Qty: n, From: from.Selected, To: to.Selected}); err != nil {
			return err
		}
		u.inform("Moved", fmt.Sprintf("Moved %s of %s from %s to %s.", plural(n, "unit", "units"), k.Code, from.Selected, to.Selected))
		u.changed()
		return nil
	})
	d.show()
	return d
}
