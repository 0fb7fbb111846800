package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tableColumn is how wide a column of a table is at the usual window
// size, and whether it holds free text such as a name, which gains from
// more room and can give some up, rather than a code, a word from a short
// list or a number, which must show whole.
type tableColumn struct {
	width float32
	flex  bool
	// floor, when set, is how far a column of codes widened for its
	// longest (codeColumnWidth) narrows where the free-text columns have
	// given all they can: a long code is cut, and shown whole in the
	// detail, rather than push the columns read most past the edge.
	floor float32
}

// narrowest is how narrow c can be before the table scrolls sideways.
func (c tableColumn) narrowest() float32 {
	switch {
	case c.flex:
		return c.width * minFlexShare
	case c.floor > 0:
		return min(c.floor, c.width)
	}
	return c.width
}

// minFlexShare is how far a free-text column may narrow in a small
// window: names are shortened with an ellipsis and shown whole in the
// detail.
const minFlexShare = 0.6

// columnWidths shares width among columns: wider than they need, the
// free-text columns get the extra in proportion to their width; narrower,
// they give up room down to minFlexShare of it, and beyond that the table
// scrolls sideways.
func columnWidths(cols []tableColumn, width float32) []float32 {
	var all, flex float32
	for _, c := range cols {
		all += c.width
		if c.flex {
			flex += c.width
		}
	}
	scale := float32(1)
	if flex > 0 {
		scale = max((flex+width-all)/flex, minFlexShare)
	}
	out := make([]float32, len(cols))
	var used float32
	for i, c := range cols {
		out[i] = c.width
		if c.flex {
			out[i] = c.width * scale
		}
		used += out[i]
	}
	// Still too wide, with a column of codes widened for a long one: the
	// free-text columns give some more, then the codes give way to their
	// floor.
	if hasFloor(cols) {
		used = giveWay(out, used, width, func(i int) float32 {
			if cols[i].flex {
				return cols[i].width * minFlexShareLast
			}
			return out[i]
		})
		giveWay(out, used, width, func(i int) float32 { return cols[i].narrowest() })
	}
	return out
}

// minFlexShareLast is how far a free-text column narrows, past
// minFlexShare, for a column of codes widened for a long one: a name is
// cut shorter before a code, both shown whole in the detail.
const minFlexShareLast = 0.4

// giveWay narrows widths, used wide together, towards width, each down to
// least(i) at most, in proportion to what each can give; it returns how
// wide they are then.
func giveWay(widths []float32, used, width float32, least func(i int) float32) float32 {
	over := used - width
	var give float32
	for i, w := range widths {
		give += max(w-least(i), 0)
	}
	if over <= 0 || give <= 0 {
		return used
	}
	share := min(over/give, 1)
	for i, w := range widths {
		cut := max(w-least(i), 0) * share
		widths[i] -= cut
		used -= cut
	}
	return used
}

// hasFloor reports whether one of cols is a column of codes with a floor.
func hasFloor(cols []tableColumn) bool {
	for _, c := range cols {
		if c.floor > 0 {
			return true
		}
	}
	return false
}

// columnsShown is which of cols show in width, pad apart: all of them
// when they fit with the free-text ones narrowed to minFlexShare at most;
// else without the columns of drop, the first left out first, until the
// rest fit or none is left to leave out (then the columns with a floor
// give way, and past that the table scrolls sideways).
func columnsShown(cols []tableColumn, drop []int, width, pad float32) []int {
	for left := 0; ; left++ {
		var shown []int
		var need float32
		for i, c := range cols {
			if slices.Contains(drop[:left], i) {
				continue
			}
			shown = append(shown, i)
			need += pad + c.width
			if c.flex {
				need -= c.width * (1 - minFlexShare)
			}
		}
		if need <= width || left == len(drop) {
			return shown
		}
	}
}

// fitColumnsDropping lays t out with its columns sized to the width it
// gets, leaving out the columns of drop, the first first, where the rest
// would not fit without scrolling sideways: a column past the table's
// edge went unseen. shown is
// told the columns the table is to show, by their index in cols, whenever
// they change. It returns the laid out table and its layout, to widen a
// column with (setWidths).
func fitColumnsDropping(t *widget.Table, cols []tableColumn, drop []int, shown func([]int)) (*fyne.Container, *columnsLayout) {
	l := &columnsLayout{table: t, cols: cols, drop: drop, shown: shown}
	return container.New(l, t), l
}

// setWidths makes each column as wide as widths says, by column, at the
// usual window size, for what it holds now, and box, the container l lays
// out, lays it out again: else which columns show, and how wide, are
// worked out again only when the table's width changes.
func (l *columnsLayout) setWidths(box *fyne.Container, widths []float32) {
	changed := false
	for i, w := range widths {
		changed = changed || l.cols[i].width != w
		l.cols[i].width = w
	}
	if changed {
		l.width = 0
		box.Refresh()
	}
}

// setDrop makes drop the columns to leave out when narrow, the first first.
func (l *columnsLayout) setDrop(box *fyne.Container, drop []int) {
	if slices.Equal(l.drop, drop) {
		return
	}
	l.drop = drop
	l.width = 0
	box.Refresh()
}

type columnsLayout struct {
	table   *widget.Table
	cols    []tableColumn
	drop    []int       // columns to leave out when narrow, the first first
	shown   func([]int) // told the columns shown when they change
	showing []int       // the columns shown, by their index in cols
	width   float32     // the width the columns were last sized for
	// sized, when set, is told the widths of the columns shown, in the
	// order shown, whenever they change: a table whose cells wrap sets
	// its rows' heights for them.
	sized  func(widths []float32)
	widths []float32 // the columns shown's, as last sized
}

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.width {
		l.width = size.Width
		// Columns are set apart by the theme's padding.
		shown := columnsShown(l.cols, l.drop, size.Width, theme.Padding())
		if !slices.Equal(shown, l.showing) {
			l.showing = shown
			if l.shown != nil {
				l.shown(shown)
			}
		}
		cols := make([]tableColumn, len(shown))
		for i, c := range shown {
			cols[i] = l.cols[c]
		}
		room := size.Width - float32(len(cols))*theme.Padding()
		l.widths = columnWidths(cols, room)
		for i, w := range l.widths {
			l.table.SetColumnWidth(i, w)
		}
		if l.sized != nil {
			l.sized(l.widths)
		}
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize()
}

// wrappedHeight is how tall a table cell must be to show text whole,
// wrapped at word breaks in width.
func wrappedHeight(text string, style fyne.TextStyle, width float32) float32 {
	l := widget.NewLabel(text)
	l.TextStyle = style
	l.Wrapping = fyne.TextWrapWord
	l.Resize(fyne.NewSize(width, 1))
	return l.MinSize().Height
}

// fitRowHeights makes each of a table's rows as tall as its cells need,
// the cells of the columns wrap tells wrapped at widths (the columns',
// by their index shown): a name too long for its column shows whole on
// two lines or more rather than end in "…" with no way to read the rest.
// A row is never shorter than a cell of one line.
func fitRowHeights(t *widget.Table, rows int, widths []float32, wrap func(row, col int) (text string, style fyne.TextStyle, ok bool)) {
	base := widget.NewLabel("x").MinSize().Height
	for r := range rows {
		h := base
		for c, w := range widths {
			if text, style, ok := wrap(r, c); ok {
				h = max(h, wrappedHeight(text, style, w))
			}
		}
		t.SetRowHeight(r, h)
	}
}

// setWrappedCell makes a reused table label show text in style whole,
// wrapped at word breaks, or, unless wrap, on one line ending in "…" when
// too long (setCellText).
func setWrappedCell(l *widget.Label, text string, style fyne.TextStyle, align fyne.TextAlign, imp widget.Importance, wrap bool) {
	wrapping := fyne.TextWrapOff
	if wrap {
		wrapping = fyne.TextWrapWord
	}
	if l.TextStyle != style || l.Wrapping != wrapping {
		l.TextStyle, l.Wrapping = style, wrapping
		l.Text = "" // laid out again below
	}
	if !wrap {
		setCellText(l, text, align, imp)
		return
	}
	if l.Text == text && l.Alignment == align && l.Importance == imp && l.Truncation == fyne.TextTruncateOff {
		return
	}
	l.Text, l.Alignment, l.Importance, l.Truncation = text, align, imp, fyne.TextTruncateOff
	l.Refresh()
}

// figureWidth is how wide a column must be, at least width, to show each
// of figures whole: a column sized for a stall's 12 units cut an order of
// 100000 to "10…".
func figureWidth(width float32, figures ...string) float32 {
	for _, f := range figures {
		// setCellText cuts a text within a point of its room.
		width = max(width, fyne.MeasureText(f, theme.TextSize(), fyne.TextStyle{}).Width+2*theme.InnerPadding()+2)
	}
	return width
}
