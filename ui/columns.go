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

// columnsShown is which of cols show in width, pad apart: all of them
// when they fit with the free-text ones narrowed to minFlexShare at most;
// else without the columns of drop, the first left out first, until the
// rest fit or none is left to leave out (then the table scrolls sideways).
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
// column with (setWidth).
func fitColumnsDropping(t *widget.Table, cols []tableColumn, drop []int, shown func([]int)) (*fyne.Container, *columnsLayout) {
	l := &columnsLayout{table: t, cols: cols, drop: drop, shown: shown}
	return container.New(l, t), l
}

// setWidth makes column i width wide at the usual window size, for what
// it holds now, and box, the container l lays out, lays it out again: else
// which columns show, and how wide, are worked out again only when the
// table's width changes.
func (l *columnsLayout) setWidth(box *fyne.Container, i int, width float32) {
	if l.cols[i].width == width {
		return
	}
	l.cols[i].width = width
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
		for i, w := range columnWidths(cols, room) {
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
