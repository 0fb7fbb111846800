package ui

import (
	"context"
	"path/filepath"
	"time"
)

// backupForm writes a copy of the whole shop to a file, while the app has
// it open: a disk can die on the day of a fair, and backups were the
// command line's alone. Putting a shop back needs the shop closed, so the
// saved note says how.
func (u *UI) backupForm() *formDialog {
	return u.saveForm("Back up the shop", "Back up",
		"shop-"+u.shop.Now().Format(time.DateOnly)+".backup", "the whole shop: keep it somewhere safe, off this computer",
		func(ctx context.Context, path string, overwrite bool) error {
			return u.shop.Backup(ctx, path, overwrite)
		},
		func(path string) {
			u.inform("Shop backed up", "Saved a copy of the whole shop as "+filepath.Base(path)+
				". To put the shop back from it, close Microshop and run: microshopctl restore "+path)
		})
}
