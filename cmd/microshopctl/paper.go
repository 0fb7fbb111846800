package main

import (
	"context"
	"path/filepath"
	"strings"

	"microshop/app"
)

func runLabels(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	out := f.out("the `FILE.pdf` to write the label sheets to")
	all := f.Bool("all", false, "a label for every SKU on sale")
	copies := f.Int("copies", 0, "`N` labels of each SKU (default 1)")
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
		c.say("Wrote %d labels on %d pages (%s) to %s; print at 100 %% (no fit to page) so the barcodes scan.", res.Labels, res.Pages, res.Layout, *out.path)
		return nil
	})
}
