package ui

import (
	"errors"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
)

// fieldErrors is what a form's checks found wrong, each error keyed by the
// input it is about: the form shows them all at once, each under its
// field, rather than one dialog at a time.
type fieldErrors map[fyne.CanvasObject]error

// add records err against input, keeping the first error of each input,
// and reports whether err was nil.
func (e fieldErrors) add(input fyne.CanvasObject, err error) bool {
	if err == nil {
		return true
	}
	if _, ok := e[input]; !ok {
		e[input] = err
	}
	return false
}

// orNil is e as an error, nil when nothing was found wrong.
func (e fieldErrors) orNil() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

func (e fieldErrors) Error() string {
	var msgs []string
	for _, err := range e {
		msgs = append(msgs, domain.ErrorMessage(err))
	}
	return strings.Join(msgs, "; ")
}

// fieldForm is a form whose fields show their own errors under them, with
// a line below for what the shop refused as a whole (a code already taken,
// more units than remain).
type fieldForm struct {
	*widget.Form
	inputs  []fyne.CanvasObject // each item's widget, as the caller made it
	msgs    []*widget.Label     // each item's error line
	keeps   []*canvas.Rectangle // each error line's room, kept while its field is typed in
	problem *widget.Label
	obj     fyne.CanvasObject // the form and its problem line
	// resized, when set, is told once an error line came or went: a
	// dialog grows by itself to a taller form, but never shrinks back.
	resized func()

	// With checkOnLeave: what is wrong with the fields as they stand, what
	// to do once a field's line changed, and which fields were typed in
	// since they were last checked.
	check func() error
	after func()
	typed []bool
	// With hideOnEdit: an edited field's line is hidden, not greyed out.
	hide bool
	// While a mouse button is down on one of the form's fieldEntry
	// inputs: the fields left meanwhile (see left).
	pressed  bool
	leftHeld []int
}

// newFieldForm makes the form of items, giving each an error line under
// its widget. The problem line goes above the fields: below, it came after
// the form's buttons, and a long one was cut off at the dialog's foot.
//
// An error line leaves as soon as its field is edited, and the problem
// line as soon as any field is: a corrected value must not stand beside
// the message that refused the one before it. Entries get this through
// their OnChanged, which runs the one set before the form was made too.
func newFieldForm(items ...*widget.FormItem) *fieldForm {
	f := &fieldForm{problem: errorLine()}
	for i, it := range items {
		msg := errorLine()
		keep := canvas.NewRectangle(color.Transparent)
		keep.Hide()
		f.inputs = append(f.inputs, it.Widget)
		f.msgs = append(f.msgs, msg)
		f.keeps = append(f.keeps, keep)
		f.typed = append(f.typed, false)
		for _, part := range fieldParts(it.Widget) {
			if e, ok := entryOf(part); ok {
				onEdit(e, func() { f.edited(i) })
			}
			if sel, ok := part.(*widget.Select); ok {
				f.clearOnChoice(sel, msg)
			}
		}
		it.Widget = container.NewVBox(it.Widget, msg, keep)
	}
	f.Form = widget.NewForm(items...)
	f.obj = container.NewVBox(f.problem, f.Form)
	return f
}

// onEdit calls edited once e's text changes, then does what e did on a
// change before.
func onEdit(e *widget.Entry, edited func()) {
	before := e.OnChanged
	e.OnChanged = func(text string) {
		edited()
		if before != nil {
			before(text)
		}
	}
}

// edited greys out the error line of field i and the problem line: they
// keep their place until the form is submitted again, as hidden at the
// first key they took the fields and buttons below up with them, and a
// click meant for a field landed on Cancel. A form that checks its fields
// on leaving them (checkOnLeave), or hides their errors on an edit
// (hideOnEdit), blanks the field's line instead, keeping its room until
// the field is left: a grey error stood under what the maker was still
// typing.
func (f *fieldForm) edited(i int) {
	if f.check == nil && !f.hide {
		greyOut([]*widget.Label{f.msgs[i], f.problem})
		return
	}
	if f.pressed { // the button went up off the form's fields
		f.press(false)
	}
	f.typed[i] = true
	if msg := f.msgs[i]; msg.Visible() {
		h := msg.Size().Height
		if h == 0 { // not laid out yet
			h = msg.MinSize().Height
		}
		f.keeps[i].SetMinSize(fyne.NewSize(0, h))
		f.keeps[i].Show()
		msg.Hide()
	}
	greyOut([]*widget.Label{f.problem})
}

// checkOnLeave makes f say a field's error once it is left, as well as
// when the form is submitted: check is what is wrong with the fields as
// they stand (fieldErrors), of which the field left shows its own; after
// is called once its line changed. While a field is typed in, its error
// line is blank. Only fieldEntry inputs tell when they are left.
func (f *fieldForm) checkOnLeave(check func() error, after func()) {
	f.check, f.after = check, after
	f.watchLeaving()
}

// hideOnEdit makes f hide a field's error line as soon as the field is
// edited, as checkOnLeave does, and say nothing more until the form is
// submitted again: on the Sync screen a grey error stood under the relay
// URL being retyped. The line's room is kept until the field is left
// (only fieldEntry inputs tell), so the fields below do not move under
// the pointer; after is called once it went.
func (f *fieldForm) hideOnEdit(after func()) {
	f.hide, f.after = true, after
	f.watchLeaving()
}

// watchLeaving has each fieldEntry of f call left once the focus leaves
// it, and say when a mouse button goes down and up on it (press).
func (f *fieldForm) watchLeaving() {
	for i, in := range f.inputs {
		for _, part := range fieldParts(in) {
			if e, ok := part.(*fieldEntry); ok {
				e.onLeave = func() { f.left(i) }
				e.onPress = f.press
			}
		}
	}
}

// press is told when a mouse button goes down on a field of f, and up: a
// field left by that press (a click in the field below it) is dealt with
// at the release. Its line's room, given back at the press, moved the
// field clicked up from under the pointer, and the release, landing on
// what took its place, took the focus away from it: the click was lost.
func (f *fieldForm) press(down bool) {
	f.pressed = down
	if down {
		return
	}
	held := f.leftHeld
	f.leftHeld = nil
	for _, i := range held {
		f.left(i)
	}
}

// left shows the error of field i as it stands, once it was typed in; with
// hideOnEdit, it gives back the room its hidden error kept.
func (f *fieldForm) left(i int) {
	if (f.check == nil && !f.hide) || !f.typed[i] {
		return
	}
	if f.pressed {
		if !slices.Contains(f.leftHeld, i) {
			f.leftHeld = append(f.leftHeld, i)
		}
		return
	}
	f.typed[i] = false
	if f.check == nil {
		if f.keeps[i].Visible() {
			f.keeps[i].Hide()
			f.relaid()
			if f.after != nil {
				f.after()
			}
		}
		return
	}
	var bad fieldErrors
	errors.As(f.check(), &bad)
	var err error
	for _, part := range fieldParts(f.inputs[i]) {
		if err = bad[part]; err != nil {
			break
		}
	}
	f.keeps[i].Hide()
	setErrorLine(f.msgs[i], err)
	f.relaid()
	if f.after != nil {
		f.after()
	}
}

// clearOnChoice takes msg, the error line of sel, away once a choice is
// made in sel, and greys out the problem line: any choice answers "choose
// the factory's kind", which stayed in red beside the kind chosen, then in
// grey, as if still owed. Unlike a key typed, a choice is made in a popup
// over the form, so the form can close up at once: what moves is not
// under the pointer.
func (f *fieldForm) clearOnChoice(sel *widget.Select, msg *widget.Label) {
	before := sel.OnChanged
	sel.OnChanged = func(choice string) {
		if choice != "" && msg.Visible() {
			msg.Hide()
			f.relaid()
		}
		greyOut([]*widget.Label{msg, f.problem})
		if before != nil {
			before(choice)
		}
	}
}

func greyOut(lines []*widget.Label) {
	for _, l := range lines {
		if l.Visible() && l.Importance != widget.LowImportance {
			l.Importance = widget.LowImportance
			l.Refresh()
		}
	}
}

// errorLine is an error shown in the form, hidden until there is one.
func errorLine() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setErrorLine(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(errorText(err))
	l.Importance = widget.DangerImportance
	l.Show()
}

// report shows err: fieldErrors under their fields, in field order, with
// the cursor put in the first bad field; any other error on the problem
// line. A nil err clears every message.
func (f *fieldForm) report(err error) {
	f.pressed, f.leftHeld = false, nil
	for i := range f.inputs {
		f.typed[i] = false
		f.keeps[i].Hide()
	}
	var bad fieldErrors
	errors.As(err, &bad)
	var first fyne.CanvasObject
	shown := 0
	for i, in := range f.inputs {
		var e error
		for _, part := range fieldParts(in) {
			if e = bad[part]; e != nil {
				shown++
				if first == nil {
					first = part
				}
				break
			}
		}
		setErrorLine(f.msgs[i], e)
	}
	switch {
	case bad == nil:
		setErrorLine(f.problem, err)
	case shown < len(bad):
		// An error about no field of this form: still say it.
		setErrorLine(f.problem, errors.New(bad.Error()))
	default:
		setErrorLine(f.problem, nil)
	}
	if fc, ok := first.(fyne.Focusable); ok {
		if c := fyne.CurrentApp().Driver().CanvasForObject(f.Form); c != nil {
			c.Focus(fc)
		}
	}
	f.relaid()
}

// relaid lays the form out again once an error line came or went, and
// tells what holds it (resized).
func (f *fieldForm) relaid() {
	f.Form.Refresh()
	if f.resized != nil {
		f.resized()
	}
}

// fieldParts is o and, when o is a container, everything in it: a field
// may be an entry with a button beside it.
func fieldParts(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	if c, ok := o.(*fyne.Container); ok {
		for _, x := range c.Objects {
			out = append(out, fieldParts(x)...)
		}
	}
	return out
}

// fieldEntry is an entry of a form. A focused entry swallows Escape, so
// this one passes it on: in a dialog, Escape closes it.
type fieldEntry struct {
	widget.Entry
	onEscape func()
	onLeave  func()          // the focus left it
	onPress  func(down bool) // a mouse button went down on it, or up
}

func newFieldEntry() *fieldEntry {
	e := &fieldEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// FocusGained selects what a one-line field holds, as fields on any
// desktop do when tabbed into: typing then replaces it. A prefilled
// quantity of 1 took a typed 2 as 21, and 21 went back on the shelf. A
// mouse click still puts the cursor where it lands.
func (e *fieldEntry) FocusGained() {
	e.Entry.FocusGained()
	if !e.MultiLine {
		e.Entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	}
}

// MouseDown tells the form a press began on the field: one it leaves for
// this one is dealt with at the release (fieldForm.press).
func (e *fieldEntry) MouseDown(m *desktop.MouseEvent) {
	if e.onPress != nil {
		e.onPress(true)
	}
	e.Entry.MouseDown(m)
}

// MouseUp tells the form the press ended.
func (e *fieldEntry) MouseUp(m *desktop.MouseEvent) {
	e.Entry.MouseUp(m)
	if e.onPress != nil {
		e.onPress(false)
	}
}

// FocusLost tells the form the field was left (checkOnLeave).
func (e *fieldEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.onLeave != nil {
		e.onLeave()
	}
}

func (e *fieldEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// entryOf is the entry o is, if it is one.
func entryOf(o fyne.CanvasObject) (*widget.Entry, bool) {
	switch e := o.(type) {
	case *widget.Entry:
		return e, true
	case *fieldEntry:
		return &e.Entry, true
	}
	return nil, false
}
