package main

import (
	"context"
	"fmt"
	"math"

	"microshop/app"
)

type marginJSON struct {
	Code         string  `json:"code"`
	Units        int     `json:"units"`
	Revenue      string  `json:"revenue"`
	Cost         string  `json:"cost"`
	Returns      string  `json:"returns"`
	Contribution string  `json:"contribution"`
	MarginPct    float64 `json:"margin_pct"`
	PerDay       string  `json:"per_day"`
}

func runMargins(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	days := f.Int("days", 90, "the period in `DAYS` ending with the report date (default 90)")
	day := f.asOfFlag()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		a := asOf(s, *day)
		rows, err := s.Margins(ctx, a, *days)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]marginJSON, len(rows))
			for i, r := range rows {
				out[i] = marginJSON{Code: r.Code, Units: r.Units, Revenue: r.Revenue.String(), Cost: r.Cost.String(),
					Returns: r.Returns.String(), Contribution: r.Contribution.String(),
					MarginPct: math.Round(r.MarginPct*10) / 10, PerDay: perDay(r.PerDay)}
			}
			return c.printJSON(out)
		}
		if len(rows) == 0 {
			c.say("Nothing sold or returned in the %d days to %s.", *days, reportDay(a))
			return nil
		}
		tw := c.table("CODE", "UNITS", "REVENUE", "COST", "RETURNS", "CONTRIBUTION", "MARGIN", "PER DAY", "")
		for _, r := range rows {
			note := ""
			if r.LosesMoney() {
				note = "loses money"
			}
			row(tw, r.Code, r.Units, r.Revenue, r.Cost, r.Returns, r.Contribution, fmt.Sprintf("%.1f %%", r.MarginPct), perDay(r.PerDay), note)
		}
		return tw.Flush()
	})
}

// perDay is a contribution per day, in minor units, as an amount.
func perDay(minor float64) string {
	return fmt.Sprintf("%.2f", math.Round(minor)/100)
}
