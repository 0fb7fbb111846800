package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"microshop/app"
	"microshop/domain"
)

// A shop file that is there but could not be opened is said so in place of
// Welcome, with what to do and Try again, and no Create, Join or demo: the
// Welcome screen offered them under the error, and Create then said
// "cannot open … for writing; check the file's permissions".
func TestAShopThatCannotBeOpenedIsNotOfferedToBeCreated(t *testing.T) {
	path := mustShop(t).Path()
	openErr := domain.Errorf(domain.EReadOnly, "the shop at %s has its latest changes still in shop.db-wal, which can be read only where its folder can be written to", path)
	tries := 0
	u, w := newTestUI(t, nil, Options{Path: path, OpenErr: openErr, Open: func(p string) (*app.Shop, error) {
		if tries++; tries == 1 {
			return nil, domain.Errorf(domain.EUnavailable, "the shop at %s is busy in another program; try again in a moment", p)
		}
		return app.Open(p, app.Options{})
	}})
	page := texts(w.Canvas().Content())
	for _, want := range []string{"The shop could not be opened", "latest changes still in shop.db-wal", "The file at " + path + " is left as it is, and no new shop is made over it", "Try again"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not say %q:\n%s", want, page)
		}
	}
	for _, offer := range []string{"Create shop", "Join shop", "Open demo shop"} {
		if strings.Contains(page, offer) {
			t.Errorf("the page offers %q over the shop there:\n%s", offer, page)
		}
	}
	if got := dialogText(w); got != "" {
		t.Errorf("a dialog over the page: %q", got)
	}
	tapButton(t, w, "Try again")
	if page := texts(w.Canvas().Content()); u.Shop() != nil || !strings.Contains(page, "busy in another program") {
		t.Fatalf("a second failure: shop %v, the page says:\n%s\nwant the new reason", u.Shop(), page)
	}
	tapButton(t, w, "Try again")
	if u.Shop() == nil {
		t.Fatalf("Try again once the shop opens: no shop; the page says:\n%s", texts(w.Canvas().Content()))
	}
	t.Cleanup(func() { u.Shop().Close() })
}

// With no file at the path, an open error is said over Welcome, where
// creating a shop is what a maker can do.
func TestAnOpenErrorWithNoFileIsSaidOverWelcome(t *testing.T) {
	path := t.TempDir() + "/shop.db"
	u, w := newTestUI(t, nil, Options{Path: path, OpenErr: domain.Errorf(domain.ENotFound, "there is no shop at %s", path)})
	if u.first == nil || !strings.Contains(texts(w.Canvas().Content()), "Create shop") || !strings.Contains(dialogText(w), "There is no shop at") {
		t.Errorf("Welcome %v, dialogs %q; want Welcome with the error over it", u.first != nil, dialogText(w))
	}
}

// The page's hint fits why the shop could not be opened: a damaged file
// (not a database, or corrupt) is put back from a backup, a permission
// problem is settled in the file's or folder's permissions. It said
// "often the permissions of the file or its folder" of a damaged file too.
func TestTheCannotOpenHintFitsTheCause(t *testing.T) {
	damaged := filepath.Join(t.TempDir(), "shop.db")
	if err := os.WriteFile(damaged, []byte(strings.Repeat("not a shop, just bytes\n", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, damagedErr := app.Open(damaged, app.Options{})
	if damagedErr == nil {
		t.Fatal("a file of text opened as a shop")
	}
	perms := mustShop(t).Path()
	permsErr := domain.Errorf(domain.EReadOnly, "the shop at %s has its latest changes still in shop.db-wal, which can be read only where its folder can be written to", perms)
	for _, tc := range []struct {
		name, path string
		err        error
		want, not  string
	}{
		{"a damaged file", damaged, damagedErr, "put the shop back from a backup", "permissions"},
		{"a permission problem", perms, permsErr, "the permissions of the file or its folder", "backup"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, w := newTestUI(t, nil, Options{Path: tc.path, OpenErr: tc.err})
			page := texts(w.Canvas().Content())
			if !strings.Contains(page, tc.want) || strings.Contains(page, tc.not) {
				t.Errorf("for %s the page says:\n%s\nwant %q and nothing of %q", tc.name, page, tc.want, tc.not)
			}
		})
	}
}
