package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// countForm records a stocktake: at this device's location, or, in a shop
// with more than one, at the one chosen, as `count --location` does (the
// stall's shelf counted at the workshop after the fair). It shows what the
// ledger holds there, held units too, for the count to be read against.
func (s *skusScreen) countForm(k domain.SKU) *formDialog {
	u := s.u
	qty := newFieldEntry()
	qty.SetPlaceHolder("units on the shelf, held ones included")
	level := widget.NewLabel("")
	here, _ := u.shop.DeviceLocation(u.ctx)
	place := here.Name
	show := func(name string) {
		place = name
		level.SetText(s.ledgerLevel(k, name))
	}
	title, items := "Count "+k.Code+u.atHere(), []*widget.FormItem{}
	if names := u.locationNames(); len(names) > 1 {
		where := widget.NewSelect(names, nil)
		where.SetSelected(here.Name)
		where.OnChanged = func(name string) {
			show(name)
			u.win.Canvas().Focus(qty) // chosen, the count is typed next
		}
		title, items = "Count "+k.Code, append(items, widget.NewFormItem("Location", where))
	}
	show(place)
	items = append(items, widget.NewFormItem("On the ledger", level), widget.NewFormItem("Units on hand", qty))
	var d *formDialog
	asked := "" // a count below the held units the maker confirmed, and where
	d = u.newFormDialog(title, "Record count", items, func() error {
		n, err := parseCount(qty.Text)
		if err != nil {
			return fieldErrors{qty: err}
		}
		if note := s.countBelowHeld(k, place, n); note != "" && asked != fmt.Sprint(n, place) {
			// Asked over the form: Cancel goes back to it to correct the
			// count, which the maker may have taken without the QA box.
			u.ask("Fewer than are held for QA?", sentence(note), "Count them", "Cancel", func() {
				asked = fmt.Sprint(n, place)
				d.submit()
			})
			return errAsked
		}
		if _, err := u.shop.CountStock(u.ctx, app.Stocktake{Code: k.ID, Qty: n, Location: place}); err != nil {
			return err
		}
		u.changed()
		return nil
	})
	d.show()
	return d
}

// locationNames are the shop's locations by name, main first; nil if they
// cannot be read, which leaves a count at this device's.
func (u *UI) locationNames() []string {
	locs, err := u.shop.Locations(u.ctx)
	if err != nil {
		return nil
	}
	names := make([]string, len(locs))
	for i, l := range locs {
		names[i] = l.Name
	}
	return names
}

// ledgerLevel says what the ledger holds of k at place: "12 on hand, 2 of
// them held for QA".
func (s *skusScreen) ledgerLevel(k domain.SKU, place string) string {
	rows, err := s.u.shop.StockAt(s.u.ctx, s.u.shop.AsOfNow(), k.Code, place)
	if err != nil || len(rows) != 1 {
		return ""
	}
	at := fmt.Sprintf("%d on hand at %s", rows[0].OnHand, place)
	switch held := rows[0].Held; {
	case held > rows[0].OnHand:
		// After a count below the held units, or a sale forced beyond
		// stock: "1 on hand, 2 of them held" cannot be.
		at += fmt.Sprintf(", and %d held for QA there: more than are on hand", held)
	case held > 0:
		at += fmt.Sprintf(", %d of them held for QA", held)
	}
	return at
}

// countBelowHeld is the warning for a count of n units of k at place when
// more are held there for QA, naming their batches as the Batches screen
// shows them; else "".
func (s *skusScreen) countBelowHeld(k domain.SKU, place string, n int) string {
	u := s.u
	rows, err := u.shop.StockAt(u.ctx, u.shop.AsOfNow(), k.Code, place)
	if err != nil || len(rows) != 1 || n >= rows[0].Held {
		return ""
	}
	var names []string
	if batches, err := u.shop.HeldBatches(u.ctx, k.Code, place); err == nil {
		for _, b := range batches {
			names = append(names, b.Name(u.shop.Location()))
		}
	}
	return app.CountBelowHeld(k.Code, place, n, rows[0].Held, names)
}

// adjustForm records a signed correction with a note.
func (s *skusScreen) adjustForm(k domain.SKU) *formDialog {
	qty := newFieldEntry()
	qty.SetPlaceHolder("-2 or 3")
	note := newFieldEntry()
	note.SetPlaceHolder("why: broken on the shelf, found a box…")
	d := s.u.newFormDialog("Adjust "+k.Code+s.u.atHere(), "Record adjustment", []*widget.FormItem{
		widget.NewFormItem("Units", qty), widget.NewFormItem("Note", note)}, func() error {
		bad := fieldErrors{}
		n, err := parseSigned(qty.Text)
		bad.add(qty, err)
		if strings.TrimSpace(note.Text) == "" {
			bad.add(note, domain.Errorf(domain.EInvalid, "an adjustment needs a note saying why, such as \"broken on the shelf\""))
		}
		if err := bad.orNil(); err != nil {
			return err
		}
		if _, err := s.u.shop.Adjust(s.u.ctx, k.ID, n, strings.TrimSpace(note.Text), zeroTime); err != nil {
			return err
		}
		s.u.changed()
		return nil
	})
	d.show()
	return d
}

func (s *skusScreen) archive(k domain.SKU) {
	msg := sentence(fmt.Sprintf("%s stops being sold and reordered; its history stays", k.Shown()))
	// A kit sells as its parts: archiving one stops its kits too.
	if kits, err := s.u.shop.KitsOfPart(s.u.ctx, k.ID); err == nil && len(kits) > 0 {
		msg += " " + sentence(app.KitsStopSelling(k.Code, kits))
	}
	s.u.confirm("Archive "+k.Code+"?", msg, "", func() {
		if err := s.u.shop.ArchiveSKU(s.u.ctx, k.ID); err != nil {
			s.u.showError(err)
			return
		}
		s.selected = ""
		s.md.showList()
		s.u.changed()
	})
}

// unarchive puts an archived SKU back on sale; it stays in the detail pane.
func (s *skusScreen) unarchive(k domain.SKU) {
	back, err := s.u.shop.UnarchiveSKU(s.u.ctx, k.ID)
	if err != nil {
		s.u.showError(err)
		return
	}
	s.selected = back.ID
	s.u.changed()
}
