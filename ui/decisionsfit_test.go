package ui

import (
	"testing"
)

// The decision dialogs fit an 800×600 window: none needs more room than
// the window has, so none pushes its buttons off the screen.
func TestDecisionDialogsFitASmallWindow(t *testing.T) {
	cases := []struct {
		name string
		open func(u *UI)
	}{
		{"margins", func(u *UI) { u.showMargins() }},
		{"kits", func(u *UI) { u.showKits() }},
		{"new kit", func(u *UI) { u.kitForm(nil) }},
		{"sourcing", func(u *UI) { u.showSourcing("MUG") }},
		{"quote", func(u *UI) { u.factoryQuoteForm("Clay Works") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, w := newTestUI(t, stockedShop(t), Options{})
			w.Resize(smallWindow)
			c.open(u)
			top := w.Canvas().Overlays().Top()
			if top == nil {
				t.Fatal("no dialog opened")
			}
			if got := top.MinSize(); got.Width > smallWindow.Width || got.Height > smallWindow.Height {
				t.Errorf("the %s dialog needs %v, more than a %v window", c.name, got, smallWindow)
			}
		})
	}
}
