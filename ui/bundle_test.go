package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
)

// The export dialog offers a file named as the README and microshopctl
// name bundles: microshop-DATE.msb.
func TestExportBundleOffersAnMsbFile(t *testing.T) {
	shop := mustShop(t)
	fake := &fakeSync{}
	_, w := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	tapButton(t, w, "Export bundle…")
	var name string
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, func(o fyne.CanvasObject) bool {
			if e, ok := o.(*widget.Entry); ok && strings.HasPrefix(e.Text, "microshop-") {
				name = e.Text
			}
			return true
		})
	}
	if want := "microshop-" + shop.Now().Format("2006-01-02") + ".msb"; name != want {
		t.Fatalf("the export dialog offers %q, want %q", name, want)
	}
}
