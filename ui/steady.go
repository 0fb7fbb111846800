package ui

import "fyne.io/fyne/v2"

// steadyHeight lays out one object over all its space and asks for as
// much height as the object has ever needed at the width it was last
// given: a wrapped message that grows a line moves what is below it once,
// and a shorter one after it moves nothing back. A new width starts
// afresh, since the lines wrap differently.
type steadyHeight struct {
	width, height float32
}

func (l *steadyHeight) MinSize(objects []fyne.CanvasObject) fyne.Size {
	m := objects[0].MinSize()
	l.height = max(l.height, m.Height)
	return fyne.NewSize(m.Width, l.height)
}

func (l *steadyHeight) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.width {
		l.width, l.height = size.Width, 0
	}
	objects[0].Resize(size)
	objects[0].Move(fyne.NewPos(0, 0))
}
