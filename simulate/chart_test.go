package simulate

import (
	"context"
	"strconv"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The units held are drawn below their panel's legend: it sat in the top
// right corner over the lines, hiding where they peak.
func TestChartLinesRunBelowTheLegend(t *testing.T) {
	r, err := Run(context.Background(), Config{SKUs: 50, Days: 365, Seed: 1, LeadSpread: 30, CoverScales: []float64{0.5, 1, 1.5, 2}})
	if err != nil {
		t.Fatal(err)
	}
	held, _, canvases, err := layoutChart(r, draw.New(vgimg.New(vg.Points(900), vg.Points(640))))
	if err != nil {
		t.Fatal(err)
	}
	da := held.DataCanvas(canvases[0][0])
	legend := held.Legend.Rectangle(da)
	bottom := da.Max.Y - (legend.Max.Y - legend.Min.Y)
	_, y := held.Transforms(&da)
	for _, p := range r.Policies {
		for d, units := range p.HeldByDay {
			if y(units) > bottom {
				t.Fatalf("%s's %.0f units held on day %d are drawn at %.1f, above the legend's foot at %.1f", p, units, d, y(units), bottom)
			}
		}
	}
}

// The days along the chart are whole days, counted from 1 as the run's
// "over 60 days" counts them: a 60-day run was marked 0.00, 25.00, 50.00.
func TestChartMarksWholeDays(t *testing.T) {
	r, err := Run(context.Background(), Config{SKUs: 5, Days: 60, Seed: 7, LeadSpread: 30})
	if err != nil {
		t.Fatal(err)
	}
	held, lost, _, err := layoutChart(r, draw.New(vgimg.New(vg.Points(900), vg.Points(640))))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*plot.Plot{held, lost} {
		if p.X.Min != 1 || p.X.Max != 60 {
			t.Errorf("%q runs from day %g to %g; want 1 to 60", p.Title.Text, p.X.Min, p.X.Max)
		}
		for _, tick := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if tick.Label == "" {
				continue
			}
			if d, err := strconv.Atoi(tick.Label); err != nil || float64(d) != tick.Value {
				t.Errorf("%q marks day %g as %q; want a whole day", p.Title.Text, tick.Value, tick.Label)
			}
		}
	}
}
