package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"microshop/app"
)

// entryIn is the entry of the form's field labelled label, found inside
// it when the field has a button beside it.
func entryIn(t *testing.T, f *fieldForm, label string) *fieldEntry {
	t.Helper()
	for _, part := range fieldParts(f.input(label)) {
		if e, ok := part.(*fieldEntry); ok {
			return e
		}
	}
	t.Fatalf("the form's field %q has no entry", label)
	return nil
}

// exportForm opens the bundle export form, whose bundles are the fake's
// word "bundle", with its folder and file name set; an empty name keeps
// the one offered.
func exportForm(t *testing.T, shop *app.Shop, fake *fakeSync, dir, name string) (*UI, fyne.Window, *formDialog) {
	t.Helper()
	u, w := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	f := u.syncView.doExport()
	entryIn(t, f.fieldForm, "Folder").SetText(dir)
	if name != "" {
		entryIn(t, f.fieldForm, "File name").SetText(name)
	}
	return u, w, f
}

// The export form offers a file named as the README and microshopctl
// name bundles: microshop-DATE.msb.
func TestExportBundleOffersAnMsbFile(t *testing.T) {
	shop := mustShop(t)
	fake := &fakeSync{}
	u, w := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	tapButton(t, w, "Export bundle…")
	if got := dialogText(w); !strings.Contains(got, "Export bundle") {
		t.Fatalf("Export bundle… shows %q", got)
	}
	closeDialogs(w)
	got := entryIn(t, u.syncView.doExport().fieldForm, "File name").Text
	if want := "microshop-" + shop.Now().Format("2006-01-02") + ".msb"; got != want {
		t.Fatalf("the export form offers %q, want %q", got, want)
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

// Choosing the shop's own database (or a file beside it named after it)
// is refused under the file name, and the shop is left whole: the save
// dialog this form replaces emptied the file before Microshop saw it.
func TestExportBundleRefusesTheShopsOwnFiles(t *testing.T) {
	for _, name := range []string{"shop.db", "SHOP.DB", "shop.db-wal", "shop.db.msb"} {
		t.Run(name, func(t *testing.T) {
			shop := stockedShop(t)
			fake := &fakeSync{}
			db := shop.Path()
			_, w, f := exportForm(t, shop, fake, filepath.Dir(db), name)
			before := vectorTotal(t, shop)
			submit(t, w, f)
			want := "one of this shop's own files (beside"
			if name == "shop.db" {
				want = "is this shop's own database;" // not a file beside itself
			}
			if got := fieldError(t, f.fieldForm, "File name"); !containsFold(got, want) {
				t.Errorf("under the file name the form says %q, want %q", got, want)
			}
			if !onScreen(w, f.form) {
				t.Error("the form closed on a refused name")
			}
			if calls := fake.Calls(); len(calls) != 0 {
				t.Errorf("the bundle was written anyway: %v", calls)
			}
			// Not its size: the checkpointer may grow the file meanwhile.
			if head := readFile(t, db); !strings.HasPrefix(head, "SQLite format 3\x00") {
				t.Errorf("the shop's database was written over: it begins %q", head[:min(len(head), 16)])
			}
			if got := vectorTotal(t, shop); got != before {
				t.Errorf("the shop holds %d changes, held %d", got, before)
			}
			if got := stockOf(t, shop, "MUG").OnHand; got == 0 {
				t.Error("the shop lost its stock")
			}
		})
	}
}

// An existing file is replaced only after the maker says so; cancelling
// keeps it and the form.
func TestExportBundleAsksBeforeReplacing(t *testing.T) {
	shop := stockedShop(t)
	fake := &fakeSync{}
	dir := t.TempDir()
	old := filepath.Join(dir, "old.msb")
	if err := os.WriteFile(old, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, w, f := exportForm(t, shop, fake, dir, "old.msb")
	submit(t, w, f)
	if got := dialogText(w); !strings.Contains(got, "Replace old.msb?") {
		t.Fatalf("exporting over a file asks %q, want Replace old.msb?", got)
	}
	if got := readFile(t, old); got != "precious" {
		t.Fatalf("the file holds %q before the answer", got)
	}
	tapButton(t, w, "Cancel")
	if got := readFile(t, old); got != "precious" || !onScreen(w, f.form) {
		t.Fatalf("after Cancel the file holds %q and the form is open: %v; want it kept, and the form", got, onScreen(w, f.form))
	}
	submit(t, w, f)
	tapButton(t, w, "Replace")
	if got := readFile(t, old); got != "bundle" {
		t.Errorf("after Replace the file holds %q, want the bundle", got)
	}
	if onScreen(w, f.form) {
		t.Error("the form stayed open after the bundle was written")
	}
	if got := dialogText(w); !strings.Contains(got, "Wrote 1 change to "+old) {
		t.Errorf("after exporting the window says %q", got)
	}
}

// A new file is written whole, with no temporary file left beside it.
func TestExportBundleWritesTheFile(t *testing.T) {
	shop := stockedShop(t)
	fake := &fakeSync{}
	dir := t.TempDir()
	_, w, f := exportForm(t, shop, fake, dir, "")
	submit(t, w, f)
	want := "microshop-" + shop.Now().Format("2006-01-02") + ".msb"
	if got := readFile(t, filepath.Join(dir, want)); got != "bundle" {
		t.Errorf("%s holds %q, want the bundle", want, got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want the bundle alone", len(entries))
	}
	if onScreen(w, f.form) {
		t.Error("the form stayed open after the bundle was written")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Import bundle… asks for the file in a form with a path box, as Export
// does (Fyne's open dialog alone started in the home folder, with no way
// to type where the stick is); a path that is no file is refused under
// it, and a good one is imported and says what it brought.
func TestImportBundleTakesATypedPath(t *testing.T) {
	shop := mustShop(t)
	fake := &fakeSync{}
	u, w := newTestUI(t, shop, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	f := u.syncView.doImport()
	dir := t.TempDir()
	for _, bad := range []string{"", filepath.Join(dir, "nope.msb"), dir} {
		entryIn(t, f.fieldForm, "Bundle file").SetText(bad)
		submit(t, w, f)
		if got := fieldError(t, f.fieldForm, "Bundle file"); got == "" || !onScreen(w, f.form) {
			t.Errorf("importing %q: the form says %q under the file (open %v), want a refusal", bad, got, onScreen(w, f.form))
		}
	}
	if calls := fake.Calls(); len(calls) != 0 {
		t.Fatalf("bad paths were imported: %v", calls)
	}
	good := filepath.Join(dir, "stall.msb")
	if err := os.WriteFile(good, []byte("bundle"), 0o600); err != nil {
		t.Fatal(err)
	}
	entryIn(t, f.fieldForm, "Bundle file").SetText(good)
	submit(t, w, f)
	if calls := strings.Join(fake.Calls(), ","); calls != "import" {
		t.Fatalf("calls %q, want the bundle imported", calls)
	}
	if got := dialogText(w); !strings.Contains(got, "stall.msb") {
		t.Errorf("after the import the window says %q, want what it brought from stall.msb", got)
	}
}

// A file that is no bundle of this shop is said in the import form, which
// stays open with the path typed: it closed, and the error came in a
// dialog of its own.
func TestImportBundleSaysARefusalInTheForm(t *testing.T) {
	shop := mustShop(t)
	u, w := newTestUI(t, shop, Options{Screen: "sync"})
	path := filepath.Join(t.TempDir(), "holiday.msb")
	if err := os.WriteFile(path, []byte("photos from the beach"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := u.syncView.doImport()
	entryIn(t, f.fieldForm, "Bundle file").SetText(path)
	submit(t, w, f)
	if !onScreen(w, f.form) || !f.problem.Visible() || f.problem.Text == "" {
		t.Fatalf("a file that is no bundle: form shown %v, it says %q, dialogs %q; want the refusal in the form", onScreen(w, f.form), f.problem.Text, dialogText(w))
	}
	if n := len(w.Canvas().Overlays().List()); n != 1 || entryIn(t, f.fieldForm, "Bundle file").Text != path {
		t.Fatalf("%d dialogs, the path %q; want the form alone, as typed", n, entryIn(t, f.fieldForm, "Bundle file").Text)
	}
}
