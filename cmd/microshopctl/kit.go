package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"microshop/app"
	"microshop/domain"
)

// partsValue collects --part CODE:QTY flags.
type partsValue struct{ parts []app.KitPartIn }

func (v *partsValue) String() string { return "" }

func (v *partsValue) repeatable() {}

func (v *partsValue) Set(s string) error {
	code, q, ok := strings.Cut(s, ":")
	if !ok {
		q = "1"
	}
	n, err := strconv.Atoi(q)
	if err != nil || code == "" {
		return domain.Errorf(domain.EInvalid, "%q is not a part; write CODE:QTY, like CARD-01:2", s)
	}
	v.parts = append(v.parts, app.KitPartIn{Code: code, Qty: n})
	return nil
}

// kitJSON is the shape of `kit show` and `kit list`.
type kitJSON struct {
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Price     string        `json:"price"`
	Parts     []kitPartJSON `json:"parts"`
	Available int           `json:"available"`
}

type kitPartJSON struct {
	Code string `json:"code"`
	Qty  int    `json:"qty"`
}

func newKitJSON(k app.KitView) kitJSON {
	out := kitJSON{Code: k.Code, Name: k.Name, Price: k.Price.String(), Available: k.Available, Parts: []kitPartJSON{}}
	for _, p := range k.Parts {
		out.Parts = append(out.Parts, kitPartJSON{Code: p.Code, Qty: p.Qty})
	}
	return out
}

func runKitAdd(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	name := f.String("name", "", "the kit's `NAME`")
	price := f.moneyFlag("price", "the kit's price `X` (default the sum of its parts' prices less 10 %)")
	var parts partsValue
	f.Var(&parts, "part", "a part as `CODE:QTY`; give one --part per part")
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	if err := f.require("name", "part"); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		p := domain.Money(-1)
		if f.isSet("price") {
			p = *price
		}
		k, err := s.AddKit(ctx, pos[0], *name, p, parts.parts)
		if err != nil {
			return err
		}
		c.warnZeroPrice(f.isSet("price"), *price, k.Code)
		return showKit(ctx, c, s, pos[0], "Added kit")
	})
}

func runKitEdit(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	code := f.String("code", "", "a new `CODE` for the kit")
	name := f.String("name", "", "the kit's new `NAME`")
	price := f.moneyFlag("price", "the kit's new price `X`")
	var parts partsValue
	f.Var(&parts, "part", "a part as `CODE:QTY`, replacing every part; give one --part per part")
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	in := app.KitFields{Parts: parts.parts}
	if f.isSet("code") {
		in.Code = code
	}
	if f.isSet("name") {
		in.Name = name
	}
	if f.isSet("price") {
		in.Price = price
	}
	if in.Code == nil && in.Name == nil && in.Price == nil && in.Parts == nil {
		return usagef("microshopctl kit edit needs something to change: --code, --name, --price or --part")
	}
	return c.withShop(func(s *app.Shop) error {
		k, err := s.EditKit(ctx, pos[0], in)
		if err != nil {
			return err
		}
		c.warnZeroPrice(f.isSet("price"), *price, k.Code)
		return showKit(ctx, c, s, k.Code, "Kit")
	})
}

func showKit(ctx context.Context, c *cli, s *app.Shop, code, what string) error {
	k, err := s.Kit(ctx, code, s.AsOfNow())
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(newKitJSON(k))
	}
	c.say("%s %s (%s) at %s: %s; %s.", what, k.Code, k.Name, c.amount(k.Price), app.KitPartsText(k.Parts), kitAvailable(k))
	return nil
}

// kitAvailable says how many of the kit can be sold: "3 available", or,
// for a kit of downloads, that it never runs out.
func kitAvailable(k app.KitView) string {
	if k.Digital {
		return "downloads, always available"
	}
	return fmt.Sprintf("%d available", k.Available)
}

func runKitShow(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error { return showKit(ctx, c, s, pos[0], "Kit") })
}

func runKitList(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		kits, err := s.Kits(ctx, s.AsOfNow())
		if err != nil {
			return err
		}
		if c.json {
			out := make([]kitJSON, 0, len(kits))
			for _, k := range kits {
				out = append(out, newKitJSON(k))
			}
			return c.printJSON(out)
		}
		if len(kits) == 0 {
			c.say("No kits yet; make one with `microshopctl kit add`, or see `microshopctl kit suggest`.")
			return nil
		}
		tw := c.table("CODE", "NAME", "PRICE", "PARTS", "AVAILABLE")
		for _, k := range kits {
			available := any(k.Available)
			if k.Digital {
				available = "-"
			}
			row(tw, k.Code, k.Name, c.amount(k.Price), app.KitPartsText(k.Parts), available)
		}
		return tw.Flush()
	})
}

// bundleJSON is a row of `kit suggest`.
type bundleJSON struct {
	Parts      []kitPartJSON `json:"parts"`
	Price      string        `json:"price"`
	FreesUnits int           `json:"frees_units"`
	Reason     string        `json:"reason"`
	// ShortHistory marks an idea resting on a part with under 14 days of
	// history, as a reorder's short_history does.
	ShortHistory bool `json:"short_history"`
}

func runKitSuggest(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	day := f.asOfFlag()
	limit := f.Int("limit", app.BundleIdeasShown, fmt.Sprintf("at most `N` ideas (default %d, as many as Today shows)", app.BundleIdeasShown))
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *limit < 1 {
		return domain.Errorf(domain.EInvalid, "%d is not a limit; use 1 or more", *limit)
	}
	return c.withShop(func(s *app.Shop) error {
		ideas, err := s.BundleIdeas(ctx, asOf(s, *day), *limit)
		if err != nil {
			return err
		}
		if c.json {
			out := make([]bundleJSON, 0, len(ideas))
			for _, b := range ideas {
				out = append(out, bundleJSON{Parts: []kitPartJSON{{b.Over, 1}, {b.With, 1}}, Price: b.Price.String(), FreesUnits: b.FreesUnits, Reason: b.Reason,
					ShortHistory: b.ShortHistory})
			}
			return c.printJSON(out)
		}
		if len(ideas) == 0 {
			c.say("No bundle ideas: nothing is above its maximum cover, or nothing fast-selling is in stock to pair it with.")
			return nil
		}
		tw := c.table("PARTS", "PRICE", "FREES", "HISTORY", "WHY")
		short := false
		for _, b := range ideas {
			history := "-"
			if b.ShortHistory {
				history, short = "new", true
			}
			row(tw, b.Over+" + "+b.With, c.amount(b.Price), b.FreesUnits, history, b.Reason)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if short {
			c.say("new: a part has under %d days of history, so the rate the idea rests on is a first guess.", domain.ShortHistoryDays)
		}
		return nil
	})
}
