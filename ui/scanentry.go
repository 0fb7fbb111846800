package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// scanEntry is the Sell screen's search box. The desktop driver turns
// Ctrl+Z into fyne.ShortcutUndo and gives it to the focused entry before
// any window shortcut sees it, so the box itself passes it on: with
// nothing typed, Ctrl+Z undoes the last sale; with text, it undoes typing.
// Escape drops the scan in hand (onEscape); Down moves the keys to the
// tiles below (onDown).
type scanEntry struct {
	widget.Entry
	onUndo, onEscape, onDown func()
}

func newScanEntry(onUndo, onEscape func()) *scanEntry {
	e := &scanEntry{onUndo: onUndo, onEscape: onEscape}
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

func (e *scanEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	if k.Name == fyne.KeyDown && e.onDown != nil {
		e.onDown()
		return
	}
	e.Entry.TypedKey(k)
}

// selectAll selects the text, so what is typed next replaces it: a
// scanner's next code does not land after a code that was refused.
func (e *scanEntry) selectAll() { e.Entry.TypedShortcut(&fyne.ShortcutSelectAll{}) }
