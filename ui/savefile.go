package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/domain"
)

// saveFile is what a form that writes a file asks for: the folder and the
// file's name. It does not use Fyne's save dialog: that dialog opens, and
// so empties, the file chosen before Microshop sees its name, and choosing
// the shop's database there would wipe the shop. Here the shop writes the
// file itself, whole or not at all, refusing its own files, and asks
// before it replaces another.
type saveFile struct {
	u      *UI
	folder *fieldEntry
	name   *fieldEntry
	items  []*widget.FormItem
}

func (u *UI) newSaveFile(name, hint string) *saveFile {
	f := &saveFile{u: u, folder: newFieldEntry(), name: newFieldEntry()}
	f.folder.SetText(u.saveDir())
	f.folder.SetPlaceHolder("the folder to write the file in")
	f.name.SetText(name)
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() { u.chooseFolder(f.folder) })
	f.items = []*widget.FormItem{
		{Text: "Folder", Widget: container.NewBorder(nil, nil, nil, choose, f.folder)},
		{Text: "File name", Widget: f.name, HintText: hint},
	}
	return f
}

// check checks the folder and name, each under its field.
func (f *saveFile) check(bad fieldErrors) {
	bad.add(f.folder, checkFolder(strings.TrimSpace(f.folder.Text)))
	bad.add(f.name, checkFileName(strings.TrimSpace(f.name.Text)))
}

func (f *saveFile) path() string {
	return filepath.Join(strings.TrimSpace(f.folder.Text), strings.TrimSpace(f.name.Text))
}

// write writes the file with write(path, overwrite) in the background,
// asking first when it exists; done runs once it is written. It returns
// what the form's submit returns.
func (f *saveFile) write(d *formDialog, write func(ctx context.Context, path string, overwrite bool) error, done func(path string)) error {
	path := f.path()
	// The shop refuses its own files before anything else: said under the
	// name, with the form still open.
	if err := f.u.shop.CheckOutput(path); err != nil {
		return fieldErrors{f.name: err}
	}
	run := func(overwrite bool) {
		f.u.act(func(ctx context.Context) (func(), error) {
			err := write(ctx, path, overwrite)
			return func() {
				f.u.lastDir = filepath.Dir(path)
				done(path)
			}, err
		})
	}
	if _, err := os.Stat(path); err == nil {
		file := filepath.Base(path)
		f.u.confirm("Replace "+file+"?", sentence(fmt.Sprintf("the file %s exists already in %s; replacing it loses what it holds", file, filepath.Dir(path))), "Replace", func() {
			d.dialog.Hide()
			run(true)
		})
		return errAsked
	}
	run(false)
	return nil
}

// saveDir is the folder offered for a file: the last one written to, else
// the home folder.
func (u *UI) saveDir() string {
	if u.lastDir != "" {
		return u.lastDir
	}
	home, _ := os.UserHomeDir()
	return home
}

func (u *UI) chooseFolder(folder *fieldEntry) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if dir != nil {
			folder.SetText(dir.Path())
		}
	}, u.win)
	if l, err := storage.ListerForURI(storage.NewFileURI(strings.TrimSpace(folder.Text))); err == nil {
		d.SetLocation(l)
	}
	u.showDialog(d)
}

// checkFolder checks the folder a file is to be written in.
func checkFolder(dir string) error {
	if dir == "" {
		return domain.Errorf(domain.EInvalid, "no folder is given; choose the folder to write the file in")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return domain.Errorf(domain.ENotFound, "the folder %s does not exist; choose another", dir)
	}
	return nil
}

// checkFileName checks a file's name typed without its folder.
func checkFileName(name string) error {
	if name == "" {
		return domain.Errorf(domain.EInvalid, "the file name is empty; give one")
	}
	if name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return domain.Errorf(domain.EInvalid, "%q is not a file name; give a name without / or \\, and choose the folder above", name)
	}
	return nil
}

// saveForm is a form that asks only where to save a file, named name by
// default, and writes it with write; done runs once it is written.
func (u *UI) saveForm(title, submit, name, hint string, write func(ctx context.Context, path string, overwrite bool) error, done func(path string)) *formDialog {
	f := u.newSaveFile(name, hint)
	var d *formDialog
	d = u.newFormDialog(title, submit, f.items, func() error {
		bad := fieldErrors{}
		f.check(bad)
		if err := bad.orNil(); err != nil {
			return err
		}
		return f.write(d, write, done)
	})
	d.show()
	return d
}
