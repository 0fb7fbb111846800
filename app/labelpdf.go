package app

import (
	"image"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/qr"

	"microshop/assets/fonts"
	"microshop/domain"
)

// code128Modules is how many modules wide a code's Code 128 is, with its
// quiet zones of 10 modules each side.
func code128Modules(code string) (int, error) {
	bc, err := encode128(code)
	if err != nil {
		return 0, err
	}
	return bc.Bounds().Dx() + 20, nil
}

func encode128(code string) (barcode.Barcode, error) {
	bc, err := code128.Encode(code)
	if err != nil {
		return nil, domain.Errorf(domain.EInvalid, "the code %s cannot be written as a Code 128 barcode; codes are letters, digits and - _ . /", domain.QuoteShort(code))
	}
	return bc, nil
}

// newPDF starts a document in millimetres on pages of w × h, with a fixed
// creation date so the same content makes the same file.
func newPDF(w, h float64) *fpdf.Fpdf {
	// "P" keeps the size as given; "L" would swap a wide roll label's sides.
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: w, Ht: h}})
	pdf.AddUTF8FontFromBytes(pdfFont, "", fonts.NotoSansRegular)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", fonts.NotoSansBold)
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCreationDate(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetCreator("Microshop", true)
	return pdf
}

// pdfFont is the family every PDF's text is set in, but a label's code
// (ASCII, in Courier): Noto Sans, which has Greek and Cyrillic letters as
// well as Latin ones, where PDF's built-in fonts printed those as dots.
const pdfFont = "NotoSans"

// writeLabelPDF lays the labels out on the layout's pages, left to right,
// top to bottom.
func writeLabelPDF(w io.Writer, l LabelLayout, labels []Label) error {
	pdf := newPDF(l.PageW, l.PageH)
	perPage := l.Cols * l.Rows
	i := 0
	for _, lab := range labels {
		for range lab.Copies {
			if i%perPage == 0 {
				pdf.AddPage()
			}
			slot := i % perPage
			x := l.Left + float64(slot%l.Cols)*(l.LabelW+l.GapX)
			y := l.Top + float64(slot/l.Cols)*(l.LabelH+l.GapY)
			if err := drawLabel(pdf, l, lab, x, y); err != nil {
				return err
			}
			i++
		}
	}
	return pdf.Output(w)
}

// drawLabel draws one label with its top left corner at x, y: name and
// price at the top left, the QR code at the top right, the Code 128 across
// the bottom with the code in text under it.
// nameLines breaks a name into at most maxLines lines of width, in the
// current font; a name cut short ends in "…", so the cut shows.
func nameLines(pdf *fpdf.Fpdf, name string, width float64, maxLines int) []string {
	lines := pdf.SplitText(name, width)
	if len(lines) <= maxLines {
		return lines
	}
	lines = lines[:maxLines]
	last := []rune(strings.TrimSpace(lines[maxLines-1]))
	for len(last) > 0 && pdf.GetStringWidth(string(last)+"…") > width {
		last = last[:len(last)-1]
	}
	lines[maxLines-1] = strings.TrimSpace(string(last)) + "…"
	return lines
}

// labelLines are the lines above a label's price, at most maxLines of
// width: the name (nameLines) and, when the SKU is one of its product's
// variants, the variant on a line of its own; on a label of one line,
// after the name, which is cut shorter for it. The variant is what tells
// two labels of one product apart, so it is the name that gives way.
func labelLines(pdf *fpdf.Fpdf, name, variant string, width float64, maxLines int) []string {
	if variant == "" {
		return nameLines(pdf, name, width, maxLines)
	}
	if maxLines > 1 {
		return append(nameLines(pdf, name, width, maxLines-1), nameLines(pdf, variant, width, 1)...)
	}
	const sep = " · "
	room := width - pdf.GetStringWidth(sep+variant)
	if room < width/3 {
		// A long variant: the name keeps a third of the line.
		room = width / 3
	}
	head := nameLines(pdf, name, room, 1)
	if len(head) == 0 {
		return nameLines(pdf, variant, width, 1)
	}
	return nameLines(pdf, head[0]+sep+variant, width, 1)
}

func drawLabel(pdf *fpdf.Fpdf, l LabelLayout, lab Label, x, y float64) error {
	const textH = 3.2                           // the code's line under the bars
	barH := min(12, (l.LabelH-2*labelPad)*0.38) // tall enough to swipe, leaving room above
	topH := l.LabelH - 2*labelPad - barH - textH - 1
	qrSize := topH
	left := x + labelPad
	top := y + labelPad

	if err := drawQR(pdf, lab.Code, x+l.LabelW-labelPad-qrSize, top, qrSize); err != nil {
		return err
	}
	textW := l.LabelW - 2*labelPad - qrSize - 1.5
	pdf.SetFont(pdfFont, "B", 8)
	const lineH = 3.4
	maxLines := max(1, int((topH-4.5)/lineH))
	for n, line := range labelLines(pdf, lab.Name, lab.Variant, textW, maxLines) {
		pdf.Text(left, top+2.8+float64(n)*lineH, line)
	}
	if lab.Price != "" {
		pdf.SetFont(pdfFont, "B", 11)
		pdf.Text(left, top+topH-0.5, lab.Price)
	}

	barTop := top + topH + 1
	if err := drawCode128(pdf, lab.Code, left, barTop, l.barWidthMM(), barH); err != nil {
		return err
	}
	pdf.SetFont("Courier", "", 8)
	cw := pdf.GetStringWidth(lab.Code)
	pdf.Text(x+(l.LabelW-cw)/2, barTop+barH+textH-0.6, lab.Code)
	return nil
}

// drawCode128 draws the code's bars centred in a box of w × h, each module
// as wide as the box allows with its quiet zones, but never wider than
// half a millimetre.
func drawCode128(pdf *fpdf.Fpdf, code string, x, y, w, h float64) error {
	bc, err := encode128(code)
	if err != nil {
		return err
	}
	n := bc.Bounds().Dx()
	module := min(0.5, w/float64(n+20))
	start := x + (w-module*float64(n))/2
	pdf.SetFillColor(0, 0, 0)
	for _, run := range darkRuns(bc, 0) {
		pdf.Rect(start+float64(run[0])*module, y, float64(run[1]-run[0])*module, h, "F")
	}
	return nil
}

// drawQR draws the code as a QR code filling a square of size, with the
// quiet zone of four modules the standard asks for inside it.
func drawQR(pdf *fpdf.Fpdf, code string, x, y, size float64) error {
	bc, err := qr.Encode(code, qr.M, qr.Auto)
	if err != nil {
		return domain.Errorf(domain.EInvalid, "the code %s cannot be written as a QR code", domain.QuoteShort(code))
	}
	n := bc.Bounds().Dx()
	module := size / float64(n+8)
	pdf.SetFillColor(0, 0, 0)
	for row := range n {
		for _, run := range darkRuns(bc, row) {
			pdf.Rect(x+float64(run[0]+4)*module, y+float64(row+4)*module, float64(run[1]-run[0])*module, module, "F")
		}
	}
	return nil
}

// darkRuns lists a barcode row's dark stretches as [from, to) columns, so
// a bar is one rectangle, not a row of slivers with hairline gaps.
func darkRuns(bc barcode.Barcode, row int) [][2]int {
	b := bc.Bounds()
	var runs [][2]int
	start := -1
	for x := b.Min.X; x <= b.Max.X; x++ {
		dark := x < b.Max.X && isDark(bc, x, b.Min.Y+row)
		switch {
		case dark && start < 0:
			start = x - b.Min.X
		case !dark && start >= 0:
			runs = append(runs, [2]int{start, x - b.Min.X})
			start = -1
		}
	}
	return runs
}

func isDark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r+g+b < 3*0x8000
}
