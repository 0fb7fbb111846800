package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// A shop that can only be read here (its file, its folder or its disk
// cannot be written to) shows every screen as a writable one does. A line
// above the screens says so from the moment it opens, so a maker learns it
// before filling in a form, with a button that says why and what to do;
// the title says it too. Each change is then refused where that screen
// shows any refusal (under the form, on the till's line, in a dialog), in
// those words. The buttons stay as they are: greyed out without a word,
// they would say nothing of why, nor of what to do.

// readOnlyLine is the line above the screens of a shop that can only be
// read; nil for one that can be written.
func (u *UI) readOnlyLine() fyne.CanvasObject {
	err := u.shop.ReadOnly()
	if err == nil {
		return nil
	}
	l := widget.NewLabel("Read-only: this shop can only be read here, and every change to it is refused")
	l.Importance = widget.WarningImportance
	l.Truncation = fyne.TextTruncateEllipsis
	why := widget.NewButtonWithIcon("Why…", theme.InfoIcon(), func() {
		u.inform("This shop can only be read here", errorText(err))
	})
	why.Importance = widget.LowImportance
	return container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), why, l), widget.NewSeparator())
}

// windowTitle is the title of the window showing a shop named name.
func (u *UI) windowTitle(name string) string {
	if u.shop.ReadOnly() != nil {
		return "Microshop — " + name + " (read-only)"
	}
	return "Microshop — " + name
}
