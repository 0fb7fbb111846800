package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/assets"
)

// cannotOpen is the window when a shop file is at the path but could not
// be opened (its permissions, a write-ahead log its folder keeps from being
// read, a damaged file). It says what is wrong and what to do, and offers
// to try again. It offers no Create, Join or demo: each needs the path
// free, and over a shop they refused in words that hid the shop ("cannot
// open it for writing; check the file's permissions").
type cannotOpen struct {
	u        *UI
	why      *widget.Label
	what     *widget.Label // what to do, for the cause (whatSettles)
	tryAgain *widget.Button
}

func (u *UI) showCannotOpen(err error) {
	c := &cannotOpen{u: u}
	u.win.SetTitle("Microshop")
	u.win.SetContent(c.content(err))
}

func (c *cannotOpen) content(err error) fyne.CanvasObject {
	logo := canvas.NewImageFromResource(assets.Icon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(72, 72))
	title := widget.NewLabelWithStyle("The shop could not be opened", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	c.why = widget.NewLabelWithStyle(errorText(err), fyne.TextAlignCenter, fyne.TextStyle{})
	c.why.Wrapping = fyne.TextWrapWord
	c.what = widget.NewLabelWithStyle(c.whatSettles(err), fyne.TextAlignCenter, fyne.TextStyle{})
	c.what.Wrapping = fyne.TextWrapWord
	c.tryAgain = widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), c.retry)
	c.tryAgain.Importance = widget.HighImportance
	c.tryAgain.Hidden = c.u.opts.Open == nil
	buttons := container.NewHBox(layout.NewSpacer(), c.tryAgain, widget.NewButton("Quit", c.u.Quit), layout.NewSpacer())
	body := container.NewVBox(layout.NewSpacer(), container.NewCenter(logo), title, c.why, c.what, buttons, layout.NewSpacer())
	return container.NewPadded(container.NewVScroll(body))
}

// whatSettles says what settles err, the file left as it is: a damaged
// file is put back from a backup; anything else is most often the
// permissions of the file or its folder.
func (c *cannotOpen) whatSettles(err error) string {
	settle := "Settle what is said above (often the permissions of the file or its folder), then try again. "
	if app.Damaged(err) {
		settle = "If it held your shop, put the shop back from a backup (microshopctl restore makes a backup saved with Shop → Back up… the shop again), then try again. "
	}
	return "The file at " + c.u.opts.Path + " is left as it is, and no new shop is made over it. " + settle +
		"To work with another shop, start Microshop with --db and that shop's path."
}

// retry opens the shop again: a shop that opens replaces this page; one
// that still does not says why again, in case that changed.
func (c *cannotOpen) retry() {
	shop, err := c.u.opts.Open(c.u.opts.Path)
	if err != nil {
		c.why.SetText(errorText(err))
		c.what.SetText(c.whatSettles(err))
		return
	}
	c.u.open(shop)
}

// openFailed is how New starts when the shop could not be opened: when a
// file is at the path, the page saying so; otherwise first run, with the
// error over it.
func (u *UI) openFailed(err error) {
	if app.Exists(u.opts.Path) {
		u.showCannotOpen(err)
		return
	}
	u.showFirstRun()
	u.showError(err)
}
