package ui

import (
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
	for i, c := range cols {
		out[i] = c.width
		if c.flex {
			out[i] = c.width * scale
		}
	}
	return out
}

// fitColumns lays t out with its columns sized to the width it gets.
func fitColumns(t *widget.Table, cols []tableColumn) fyne.CanvasObject {
	return container.New(&columnsLayout{table: t, cols: cols}, t)
}

type columnsLayout struct {
	table *widget.Table
	cols  []tableColumn
	width float32 // the width the columns were last sized for
}

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.width {
		l.width = size.Width
		// Columns are set apart by the theme's padding.
		room := size.Width - float32(len(l.cols))*theme.Padding()
		for i, w := range columnWidths(l.cols, room) {
			l.table.SetColumnWidth(i, w)
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
