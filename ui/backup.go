package ui

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"microshop/app"
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
			u.inform("Shop backed up", "Saved a copy of the whole shop as "+filepath.Base(path)+". "+u.restoreNote(path))
		})
}

// restoreNote says how to put the shop back from the backup file. A shop
// that can only be read here cannot be restored where it is: its copy
// becomes a shop to change at a path of the maker's choosing.
func (u *UI) restoreNote(file string) string {
	if u.shop.ReadOnly() != nil {
		return "To make it a shop you can change, run: microshopctl --db PATH restore " + shellWord(file) +
			", with PATH a file in a folder you can write to"
	}
	return "To put the shop back from it, close Microshop and run: " + restoreCommand(u.shop.Path(), file)
}

// restoreCommand is the command that puts the shop at shopPath back from
// the backup file. It names the shop unless it is the default one: run
// without --db, a shop opened from a path of its own was restored to the
// default shop's place, beside it.
func restoreCommand(shopPath, file string) string {
	cmd := "microshopctl "
	if def, err := app.DefaultPath(); err != nil || def != shopPath {
		cmd += "--db " + shellWord(shopPath) + " "
	}
	return cmd + "restore " + shellWord(file)
}

// shellWord is s as one word of a shell command, quoted when it holds a
// space or a character the shell reads.
func shellWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"`$\\&|;<>()*?[]#~!{}") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
