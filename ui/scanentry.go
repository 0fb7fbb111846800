package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// scanEntry is the Sell screen's search box. The desktop driver turns
// Ctrl+Z into fyne.ShortcutUndo and gives it to the focused entry before
// any window shortcut sees it, so the box itself passes it on: with
// nothing typed, Ctrl+Z undoes the last sale; with text, it undoes typing.
type scanEntry struct {
	widget.Entry
	onUndo func()
}

func newScanEntry(onUndo func()) *scanEntry {
	e := &scanEntry{onUndo: onUndo}
	e.ExtendBaseWidget(e)
	return e
}

func (e *scanEntry) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*fyne.ShortcutUndo); ok && e.Text == "" && e.onUndo != nil {
		e.onUndo()
		return
	}
	e.Entry.TypedShortcut(s)
}

// selectAll selects the text, so what is typed next replaces it: a
// scanner's next code does not land after a code that was refused.
func (e *scanEntry) selectAll() { e.Entry.TypedShortcut(&fyne.ShortcutSelectAll{}) }
