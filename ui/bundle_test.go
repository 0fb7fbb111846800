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

// "applied 1 new changes" was what importing one change said.
func TestImportedTextCountsChanges(t *testing.T) {
	for n, want := range map[int]string{
		0: "applied 0 new changes from a.msb",
		1: "applied 1 new change from a.msb",
		2: "applied 2 new changes from a.msb",
	} {
		if got := importedText(n, "a.msb"); got != want {
			t.Errorf("importedText(%d) = %q, want %q", n, got, want)
		}
	}
}
