package ui

import (
	"context"
	"errors"
	"testing"

	"fyne.io/fyne/v2"

	"microshop/app"
	"microshop/domain"
)

// pressEscape presses Escape as the desktop driver delivers it.
func pressEscape(w fyne.Window) { pressKey(w, fyne.KeyEscape) }

// pressKey presses a key as the desktop driver delivers it: to the
// focused widget, else to the window's canvas.
func pressKey(w fyne.Window, name fyne.KeyName) {
	k := &fyne.KeyEvent{Name: name}
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
		{"fail QA", func() { u.batches.failForm(orderedBatch(t, shop)) }},
		{"pass QA", func() { u.batches.passForm(orderedBatch(t, shop)) }},
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

// A form with something typed in it asks before Escape or Cancel throws
// that away; one left as it opened closes at once.
func TestClosingAFilledFormAsksFirst(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})

	f := u.factories.addForm()
	setInput(t, w, "Clay Works", "Kiln House")
	pressEscape(w)
	if !onScreen(w, f.form) || !containsFold(dialogText(w), "Discard what you typed?") {
		t.Fatalf("Escape in a filled form left: %q", dialogText(w))
	}
	pressEscape(w) // Escape on the question keeps editing
	if !onScreen(w, f.form) || containsFold(dialogText(w), "Discard what you typed?") || findFormEntry(t, w, "Clay Works").Text != "Kiln House" {
		t.Fatalf("Escape on the question left: %q", dialogText(w))
	}
	tapButton(t, w, "Cancel")
	tapButton(t, w, "Keep editing")
	if !onScreen(w, f.form) || findFormEntry(t, w, "Clay Works").Text != "Kiln House" {
		t.Fatalf("Keep editing left: %q", dialogText(w))
	}
	tapButton(t, w, "Cancel")
	tapButton(t, w, "Discard")
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Discard left %d dialogs: %q", n, dialogText(w))
	}

	// A choice counts as typed; putting a field back as it was does not.
	u.skus.editForm(nil)
	chooseOption(t, w, "(choose how it is made)", "microfactory")
	tapButton(t, w, "Cancel")
	if !containsFold(dialogText(w), "Discard what you typed?") {
		t.Fatalf("Cancel after a choice left: %q", dialogText(w))
	}
	tapButton(t, w, "Discard")
	u.batches.orderForm("MUG", 10)
	setInput(t, w, "units", "12")
	setInput(t, w, "units", "10")
	pressEscape(w)
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Escape on a form put back as it opened left %d dialogs: %q", n, dialogText(w))
	}
	fs := must[[]app.FactoryView](t)(shop.Factories(context.Background(), shop.AsOfNow()))
	for _, f := range fs {
		if f.Name == "Kiln House" {
			t.Fatal("discarding the factory form added the factory")
		}
	}
}

// Escape closes the sourcing dialog with the cursor in its rate or run,
// as it does with nothing focused: it stayed open, only Close closed it.
func TestEscapeInTheSourcingDialogsFieldsClosesIt(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	v := u.showSourcing("MUG")
	w.Canvas().Focus(v.run)
	typeFocused(t, w, "100")
	pressEscape(w)
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Escape in the sourcing dialog's run left %d dialogs: %q", n, dialogText(w))
	}
}

// pressEnter presses Return as the desktop driver delivers it.
func pressEnter(w fyne.Window) { pressKey(w, fyne.KeyReturn) }

// Enter closes a notice, which has only OK ("Batch ordered", an error),
// as a desktop's message boxes do: only Escape or a click had. A question
// stays until answered, so Enter never answers one unread.
func TestEnterClosesANoticeButNotAQuestion(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	u.inform("Batch ordered", "Ordered 50 of MUG from Clay Works")
	pressEnter(w)
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Enter left the notice open: %q", dialogText(w))
	}
	u.showError(errors.New("something to read"))
	pressEnter(w)
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Enter left the error open: %q", dialogText(w))
	}
	asked := false
	u.confirm("Archive MUG?", "It leaves selling.", "Archive", func() { asked = true })
	pressEnter(w)
	if n := len(w.Canvas().Overlays().List()); n != 1 || asked {
		t.Fatalf("Enter on a question: %d dialogs open, answered %v; want it open, unanswered", n, asked)
	}
}
