package app

import (
	"fmt"
	"io"
)

// WritePackPDF writes a packing list as an A4 checklist: a box to tick for
// each SKU, its code, name and the units to bring, page after page.
func WritePackPDF(w io.Writer, lines []PackLine, days int, to, shop string) error {
	pdf := newPDF(210, 297)
	units := 0
	for _, l := range lines {
		units += l.Qty
	}
	const top, bottom, rowH = 20.0, 280.0, 8.0
	page := func() {
		pdf.AddPage()
		pdf.SetFont(pdfFont, "B", 14)
		pdf.SetXY(20, top)
		pdf.CellFormat(170, 8, fmt.Sprintf("%s: pack for %s, a fair of %s", shop, to, plural(days, "day")), "", 1, "L", false, 0, "")
		pdf.SetFont(pdfFont, "", 10)
		pdf.SetX(20)
		pdf.CellFormat(170, 6, fmt.Sprintf("%s of %s", plural(units, "unit"), plural(len(lines), "SKU")), "", 1, "L", false, 0, "")
		pdf.Ln(3)
		pdf.SetFont(pdfFont, "", 11)
	}
	page()
	for _, l := range lines {
		if pdf.GetY()+rowH > bottom {
			page()
		}
		y := pdf.GetY()
		pdf.Rect(21, y+1.5, 5, 5, "D")
		pdf.SetXY(30, y)
		pdf.CellFormat(45, rowH, l.Code, "B", 0, "L", false, 0, "")
		pdf.CellFormat(100, rowH, fitNameVariant(pdf.GetStringWidth, l.Name, l.Variant, 99), "B", 0, "L", false, 0, "")
		pdf.CellFormat(15, rowH, fmt.Sprint(l.Qty), "B", 1, "R", false, 0, "")
	}
	return pdf.Output(w)
}
