package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

func (s *syncScreen) newConflictList() *widget.List {
	return widget.NewList(func() int { return len(s.conflicts) }, s.newConflictRow, s.updateConflictRow)
}

// newConflictRow is a conflict's row: what changed and its two values,
// each wrapped to as many lines as it takes (fitConflicts sets the row's
// height), beside Undo and Keep. Cut to one line each, the values and the
// device ended in "…" in an 800×600 window, with no way to read them whole.
func (s *syncScreen) newConflictRow() fyne.CanvasObject {
	what := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	what.Wrapping = fyne.TextWrapWord
	values := widget.NewLabel("")
	values.Wrapping = fyne.TextWrapWord
	undo := widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), nil)
	keep := widget.NewButtonWithIcon("Keep", theme.ConfirmIcon(), nil)
	// The buttons keep to the top of a row whose text wraps, one above the
	// other: side by side they took a third of the list's width at 800×600.
	return container.NewBorder(nil, nil, nil, container.NewVBox(undo, keep), container.New(wrappedColumn{}, what, values))
}

func (s *syncScreen) updateConflictRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.conflicts) {
		return
	}
	c := s.conflicts[id]
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container)
	texts.Objects[0].(*widget.Label).SetText(conflictWhat(c))
	texts.Objects[1].(*widget.Label).SetText(conflictValues(c))
	buttons := box.Objects[1].(*fyne.Container).Objects
	buttons[0].(*widget.Button).OnTapped = func() { s.undo(c) }
	buttons[1].(*widget.Button).OnTapped = func() { s.keep(c) }
}

// conflictWhat names the field two devices changed at once.
func conflictWhat(c app.Conflict) string {
	return fmt.Sprintf("%s · %s", c.What(), c.FieldName())
}

// conflictValues is the value kept and the value lost, with where and
// when the lost one was typed: this device is "this device", where its
// own name read as another's.
func conflictValues(c app.Conflict) string {
	when := ""
	if !c.At.IsZero() {
		when = ", " + c.At.Format("2 Jan 15:04")
	}
	return fmt.Sprintf("kept %s · lost %s (on %s%s)", valueText(c.Kept), valueText(c.Lost), lostDevice(c), when)
}

// valueText is a conflict's value for people: a time as the app writes
// its other dates, where the command line's JSON keeps RFC 3339.
func valueText(v app.FieldValue) string { return v.Text(momentLayout, dayLayout) }

// quotedText is a value of c for a sentence that names both of c's: text
// in quotes (app.Conflict.Quoted).
func quotedText(c app.Conflict, v app.FieldValue) string { return c.Quoted(v, momentLayout, dayLayout) }

// momentLayout and dayLayout are how the Sync screen writes a conflict's
// times and days.
const momentLayout, dayLayout = "2 Jan 2006 15:04", "2 Jan 2006"

// lostDevice names the device whose value lost.
func lostDevice(c app.Conflict) string {
	switch {
	case c.LostHere:
		return "this device"
	case c.LostDevice == "":
		return "device " + shortID(c.LostDeviceID) // a device that never told its name
	}
	return c.LostDevice
}

// undoneText says what undoing c gave back, in one sentence, as the
// command line's conflicts undo does.
func undoneText(c app.Conflict) string {
	return sentence(fmt.Sprintf("on %s, %s is %s again, as %s set it, in place of %s; other devices take it when they sync",
		c.What(), c.FieldName(), quotedText(c, c.Lost), lostDevice(c), quotedText(c, c.Kept)))
}

// keptText says what keeping c settled, in one sentence, as the command
// line's conflicts keep does.
func keptText(c app.Conflict) string {
	return sentence(fmt.Sprintf("on %s, %s stays %s, and %s, as %s set it, is let go; other devices settle the conflict when they sync",
		c.What(), c.FieldName(), quotedText(c, c.Kept), quotedText(c, c.Lost), lostDevice(c)))
}

// conflictsWidth sets the rows' heights for the list's width, when it
// changed.
func (s *syncScreen) conflictsWidth(width float32) {
	if width == s.width {
		return
	}
	s.width = width
	s.fitConflicts()
}

// fitConflicts makes each conflict's row as tall as its heading and
// values wrapped to the room the buttons leave them, and never shorter
// than the buttons. Many rows changed go to a new list, set before it is
// shown, as the Today screen's do: each height set on a list on screen
// lays all of it out again.
func (s *syncScreen) fitConflicts() {
	row := s.newConflictRow().(*fyne.Container)
	buttons := row.Objects[1].MinSize()
	room := s.width - buttons.Width - theme.Padding()
	if room <= 0 {
		return
	}
	if s.fitWhat == nil || s.fitWhat.room != room {
		texts := row.Objects[0].(*fyne.Container)
		what, values := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
		s.fitWhat = newRowFit(what, room, what.MinSize().Height)
		s.fitValues = newRowFit(values, room, values.MinSize().Height)
	}
	want := make([]float32, len(s.conflicts))
	for i, c := range s.conflicts {
		want[i] = max(buttons.Height, s.fitWhat.height(conflictWhat(c))+theme.Padding()+s.fitValues.height(conflictValues(c)))
	}
	s.list = setHeights(s.list, s.listBox, s.heights, want, 0, func() *widget.List { s.list = s.newConflictList(); return s.list })
	s.heights = want
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-6:]
	}
	return id
}

// undo gives the field of c back the value that lost. A batch's QA
// decision put back moves stock and may pause or free a factory, so the
// maker is asked first, told what it does and the decision's note: one
// click put rejected units back on sale.
func (s *syncScreen) undo(c app.Conflict) {
	if !c.OverQA() {
		s.settle(c, s.u.shop.UndoConflict, undoneText(c))
		return
	}
	q, err := s.u.shop.UndoingQA(s.u.ctx, c)
	if err != nil {
		s.u.showError(err)
		return
	}
	title, message, yes := undoQAQuestion(q, s.u.shop.Location())
	s.u.ask(title, message, yes, "Cancel", func() { s.settle(c, s.u.shop.UndoConflict, undoneText(c)) })
}

// keep settles c on the value kept. It changes no value, so it asks
// nothing, a QA decision's included.
func (s *syncScreen) keep(c app.Conflict) {
	s.settle(c, s.u.shop.KeepConflict, keptText(c))
}

// settle settles c by undo or keep, and says what it did above the list:
// the row went, and nothing said what had changed.
func (s *syncScreen) settle(c app.Conflict, how func(ctx context.Context, entity, entityID, field, lostStamp string) error, said string) {
	if err := how(s.u.ctx, c.Entity, c.EntityID, c.Field, c.LostStamp); err != nil {
		s.settled.Hide()
		s.u.showError(err)
		return
	}
	s.settled.SetText(said)
	s.settled.Show()
	s.u.changed()
}

// undoQAQuestion is what Undo asks before it puts back the QA decision of
// q: the title, the message (what it does, and the decision's note) and
// the yes answer.
func undoQAQuestion(q app.QAUndo, loc *time.Location) (title, message, yes string) {
	verdict := "pass"
	if q.After.QA == domain.QAFailed {
		verdict = "fail"
	}
	yes = "Put back the " + verdict
	message = yes + " of " + q.After.Name(loc)
	if does := qaUndoDoes(q); len(does) > 0 {
		message += ": " + domain.JoinAnd(does)
	}
	message += "?"
	if q.After.QANote != "" {
		message += "\nThe " + verdict + "'s note: " + domain.QuoteWhole(q.After.QANote) + "."
	}
	return yes + "?", message, yes
}

// qaUndoDoes is what putting back the QA decision q does to stock,
// the rest of the batch and the factory, in words.
func qaUndoDoes(q app.QAUndo) []string {
	var does []string
	b := q.After
	switch {
	case b.Held == 0:
	case q.Before.QA == domain.QAFailed && b.QA == domain.QAPassed:
		does = append(does, fmt.Sprintf("%d rejected %s %s back on sale", b.Held, b.SKU, verb(b.Held, "goes", "go")))
	case q.Before.QA == domain.QAPassed && b.QA == domain.QAFailed:
		does = append(does, fmt.Sprintf("%d %s that passed %s rejected and %s stock", b.Held, b.SKU, verb(b.Held, "is", "are"), verb(b.Held, "leaves", "leave")))
	}
	rest := b.Ordered - b.Received
	switch {
	case rest <= 0:
	case q.Before.Cancelled() && !b.Cancelled():
		does = append(does, fmt.Sprintf("the %d still to come %s on order again", rest, verb(rest, "is", "are")))
	case !q.Before.Cancelled() && b.Cancelled():
		does = append(does, fmt.Sprintf("the %d still to come %s cancelled", rest, verb(rest, "is", "are")))
	}
	switch {
	case q.PausedBefore && !q.PausedAfter:
		does = append(does, q.Factory+" takes orders again")
	case !q.PausedBefore && q.PausedAfter:
		does = append(does, q.Factory+" is paused")
	}
	return does
}

// verb is one when n is 1, else many: "1 rejected PIN goes back".
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
