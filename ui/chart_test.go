package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"microshop/domain"
)

// An oversold SKU's available line goes below zero, with its lowest level
// written beside it: drawn at zero, the chart hid the oversell that the
// numbers show.
func TestDayChartDrawsAvailableBelowZero(t *testing.T) {
	newTestUI(t, stockedShop(t), Options{}) // a test app and theme to draw with
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c := newDayChart()
	c.set([]domain.Day{
		{Start: day.UnixMilli(), Available: 4},
		{Start: day.AddDate(0, 0, 1).UnixMilli(), Available: 0, Sold: 4},
		{Start: day.AddDate(0, 0, 2).UnixMilli(), Available: -3, Sold: 3},
	}, time.UTC)
	r := &dayChartRenderer{c: c}
	r.Layout(fyne.NewSize(400, 200))
	var ends []float32 // where each day's segment of the line ends
	labels := map[string]bool{}
	for _, o := range r.objects {
		switch o := o.(type) {
		case *canvas.Line:
			if o.StrokeWidth == 2 && o.Position1.Y > 8 { // not the legend's, at 8
				ends = append(ends, o.Position2.Y)
			}
		case *canvas.Text:
			labels[o.Text] = true
		}
	}
	if len(ends) != 2 {
		t.Fatalf("%d segments of the available line; want 2", len(ends))
	}
	if atZero, atMinus3 := ends[0], ends[1]; atMinus3 <= atZero {
		t.Errorf("available -3 is drawn at y %.0f, not below 0 at y %.0f", atMinus3, atZero)
	}
	if !labels["-3"] {
		t.Errorf("the chart's labels %v do not say how far below zero it went", labels)
	}
}
