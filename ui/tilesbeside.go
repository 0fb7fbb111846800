package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// tilesBeside lays the Sell tiles out with the basket to their right: the
// tiles take as many whole columns as leave the basket its room, and the
// basket takes the rest. With the basket at its narrowest, the tiles'
// space held a column and most of another, left empty between them and
// the basket. A hidden basket leaves the tiles everything.
type tilesBeside struct{}

func (tilesBeside) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	tiles, basket := objs[0], objs[1]
	tiles.Move(fyne.NewPos(0, 0))
	if !basket.Visible() {
		tiles.Resize(size)
		return
	}
	pad := theme.Padding()
	room := size.Width - basket.MinSize().Width - pad
	cols := max(1, int((room+pad)/(tileSize.Width+pad)))
	width := min(room, float32(cols)*(tileSize.Width+pad)-pad)
	width = max(width, min(tileSize.Width, size.Width/2))
	tiles.Resize(fyne.NewSize(width, size.Height))
	basket.Move(fyne.NewPos(width+pad, 0))
	basket.Resize(fyne.NewSize(size.Width-width-pad, size.Height))
}

func (tilesBeside) MinSize(objs []fyne.CanvasObject) fyne.Size {
	tiles, basket := objs[0].MinSize(), objs[1]
	if !basket.Visible() {
		return tiles
	}
	b := basket.MinSize()
	return fyne.NewSize(tiles.Width+theme.Padding()+b.Width, max(tiles.Height, b.Height))
}
