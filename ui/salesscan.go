package ui

import (
	"slices"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// handToTill gives a character typed over the till to it. A barcode
// scanner types a code and Enter wherever the keys go: into the Sales
// window, or a question or notice over it or over the Sell screen ("Void
// this sale?"), they went nowhere, and the buyer's item was neither sold
// nor refused; with a question's Yes focused, the scanner's Enter took it.
// Those dialogs close unanswered, as No would, the Sell screen shows with
// the character in its search box, and the rest of the code and its Enter
// follow it there: sold, put in the basket or refused as any scan.
func (u *UI) handToTill(r rune) {
	if unicode.IsSpace(r) || !u.overTill() {
		return // Space presses the button or picks the line with the focus: no code has one
	}
	s := u.sell
	// What the box holds under the Sales window, or with another screen
	// shown, was typed before it opened: the scan starts afresh. Over the
	// Sell screen, the box holds a refused code, selected for this scan to
	// replace, or the start of this scan, typed before a question came up,
	// which the rest follows: emptied, or selected by the question's No,
	// it sold what the rest of the code happened to name.
	_, selling := u.currentScreen().(*sellScreen)
	afresh := !selling || u.sales != nil && u.isOpen(u.sales.dialog)
	typing := selling && s.search.SelectedText() == ""
	for _, o := range slices.Backward(slices.Clone(u.dialogs)) {
		o.d.Hide() // a question's answer is No
	}
	u.showScreen(s)
	if afresh || typing {
		// End drops a selection: the question's No selected the start of
		// the scan, and emptied with a refused code selected, the box
		// swallowed the next key typed (see dropScan).
		s.search.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	}
	if afresh {
		s.search.SetText("")
	}
	u.win.Canvas().Focus(s.search)
	s.search.TypedRune(r)
}

// overTill reports whether keys typed now are for the till: the Sell
// screen or the Sales window is under the dialogs open, if any, and each
// of them is the Sales window, a question or a notice, which a scan may
// close. A form keeps them: they are typed into it.
func (u *UI) overTill() bool {
	sales := false
	for _, o := range u.dialogs {
		_, question := o.d.(*questionDialog)
		switch {
		case u.sales != nil && o.d == u.sales.dialog:
			sales = true
		case !question && !o.notice:
			return false
		}
	}
	_, selling := u.currentScreen().(*sellScreen)
	return sales || selling
}

// scanList is the Sales window's list of lines, which passes on the
// characters typed while it has the focus (a tap on a line gives it) to
// onRune: a list takes none.
type scanList struct {
	widget.List
	onRune func(rune)
}

func newScanList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject), onRune func(rune)) *scanList {
	l := &scanList{onRune: onRune}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

func (l *scanList) TypedRune(r rune) { l.onRune(r) }

// scanButton is a button of the Sales window that passes on the
// characters typed while it has the focus (Tab gives it) to onRune.
type scanButton struct {
	widget.Button
	onRune func(rune)
}

func newScanButton(label string, icon fyne.Resource, tapped func(), onRune func(rune)) *scanButton {
	b := &scanButton{onRune: onRune}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *scanButton) TypedRune(r rune) { b.onRune(r) }
