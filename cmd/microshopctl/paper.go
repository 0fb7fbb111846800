package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"microshop/app"
	"microshop/domain"
)

func runLabels(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	out := f.out("the `FILE.pdf` to write the label sheets to")
	all := f.Bool("all", false, "a label for every SKU on sale")
	copies := f.rangeFlag("copies", 0, 1, app.MaxLabels, "`N` labels of each SKU (default 1)")
	stock := f.Bool("stock", false, "one label per available unit of each SKU")
	layout := f.String("layout", "a4-3x8", "the label `SHEET`: a4-3x8, letter-3x10 or roll-57x32")
	noPrice := f.Bool("no-price", false, "leave the price off the labels")
	codes, err := f.parse(args, "[CODE ...]")
	if err != nil {
		return err
	}
	if err := f.require("out"); err != nil {
		return err
	}
	if !strings.EqualFold(filepath.Ext(*out.path), ".pdf") {
		return usagef("%s is not a .pdf file; labels are written as PDF (give a name ending in .pdf)", *out.path)
	}
	if len(codes) == 0 && !*all {
		return usagef("name the SKUs to print labels for, or give --all; usage: microshopctl %s %s", c.cmd.name, c.cmd.usage)
	}
	if len(codes) > 0 && *all {
		return usagef("give SKU codes (%s) or --all, not both: --all prints every SKU on sale, and the codes named again", strings.Join(codes, " "))
	}
	if f.isSet("copies") && *copies < 1 {
		return usagef("--copies %d is not a number of labels; give 1 or more", *copies)
	}
	if f.isSet("copies") && *stock {
		return usagef("give either --copies or --stock, not both")
	}
	return c.withShop(func(s *app.Shop) error {
		res, err := s.PrintLabels(ctx, *out.path, *out.overwrite, app.LabelRequest{Codes: codes, All: *all, Copies: *copies,
			Stock: *stock, Layout: *layout, NoPrice: *noPrice})
		if err := out.hint(err); err != nil {
			return err
		}
		if c.json {
			type sku struct {
				Code   string `json:"code"`
				Copies int    `json:"copies"`
			}
			skus := make([]sku, len(res.SKUs))
			for i, l := range res.SKUs {
				skus[i] = sku{l.Code, l.Copies}
			}
			return c.printJSON(struct {
				File   string `json:"file"`
				Layout string `json:"layout"`
				Labels int    `json:"labels"`
				Pages  int    `json:"pages"`
				SKUs   []sku  `json:"skus"`
			}{*out.path, res.Layout, res.Labels, res.Pages, skus})
		}
		c.say("Wrote %s on %s (%s) to %s; print at 100 %% (no fit to page) so the barcodes scan.", count(res.Labels, "label"), count(res.Pages, "page"), res.Layout, *out.path)
		return nil
	})
}

func runPO(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	out := f.out("the `FILE.pdf` or FILE.csv to write the purchase order to")
	day := f.asOfFlag()
	force := f.Bool("force", false, "make the order even though the factory is paused")
	pos, err := f.parse(args, "FACTORY")
	if err != nil {
		return err
	}
	if err := f.require("out"); err != nil {
		return err
	}
	if ext := strings.ToLower(filepath.Ext(*out.path)); ext != ".pdf" && ext != ".csv" {
		return usagef("%s is neither a .pdf nor a .csv file; a purchase order is written as either", *out.path)
	}
	return c.withShop(func(s *app.Shop) error {
		po, err := s.PurchaseOrder(ctx, pos[0], asOf(s, *day), *force)
		if err != nil {
			return pausedHint(err)
		}
		if err := out.hint(s.WritePurchaseOrder(*out.path, *out.overwrite, po)); err != nil {
			return err
		}
		if c.json {
			type line struct {
				Code     string `json:"code"`
				Name     string `json:"name"`
				Qty      int    `json:"qty"`
				UnitCost string `json:"unit_cost"`
				Total    string `json:"total"`
				NeededBy string `json:"needed_by"`
				Variant  string `json:"variant"`
			}
			lines := make([]line, len(po.Lines))
			for i, l := range po.Lines {
				lines[i] = line{l.Code, l.Name, l.Qty, l.UnitCost.String(), l.Total.String(), l.NeededBy.Format(time.DateOnly), l.Variant}
			}
			return c.printJSON(struct {
				File     string `json:"file"`
				Factory  string `json:"factory"`
				Lines    []line `json:"lines"`
				Total    string `json:"total"`
				NeededBy string `json:"needed_by"`
			}{*out.path, po.Factory, lines, po.Total.String(), po.NeededBy.Format(time.DateOnly)})
		}
		c.say("Wrote a purchase order to %s for %s: %s, %s %s, needed by %s. Nothing is recorded until you order with `microshopctl batch order`.",
			*out.path, po.Factory, count(len(po.Lines), "SKU"), po.Total.Format(po.Currency), po.Currency, po.NeededBy.Format(time.DateOnly))
		return nil
	})
}

// exportReads refuses a flag the kind of export does not read, which was
// dropped without a word: `export stock --to DATE` wrote today's stock.
// An unknown kind is left to Export, which lists the kinds.
func exportReads(f *flagSet, kind string) error {
	if !slices.Contains(app.ExportKinds, kind) {
		return nil
	}
	period := ""
	for _, name := range []string{"from", "to"} {
		if f.isSet(name) {
			period = "--" + name
			break
		}
	}
	switch {
	case kind == "sales" && f.isSet("as-of"):
		return usagef("--as-of does not go with export sales, which covers a period: give its first and last days as --from DATE --to DATE")
	case kind != "sales" && period != "":
		return usagef("%s goes with export sales only; export %s is the state at the end of one day: give it as --as-of DATE", period, kind)
	case kind != "shopify-inventory" && f.isSet("shopify-location"):
		return usagef("--shopify-location goes with export shopify-inventory only; leave it out of export %s", kind)
	}
	return nil
}

func runExport(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	out := f.out("the `FILE.csv` to write")
	day := f.asOfFlag()
	date := func(s string) (time.Time, error) { return domain.ParseDate(s, c.loc) }
	from := parsed(f, "from", "sales: the first `DATE` (YYYY-MM-DD); default 30 days before --to", date)
	to := parsed(f, "to", "sales: the last `DATE` (YYYY-MM-DD); default today", date)
	location := f.String("shopify-location", app.DefaultShopifyLocation, "shopify-inventory: the Shopify `LOCATION` the counts are for")
	pos, err := f.parse(args, "stock|reorder|sales|shopify-inventory")
	if err != nil {
		return err
	}
	if err := f.require("out"); err != nil {
		return err
	}
	if !strings.EqualFold(filepath.Ext(*out.path), ".csv") {
		return usagef("%s is not a .csv file; export writes CSV (give a name ending in .csv)", *out.path)
	}
	if err := exportReads(f, pos[0]); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		last := *to
		if last.IsZero() {
			last = s.Now()
		}
		end := domain.StartOfDay(last.In(s.Location())).AddDate(0, 0, 1)
		start := *from
		if start.IsZero() {
			start = end.AddDate(0, 0, -30)
		}
		n, err := s.Export(ctx, *out.path, *out.overwrite, app.ExportRequest{Kind: pos[0], AsOf: asOf(s, *day),
			From: domain.StartOfDay(start.In(s.Location())), To: end, ShopifyLocation: *location})
		if err := out.hint(err); err != nil {
			return err
		}
		if c.json {
			return c.printJSON(struct {
				File string `json:"file"`
				Kind string `json:"kind"`
				Rows int    `json:"rows"`
			}{*out.path, pos[0], n})
		}
		c.say("Wrote %s of %s to %s.", count(n, "row"), pos[0], *out.path)
		return nil
	})
}
