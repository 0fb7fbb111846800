package app

import (
	"context"
	"io"
	"strings"

	"microshop/domain"
)

// LabelLayout is a sheet of sticky labels, measured in millimetres.
type LabelLayout struct {
	Name           string
	About          string // for people choosing one
	PageW, PageH   float64
	Cols, Rows     int
	LabelW, LabelH float64
	Left, Top      float64 // margin to the first label
	GapX, GapY     float64 // between labels
	// ModuleMM is the narrowest Code 128 bar the layout's printer makes
	// reliably; minModuleMM when zero.
	ModuleMM float64
}

// LabelLayouts are the sheets labels can be printed on: the common office
// sheets and a thermal roll, one label a page.
var LabelLayouts = []LabelLayout{
	{Name: "a4-3x8", About: "A4 sheet, 3 × 8 labels of 70 × 37 mm", PageW: 210, PageH: 297, Cols: 3, Rows: 8,
		LabelW: 70, LabelH: 37, Left: 0, Top: 0.5},
	{Name: "letter-3x10", About: "US Letter sheet, 3 × 10 labels of 2⅝ × 1 in", PageW: 215.9, PageH: 279.4, Cols: 3, Rows: 10,
		LabelW: 66.675, LabelH: 25.4, Left: 4.7625, Top: 12.7, GapX: 3.175},
	{Name: "roll-57x32", About: "57 × 32 mm thermal roll, one label a page", PageW: 57, PageH: 32, Cols: 1, Rows: 1,
		// A thermal roll printer prints 203 dots an inch: a bar of 0.2 mm
		// is 1.6 dots, printed as one or two, and the longest code did not
		// scan; 0.25 mm is two dots.
		LabelW: 57, LabelH: 32, ModuleMM: 0.25},
}

// ParseLabelLayout finds a layout by name; empty is the A4 sheet.
func ParseLabelLayout(name string) (LabelLayout, error) {
	if name == "" {
		return LabelLayouts[0], nil
	}
	names := make([]string, len(LabelLayouts))
	for i, l := range LabelLayouts {
		if strings.EqualFold(l.Name, name) {
			return l, nil
		}
		names[i] = l.Name
	}
	return LabelLayout{}, domain.Errorf(domain.EInvalid, "%s is not a label layout; use %s", domain.QuoteShort(name), strings.Join(names, ", "))
}

// MaxLabels is the most labels one file holds: a run beyond it is surely a
// mistyped count, and would make a file no printer wants.
const MaxLabels = 10000

// LabelRequest is what to print.
type LabelRequest struct {
	Codes   []string // SKU codes; empty with All for every SKU on sale
	All     bool
	Copies  int  // labels per SKU; 1 when zero
	Stock   bool // one label per available unit instead of Copies
	Layout  string
	NoPrice bool
}

// Label is one SKU's labels in a print run.
type Label struct {
	Code string
	Name string
	// Variant is which of its product's variants the SKU is, as the
	// channel's products file named it ("Large", "M / Blue"); empty for
	// a SKU without variants. Two variants share their product's name,
	// and their labels were told apart only by the code under the bars.
	Variant string
	Price   string // as printed, with the currency; empty without price
	Copies  int
}

// LabelResult says what a label file holds.
type LabelResult struct {
	Layout string
	Labels int
	Pages  int
	SKUs   []Label
}

// PrintLabels writes a PDF of labels to path (see CreateOutput for which
// paths are refused). Each label carries the SKU's name, price, a Code 128
// and a QR code of its code; a code too long for the layout's Code 128 to
// stay readable is refused with the longest that fits.
func (s *Shop) PrintLabels(ctx context.Context, path string, overwrite bool, req LabelRequest) (LabelResult, error) {
	layout, labels, total, err := s.planLabels(ctx, req)
	if err != nil {
		return LabelResult{}, err
	}
	err = s.WriteOutput(path, overwrite, func(w io.Writer) error {
		return writeLabelPDF(w, layout, labels)
	})
	if err != nil {
		return LabelResult{}, err
	}
	perPage := layout.Cols * layout.Rows
	return LabelResult{Layout: layout.Name, Labels: total, Pages: (total + perPage - 1) / perPage, SKUs: labels}, nil
}

// CheckLabels refuses what PrintLabels would refuse before it writes a
// file: a form asks it first, and stays open to change the request.
func (s *Shop) CheckLabels(ctx context.Context, req LabelRequest) error {
	_, _, _, err := s.planLabels(ctx, req)
	return err
}

// planLabels is the layout, the labels and their number that req prints.
func (s *Shop) planLabels(ctx context.Context, req LabelRequest) (LabelLayout, []Label, int, error) {
	layout, err := ParseLabelLayout(req.Layout)
	if err != nil {
		return layout, nil, 0, err
	}
	labels, err := s.labelRun(ctx, req)
	if err != nil {
		return layout, nil, 0, err
	}
	total := 0
	for _, l := range labels {
		if err := layout.fits(l.Code); err != nil {
			return layout, nil, 0, err
		}
		total += l.Copies
	}
	if total == 0 {
		return layout, nil, 0, domain.Errorf(domain.EInvalid, "there is nothing to print: none of these SKUs has units available; give a number of copies instead")
	}
	if total > MaxLabels {
		return layout, nil, 0, domain.Errorf(domain.EInvalid, "that is %d labels; one file holds at most %d, so print fewer SKUs or copies at a time", total, MaxLabels)
	}
	return layout, labels, total, nil
}

// check refuses a request that cannot make labels.
func (req LabelRequest) check() error {
	if req.Copies < 0 || req.Copies > MaxLabels {
		return domain.Errorf(domain.EInvalid, "%d copies are too many; give 1 to %d", req.Copies, MaxLabels)
	}
	if req.Copies > 0 && req.Stock {
		return domain.Errorf(domain.EInvalid, "give either a number of copies or one label per available unit, not both")
	}
	if len(req.Codes) == 0 && !req.All {
		return domain.Errorf(domain.EInvalid, "no SKU was named; name the SKUs to print labels for, or ask for all of them")
	}
	if len(req.Codes) > 0 && req.All {
		return domain.Errorf(domain.EInvalid, "%s and every SKU were both asked for, which prints %s twice; name the SKUs to print labels for, or ask for all of them, not both",
			strings.Join(req.Codes, ", "), strings.Join(req.Codes, ", "))
	}
	return nil
}

// labelRun resolves the SKUs and how many labels each gets.
func (s *Shop) labelRun(ctx context.Context, req LabelRequest) ([]Label, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, err
	}
	picked, err := s.labelSKUs(ctx, req)
	if err != nil {
		return nil, err
	}
	if len(picked) == 0 {
		// All of a shop with none: it said none "has units available;
		// give a number of copies", of labels asked for by copies.
		return nil, domain.Errorf(domain.EInvalid, "there is nothing to print: the shop has no SKU on sale yet; add SKUs, or import a listings or products file, first")
	}
	out := make([]Label, 0, len(picked))
	var kits []string
	units := 0
	for _, r := range picked {
		l := Label{Code: r.SKU.Code, Name: r.SKU.Name, Variant: r.SKU.Variant, Copies: max(req.Copies, 1)}
		if !req.NoPrice {
			l.Price = r.SKU.Price.Format(info.Currency) + " " + info.Currency
		}
		if req.Stock {
			// A kit's units are its parts' units, which have labels of
			// their own.
			l.Copies = max(r.Available, 0)
			if r.SKU.Path == domain.PathKit {
				l.Copies = 0
				kits = append(kits, r.SKU.Code)
			}
			units += l.Copies
		}
		out = append(out, l)
	}
	if req.Stock && units == 0 && len(kits) > 0 {
		return nil, domain.Errorf(domain.EInvalid, "there is nothing to print: %s, and a kit's units are its parts', which have labels of their own; print its parts' labels, or give a number of copies",
			kitsAre(kits))
	}
	return out, nil
}

// labelSKUs are the stock rows of the SKUs the request names, in its
// order, or of every SKU on sale.
func (s *Shop) labelSKUs(ctx context.Context, req LabelRequest) ([]StockRow, error) {
	rows, err := s.Stock(ctx, s.AsOfNow(), "")
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]StockRow, len(rows))
	shared := map[string]bool{} // codes on two SKUs on sale, which name neither
	for _, r := range rows {
		k := strings.ToLower(r.SKU.Code)
		if _, ok := byCode[k]; ok {
			shared[k] = true
		}
		byCode[k] = r
	}
	var picked []StockRow
	if req.All {
		picked = rows
	}
	for _, code := range req.Codes {
		r, ok := byCode[strings.ToLower(code)]
		if shared[strings.ToLower(code)] {
			_, err := findSKU(ctx, s.db, code)
			return nil, err
		}
		if !ok {
			if old, err := findSKU(ctx, s.db, code); err == nil && old.Archived {
				return nil, domain.Errorf(domain.EConflict, "SKU %s is archived and no longer sold; unarchive it to print its label", old.Code)
			}
			return nil, domain.Errorf(domain.ENotFound, "there is no SKU %s on sale to print a label for", domain.QuoteShort(code)).With(domain.RemedyListSKUs)
		}
		picked = append(picked, r)
	}
	return picked, nil
}

// kitsAre says which of the codes are kits: "GIFT is a kit", "GIFT and
// DUO are kits".
func kitsAre(codes []string) string {
	if len(codes) == 1 {
		return codes[0] + " is a kit"
	}
	return domain.JoinAnd(codes) + " are kits"
}

// Code 128 bars narrower than this are beyond what a hand scanner reads
// off a laser print reliably (7.9 mil).
const minModuleMM = 0.2

// labelPad is the blank border inside each label, in millimetres.
const labelPad = 2.0

// moduleMM is the narrowest bar the layout prints.
func (l LabelLayout) moduleMM() float64 {
	if l.ModuleMM > 0 {
		return l.ModuleMM
	}
	return minModuleMM
}

// barWidthMM is the room a label gives its Code 128, quiet zones included.
func (l LabelLayout) barWidthMM() float64 { return l.LabelW - 2*labelPad }

// fits refuses a code whose Code 128 would need bars thinner than a
// scanner reads on this layout, naming the longest code that fits.
func (l LabelLayout) fits(code string) error {
	modules, err := code128Modules(code)
	if err != nil {
		return err
	}
	if float64(modules)*l.moduleMM() <= l.barWidthMM() {
		return nil
	}
	return domain.Errorf(domain.EInvalid, "the code %s is too long for a Code 128 that scans on the labels of layout %s: it fits codes up to %d characters; use a wider layout or a shorter code",
		domain.QuoteShort(code), l.Name, l.MaxCodeChars())
}

// MaxCodeChars is the longest code of letters whose Code 128 fits: it
// spends 11 modules a character, 35 on start, check and stop, and 10 on
// each quiet zone.
func (l LabelLayout) MaxCodeChars() int {
	modules := int(l.barWidthMM() / l.moduleMM())
	return (modules - 20 - 35) / 11
}
