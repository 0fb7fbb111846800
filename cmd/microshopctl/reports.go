package main

import (
	"context"
	"fmt"
	"math"
	"time"

	"microshop/app"
	"microshop/domain"
)

// stockJSON is a row of `stock`. CoverDays is null when cover is infinite
// (units available and nothing sells, or digital) and 0 when nothing is
// available.
type stockJSON struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Path        string   `json:"path"`
	Factory     string   `json:"factory"`
	OnHand      int      `json:"on_hand"`
	Held        int      `json:"held"`
	Available   int      `json:"available"`
	OnOrder     int      `json:"on_order"`
	DailyRate   *float64 `json:"daily_rate"` // null for a kit: its parts sell
	CoverDays   *float64 `json:"cover_days"`
	Status      string   `json:"status"`
	Blocked     bool     `json:"blocked"`
	BlockReason string   `json:"block_reason"`
	Variant     string   `json:"variant"` // "M / Blue"; "" for none
}

// reorderJSON is a row of `reorder`. SuggestedQty is 0 when the factory is
// paused; NeedQty is what the rule asks for either way.
type reorderJSON struct {
	Code         string  `json:"code"`
	Name         string  `json:"name"`
	Factory      string  `json:"factory"`
	Position     int     `json:"position"`
	DailyRate    float64 `json:"daily_rate"`
	LeadDays     int     `json:"lead_days"`
	MinCover     int     `json:"min_cover"`
	MaxCover     int     `json:"max_cover"`
	ReorderPoint float64 `json:"reorder_point"`
	SuggestedQty int     `json:"suggested_qty"`
	NeedQty      int     `json:"need_qty"`
	Blocked      bool    `json:"blocked"`
	BlockReason  string  `json:"block_reason"`
	ShortHistory bool    `json:"short_history"`
	Variant      string  `json:"variant"` // "M / Blue"; "" for none
}

type alertJSON struct {
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	Message string `json:"message"`
}

// returnsJSON is a row of `returns`; rates are fractions of units sold,
// null when nothing was sold.
type returnsJSON struct {
	Factory       string   `json:"factory"`
	Sold          int      `json:"sold"`
	Quality       int      `json:"quality"`
	Logistics     int      `json:"logistics"`
	Buyer         int      `json:"buyer"`
	QualityRate   *float64 `json:"quality_rate"`
	LogisticsRate *float64 `json:"logistics_rate"`
	// What the text's marker says: paused for quality returns, and past
	// the limit in the period (paused or not: too few sold to pause, or a
	// period other than the rule's 90 days).
	QualityPaused bool `json:"quality_paused"`
	PastLimit     bool `json:"past_limit"`
}

// returnRate is returns as a fraction of units sold, rounded, or nil when
// nothing was sold.
func returnRate(r app.FactoryReturns, returns int) *float64 {
	if !r.Rated() {
		return nil
	}
	x := round(domain.ReturnRate(r.Sold, returns), 4)
	return &x
}

type messageJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	ShipsBy string `json:"ships_by"`
}

func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

// coverDays is cover rounded to a tenth of a day, nil when infinite. It is
// never negative: an oversold SKU has no cover, 0 days.
func coverDays(d float64) *float64 {
	if math.IsInf(d, 0) || math.IsNaN(d) {
		return nil
	}
	r := domain.Tenths(d)
	return &r
}

// rateCell is a row's units sold a day; a kit's sales are its parts', so
// it has none of its own.
func rateCell(r app.StockRow) string {
	if r.SKU.Path == domain.PathKit {
		return "-"
	}
	return fmt.Sprintf("%.2f", r.Rate.Hundredths())
}

// dailyRate is a row's units sold a day in JSON: null for a kit, as its
// rate cell is "-" (rateCell).
func dailyRate(r app.StockRow) *float64 {
	if r.SKU.Path == domain.PathKit {
		return nil
	}
	rate := round(r.Rate.PerDay(), 2)
	return &rate
}

// coverCell is the COVER DAYS cell: "-" when cover is infinite, and for a
// digital SKU, which never runs out.
func coverCell(r app.StockRow) string {
	if d := coverDays(r.CoverDays); d != nil && r.SKU.Path != domain.PathDigital {
		return fmt.Sprintf("%.1f", *d)
	}
	return "-"
}

// stockNotes are the lines under the stock table that explain a row's
// numbers where they would puzzle.
func stockNotes(r app.StockRow) []string {
	var notes []string
	if r.IdleOnOrder > 0 {
		notes = append(notes, fmt.Sprintf("%s is digital: the %d units its open batches still bring are not counted as on order; cancel those batches with `microshopctl batch cancel`.",
			r.SKU.Code, r.IdleOnOrder))
	}
	if r.Available < 0 && r.Held > 0 {
		// Held units are still in QA hold: the sales beyond stock did not
		// take them, and a failed QA would still reject them. A count
		// includes them and no event takes them out of the hold, so a
		// count below them leaves the SKU oversold (app.CountBelowHeld):
		// the note said a count set it right whatever was counted.
		notes = append(notes, fmt.Sprintf("%s: %d sold beyond what was available. On hand (%d) counts them against the shelf, where %s still held for QA until the batch passes or fails. "+
			"Count the stock, the held units included, to set it right; a count below the %d held leaves it sold beyond stock until their batch passes or fails QA, so if fewer are left, decide that QA first (`microshopctl batch qa`), then count.",
			r.SKU.Code, -r.Available, r.OnHand, unitsAre(r.Held), r.Held))
	}
	return notes
}

// unitsAre is "1 unit is" or "n units are".
func unitsAre(n int) string {
	if n == 1 {
		return "1 unit is"
	}
	return fmt.Sprintf("%d units are", n)
}

// reportDay names the day a report describes.
func reportDay(a app.AsOf) string { return a.Day.Format(time.DateOnly) }

func runStock(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	day := f.asOfFlag()
	location := f.String("location", "", "count the units at location `NAME` only (default every location)")
	pos, err := f.parse(args, "[CODE]")
	if err != nil {
		return err
	}
	code := ""
	if len(pos) > 0 {
		code = pos[0]
	}
	return c.withShop(func(s *app.Shop) error {
		rows, err := s.Stock(ctx, asOf(s, *day), code)
		if f.isSet("location") {
			rows, err = s.StockAt(ctx, asOf(s, *day), code, *location)
		}
		if err != nil {
			return err
		}
		if c.json {
			out := make([]stockJSON, 0, len(rows))
			for _, r := range rows {
				out = append(out, stockJSON{Code: r.SKU.Code, Name: r.SKU.Name, Path: string(r.SKU.Path), Factory: r.SKU.Factory,
					OnHand: r.OnHand, Held: r.Held, Available: r.Available, OnOrder: r.OnOrder,
					DailyRate: dailyRate(r), CoverDays: coverDays(r.CoverDays), Status: string(r.Status),
					Blocked: r.Blocked, BlockReason: r.BlockReason, Variant: r.SKU.Variant})
			}
			return c.printJSON(out)
		}
		if len(rows) == 0 {
			c.say("No SKUs on sale; add one with `microshopctl sku add`.")
			return nil
		}
		status := "STATUS"
		if f.isSet("location") {
			status = "SHOP STATUS" // reorders look at every location's units
		}
		tw := c.table("CODE", "NAME", "PATH", "ON HAND", "HELD", "AVAILABLE", "ON ORDER", "PER DAY", "COVER DAYS", status)
		var notes []string
		for _, r := range rows {
			row(tw, r.SKU.Code, r.SKU.Shown(), r.SKU.Path, r.OnHand, r.Held, r.Available, r.OnOrder,
				rateCell(r), coverCell(r), r.Status)
			notes = append(notes, stockNotes(r)...)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, n := range notes {
			c.say("%s", n)
		}
		return nil
	})
}

func runReorder(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	day := f.asOfFlag()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		a := asOf(s, *day)
		rows, err := s.Reorder(ctx, a)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]reorderJSON, 0, len(rows))
			for _, r := range rows {
				out = append(out, reorderJSON{Code: r.Code, Name: r.Name, Factory: r.Factory, Position: r.Position,
					DailyRate: round(r.Rate.PerDay(), 2), LeadDays: r.LeadDays, MinCover: r.MinCover, MaxCover: r.MaxCover,
					ReorderPoint: round(r.ReorderPoint, 2), SuggestedQty: r.SuggestedQty, NeedQty: r.NeedQty,
					Blocked: r.Blocked, BlockReason: r.BlockReason, ShortHistory: r.ShortHistory, Variant: r.Variant})
			}
			return c.printJSON(out)
		}
		if len(rows) == 0 {
			c.say("Nothing to reorder as of %s.", reportDay(a))
			return nil
		}
		tw := c.table("CODE", "FACTORY", "POSITION", "PER DAY", "LEAD", "MIN COVER", "MAX COVER", "REORDER POINT", "ORDER", "HISTORY")
		short := false
		for _, r := range rows {
			order := fmt.Sprint(r.SuggestedQty)
			if r.Blocked {
				order = fmt.Sprintf("%d needed, factory paused", r.NeedQty)
			}
			history := "-"
			if r.ShortHistory {
				history, short = "new", true
			}
			row(tw, r.Code, r.Factory, r.Position, fmt.Sprintf("%.2f", r.Rate.Hundredths()), r.LeadDays, r.MinCover, r.MaxCover,
				fmt.Sprintf("%.1f", domain.Tenths(r.ReorderPoint)), order, history)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if short {
			c.say("new: under %d days of history, so the rate is a first guess (it divides by at least %d days).",
				domain.ShortHistoryDays, domain.MinRateDays)
		}
		return nil
	})
}

func runAlerts(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	day := f.asOfFlag()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		a := asOf(s, *day)
		alerts, err := s.Alerts(ctx, a)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]alertJSON, 0, len(alerts))
			for _, al := range alerts {
				out = append(out, alertJSON{Kind: al.Kind, Subject: al.Subject, Message: al.Message})
			}
			return c.printJSON(out)
		}
		if len(alerts) == 0 {
			c.say("Nothing needs action as of %s.", reportDay(a))
			return nil
		}
		alerts = app.WithoutQualityPauses(alerts)
		tw := c.table("KIND", "MESSAGE")
		for _, al := range alerts {
			row(tw, al.Kind, al.Message)
		}
		return tw.Flush()
	})
}

func runReturns(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	days := f.rangeFlag("days", domain.ReturnWindowDays, 1, app.MaxReportDays, "the period in `DAYS` ending with the report date (default 90)")
	day := f.asOfFlag()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		a := asOf(s, *day)
		rows, err := s.ReturnRates(ctx, a, *days)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]returnsJSON, 0, len(rows))
			for _, r := range rows {
				out = append(out, returnsJSON{Factory: r.Factory, Sold: r.Sold, Quality: r.Quality, Logistics: r.Logistics, Buyer: r.Buyer,
					QualityRate: returnRate(r, r.Quality), LogisticsRate: returnRate(r, r.Logistics),
					QualityPaused: r.QualityPaused, PastLimit: r.PastLimit()})
			}
			return c.printJSON(out)
		}
		if len(rows) == 0 {
			c.say("No factories and no sales in the %d days to %s.", *days, reportDay(a))
			return nil
		}
		// The last column marks the factories listed first, and why: a
		// maker compared each rate with 3 % in their head.
		tw := c.table("FACTORY", "SOLD", "QUALITY", "LOGISTICS", "BUYER", "QUALITY RATE", "STATE")
		decimals := app.RateDecimals(rows)
		marked := false
		for _, r := range rows {
			name := r.Factory
			if name == "" {
				name = "(digital)"
			}
			mark := r.QualityMark()
			marked = marked || mark != ""
			row(tw, name, r.Sold, r.Quality, r.Logistics, r.Buyer, r.RateText(r.Quality, decimals), mark)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if marked { // said only in `help returns` before
			c.say("Factories paused for quality or past the %d %% limit first, worst first.", domain.ReturnLimitPercent)
		}
		return nil
	})
}

func runMessage(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	day := f.asOfFlag()
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		m, err := s.Message(ctx, pos[0], asOf(s, *day))
		if err != nil {
			return err
		}
		c.warn(m.Warnings)
		if c.json {
			out := messageJSON{Code: m.Code, Message: m.Message}
			if !m.ShipsBy.IsZero() { // an archived SKU does not ship
				out.ShipsBy = m.ShipsBy.Format(time.DateOnly)
			}
			return c.printJSON(out)
		}
		c.say("%s", m.Message)
		return nil
	})
}
