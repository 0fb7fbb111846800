package ui

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// openDialog is a dialog on screen and how Escape closes it. A notice
// (one button, OK) closes on Enter too, as a desktop's message boxes do;
// a question never does, so Enter cannot answer it unread. A form takes
// Enter in its fields; with none focused, the window gives it the Enter.
type openDialog struct {
	d       dialog.Dialog
	close   func()
	notice  bool
	unsaved func() bool // a form: whether anything was typed in it since it opened
	submit  func()      // a form: what Enter does with nothing focused
}

// showDialog shows d and keeps it on the stack of open dialogs, so Escape
// can close it: Fyne's dialogs do not answer Escape themselves.
func (u *UI) showDialog(d dialog.Dialog) { u.showClosing(d, d.Hide) }

// showClosing shows d as showDialog does, with close run for Escape: a
// form asks first whether to drop what was typed in it.
func (u *UI) showClosing(d dialog.Dialog, close func()) { u.showOpen(openDialog{d: d, close: close}) }

// showNotice shows d, a message with OK only, which Enter closes as well.
func (u *UI) showNotice(d dialog.Dialog) { u.showOpen(openDialog{d: d, close: d.Hide, notice: true}) }

func (u *UI) showOpen(o openDialog) {
	d := o.d
	u.dialogs = append(u.dialogs, o)
	d.SetOnClosed(func() {
		u.dialogs = slices.DeleteFunc(u.dialogs, func(o openDialog) bool { return o.d == d })
	})
	d.Show()
}

// isOpen reports whether d is on screen.
func (u *UI) isOpen(d dialog.Dialog) bool {
	return slices.ContainsFunc(u.dialogs, func(o openDialog) bool { return o.d == d })
}

// escape closes the dialog shown last, as Cancel or Close would. The
// window's canvas calls it when nothing has the focus; a form's focused
// entry calls its own dialog's (fieldEntry).
func (u *UI) escape() {
	if n := len(u.dialogs); n > 0 {
		u.dialogs[n-1].close()
	}
}

// onTypedKey is the window's key handler for keys no focused widget took.
func (u *UI) onTypedKey(k *fyne.KeyEvent) {
	n := len(u.dialogs)
	switch {
	case k.Name == fyne.KeyEscape:
		u.escape()
	case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && n > 0 && u.dialogs[n-1].notice:
		u.dialogs[n-1].close()
	case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && n > 0 && u.dialogs[n-1].submit != nil:
		// A form with no field to type in (Remove a location: a choice
		// alone) opens with nothing focused, and Enter did nothing.
		u.dialogs[n-1].submit()
	}
}

// onTypedRune is the window's handler for characters no focused widget
// took: typed over the till, they are a scan for it.
func (u *UI) onTypedRune(r rune) { u.handToTill(r) }

// showError shows the app's one sentence for err in a dialog.
func (u *UI) showError(err error) {
	if err == nil {
		return
	}
	u.showNotice(dialog.NewError(errors.New(errorText(err)), u.win))
}

// inform shows a short confirmation.
func (u *UI) inform(title, message string) {
	u.afterForm(func() { u.showNotice(dialog.NewInformation(title, sentence(message), u.win)) })
}

// afterForm runs show once the form being submitted has closed, or now
// when none is: a dialog shown while a form is open would close with it.
func (u *UI) afterForm(show func()) {
	if u.holdInfo {
		u.heldInfo = append(u.heldInfo, show)
		return
	}
	show()
}

// confirm asks a yes-or-no question; do runs on yes. The buttons read
// yes and Cancel, or Yes and No when yes is empty.
func (u *UI) confirm(title, message, yes string, do func()) {
	if yes == "" {
		u.ask(title, message, "Yes", "No", do)
		return
	}
	u.ask(title, message, yes, "Cancel", do)
}

// ask asks a question with its own words for both answers; do runs on yes.
func (u *UI) ask(title, message, yes, no string, do func()) {
	u.showDialog(u.question(title, message, yes, no, do))
}

// askToDiscard asks whether to throw away what was typed, the yes in the
// colour of what cannot be undone.
func (u *UI) askToDiscard(title, message, no string, do func()) {
	d := u.question(title, message, "Discard", no, do)
	d.SetConfirmImportance(widget.DangerImportance)
	u.showDialog(d)
}

func (u *UI) question(title, message, yes, no string, do func()) *questionDialog {
	d := u.newQuestion(title, message, func(ok bool) {
		if ok {
			do()
		}
	})
	d.SetConfirmText(yes)
	d.SetDismissText(no)
	return d
}
