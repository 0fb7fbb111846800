package ui

import (
	"fmt"

	"fyne.io/fyne/v2/widget"
)

// askBeforeClosing is the window's close button: with a basket not yet
// recorded, or a form typed in and not saved, it asks first, as closing
// had thrown them away without a word. Otherwise it closes at once.
func (u *UI) askBeforeClosing() {
	basket, form := u.unrecordedBasket(), u.formTypedIn()
	var msg string
	switch {
	case basket != "" && form:
		msg = basket + " is not recorded yet, and what you typed in the form is not saved; quitting throws them away."
	case basket != "":
		msg = basket + " is not recorded yet; quitting throws it away."
	case form:
		msg = "What you typed in the form is not saved yet; quitting throws it away."
	default:
		u.closeWindow()
		return
	}
	d := u.question("Quit Microshop?", msg, "Quit anyway", "Keep working", u.closeWindow)
	d.SetConfirmImportance(widget.DangerImportance)
	u.showDialog(d)
}

// Quit closes the window at once, keeping its size, as a signal asks
// (Ctrl+C in the terminal that started the app, or the session ending):
// nobody is at the window to answer a question.
func (u *UI) Quit() { u.closeWindow() }

// unrecordedBasket names the Sell screen's basket when it holds lines not
// recorded yet; "" when it holds none.
func (u *UI) unrecordedBasket() string {
	s := u.sell
	if s == nil || s.basket == nil || len(s.basket.lines) == 0 {
		return ""
	}
	cur := u.info.Currency
	return fmt.Sprintf("A basket of %s (%s %s)", plural(len(s.basket.lines), "line", "lines"), s.basket.sum().Format(cur), cur)
}

// formTypedIn reports whether a form open was typed in since it opened.
func (u *UI) formTypedIn() bool {
	for _, d := range u.dialogs {
		if d.unsaved != nil && d.unsaved() {
			return true
		}
	}
	return false
}

// tellOpenElsewhere says, as a window opens, that the shop is open in
// another window of the app already: opened twice by mistake, each
// recorded its sales safely, but each had its own Undo (this one offered
// the other's last sale) and its own sync, and nothing said so.
func (u *UI) tellOpenElsewhere() {
	u.ask("Open in another window", "This shop is open in another Microshop window already. Both record what you do safely, "+
		"but each has its own Undo and its own sync: work in one of them.", "Quit this window", "Keep both open", u.Quit)
}
