package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// setCellText makes a reused list or table label show text. It refreshes
// the label only when what it shows changes: a refresh lays the text out
// again, and a screen that opens refreshes every visible cell twice.
// A label that ends in an ellipsis when too long shapes its text on every
// refresh, with a new shaper each time (Fyne 2.7), which was most of the
// time the SKUs screen took to open; text that fits its cell is the same
// drawn without truncation, so the ellipsis is asked for only when needed.
func setCellText(l *widget.Label, text string, align fyne.TextAlign, imp widget.Importance) {
	trunc := fyne.TextTruncateOff
	room := l.Size().Width - 2*theme.InnerPadding()
	if room <= 0 || fyne.MeasureText(text, theme.TextSize(), l.TextStyle).Width >= room-1 {
		trunc = fyne.TextTruncateEllipsis
	}
	if l.Text == text && l.Alignment == align && l.Importance == imp && l.Truncation == trunc {
		return
	}
	l.Text, l.Alignment, l.Importance, l.Truncation = text, align, imp, trunc
	l.Refresh()
}
