package main

import (
	"context"
	"fmt"

	"microshop/app"
	"microshop/domain"
)

// skuJSON is a SKU in `sku list`, `sku show` and the SKU commands.
type skuJSON struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Path     string `json:"path"`
	Factory  string `json:"factory"`
	Price    string `json:"price"`
	Cost     string `json:"cost"`
	LeadDays int    `json:"lead_days"`
	MinCover int    `json:"min_cover"`
	MaxCover int    `json:"max_cover"`
	Archived bool   `json:"archived"`
	// Variant is which of its product's variants it is, "M / Blue"; ""
	// for none. Name stays the product's name, as the SKU was given it.
	Variant string `json:"variant"`
}

func newSKUJSON(s domain.SKU) skuJSON {
	return skuJSON{Code: s.Code, Name: s.Name, Path: string(s.Path), Factory: s.Factory, Price: s.Price.String(),
		Cost: s.Cost.String(), LeadDays: s.LeadDays, MinCover: s.MinCover, MaxCover: s.MaxCover, Archived: s.Archived, Variant: s.Variant}
}

// skuFlags defines the flags `sku add` and `sku edit` share.
func skuFlags(f *flagSet) func() app.SKUFields {
	name := f.String("name", "", "the SKU's `NAME`, as buyers see it")
	path := parsed(f, "path", "supply `PATH`: digital, print, microfactory or handmade", domain.ParseSupplyPath)
	factory := f.String("factory", "", "the primary factory's `NAME` (none for digital)")
	price := f.moneyFlag("price", "unit `PRICE`, like 24.00")
	cost := f.moneyFlag("cost", "unit `COST`, like 9.50")
	lead := f.days("lead-days", "lead time in `DAYS`, or default for the factory's")
	minCover := f.days("min-cover", "minimum days of cover, `DAYS`, or default for the supply path's (by lead time)")
	maxCover := f.days("max-cover", "order-up-to days of cover, `DAYS`, or default for twice the minimum")
	return func() app.SKUFields {
		var in app.SKUFields
		if f.isSet("name") {
			in.Name = name
		}
		if f.isSet("path") {
			in.Path = path
		}
		if f.isSet("factory") {
			in.Factory = factory
		}
		if f.isSet("price") {
			in.Price = price
		}
		if f.isSet("cost") {
			in.Cost = cost
		}
		in.LeadDays, in.UnsetLeadDays = lead.days, lead.unset
		in.MinCover, in.UnsetMinCover = minCover.days, minCover.unset
		in.MaxCover, in.UnsetMaxCover = maxCover.days, maxCover.unset
		return in
	}
}

// warnZeroPrice warns of a --price of 0 given for code: kept, since a
// give-away may be meant, but a sale of it then takes no money, and the
// confirmation alone let a slip pass unremarked.
func (c *cli) warnZeroPrice(given bool, price domain.Money, code string) {
	if given && price == 0 {
		c.warn([]string{fmt.Sprintf("%s now sells at %s, so a sale of it takes no money; if that is not meant, give its price with --price", code, c.amount(0))})
	}
}

// warnBelowCost warns of a price or cost given that puts sku's price
// below its cost: kept, as a clearance may be meant, but the two swapped
// (a slip) sold every unit at a loss without a word.
func (c *cli) warnBelowCost(given bool, sku domain.SKU) {
	if given && sku.Price > 0 && sku.Cost > sku.Price {
		c.warn([]string{fmt.Sprintf("%s now sells at %s, below its cost of %s, so each sale loses %s; if that is not meant, check --price and --cost",
			sku.Code, c.amount(sku.Price), c.amount(sku.Cost), c.amount(sku.Cost-sku.Price))})
	}
}

// describeSKU is a SKU in one clause.
func (c *cli) describeSKU(s domain.SKU) string {
	switch s.Path {
	case domain.PathDigital:
		return fmt.Sprintf("%s %q (digital, %s)", s.Code, s.Shown(), c.amount(s.Price))
	case domain.PathKit:
		return fmt.Sprintf("%s %q (kit, %s; its parts: `microshopctl kit show %s`)", s.Code, s.Shown(), c.amount(s.Price), shellArg(s.Code))
	}
	return fmt.Sprintf("%s %q (%s from %s, %s; lead time %s, cover %d to %d days)",
		s.Code, s.Shown(), s.Path, s.Factory, c.amount(s.Price), days(s.LeadDays), s.MinCover, s.MaxCover)
}

func runSKUAdd(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	fields := skuFlags(f)
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	if err := f.require("name", "path"); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		sku, err := s.AddSKU(ctx, pos[0], fields())
		if err != nil {
			return err
		}
		c.warnZeroPrice(f.isSet("price"), sku.Price, sku.Code)
		c.warnBelowCost(f.isSet("price") || f.isSet("cost"), sku)
		if c.json {
			return c.printJSON(newSKUJSON(sku))
		}
		c.say("Added SKU %s.", c.describeSKU(sku))
		return nil
	})
}

func runSKUEdit(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	fields := skuFlags(f)
	code := f.String("code", "", "a new `CODE` for the SKU")
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	if f.NFlag() == countGlobalsSet(f) {
		return usagef("microshopctl sku edit needs a flag to change, like --price 26.00; see `microshopctl help sku edit`")
	}
	return c.withShop(func(s *app.Shop) error {
		in := fields()
		if f.isSet("code") {
			in.Code = code
		}
		sku, err := s.EditSKU(ctx, pos[0], in)
		if err != nil {
			return err
		}
		c.warnZeroPrice(f.isSet("price"), sku.Price, sku.Code)
		c.warnBelowCost(f.isSet("price") || f.isSet("cost"), sku)
		if c.json {
			return c.printJSON(newSKUJSON(sku))
		}
		c.say("Updated SKU %s.", c.describeSKU(sku))
		return nil
	})
}

func runSKUList(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	archived := f.Bool("archived", false, "list the archived SKUs instead of those on sale")
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		all, err := s.SKUs(ctx)
		if err != nil {
			return err
		}
		list := make([]domain.SKU, 0, len(all))
		for _, sku := range all {
			if sku.Archived == *archived {
				list = append(list, sku)
			}
		}
		if c.json {
			out := make([]skuJSON, 0, len(list))
			for _, sku := range list {
				out = append(out, newSKUJSON(sku))
			}
			return c.printJSON(out)
		}
		switch {
		case len(list) > 0:
		case *archived:
			c.say("No archived SKUs.")
			return nil
		case len(all) > 0:
			c.say("No SKUs on sale, only archived ones: see `microshopctl sku list --archived`.")
			return nil
		default:
			c.say("No SKUs yet; add one with `microshopctl sku add`.")
			return nil
		}
		tw := c.table("CODE", "NAME", "PATH", "FACTORY", "PRICE", "COST", "LEAD DAYS", "MIN COVER", "MAX COVER")
		for _, sku := range list {
			cost, lead, minCover, maxCover := any(c.amount(sku.Cost)), any(sku.LeadDays), any(sku.MinCover), any(sku.MaxCover)
			if sku.Path == domain.PathKit {
				// Its parts have them, as sku show says; 0 read as a free kit.
				cost, lead, minCover, maxCover = "-", "-", "-", "-"
			}
			row(tw, sku.Code, sku.Shown(), sku.Path, orDash(sku.Factory), c.amount(sku.Price), cost, lead, minCover, maxCover)
		}
		return tw.Flush()
	})
}

func runSKUShow(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		sku, err := s.SKU(ctx, pos[0])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(newSKUJSON(sku))
		}
		tw := c.table("SKU", sku.Code)
		row(tw, "Name", sku.Shown())
		row(tw, "Supply path", sku.Path)
		if sku.Path != domain.PathKit {
			row(tw, "Factory", orDash(sku.Factory))
		}
		row(tw, "Price", c.amount(sku.Price))
		switch sku.Path {
		case domain.PathDigital:
			row(tw, "Cost", c.amount(sku.Cost))
			row(tw, "Lead time", "-")
			row(tw, "Cover", "- (digital: never runs out)")
		case domain.PathKit: // its factory, cost, lead time and cover are its parts'
			k, err := s.Kit(ctx, sku.Code, s.AsOfNow())
			if err != nil {
				return err
			}
			row(tw, "Parts", app.KitPartsText(k.Parts))
		default:
			row(tw, "Cost", c.amount(sku.Cost))
			row(tw, "Lead time", days(sku.LeadDays))
			row(tw, "Cover", fmt.Sprintf("%d to %d days", sku.MinCover, sku.MaxCover))
		}
		if sku.Archived {
			row(tw, "Archived", "yes")
		}
		return tw.Flush()
	})
}

func runSKUArchive(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		kits, err := s.KitsOfPart(ctx, pos[0])
		if err != nil {
			return err
		}
		if err := s.ArchiveSKU(ctx, pos[0]); err != nil {
			return err
		}
		sku, err := s.SKU(ctx, pos[0])
		if err != nil {
			return err
		}
		if len(kits) > 0 {
			c.warn([]string{app.KitsStopSelling(sku.Code, kits)})
		}
		if c.json {
			return c.printJSON(newSKUJSON(sku))
		}
		c.say("Archived SKU %s; it leaves selling and reorders, its history stays.", sku.Code)
		return nil
	})
}

func runSKUUnarchive(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "CODE")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		sku, err := s.UnarchiveSKU(ctx, pos[0])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(newSKUJSON(sku))
		}
		c.say("Unarchived SKU %s; it is on sale and reordered again.", sku.Code)
		return nil
	})
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
