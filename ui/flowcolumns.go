package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// flowColumns lays its objects out in equal columns, as many as fit the
// widest of them side by side, and the rest in rows below: the first-run
// cards stood three abreast at any width, and made an 800-pixel window
// 862 wide. It asks for the height of the rows its last width made, so
// the window lays out again when a narrower one moves a card down.
type flowColumns struct {
	cols int // of the last layout; 0 before it: all in one row
}

func (l *flowColumns) columns(objs []fyne.CanvasObject, width float32) int {
	widest := float32(0)
	for _, o := range objs {
		widest = max(widest, o.MinSize().Width)
	}
	pad := theme.Padding()
	return max(1, min(len(objs), int((width+pad)/(widest+pad))))
}

func (l *flowColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	cols := l.cols
	if cols == 0 {
		cols = len(objs)
	}
	pad := theme.Padding()
	var width, height float32
	for start := 0; start < len(objs); start += cols {
		rowH := float32(0)
		for _, o := range objs[start:min(start+cols, len(objs))] {
			m := o.MinSize()
			rowH = max(rowH, m.Height)
			width = max(width, m.Width)
		}
		if start > 0 {
			height += pad
		}
		height += rowH
	}
	return fyne.NewSize(width, height)
}

func (l *flowColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	l.cols = l.columns(objs, size.Width)
	pad := theme.Padding()
	colW := (size.Width - pad*float32(l.cols-1)) / float32(l.cols)
	y := float32(0)
	for start := 0; start < len(objs); start += l.cols {
		row := objs[start:min(start+l.cols, len(objs))]
		rowH := float32(0)
		for _, o := range row {
			rowH = max(rowH, o.MinSize().Height)
		}
		if len(objs) <= l.cols {
			rowH = max(rowH, size.Height) // one row: it takes the height given
		}
		for i, o := range row {
			o.Move(fyne.NewPos(float32(i)*(colW+pad), y))
			o.Resize(fyne.NewSize(colW, rowH))
		}
		y += rowH + pad
	}
}
