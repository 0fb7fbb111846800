package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// flowColumns lays its objects out in equal columns, as many as fit side
// by side, and the rest in rows below: the first-run cards stood three
// abreast at any width, and made an 800-pixel window 862 wide; in a third
// of an 800-wide window a SKU's daily rate read "0.44 / a day / (12 in /
// 27 d)", on four lines. It asks for the height of the rows its last
// width made, so the window lays out again when a narrower one moves an
// object down. Each object is told its column's width before its height
// is asked, as wrapped text needs.
type flowColumns struct {
	// natural, when set, is the width object i needs to stand beside the
	// others; else its least width.
	natural func(i int) float32
	cols    int // of the last layout; 0 before it: all in one row
}

// columns is how many objects of objs fit side by side in width.
func (l *flowColumns) columns(objs []fyne.CanvasObject, width float32) int {
	pad := theme.Padding()
	for n := len(objs); n > 1; n-- {
		room := (width - pad*float32(n-1)) / float32(n)
		fits := true
		for i, o := range objs {
			need := o.MinSize().Width
			if l.natural != nil {
				need = l.natural(i)
			}
			fits = fits && need <= room
		}
		if fits {
			return n
		}
	}
	return 1
}

// rows calls each with every row of cols objects and its height.
func (l *flowColumns) rows(objs []fyne.CanvasObject, cols int, each func(row []fyne.CanvasObject, height float32)) {
	for start := 0; start < len(objs); start += cols {
		row := objs[start:min(start+cols, len(objs))]
		var h float32
		for _, o := range row {
			h = max(h, o.MinSize().Height)
		}
		each(row, h)
	}
}

func (l *flowColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	cols := l.cols
	if cols == 0 {
		cols = len(objs)
	}
	var size fyne.Size
	for _, o := range objs {
		size.Width = max(size.Width, o.MinSize().Width)
	}
	l.rows(objs, cols, func(_ []fyne.CanvasObject, h float32) {
		if size.Height > 0 {
			size.Height += theme.Padding()
		}
		size.Height += h
	})
	return size
}

func (l *flowColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	l.cols = l.columns(objs, size.Width)
	pad := theme.Padding()
	colW := (size.Width - pad*float32(l.cols-1)) / float32(l.cols)
	for _, o := range objs {
		o.Resize(fyne.NewSize(colW, o.Size().Height)) // wraps its text at the width
	}
	y := float32(0)
	l.rows(objs, l.cols, func(row []fyne.CanvasObject, h float32) {
		if len(objs) <= l.cols {
			h = max(h, size.Height) // one row: it takes the height given
		}
		for i, o := range row {
			o.Move(fyne.NewPos(float32(i)*(colW+pad), y))
			o.Resize(fyne.NewSize(colW, h))
		}
		y += h + pad
	})
}
