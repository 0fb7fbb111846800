package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"microshop/app"
	"microshop/domain"
)

// skuMap is --map THEIR=OURS, given once per SKU.
type skuMap map[string]string

func (m skuMap) String() string { return "" }

func (m skuMap) repeatable() {}

func (m skuMap) Set(v string) error {
	// At the last equals sign: an item's name may hold one, a code not.
	i := strings.LastIndex(v, "=")
	their, ours := strings.TrimSpace(v[:max(i, 0)]), strings.TrimSpace(v[i+1:])
	if i < 0 || their == "" || ours == "" {
		return usagef("--map %q is not THEIR_SKU=CODE; give the channel's SKU (or the item's name, for a line without one), an equals sign and the shop's code", v)
	}
	m[their] = ours
	return nil
}

type importErrorJSON struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

type importJSON struct {
	Format       string            `json:"format"`
	Rows         int               `json:"rows"`
	Sales        int               `json:"sales"`
	Discounts    string            `json:"discounts"`
	SKUsAdded    int               `json:"skus_added"`
	SKUsUpdated  int               `json:"skus_updated"`
	Duplicates   int               `json:"duplicates"`
	Skipped      int               `json:"skipped"`
	Shipped      int               `json:"shipped"` // orders newly marked shipped
	Errors       []importErrorJSON `json:"errors"`
	DryRun       bool              `json:"dry_run"`
	Uncounted    []string          `json:"uncounted"`
	WithoutSKU   []string          `json:"without_sku"`
	Unnamed      []string          `json:"unnamed_variants"` // Etsy listings whose SKUs have no variant
	Differing    []string          `json:"differing"`        // SKUs the file names otherwise, kept without --update
	Withdrawn    []string          `json:"withdrawn"`        // orders imported before, now cancelled or refunded
	Edited       []editedJSON      `json:"edited"`           // lines imported before that the file has otherwise
	PartRefunded []string          `json:"partially_refunded"`
	Unmapped     []string          `json:"unmapped"`
	LeftOut      []string          `json:"left_out"`
	LeftOutLines int               `json:"left_out_lines"`
	Oversold     []oversoldJSON    `json:"oversold"`
	CountedOpen  []countedOpenJSON `json:"counted_open"`
	ShipUnknown  int               `json:"shipping_unknown"` // orders left open by a file that does not say which shipped
}

// editedJSON is a line imported before that the file has otherwise: as
// the shop holds it, and as the file has it (file_qty 0 for a line the
// file no longer has). A total is "" for a kit's line.
type editedJSON struct {
	Order     string `json:"order"`
	Code      string `json:"code"`
	Qty       int    `json:"qty"`
	Total     string `json:"total"`
	FileCode  string `json:"file_code"`
	FileQty   int    `json:"file_qty"`
	FileTotal string `json:"file_total"`
}

// lineTotal is an edited line's total, "" where it is unknown (a kit's)
// or there is no line.
func lineTotal(l app.EditedLine) string {
	if l.Total < 0 || l.Qty == 0 {
		return ""
	}
	return l.Total.String()
}

// countedOpenJSON is a SKU the file sells in open orders dated before its
// last stocktake (app.ImportCountedOpen).
type countedOpenJSON struct {
	Code      string   `json:"code"`
	Units     int      `json:"units"`
	Orders    []string `json:"orders"`
	CountedAt string   `json:"counted_at"`
}

// oversoldJSON is a SKU a dry run finds the file would take below zero.
type oversoldJSON struct {
	Code      string `json:"code"`
	Want      int    `json:"want"`
	Available int    `json:"available"`
	Waiting   int    `json:"waiting"`
}

// maxOversoldSaid bounds the SKUs the text output names, as the desktop
// does; --json lists all.
const maxOversoldSaid = 100

func runImport(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	format := f.String("format", "auto", "the file's `FORMAT`: auto, etsy-orders, etsy-listings, shopify-orders or shopify-products")
	dryRun := f.Bool("dry-run", false, "say what the import would do, and write nothing")
	skip := f.Bool("skip-unknown", false, "skip order lines whose SKU the shop lacks, and report them")
	path := f.String("path", "", "the supply `PATH` of the SKUs a listing file adds: digital, print, microfactory or handmade")
	factory := f.String("factory", "", "the factory `NAME` of the SKUs a listing file adds")
	update := f.Bool("update", false, "a listing file also updates the name and price of the SKUs the shop has")
	m := skuMap{}
	f.Var(m, "map", "take the channel's SKU as one of the shop's, written `THEIR_SKU=CODE` (give it once per SKU); for a line without a SKU, give the item's name instead")
	pos, err := f.parse(args, "FILE")
	if err != nil {
		return err
	}
	var supply domain.SupplyPath
	if *path != "" {
		if supply, err = domain.ParseSupplyPath(*path); err != nil {
			return err
		}
	}
	return c.withShop(func(s *app.Shop) error {
		req := app.ImportRequest{Path: pos[0], Format: *format, DryRun: *dryRun, Map: m, SkipUnknown: *skip,
			SupplyPath: supply, Factory: *factory, Update: *update}
		bar := c.progress("Importing")
		req.Progress = bar.set
		res, err := s.Import(ctx, req)
		bar.done()
		if c.json && (err == nil || len(res.Errors) > 0) {
			out := importOut(res)
			if perr := c.printJSON(out); perr != nil {
				return perr
			}
		}
		if err != nil {
			return importRefusal(res, err)
		}
		if c.json {
			return nil
		}
		verb := "Imported"
		if res.DryRun {
			verb = "Would import (dry run, nothing written)"
		}
		sales := count(res.Sales, "sale")
		if dated := res.SalesDated(); dated != "" {
			sales += " " + dated
		}
		if res.OfListings() {
			// No sale, shipment or cancelled line: the SKUs alone.
			c.say("%s %s: %s, %s added, %d updated, %d already there as the file has them.", verb, pos[0],
				count(res.Rows, "row"), count(res.SKUsAdded, "SKU"), res.SKUsUpdated, res.Duplicates)
		} else {
			c.say("%s %s: %s, %s, %s added, %d updated, %d already there, %s.", verb, pos[0],
				count(res.Rows, "row"), sales, count(res.SKUsAdded, "SKU"), res.SKUsUpdated, res.Duplicates, res.SkippedFigure())
		}
		c.sayImportNotes(res)
		return nil
	})
}

// sayImportNotes says, below an import's summary, what it left out, took
// off and marked, and what it would oversell or asks to count.
func (c *cli) sayImportNotes(res app.ImportResult) {
	if note := res.LeftOutNote(); note != "" {
		c.say("%s", note)
	}
	if note := res.DiscountsNote(); note != "" {
		c.say("%s", note)
	}
	if note := res.WithdrawnNote(); note != "" {
		c.say("%s (`microshopctl sales --from DATE` lists their ids for `microshopctl void`)", note)
	}
	if note := res.EditedNote(); note != "" {
		c.say("%s (`microshopctl sales --from DATE` lists their ids for `microshopctl void`)", note)
	}
	if note := res.PartlyRefundedNote(); note != "" {
		c.say("%s (`microshopctl return CODE --qty N --reason REASON`)", note)
	}
	c.sayShipped(res)
	if note := res.ShippingUnknownNote(); note != "" {
		c.say("%s (`microshopctl orders ship NUMBER` marks one shipped)", note)
	}
	c.sayOversold(res)
	if note := res.UncountedNote(); note != "" {
		c.say("%s (`microshopctl count CODE --qty N`)", note)
	}
	if note := res.WithoutSKUNote(); note != "" {
		c.say("%s", note)
	}
	if note := res.UnnamedVariantsNote(); note != "" {
		c.say("%s", note)
	}
	if note := res.DifferingNote(); note != "" {
		c.say("%s (`--update`)", note)
	}
}

// importRefusal adds to an import's refusal what to do: map the SKUs the
// shop lacks, or fix the rows.
func importRefusal(res app.ImportResult, err error) error {
	switch {
	case len(res.Unmapped) > 0:
		return domain.Errorf(domain.ErrorCode(err), "%s; fix those rows, map their SKUs to the shop's codes (%s), or leave unknown SKUs out with --skip-unknown",
			domain.ErrorMessage(err), mapHint(res.Unmapped))
	case len(res.Errors) > 0:
		return domain.Errorf(domain.ErrorCode(err), "%s; fix those rows and import the file again", domain.ErrorMessage(err))
	}
	return err
}

// mapHint is the --map flags that would take what a refused import could
// not place, a few of them, with CODE for the maker to fill in.
func mapHint(unmapped []string) string {
	var flags []string
	for _, theirs := range unmapped[:min(len(unmapped), 3)] {
		flags = append(flags, "--map "+shellArg(theirs+"=CODE"))
	}
	if len(unmapped) > 3 {
		flags = append(flags, fmt.Sprintf("and %d more", len(unmapped)-3))
	}
	return strings.Join(flags, " ")
}

// sayOversold names the SKUs a dry run finds the import would take below
// zero, a line each.
func (c *cli) sayOversold(res app.ImportResult) {
	if note := res.OversoldNote(); note != "" {
		c.say("%s", note)
	}
	for _, line := range res.OversoldLines(maxOversoldSaid) {
		c.say("  %s", line)
	}
	if note := res.CountedOpenNote(); note != "" {
		c.say("%s", note)
	}
	for i, o := range res.CountedOpen {
		if i == maxOversoldSaid {
			c.say("  and %s more", count(int64(len(res.CountedOpen)-i), "SKU"))
			break
		}
		c.say("  %s", o)
	}
}

// sayShipped says how many orders an import marks shipped, if any.
func (c *cli) sayShipped(res app.ImportResult) {
	if res.Shipped == 0 {
		return
	}
	orders := count(res.Shipped, "order")
	if res.DryRun {
		c.say("It would mark %s shipped.", orders)
		return
	}
	c.say("Marked %s shipped; see what is still to send with `microshopctl orders --open`.", orders)
}

// importOut is an import's result as --json prints it.
func importOut(res app.ImportResult) importJSON {
	out := importJSON{Format: res.Format, Rows: res.Rows, Sales: res.Sales, Discounts: res.Discounts.String(), SKUsAdded: res.SKUsAdded, SKUsUpdated: res.SKUsUpdated,
		Duplicates: res.Duplicates, Skipped: res.Skipped, Shipped: res.Shipped, Errors: []importErrorJSON{}, DryRun: res.DryRun,
		Uncounted: append([]string{}, res.Uncounted...), WithoutSKU: append([]string{}, res.WithoutSKU...),
		Unnamed: append([]string{}, res.UnnamedVariants...), Differing: append([]string{}, res.Differing...),
		Withdrawn: append([]string{}, res.Withdrawn...), Edited: []editedJSON{}, PartRefunded: append([]string{}, res.PartlyRefunded...),
		Unmapped: append([]string{}, res.Unmapped...), LeftOut: append([]string{}, res.LeftOut...), LeftOutLines: res.LeftOutLines, Oversold: []oversoldJSON{}, CountedOpen: []countedOpenJSON{},
		ShipUnknown: res.ShippingUnknown}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, importErrorJSON{e.Line, e.Message})
	}
	for _, e := range res.Edited {
		out.Edited = append(out.Edited, editedJSON{e.Order, e.Held.Code, e.Held.Qty, lineTotal(e.Held), e.File.Code, e.File.Qty, lineTotal(e.File)})
	}
	for _, o := range res.Oversold {
		out.Oversold = append(out.Oversold, oversoldJSON{o.Code, o.Want, o.Available, o.Waiting})
	}
	for _, o := range res.CountedOpen {
		out.CountedOpen = append(out.CountedOpen, countedOpenJSON{o.Code, o.Units, o.Orders, o.CountedAt.Format(time.RFC3339)})
	}
	return out
}
