package ui

// The batch screen's forms and questions: ordering, receiving, QA,
// editing and cancelling a batch.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// orderForm orders a batch; code and qty pre-fill it (a reorder's
// suggestion).
func (s *batchesScreen) orderForm(code string, qty int) *formDialog {
	u := s.u
	factories, err := u.shop.Factories(u.ctx, u.shop.AsOfNow())
	if err != nil {
		u.showError(err)
		return nil
	}
	const primary = "(its primary factory)"
	names := []string{primary}
	for _, f := range factories {
		names = append(names, f.Name)
	}
	skuEntry := newFieldEntry()
	skuEntry.SetText(code)
	skuEntry.SetPlaceHolder("SKU code")
	qtyEntry := newFieldEntry()
	if qty > 0 {
		qtyEntry.SetText(fmt.Sprint(qty))
	}
	qtyEntry.SetPlaceHolder("units")
	factory := widget.NewSelect(names, nil)
	factory.SetSelectedIndex(0)
	cost := newFieldEntry()
	cost.SetPlaceHolder("its quote, else the SKU's cost")
	expected := newFieldEntry()
	expected.SetPlaceHolder("YYYY-MM-DD; empty: today + lead time")
	title := "Order batch"
	if code != "" {
		title = "Order " + code
	}
	var d *formDialog
	anyway := "" // the SKU and factory the maker chose to order from though paused
	d = u.newFormDialog(title, "Order", []*widget.FormItem{
		widget.NewFormItem("SKU", skuEntry),
		widget.NewFormItem("Quantity", qtyEntry),
		widget.NewFormItem("Factory", factory),
		widget.NewFormItem("Unit cost", cost),
		widget.NewFormItem("Expected", expected),
	}, func() error {
		bad := fieldErrors{}
		o := app.Order{Code: strings.TrimSpace(skuEntry.Text)}
		if o.Code == "" {
			bad.add(skuEntry, domain.Errorf(domain.EInvalid, "the SKU code is empty; type the code of the SKU to order"))
		}
		var err error
		o.Qty, err = parseQty(qtyEntry.Text)
		bad.add(qtyEntry, err)
		if factory.Selected != primary {
			o.Factory = factory.Selected
		}
		o.UnitCost, err = parseMoneyOpt(cost.Text, u.info.Currency)
		bad.add(cost, err)
		o.Expected, err = parseDateOpt(expected.Text, u.shop.Location())
		if bad.add(expected, err); err == nil && !o.Expected.IsZero() {
			bad.add(expected, app.CheckExpected(u.shop.Now().In(u.shop.Location()), o.Expected))
		}
		if err := bad.orNil(); err != nil {
			return err
		}
		choice := o.Code + "\x00" + o.Factory
		o.Force = anyway == choice
		res, err := u.shop.OrderBatch(u.ctx, o)
		var paused *app.PausedError
		if errors.As(err, &paused) {
			// Asked over the form: Cancel goes back to it as filled in,
			// to choose another factory (it had closed the form).
			u.ask("Order from a paused factory?", pausedQuestion(paused), "Order anyway", "Cancel", func() {
				anyway = choice
				d.submit()
			})
			return errAsked
		}
		if err != nil {
			return err
		}
		s.ordered(res)
		return nil
	})
	d.show()
	return d
}

// pausedQuestion asks whether to order from a paused factory anyway.
func pausedQuestion(p *app.PausedError) string {
	if p.Quality {
		return fmt.Sprintf("%s is paused for quality returns (%s); order anyway?", p.Factory, p.Reason)
	}
	return fmt.Sprintf("%s is paused (%s); order anyway?", p.Factory, p.Reason)
}

// ordered says a batch was ordered, with what was odd about the order,
// and shows it in the list.
func (s *batchesScreen) ordered(res app.OrderResult) {
	b := res.Batch
	s.u.inform("Batch ordered", withWarnings(fmt.Sprintf("ordered %d of %s from %s, expected %s", b.Ordered, b.SKU, b.Factory,
		dateText(b.ExpectedAt, s.u.shop.Location())), res.Warnings))
	s.pending = b.ID
	s.u.changed()
}

// withWarnings adds a note of each warning to a confirmation.
func withWarnings(msg string, warnings []string) string {
	msg = sentence(msg)
	for _, w := range warnings {
		msg += "\nNote: " + sentence(w)
	}
	return msg
}

// receiveForm records units of a batch arriving; from a new factory some
// are held until QA passes, and it says how many. With locations besides
// main it asks where they arrive, this device's own first: a laptop left
// selling at the stall put a delivery at the workshop on the stall's shelf.
// While open it follows the batch (receiving).
func (s *batchesScreen) receiveForm(b domain.Batch) *formDialog {
	u := s.u
	r := &receiving{batch: b, qty: newFieldEntry()}
	r.qty.SetText(fmt.Sprint(b.OnOrder()))
	r.qty.OnChanged = func(string) { r.typed = r.typed || !r.filling }
	r.item = &widget.FormItem{Text: "Units arrived", Widget: r.qty, HintText: stillToCome(b)}
	items := []*widget.FormItem{r.item}
	var where *widget.Select
	if locs, err := u.shop.Locations(u.ctx); err == nil && len(app.OpenLocations(locs)) > 1 {
		where = widget.NewSelect(nil, nil)
		for _, l := range app.OpenLocations(locs) {
			where.Options = append(where.Options, l.Name)
		}
		where.SetSelectedIndex(0)
		if here, err := u.shop.DeviceLocation(u.ctx); err == nil {
			where.SetSelected(here.Name)
		}
		items = append(items, &widget.FormItem{Text: "Arrives at", Widget: where, HintText: "where the units are put away"})
	}
	var d *formDialog
	overs := 0 // units beyond what is still to come the maker confirmed
	d = u.newFormDialog("Receive "+b.SKU+" from "+b.Factory, "Receive", items, func() error {
		n, err := parseQty(r.qty.Text)
		if err != nil {
			return fieldErrors{r.qty: err}
		}
		in := app.Delivery{Batch: b.ID, Qty: n, Force: overs == n}
		if where != nil {
			in.Location = where.Selected
		}
		got, err := u.shop.Receive(u.ctx, in)
		var o *app.OversError
		if errors.As(err, &o) {
			// Asked over the form: Cancel goes back to it to correct the
			// quantity (it had closed the form).
			title, msg := oversQuestion(o)
			u.ask(title, msg, "Receive them", "Cancel", func() {
				overs = n
				d.submit()
			})
			return errAsked
		}
		if err != nil {
			return err
		}
		s.received(got, in.Location)
		return nil
	})
	r.form = d
	s.receiving = r
	d.show()
	return d
}

// stillToCome is the Receive form's hint: how many units of b are still
// to come.
func stillToCome(b domain.Batch) string { return fmt.Sprintf("%d still to come", b.OnOrder()) }

// receiving is a Receive form while it is open. It follows the shop, as
// the close of the day does: a receipt of its batch by microshopctl or
// another device left it saying "50 still to come" and offering the 50,
// which only the question about overs then caught. What the maker typed
// stays as typed.
type receiving struct {
	form    *formDialog
	batch   domain.Batch // as the form shows it
	qty     *fieldEntry
	item    *widget.FormItem // the units arrived: its hint says how many are still to come
	typed   bool             // the maker typed in qty: it is theirs, not the form's offer
	filling bool             // the form itself is putting its offer in qty
	closed  bool             // the form says the batch has nothing left to come
}

// follow reads the form's batch again and shows it, when the form is
// still open.
func (r *receiving) follow() {
	u := r.form.u
	if !u.isOpen(r.form.dialog) {
		return
	}
	id := r.batch.ID
	u.run(func(ctx context.Context) (func(), error) {
		b, err := u.shop.Batch(ctx, id)
		if err != nil {
			return nil, err
		}
		return func() {
			if u.isOpen(r.form.dialog) {
				r.show(b)
			}
		}, nil
	})
}

// show puts b in the form: how many are still to come, and as the
// quantity, unless the maker typed one. A batch with nothing left to come
// (received in full, or cancelled) is said so, and Receive is off, as
// the batch's detail has it.
func (r *receiving) show(b domain.Batch) {
	was := r.batch
	r.batch = b
	if b.OnOrder() == was.OnOrder() && b.Open() == was.Open() {
		return
	}
	if !r.typed {
		offer := ""
		if b.OnOrder() > 0 {
			offer = fmt.Sprint(b.OnOrder())
		}
		r.filling = true
		r.form.refill(r.qty, offer)
		r.filling = false
	}
	r.item.HintText = stillToCome(b)
	switch line := r.form.problem; {
	case !b.Open():
		// Said on the line above the fields, in words rather than as a
		// refusal: nothing went wrong.
		r.closed = true
		r.form.submitBtn.Disable()
		line.SetText(nothingToCome(b))
		line.Importance = widget.WarningImportance
		line.Show()
	case r.closed:
		r.closed = false
		r.form.submitBtn.Enable()
		setErrorLine(line, nil)
	}
	r.form.relaid()
}

// nothingToCome says that a batch whose Receive form is open has no more
// units to come.
func nothingToCome(b domain.Batch) string {
	if b.Cancelled() {
		return "This batch has been cancelled since this form opened; nothing is left to receive."
	}
	return fmt.Sprintf("All %d units of this batch have been received since this form opened; nothing is left to receive.", b.Ordered)
}

// oversQuestion asks whether more units than are still to come really
// arrived.
func oversQuestion(o *app.OversError) (title, msg string) {
	if o.Cancelled {
		return fmt.Sprintf("Receive %d of a cancelled batch?", o.Qty),
			fmt.Sprintf("Batch %s of %s was cancelled, so no more units were expected; receive them only if they really arrived.", shortID(o.Batch), o.SKU)
	}
	return fmt.Sprintf("Receive %d of a batch of %d?", o.Received+o.Qty, o.Ordered),
		fmt.Sprintf("%d of the %d ordered %s already in. Factories sometimes send a few more than ordered (overs); receive them only if they really arrived.",
			o.Received, o.Ordered, isAre(o.Received))
}

// received says what a delivery added, and where when the shop has
// places besides main, and shows its batch.
func (s *batchesScreen) received(got app.Receipt, where string) {
	msg := fmt.Sprintf("received %d of %s", got.Units, got.SKU)
	if where != "" {
		msg += " at " + where
	}
	if over := min(got.Received-got.Ordered, got.Units); over > 0 {
		msg += fmt.Sprintf(", %d more than ordered", over)
	}
	if held := got.HeldUnits; held > 0 {
		msg += fmt.Sprintf("; %s held for QA: %s is new, so they cannot be sold until you pass the batch", plural(held, "unit is", "units are"), got.Factory)
	}
	s.u.inform("Batch received", msg)
	s.pending = got.ID
	s.u.changed()
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// decide passes or fails a batch's held units; cancelRest, with a fail,
// cancels the units still to come.
func (s *batchesScreen) decide(b domain.Batch, pass bool, note string, cancelRest bool) error {
	got, err := s.u.shop.Decide(s.u.ctx, app.QADecision{Batch: b.ID, Pass: pass, Note: note, CancelRest: cancelRest})
	if err != nil {
		return err
	}
	if pass {
		msg := fmt.Sprintf("%s of %s released for sale", plural(got.Held, "unit", "units"), got.SKU)
		if f, err := s.u.shop.Factory(s.u.ctx, got.Factory, s.u.shop.AsOfNow()); err == nil && f.LiftedBy(got) {
			msg += fmt.Sprintf(". %s takes orders again: the pass lifted its pause for quality returns, which count afresh from now", got.Factory)
		}
		s.u.inform("QA passed", msg)
	} else {
		msg := fmt.Sprintf("%s of %s rejected and %s paused: inspect the rest of the batch", plural(got.Held, "unit", "units"), got.SKU, got.Factory)
		if rest := got.Ordered - got.Received; rest > 0 && got.Cancelled() {
			msg += fmt.Sprintf(". The %s still to come %s cancelled", plural(rest, "unit", "units"), isAre(rest))
		} else if rest > 0 {
			msg += fmt.Sprintf(". The %s still to come stay on order", plural(rest, "unit", "units"))
		}
		s.u.inform("QA failed", msg)
	}
	s.pending = got.ID
	s.u.changed()
	return nil
}

// passForm passes QA, with a note if the maker has one. It asks first, as
// failing does: a pass releases the held units for sale and counts
// towards trusting the factory, and has no undo; one click beside Fail
// QA… made it.
func (s *batchesScreen) passForm(b domain.Batch) *formDialog {
	note := newFieldEntry()
	note.SetPlaceHolder("optional: checked 5 of 5, glaze even")
	d := s.u.newFormDialog(fmt.Sprintf("Pass QA of %s from %s", b.SKU, b.Factory), "Pass QA", []*widget.FormItem{
		{Text: "Note", Widget: note, HintText: fmt.Sprintf("the %s held %s released for sale", plural(b.Held, "unit", "units"), isAre(b.Held))},
	}, func() error {
		return s.decide(b, true, strings.TrimSpace(note.Text), false)
	})
	d.show()
	return d
}

// failForm fails QA with a note saying what was wrong, and asks whether
// the units still to come should be cancelled too. The note is one line:
// in a box of several, Enter and Tab wrote into it, and the form could
// not be finished from the keyboard.
func (s *batchesScreen) failForm(b domain.Batch) *formDialog {
	note := newFieldEntry()
	note.SetPlaceHolder("what was wrong: cracked glaze on 3 of 10…")
	items := []*widget.FormItem{
		{Text: "Note", Widget: note, HintText: "the held units are rejected and the factory is paused"},
	}
	cancelRest := widget.NewCheck(fmt.Sprintf("Cancel the %s still to come", plural(b.OnOrder(), "unit", "units")), nil)
	if b.OnOrder() > 0 {
		items = append(items, &widget.FormItem{Text: "Still to come", Widget: cancelRest, HintText: "unchecked, they stay on order"})
	}
	d := s.u.newFormDialog("Fail QA of "+b.SKU+" from "+b.Factory, "Fail QA", items, func() error {
		if strings.TrimSpace(note.Text) == "" {
			return fieldErrors{note: domain.Errorf(domain.EInvalid, "a failed QA needs a note saying what was wrong, for the factory")}
		}
		return s.decide(b, false, strings.TrimSpace(note.Text), cancelRest.Checked && b.OnOrder() > 0)
	})
	d.show()
	return d
}

// editForm changes a batch's quantity or expected arrival.
func (s *batchesScreen) editForm(b domain.Batch) *formDialog {
	u := s.u
	loc := u.shop.Location()
	qty := newFieldEntry()
	qty.SetText(fmt.Sprint(b.Ordered))
	expected := newFieldEntry()
	expected.SetPlaceHolder("YYYY-MM-DD")
	if b.ExpectedAt > 0 {
		expected.SetText(time.UnixMilli(b.ExpectedAt).In(loc).Format(time.DateOnly))
	}
	hint := "units ordered"
	if b.Received > 0 {
		hint = fmt.Sprintf("not below the %d received", b.Received)
	}
	d := u.newFormDialog("Edit batch of "+b.SKU+" from "+b.Factory, "Save", []*widget.FormItem{
		{Text: "Quantity", Widget: qty, HintText: hint},
		{Text: "Expected", Widget: expected, HintText: "when it should arrive"},
	}, func() error {
		var in app.BatchFields
		bad := fieldErrors{}
		n, err := parseQty(qty.Text)
		bad.add(qty, err)
		var e time.Time
		if strings.TrimSpace(expected.Text) == "" {
			bad.add(expected, domain.Errorf(domain.EInvalid, "the expected date is empty; give the day it should arrive, YYYY-MM-DD"))
		} else {
			e, err = parseDateOpt(expected.Text, loc)
			if bad.add(expected, err); err == nil {
				bad.add(expected, app.CheckExpected(time.UnixMilli(b.OrderedAt).In(loc), e))
			}
		}
		if err := bad.orNil(); err != nil {
			return err
		}
		if n != b.Ordered {
			in.Qty = &n
		}
		if e.Format(time.DateOnly) != time.UnixMilli(b.ExpectedAt).In(loc).Format(time.DateOnly) {
			in.Expected = &e
		}
		if in.Qty == nil && in.Expected == nil {
			return nil // nothing changed: the form just closes
		}
		res, err := u.shop.EditBatch(u.ctx, b.ID, in)
		if err != nil {
			return err
		}
		got := res.Batch
		u.inform("Batch changed", withWarnings(fmt.Sprintf("%d of %s from %s, expected %s", got.Ordered, got.SKU, got.Factory,
			dateText(got.ExpectedAt, loc)), res.Warnings))
		s.pending = got.ID
		u.changed()
		return nil
	})
	d.show()
	return d
}

// confirmCancel asks before cancelling the units of a batch still to come.
func (s *batchesScreen) confirmCancel(b domain.Batch) {
	rest := b.OnOrder()
	msg := fmt.Sprintf("The %s still to come leave on order.", plural(rest, "unit", "units"))
	if b.Received > 0 {
		msg += fmt.Sprintf(" The %d received stay in stock.", b.Received)
	}
	d := s.u.newQuestion(fmt.Sprintf("Cancel the batch of %d × %s?", b.Ordered, b.SKU), msg, func(ok bool) {
		if ok {
			s.cancelNow(b)
		}
	})
	d.SetConfirmText("Cancel batch")
	d.SetDismissText("Keep it")
	s.u.showDialog(d) // on the stack of dialogs, so Escape closes it
}

// cancelNow cancels the units of a batch still to come.
func (s *batchesScreen) cancelNow(b domain.Batch) {
	got, err := s.u.shop.CancelBatch(s.u.ctx, b.ID)
	if err != nil {
		s.u.showError(err)
		return
	}
	rest := got.Ordered - got.Received
	s.u.inform("Batch cancelled", fmt.Sprintf("the %s of %s still to come %s no longer on order", plural(rest, "unit", "units"), got.SKU, isAre(rest)))
	s.pending = got.ID
	s.u.changed()
}
