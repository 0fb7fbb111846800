package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
)

// The desktop backs the shop up to a file that restores as the whole
// shop: backups were the command line's alone, and a maker using the
// desktop only had no way to keep a copy.
func TestTheDesktopBacksTheShopUp(t *testing.T) {
	ctx := context.Background()
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "today"})
	dir := backUp(t, u, w)
	if got := dialogText(w); !strings.Contains(got, "shop.backup") || !strings.Contains(got, "restore") {
		t.Errorf("after the backup the dialog says %q, want the file and how to restore it", got)
	}
	// The restore it gives puts the shop back where it is: without --db,
	// a shop opened from a path of its own went to the default shop's.
	if got, want := dialogText(w), "microshopctl --db "+shop.Path()+" restore "+filepath.Join(dir, "shop.backup"); !strings.Contains(got, want) {
		t.Errorf("after the backup the dialog says %q, want the restore %q", got, want)
	}
	path := filepath.Join(dir, "shop.backup")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no backup written: %v", err)
	}
	restored := filepath.Join(t.TempDir(), "restored.db")
	if _, err := app.Restore(ctx, path, restored, app.Options{}); err != nil {
		t.Fatalf("the backup does not restore: %v", err)
	}
	r, err := app.Open(restored, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, want := stockOf(t, r, "MUG").Available, stockOf(t, shop, "MUG").Available; got != want {
		t.Errorf("the restored shop has %d MUG available, the shop %d", got, want)
	}
}

// A shop that can only be read here backs up, and the note says how to
// make the copy a shop to change, at a path of the maker's choosing:
// restored where it is, the shop that cannot be written, the restore
// could only fail.
func TestABackupOfAReadOnlyShopSaysWhereToRestoreIt(t *testing.T) {
	shop := stockedShop(t)
	path := shop.Path()
	shop.Close()
	ro, err := app.Open(path, app.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, ro, Options{Screen: "today"})
	dir := backUp(t, u, w)
	got := dialogText(w)
	if want := "microshopctl --db PATH restore " + filepath.Join(dir, "shop.backup"); !strings.Contains(got, want) || strings.Contains(got, "--db "+path) {
		t.Errorf("after the backup the dialog says %q, want the restore %q to a path of one's choosing", got, want)
	}
}

// The restore command stands on a line of its own, as a maker copies it:
// it ended the note's sentence, and its full stop went into the terminal
// with it.
func TestTheRestoreCommandStandsAlone(t *testing.T) {
	shop := stockedShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "today"})
	dir := backUp(t, u, w)
	want := "microshopctl --db " + shop.Path() + " restore " + filepath.Join(dir, "shop.backup")
	found := false
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && l.Text == want {
				found = true
			}
			return true
		})
	}
	if !found {
		t.Errorf("after the backup the dialog says %q, want %q on a line of its own", dialogText(w), want)
	}
}

// backUp backs the shop up with Back up… as "shop.backup" in a folder of
// its own, which it returns.
func backUp(t *testing.T, u *UI, w fyne.Window) string {
	t.Helper()
	dir := t.TempDir()
	f := u.backupForm()
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	entryIn(t, f.fieldForm, "File name").SetText("shop.backup")
	submit(t, w, f)
	return dir
}
