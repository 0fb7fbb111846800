package simulate

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// palette tells the microshop rows apart in the chart, one colour each of
// the MaxCoverScales; monthly and rop keep theirs in every run, so a run
// reads as the README's picture does.
var (
	palette = []color.RGBA{
		{R: 0x2c, G: 0x7f, B: 0xb8, A: 0xff}, {R: 0x1b, G: 0x6e, B: 0x3a, A: 0xff},
		{R: 0x7b, G: 0x3f, B: 0x9e, A: 0xff}, {R: 0x99, G: 0x99, B: 0x33, A: 0xff},
	}
	monthlyColor = color.RGBA{R: 0xd9, G: 0x5f, B: 0x02, A: 0xff}
	ropColor     = color.RGBA{R: 0xc0, G: 0x1f, B: 0x2f, A: 0xff}
)

// PolicyColor is the colour of the lines of r's i-th policy in the chart,
// so a table beside it can show which line is which.
func PolicyColor(r Result, i int) color.Color {
	switch r.Policies[i].Name {
	case "monthly":
		return monthlyColor
	case "rop":
		return ropColor
	}
	return palette[i%len(palette)]
}

// WriteChart draws, per policy, the units held and the sales lost so far
// over the run, one panel above the other, as a PNG.
func WriteChart(w io.Writer, r Result) error {
	img := vgimg.New(vg.Points(900), vg.Points(640))
	held, lost, canvases, err := layoutChart(r, draw.New(img))
	if err != nil {
		return err
	}
	held.Draw(canvases[0][0])
	lost.Draw(canvases[1][0])
	_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// chartTiles set the two panels of the chart apart on its canvas.
var chartTiles = draw.Tiles{Rows: 2, Cols: 1, PadX: vg.Points(8), PadY: vg.Points(8), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}

// layoutChart makes the chart's two panels, held above lost, and the
// canvases they are drawn on, within dc.
func layoutChart(r Result, dc draw.Canvas) (held, lost *plot.Plot, canvases [][]draw.Canvas, err error) {
	held, lost = plot.New(), plot.New()
	held.Title.Text = fmt.Sprintf("Units held (%s, seed %d)", r.Scope(), r.Seed)
	held.Y.Label.Text = "units held"
	lost.Title.Text = "Sales lost so far"
	lost.Y.Label.Text = "units"
	lost.X.Label.Text = "day"
	held.X.Tick.Marker, lost.X.Tick.Marker = wholeMarks{}, wholeMarks{}
	held.Y.Tick.Marker, lost.Y.Tick.Marker = wholeMarks{}, wholeMarks{}
	for i, p := range r.Policies {
		hs, ls := make(plotter.XYs, len(p.HeldByDay)), make(plotter.XYs, len(p.LostByDay))
		for d := range p.HeldByDay {
			hs[d] = plotter.XY{X: float64(d + 1), Y: p.HeldByDay[d]}
			ls[d] = plotter.XY{X: float64(d + 1), Y: float64(p.LostByDay[d])}
		}
		for _, panel := range []struct {
			plot *plot.Plot
			xys  plotter.XYs
		}{{held, hs}, {lost, ls}} {
			line, err := plotter.NewLine(panel.xys)
			if err != nil {
				return nil, nil, nil, err
			}
			line.Color = PolicyColor(r, i)
			line.Width = vg.Points(1.2)
			panel.plot.Add(line)
			panel.plot.Legend.Add(p.String(), line)
		}
	}
	// The sales lost only grow, so the top left of their panel is free;
	// the units held run across the whole of theirs, and are given room
	// below the legend.
	held.Legend.Top, lost.Legend.Top = true, true
	lost.Legend.Left = true
	canvases = plot.Align([][]*plot.Plot{{held}, {lost}}, chartTiles, dc)
	roomForLegend(held, canvases[0][0])
	// Aligned again: the new range's tick labels may be wider.
	return held, lost, plot.Align([][]*plot.Plot{{held}, {lost}}, chartTiles, dc), nil
}

// wholeMarks marks days and units along the chart as the whole numbers
// they are, every 5, 10, 50… as the range asks: the default marks read
// "25.00" in a short run, and a year's days 50, 200, 350.
type wholeMarks struct{}

// maxMarks is how many marks an axis has at most.
const maxMarks = 8

func (wholeMarks) Ticks(lo, hi float64) []plot.Tick {
	step := markStep(hi - lo)
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return ticks
}

// markStep is the first of 1, 2, 5, 10, 20, 25, 50, 100… that leaves at
// most maxMarks marks along span.
func markStep(span float64) float64 {
	for p := 1.0; p < 1e15; p *= 10 {
		for _, m := range []float64{1, 2, 2.5, 5} {
			if s := m * p; s == math.Trunc(s) && span/s <= maxMarks {
				return s
			}
		}
	}
	return math.Max(span, 1)
}

// legendGap is how far below its legend a panel's lines stay.
const legendGap = vg.Length(4)

// roomForLegend raises the top of p's y range so that its highest point
// is drawn below the legend at the top of its data area, on c: the legend
// sat over the lines, hiding where they peak.
func roomForLegend(p *plot.Plot, c draw.Canvas) {
	da := p.DataCanvas(c)
	legend := p.Legend.Rectangle(da)
	height := da.Max.Y - da.Min.Y
	free := height - (legend.Max.Y - legend.Min.Y) - legendGap
	if free <= 0 || p.Y.Max <= p.Y.Min {
		return
	}
	p.Y.Max = p.Y.Min + (p.Y.Max-p.Y.Min)*float64(height/free)
}
