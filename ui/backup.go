package ui

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

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
		func(path string) { u.afterForm(func() { u.showBackedUp(path) }) })
}

// showBackedUp says where the backup went and how to put the shop back
// from it, the command on a line of its own with a button to copy it: it
// ended a sentence, and its full stop was copied with it.
func (u *UI) showBackedUp(file string) {
	how, command := u.restoreNote(file)
	note := widget.NewLabel("Saved a copy of the whole shop as " + filepath.Base(file) + ". " + how)
	note.Wrapping = fyne.TextWrapWord
	cmd := copyableLabel()
	cmd.SetText(command)
	content := container.NewVBox(note, u.copyRow(cmd))
	d := dialog.NewCustom("Shop backed up", "OK", content, u.win)
	// As wide as a long command needs; wrapped text has no width of its own.
	d.Resize(fyne.NewSize(min(640, u.win.Canvas().Size().Width-40), 0))
	u.showNotice(d)
}

// restoreNote says how to put the shop back from the backup file, and the
// command that does. A shop that can only be read here cannot be restored
// where it is: its copy becomes a shop to change at a path of the maker's
// choosing.
func (u *UI) restoreNote(file string) (how, command string) {
	if u.shop.ReadOnly() != nil {
		return "To make it a shop you can change, run this in a terminal, with PATH a file in a folder you can write to:",
			"microshopctl --db PATH restore " + shellWord(file)
	}
	return "To put the shop back from it, close Microshop and run this in a terminal:", restoreCommand(u.shop.Path(), file)
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
