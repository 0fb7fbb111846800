package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
)

// A shop on a write-protected stick opens in the window with every screen
// showing what a writable one does, and a line above them saying it can
// only be read, why, and how to get a copy to change; the title says
// read-only. A change is refused where the screen says any refusal: a sale
// on the till's line, a new SKU under its form, an archive in a dialog.
// Nothing is written.
func TestAWriteProtectedShopShowsItsScreensAndRefusesChanges(t *testing.T) {
	shop := stockedShop(t)
	path := shop.Path()
	want := stockOf(t, shop, "MUG")
	shop.Close()
	before := apptest.WriteProtect(t, path)
	ro, err := app.Open(path, app.Options{Now: func() time.Time { return testNow }, Location: time.UTC})
	if err != nil {
		t.Fatalf("open the write-protected shop: %v", err)
	}
	u, w := newTestUI(t, ro, Options{Screen: "sell"})

	if got := w.Title(); got != "Microshop — Fern & Kiln (read-only)" {
		t.Errorf("title %q, want it to say read-only", got)
	}
	if shown := texts(w.Canvas().Content()); !strings.Contains(shown, "Read-only: this shop can only be read here") {
		t.Errorf("the window does not say the shop is read-only; it shows:\n%s", shown)
	}
	tapButton(t, w, "Why…")
	why := dialogText(w)
	for _, say := range []string{"The shop at " + path + " can only be read here", "its file's permissions", "copy it to a folder you can write to", "Shop → Back up…"} {
		if !strings.Contains(why, say) {
			t.Errorf("Why… does not say %q; it shows:\n%s", say, why)
		}
	}
	tapButton(t, w, "OK")
	if u.status.trouble.Visible() {
		t.Errorf("opening the shop put a problem on the status line: %q", u.status.trouble.Text)
	}
	if got := shownAvailable(t, findTile(t, w, "MUG")); got != "42" || want.Available != 42 {
		t.Errorf("the MUG tile shows %s available, want the 42 the writable shop had (%d)", got, want.Available)
	}

	test.Tap(findTile(t, w, "MUG"))
	if got := u.sell.feedback.Text; !strings.Contains(got, "can only be read here") {
		t.Errorf("a tap on MUG says %q, want the refusal", got)
	}
	if got := shownAvailable(t, findTile(t, w, "MUG")); got != "42" {
		t.Errorf("after the refused sale the MUG tile shows %s, want 42", got)
	}

	u.showScreen(u.skus)
	f := u.skus.editForm(nil)
	f.path.SetSelected("digital")
	f.code.SetText("CARD")
	f.name.SetText("Fern card")
	tapButton(t, w, "Add SKU")
	if got := dialogText(w); !strings.Contains(got, "can only be read here") {
		t.Errorf("adding a SKU shows\n%s\nwant the refusal under the form", got)
	}
	f.dialog.Hide()

	mug := must[domain.SKU](t)(ro.SKU(context.Background(), "MUG"))
	u.skus.archive(mug)
	tapButton(t, w, "Yes")
	if got := dialogText(w); !strings.Contains(got, "can only be read here") {
		t.Errorf("archiving MUG shows\n%s\nwant the refusal in a dialog", got)
	}

	u.showScreen(u.today)
	if shown := texts(w.Canvas().Content()); !strings.Contains(shown, "CANDLE") {
		t.Errorf("Today does not list the candle that ran out:\n%s", shown)
	}
	u.Close()
	ro.Close()
	before.Unchanged(t, filepath.Dir(path))
}

// A shop that can be written has no such line, and its usual title.
func TestAWritableShopSaysNothingOfReadOnly(t *testing.T) {
	_, w := newTestUI(t, stockedShop(t), Options{})
	if got := w.Title(); got != "Microshop — Fern & Kiln" {
		t.Errorf("title %q", got)
	}
	if shown := texts(w.Canvas().Content()); strings.Contains(shown, "Read-only") {
		t.Errorf("a writable shop shows:\n%s", shown)
	}
}
