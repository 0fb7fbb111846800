package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"microshop/domain"
)

// ImportResult says what an import did, or would do.
type ImportResult struct {
	Format      string
	Rows        int
	Sales       int // order lines recorded (or to record)
	SKUsAdded   int
	SKUsUpdated int
	Duplicates  int // lines imported before, here or on another device
	Skipped     int // cancelled, voided or refunded orders' lines, and LeftOutLines
	Shipped     int // orders the file newly shows as shipped
	Errors      []ImportError
	DryRun      bool
	// Uncounted are the SKUs added without a first stocktake: an Etsy
	// listing with variations gives one quantity for all of them.
	Uncounted []string
	// WithoutSKU are the listings a listings or products file has without
	// a SKU, by title and line, left out.
	WithoutSKU []string
	// Differing are the SKUs the shop has that a listings file, imported
	// without Update, gives another name or price; they keep the shop's.
	Differing []string
	// Withdrawn are the orders, by number, imported before that the file
	// shows cancelled or refunded, whose sales still count (WithdrawnNote).
	Withdrawn []string
	// Edited are the lines imported before that the file has with another
	// SKU, quantity or price, or no longer has, their orders edited on the
	// channel since, whose sales still count as imported (EditedNote).
	Edited []ImportEdited
	// PartlyRefunded are the orders, by number, the file shows partially
	// refunded, counted whole (PartlyRefundedNote).
	PartlyRefunded []string
	// UnnamedVariants are the Etsy listings, by title and line, whose
	// SKUs the file does not pair with their variations, added or
	// updated without their variant.
	UnnamedVariants []string
	// Unmapped are what the refused order lines name that the shop has no
	// SKU for, each once in the file's order: the channel's SKU, or the
	// item's name for a line without one. A Map from each to a code the
	// shop sells takes them.
	Unmapped []string
	// LeftOut are what the order lines SkipUnknown left out name that the
	// shop has no SKU for, as Unmapped would name them without it: a Map
	// from each takes its lines in instead.
	LeftOut []string
	// LeftOutLines counts the order lines SkipUnknown left out, of the
	// SKUs LeftOut names; Skipped counts them too.
	LeftOutLines int
	leftOutItems map[string]bool // those LeftOut names by item, their lines without a SKU
	// Oversold are the SKUs a dry run of an order file finds its sales
	// would take below zero, the furthest below first; the import still
	// records them. Only a dry run looks.
	Oversold []ImportOversell
	// FirstSale and LastSale are when the new sales happened, the earliest
	// and the latest: a file whose dates were read wrongly (a day and
	// month swapped) shows it there.
	FirstSale, LastSale time.Time
	// CountedOpen are the SKUs the file sells in open orders dated before
	// their last stocktake (ImportCountedOpen).
	CountedOpen []ImportCountedOpen
	// ShippingUnknown counts the orders an order file without its shipped
	// column (Etsy's Date Shipped, Shopify's Fulfillment Status) leaves
	// open, that the shop has not marked shipped (ShippingUnknownNote).
	ShippingUnknown int
	noShipColumn    bool

	// Discounts are what the channel's discounts take off the sales, in
	// all (DiscountsNote), in currency, the shop's.
	Discounts domain.Money
	currency  string
}

// OfListings tells a listings or products file's result, which adds and
// updates SKUs and records no sale: its summary speaks of SKUs alone.
func (r ImportResult) OfListings() bool {
	return r.Format == FormatEtsyListings || r.Format == FormatShopifyProducts
}

// WithoutSKUNote names the listings left out for want of a SKU, a few of
// them; "" when there are none.
func (r ImportResult) WithoutSKUNote() string {
	if len(r.WithoutSKU) == 0 {
		return ""
	}
	return fmt.Sprintf("Left out %s without a SKU: %s; give them SKUs on the channel and import the file again to add them.",
		plural(len(r.WithoutSKU), "listing"), firstFew(r.WithoutSKU))
}

// WithdrawnNote names the orders imported before that the file shows
// cancelled or refunded, a few of them, whose sales still count; "" when
// there are none. The import leaves them: whether their units came back
// is for the maker to say.
func (r ImportResult) WithdrawnNote() string {
	switch len(r.Withdrawn) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("Order %s was imported before and is cancelled or refunded in this file, but its sales still count: void them if it never shipped, or record a return of what came back.",
			r.Withdrawn[0])
	}
	return fmt.Sprintf("Orders %s were imported before and are cancelled or refunded in this file, but their sales still count: void them if they never shipped, or record a return of what came back.",
		firstFew(r.Withdrawn))
}

// DifferingNote names the SKUs the file gives another name or price than
// the shop has, a few of them, kept as the shop has them; "" when none.
func (r ImportResult) DifferingNote() string {
	if len(r.Differing) == 0 {
		return ""
	}
	has, keeps := "has", "keeps"
	if len(r.Differing) > 1 {
		has, keeps = "have", "keep"
	}
	return fmt.Sprintf("%s %s another name or price in the file than in the shop, and %s the shop's; update names and prices to take the file's.",
		firstFew(r.Differing), has, keeps)
}

// UnnamedVariantsNote names the Etsy listings whose SKUs were taken
// without their variants, a few of them; "" when there are none.
func (r ImportResult) UnnamedVariantsNote() string {
	if len(r.UnnamedVariants) == 0 {
		return ""
	}
	return fmt.Sprintf("The SKUs of %s have no variant: the file lists a different number of SKUs than of variants, so it does not say which SKU is which: %s.",
		plural(len(r.UnnamedVariants), "listing"), firstFew(r.UnnamedVariants))
}

// leaveOut notes an order line SkipUnknown left out, by its SKU, or by
// its item's name when it has none; seen holds what LeftOut names.
func (r *ImportResult) leaveOut(code, name string, seen map[string]bool) {
	r.LeftOutLines++
	if code == "" {
		if r.leftOutItems == nil {
			r.leftOutItems = map[string]bool{}
		}
		r.leftOutItems[name] = true
	}
	r.LeftOut = appendOnce(r.LeftOut, seen, cmp.Or(code, name))
}

// LeftOutNote says how many order lines were left out for want of a SKU
// the shop has, as asked (SkipUnknown), and names a few of their SKUs, or
// their items' names for lines without one; "" when none were.
func (r ImportResult) LeftOutNote() string {
	if r.LeftOutLines == 0 {
		return ""
	}
	names := slices.Clone(r.LeftOut)
	items := 0
	for i, n := range names {
		if r.leftOutItems[n] {
			names[i] = domain.QuoteShort(n)
			items++
		}
	}
	var of string
	switch skus := len(names) - items; {
	case items == 0:
		of = plural(skus, "SKU") + " the shop lacks"
	case skus == 0:
		of = plural(items, "item") + " without a SKU"
	default:
		of = plural(skus, "SKU") + " the shop lacks and " + plural(items, "item") + " without a SKU"
	}
	return fmt.Sprintf("Left out %s of %s: %s.", plural(r.LeftOutLines, "line"), of, firstFew(names))
}

// SkippedFigure is the lines skipped, as a summary counts them: those of
// cancelled, voided or refunded orders. The lines left out as asked are
// not among them, LeftOutNote says those, and then the figure says which
// it counts: "2 skipped" read as the lines left out, and hid them.
func (r ImportResult) SkippedFigure() string {
	if r.LeftOutLines == 0 {
		return fmt.Sprintf("%d skipped", r.Skipped)
	}
	return fmt.Sprintf("%d skipped as cancelled or refunded", max(r.Skipped-r.LeftOutLines, 0))
}

// firstFew is up to five of names, and how many more there are.
func firstFew(names []string) string {
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:5], ", "), len(names)-5)
}

// UncountedNote asks for a count of the SKUs added without one, naming
// a few; "" when there are none.
func (r ImportResult) UncountedNote() string {
	if len(r.Uncounted) == 0 {
		return ""
	}
	have := "have"
	if len(r.Uncounted) == 1 {
		have = "has"
	}
	return fmt.Sprintf("%s %s no first stocktake: a listing with variations gives one quantity for all its variants, not each one's; count them.",
		firstFew(r.Uncounted), have)
}

// MaxReportedErrors bounds the bad rows an error message lists; the
// result holds them all.
const MaxReportedErrors = 20
