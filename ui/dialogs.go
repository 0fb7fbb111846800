package ui

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// showDialog shows d and keeps it on the stack of open dialogs, so Escape
// can close it: Fyne's dialogs do not answer Escape themselves.
func (u *UI) showDialog(d dialog.Dialog) {
	u.dialogs = append(u.dialogs, d)
	d.SetOnClosed(func() {
		u.dialogs = slices.DeleteFunc(u.dialogs, func(o dialog.Dialog) bool { return o == d })
	})
	d.Show()
}

// escape closes the dialog shown last, as Cancel or Close would. The
// window's canvas calls it when nothing has the focus; a form's focused
// entry calls its own dialog's (fieldEntry).
func (u *UI) escape() {
	if n := len(u.dialogs); n > 0 {
		u.dialogs[n-1].Hide()
	}
}

// onTypedKey is the window's key handler for keys no focused widget took.
func (u *UI) onTypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		u.escape()
	}
}

// showError shows the app's one sentence for err in a dialog.
func (u *UI) showError(err error) {
	if err == nil {
		return
	}
	u.showDialog(dialog.NewError(errors.New(errorText(err)), u.win))
}

// inform shows a short confirmation.
func (u *UI) inform(title, message string) {
	u.afterForm(func() { u.showDialog(dialog.NewInformation(title, sentence(message), u.win)) })
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

// confirm asks a yes-or-no question; do runs on yes.
func (u *UI) confirm(title, message, yes string, do func()) {
	d := dialog.NewConfirm(title, message, func(ok bool) {
		if ok {
			do()
		}
	}, u.win)
	if yes != "" {
		d.SetConfirmText(yes)
		d.SetDismissText("Cancel")
	}
	u.showDialog(d)
}
