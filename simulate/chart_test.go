package simulate

import (
	"context"
	"image/color"
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
// "over 60 days" counts them, marked often enough and evenly: a 60-day run
// was marked 0.00, 25.00, 50.00, and a year 50, 200, 350.
func TestChartMarksWholeDays(t *testing.T) {
	for _, days := range []int{30, 60, 365, 3650} {
		held, lost := chartPanels(t, Config{SKUs: 2, Days: days, Seed: 7, LeadSpread: 30})
		for _, p := range []*plot.Plot{held, lost} {
			if p.X.Min != 1 || p.X.Max != float64(days) {
				t.Errorf("%d days: %q runs from day %g to %g; want 1 to %d", days, p.Title.Text, p.X.Min, p.X.Max, days)
			}
			var marked []float64
			for _, tick := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
				if tick.Label == "" {
					continue
				}
				if d, err := strconv.Atoi(tick.Label); err != nil || float64(d) != tick.Value {
					t.Errorf("%d days: %q marks day %g as %q; want a whole day", days, p.Title.Text, tick.Value, tick.Label)
				}
				marked = append(marked, tick.Value)
			}
			if len(marked) < 4 || len(marked) > 10 {
				t.Errorf("%d days: %q marks days %v; want 4 to 10 of them", days, p.Title.Text, marked)
			}
			for i := 2; i < len(marked); i++ {
				if marked[i]-marked[i-1] != marked[1]-marked[0] {
					t.Errorf("%d days: %q marks days %v, unevenly", days, p.Title.Text, marked)
					break
				}
			}
		}
	}
}

// Units held and lost are whole units, and marked so: eight SKUs over 45
// days marked their sales lost 0.00, 25.00, 50.00.
func TestChartMarksWholeUnits(t *testing.T) {
	for _, cfg := range []Config{{SKUs: 8, Days: 45, Seed: 1, LeadSpread: 30}, {SKUs: 2, Days: 30, Seed: 7}, {SKUs: 50, Days: 365, Seed: 1}} {
		held, lost := chartPanels(t, cfg)
		for _, p := range []*plot.Plot{held, lost} {
			n := 0
			for _, tick := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
				if tick.Label == "" {
					continue
				}
				n++
				if u, err := strconv.Atoi(tick.Label); err != nil || float64(u) != tick.Value {
					t.Errorf("%d SKUs over %d days: %q marks %g units as %q; want whole units", cfg.SKUs, cfg.Days, p.Title.Text, tick.Value, tick.Label)
				}
			}
			if n < 2 {
				t.Errorf("%d SKUs over %d days: %q marks %d numbers of units; want at least 2", cfg.SKUs, cfg.Days, p.Title.Text, n)
			}
		}
	}
}

// monthly and rop keep their colours in every run, the microshop rows
// taking the others, all told apart: monthly was blue in the default run
// and orange with four cover scales, where microshop took its blue.
func TestPoliciesKeepTheirColours(t *testing.T) {
	colours := map[string]color.Color{}
	for _, scales := range [][]float64{nil, {1, 2}, {0.5, 1, 1.5, 2}} {
		r, err := Run(context.Background(), Config{SKUs: 2, Days: 30, Seed: 1, CoverScales: scales})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[color.Color]string{}
		for i, p := range r.Policies {
			c := PolicyColor(r, i)
			if other, ok := seen[c]; ok {
				t.Errorf("%v: %s and %s are both drawn in %v", scales, other, p, c)
			}
			seen[c] = p.String()
			if p.Name == "microshop" {
				continue
			}
			if was, ok := colours[p.Name]; ok && was != c {
				t.Errorf("%v: %s is drawn in %v, in %v in another run", scales, p, c, was)
			}
			colours[p.Name] = c
		}
	}
}

// chartPanels runs cfg and lays its chart out at its usual size: the panels
// of units held and of sales lost.
func chartPanels(t *testing.T, cfg Config) (held, lost *plot.Plot) {
	t.Helper()
	r, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	held, lost, _, err = layoutChart(r, draw.New(vgimg.New(vg.Points(900), vg.Points(640))))
	if err != nil {
		t.Fatal(err)
	}
	return held, lost
}
