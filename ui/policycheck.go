package ui

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
	"microshop/simulate"
)

// policyCheck shows what `microshopctl simulate` shows: a seeded year of a
// synthetic shop under the app's rules and two common others, as a table
// and a chart. It runs in the background; the dialog says so meanwhile.
type policyCheck struct {
	table  *widget.Label
	note   *widget.Label // what the table's stockout days count
	result simulate.Result
	chart  *canvas.Image
	status *widget.ProgressBarInfinite
	// key is each policy's line colour, beside its row of the table: the
	// chart's own legend sits at its right edge, scrolled out of sight in
	// the dialog, so the lines could not be told apart.
	key *fyne.Container
}

// showPolicyCheck opens the policy check and starts the run.
func (u *UI) showPolicyCheck() *policyCheck {
	p := &policyCheck{table: widget.NewLabel("Simulating a year of 50 SKUs under three policies…"),
		chart: &canvas.Image{FillMode: canvas.ImageFillContain}, status: widget.NewProgressBarInfinite(), key: container.NewVBox()}
	p.table.TextStyle = fyne.TextStyle{Monospace: true}
	p.note = widget.NewLabel("")
	p.note.Wrapping = fyne.TextWrapWord
	p.note.Hide()
	// The chart keeps a size its labels can be read at, and scrolls: fitted
	// into what was left of an 800×600 window, its text was 5 pixels high.
	p.chart.SetMinSize(fyne.NewSize(900, 640))
	intro := widget.NewLabel("A simulated shop, not yours: a year of 50 made-up SKUs, the same demand under each policy; a sale is lost when nothing is available. " +
		"microshop is this app's rules; monthly orders last month's sales on the 1st; rop orders 30 days at a reorder point with no buffer.")
	intro.Wrapping = fyne.TextWrapWord
	table := container.NewBorder(nil, nil, p.key, nil, p.table)
	content := container.NewBorder(container.NewVBox(intro, p.status, table, p.note), nil, nil, nil, container.NewScroll(p.chart))
	d := dialog.NewCustom("Policy check", "Close", content, u.win)
	// As large as the window allows, up to the chart's own size: held to
	// 760×580, a large window showed the chart in a strip.
	win := u.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(980, win.Width-40), min(1000, win.Height-20)))
	u.showDialog(d)
	u.run(func(ctx context.Context) (func(), error) {
		res, err := simulate.Run(ctx, simulate.Config{SKUs: 50, Days: 365, Seed: 1, LeadSpread: 30, CoverScales: []float64{0.5, 1, 2}})
		if err != nil {
			return nil, err
		}
		var img bytes.Buffer
		if err := simulate.WriteChart(&img, res); err != nil {
			return nil, err
		}
		decoded, err := png.Decode(&img)
		if err != nil {
			return nil, err
		}
		text, note := policyTable(res), res.StockoutDays()+"; value held is at cost."
		return func() {
			p.status.Stop()
			p.status.Hide()
			p.table.SetText(text)
			p.note.SetText(note)
			p.note.Show()
			p.result = res
			p.key.Objects = policyKey(res)
			p.chart.Image = decoded
			content.Refresh() // the table grew from one line to many: lay it out again
		}, nil
	})
	return p
}

// policyTable is the run as a few aligned lines.
func policyTable(r simulate.Result) string {
	var b strings.Builder
	// As `microshopctl simulate` words it ("95.1 %"), with the sales lost
	// the policies are compared by.
	fmt.Fprintf(&b, "%-15s %7s %14s %10s %10s %7s %10s\n", "policy", "filled", "stockout days", "units held", "value held", "orders", "units lost")
	for _, p := range r.Policies {
		fmt.Fprintf(&b, "%-15s %5.1f %% %14d %10.0f %10s %7d %10d\n", p.String(), 100*p.FillRate(), p.StockoutDays, p.AvgUnits,
			domain.Money(math.Round(p.AvgValue)), p.Orders, p.Lost)
	}
	return strings.TrimRight(b.String(), "\n")
}

// policyKey is a short line of each policy's chart colour, one a row of
// the table, below a blank for its header. Each sits in a cell as high as
// a line of the table's text, so it stays beside its row.
func policyKey(r simulate.Result) []fyne.CanvasObject {
	line := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{Monospace: true}).Height
	out := []fyne.CanvasObject{layout.NewSpacer()}
	for i := range r.Policies {
		swatch := canvas.NewRectangle(simulate.PolicyColor(r, i))
		swatch.SetMinSize(fyne.NewSize(18, 4))
		out = append(out, container.NewCenter(swatch))
	}
	// The label's first line starts below its inner padding; so do the
	// swatches, each in a cell one text line high.
	cells := container.New(layout.NewGridLayoutWithRows(len(out)), out...)
	pad := canvas.NewRectangle(color.Transparent)
	pad.SetMinSize(fyne.NewSize(18, theme.InnerPadding()))
	sized := canvas.NewRectangle(color.Transparent)
	sized.SetMinSize(fyne.NewSize(18, line*float32(len(out))))
	return []fyne.CanvasObject{pad, container.NewStack(sized, cells)}
}
