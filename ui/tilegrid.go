package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// tileGrid is the Sell screen's tiles, sold from the keyboard: Down in
// the search box (or Tab) puts the keys on them, the arrows move a ring
// from tile to tile, and Enter or Space sells the ringed one, as a tap
// would. GridWrap's own keyboard highlight lies behind the tile's opaque
// face: Space sold a tile the maker could not see was chosen. The grid
// keeps the ringed tile itself (at), so the ring and the sale agree.
type tileGrid struct {
	widget.GridWrap
	focused bool
	at      widget.GridWrapItemID
	onPick  func(id widget.GridWrapItemID) // Enter or Space on tile id
	onLeave func()                         // Escape: back to the search box
}

func newTileGrid(length func() int, create func() fyne.CanvasObject, update func(widget.GridWrapItemID, fyne.CanvasObject)) *tileGrid {
	g := &tileGrid{}
	g.Length, g.CreateItem, g.UpdateItem = length, create, update
	g.ExtendBaseWidget(g)
	return g
}

// ringed says whether tile id wears the keyboard's ring.
func (g *tileGrid) ringed(id widget.GridWrapItemID) bool { return g.focused && id == g.at }

func (g *tileGrid) FocusGained() {
	g.focused = true
	g.at = min(g.at, max(g.Length()-1, 0))
	g.RefreshItem(g.at)
}

func (g *tileGrid) FocusLost() {
	g.focused = false
	g.RefreshItem(g.at)
}

func (g *tileGrid) TypedKey(k *fyne.KeyEvent) {
	n := g.Length()
	to := g.at
	switch k.Name {
	case fyne.KeyLeft:
		to--
	case fyne.KeyRight:
		to++
	case fyne.KeyUp:
		to -= g.ColumnCount()
	case fyne.KeyDown:
		to += g.ColumnCount()
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		if g.at < n && g.onPick != nil {
			g.onPick(g.at)
		}
		return
	case fyne.KeyEscape:
		if g.onLeave != nil {
			g.onLeave()
		}
		return
	default:
		return
	}
	to = max(0, min(to, n-1))
	if to == g.at || n == 0 {
		return
	}
	was := g.at
	g.at = to
	g.RefreshItem(was)
	g.RefreshItem(to)
	g.ScrollTo(to)
}

// TypedRune is Space as a rune: the key event sells (TypedKey).
func (g *tileGrid) TypedRune(rune) {}

// home puts the ring back on the first tile: the search changed which
// tiles are shown.
func (g *tileGrid) home() { g.at = 0 }
