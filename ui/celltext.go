package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
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

// shownText is a SKU's name and variant (domain.NameWithVariant) as label
// l can show them on one line: a name too long for it is shortened, not
// the variant. The variant is what tells two SKUs of one product apart,
// and the label's own ellipsis, at the end, cut it off first: in a narrow
// column "Canvas… (Black …" read the same for both sizes. Only a variant
// too long for the cell by itself is cut, by the label's ellipsis.
func shownText(l *widget.Label, name, variant string) string {
	full := domain.NameWithVariant(name, variant)
	room := l.Size().Width - 2*theme.InnerPadding() - 1
	width := func(s string) float32 { return fyne.MeasureText(s, theme.TextSize(), l.TextStyle).Width }
	if variant == "" || room <= 0 || width(full) < room {
		return full
	}
	tail := strings.TrimPrefix(full, name)
	nameRoom := room - width(tail)
	// The longest start of the name that fits with its ellipsis: found by
	// halving, as a cell of each visible row is fitted on every refresh.
	r := []rune(name)
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if width(strings.TrimRight(string(r[:mid]), " ,")+"…") <= nameRoom {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ,") + "…" + tail
}

// codeCellText is code as a table label l shows it (codeText): whole
// when it fits, else cut in the middle.
func codeCellText(l *widget.Label, code string) string {
	// setCellText cuts a text within a point of its room.
	return codeText(code, l.Size().Width-2*theme.InnerPadding()-2, theme.TextSize())
}

// codeText is code as room, in points at size, shows it: whole when it
// fits, else cut in the middle, its start and its end kept around "…".
// Two long codes of one product differ at their end (…-LIMITED-01,
// …-LIMITED-02), and the ellipsis at the end made them read the same.
func codeText(code string, room, size float32) string {
	width := func(s string) float32 { return fyne.MeasureText(s, size, fyne.TextStyle{}).Width }
	if room <= 0 || width(code) <= room {
		return code
	}
	// The most letters that fit with the ellipsis, the end keeping the
	// odd one: found by halving, as each visible row is fitted on every
	// refresh.
	r := []rune(code)
	cut := func(n int) string { return string(r[:n/2]) + "…" + string(r[len(r)-(n+1)/2:]) }
	lo, hi := 0, len(r)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if width(cut(mid)) <= room {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return cut(lo)
}
