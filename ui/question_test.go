package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"microshop/domain"
)

// A question answers to the keys: Enter with no answer focused does
// nothing, Tab puts the focus on the safe answer first and then the other,
// and Enter takes the answer with the focus. Enter did nothing on a
// focused answer, so only the mouse or Space answered.
func TestQuestionAnswersToTabAndEnter(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{})
	mug := must[domain.SKU](t)(shop.SKU(context.Background(), "MUG"))
	f := u.skus.countForm(mug)
	typeFocused(t, w, "7")

	pressEscape(w)
	if !containsFold(dialogText(w), "Discard what you typed?") {
		t.Fatalf("Escape in a typed-in form asked %q", dialogText(w))
	}
	pressKey(w, fyne.KeyReturn)
	if !containsFold(dialogText(w), "Discard what you typed?") {
		t.Fatal("Enter with no answer focused answered the question unread")
	}
	w.Canvas().FocusNext()
	if got := focusName(w.Canvas().Focused()); got != "Keep editing" {
		t.Fatalf("Tab in the question focused %q, want Keep editing", got)
	}
	pressKey(w, fyne.KeyReturn)
	if containsFold(dialogText(w), "Discard what you typed?") || !onScreen(w, f.form) {
		t.Fatalf("Enter on Keep editing left: %q", dialogText(w))
	}

	pressEscape(w)
	w.Canvas().FocusNext()
	w.Canvas().FocusNext()
	if got := focusName(w.Canvas().Focused()); got != "Discard" {
		t.Fatalf("Tab twice in the question focused %q, want Discard", got)
	}
	pressKey(w, fyne.KeyEnter)
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Enter on Discard left %d dialogs: %q", n, dialogText(w))
	}
}

// Escape answers no with an answer focused, as with none: a focused
// button swallowed it, and the question stayed open.
func TestEscapeClosesAQuestionFromAFocusedAnswer(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	b := orderedBatch(t, shop)
	u.batches.confirmCancel(b)
	w.Canvas().FocusNext()
	w.Canvas().FocusNext()
	if got := focusName(w.Canvas().Focused()); got != "Cancel batch" {
		t.Fatalf("Tab twice focused %q, want Cancel batch", got)
	}
	pressEscape(w)
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Escape on a focused answer left %d dialogs: %q", n, dialogText(w))
	}
	got := must[domain.Batch](t)(shop.Batch(context.Background(), b.ID))
	if got.OnOrder() != b.OnOrder() {
		t.Fatalf("Escape cancelled the batch: %d on order, was %d", got.OnOrder(), b.OnOrder())
	}
}
