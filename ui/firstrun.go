package ui

import (
	"context"
	"errors"
	"image/color"
	"io/fs"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/assets"
	"microshop/domain"
)

// firstRun is the window before there is a shop: create one, join one, or
// open the demo.
type firstRun struct {
	u *UI

	name, currency, device *widget.Entry
	invite, joinDevice     *widget.Entry
	bundle                 *fieldEntry // a bundle file to join from, for an invite naming no relay
	create, join, demo     *widget.Button
	createForm, joinForm   *fieldForm
	near                   *nearbyPicker // nil when this build cannot look for hosts nearby
	busy                   dialog.Dialog
	waiting                *fyne.Container // what busy shows: a bar, then a count
}

func (u *UI) showFirstRun() {
	f := &firstRun{u: u}
	u.first = f
	u.win.SetTitle("Microshop")
	u.win.SetContent(f.content())
	if f.near != nil {
		f.near.find()
	}
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	return h
}

func (f *firstRun) content() fyne.CanvasObject {
	f.name = widget.NewEntry()
	f.name.SetPlaceHolder("Fern & Kiln")
	f.currency = widget.NewEntry()
	f.currency.SetText("EUR")
	f.device = widget.NewEntry()
	f.device.SetText(hostname())
	f.device.SetPlaceHolder("workshop desktop")
	f.createForm = newFieldForm(widget.NewFormItem("Shop name", f.name), widget.NewFormItem("Currency", f.currency),
		widget.NewFormItem("This device", f.device))
	f.create = widget.NewButtonWithIcon("Create shop", theme.ContentAddIcon(), f.doCreate)
	f.create.Importance = widget.HighImportance

	f.invite = widget.NewPasswordEntry()
	f.invite.SetPlaceHolder("microshop1:…")
	f.joinDevice = widget.NewEntry()
	f.joinDevice.SetText(hostname())
	f.bundle = newFieldEntry()
	f.bundle.SetPlaceHolder("a .msb file, to join by file")
	choose := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() { f.u.chooseFile(f.bundle) })
	items := []*widget.FormItem{widget.NewFormItem("Invite", f.invite),
		widget.NewFormItem("Bundle", container.NewBorder(nil, nil, nil, choose, f.bundle))}
	if f.u.opts.Nearby != nil {
		f.near = newNearbyPicker(f)
		items = append(items, widget.NewFormItem("Nearby", f.near.row), widget.NewFormItem("Code", f.near.code))
	}
	items = append(items, widget.NewFormItem("This device", f.joinDevice))
	f.joinForm = newFieldForm(items...)
	f.join = widget.NewButtonWithIcon("Join shop", theme.LoginIcon(), f.doJoin)
	// Enter in a field presses its card's button, as in every other form.
	for _, e := range []*widget.Entry{f.name, f.currency, f.device} {
		e.OnSubmitted = func(string) { f.doCreate() }
	}
	joining := []*widget.Entry{f.invite, f.joinDevice, &f.bundle.Entry}
	if f.near != nil {
		joining = append(joining, f.near.code)
	}
	for _, e := range joining {
		e.OnSubmitted = func(string) { f.doJoin() }
	}

	demoText := widget.NewLabel("A believable maker's shop with months of sales, batches and returns: " +
		"sell, receive a batch and see reorders without touching real data.")
	demoText.Wrapping = fyne.TextWrapWord
	f.demo = widget.NewButtonWithIcon("Open demo shop", theme.MediaPlayIcon(), f.doDemo)

	card := func(title, sub string, body fyne.CanvasObject, btn *widget.Button) fyne.CanvasObject {
		return widget.NewCard(title, sub, container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), btn), nil, nil, body))
	}
	cards := container.New(&flowColumns{},
		card("Create a shop", "Start fresh on this computer", f.createForm.obj, f.create),
		card("Join a shop", "Copy a shop from another device", f.joinForm.obj, f.join),
		card("Try the demo", "Explore with sample data", demoText, f.demo))

	logo := canvas.NewImageFromResource(assets.Icon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(72, 72))
	title := widget.NewLabelWithStyle("Welcome to Microshop", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	sub := widget.NewLabelWithStyle("Stock, batches, sales and returns for makers: on this computer, offline first.", fyne.TextAlignCenter, fyne.TextStyle{})
	where := widget.NewLabelWithStyle("The shop is kept in "+f.u.opts.Path+"; microshopctl uses the same file.", fyne.TextAlignCenter, fyne.TextStyle{})
	where.Wrapping = fyne.TextWrapWord
	head := container.NewVBox(container.NewCenter(logo), title, sub)
	// The page scrolls when the cards stand one below another.
	page := container.NewVScroll(container.NewVBox(layout.NewSpacer(), head, cards, layout.NewSpacer()))
	return container.NewPadded(container.NewBorder(nil, where, nil, nil, page))
}

func (f *firstRun) doCreate() {
	u := f.u
	in := app.NewShop{Name: strings.TrimSpace(f.name.Text), Currency: strings.TrimSpace(f.currency.Text), Device: strings.TrimSpace(f.device.Text)}
	bad := fieldErrors{}
	bad.add(f.name, domain.ValidateName("shop name", in.Name))
	if in.Currency != "" { // empty: the shop's default, EUR
		_, err := domain.ParseCurrency(in.Currency)
		bad.add(f.currency, err)
	}
	if err := bad.orNil(); err != nil {
		f.createForm.report(err)
		return
	}
	shop, err := app.Create(u.opts.Path, in, app.Options{})
	f.createForm.report(err)
	if err != nil {
		return
	}
	u.open(shop)
}

func (f *firstRun) doJoin() {
	in := JoinRequest{Invite: strings.TrimSpace(f.invite.Text), Device: strings.TrimSpace(f.joinDevice.Text), Bundle: strings.TrimSpace(f.bundle.Text)}
	if f.near != nil && in.Invite == "" {
		if h, ok := f.near.picked(); ok {
			f.joinNearby(h, in.Device)
			return
		}
	}
	bad := fieldErrors{}
	switch {
	case in.Invite == "" && f.near != nil:
		bad.add(f.invite, domain.Errorf(domain.EInvalid, "the invite is empty; on a device of the shop, open Sync and choose Invite a device, then paste the invite here, or pick that computer nearby and type the code it shows"))
	case in.Invite == "":
		bad.add(f.invite, domain.Errorf(domain.EInvalid, "the invite is empty; on a device of the shop, open Sync and choose Invite a device, then paste the invite here"))
	default:
		inv, err := app.ParseInvite(in.Invite)
		if bad.add(f.invite, err) {
			bad.add(f.bundle, checkJoinBundle(inv, in.Bundle))
		}
	}
	f.joinWith(bad, in.Device, in.Bundle, func(context.Context) (string, error) { return in.Invite, nil })
}

// checkJoinBundle refuses an invite naming no relay without a bundle, and
// a bundle that is no file to read, before anything is made.
func checkJoinBundle(in app.Invite, path string) error {
	if path == "" {
		if in.ByFile() {
			return domain.Errorf(domain.EInvalid, "this invite names no relay: choose a bundle exported on the inviting device (Sync → Export bundle…) to join with it")
		}
		return nil
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return domain.Errorf(domain.ENotFound, "there is no file %s; choose the bundle exported on the inviting device", path)
	case err != nil:
		return domain.Errorf(domain.EUnavailable, "%s cannot be read; check that this account may read it", path)
	case fi.IsDir():
		return domain.Errorf(domain.EInvalid, "%s is a folder; choose the bundle file in it", path)
	}
	return nil
}

// joinWith reports what the form found wrong, or joins with the invite that
// invite gets (pasted, or fetched from a computer nearby), with a wait
// shown meanwhile.
func (f *firstRun) joinWith(bad fieldErrors, device, bundle string, invite func(context.Context) (string, error)) {
	u := f.u
	err := bad.orNil()
	if err == nil && u.opts.Join == nil {
		err = domain.Errorf(domain.EUnavailable, "this build of Microshop cannot join a shop; use microshopctl join")
	}
	f.joinForm.report(err)
	if err != nil {
		return
	}
	// Cancel stops the join: a big shop takes minutes, and the join
	// keeps nothing until it is whole (join.New).
	ctx, cancel := context.WithCancel(u.ctx)
	f.wait("Joining the shop…")
	f.busy.(*dialog.CustomDialog).SetButtons([]fyne.CanvasObject{widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), cancel)})
	progress := f.progress()
	u.act(func(context.Context) (func(), error) {
		defer cancel()
		text, err := invite(ctx)
		if err == nil {
			var shop *app.Shop
			shop, err = u.opts.Join(ctx, u.opts.Path, JoinRequest{Invite: text, Device: device, Bundle: bundle, Progress: progress})
			if err == nil {
				return func() { f.done(); u.open(shop) }, nil
			}
		}
		if ctx.Err() != nil { // cancelled: nothing went wrong, and nothing was made
			fyne.Do(f.done)
			return func() { f.joinForm.report(nil) }, nil
		}
		return nil, f.failed(err)
	})
}

func (f *firstRun) doDemo() {
	u := f.u
	if u.opts.Demo == nil {
		u.showError(domain.Errorf(domain.EUnavailable, "this build of Microshop has no demo shop; run microshopctl demo"))
		return
	}
	f.wait("Making the demo shop…")
	u.act(func(ctx context.Context) (func(), error) {
		shop, err := u.opts.Demo(ctx, u.opts.Path)
		return func() { f.done(); u.open(shop) }, f.failed(err)
	})
}

// wait shows that a slow start is under way.
func (f *firstRun) wait(what string) {
	f.waiting = container.NewVBox(widget.NewProgressBarInfinite())
	wide := canvas.NewRectangle(color.Transparent) // room for a count to read as one
	wide.SetMinSize(fyne.NewSize(320, 0))
	f.busy = dialog.NewCustomWithoutButtons(what, container.NewStack(wide, f.waiting), f.u.win)
	f.busy.Show()
}

// progress is a JoinRequest's Progress for the wait shown: once the join
// knows how many changes are to come, the wait counts them, where a bar
// going to and fro for minutes said nothing of how long was left.
func (f *firstRun) progress() func(done, total int64) {
	box := f.waiting
	bar := widget.NewProgressBar()
	bar.TextFormatter = func() string { return "" }
	count := widget.NewLabel("")
	return func(done, total int64) {
		fyne.Do(func() {
			if len(box.Objects) == 1 && box.Objects[0] != bar {
				box.Objects = []fyne.CanvasObject{bar, count}
				box.Refresh()
			}
			bar.Max = float64(total)
			bar.SetValue(float64(done))
			count.SetText(formatInt(done) + " of " + formatInt(total) + " changes")
		})
	}
}

func (f *firstRun) done() {
	if f.busy != nil {
		f.busy.Hide()
		f.busy = nil
	}
}

// failed hides the wait on an error; act then shows it.
func (f *firstRun) failed(err error) error {
	if err != nil {
		fyne.Do(f.done)
	}
	return err
}
