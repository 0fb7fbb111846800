package ui

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/client"
	"microshop/sync/controller"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testNow is the shop clock in tests: a Monday noon, far from
// daylight-saving changes.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func day(n int) time.Time { return testNow.AddDate(0, 0, n) }

// testClock is a wall clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// clockTimers stand in for the window's timers (UI.after) on a
// testClock: each is due at the moment of the clock it was set for, and
// runs when the test moves the clock past that moment.
type clockTimers struct {
	tb     testing.TB
	clock  *testClock
	timers []*clockTimer
}

type clockTimer struct {
	at          time.Time
	f           func()
	done, ended bool // ran; stopped
}

func (c *clockTimers) after(d time.Duration, f func()) func() bool {
	t := &clockTimer{at: c.clock.Now().Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		pending := !t.done && !t.ended
		t.ended = true
		return pending
	}
}

// advance moves the clock to to, running each timer due by then at its
// own moment, the earliest first, as the wall clock would.
func (c *clockTimers) advance(to time.Time) {
	c.tb.Helper()
	for ran := 0; ; ran++ {
		if ran > 100 {
			c.tb.Fatalf("timers keep setting timers for %v", c.clock.Now())
		}
		var next *clockTimer
		for _, t := range c.timers {
			if !t.done && !t.ended && !t.at.After(to) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			break
		}
		if next.at.After(c.clock.Now()) {
			c.clock.Set(next.at)
		}
		next.done = true
		next.f()
	}
	c.clock.Set(to)
}

// mustShop makes an empty shop under tb.TempDir on a fixed clock in UTC.
func mustShop(tb testing.TB) *app.Shop {
	tb.Helper()
	return apptest.ShopAt(tb, filepath.Join(tb.TempDir(), "shop.db"), app.NewShop{Name: "Fern & Kiln", Device: "stall laptop"},
		app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
}

func ptr[T any](v T) *T { return &v }

func must[T any](tb testing.TB) func(T, error) T {
	return func(v T, err error) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

// The shop builders of package apptest, under the names these tests use.
var (
	mustFactory = apptest.Factory
	mustSKU     = apptest.SKU
	mustCount   = apptest.Count
)

func mustSell(tb testing.TB, s *app.Shop, code string, qty int, at time.Time) {
	tb.Helper()
	apptest.Sell(tb, s, code, qty, at, false)
}

// stockedShop is a small shop: an established microfactory, a new print
// shop, a mug that sells steadily, a print that is nearly gone, a digital
// guide and a candle that ran out.
func stockedShop(tb testing.TB) *app.Shop {
	tb.Helper()
	s := mustShop(tb)
	mustFactory(tb, s, "Clay Works", domain.KindMicrofactory, 10, true)
	mustFactory(tb, s, "Print Hub", domain.KindPrint, 5, false)
	mustSKU(tb, s, "MUG", "Blue stoneware mug", domain.PathMicrofactory, "Clay Works", 2400)
	mustSKU(tb, s, "PRINT-A4", "Fern print A4", domain.PathPrint, "Print Hub", 1200)
	mustSKU(tb, s, "GUIDE", "Glazing guide (PDF)", domain.PathDigital, "", 500)
	mustSKU(tb, s, "CANDLE", "Beeswax candle", domain.PathMicrofactory, "Clay Works", 900)
	mustCount(tb, s, "MUG", 60, day(-30))
	mustCount(tb, s, "PRINT-A4", 12, day(-30))
	mustCount(tb, s, "CANDLE", 5, day(-30))
	for d := -27; d <= -1; d += 3 {
		mustSell(tb, s, "MUG", 2, day(d))
		mustSell(tb, s, "PRINT-A4", 1, day(d))
	}
	mustSell(tb, s, "CANDLE", 5, day(-4))
	mustSell(tb, s, "GUIDE", 3, day(-2))
	return s
}

// newTestUI lays out the window on the test driver, its queries run on
// the test goroutine so every read is done when an action returns.
func newTestUI(t testing.TB, shop *app.Shop, opts Options) (*UI, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("test")
	if opts.Path == "" && shop != nil {
		opts.Path = shop.Path()
	}
	u := newUI(a, w, shop, opts, true)
	t.Cleanup(func() {
		u.Close()
		w.Close()
	})
	return u, w
}

func screenIndex(name string) int {
	for i, n := range ScreenNames {
		if n == name {
			return i
		}
	}
	panic("no screen " + name)
}

// walk visits o and everything it draws, depth first; fn says whether to
// look inside o.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject) bool) {
	if o == nil || !fn(o) {
		return
	}
	switch c := o.(type) {
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			walk(child, fn)
		}
	case *fyne.Container:
		for _, child := range c.Objects {
			walk(child, fn)
		}
	}
}

// layOut lays o and what it shows out again at their sizes, parents
// first: the test canvas does not when a child's minimum size changes.
func layOut(o fyne.CanvasObject) {
	walk(o, func(o fyne.CanvasObject) bool {
		layOutOnce(o)
		return o.Visible()
	})
}

// layOutOnce lays o out again at its size, its children left as they are.
func layOutOnce(o fyne.CanvasObject) {
	switch c := o.(type) {
	case fyne.Widget:
		test.WidgetRenderer(c).Layout(c.Size())
	case *fyne.Container:
		if c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
	}
}

// findTile is the visible tile of the SKU with code on the Sell screen.
func findTile(t *testing.T, w fyne.Window, code string) *tile {
	t.Helper()
	var found *tile
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) bool {
		if tl, ok := o.(*tile); ok && tl.Visible() && tl.code == code {
			found = tl
		}
		return found == nil && o.Visible()
	})
	if found == nil {
		t.Fatalf("no tile for %s on screen", code)
	}
	return found
}

// shownAvailable is the number a tile draws.
func shownAvailable(t *testing.T, tl *tile) string {
	t.Helper()
	return test.WidgetRenderer(tl).(*tileRenderer).avail.Text
}

// texts is every text drawn under o, one per line.
func texts(o fyne.CanvasObject) string {
	var sb strings.Builder
	walk(o, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		switch x := o.(type) {
		case *widget.Label:
			fmt.Fprintln(&sb, x.Text)
		case *widget.Button:
			fmt.Fprintln(&sb, x.Text)
		case *canvas.Text:
			fmt.Fprintln(&sb, x.Text)
		}
		return true
	})
	return sb.String()
}

// dialogText is the text of every dialog open over the window.
func dialogText(w fyne.Window) string {
	var sb strings.Builder
	for _, o := range w.Canvas().Overlays().List() {
		sb.WriteString(texts(o))
	}
	return sb.String()
}

// onScreen reports whether o is drawn in the window or a dialog over it.
func onScreen(w fyne.Window, o fyne.CanvasObject) bool {
	found := false
	for _, root := range append([]fyne.CanvasObject{w.Canvas().Content()}, w.Canvas().Overlays().List()...) {
		walk(root, func(x fyne.CanvasObject) bool {
			if x == o && x.Visible() {
				found = true
			}
			return !found && x.Visible()
		})
	}
	return found
}

// closeDialogs removes every dialog over the window.
func closeDialogs(w fyne.Window) {
	for _, o := range w.Canvas().Overlays().List() {
		w.Canvas().Overlays().Remove(o)
	}
}

// tapButton taps the visible button labelled text in the top dialog, or
// in the window when there is none.
func tapButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	root := w.Canvas().Overlays().Top()
	if root == nil {
		root = w.Canvas().Content()
	}
	var found fyne.Tappable
	walk(root, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		switch b := o.(type) {
		case *widget.Button:
			if b.Text == text {
				found = b
			}
		case *answerButton: // a question's
			if b.Text == text {
				found = b
			}
		case *scanButton: // the Sales window's
			if b.Text == text {
				found = b
			}
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no button %q in:\n%s", text, texts(root))
	}
	test.Tap(found)
}

// typeFocused types into whatever has the focus, as a keyboard or a
// barcode scanner would.
func typeFocused(t *testing.T, w fyne.Window, s string) {
	t.Helper()
	f := w.Canvas().Focused()
	if f == nil {
		t.Fatalf("nothing has the focus to type %q into", s)
	}
	for _, r := range s {
		f.TypedRune(r)
	}
}

// findFormEntry is the entry in the top dialog whose placeholder holds
// hint.
func findFormEntry(t *testing.T, w fyne.Window, hint string) *widget.Entry {
	t.Helper()
	var found *widget.Entry
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if e, ok := entryOf(o); ok && strings.Contains(e.PlaceHolder, hint) {
			found = e
		}
		return found == nil && o.Visible()
	})
	if found == nil {
		t.Fatalf("no entry with placeholder %q in the top dialog", hint)
	}
	return found
}

func vectorTotal(t *testing.T, s *app.Shop) int64 {
	t.Helper()
	v, err := s.Vector(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v.Total()
}

func stockOf(t *testing.T, s *app.Shop, code string) app.StockRow {
	t.Helper()
	rows, err := s.Stock(context.Background(), s.AsOfNow(), code)
	if err != nil {
		t.Fatal(err)
	}
	return rows[0]
}

// assertGolden pins the window's rendering to testdata/name; -update
// rewrites it.
func assertGolden(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	if *update {
		path := filepath.Join("testdata", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(test.RenderToMarkup(w.Canvas())), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	test.AssertRendersToMarkup(t, name, w.Canvas())
}

// fakeSync is a SyncController that records what it is asked.
type fakeSync struct {
	mu     sync.Mutex
	status SyncStatus
	host   *HostInfo
	calls  []string
	fns    []func(SyncStatus)
	byFile bool // syncs with no relay: its invite names none
	local  bool // syncs with a relay at 127.0.0.1: its invite names it
	// hostErr is what hosting answers, as the controller does for a port
	// another program uses.
	hostErr error
}

func (f *fakeSync) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeSync) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeSync) set(s SyncStatus) {
	f.mu.Lock()
	f.status = s
	fns := append([]func(SyncStatus){}, f.fns...)
	f.mu.Unlock()
	for _, fn := range fns {
		fn(s)
	}
}

func (f *fakeSync) Status() SyncStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}

func (f *fakeSync) Subscribe(fn func(SyncStatus)) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fns = append(f.fns, fn)
	return func() {}
}

func (f *fakeSync) Connect(_ context.Context, relay, token string) error {
	f.record("connect " + relay + " " + token)
	f.set(SyncStatus{State: client.StateConnecting, Relay: relay})
	return nil
}

func (f *fakeSync) Disconnect() error {
	f.record("disconnect")
	f.set(SyncStatus{State: client.StateOffline, Relay: f.Status().Relay})
	return nil
}

func (f *fakeSync) RetryNow() { f.record("retry now") }

// OfferInvite offers an invite to the relay in use, with a code while
// hosting.
func (f *fakeSync) OfferInvite(context.Context) (InviteOffer, error) {
	f.record("invite")
	o := InviteOffer{Invite: testInvite}
	if _, ok := f.Hosting(); ok {
		o.Code, o.Until = "ABCD-EFGH", testNow.Add(10*time.Minute)
	} else if f.byFile {
		o = InviteOffer{Invite: testInviteByFile, ByFile: true}
	} else if f.local {
		o = InviteOffer{Invite: app.Invite{Relays: []string{"ws://127.0.0.1:7420"}, Token: testToken, Shop: "0190d8e2-8d1e-7c3a-9f00-000000000001"}.String()}
	}
	return o, nil
}

// testInviteByFile is an invite naming no relay, of a shop syncing by file.
var testInviteByFile = app.Invite{Shop: "0190d8e2-8d1e-7c3a-9f00-000000000001"}.String()

// testInvite is an invite as app.Invite writes one.
var testInvite = app.Invite{Relays: []string{"ws://192.168.1.20:7420"}, Token: testToken, Shop: "0190d8e2-8d1e-7c3a-9f00-000000000001"}.String()

// testToken is a relay token as a relay makes one.
const testToken = "mst_3f9a1c2b7d4e8f60_9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c"

func (f *fakeSync) HostOn(_ context.Context, port int) (HostInfo, error) {
	f.record("host")
	f.mu.Lock()
	err := f.hostErr
	f.mu.Unlock()
	if err != nil {
		return HostInfo{}, err
	}
	p := strconv.Itoa(port)
	h := HostInfo{Addresses: []string{"ws://192.168.1.20:" + p, "ws://169.254.10.2:" + p}, Token: "tok-123456"}
	f.mu.Lock()
	f.host = &h
	f.mu.Unlock()
	return h, nil
}

func (f *fakeSync) HostPort() int { return controller.DefaultHostPort }

func (f *fakeSync) StopHosting() error {
	f.record("stop hosting")
	f.mu.Lock()
	f.host = nil
	f.mu.Unlock()
	return nil
}

func (f *fakeSync) Close() error {
	f.record("close")
	f.mu.Lock()
	f.host = nil
	f.mu.Unlock()
	return nil
}

func (f *fakeSync) Hosting() (HostInfo, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.host == nil {
		return HostInfo{}, false
	}
	return *f.host, true
}

func (f *fakeSync) ExportBundle(_ context.Context, w io.Writer) (int, error) {
	f.record("export")
	_, err := io.WriteString(w, "bundle")
	return 1, err
}

func (f *fakeSync) ImportBundle(_ context.Context, r io.Reader, _ string) (int, error) {
	f.record("import")
	_, err := io.ReadAll(r)
	return 0, err
}

// containsFold reports whether s holds sub, ignoring case: messages are
// shown as sentences.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// stale reports whether an error line was shown and its field edited since.
func stale(l *widget.Label) bool { return !l.Visible() || l.Importance == widget.LowImportance }

// input is the widget of the item labelled label, nil if none.
func (f *fieldForm) input(label string) fyne.CanvasObject {
	for i, it := range f.Items {
		if it.Text == label {
			return f.inputs[i]
		}
	}
	return nil
}

func (m *masterDetail) detailShown() bool { return m.detail.Visible() }

// poll is one step of the window's watch, on the test's goroutine: it
// checks once for changes made elsewhere and reloads if there are.
func (u *UI) poll() {
	switch screens, synced := u.stale(); {
	case screens:
		u.reload()
	case synced:
		u.status.load()
	}
}
