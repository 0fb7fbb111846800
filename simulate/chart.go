package simulate

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// palette tells the policies apart in the chart.
var palette = []color.RGBA{
	{R: 0x1b, G: 0x6e, B: 0x3a, A: 0xff}, {R: 0x2c, G: 0x7f, B: 0xb8, A: 0xff}, {R: 0x7b, G: 0x3f, B: 0x9e, A: 0xff},
	{R: 0x99, G: 0x99, B: 0x33, A: 0xff}, {R: 0xd9, G: 0x5f, B: 0x02, A: 0xff}, {R: 0xc0, G: 0x1f, B: 0x2f, A: 0xff},
}

// PolicyColor is the colour of the i-th policy's lines in the chart, so a
// table beside it can show which line is which.
func PolicyColor(i int) color.Color { return palette[i%len(palette)] }

// WriteChart draws, per policy, the units held and the sales lost so far
// over the run, one panel above the other, as a PNG.
func WriteChart(w io.Writer, r Result) error {
	held, lost := plot.New(), plot.New()
	held.Title.Text = fmt.Sprintf("Units held (%s, seed %d)", r.Scope(), r.Seed)
	held.Y.Label.Text = "units held"
	lost.Title.Text = "Sales lost so far"
	lost.Y.Label.Text = "units"
	lost.X.Label.Text = "day"
	for i, p := range r.Policies {
		hs, ls := make(plotter.XYs, len(p.HeldByDay)), make(plotter.XYs, len(p.LostByDay))
		for d := range p.HeldByDay {
			hs[d] = plotter.XY{X: float64(d), Y: p.HeldByDay[d]}
			ls[d] = plotter.XY{X: float64(d), Y: float64(p.LostByDay[d])}
		}
		for _, panel := range []struct {
			plot *plot.Plot
			xys  plotter.XYs
		}{{held, hs}, {lost, ls}} {
			line, err := plotter.NewLine(panel.xys)
			if err != nil {
				return err
			}
			line.Color = PolicyColor(i)
			line.Width = vg.Points(1.2)
			panel.plot.Add(line)
			panel.plot.Legend.Add(p.String(), line)
		}
	}
	held.Legend.Top, lost.Legend.Top = true, true
	lost.Legend.Left = true
	img := vgimg.New(vg.Points(900), vg.Points(640))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadX: vg.Points(8), PadY: vg.Points(8), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := plot.Align([][]*plot.Plot{{held}, {lost}}, tiles, dc)
	held.Draw(canvases[0][0])
	lost.Draw(canvases[1][0])
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}
