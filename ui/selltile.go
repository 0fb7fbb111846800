package ui

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// tile is one SKU in fair mode: big, tappable, its available units large.
type tile struct {
	widget.BaseWidget
	onTap func()

	code, name, avail, caption, price string
	variant                           string // after the name (shownText)
	status                            domain.Status
	hovered                           bool
	ringed                            bool // the keyboard's choice (tileGrid)
}

var (
	_ fyne.Tappable      = (*tile)(nil)
	_ desktop.Hoverable  = (*tile)(nil)
	_ desktop.Cursorable = (*tile)(nil)
)

func newTile() *tile {
	t := &tile{}
	t.ExtendBaseWidget(t)
	return t
}

// tileSize is a tile's size: large enough to hit at a stall.
var tileSize = fyne.NewSize(200, 116)

// show draws r as the rules assess it (a): units can be owed, but never
// fewer than none are left, so an oversold SKU shows 0 and by how many it
// is over.
func (t *tile) show(r app.StockRow, a domain.Assessment, currency string) {
	was := [...]string{t.code, t.name, t.variant, t.price, t.avail, t.caption}
	wasStatus := t.status
	t.code, t.name, t.variant, t.status = r.SKU.Code, r.SKU.Name, r.SKU.Variant, a.Status
	t.price = r.SKU.Price.Format(currency) + " " + currency
	switch {
	case a.Status == domain.StatusDigital:
		t.avail, t.caption = "∞", "digital"
	case a.Available < 0:
		t.avail, t.caption = "0", fmt.Sprintf("oversold by %d", -a.Available)
	default:
		t.avail, t.caption = strconv.Itoa(a.Available), "available"
	}
	// A tile showing the same SKU as before is left as drawn: opening the
	// screen refreshes every visible tile more than once.
	if was != [...]string{t.code, t.name, t.variant, t.price, t.avail, t.caption} || wasStatus != t.status {
		t.Refresh()
	}
}

// leftText is what a sale left: "3 left", "0 left" or "oversold by 2".
func leftText(available int) string {
	if available < 0 {
		return fmt.Sprintf("oversold by %d", -available)
	}
	return fmt.Sprintf("%d left", available)
}

func (t *tile) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap()
	}
}

// ring draws the keyboard's ring on the tile, or takes it off.
func (t *tile) ring(on bool) {
	if t.ringed != on {
		t.ringed = on
		t.Refresh()
	}
}

func (t *tile) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (t *tile) MouseIn(*desktop.MouseEvent)    { t.hovered = true; t.Refresh() }
func (t *tile) MouseMoved(*desktop.MouseEvent) {}
func (t *tile) MouseOut()                      { t.hovered = false; t.Refresh() }

func (t *tile) MinSize() fyne.Size { return tileSize }

func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	r := &tileRenderer{t: t,
		bg:      canvas.NewRectangle(color.Transparent),
		stripe:  canvas.NewRectangle(color.Transparent),
		name:    widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		code:    canvas.NewText("", color.Black),
		more:    canvas.NewText("", color.Black),
		avail:   canvas.NewText("", color.Black),
		caption: canvas.NewText("", color.Black),
		price:   canvas.NewText("", color.Black),
	}
	// setCellText asks for the ellipsis only when the name does not fit.
	r.avail.TextStyle.Bold = true
	r.price.TextStyle.Bold = true
	r.Refresh()
	return r
}

type tileRenderer struct {
	t          *tile
	bg, stripe *canvas.Rectangle
	name       *widget.Label
	// code is the code's line beside the price; more, the rest of a long
	// code, on the line under it.
	code, more, avail, caption, price *canvas.Text
}

func (r *tileRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.stripe, r.name, r.code, r.more, r.avail, r.caption, r.price}
}

func (r *tileRenderer) MinSize() fyne.Size { return tileSize }
func (r *tileRenderer) Destroy()           {}

func (r *tileRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	r.bg.Resize(size)
	r.stripe.Move(fyne.NewPos(0, 0))
	r.stripe.Resize(fyne.NewSize(6, size.Height))
	nameH := r.name.MinSize().Height
	r.name.Move(fyne.NewPos(6, 0))
	r.name.Resize(fyne.NewSize(size.Width-6, nameH))
	x := 6 + pad*2
	ps := r.price.MinSize()
	// A long code stops before the price, on the line they share (it ran
	// under the price, and neither read), and goes on under it.
	r.code.Text, r.more.Text = r.t.code, ""
	if size.Width > 0 {
		r.code.Text, r.more.Text = splitCode(r.t.code, size.Width-ps.Width-pad*3-x, r.code.TextSize)
		r.more.Text = codeText(r.more.Text, size.Width-x-pad*2, r.more.TextSize)
	}
	for _, t := range []*canvas.Text{r.code, r.more, r.avail, r.caption, r.price} {
		t.Resize(t.MinSize())
	}
	r.code.Move(fyne.NewPos(x, nameH-pad))
	r.more.Move(fyne.NewPos(x, nameH-pad+r.code.MinSize().Height))
	r.more.Hidden = r.more.Text == ""
	r.price.Move(fyne.NewPos(size.Width-ps.Width-pad*2, nameH-pad-(ps.Height-r.code.MinSize().Height)/2))
	as := r.avail.MinSize()
	r.avail.Move(fyne.NewPos(x, size.Height-as.Height-pad))
	cs := r.caption.MinSize()
	r.caption.Move(fyne.NewPos(x+as.Width+pad, size.Height-pad*2-cs.Height))
}

func (r *tileRenderer) Refresh() {
	t := r.t
	bg := theme.Color(theme.ColorNameInputBackground)
	if t.hovered {
		bg = theme.Color(theme.ColorNameHover)
	}
	r.bg.FillColor = bg
	r.bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	r.bg.StrokeWidth = 1
	if t.ringed {
		r.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
		r.bg.StrokeWidth = 3
	}
	r.bg.CornerRadius = theme.InputRadiusSize()
	accent := statusColor(t.status)
	r.stripe.FillColor = accent
	for _, c := range []*canvas.Text{r.code, r.more} {
		c.Color = theme.Color(theme.ColorNamePlaceHolder)
		c.TextSize = theme.CaptionTextSize()
	}
	r.avail.Text = t.avail
	r.avail.TextSize = theme.TextSize() * 2.2
	r.avail.Color = theme.Color(theme.ColorNameForeground)
	if t.status == domain.StatusStockout || t.status == domain.StatusOversold {
		r.avail.Color = theme.Color(theme.ColorNameError)
	}
	r.caption.Text = t.caption
	r.caption.TextSize = theme.CaptionTextSize()
	r.caption.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.price.Text = t.price
	r.price.TextSize = theme.TextSize()
	r.price.Color = theme.Color(theme.ColorNameForeground)
	r.Layout(t.Size())
	setCellText(r.name, shownText(r.name, t.name, t.variant), fyne.TextAlignLeading, widget.MediumImportance)
	for _, o := range r.Objects() {
		if o == r.name {
			continue // refreshed above only when it changed
		}
		o.Refresh()
	}
}

// splitCode is code on two lines, the first room wide, at size: broken
// after the last '-', '_', '.' or '/' that fits, else where room ends;
// rest is "" when code fits on the first.
func splitCode(code string, room, size float32) (first, rest string) {
	width := func(s string) float32 { return fyne.MeasureText(s, size, fyne.TextStyle{}).Width }
	if width(code) <= room {
		return code, ""
	}
	r := []rune(code)
	n := 0 // the most letters that fit, found by halving
	for lo, hi := 0, len(r)-1; lo <= hi; {
		mid := (lo + hi) / 2
		if width(string(r[:mid])) <= room {
			n, lo = mid, mid+1
		} else {
			hi = mid - 1
		}
	}
	if i := strings.LastIndexAny(string(r[:n]), "-_./"); i > 0 {
		n = utf8.RuneCountInString(string(r[:n])[:i]) + 1
	}
	return string(r[:n]), string(r[n:])
}

// statusColor is the accent of a status: red for none left, orange for
// act soon, green for fine.
func statusColor(s domain.Status) color.Color {
	switch s {
	case domain.StatusOversold, domain.StatusStockout:
		return theme.Color(theme.ColorNameError)
	case domain.StatusReorder, domain.StatusLow:
		return theme.Color(theme.ColorNameWarning)
	case domain.StatusDigital:
		return theme.Color(theme.ColorNamePrimary)
	}
	return theme.Color(theme.ColorNameSuccess)
}
