package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// shortcut is a key combination and what it does.
type shortcut struct {
	name string
	key  fyne.KeyName
	mod  fyne.KeyModifier
	do   func()
}

func (s shortcut) keys() *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: s.key, Modifier: s.mod}
}

var screenKeys = []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}

const ctrl = fyne.KeyModifierShortcutDefault

// shortcuts are the window's keyboard shortcuts once a shop is open.
func (u *UI) shortcuts() []shortcut {
	var out []shortcut
	for i, n := range ScreenNames {
		i := i
		out = append(out, shortcut{name: "Go to " + n, key: screenKeys[i], mod: ctrl, do: u.behindNoDialog(func() { u.show(i) })})
	}
	return append(out,
		shortcut{name: "Find", key: fyne.KeyF, mod: ctrl, do: u.behindNoDialog(u.focusSearch)},
		shortcut{name: "Undo last sale, or with Basket ticked take the basket's last line out", key: fyne.KeyZ, mod: ctrl, do: u.undoShortcut},
		shortcut{name: "New SKU", key: fyne.KeyN, mod: ctrl, do: u.behindNoDialog(func() { u.skus.editForm(nil) })},
		shortcut{name: "Order batch", key: fyne.KeyB, mod: ctrl, do: u.behindNoDialog(func() { u.batches.orderForm("", 0) })},
		shortcut{name: "Refresh", key: fyne.KeyR, mod: ctrl, do: u.behindNoDialog(u.reload)},
	)
}

// behindNoDialog is do, run only while no dialog is open: the menu's
// shortcuts reach the window before a focused field does, and with a form
// open Ctrl+2 changed the screen behind it.
func (u *UI) behindNoDialog(do func()) func() {
	return func() {
		if len(u.dialogs) == 0 {
			do()
		}
	}
}

// registerShortcuts makes the shortcuts work whatever has the focus: the
// main menu's shortcuts come before a focused entry's, the canvas's after.
func (u *UI) registerShortcuts() {
	if u.shop == nil {
		return
	}
	all := u.shortcuts()
	for _, s := range all {
		do := s.do
		u.win.Canvas().AddShortcut(s.keys(), func(fyne.Shortcut) { do() })
	}
	// The desktop driver turns Ctrl+Z into fyne.ShortcutUndo, never the
	// custom shortcut above: with nothing focused it reaches the canvas as
	// that. The Sell screen's search box takes it itself (scanEntry).
	u.win.Canvas().AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { u.undoShortcut() })
	item := func(s shortcut, label string) *fyne.MenuItem {
		m := fyne.NewMenuItem(label, s.do)
		m.Shortcut = s.keys()
		return m
	}
	var goItems []*fyne.MenuItem
	for i := range ScreenNames {
		goItems = append(goItems, item(all[i], u.screens[i].title()))
	}
	n := len(ScreenNames)
	goItems = append(goItems, fyne.NewMenuItemSeparator(), item(all[n], "Find…"))
	shopMenu := fyne.NewMenu("Shop", item(all[n+2], "New SKU…"), item(all[n+3], "Order batch…"),
		fyne.NewMenuItem("Add factory…", func() { u.factories.addForm() }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Import a file…", func() { u.importForm() }),
		fyne.NewMenuItem("Export…", func() { u.exportForm() }),
		fyne.NewMenuItem("Print labels…", func() { u.labelsForm(nil) }),
		fyne.NewMenuItem("Purchase order…", func() { u.purchaseOrderForm("") }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("New kit…", func() { u.kitForm(nil) }),
		fyne.NewMenuItem("Kits…", func() { u.showKits() }),
		fyne.NewMenuItem("Margins…", func() { u.showMargins() }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Shop settings…", func() { u.shopSettingsForm() }),
		fyne.NewMenuItem("Back up…", func() { u.backupForm() }),
		fyne.NewMenuItemSeparator(), item(all[n+4], "Refresh"), fyne.NewMenuItemSeparator(), quitItem(u))
	// Chosen from the menu, Undo last sale goes to the Sell screen and
	// undoes there: elsewhere it did nothing, without a word, as Ctrl+Z
	// there is a field's own undo.
	u.undoItem = item(all[n+1], "Undo last sale")
	u.undoItem.Action = u.undoFromMenu
	u.undoItem.Disabled = u.sell == nil || u.sell.undoBtn == nil || u.sell.undoBtn.Disabled()
	u.takeOutItem = fyne.NewMenuItem("Take the basket's last line out", u.takeOutFromMenu)
	u.placeUndoKey(u.sell != nil && u.sell.inBasket())
	sellMenu := fyne.NewMenu("Sell", u.undoItem, u.takeOutItem,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Sales and close of day…", func() { u.showSales(u.sell.load) }),
		fyne.NewMenuItem("Open orders…", func() { u.showOrders() }),
		fyne.NewMenuItem("Pack for a fair…", func() { u.showPack(u.sell.load) }),
		fyne.NewMenuItem("Count what came back…", func() { u.showCameBack(u.sell.load) }))
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Policy check…", func() { u.showPolicyCheck() }),
		fyne.NewMenuItem("Keyboard shortcuts", u.showKeys),
		fyne.NewMenuItem("About Microshop", u.showAbout))
	u.win.SetMainMenu(fyne.NewMainMenu(shopMenu, fyne.NewMenu("Go", goItems...), sellMenu, help))
}

// quitItem is the menu's Quit, in place of the one Fyne adds, which quits
// without the window's close button's question (askBeforeClosing).
func quitItem(u *UI) *fyne.MenuItem {
	q := fyne.NewMenuItem("Quit", u.askBeforeClosing)
	q.IsQuit = true
	return q
}

// focusSearch puts the cursor in the Sell screen's search box; on Returns
// in the SKU code, where a return starts; elsewhere in the SKUs list's
// filter.
func (u *UI) focusSearch() {
	switch u.currentScreen() {
	case u.sell:
		u.win.Canvas().Focus(u.sell.search)
	case u.returns:
		u.win.Canvas().Focus(u.returns.code)
	default:
		// A screen with no search box finds a SKU, and a SKU's page finds
		// another: on them Find did nothing, or typed into a hidden filter.
		u.showScreen(u.skus)
		u.skus.selected = ""
		u.skus.table.UnselectAll()
		u.skus.md.showList()
		u.win.Canvas().Focus(u.skus.filterEntry)
	}
}

// undoShortcut undoes the last sale on the Sell screen; elsewhere, and
// in a dialog over it, it is a focused entry's undo: Ctrl+Z typed in a
// form over the Sell screen undid the last sale.
func (u *UI) undoShortcut() {
	if u.currentScreen() == u.sell && len(u.dialogs) == 0 {
		u.sell.undoKey()
		return
	}
	if f, ok := u.win.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(&fyne.ShortcutUndo{})
	}
}

// undoFromMenu shows the Sell screen and undoes its last sale there.
func (u *UI) undoFromMenu() {
	if len(u.dialogs) > 0 || u.undoItem.Disabled {
		return
	}
	u.showScreen(u.sell)
	u.sell.undoLast()
}

// enableUndoItem enables the Sell menu's Undo last sale while the Sell
// screen has a sale to undo (showUndo), as its Undo button is: chosen
// with none, it had only said there was nothing to undo.
func (u *UI) enableUndoItem(on bool) {
	if u.undoItem == nil || u.undoItem.Disabled == !on {
		return
	}
	u.undoItem.Disabled = !on
	if m := u.win.MainMenu(); m != nil {
		m.Refresh()
	}
}

// placeUndoKey shows Ctrl+Z in the Sell menu on the item it does: with
// Basket ticked, taking the basket's last line out, which is then the
// only time that item can be chosen; else undoing the last sale. The menu
// showed Ctrl+Z on Undo last sale while the key took a line out of the
// basket.
func (u *UI) placeUndoKey(basket bool) {
	if u.undoItem == nil {
		return // no shop open: no Sell menu
	}
	key := shortcut{key: fyne.KeyZ, mod: ctrl}.keys()
	u.undoItem.Shortcut, u.takeOutItem.Shortcut = key, nil
	if basket {
		u.undoItem.Shortcut, u.takeOutItem.Shortcut = nil, key
	}
	u.takeOutItem.Disabled = !basket
}

// showUndoKey is placeUndoKey on the menu shown.
func (u *UI) showUndoKey(basket bool) {
	u.placeUndoKey(basket)
	if m := u.win.MainMenu(); m != nil && u.undoItem != nil {
		m.Refresh()
	}
}

// takeOutFromMenu shows the Sell screen and takes its basket's last line
// out, as Ctrl+Z there does with Basket ticked.
func (u *UI) takeOutFromMenu() {
	if len(u.dialogs) > 0 || !u.sell.inBasket() {
		return
	}
	u.showScreen(u.sell)
	u.sell.takeOutOfBasket()
}

func (u *UI) showKeys() {
	form := widget.NewForm()
	for i, s := range u.screens {
		form.Append(shortcutName(i), widget.NewLabel(s.title()))
	}
	form.Append("Ctrl+F", widget.NewLabel("Search or filter (Returns: the SKU code)"))
	form.Append("Ctrl+Z", widget.NewLabel("Undo the last sale; with Basket ticked, take the basket's last line out (Sell)"))
	form.Append("Ctrl+N", widget.NewLabel("New SKU"))
	form.Append("Ctrl+B", widget.NewLabel("Order a batch"))
	form.Append("Ctrl+R", widget.NewLabel("Refresh"))
	form.Append("Enter", widget.NewLabel("Sell the scanned or typed code (Sell)"))
	form.Append("Esc", widget.NewLabel("Close the dialog on top"))
	// The list is taller than an 800×600 window leaves a dialog: it
	// scrolls, with Close below it. Close had sat over the last lines,
	// and Esc's was off the window.
	scroll := container.NewVScroll(form)
	d := dialog.NewCustom("Keyboard shortcuts", "Close", scroll, u.win)
	chrome := d.MinSize().Height - scroll.MinSize().Height
	h := form.MinSize().Height
	if c := u.win.Canvas().Size().Height; c > 0 {
		h = max(min(h, c-chrome-4*theme.Padding()), 0)
	}
	scroll.SetMinSize(fyne.NewSize(form.MinSize().Width+theme.ScrollBarSize(), h)) // the bar clear of the longest line
	u.showDialog(d)
}

func (u *UI) showAbout() {
	v := u.app.Metadata().Version
	if v == "" {
		v = "0.1.0"
	}
	u.showNotice(dialog.NewInformation("About Microshop", "Microshop "+v+"\nOffline-first shop operations for makers.\nShop: "+u.info.Name+"\nDevice: "+u.info.DeviceID, u.win))
}
