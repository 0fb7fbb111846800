package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
)

// dayChart draws a SKU's daily sales as bars and its available stock at
// the end of each day as a line, each on its own scale.
type dayChart struct {
	widget.BaseWidget
	days []domain.Day
	loc  *time.Location
}

func newDayChart() *dayChart {
	c := &dayChart{loc: time.Local}
	c.ExtendBaseWidget(c)
	return c
}

func (c *dayChart) set(days []domain.Day, loc *time.Location) {
	c.days, c.loc = days, loc
	c.Refresh()
}

func (c *dayChart) MinSize() fyne.Size { return fyne.NewSize(300, 170) }

func (c *dayChart) CreateRenderer() fyne.WidgetRenderer {
	r := &dayChartRenderer{c: c}
	r.Refresh()
	return r
}

type dayChartRenderer struct {
	c       *dayChart
	objects []fyne.CanvasObject
	size    fyne.Size
}

func (r *dayChartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *dayChartRenderer) Destroy()                     {}
func (r *dayChartRenderer) MinSize() fyne.Size           { return r.c.MinSize() }

func (r *dayChartRenderer) Layout(size fyne.Size) {
	if size != r.size {
		r.size = size
		r.build()
	}
}

func (r *dayChartRenderer) Refresh() {
	r.build()
	canvas.Refresh(r.c)
}

// build draws the chart for the current size: bars, line, axis and the
// few labels a person needs to read it.
func (r *dayChartRenderer) build() {
	size := r.size
	if size.IsZero() {
		size = r.c.MinSize()
	}
	days := r.c.days
	fg := theme.Color(theme.ColorNameForeground)
	muted := theme.Color(theme.ColorNamePlaceHolder)
	barColor := theme.Color(theme.ColorNamePrimary)
	lineColor := theme.Color(theme.ColorNameWarning)
	small := theme.CaptionTextSize()

	var objs []fyne.CanvasObject
	text := func(s string, c color.Color, x, y float32, align fyne.TextAlign) {
		t := canvas.NewText(s, c)
		t.TextSize = small
		t.Alignment = align
		ms := t.MinSize()
		switch align {
		case fyne.TextAlignTrailing:
			x -= ms.Width
		case fyne.TextAlignCenter:
			x -= ms.Width / 2
		}
		t.Move(fyne.NewPos(x, y))
		t.Resize(ms)
		objs = append(objs, t)
	}
	legendH := float32(small) + 6
	left, right := float32(36), float32(36)
	top, bottom := legendH+4, float32(small)+8
	plotW, plotH := size.Width-left-right, size.Height-top-bottom
	if plotW < 10 || plotH < 10 {
		r.objects = nil
		return
	}

	// legend
	sw := canvas.NewRectangle(barColor)
	sw.Move(fyne.NewPos(left, 3))
	sw.Resize(fyne.NewSize(10, 10))
	objs = append(objs, sw)
	text("sold per day", fg, left+14, 0, fyne.TextAlignLeading)
	ln := canvas.NewLine(lineColor)
	ln.StrokeWidth = 2
	ln.Position1 = fyne.NewPos(left+120, 8)
	ln.Position2 = fyne.NewPos(left+134, 8)
	objs = append(objs, ln)
	text("available at day end", fg, left+138, 0, fyne.TextAlignLeading)

	axis := canvas.NewLine(muted)
	axis.Position1 = fyne.NewPos(left, top+plotH)
	axis.Position2 = fyne.NewPos(left+plotW, top+plotH)
	objs = append(objs, axis)

	if len(days) == 0 {
		text("no history yet", muted, left+plotW/2, top+plotH/2, fyne.TextAlignCenter)
		r.objects = objs
		return
	}
	// The line's scale reaches below zero for an oversold SKU: drawn at 0,
	// the chart hid the oversell that the numbers show.
	maxSold, maxAvail, minAvail := 1, 1, 0
	for _, d := range days {
		maxSold = max(maxSold, d.Sold)
		maxAvail = max(maxAvail, d.Available)
		minAvail = min(minAvail, d.Available)
	}
	step := plotW / float32(len(days))
	barW := max(step-1, 1)
	for i, d := range days {
		if d.Sold <= 0 {
			continue
		}
		h := plotH * float32(d.Sold) / float32(maxSold)
		b := canvas.NewRectangle(barColor)
		b.Move(fyne.NewPos(left+float32(i)*step, top+plotH-h))
		b.Resize(fyne.NewSize(barW, h))
		objs = append(objs, b)
	}
	y := func(avail int) float32 {
		return top + plotH - plotH*float32(avail-minAvail)/float32(maxAvail-minAvail)
	}
	if minAvail < 0 {
		// Where available is zero, and how far below it the line goes.
		zero := canvas.NewLine(muted)
		zero.Position1 = fyne.NewPos(left, y(0))
		zero.Position2 = fyne.NewPos(left+plotW, y(0))
		objs = append(objs, zero)
		text(fmt.Sprint(minAvail), lineColor, left+plotW+4, top+plotH-small, fyne.TextAlignLeading)
		if y(0)-small/2 > top+small && y(0)+small/2 < top+plotH-small {
			text("0", lineColor, left+plotW+4, y(0)-small/2, fyne.TextAlignLeading)
		}
	}
	for i := 1; i < len(days); i++ {
		l := canvas.NewLine(lineColor)
		l.StrokeWidth = 2
		l.Position1 = fyne.NewPos(left+(float32(i-1)+0.5)*step, y(days[i-1].Available))
		l.Position2 = fyne.NewPos(left+(float32(i)+0.5)*step, y(days[i].Available))
		objs = append(objs, l)
	}
	text(fmt.Sprint(maxSold), barColor, left-4, top-small/2, fyne.TextAlignTrailing)
	text("0", muted, left-4, top+plotH-small, fyne.TextAlignTrailing)
	text(fmt.Sprint(maxAvail), lineColor, left+plotW+4, top-small/2, fyne.TextAlignLeading)
	first := time.UnixMilli(days[0].Start).In(r.c.loc)
	last := time.UnixMilli(days[len(days)-1].Start).In(r.c.loc)
	text(first.Format("2 Jan"), muted, left, top+plotH+2, fyne.TextAlignLeading)
	text(fmt.Sprintf("%d days", len(days)), muted, left+plotW/2, top+plotH+2, fyne.TextAlignCenter)
	text(last.Format("2 Jan"), muted, left+plotW, top+plotH+2, fyne.TextAlignTrailing)
	r.objects = objs
}
