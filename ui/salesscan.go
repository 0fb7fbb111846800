package ui

import (
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// handOver gives a character typed in the Sales window to the till. A
// barcode scanner types a code and Enter wherever the keys go: with the
// Sales window open they went nowhere, and the buyer's item was neither
// sold nor refused. The window steps aside, the Sell screen shows with
// the character in its search box, and the rest of the code and its
// Enter follow it there: sold, put in the basket or refused as any scan.
func (v *salesView) handOver(r rune) {
	if unicode.IsSpace(r) {
		return // Space presses the button or picks the line with the focus: no code has one
	}
	u := v.u
	v.dialog.Hide()
	s := u.sell
	u.showScreen(s)
	// A refused code left in the box was not sold: the scan starts afresh.
	s.search.SetText("")
	u.win.Canvas().Focus(s.search)
	s.search.TypedRune(r)
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
