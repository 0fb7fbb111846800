package main

import (
	"context"
	"fmt"
	"strconv"

	"microshop/app"
	"microshop/domain"
)

func runShopSet(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	rate := f.percentFlag("holding-rate", domain.DefaultHoldingRate, 0, domain.MaxHoldingRate, "yearly cost of holding stock, in whole `PERCENT` of its value (default 25)")
	name := f.String("name", "", "a new `NAME` for the shop")
	hold := f.percentFlag("qa-hold", domain.DefaultHoldPercent, domain.MinHoldPercent, domain.MaxHoldPercent, "the `PERCENT` of each delivery from a new factory held until QA passes, 5 to 10 (default 10)")
	if _, err := f.parse(args); err != nil {
		return err
	}
	var in app.ShopSettings
	if f.isSet("qa-hold") {
		in.QAHold = hold
	}
	if f.isSet("holding-rate") {
		in.HoldingRate = rate
	}
	if f.isSet("name") {
		in.Name = name
	}
	// Like `factory edit` without a flag, a command line to correct
	// (exit 2), not a shop refusing it.
	if in == (app.ShopSettings{}) {
		return usagef("microshopctl shop set needs a setting to change, like --holding-rate 25; see `microshopctl help shop set`")
	}
	return c.withShop(func(s *app.Shop) error {
		if err := s.SetShop(ctx, in); err != nil {
			return err
		}
		info, err := s.Info(ctx)
		if err != nil {
			return err
		}
		pct, err := s.HoldingRate(ctx)
		if err != nil {
			return err
		}
		hold, err := s.QAHold(ctx)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(struct {
				shopJSON
				HoldingRate int `json:"holding_rate"`
				QAHold      int `json:"qa_hold"`
			}{newShopJSON(info, s.Path()), pct, hold})
		}
		c.say("Shop %q: holding stock costs %d %% of its value a year; %d %% of each delivery from a new factory is held until QA passes.", info.Name, pct, hold)
		return nil
	})
}

// quoteJSON is a factory's quote for a SKU.
type quoteJSON struct {
	Factory  string `json:"factory"`
	Code     string `json:"code"`
	UnitCost string `json:"unit_cost"`
	Shipping string `json:"shipping"`
	MOQ      int    `json:"moq"`
	Multiple int    `json:"multiple"`
	LeadDays int    `json:"lead_days"`
}

func newQuoteJSON(q domain.Quote, code string) quoteJSON {
	return quoteJSON{Factory: q.Factory, Code: code, UnitCost: q.UnitCost.String(), Shipping: q.Shipping.String(),
		MOQ: q.MOQ, Multiple: q.Multiple, LeadDays: q.LeadDays}
}

// quoteTerms are a quote's terms in words, as `factory quote` says them.
func (c *cli) quoteTerms(q domain.Quote) string {
	return fmt.Sprintf("%s a unit plus %s shipping, minimum %d, multiples of %d, %s",
		c.amount(q.UnitCost), c.amount(q.Shipping), q.MOQ, q.Multiple, days(q.LeadDays))
}

// quoteRows add a factory's quotes to its `factory show`, one SKU a row,
// or say how to record one: the factory's own terms above are not what it
// asks for a SKU it has quoted.
func (c *cli) quoteRows(tw *table, factory string, quotes []app.FactoryQuote) {
	if len(quotes) == 0 {
		row(tw, "Quotes", fmt.Sprintf("none; record one with `microshopctl factory quote %s CODE --unit-cost X`", shellArg(factory)))
		return
	}
	for i, q := range quotes {
		label := ""
		if i == 0 {
			label = "Quotes"
		}
		row(tw, label, q.Code+": "+c.quoteTerms(q.Quote))
	}
}

func runFactoryQuote(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	unit := f.moneyFlag("unit-cost", "what the factory asks per unit, `X` like 2.50 (needed for a first quote; default the quote's)")
	shipping := f.moneyFlag("shipping", "shipping to the shop per unit, `X` (default the quote's, or 0)")
	moq := f.Int("moq", 0, "its minimum order `N` for this SKU (default the quote's, or the factory's)")
	multiple := f.Int("multiple", 1, "it makes multiples of `N` (default the quote's, or the factory's)")
	lead := f.rangeFlag("lead-days", 0, 0, domain.MaxLeadDays, "its lead time in `DAYS` for this SKU (default the quote's, or the factory's)")
	pos, err := f.parse(args, "FACTORY", "CODE")
	if err != nil {
		return err
	}
	// Quoting again changes the terms given: a new lead time alone keeps
	// the unit cost quoted, where it was refused for want of it.
	in := app.QuoteFields{Factory: pos[0], Code: pos[1], UnitCost: *unit, KeepUnitCost: !f.isSet("unit-cost")}
	if f.isSet("shipping") {
		in.Shipping = shipping
	}
	if f.isSet("moq") {
		in.MOQ = moq
	}
	if f.isSet("multiple") {
		in.Multiple = multiple
	}
	if f.isSet("lead-days") {
		in.LeadDays = lead
	}
	return c.withShop(func(s *app.Shop) error {
		res, err := s.QuoteFactory(ctx, in)
		if err != nil {
			return err
		}
		c.warn(res.Warnings)
		q := res.Quote
		if c.json {
			return c.printJSON(newQuoteJSON(q, res.Code))
		}
		c.say("%s quotes %s at %s.", q.Factory, res.Code, c.quoteTerms(q))
		return nil
	})
}

func runFactoryUnquote(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "FACTORY", "CODE")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		if err := s.WithdrawQuote(ctx, pos[0], pos[1]); err != nil {
			return err
		}
		if c.json {
			return c.printJSON(map[string]any{"factory": pos[0], "code": pos[1], "withdrawn": true})
		}
		c.say("Withdrew %s's quote for %s: `microshopctl source %s` no longer compares it.", pos[0], pos[1], shellArg(pos[1]))
		return nil
	})
}

// sourceJSON is the shape of `source`.
type sourceJSON struct {
	Code        string          `json:"code"`
	DailyRate   float64         `json:"daily_rate"`
	Assumed     bool            `json:"assumed_rate"`
	HoldingRate int             `json:"holding_rate"`
	Candidates  []candidateJSON `json:"candidates"`
	Recommended string          `json:"recommended"`
	Reason      string          `json:"reason"`
	Run         int             `json:"run,omitempty"`
}

type candidateJSON struct {
	Factory        string  `json:"factory"`
	Location       string  `json:"location"`
	LandedCost     string  `json:"landed_cost"`
	LeadDays       int     `json:"lead_days"`
	MinCover       int     `json:"min_cover"`
	OrderQty       int     `json:"order_qty"`
	AvgUnits       float64 `json:"avg_units"`
	CashTied       string  `json:"cash_tied"`
	HoldingPerUnit string  `json:"holding_per_unit"`
	TotalPerUnit   string  `json:"total_per_unit"`
	RunCostPerUnit *string `json:"run_cost_per_unit"`
	Paused         bool    `json:"paused"`
	NoCost         bool    `json:"no_cost"`
}

func runSource(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	day := f.asOfFlag()
	run := f.Int("run", 0, "a limited edition of `N` units: the cost per unit of that run")
	rate := parsed(f, "rate", "assume `R` units a day, for a SKU with no sales yet (a new design)", domain.ParseAssumedRate)
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	if f.isSet("run") && *run < 1 {
		return domain.Errorf(domain.EInvalid, "%d is not a run; use a number of units from 1 to %d", *run, domain.MaxQty)
	}
	return c.withShop(func(s *app.Shop) error {
		q := app.SourceQuery{Code: pos[0], AsOf: asOf(s, *day), Run: *run}
		if f.isSet("rate") {
			q.Assumed = rate
		}
		src, err := s.Source(ctx, q)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(newSourceJSON(src, *run))
		}
		return printSource(c, src, *run)
	})
}

func newSourceJSON(src app.Sourcing, run int) sourceJSON {
	out := sourceJSON{Code: src.Code, DailyRate: rate(src.Rate), Assumed: src.Assumed, HoldingRate: src.HoldingRate,
		Recommended: src.Candidates[src.Best].Factory, Reason: src.Reason, Run: run, Candidates: []candidateJSON{}}
	for _, cd := range src.Candidates {
		j := candidateJSON{Factory: cd.Factory, Location: string(cd.Location), LandedCost: cd.LandedCost.String(), LeadDays: cd.LeadDays,
			MinCover: cd.MinCover, OrderQty: cd.OrderQty, AvgUnits: cd.AvgUnits, CashTied: cd.CashTied.String(),
			HoldingPerUnit: cd.HoldingPerUnit.String(), TotalPerUnit: cd.TotalPerUnit.String(), Paused: cd.Paused, NoCost: cd.Uncosted}
		if run > 0 {
			v := cd.RunCostPerUnit.String()
			j.RunCostPerUnit = &v
		}
		out.Candidates = append(out.Candidates, j)
	}
	return out
}

func rate(r domain.Rate) float64 {
	return float64(int(r.PerDay()*1000+0.5)) / 1000
}

func printSource(c *cli, src app.Sourcing, run int) error {
	how := "sold"
	if src.Assumed {
		how = "assumed"
	}
	perDay := fmt.Sprintf("%.2f", src.Rate.Hundredths())
	if src.Assumed { // as typed: 0.001 is not 0.00
		perDay = strconv.FormatFloat(rate(src.Rate), 'f', -1, 64)
	}
	units := "units"
	if perDay == "1" {
		units = "unit"
	}
	c.say("%s: %s %s a day (%s), holding %d %% a year.", src.Code, perDay, units, how, src.HoldingRate)
	header := []string{"Factory", "Where", "Landed", "Lead", "Cover", "Order", "Avg units", "Cash tied", "Holding/unit", "Total/unit"}
	if run > 0 {
		header = append(header, fmt.Sprintf("Run of %d, per unit", run))
	}
	tw := c.table(header...)
	for i, cd := range src.Candidates {
		name := cd.Factory
		if cd.Paused {
			name += " (paused)"
		}
		if i == src.Best {
			name += " *"
		}
		cells := []any{name, cd.Location, c.amount(cd.LandedCost), days(cd.LeadDays), days(cd.MinCover), cd.OrderQty,
			fmt.Sprintf("%.1f", cd.AvgUnits), c.amount(cd.CashTied), c.amount(cd.HoldingPerUnit), c.amount(cd.TotalPerUnit)}
		if run > 0 {
			cells = append(cells, c.amount(cd.RunCostPerUnit))
		}
		if cd.Uncosted { // what it costs is not known: the SKU has no cost
			for _, i := range []int{2, 7, 8, 9, 10} {
				if i < len(cells) {
					cells[i] = "-"
				}
			}
		}
		row(tw, cells...)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	c.say("Recommended: %s", src.Reason)
	return nil
}

// marginJSON is a row of `margins`.
type marginJSON struct {
	Code         string   `json:"code"`
	Units        int      `json:"units"`
	Revenue      string   `json:"revenue"`
	Cost         string   `json:"cost"`
	Returns      string   `json:"returns"`
	Contribution string   `json:"contribution"`
	MarginPct    *float64 `json:"margin_pct"` // null without revenue: there is nothing to divide by
	PerDay       string   `json:"per_day"`
}

func runMargins(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	day := f.asOfFlag()
	n := f.rangeFlag("days", domain.MarginWindowDays, 1, app.MaxReportDays, "the period in `DAYS` ending with the report date (default 90)")
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		a := asOf(s, *day)
		rows, err := s.Margins(ctx, a, *n)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]marginJSON, 0, len(rows))
			for _, r := range rows {
				out = append(out, marginJSON{Code: r.Code, Units: r.Units, Revenue: r.Revenue.String(), Cost: r.Cost.String(),
					Returns: r.Returns.String(), Contribution: r.Contribution.String(), MarginPct: marginPct(r.Margin), PerDay: r.PerDay.String()})
			}
			return c.printJSON(out)
		}
		if len(rows) == 0 {
			c.say("No sales in the %s to %s, so no margins to show.", days(*n), reportDay(a))
			return nil
		}
		tw := c.table("CODE", "NAME", "UNITS", "REVENUE", "COST", "RETURNS", "CONTRIBUTION", "MARGIN", "PER DAY")
		for _, r := range rows {
			row(tw, r.Code, r.Name, r.Units, c.amount(r.Revenue), c.amount(r.Cost), c.amount(r.Returns), c.amount(r.Contribution),
				marginText(r.Margin), c.amount(r.PerDay))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		c.say("Over the %s to %s, worst first.", days(*n), reportDay(a))
		return nil
	})
}

// marginPct is a margin in per cent to a tenth, nil without revenue.
func marginPct(m domain.Margin) *float64 {
	if m.Revenue == 0 {
		return nil
	}
	pct := round(m.MarginPct, 1)
	return &pct
}

// marginText is a margin as the table shows it: "-" without revenue, where
// 0.0 % would read as breaking even.
func marginText(m domain.Margin) string {
	if m.Revenue == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f %%", m.MarginPct)
}
