package ui

import (
	"context"
	"errors"
	"testing"

	"fyne.io/fyne/v2"

	"microshop/domain"
)

// pressEscape presses Escape as the desktop driver delivers it: to the
// focused widget, else to the window's canvas.
func pressEscape(w fyne.Window) {
	k := &fyne.KeyEvent{Name: fyne.KeyEscape}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(k)
		return
	}
	if h := w.Canvas().OnTypedKey(); h != nil {
		h(k)
	}
}

// Escape closes the dialog on top, whether the cursor is in a form's
// field or nothing has the focus, and only that one.
func TestEscapeClosesTheDialogOnTop(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	mug := must[domain.SKU](t)(shop.SKU(context.Background(), "MUG"))

	f := u.skus.countForm(mug)
	if _, ok := w.Canvas().Focused().(*fieldEntry); !ok {
		t.Fatalf("the count form opens with %T focused, want its entry", w.Canvas().Focused())
	}
	u.showError(errors.New("something to read"))
	pressEscape(w)
	if !onScreen(w, f.form) || dialogText(w) == "" || containsFold(dialogText(w), "something to read") {
		t.Fatalf("Escape over an error on a form left: %q", dialogText(w))
	}
	pressEscape(w)
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Escape in the form's field left %d dialogs: %q", n, dialogText(w))
	}

	for _, c := range []struct {
		name string
		open func()
	}{
		{"new SKU", func() { u.skus.editForm(nil) }},
		{"add factory", func() { u.factories.addForm() }},
		{"order", func() { u.batches.orderForm("MUG", 10) }},
		{"adjust", func() { u.skus.adjustForm(mug) }},
		{"fail QA, a note of many lines", func() { u.batches.failForm(orderedBatch(t, shop)) }},
		{"bundle export", func() { u.syncView.doExport() }},
		{"archive, a question", func() { u.skus.archive(mug) }},
		{"resume, a question", func() { u.factories.confirmResume("Clay Works") }},
		{"information", func() { u.inform("Batch ordered", "ordered 10") }},
		{"keyboard shortcuts", u.showKeys},
		{"about", u.showAbout},
	} {
		c.open()
		if len(w.Canvas().Overlays().List()) == 0 {
			t.Fatalf("%s opened no dialog", c.name)
		}
		pressEscape(w)
		if n := len(w.Canvas().Overlays().List()); n != 0 {
			t.Errorf("%s: Escape left %d dialogs: %q", c.name, n, dialogText(w))
			closeDialogs(w)
		}
	}
	if k := must[domain.SKU](t)(shop.SKU(context.Background(), "MUG")); k.Archived {
		t.Error("Escape on the archive question archived the SKU")
	}
	pressEscape(w) // with nothing open, nothing happens
}
