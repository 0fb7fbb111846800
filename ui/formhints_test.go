package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// A form's hint is one line that does not wrap: one longer than its field
// ran past the dialog's edge and was cut ("keep it somewhere safe, off this
// compute"). Every hint of the forms that write the shop's files fits its
// field in an 800 × 600 window.
func TestFormHintsShowWhole(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "today"})
	w.Resize(fyne.NewSize(800, 600))
	forms := map[string]func() *formDialog{
		"backup":         u.backupForm,
		"export":         u.exportForm,
		"labels":         func() *formDialog { return u.labelsForm([]string{"MUG"}) },
		"purchase order": func() *formDialog { return u.purchaseOrderForm("") },
		"import":         u.importForm,
		"kit":            func() *formDialog { return u.kitForm(nil) },
	}
	for name, open := range forms {
		f := open()
		for _, item := range f.form.Items {
			if item.HintText == "" {
				continue
			}
			room := item.Widget.Size().Width - 2*theme.InnerPadding()
			need := fyne.MeasureText(item.HintText, theme.CaptionTextSize(), fyne.TextStyle{}).Width
			if need > room {
				t.Errorf("%s form, %s: the hint %q needs %.0f px, its field has %.0f", name, item.Text, item.HintText, need, room)
			}
		}
		f.cancel()
	}
}
