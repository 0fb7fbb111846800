package app

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"microshop/domain"
)

// POLine is one SKU of a purchase order.
type POLine struct {
	Code     string
	Name     string
	Variant  string // see domain.SKU.Variant
	Qty      int
	UnitCost domain.Money
	Total    domain.Money
	NeededBy time.Time // the day it must arrive to keep the SKU's cover
}

// PurchaseOrder is what to ask a factory for, from the reorder
// suggestions. Making one records nothing: ordering stays a batch order.
type PurchaseOrder struct {
	Shop     string
	Currency string
	Factory  string
	Date     time.Time
	NeededBy time.Time // the earliest of its lines'
	Lines    []POLine
	Total    domain.Money
}

// neededBy is the day a SKU's batch must arrive: when it would arrive if
// ordered today, or the day the SKU runs out, if that comes first (then
// the factory is asked to hurry, not told a day after the shelf is bare),
// and never before today.
func neededBy(today time.Time, r StockRow) time.Time {
	days := r.Plan.LeadDays
	if r.CoverDays < float64(days) {
		days = max(0, int(math.Floor(r.CoverDays)))
	}
	return domain.AddDays(today, days)
}

// PurchaseOrder gathers the factory's reorder suggestions as of asOf. A
// factory paused now is refused unless force, whatever day the order is
// reckoned for: it is written to be sent now. Forced, it asks for what
// the rule needs, as a batch order would with force.
func (s *Shop) PurchaseOrder(ctx context.Context, factory string, asOf AsOf, force bool) (PurchaseOrder, error) {
	f, err := s.Factory(ctx, factory, s.AsOfNow())
	if err != nil {
		return PurchaseOrder{}, err
	}
	if err := pausedError(f); err != nil && !force {
		return PurchaseOrder{}, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return PurchaseOrder{}, err
	}
	rows, err := s.Stock(ctx, asOf, "")
	if err != nil {
		return PurchaseOrder{}, err
	}
	po := PurchaseOrder{Shop: info.Name, Currency: info.Currency, Factory: f.Name, Date: asOf.Day}
	for _, r := range rows {
		if !r.Reorder || !strings.EqualFold(r.SKU.Factory, f.Name) {
			continue
		}
		qty := r.SuggestedQty
		if qty == 0 {
			qty = r.NeedQty
		}
		if qty <= 0 {
			continue
		}
		cost, err := costFrom(ctx, s.db, f.ID, r.SKU)
		if err != nil {
			return PurchaseOrder{}, storeError(s.path, err)
		}
		line := POLine{Code: r.SKU.Code, Name: r.SKU.Name, Variant: r.SKU.Variant, Qty: qty, UnitCost: cost, Total: cost * domain.Money(qty),
			NeededBy: neededBy(asOf.Day, r)}
		po.Lines = append(po.Lines, line)
		po.Total += line.Total
		if po.NeededBy.IsZero() || line.NeededBy.Before(po.NeededBy) {
			po.NeededBy = line.NeededBy
		}
	}
	if len(po.Lines) == 0 {
		return po, nothingToOrder(f.Name, rows, asOf)
	}
	return po, nil
}

// nothingToOrder says why a factory's purchase order would be empty. A
// SKU that sold nothing in the rate window asks for no batch, however
// little it holds: "enough stock" was untrue of one with none.
func nothingToOrder(factory string, rows []StockRow, asOf AsOf) error {
	made, unsold := 0, 0
	for _, r := range rows {
		if !strings.EqualFold(r.SKU.Factory, factory) {
			continue
		}
		made++
		if r.Rate.Sold <= 0 {
			unsold++
		}
	}
	why := "its SKUs have enough stock and batches on order"
	window := fmt.Sprintf("the %d days ending %s", domain.RateWindowDays, asOf.Day.Format(time.DateOnly))
	switch {
	case made == 0:
		why = "no SKU on sale is made there"
	case unsold == 0 && made == 1:
		why = "its one SKU has enough stock and batches on order"
	case unsold == made && made == 1:
		why = "its one SKU sold nothing in " + window + ", and a reorder follows sales"
	case unsold == made:
		why = fmt.Sprintf("none of its %d SKUs sold in %s, and a reorder follows sales", made, window)
	case unsold > 0:
		why = fmt.Sprintf("%d of its %d SKUs sold nothing in %s, and the others have enough stock and batches on order", unsold, made, window)
	}
	return domain.Errorf(domain.ENotFound, "nothing needs ordering from %s as of %s; %s", factory, asOf.Day.Format(time.DateOnly), why)
}

// WritePurchaseOrder writes po to path as a PDF or, for a name ending in
// .csv, as CSV (see CreateOutput for which paths are refused).
func (s *Shop) WritePurchaseOrder(path string, overwrite bool, po PurchaseOrder) error {
	if err := CheckPurchaseOrderPath(path); err != nil {
		return err
	}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return s.WriteOutput(path, overwrite, func(w io.Writer) error { return writePOCSV(w, po) })
	}
	return s.WriteOutput(path, overwrite, func(w io.Writer) error { return writePOPDF(w, po) })
}

// CheckPurchaseOrderPath refuses a path a purchase order cannot be
// written to: one that names neither a .pdf nor a .csv file. A form asks
// it before anything else about the file.
func CheckPurchaseOrderPath(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".pdf":
		return nil
	}
	return domain.Errorf(domain.EInvalid, "%s is neither a .pdf nor a .csv file; a purchase order is written as either", domain.QuoteShort(path))
}

func writePOCSV(w io.Writer, po PurchaseOrder) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"factory", "code", "name", "qty", "unit_cost", "total", "currency", "needed_by", "variant"})
	for _, l := range po.Lines {
		cw.Write([]string{po.Factory, csvSafe(l.Code), csvSafe(l.Name), strconv.Itoa(l.Qty), l.UnitCost.String(), l.Total.String(), po.Currency, l.NeededBy.Format(time.DateOnly), csvSafe(l.Variant)})
	}
	cw.Write([]string{po.Factory, "", "total", "", "", po.Total.String(), po.Currency, po.NeededBy.Format(time.DateOnly), ""})
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from running text that looks like a formula
// (a name another device typed is not to be trusted). A plain number, an
// oversold SKU's -2 on hand, is no formula and stays a number: quoted, it
// was text that Shopify's inventory import could not read.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && !plainNumber.MatchString(s) {
		return "'" + s
	}
	return s
}

var plainNumber = regexp.MustCompile(`^-[0-9]+(\.[0-9]+)?$`)

func writePOPDF(w io.Writer, po PurchaseOrder) error {
	pdf := newPDF(210, 297)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AddPage()
	pdf.SetFont(pdfFont, "B", 16)
	pdf.CellFormat(0, 9, "Purchase order", "", 1, "L", false, 0, "")
	pdf.SetFont(pdfFont, "", 10)
	for _, line := range []string{
		"From: " + po.Shop,
		"To: " + po.Factory,
		"Date: " + po.Date.Format(time.DateOnly),
		"Needed by: " + po.NeededBy.Format(time.DateOnly),
	} {
		pdf.CellFormat(0, 6, line, "", 1, "L", false, 0, "")
	}
	pdf.Ln(4)
	widths := []float64{32, 56, 16, 24, 24, 22}
	head := []string{"Code", "Name", "Qty", "Unit cost", "Total", "Needed by"}
	// Numbers are set at the right of their columns, and so are their
	// headings, to stand over them.
	align := func(i int) string {
		if i >= 2 && i <= 4 {
			return "R"
		}
		return "L"
	}
	pdf.SetFont(pdfFont, "B", 9)
	for i, h := range head {
		pdf.CellFormat(widths[i], 7, h, "B", 0, align(i), false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont(pdfFont, "", 9)
	for _, l := range po.Lines {
		cells := []string{l.Code, fitNameVariant(pdf.GetStringWidth, l.Name, l.Variant, widths[1]-1), strconv.Itoa(l.Qty), l.UnitCost.Format(po.Currency), l.Total.Format(po.Currency), l.NeededBy.Format(time.DateOnly)}
		for i, c := range cells {
			pdf.CellFormat(widths[i], 6, fitText(pdf.GetStringWidth, c, widths[i]-1), "", 0, align(i), false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.SetFont(pdfFont, "B", 10)
	pdf.CellFormat(widths[0]+widths[1]+widths[2]+widths[3], 8, "Total", "T", 0, "R", false, 0, "")
	pdf.CellFormat(widths[4], 8, po.Total.Format(po.Currency)+" "+po.Currency, "T", 0, "R", false, 0, "")
	// The rule above the total runs under the last column too, to the
	// table's edge as the heading's does; it stopped short of Needed by.
	pdf.CellFormat(widths[5], 8, "", "T", 1, "L", false, 0, "")
	return pdf.Output(w)
}

// fitNameVariant is a SKU's name and variant (domain.NameWithVariant)
// fitted to width, the name shortened first: the variant is what tells two
// lines of one product apart, and cut from the end it went first.
func fitNameVariant(measure func(string) float64, name, variant string, width float64) string {
	full := domain.NameWithVariant(name, variant)
	if variant == "" || measure(full) <= width {
		return fitText(measure, full, width)
	}
	tail := strings.TrimPrefix(full, name)
	room := max(width-measure(tail), 0)
	return fitText(measure, fitText(measure, name, room)+tail, width)
}

// fitText shortens s with an ellipsis until it fits width.
func fitText(measure func(string) float64, s string, width float64) string {
	if measure(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && measure(string(r)+"...") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "..."
}
