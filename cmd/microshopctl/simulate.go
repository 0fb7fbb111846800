package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"microshop/app"
	"microshop/domain"
	"microshop/simulate"
)

type simulateJSON struct {
	Seed     uint64       `json:"seed"`
	SKUs     int          `json:"skus"`
	Days     int          `json:"days"`
	Policies []policyJSON `json:"policies"`
}

type policyJSON struct {
	Name         string   `json:"name"`
	FillRate     float64  `json:"fill_rate"`
	StockoutDays int      `json:"stockout_days"`
	AvgUnits     float64  `json:"avg_units"`
	AvgValue     string   `json:"avg_value"`
	Orders       int      `json:"orders"`
	Demanded     int      `json:"demanded"`
	UnitsLost    int      `json:"units_lost"`
	CoverScale   *float64 `json:"cover_scale"`
}

func runSimulate(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	skus := f.rangeFlag("skus", 50, 1, simulate.MaxSKUs, "`N` SKUs in the synthetic shop (default 50)")
	days := f.rangeFlag("days", 365, simulate.MinDays, simulate.MaxDays, "`DAYS` to simulate (default 365)")
	seed := f.seedFlag("seed", 1, "the random `SEED`: the same seed gives the same run (default 1)")
	spread := f.percentFlag("lead-spread", 30, 0, simulate.MaxLeadSpread, "how much each order's lead time varies, `PERCENT` either way (default 30)")
	chart := f.outNamed("chart", "also draw the run to `FILE.png`: units held and sales lost over the days, per policy")
	scales := parsed(f, "cover-scale", "one microshop row per multiplier of the cover, up to 4, given as `A,B,...` like 0.5,1,1.5,2 (default 1)", parseScales)
	if _, err := f.parse(args); err != nil {
		return err
	}
	if err := checkSeed("seed", *seed); err != nil {
		return err
	}
	if *chart.path != "" && !strings.EqualFold(filepath.Ext(*chart.path), ".png") {
		return usagef("%s is not a .png file; the chart is a PNG (give a name ending in .png)", *chart.path)
	}
	cfg := simulate.Config{SKUs: *skus, Days: *days, Seed: uint64(*seed), LeadSpread: *spread, CoverScales: *scales}
	if err := cfg.Check(); err != nil {
		return err
	}
	// Where the chart cannot go is said before the run, not a minute later.
	var out *app.Output
	if *chart.path != "" {
		var err error
		if out, err = app.CreateFile(*chart.path, *chart.overwrite); err != nil {
			return chart.hint(err)
		}
		defer out.Abort()
	}
	if long := cfg.LongRun(); long != "" {
		c.warn([]string{long})
	}
	res, err := simulate.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if out != nil {
		if err := simulate.WriteChart(out, res); err != nil {
			return chart.hint(err)
		}
		if err := out.Commit(); err != nil {
			return chart.hint(err)
		}
	}
	if c.json {
		return c.printJSON(simulationJSON(res))
	}
	return c.printSimulation(res, *chart.path)
}

// printSimulation is the run as a table, with what its words count.
func (c *cli) printSimulation(res simulate.Result, chart string) error {
	c.say("%s over %d days, seed %d: the same demand under each policy, a sale lost when nothing is available.", res.Scope(), res.Days, res.Seed)
	tw := c.table("POLICY", "FILL RATE", "STOCKOUT DAYS", "AVG UNITS HELD", "AVG VALUE HELD", "ORDERS", "UNITS LOST")
	for _, p := range res.Policies {
		row(tw, p.String(), strconv.FormatFloat(100*p.FillRate(), 'f', 1, 64)+" %", p.StockoutDays,
			strconv.FormatFloat(p.AvgUnits, 'f', 0, 64), domain.Money(math.Round(p.AvgValue)), p.Orders, p.Lost)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	c.say("%s; value held is at cost.", res.StockoutDays())
	if chart != "" {
		c.say("Drew the chart to %s.", chart)
	}
	return nil
}

// simulationJSON is the run in CLI.md's shape.
func simulationJSON(res simulate.Result) simulateJSON {
	out := simulateJSON{Seed: res.Seed, SKUs: res.SKUs, Days: res.Days}
	for _, p := range res.Policies {
		row := policyJSON{Name: p.Name, FillRate: math.Round(p.FillRate()*10000) / 10000, StockoutDays: p.StockoutDays,
			AvgUnits: math.Round(p.AvgUnits*10) / 10, AvgValue: domain.Money(math.Round(p.AvgValue)).String(), Orders: p.Orders,
			Demanded: p.Demanded, UnitsLost: p.Lost}
		if p.Name == "microshop" {
			s := p.CoverScale
			row.CoverScale = &s
		}
		out.Policies = append(out.Policies, row)
	}
	return out
}

// parseScales reads --cover-scale: numbers separated by commas.
func parseScales(s string) ([]float64, error) {
	var out []float64
	parts := strings.Split(s, ",")
	if len(parts) > simulate.MaxCoverScales {
		return nil, simulate.TooManyScales(len(parts))
	}
	for i, part := range parts {
		if strings.TrimSpace(part) == "" {
			return nil, emptyScale(s, i, len(parts))
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || !(v >= simulate.MinCoverScale && v <= simulate.MaxCoverScale) {
			return nil, domain.Errorf(domain.EInvalid, "%q is not a cover scale; give numbers from %g to %g separated by commas, like 0.5,1,1.5",
				part, simulate.MinCoverScale, simulate.MaxCoverScale)
		}
		if slices.Contains(out, v) {
			return nil, domain.Errorf(domain.EInvalid, "the cover scale %g is given twice; give each once, like 0.5,1,1.5", v)
		}
		out = append(out, v)
	}
	return out, nil
}

// emptyScale refuses the i-th of n numbers of --cover-scale s, which is
// empty, saying where it is: it read `"" is not a cover scale`.
func emptyScale(s string, i, n int) error {
	where := fmt.Sprintf("--cover-scale %q has nothing between two commas", s)
	switch {
	case strings.TrimSpace(s) == "":
		where = "--cover-scale is empty"
	case i == 0:
		where = fmt.Sprintf("--cover-scale %q has nothing before its first comma", s)
	case i == n-1:
		where = fmt.Sprintf("--cover-scale %q has nothing after its last comma", s)
	}
	return domain.Errorf(domain.EInvalid, "%s; give numbers from %g to %g separated by commas, like 0.5,1,1.5", where, simulate.MinCoverScale, simulate.MaxCoverScale)
}
