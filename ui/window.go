// Package ui is Microshop's desktop interface: Fyne views over the app
// layer, one file per screen. Views receive the fyne.App and fyne.Window
// from the main package and talk to the shop through *app.Shop only; sync
// comes in through the SyncController the main package provides.
package ui

import (
	"context"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/assets"
)

// DefaultSize is the window's size on first start: within a 1024×768
// screen, title bar and task bar included, as an older stall laptop has
// (1100×720 ran off its right edge, cutting the buttons there).
var DefaultSize = fyne.NewSize(1000, 680)

// SmallestSize is the least a saved size opens at, where the screen has
// the room: every screen fits it (README), and a window shrunk by mistake
// to what Fyne allows, a strip of 718×231, came back as that strip.
var SmallestSize = fyne.NewSize(800, 600)

// sizePref is the window's width and height when it was last closed, in
// the app's preferences (kept by the app ID in FyneApp.toml): a maker who
// made it big had it small again at the next start. One preference, not
// two: Fyne writes the file on the first change and puts off the next,
// and a window closed at once kept its width alone.
const sizePref = "window.size"

// Options wire the window to what only the main package knows.
type Options struct {
	Path    string                               // the shop database; first run creates it here
	OpenErr error                                // why the shop at Path could not be opened; said in place of first run when a file is there
	Open    func(path string) (*app.Shop, error) // opens the shop at path again, for Try again after OpenErr; nil offers none
	Join    JoinFunc                             // joins an existing shop; nil when this build cannot sync
	Demo    DemoFunc                             // creates the demo shop
	NewSync func(*app.Shop) SyncController       // the sync client for a shop; nil keeps the shop offline
	Nearby  NearbyHosts                          // finds hosts nearby for first-run join; nil when this build cannot
	Screen  string                               // the screen shown first (see ScreenNames); today when empty
	Poll    time.Duration                        // how often to look for changes made by other programs; 1 s when 0
}

// JoinRequest is what the first-run join form asks for.
type JoinRequest struct {
	Invite string // made on a device of the shop: relay, token and the shop's key
	Device string // a name for this device, for people
	// Bundle is a bundle file to fill the shop from instead of the relay,
	// "" for none: an invite naming no relay joins only with one.
	Bundle string
	// Progress, called from any goroutine, hears how many of the shop's
	// changes have come of those to come, as the join goes on.
	Progress func(done, total int64)
}

// JoinFunc makes a replica at path of the shop an invite names and fills
// it from the invite's relay, or from the request's bundle file, returning
// it open.
type JoinFunc func(ctx context.Context, path string, in JoinRequest) (*app.Shop, error)

// DemoFunc creates the demo shop at path and returns it open.
type DemoFunc func(ctx context.Context, path string) (*app.Shop, error)

// ScreenNames are the screens in their order in the sidebar; Ctrl+1 opens
// the first.
var ScreenNames = []string{"today", "sell", "skus", "batches", "returns", "factories", "sync"}

// screen is one of the main views.
type screen interface {
	title() string
	icon() fyne.Resource
	content() fyne.CanvasObject // built on the first call, then the same object
	load()                      // read what it shows again, off the UI goroutine
	shown()                     // it became the visible screen
}

// arriving is a screen told when it becomes the visible one from another
// (or none), before it reads the shop: what was left on it, answered or
// not, goes.
type arriving interface{ arrived() }

// UI is the main window's content: first run, or the screens of one shop.
type UI struct {
	app  fyne.App
	win  fyne.Window
	opts Options

	lastDir string // the folder the last file was written to

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	inline bool                              // tests: queries run on the calling goroutine
	writes chan func(context.Context) func() // the writer's queue; see write

	shop    *app.Shop
	info    app.ShopInfo
	name    *widget.Label // the shop's name, above the screens
	data    *data
	sync    SyncController
	unsub   func()
	seen    atomic.Int64 // the vector total the screens last showed
	synced  atomic.Int64 // the last sync the status line last showed
	bucket  atomic.Int64 // the five-minute slot they were read in
	here    string       // this device's location they showed (Marks.Location); the watcher's alone
	watcher bool

	holdInfo bool         // a form is submitting: confirmations wait for it to close
	heldInfo []func()     // the confirmations waiting
	dialogs  []openDialog // the dialogs open, the last on top: Escape closes it
	// closeWindow closes the window, once askBeforeClosing has asked
	// what it needed to (tests watch it).
	closeWindow func()
	// after runs f on the UI goroutine once d has passed, unless the
	// returned stop is called first; tests replace it to move time by
	// hand.
	after func(d time.Duration, f func()) (stop func() bool)

	// undoItem and takeOutItem are the Sell menu's Undo last sale and
	// Take the basket's last line out: Ctrl+Z is shown on the one it does
	// (showUndoKey).
	undoItem, takeOutItem *fyne.MenuItem

	screens []screen
	current int
	nav     *widget.List
	body    *fyne.Container
	status  *statusLine

	today     *todayScreen
	sell      *sellScreen
	skus      *skusScreen
	batches   *batchesScreen
	returns   *returnsScreen
	factories *factoriesScreen
	syncView  *syncScreen
	first     *firstRun
	// sales is the Sales and close of day window opened last: while it
	// is open it follows the shop as the screen under it does.
	sales *salesView
	// shopLock is held while the shop is open here (lockShop).
	shopLock *os.File
}

// New lays out the window: the shop's screens when shop is open, first run
// when it is nil. It sets the title, size and icon and registers the
// keyboard shortcuts; the caller shows the window and runs the app.
func New(a fyne.App, w fyne.Window, shop *app.Shop, opts Options) *UI {
	return newUI(a, w, shop, opts, false)
}

func newUI(a fyne.App, w fyne.Window, shop *app.Shop, opts Options, inline bool) *UI {
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	u := &UI{app: a, win: w, opts: opts, inline: inline, current: -1}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	if !inline {
		u.startWriter()
	}
	w.SetIcon(assets.Icon)
	// Before the content, as it always was: the content is laid out
	// once, at this size, and made no smaller than it needs by Fyne.
	w.Resize(windowSize(u.savedSize(), fyne.Size{}, fyne.Size{}))
	w.Canvas().SetOnTypedKey(u.onTypedKey)
	w.Canvas().SetOnTypedRune(u.onTypedRune)
	savePrefs := takeExitSave(a)
	u.closeWindow = func() {
		u.saveSize()
		savePrefs()
		u.cancel() // before the app stops: see whileOpen
		w.Close()
	}
	u.after = u.afterFunc
	w.SetCloseIntercept(u.askBeforeClosing)
	switch {
	case shop == nil && opts.OpenErr != nil:
		u.openFailed(opts.OpenErr)
		return u
	case shop == nil:
		u.showFirstRun()
		return u
	}
	u.open(shop)
	return u
}

// savedSize is the window's size when it was last closed; DefaultSize on
// first start.
func (u *UI) savedSize() fyne.Size {
	wh := u.app.Preferences().FloatList(sizePref)
	if len(wh) != 2 || wh[0] <= 0 || wh[1] <= 0 {
		return DefaultSize
	}
	return fyne.NewSize(float32(wh[0]), float32(wh[1]))
}

// saveSize keeps the window's size for the next start (savedSize).
func (u *UI) saveSize() {
	size := u.win.Canvas().Size()
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	u.app.Preferences().SetFloatList(sizePref, []float64{float64(size.Width), float64(size.Height)})
}

// stopHooks is the part of Fyne's app lifecycle that holds the save of
// its preferences Fyne makes as the app stops.
type stopHooks interface {
	OnStopped() func()
	SetOnStoppedHookExecuted(func())
}

// takeExitSave takes from Fyne the save of its preferences it makes as the
// app stops, for the window to make as it closes. Fyne (v2.7.1) makes it
// after its main loop has ended, when its watch on the preferences file
// runs at once, not in turn: it read the file truncated, not yet written
// again, and logged "Preferences load error: EOF" at one quit in three.
// Made while the loop still runs, the save is whole before the watch
// looks. The app sets no OnStopped of its own, so OnStopped is the save
// alone; a no-op when there is none (the test app).
func takeExitSave(a fyne.App) func() {
	l, ok := a.Lifecycle().(stopHooks)
	if !ok {
		return func() {}
	}
	save := l.OnStopped()
	if save == nil {
		return func() {}
	}
	l.SetOnStoppedHookExecuted(nil)
	return save
}

// leastSize is the smallest the window can be: what its content needs.
func (u *UI) leastSize() fyne.Size {
	if c := u.win.Content(); c != nil {
		return c.MinSize()
	}
	return fyne.Size{}
}

// FitScreen makes the window no larger than room, the part of the screen
// windows may take, in the window's units: a size saved on a larger
// screen ran off a smaller one. The main package calls it once the window
// is shown, when its scale is known.
func (u *UI) FitScreen(room fyne.Size) {
	size := u.win.Canvas().Size()
	if fit := windowSize(size, room, u.leastSize()); fit != size {
		u.win.Resize(fit)
	}
}

// windowSize is size made to fit room, unless room is zero (not known),
// and at least SmallestSize, or room when that is less; never less than
// least, what the window's content needs.
func windowSize(size, room, least fyne.Size) fyne.Size {
	floor := SmallestSize
	if room.Width > 0 && room.Height > 0 {
		size, floor = size.Min(room), floor.Min(room)
	}
	return size.Max(floor).Max(least)
}

// Shop is the shop the window shows, nil during first run.
func (u *UI) Shop() *app.Shop { return u.shop }

// Close stops the background work. The caller closes the shop.
func (u *UI) Close() {
	u.cancel()
	if u.unsub != nil {
		u.unsub()
	}
	if u.shopLock != nil {
		u.shopLock.Close()
		u.shopLock = nil
	}
	if u.sync != nil {
		// Not Disconnect: quitting is not the maker turning sync off,
		// and the app came back offline after every restart.
		u.sync.Close()
	}
	u.wg.Wait()
}

// open shows the screens of shop.
func (u *UI) open(shop *app.Shop) {
	u.shop = shop
	lock, elsewhere := lockShop(shop.Path())
	u.shopLock = lock
	u.data = newData(shop, u.notify)
	if u.inline {
		u.data.post = func(f func()) { f() }
	}
	u.info, _ = shop.Info(u.ctx)
	u.win.SetTitle(u.windowTitle(u.info.Name))
	u.sync = offlineSync{}
	if u.opts.NewSync != nil {
		if c := u.opts.NewSync(shop); c != nil {
			u.sync = c
		}
	}
	u.unsub = u.sync.Subscribe(func(SyncStatus) {
		fyne.Do(func() {
			u.status.load()
			if u.syncView != nil && u.currentScreen() == u.syncView {
				u.syncView.showStatus()
			}
		})
	})

	u.today = newTodayScreen(u)
	u.sell = newSellScreen(u)
	u.skus = newSKUsScreen(u)
	u.batches = newBatchesScreen(u)
	u.returns = newReturnsScreen(u)
	u.factories = newFactoriesScreen(u)
	u.syncView = newSyncScreen(u)
	u.screens = []screen{u.today, u.sell, u.skus, u.batches, u.returns, u.factories, u.syncView}

	u.status = newStatusLine(u)
	// A tap while microshopctl imports a long file waits for it, said on
	// the status line, rather than fail and be lost.
	shop.WaitWhileBusy(func(waiting bool) { u.whileOpen(func() { u.status.waiting(waiting) }) })
	u.body = container.NewStack()
	u.nav = u.newNav()
	u.name = widget.NewLabelWithStyle(u.info.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	// A long name wraps, in the list's width: on one line it widened the
	// list, and the window past an 800 wide screen.
	u.name.Wrapping = fyne.TextWrapWord
	header := container.NewBorder(nil, nil, widget.NewIcon(assets.Icon), nil, u.name)
	side := container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, u.nav)
	split := container.NewHSplit(side, u.body)
	split.Offset = 0.15
	u.win.SetContent(readingBorder(u.readOnlyLine(), u.status.content(), nil, nil, split))

	start := 0
	for i, n := range ScreenNames {
		if n == u.opts.Screen {
			start = i
		}
	}
	u.registerShortcuts()
	// The Sell screen is built whichever screen opens first: it reads the
	// sale made before the app was closed (resumeUndo), and the Sell
	// menu's Undo is enabled by what it finds.
	u.sell.content()
	u.nav.Select(start)
	u.status.load()
	u.data.prime(u)
	if elsewhere {
		u.tellOpenElsewhere()
	}
	if !u.inline && !u.watcher {
		u.watcher = true
		u.wg.Add(1)
		go u.watch()
	}
}

func (u *UI) newNav() *widget.List {
	l := widget.NewList(func() int { return len(u.screens) },
		func() fyne.CanvasObject {
			key := widget.NewLabel("Ctrl+0")
			key.Importance = widget.LowImportance
			return container.NewBorder(nil, nil, widget.NewIcon(theme.HomeIcon()), key, widget.NewLabel("Factories"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			s := u.screens[id]
			c.Objects[0].(*widget.Label).SetText(s.title())
			c.Objects[1].(*widget.Icon).SetResource(s.icon())
			c.Objects[2].(*widget.Label).SetText(shortcutName(id))
		})
	l.OnSelected = func(id widget.ListItemID) {
		// show selects the screen's row too: that comes back here, and
		// showing it again would read its data twice and focus its search
		// box before it is on the window.
		if id != u.current {
			u.show(id)
		}
	}
	return l
}

func shortcutName(i int) string {
	return "Ctrl+" + string(rune('1'+i))
}

// show makes screen i the visible one and reads its data.
func (u *UI) show(i int) {
	if i < 0 || i >= len(u.screens) {
		return
	}
	if u.current != i {
		u.current = i
		u.nav.Select(i)
		u.body.Objects = []fyne.CanvasObject{u.screens[i].content()}
		u.body.Refresh()
		if a, ok := u.screens[i].(arriving); ok {
			a.arrived()
		}
	}
	u.screens[i].load()
	u.screens[i].shown()
}

// showScreen makes s the visible screen.
func (u *UI) showScreen(s screen) {
	for i, o := range u.screens {
		if o == s {
			u.show(i)
			return
		}
	}
}

func (u *UI) currentScreen() screen {
	if u.current < 0 {
		return nil
	}
	return u.screens[u.current]
}

// changed is called after every write this window makes: the visible
// screen and the status line read the shop again, and the watcher need
// not do it a second time.
func (u *UI) changed() {
	if v, err := u.shop.Vector(u.ctx); err == nil {
		u.seen.Store(v.Total())
	}
	u.reload()
}

// reload reads the visible screen, the status line and the stock behind
// low-stock notifications again.
func (u *UI) reload() {
	if u.shop == nil {
		return
	}
	if s := u.currentScreen(); s != nil {
		s.load()
	}
	// The close of the day open at the till counts a sale made by
	// microshopctl, an import of the day's orders or a void synced from the
	// stall laptop: it kept the takings of when it opened, offered Void on
	// a line voided since, and saved that stale close as the day's PDF.
	if u.sales != nil && u.isOpen(u.sales.dialog) {
		u.sales.load()
	}
	// The Receive form open on a batch says how many are still to come:
	// a receipt of the batch elsewhere left it showing the old number.
	if u.batches != nil && u.batches.receiving != nil {
		u.batches.receiving.follow()
	}
	u.status.load()
	u.data.prime(u)
	u.showShopName()
}

// showShopName puts the shop's name in the title and above the screens
// again when it changed, here (Shop settings) or on another device.
func (u *UI) showShopName() {
	info, err := u.shop.Info(u.ctx)
	if err != nil || info.Name == u.info.Name {
		return
	}
	u.info.Name = info.Name
	u.win.SetTitle(u.windowTitle(info.Name))
	u.name.SetText(info.Name)
}

// watch refreshes what is visible when the shop changes: at once for
// changes made in this process (sync), within a poll for those of other
// programs (microshopctl).
func (u *UI) watch() {
	defer u.wg.Done()
	t := time.NewTicker(u.opts.Poll)
	defer t.Stop()
	changed, stop := u.shop.Subscribe()
	defer stop()
	for {
		select {
		case <-u.ctx.Done():
			return
		case <-t.C:
		case <-changed:
		}
		switch screens, synced := u.stale(); {
		case screens:
			u.whileOpen(u.reload)
		case synced:
			u.whileOpen(u.status.load)
		}
	}
}

// stale reports whether the shop holds changes the screens have not shown,
// or the clock moved into a new five-minute slot (overdue batches and the
// day's totals depend on it), and whether a sync completed since it last
// looked (`microshopctl sync` sending this device's changes logs none:
// the status line alone has to say so), and records what it saw.
func (u *UI) stale() (screens, synced bool) {
	m, err := u.shop.Marks(u.ctx)
	if err != nil {
		return false, false
	}
	synced = u.synced.Swap(m.LastSync) != m.LastSync
	slot := timeSlot(u.shop.Now())
	moved := u.here != m.Location
	if m.Changes == u.seen.Load() && slot == u.bucket.Load() && !moved {
		return false, synced
	}
	u.seen.Store(m.Changes)
	u.bucket.Store(slot)
	u.here = m.Location
	return true, synced
}

func timeSlot(t time.Time) int64 { return t.Unix() / 300 }

// run calls query off the UI goroutine and the function it returns on it.
// A query's error goes to the status line: reads repeat, so a dialog for
// each would pile up.
func (u *UI) run(query func(ctx context.Context) (func(), error)) {
	if u.inline {
		apply, err := query(u.ctx)
		u.finish(apply, err)
		return
	}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		apply, err := query(u.ctx)
		u.whileOpen(func() { u.finish(apply, err) })
	}()
}

// write runs a change to the shop off the UI goroutine, so a tap never
// waits behind a sync applying a batch, and in the order asked, so two
// quick scans are recorded, and undone, in order. What it returns runs on
// the UI goroutine afterwards, to show the result.
func (u *UI) write(change func(ctx context.Context) (show func())) {
	if u.inline {
		if show := change(u.ctx); show != nil {
			show()
		}
		return
	}
	select {
	case u.writes <- change:
	case <-u.ctx.Done():
	}
}

// afterFunc is after on the wall clock: f does not run once the window
// is closed.
func (u *UI) afterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, func() { u.whileOpen(f) }).Stop
}

// whileOpen runs f on the UI goroutine, from another, unless the window
// has closed. Once the app has stopped, fyne.Do runs f at once on the
// goroutine that asked, and a screen's reload finishing as the app quit
// refreshed its widgets off the UI goroutine (Fyne logged "should have
// been called in fyne.Do").
func (u *UI) whileOpen(f func()) {
	if u.ctx.Err() != nil {
		return
	}
	fyne.Do(func() {
		if u.ctx.Err() == nil {
			f()
		}
	})
}

// onUI runs f on the UI goroutine and waits for it, from the writer.
func (u *UI) onUI(f func()) {
	if u.inline {
		f()
		return
	}
	fyne.DoAndWait(f)
}

// startWriter starts the goroutine that runs the window's writes.
func (u *UI) startWriter() {
	u.writes = make(chan func(context.Context) func(), 256)
	u.wg.Add(1)
	go u.writer()
}

// writer is the one goroutine that runs the window's writes. A write runs
// to its end even once the window closes, and those asked for before it
// closed are written before the writer stops: they ran with the window's
// context, cancelled as it closed, and a sale scanned as the stall laptop
// shut down failed, or was dropped from the queue. Only their results are
// not shown, with no window to show them in.
func (u *UI) writer() {
	defer u.wg.Done()
	ctx := context.WithoutCancel(u.ctx)
	for {
		select {
		case change := <-u.writes:
			if show := change(ctx); show != nil && u.ctx.Err() == nil {
				fyne.DoAndWait(show)
			}
		case <-u.ctx.Done():
			for {
				select {
				case change := <-u.writes:
					change(ctx)
				default:
					return
				}
			}
		}
	}
}

func (u *UI) finish(apply func(), err error) {
	if err != nil {
		if u.status != nil {
			u.status.problem(err)
		}
		return
	}
	if apply != nil {
		apply()
	}
}

// sentence capitalizes a message and ends it with a full stop. A message
// that starts with a name as typed (a file, a path, a code) keeps it as it
// is: "Shop.db" names a file that does not exist.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	first, _, _ := strings.Cut(s, " ")
	if strings.IndexFunc(first, func(r rune) bool { return !unicode.IsLetter(r) && r != ',' && r != ';' && r != ':' }) < 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// openSKU shows the SKUs screen with code's detail.
func (u *UI) openSKU(code string) {
	u.skus.reveal(code)
	u.showScreen(u.skus)
}

// openBatch shows the Batches screen with the batch's detail.
func (u *UI) openBatch(id string) {
	u.batches.reveal(id)
	u.showScreen(u.batches)
}

// openFactory shows the Factories screen with the factory's detail.
func (u *UI) openFactory(name string) {
	u.factories.reveal(name)
	u.showScreen(u.factories)
}

// notify sends desktop notifications for SKUs that just got worse.
func (u *UI) notify(ns []*fyne.Notification) {
	for _, n := range ns {
		u.app.SendNotification(n)
	}
}
