package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// Paper and files for the stall, the factory and the bookkeeper: exports,
// labels and purchase orders, each written through saveFile.

// exportKinds are the exports the form offers, in its words.
var exportKinds = []struct{ kind, label string }{
	{"stock", "Stock of every SKU"},
	{"reorder", "Reorder suggestions"},
	{"sales", "Sales over a period"},
	{"shopify-inventory", "Shopify inventory (for its inventory import)"},
}

// exportForm writes one of the shop's CSV exports.
func (u *UI) exportForm() *formDialog {
	today := u.shop.Now().Format(time.DateOnly)
	labels := make([]string, len(exportKinds))
	for i, k := range exportKinds {
		labels[i] = k.label
	}
	f := u.newSaveFile("stock-"+today+".csv", "a CSV file, for a spreadsheet, an accountant or the channel")
	kind := widget.NewSelect(labels, nil)
	from, to := newFieldEntry(), newFieldEntry()
	from.SetText(u.shop.Now().AddDate(0, -1, 0).Format(time.DateOnly))
	to.SetText(today)
	// Shopify's inventory import finds the counts' location by its name: a
	// shop whose location is not "Shop location" had every row refused,
	// and only the command line could name another.
	location := newFieldEntry()
	location.SetText(app.DefaultShopifyLocation)
	kind.OnChanged = func(label string) {
		k := exportKindOf(label)
		f.name.SetText(k + "-" + today + ".csv")
		enableIf(k == "sales", from, to)
		enableIf(k == "shopify-inventory", location)
	}
	kind.SetSelectedIndex(0)
	items := append([]*widget.FormItem{
		widget.NewFormItem("What", kind),
		{Text: "From", Widget: from, HintText: "sales from this day (YYYY-MM-DD)"},
		{Text: "To", Widget: to, HintText: "to this day, included"},
		{Text: "Location", Widget: location, HintText: "its name in Shopify, for the Shopify inventory"},
	}, f.items...)
	var d *formDialog
	d = u.newFormDialog("Export", "Export", items, func() error {
		req := app.ExportRequest{Kind: exportKindOf(kind.Selected), AsOf: u.shop.AsOfNow(), ShopifyLocation: strings.TrimSpace(location.Text)}
		bad := fieldErrors{}
		if req.Kind == "shopify-inventory" {
			bad.add(location, domain.ValidateName("Shopify location", req.ShopifyLocation))
		}
		if req.Kind == "sales" {
			var err error
			req.From, err = domain.ParseDate(from.Text, u.shop.Location())
			bad.add(from, err)
			last, err := domain.ParseDate(to.Text, u.shop.Location())
			bad.add(to, err)
			req.To = domain.AddDays(last, 1)
			if err == nil && last.Before(req.From) { // said under To, the form kept open
				bad.add(to, domain.Errorf(domain.EInvalid, "%s is before the start, %s; give an end on or after it", to.Text, from.Text))
			}
		}
		f.check(bad)
		if err := bad.orNil(); err != nil {
			return err
		}
		var rows int
		return f.write(d, func(ctx context.Context, path string, overwrite bool) (err error) {
			rows, err = u.shop.Export(ctx, path, overwrite, req)
			return err
		}, func(path string) {
			u.inform("Exported", fmt.Sprintf("wrote %s to %s", plural(rows, "row", "rows"), path))
		})
	})
	d.show()
	return d
}

// enableIf enables the entries when on, and disables them when not.
func enableIf(on bool, entries ...*fieldEntry) {
	for _, e := range entries {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
}

func exportKindOf(label string) string {
	for _, k := range exportKinds {
		if k.label == label {
			return k.kind
		}
	}
	return exportKinds[0].kind
}

// labelsForm prints labels of the SKUs codes, or of every SKU on sale
// when there are none.
func (u *UI) labelsForm(codes []string) *formDialog {
	layouts := make([]string, len(app.LabelLayouts))
	for i, l := range app.LabelLayouts {
		layouts[i] = l.About
	}
	layout := widget.NewSelect(layouts, nil)
	layout.SetSelectedIndex(0)
	copies := newFieldEntry()
	copies.SetText("1")
	perUnit := widget.NewCheck("One label per available unit", func(on bool) {
		if on {
			copies.Disable()
		} else {
			copies.Enable()
		}
	})
	price := widget.NewCheck("Print the price", nil)
	price.SetChecked(true)
	name, what := "labels.pdf", "every SKU on sale"
	switch {
	case len(codes) == 1:
		name, what = "labels-"+strings.ToLower(codes[0])+".pdf", codes[0]
	case len(codes) > 4:
		// The SKUs a filtered list shows may be many: a line of them all
		// widened the form past the window.
		what = fmt.Sprintf("%s and %d more", strings.Join(codes[:3], ", "), len(codes)-3)
	case len(codes) > 0:
		what = strings.Join(codes, ", ")
	}
	f := u.newSaveFile(name, "a PDF to print at 100 %, not fitted to the page")
	of := widget.NewLabel(what)
	of.Wrapping = fyne.TextWrapWord
	items := append([]*widget.FormItem{
		{Text: "Labels of", Widget: of},
		widget.NewFormItem("Sheet", layout),
		widget.NewFormItem("Copies", copies),
		widget.NewFormItem("", perUnit),
		widget.NewFormItem("", price),
	}, f.items...)
	var d *formDialog
	d = u.newFormDialog("Print labels", "Save PDF", items, func() error {
		req := app.LabelRequest{Codes: codes, All: len(codes) == 0, Stock: perUnit.Checked, NoPrice: !price.Checked,
			Layout: app.LabelLayouts[max(layout.SelectedIndex(), 0)].Name}
		bad := fieldErrors{}
		if !perUnit.Checked {
			n, err := parseIntOpt("number of copies", copies.Text, 1, 1, app.MaxLabels)
			bad.add(copies, err)
			req.Copies = n
		}
		f.check(bad)
		if err := bad.orNil(); err != nil {
			return err
		}
		if err := u.shop.CheckLabels(u.ctx, req); err != nil {
			return err
		}
		var res app.LabelResult
		return f.write(d, func(ctx context.Context, path string, overwrite bool) (err error) {
			res, err = u.shop.PrintLabels(ctx, path, overwrite, req)
			return err
		}, func(path string) {
			u.inform("Labels saved", fmt.Sprintf("%s on %s in %s; print at 100 %%", plural(res.Labels, "label", "labels"),
				plural(res.Pages, "page", "pages"), path))
		})
	})
	d.show()
	return d
}

// purchaseOrderForm writes a factory's purchase order from the reorder
// suggestions, as a PDF or, for a name ending in .csv, a CSV.
func (u *UI) purchaseOrderForm(factory string) *formDialog {
	factories, err := u.shop.Factories(u.ctx, u.shop.AsOfNow())
	if err != nil {
		u.showError(err)
		return nil
	}
	names := make([]string, len(factories))
	for i, fv := range factories {
		names[i] = fv.Name
	}
	pick := widget.NewSelect(names, nil)
	f := u.newSaveFile("", "a PDF to send, or a name ending in .csv for a spreadsheet")
	pick.OnChanged = func(name string) {
		f.name.SetText("po-" + strings.ToLower(strings.ReplaceAll(name, " ", "-")) + "-" + u.shop.Now().Format(time.DateOnly) + ".pdf")
	}
	if factory != "" {
		pick.SetSelected(factory)
	}
	items := append([]*widget.FormItem{{Text: "Factory", Widget: pick, HintText: "what its reorder suggestions ask; nothing is ordered"}}, f.items...)
	var d *formDialog
	anyway := "" // the paused factory the maker chose to write an order for all the same
	d = u.newFormDialog("Purchase order", "Save", items, func() error {
		bad := fieldErrors{}
		if pick.Selected == "" {
			bad.add(pick, domain.Errorf(domain.EInvalid, "choose the factory the order is for"))
		}
		f.check(bad)
		bad.add(f.name, app.CheckPurchaseOrderPath(f.path()))
		if err := bad.orNil(); err != nil {
			return err
		}
		po, err := u.shop.PurchaseOrder(u.ctx, pick.Selected, u.shop.AsOfNow(), anyway == pick.Selected)
		var paused *app.PausedError
		if errors.As(err, &paused) {
			// An order with nothing in it is said as such: the pause need
			// not be overridden to learn that.
			if _, err := u.shop.PurchaseOrder(u.ctx, pick.Selected, u.shop.AsOfNow(), true); err != nil {
				return err
			}
			// The refusal said "or order anyway" with no way to: asked here.
			u.ask("Write an order for a paused factory?", sentence(domain.ErrorMessage(err)), "Write it anyway", "Cancel", func() {
				anyway = pick.Selected
				d.submit()
			})
			return errAsked
		}
		if err != nil {
			return err
		}
		return f.write(d, func(_ context.Context, path string, overwrite bool) error {
			return u.shop.WritePurchaseOrder(path, overwrite, po)
		}, func(path string) {
			u.inform("Purchase order saved", fmt.Sprintf("%s for %s, %s %s, in %s; order the batches once %s confirms",
				plural(len(po.Lines), "line", "lines"), po.Factory, po.Total.Format(po.Currency), po.Currency, path, po.Factory))
		})
	})
	d.show()
	return d
}
