package ui

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

// importForm asks for an Etsy or Shopify file and how to read it, then
// shows what importing it would do (a dry run) before anything is written.
func (u *UI) importForm() *formDialog {
	d := u.importFormWith(app.ImportRequest{})
	if d != nil {
		d.show()
	}
	return d
}

// importFormWith is importForm filled in as req asks, not yet shown: the
// check goes back to it to change the choices.
func (u *UI) importFormWith(req app.ImportRequest) *formDialog {
	file := newFieldEntry()
	file.SetPlaceHolder("an Etsy or Shopify export, .csv")
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() { u.chooseFile(file) })
	format := widget.NewSelect(app.ImportFormats, nil)
	format.SetSelectedIndex(0)
	skip := widget.NewCheck("Leave out order lines whose SKU the shop lacks", nil)
	paths := make([]string, len(domain.SupplyPaths))
	for i, p := range domain.SupplyPaths {
		paths[i] = string(p)
	}
	supply := widget.NewSelect(paths, nil)
	factories, err := u.shop.Factories(u.ctx, u.shop.AsOfNow())
	if err != nil {
		u.showError(err)
		return nil
	}
	names := make([]string, len(factories))
	for i, f := range factories {
		names[i] = f.Name
	}
	factory := widget.NewSelect(names, nil)
	update := widget.NewCheck("Also update names and prices of SKUs the shop has", nil)
	file.SetText(req.Path)
	if req.Format != "" {
		format.SetSelected(req.Format)
	}
	skip.SetChecked(req.SkipUnknown)
	supply.SetSelected(string(req.SupplyPath))
	factory.SetSelected(req.Factory)
	update.SetChecked(req.Update)
	var d *formDialog
	d = u.newFormDialog("Import a file", "Check", []*widget.FormItem{
		{Text: "File", Widget: container.NewBorder(nil, nil, nil, choose, file)},
		{Text: "Format", Widget: format, HintText: "auto tells Etsy's and Shopify's files by their header"},
		widget.NewFormItem("", skip),
		{Text: "Supply path", Widget: supply, HintText: "for the SKUs a listings or products file adds"},
		{Text: "Factory", Widget: factory, HintText: "their factory"},
		widget.NewFormItem("", update),
	}, func() error {
		req := app.ImportRequest{Path: strings.TrimSpace(file.Text), Format: format.Selected, SkipUnknown: skip.Checked,
			SupplyPath: domain.SupplyPath(supply.Selected), Factory: factory.Selected, Update: update.Checked}
		if req.Path == "" {
			return fieldErrors{file: domain.Errorf(domain.EInvalid, "no file is given; choose the export to import")}
		}
		if fi, err := os.Stat(req.Path); err != nil || fi.IsDir() {
			return fieldErrors{file: domain.Errorf(domain.ENotFound, "there is no file %s; choose the export to import", req.Path)}
		}
		u.checkImport(req, d)
		return errAsked
	})
	return d
}

// checkImport reads the file as req asks, writing nothing, and shows what
// importing it would do. Asked from form, it closes the form once the file
// is read; a file that cannot be read at all (no export Microshop knows,
// not a CSV) is said in the form, which stays as filled in.
func (u *UI) checkImport(req app.ImportRequest, form *formDialog) {
	req.DryRun = true
	u.withProgress("Reading "+req.Path+"…", func(ctx context.Context) (func(), error) {
		res, err := u.shop.Import(ctx, req)
		if err != nil && len(res.Errors) == 0 {
			if form == nil {
				return nil, err
			}
			return func() { form.report(err) }, nil
		}
		return func() {
			if form != nil {
				form.dialog.Hide()
			}
			u.showImportCheck(req, res, err)
		}, nil
	})
}

// maxMapped bounds the rows the map form shows at once; checking the file
// again with those mapped brings up the rest.
const maxMapped = 40

// mapForm asks for the shop's code of each SKU (or item name) the file's
// refused lines name, and checks the file again with them mapped, as
// `import --map` does. A row left empty stays unmapped.
func (u *UI) mapForm(req app.ImportRequest, unmapped []string) *formDialog {
	shown := unmapped[:min(len(unmapped), maxMapped)]
	entries := make([]*fieldEntry, len(shown))
	items := make([]*widget.FormItem, len(shown))
	for i, theirs := range shown {
		entries[i] = newFieldEntry()
		entries[i].SetPlaceHolder("the shop's code")
		items[i] = widget.NewFormItem(shortLabel(theirs), entries[i])
	}
	if len(unmapped) > len(shown) {
		items[len(items)-1].HintText = fmt.Sprintf("%d more after these; check again to map them", len(unmapped)-len(shown))
	}
	var d *formDialog
	d = u.newFormDialog("Map the file's SKUs to the shop's", "Check again", items, func() error {
		m := maps.Clone(req.Map)
		if m == nil {
			m = map[string]string{}
		}
		bad := fieldErrors{}
		for i, theirs := range shown {
			code := strings.TrimSpace(entries[i].Text)
			if code == "" {
				continue
			}
			if k, err := u.shop.SKU(u.ctx, code); err != nil {
				bad.add(entries[i], err)
			} else if k.Archived {
				bad.add(entries[i], domain.Errorf(domain.EConflict, "%s is archived and no longer sold; unarchive it, or give another code", k.Code))
			}
			m[theirs] = code
		}
		if err := bad.orNil(); err != nil {
			return err
		}
		if len(m) == len(req.Map) {
			return fieldErrors{entries[0]: domain.Errorf(domain.EInvalid, "no code is given; give the shop's code for at least one of them")}
		}
		req.Map = m
		u.checkImport(req, d)
		return errAsked
	})
	return d
}

// shortLabel is s cut to a form label's width, with "…" where it is cut.
func shortLabel(s string) string {
	const keep = 32
	if utf8.RuneCountInString(s) <= keep {
		return s
	}
	return string([]rune(s)[:keep-1]) + "…"
}

// importCheck is what a dry run found, with the button that imports.
type importCheck struct {
	dialog    dialog.Dialog
	text      *widget.Label
	oversold  *fyne.Container // the SKUs the file would take below zero: a line each, the first maxShownOversold
	errors    *fyne.Container // a wrapped line for each refused row, the first maxShownErrors
	importBtn *widget.Button
}

// maxShownErrors bounds the refused rows the check lists: a file of
// another export refuses every row, and a line each of thousands would
// take long to lay out and say nothing more.
const maxShownErrors = 200

// maxShownOversold bounds the SKUs the check names as going below zero,
// in a list that scrolls: a file that oversells hundreds says how many
// more. Three, then "and 7 more", left a maker no way to see which.
const maxShownOversold = 100

// showImportCheck shows a dry run's summary and every bad row; Import
// writes only when no row is bad.
func (u *UI) showImportCheck(req app.ImportRequest, res app.ImportResult, err error) *importCheck {
	c := &importCheck{text: widget.NewLabel(importSummary(res, true))}
	c.text.Wrapping = fyne.TextWrapWord
	bad := res.Errors
	// Each reason wraps: cut at the dialog's width, the end that says
	// what is accepted was lost.
	c.errors = container.NewVBox()
	for _, e := range bad[:min(len(bad), maxShownErrors)] {
		l := widget.NewLabel(e.String())
		l.Wrapping = fyne.TextWrapWord
		c.errors.Add(l)
	}
	if len(bad) > maxShownErrors {
		c.errors.Add(widget.NewLabel(fmt.Sprintf("and %d more", len(bad)-maxShownErrors)))
	}
	c.oversold = oversoldLines(res)
	if err != nil {
		advice := "Fix the file and check it again"
		if len(res.Unmapped) > 0 {
			advice = "Fix the file, map its SKUs to the shop's, or leave out lines whose SKU the shop lacks, and check it again"
		}
		c.text.SetText(fmt.Sprintf("%s cannot be imported as it is: %s refused, listed below. %s; nothing was written.",
			filepath.Base(req.Path), plural(len(bad), "row is", "rows are"), advice))
	}
	c.importBtn = widget.NewButtonWithIcon("Import", theme.ConfirmIcon(), func() {
		c.dialog.Hide()
		req.DryRun = false
		u.withProgress("Importing "+req.Path+"…", func(ctx context.Context) (func(), error) {
			res, err := u.shop.Import(ctx, req)
			return func() {
				u.inform("Imported", channelImportedText(res))
				u.changed()
			}, err
		})
	})
	c.importBtn.Importance = widget.HighImportance
	if err != nil || len(bad) > 0 {
		c.importBtn.Disable()
	}
	// What to do about the refused rows goes on a row of its own; Close
	// and Import end the dialog at the bottom right, as a form's Cancel
	// and its action do. Import sat alone on the left, Close on a row of
	// its own below it.
	remedies := u.importRemedies(c, req, res, err)
	closeBtn := widget.NewButtonWithIcon("Close", theme.CancelIcon(), func() { c.dialog.Hide() })
	buttons := container.NewVBox(remedies, container.NewHBox(layout.NewSpacer(), closeBtn, c.importBtn))
	// Below the summary, scrolled with the refused rows if the dialog is
	// short: a check finds either rows to refuse or SKUs to oversell.
	content := container.NewBorder(c.text, buttons, nil, nil, container.NewVScroll(container.NewVBox(c.oversold, c.errors)))
	c.dialog = dialog.NewCustomWithoutButtons("Before importing", content, u.win)
	c.dialog.Resize(fyne.NewSize(min(640, u.win.Canvas().Size().Width-40), min(420, u.win.Canvas().Size().Height-40)))
	u.showDialog(c.dialog)
	return c
}

// importRemedies are the check's buttons that do something about what it
// found, hidden when there are none. A choice made here keeps the others
// offered: lines left out can still be mapped, and the choices changed
// back. They went with the refusal: after Leave them out, only Close was
// left, throwing the choices away.
func (u *UI) importRemedies(c *importCheck, req app.ImportRequest, res app.ImportResult, err error) *fyne.Container {
	remedies := container.NewHBox()
	if err != nil || len(res.Errors) > 0 || len(res.LeftOut) > 0 || len(req.Map) > 0 {
		// Closing it had thrown the choices away with the form.
		remedies.Add(widget.NewButton("Change the choices…", func() {
			changed := req
			changed.Map = nil
			c.openForm(u.importFormWith(changed))
		}))
	}
	unknown := res.Unmapped
	if len(unknown) == 0 {
		unknown = res.LeftOut
	}
	if len(unknown) > 0 {
		remedies.Add(widget.NewButton("Map SKUs…", func() { c.openForm(u.mapForm(req, unknown)) }))
	}
	if len(res.Unmapped) > 0 {
		remedies.Add(widget.NewButton("Leave them out", func() {
			c.dialog.Hide()
			skip := req
			skip.SkipUnknown = true
			u.checkImport(skip, nil)
		}))
	}
	if len(remedies.Objects) == 0 {
		remedies.Hide()
	}
	return remedies
}

// openForm shows form in the check's place. Cancelled, it brings the
// check back as it was, same file, choices and result: it had left the
// bare window, and the file to be chosen again. Submitted, the form's new
// check takes this one's place.
func (c *importCheck) openForm(form *formDialog) {
	if form == nil {
		return // the form could not be filled in; its error is shown
	}
	c.dialog.Hide()
	form.back = func() { form.u.showDialog(c.dialog) }
	form.show()
}

// oversoldLines warns, before anything is written, of the SKUs a dry run
// finds the file would take below zero, and of those it sells in open
// orders dated before their stocktake: a wrapped line each, a few of
// them, then how many more. Import stays on: the channel sold them.
func oversoldLines(res app.ImportResult) *fyne.Container {
	box := container.NewVBox()
	// The SKUs in one label, a line each: a label each spaced them so
	// that the last went below the dialog's fold.
	for _, text := range []string{res.OversoldNote(), strings.Join(res.OversoldLines(maxShownOversold), "\n"),
		res.CountedOpenNote(), strings.Join(countedOpenLines(res), "\n")} {
		if text == "" {
			continue
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		box.Add(l)
	}
	if len(box.Objects) == 0 {
		box.Hide()
	}
	return box
}

// countedOpenLines name the SKUs the file sells in open orders dated
// before their stocktake, a few of them, then how many more.
func countedOpenLines(res app.ImportResult) []string {
	counted := make([]string, 0, len(res.CountedOpen))
	for _, c := range res.CountedOpen[:min(len(res.CountedOpen), maxShownOversold)] {
		counted = append(counted, c.String())
	}
	if n := len(res.CountedOpen) - maxShownOversold; n > 0 {
		counted = append(counted, fmt.Sprintf("and %s more", plural(n, "SKU", "SKUs")))
	}
	return counted
}

// channelImportedText says what an import did, and, as its check said before,
// which SKUs to count again for open orders dated before their stocktake:
// the check's warning is gone once the import is done.
func channelImportedText(res app.ImportResult) string {
	text := importSummary(res, false)
	if note := res.CountedOpenNote(); note != "" {
		text += "\n\n" + note + "\n" + strings.Join(countedOpenLines(res), "\n")
	}
	return text
}

// importSummary says what an import did, or a dry run would do.
func importSummary(res app.ImportResult, dry bool) string {
	sales := plural(res.Sales, "sale", "sales")
	if dated := res.SalesDated(); dated != "" {
		sales += " " + dated
	}
	what := fmt.Sprintf("%s, %s shipped, %s added, %d updated; %s already there, %s",
		sales, plural(res.Shipped, "order", "orders"), plural(res.SKUsAdded, "SKU", "SKUs"),
		res.SKUsUpdated, plural(res.Duplicates, "line", "lines"), res.SkippedFigure())
	if res.OfListings() {
		// A listings file records no sale, ships no order and skips no
		// cancelled line: "0 sales, 0 orders shipped" of it puzzled.
		what = fmt.Sprintf("%s added, %d updated, %d already there as the file has them",
			plural(res.SKUsAdded, "SKU", "SKUs"), res.SKUsUpdated, res.Duplicates)
	}
	for _, note := range []string{res.LeftOutNote(), res.WithdrawnNote(), res.EditedNote(), res.PartlyRefundedNote(), res.ShippingUnknownNote(), res.DiscountsNote(), res.UncountedNote(), res.WithoutSKUNote(), res.UnnamedVariantsNote(), res.DifferingNote()} {
		if note != "" {
			what += ". " + strings.TrimSuffix(note, ".")
		}
	}
	rows := plural(res.Rows, "row", "rows") + " of " + app.FormatText(res.Format)
	if !dry {
		return fmt.Sprintf("%s: %s.", rows, what)
	}
	s := fmt.Sprintf("%s. Importing it would record: %s.", rows, what)
	if len(res.Errors) == 0 {
		s += " Nothing is written until you press Import."
	}
	return s
}

// chooseFile fills entry with a file picked in Fyne's open dialog, which
// only reads.
func (u *UI) chooseFile(entry *fieldEntry) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r != nil {
			entry.SetText(r.URI().Path())
			r.Close()
		}
	}, u.win)
	u.showDialog(d)
}

// withProgress runs fn in the background behind a dialog that says what
// is under way, and closes it when fn is done.
func (u *UI) withProgress(title string, fn func(ctx context.Context) (func(), error)) {
	bar := widget.NewProgressBarInfinite()
	d := dialog.NewCustomWithoutButtons(title, container.NewPadded(bar), u.win)
	d.Resize(fyne.NewSize(min(420, u.win.Canvas().Size().Width-40), d.MinSize().Height))
	u.showDialog(d)
	u.act(func(ctx context.Context) (func(), error) {
		apply, err := fn(ctx)
		return func() {
			d.Hide()
			bar.Stop()
			if err != nil {
				u.showError(err)
				return
			}
			if apply != nil {
				apply()
			}
		}, nil
	})
}
