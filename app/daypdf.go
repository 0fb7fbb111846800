package app

import (
	"fmt"
	"io"

	"microshop/domain"
)

// WriteDayPDF writes the close of a day as one A4 page, for the cash box
// and the bookkeeper: the same figures as `day`, in the shop's currency.
func WriteDayPDF(w io.Writer, d DaySummary, shop, currency string) error {
	pdf := newPDF(210, 297)
	pdf.AddPage()
	pdf.SetFont(pdfFont, "B", 16)
	pdf.SetXY(20, 20)
	pdf.CellFormat(170, 10, fmt.Sprintf("%s: close of %s", shop, d.Date.Format("Monday 2 January 2006")), "", 1, "L", false, 0, "")
	pdf.SetFont(pdfFont, "", 11)
	line := func(label, value string) {
		pdf.SetX(20)
		pdf.CellFormat(90, 7, label, "B", 0, "L", false, 0, "")
		pdf.CellFormat(60, 7, value, "B", 1, "R", false, 0, "")
	}
	money := func(m domain.Money) string { return m.Format(currency) + " " + currency }
	pdf.Ln(4)
	line("Orders", fmt.Sprint(d.Orders))
	line("Sale lines", fmt.Sprint(d.Sales))
	line("Units", fmt.Sprint(d.Units))
	line("Takings", money(d.Total))
	line("Discounts given", money(d.Discounts))
	for _, p := range domain.Payments {
		line("Paid by "+string(p)+", less refunds", money(d.ByPayment[p]))
	}
	if places := d.Locations(); len(places) > 1 {
		for _, at := range places {
			for _, p := range domain.Payments {
				line("Paid by "+string(p)+" at "+at+", less refunds", money(d.ByLocation[at][p]))
			}
		}
	}
	for _, ch := range d.Channels() {
		line("Sold on channel "+string(ch), money(d.ByChannel[ch]))
	}
	line("Units returned", fmt.Sprint(d.Returns))
	line("Refunds", money(d.Refunds))
	line("Sale lines voided", fmt.Sprint(d.Voided))
	line("Voided lines, as sold", money(d.VoidedTotal))
	return pdf.Output(w)
}
