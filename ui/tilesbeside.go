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

// sellBody lays the Sell screen's body out: the search box with the
// quantity and undo beside it, the day's total and the message line under
// them, and the tiles below, as a border of boxes would. Its objects are
// in the order Tab takes them, the search box, the tiles (and the basket
// beside them), then the rest: the tiles are what a sale reaches for next
// from the search box, where in a border of boxes Tab went through the
// quantity, Basket and Sales… first.
type sellBody struct{}

func (sellBody) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	search, tiles, beside, under := objs[0], objs[1], objs[2], objs[3]
	pad := theme.Padding()
	b := beside.MinSize()
	bar := max(search.MinSize().Height, b.Height)
	search.Move(fyne.NewPos(0, 0))
	search.Resize(fyne.NewSize(size.Width-b.Width-pad, bar))
	beside.Move(fyne.NewPos(size.Width-b.Width, 0))
	beside.Resize(fyne.NewSize(b.Width, bar))
	h := under.MinSize().Height
	under.Move(fyne.NewPos(0, bar+pad))
	under.Resize(fyne.NewSize(size.Width, h))
	top := bar + pad + h + pad
	tiles.Move(fyne.NewPos(0, top))
	tiles.Resize(fyne.NewSize(size.Width, size.Height-top))
}

func (sellBody) MinSize(objs []fyne.CanvasObject) fyne.Size {
	search, tiles, beside, under := objs[0].MinSize(), objs[1].MinSize(), objs[2].MinSize(), objs[3].MinSize()
	pad := theme.Padding()
	bar := max(search.Height, beside.Height)
	width := max(search.Width+pad+beside.Width, under.Width, tiles.Width)
	return fyne.NewSize(width, bar+pad+under.Height+pad+tiles.Height)
}
