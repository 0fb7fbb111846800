package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/client"
)

// smallWindow is the smallest window every screen must fit: an 800×600
// laptop screen, or half of a larger one.
var smallWindow = fyne.NewSize(800, 600)

// TestScreensFitASmallWindow builds each screen in an 800×600 window: a
// screen whose smallest size is larger would widen the window, push the
// others off its edge and never let it shrink back.
func TestScreensFitASmallWindow(t *testing.T) {
	cases := []struct {
		screen string
		prep   func(u *UI, fake *fakeSync)
	}{
		{"today", nil},
		{"sell", nil},
		// With Basket ticked after a basket of 12 lines: the button voiding
		// it reads "Undo last sale", without the arrow.
		{"sell", func(u *UI, _ *fakeSync) {
			s := u.sell
			test.Tap(s.basketMode)
			for i := range 10 {
				s.basket.add(fmt.Sprintf("W%d", i), 1)
			}
			s.basket.add("MUG", 1)
			s.basket.add("PRINT-A4", 1)
			test.Tap(s.basket.done)
			s.basket.add("MUG", 99)
		}},
		{"skus", nil},
		{"skus", func(u *UI, _ *fakeSync) { u.skus.showDetail("MUG") }},
		{"skus", func(u *UI, _ *fakeSync) {
			u.win.Resize(fyne.NewSize(1600, 900))
			u.skus.showDetail("MUG")
		}},
		{"batches", nil},
		// A batch shown in a wide window first: its buttons' row, laid
		// out on one line, kept that width as Fyne's row wrap does.
		{"batches", func(u *UI, _ *fakeSync) {
			u.win.Resize(fyne.NewSize(1600, 900))
			u.batches.filter.SetSelected("All")
			u.batches.table.Select(widget.TableCellID{Row: 0, Col: 0})
		}},
		{"returns", nil},
		{"factories", nil},
		{"factories", func(u *UI, _ *fakeSync) { u.factories.list.Select(1) }},
		{"sync", nil},
		{"sync", func(u *UI, fake *fakeSync) {
			fake.host = &HostInfo{Addresses: []string{"ws://192.168.178.120:7420", "ws://169.254.211.17:7420", "ws://[2a02:8109:b6c0:1e00:5d3c:8f1e:a0b2:7c41]:7420"}, Token: testToken}
			u.syncView.showStatus()
		}},
	}
	for _, c := range cases {
		t.Run(c.screen, func(t *testing.T) {
			fake := &fakeSync{status: SyncStatus{State: client.StateUpToDate, Relay: "wss://relay.example.com", LastSync: testNow}}
			u, w := newTestUI(t, manyFactoriesShop(t), Options{Screen: c.screen, NewSync: func(*app.Shop) SyncController { return fake }})
			if c.prep != nil {
				c.prep(u, fake)
			}
			w.Resize(smallWindow)
			if got := w.Canvas().Content().MinSize(); got.Width > smallWindow.Width || got.Height > smallWindow.Height {
				t.Errorf("the %s screen needs %v, more than a %v window", c.screen, got, smallWindow)
			}
		})
	}
}

// manyFactoriesShop is goldenShop with ten factories, each with a sale
// and a return, so the lists and the return-rate chart are long.
func manyFactoriesShop(t *testing.T) *app.Shop {
	t.Helper()
	shop := goldenShop(t)
	for i := range 10 {
		name, code := fmt.Sprintf("Workshop number %d of the cooperative", i), fmt.Sprintf("W%d", i)
		mustFactory(t, shop, name, domain.KindMicrofactory, 7, true)
		mustSKU(t, shop, code, "Thing made in "+name, domain.PathMicrofactory, name, 1000)
		mustCount(t, shop, code, 20, day(-20))
		mustSell(t, shop, code, 10, day(-10))
		if _, err := shop.RecordReturn(context.Background(), app.Return{Code: code, Qty: 1, Reason: domain.ReturnReasons()[0]}); err != nil {
			t.Fatal(err)
		}
	}
	return shop
}

// absX is where o starts and ends across the window.
func absX(o fyne.CanvasObject) (left, right float32) {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	return p.X, p.X + o.Size().Width
}

// headerButton is the SKU table's header of the column titled title.
func headerButton(t *testing.T, u *UI, title string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(u.skus.table, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && o.Visible() && strings.HasPrefix(b.Text, title) {
			found = b
		}
		return found == nil && o.Visible()
	})
	if found == nil {
		t.Fatalf("no %q column header on screen", title)
	}
	return found
}

// The SKU table's columns share the width the table gets: in a large
// window they reach its edge and the names get the room; in a small one
// the names give way first, so more columns show before it scrolls.
func TestSKUTableColumnsUseTheWidthTheyHave(t *testing.T) {
	u, w := newTestUI(t, goldenShop(t), Options{Screen: "skus"})

	w.Resize(smallWindow)
	name, usual := headerButton(t, u, "Name").Size().Width, skuColumns[1].width
	if name >= usual || name < minFlexShare*usual-1 {
		t.Errorf("at %v the Name column is %.0f wide, want it narrower than its usual %.0f, down to %.0f", smallWindow, name, usual, minFlexShare*usual)
	}
	if got := headerButton(t, u, "Code").Size().Width; got != skuColumns[0].width {
		t.Errorf("at %v the Code column is %.0f wide, want its usual %.0f: codes show whole", smallWindow, got, skuColumns[0].width)
	}

	w.Resize(fyne.NewSize(1600, 900))
	_, tableRight := absX(u.skus.table)
	if _, right := absX(headerButton(t, u, "Per day")); right < tableRight-2*theme.Padding() {
		t.Errorf("at 1600 wide the columns end at %.0f, short of the table's edge at %.0f", right, tableRight)
	}
	if got, usual := headerButton(t, u, "Name").Size().Width, skuColumns[1].width; got <= usual {
		t.Errorf("at 1600 wide the Name column is %.0f wide, no wider than its usual %.0f", got, usual)
	}
}

// The Code column widens for the longest code listed, up to maxCodeWidth:
// at its usual 110 points an eleven-letter code such as EBOOK-GLAZE read
// "EBOOK-GLA…" in a 1280-wide window, with the names' column half empty.
func TestSKUCodesShowWholeInTheList(t *testing.T) {
	shop := stockedShop(t)
	const long = "EBOOK-GLAZE-GUIDE"
	mustSKU(t, shop, long, "Glazing guide, long edition", domain.PathDigital, "", 900)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	for _, size := range []fyne.Size{fyne.NewSize(1280, 900), smallWindow} {
		w.Resize(size)
		need := fyne.MeasureText(long, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding()
		if got := headerButton(t, u, "Code").Size().Width; got < need {
			t.Errorf("at %v the Code column is %.0f wide, want at least %.0f for %s whole", size, got, need, long)
		}
	}
}

func TestColumnWidths(t *testing.T) {
	cols := []tableColumn{{width: 100, flex: true}, {width: 200, flex: true}, {width: 50, flex: false}}
	cases := []struct {
		name  string
		width float32
		want  []float32
	}{
		{"exactly enough", 350, []float32{100, 200, 50}},
		{"room to spare goes to the names", 650, []float32{200, 400, 50}},
		{"narrower: the names give way", 290, []float32{80, 160, 50}},
		{"far too narrow: the names keep a share, the table scrolls", 100, []float32{60, 120, 50}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			near := func(a, b float32) bool { return a-b < 0.01 && b-a < 0.01 }
			if got := columnWidths(cols, c.width); !slices.EqualFunc(got, c.want, near) {
				t.Errorf("columnWidths(%v) = %v, want %v", c.width, got, c.want)
			}
		})
	}
}

// A column of codes with a floor gives way only once the names have given
// more than they do beside other columns, and not below its floor.
func TestColumnWidthsWithAFloor(t *testing.T) {
	cols := []tableColumn{{width: 100, flex: true}, {width: 200, floor: 100}, {width: 50}}
	cases := []struct {
		name  string
		width float32
		want  []float32
	}{
		{"the name gives way first", 330, []float32{80, 200, 50}},
		{"then more", 290, []float32{40, 200, 50}},
		{"then the codes", 260, []float32{40, 170, 50}},
		{"down to their floor: the table scrolls", 100, []float32{40, 100, 50}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			near := func(a, b float32) bool { return a-b < 0.01 && b-a < 0.01 }
			if got := columnWidths(cols, c.width); !slices.EqualFunc(got, c.want, near) {
				t.Errorf("columnWidths(%v) = %v, want %v", c.width, got, c.want)
			}
		})
	}
}

// Each Today row shows its whole message, on as many lines as it takes,
// whatever the width of the window.
func TestTodayRowsShowTheWholeMessage(t *testing.T) {
	shop := goldenShop(t)
	mustSKU(t, shop, "BOWL-L", "Hand-thrown speckled stoneware serving bowl, large, with a celadon glaze inside", domain.PathMicrofactory, "Clay Works", 4800)
	mustCount(t, shop, "BOWL-L", 1, day(-10))
	mustSell(t, shop, "BOWL-L", 1, day(-1))
	u, w := newTestUI(t, shop, Options{})
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		w.Resize(size)
		u.reload()
		var msgs []*widget.Label
		walk(u.today.list, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && o.Visible() && strings.Contains(l.Text, "BOWL-L") {
				msgs = append(msgs, l)
			}
			return o.Visible()
		})
		if len(msgs) == 0 {
			t.Fatalf("at %v no row shows BOWL-L:\n%s", size, texts(u.today.list))
		}
		for _, l := range msgs {
			assertShownWhole(t, size, l)
		}
	}
}

// assertShownWhole fails unless l, in a window of size, draws its whole
// text: wrapped, not cut, in the height it needs.
func assertShownWhole(t *testing.T, size fyne.Size, l *widget.Label) {
	t.Helper()
	if l.Truncation != fyne.TextTruncateOff || l.Wrapping == fyne.TextWrapOff {
		t.Errorf("at %v the text %q is cut to one line", size, l.Text)
	}
	if got, room := l.MinSize().Height, l.Size().Height; got > room {
		t.Errorf("at %v the text %q needs %.0f high and gets %.0f", size, l.Text, got, room)
	}
	var shown []string
	walk(l, func(o fyne.CanvasObject) bool {
		if x, ok := o.(*canvas.Text); ok && x.Text != "" {
			shown = append(shown, strings.TrimSpace(x.Text))
		}
		return true
	})
	if got := strings.Join(shown, " "); got != l.Text {
		t.Errorf("at %v the row draws %q, want the whole %q", size, got, l.Text)
	}
}

// A sync conflict's row shows what changed and both values whole in an
// 800×600 window, its Undo beside them: the values and the device that
// lost ended in "…", with no way to read them.
func TestConflictRowsShowWholeInASmallWindow(t *testing.T) {
	ctx := context.Background()
	a, b := conflictedPair(t)
	must[domain.SKU](t)(a.EditSKU(ctx, "MUG", app.SKUFields{Name: ptr("Blue stoneware mug with a speckled celadon glaze, large")}))
	must[domain.SKU](t)(b.EditSKU(ctx, "MUG", app.SKUFields{Name: ptr("Hand-thrown stoneware mug in a deep cobalt blue, small")}))
	exchange(t, a, b)
	u, w := newTestUI(t, a, Options{Screen: "sync"})
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		w.Resize(size)
		u.syncView.load()
		var labels []*widget.Label
		walk(u.syncView.list, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && o.Visible() && l.Text != "" {
				labels = append(labels, l)
			}
			return o.Visible()
		})
		if len(labels) != 4 {
			t.Fatalf("at %v the conflicts list shows %d texts, want 2 conflicts of 2:\n%s", size, len(labels), texts(u.syncView.list))
		}
		for _, l := range labels {
			assertShownWhole(t, size, l)
		}
		assertApart(t, size, conflictButtons(u.syncView.list))
	}
}

// assertApart fails the test when buttons, one above the other in a
// column, overlap: a row too short for its Undo and Keep drew its Keep
// over the next row's Undo.
func assertApart(t *testing.T, size fyne.Size, buttons []*widget.Button) {
	t.Helper()
	if len(buttons) != 4 {
		t.Fatalf("at %v the conflicts list shows %d buttons, want Undo and Keep on each of 2 rows", size, len(buttons))
	}
	d := fyne.CurrentApp().Driver()
	for i, b := range buttons {
		for _, c := range buttons[i+1:] {
			top, other := d.AbsolutePositionForObject(b).Y, d.AbsolutePositionForObject(c).Y
			if top < other+c.Size().Height && other < top+b.Size().Height {
				t.Errorf("at %v %s at %.0f–%.0f overlaps %s at %.0f–%.0f", size, b.Text, top, top+b.Size().Height, c.Text, other, other+c.Size().Height)
			}
		}
	}
}

// In an 800×600 window a SKU's facts show whole: they ended in "…" (the
// cover, the daily rate, the factory's name) where a third of the width
// was too narrow for them.
func TestSKUFactsShowWholeInASmallWindow(t *testing.T) {
	u, w := newTestUI(t, manyFactoriesShop(t), Options{Screen: "skus"})
	u.skus.showDetail("MUG")
	w.Resize(smallWindow)
	for name, l := range u.skus.detail.facts {
		for _, o := range test.WidgetRenderer(l).Objects() {
			walk(o, func(o fyne.CanvasObject) bool {
				if tx, ok := o.(*canvas.Text); ok && strings.Contains(tx.Text, "…") {
					t.Errorf("%s shows %q of %q", name, tx.Text, l.Text)
				}
				return true
			})
		}
	}
}

// A batch's actions are in view when its detail opens in an 800×600
// window: they came after its ten facts, below the window's foot.
func TestBatchActionsAreInViewInASmallWindow(t *testing.T) {
	shop := stockedShop(t)
	b := orderedBatch(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	w.Resize(smallWindow)
	selectBatch(t, u, b.ID)
	d := fyne.CurrentApp().Driver()
	for _, btn := range []*widget.Button{u.batches.detail.receive, u.batches.detail.edit, u.batches.detail.cancel} {
		if !btn.Visible() {
			continue
		}
		if bottom := d.AbsolutePositionForObject(btn).Y + btn.Size().Height; bottom > smallWindow.Height-40 {
			t.Errorf("%q ends at %.0f, below what a %v window shows", btn.Text, bottom, smallWindow)
		}
	}
}

// Every column of the batches table is in view in an 800×600 window,
// Status above all: it was past the table's right edge, and a maker had
// to scroll sideways to see whether a batch was overdue or held for QA.
// Only a factory's name may end in "…": codes, dates, numbers and
// statuses show whole.
func TestBatchColumnsFitASmallWindow(t *testing.T) {
	shop := manyFactoriesShop(t)
	partReceived(t, shop)
	u, w := newTestUI(t, shop, Options{Screen: "batches"})
	w.Resize(smallWindow)
	_, tableRight := absX(u.batches.table)
	factories := map[string]bool{}
	for _, b := range u.batches.view {
		factories[b.Factory] = true
	}
	walk(u.batches.table, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		if !ok || !o.Visible() || factories[l.Text] {
			return o.Visible()
		}
		walk(l, func(o fyne.CanvasObject) bool {
			if tx, ok := o.(*canvas.Text); ok && strings.Contains(tx.Text, "…") {
				t.Errorf("at %v the batches table shows %q of %q", smallWindow, tx.Text, l.Text)
			}
			return true
		})
		return false
	})
	for _, c := range batchColumns {
		var header *widget.Label
		walk(u.batches.table, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && o.Visible() && l.Text == c.title && l.TextStyle.Bold {
				header = l
			}
			return header == nil && o.Visible()
		})
		if header == nil {
			t.Errorf("at %v the %q column's header is not drawn: it is off the table's edge", smallWindow, c.title)
			continue
		}
		if _, right := absX(header); right > tableRight {
			t.Errorf("at %v the %q column ends at %.0f, past the table's right edge at %.0f", smallWindow, c.title, right, tableRight)
		}
	}
}

// With Basket ticked in an 800×600 window the basket's list shows at
// least four lines whole, below the longest message a tap gives (more in
// the basket than is available) and with the change for the cash given
// showing: it showed one and a half, the rest of the panel taken by its
// controls, and a maker could not see what was in the basket.
func TestBasketShowsFourLinesInASmallWindow(t *testing.T) {
	u, w := newTestUI(t, manyFactoriesShop(t), Options{Screen: "sell"})
	// The desktop window's menu bar takes some 30 of its 600 high; the
	// test window has none.
	small := smallWindow.SubtractWidthHeight(0, 30)
	w.Resize(small)
	s := u.sell
	test.Tap(s.basketMode)
	for _, code := range []string{"MUG", "PRINT-A4", "W1", "W2", "CANDLE"} {
		s.basket.add(code, 1)
	}
	s.basket.given.SetText("500")
	// The test canvas lays out again on a resize only, as the desktop one
	// does when what its objects need changes.
	w.Resize(small.AddWidthHeight(0, 1))
	w.Resize(small)
	if s.feedback.Importance != widget.WarningImportance {
		t.Fatalf("the message is %q, want the warning that none is available", s.feedback.Text)
	}
	if s.basket.change.Text == "" || s.basket.change.Size().Height == 0 {
		t.Fatalf("the change for the cash given, %q, is not shown", s.basket.change.Text)
	}
	// A list's smallest size is one row's; rows are set apart by padding.
	row, pad := s.basket.list.MinSize().Height, theme.Padding()
	if got, want := s.basket.list.Size().Height, 4*row+3*pad; got < want {
		t.Errorf("at %v the basket's list is %.0f high: %.1f lines, want at least 4", smallWindow, got, (got+pad)/(row+pad))
	}
	if !onScreen(w, s.basket.list) || !onScreen(w, s.basket.done) {
		t.Errorf("at %v the basket's list or its Done button is off the window", smallWindow)
	}
}

// A paused factory's detail leaves the factory list its width in an
// 800×600 window: its actions (Resume beside Pause, Purchase order, Quote)
// stood on one line as wide as the pane, and squeezed the list to a sliver
// of "…", whether paused by hand with a long reason or for its returns.
func TestPausedFactoryLeavesTheListItsWidth(t *testing.T) {
	shop := goldenShop(t)
	reason := strings.Repeat("smudged ink on the last three batches; ", 6)[:200]
	if err := shop.PauseFactory(context.Background(), "Print Hub", reason); err != nil {
		t.Fatal(err)
	}
	// Clay Works: 33 sold, 2 of them back defective, over the 3 % limit.
	mustSell(t, shop, "MUG", 10, day(-1))
	for range 2 {
		if _, err := shop.RecordReturn(context.Background(), app.Return{Code: "MUG", Qty: 1, Reason: "defect"}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct{ name, factory, paused string }{
		{"paused by hand with a 200-character reason", "Print Hub", "Smudged ink"},
		{"paused for its quality returns", "Clay Works", "Quality returns"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, w := newTestUI(t, shop, Options{Screen: "factories"})
			w.Resize(smallWindow)
			u.factories.selected = c.factory
			u.factories.showSelected()
			w.Resize(smallWindow.AddWidthHeight(0, 1)) // lay out again, as the desktop canvas does
			w.Resize(smallWindow)
			if got := u.factories.facts["Paused"].Text; !strings.HasPrefix(got, c.paused) {
				t.Fatalf("the detail says paused %q, want %q…", got, c.paused)
			}
			left, _ := absX(u.factories.list)
			_, right := absX(u.factories.obj)
			if got, want := u.factories.list.Size().Width, 0.3*(right-left); got < want {
				t.Errorf("at %v the factory list is %.0f wide of the %.0f it shares with the detail, want at least %.0f", smallWindow, got, right-left, want)
			}
			if _, r := absX(u.factories.resume); r > right {
				t.Errorf("at %v Resume ends at %.0f, past the window's %.0f", smallWindow, r, right)
			}
		})
	}
}

func TestColumnsShown(t *testing.T) {
	cols := []tableColumn{{width: 100, flex: true}, {width: 50, flex: false}, {width: 60, flex: false}, {width: 70, flex: false}}
	drop := []int{3, 2}
	cases := []struct {
		name  string
		width float32
		want  []int
	}{
		{"all fit", 4*4 + 100 + 50 + 60 + 70, []int{0, 1, 2, 3}},
		{"all fit with the name narrowed", 4*4 + 60 + 50 + 60 + 70, []int{0, 1, 2, 3}},
		{"the first to drop goes first", 4*4 + 59 + 50 + 60 + 70, []int{0, 1, 2}},
		{"then the next", 2*4 + 60 + 50, []int{0, 1}},
		{"none left to drop: the table scrolls", 10, []int{0, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := columnsShown(cols, drop, c.width, 4); !slices.Equal(got, c.want) {
				t.Errorf("columnsShown(%v) = %v, want %v", c.width, got, c.want)
			}
		})
	}
}

// The keyboard shortcuts fit an 800×600 window: the list scrolls above
// Close. It was taller than the window: Close sat over its last lines,
// and Esc's was off the window.
func TestKeyboardShortcutsFitASmallWindow(t *testing.T) {
	u, w := newTestUI(t, goldenShop(t), Options{Screen: "sell"})
	small := smallWindow.SubtractWidthHeight(0, 30) // less the desktop window's menu bar
	w.Resize(small)
	u.showKeys()
	var closeBtn *widget.Button
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "Close" {
			closeBtn = b
		}
		return closeBtn == nil
	})
	if closeBtn == nil {
		t.Fatal("the keyboard shortcuts have no Close button")
	}
	closeAt := fyne.CurrentApp().Driver().AbsolutePositionForObject(closeBtn)
	if bottom := closeAt.Y + closeBtn.Size().Height; bottom > small.Height || closeAt.Y < 0 {
		t.Errorf("Close is drawn from %.0f to %.0f, outside the %v window", closeAt.Y, bottom, small)
	}
	var scroll *container.Scroll
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if s, ok := o.(*container.Scroll); ok {
			scroll = s
		}
		return scroll == nil
	})
	if scroll == nil {
		t.Fatal("the keyboard shortcuts are taller than the window and do not scroll")
	}
	if bottom := fyne.CurrentApp().Driver().AbsolutePositionForObject(scroll).Y + scroll.Size().Height; bottom > closeAt.Y {
		t.Errorf("the list ends at %.0f, below Close's top at %.0f", bottom, closeAt.Y)
	}
}

// The Code column is fitted to the longest codes alone: measuring every
// code of a 5,000-SKU shop took half a second the first time, when opening
// the screen may take 50 ms.
func TestOnlyTheLongestCodesAreMeasured(t *testing.T) {
	rows := make([]app.StockRow, 5000)
	for i := range rows {
		rows[i].SKU.Code = fmt.Sprintf("SKU-%04d", i)
	}
	rows[4321].SKU.Code = "EBOOK-GLAZE-GUIDE"
	got := longestCodes(rows)
	if len(got) != 1 || got[0] != "EBOOK-GLAZE-GUIDE" {
		t.Errorf("longest codes %v; want EBOOK-GLAZE-GUIDE alone", got)
	}
	rows[4321].SKU.Code = "SKU-4321"
	if got := longestCodes(rows); len(got) != maxMeasuredCodes {
		t.Errorf("%d codes measured of 5,000 as long as each other; want %d", len(got), maxMeasuredCodes)
	}
}

// The batches list's SKU column fits its longest code, as the SKU list's
// Code column does: at 100 points it cut PLANTER-LARGE-SAGE to
// "PLANTER-…". In an 800×600 window the code shows whole too, and Status
// stays in view: Received and Held, numbers the detail shows, give way.
func TestBatchesShowALongSKUCodeWhole(t *testing.T) {
	shop := stockedShop(t)
	mustSKU(t, shop, "PLANTER-LARGE-SAGE", "Large sage planter", domain.PathMicrofactory, "Clay Works", 4000)
	if _, err := shop.OrderBatch(context.Background(), app.Order{Code: "PLANTER-LARGE-SAGE", Qty: 24, At: day(-1)}); err != nil {
		t.Fatal(err)
	}
	for _, size := range []fyne.Size{fyne.NewSize(1280, 900), smallWindow} {
		u, w := newTestUI(t, shop, Options{Screen: "batches"})
		w.Resize(size)
		var shown []string
		walk(u.batches.table, func(o fyne.CanvasObject) bool {
			if tx, ok := o.(*canvas.Text); ok && o.Visible() && strings.HasPrefix(tx.Text, "PLANTER") {
				shown = append(shown, tx.Text)
			}
			return o.Visible()
		})
		if len(shown) != 1 || shown[0] != "PLANTER-LARGE-SAGE" {
			t.Errorf("at %v the batches list shows the code as %q, want PLANTER-LARGE-SAGE whole", size, shown)
		}
		if got := u.batches.columns; !slices.Contains(got, len(batchColumns)-1) {
			t.Errorf("at %v the batches list shows the columns %v, without Status", size, got)
		}
	}
}

// The SKU list's columns fit the window the app opens in, and an 800×600
// one, without scrolling sideways: at 1000×680 Per day was past the
// table's edge, cut to "Pe". The columns the list is read for show; the
// others give way.
func TestSKUColumnsFitTheWindow(t *testing.T) {
	shop := manyFactoriesShop(t)
	// As long as the demo shop's longest code, which widens the Code column.
	mustSKU(t, shop, "BOWL-NOODLE", "Stoneware noodle bowl", domain.PathMicrofactory, "Clay Works", 1800)
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	for _, size := range []fyne.Size{DefaultSize, smallWindow} {
		w.Resize(size)
		_, tableRight := absX(u.skus.table)
		for _, title := range []string{"Code", "Name", "Status", "Available", "Cover", "Per day"} {
			if _, right := absX(headerButton(t, u, title)); right > tableRight {
				t.Errorf("at %v the %s column ends at %.0f, past the table's edge at %.0f", size, title, right, tableRight)
			}
		}
	}
	// With columns left out, a heading still sorts by its own column.
	test.Tap(headerButton(t, u, "Per day"))
	if got := skuColumns[u.skus.sortCol].title; got != "Per day" || !strings.HasSuffix(headerButton(t, u, "Per day").Text, "▲") {
		t.Errorf("tapping Per day sorted by %s", got)
	}
}

// At 800×600 the factory list shows each factory's kind, place and lead
// time whole, with a factory shown beside it or not: "microfactory ·
// overseas · 30 days" was cut to "microfactory · ov…".
func TestTheFactoryListShowsKindPlaceAndLeadTimeWhole(t *testing.T) {
	shop := goldenShop(t)
	must[domain.Factory](t)(shop.AddFactory(context.Background(), domain.Factory{Name: "Pearl River Pin Works",
		Kind: domain.KindMicrofactory, Location: domain.LocationOverseas, LeadDays: 120}))
	if err := shop.PauseFactory(context.Background(), "Pearl River Pin Works", "pins arrived bent"); err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, shop, Options{Screen: "factories"})
	for _, selected := range []string{"", "Pearl River Pin Works"} {
		if selected != "" {
			u.factories.selected = selected
			u.factories.showSelected()
		}
		w.Resize(smallWindow.AddWidthHeight(0, 1)) // lay out again, as the desktop canvas does
		w.Resize(smallWindow.SubtractWidthHeight(0, 30))
		seen := 0
		walk(u.factories.list, func(o fyne.CanvasObject) bool {
			l, ok := o.(*widget.Label)
			if !ok || !o.Visible() || !strings.Contains(l.Text, " · ") {
				return o.Visible()
			}
			seen++
			need := fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width + 2*theme.InnerPadding()
			if l.Size().Width < need {
				t.Errorf("at 800×600 with %q shown, the list has %.0f for %q, which needs %.0f", selected, l.Size().Width, l.Text, need)
			}
			return true
		})
		if seen == 0 {
			t.Fatal("the factory list shows no kind, place and lead time")
		}
	}
}

// A shop named at length (names take up to 120 letters) leaves every
// screen an 800×600 window: its name above the screens' list widened the
// list to fit it, and the window with it, past the screen's edge. The
// name gives way, whole in the window's title.
func TestALongShopNameFitsASmallWindow(t *testing.T) {
	long := "The Extremely Long Named Ceramic, Textile and Risograph Print Workshop Collective of the Old Harbour"
	shop := apptest.ShopAt(t, filepath.Join(t.TempDir(), "shop.db"), app.NewShop{Name: long, Device: "stall laptop"},
		app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	for _, screen := range ScreenNames {
		t.Run(screen, func(t *testing.T) {
			u, w := newTestUI(t, shop, Options{Screen: screen})
			w.Resize(smallWindow)
			if got := w.Canvas().Content().MinSize(); got.Width > smallWindow.Width || got.Height > smallWindow.Height {
				t.Errorf("the %s screen of %q needs %v, more than a %v window", screen, long, got, smallWindow)
			}
			if u.name.Text != long || !strings.Contains(w.Title(), long) {
				t.Errorf("the shop's name reads %q above the screens and %q in the title; want %q whole in the title", u.name.Text, w.Title(), long)
			}
		})
	}
}

// A shop's name of a few words shows whole above the screens' list, in
// an 800×600 window and at the usual size; a long one gives way
// (TestALongShopNameFitsASmallWindow).
func TestAShopNameOfAFewWordsShowsWhole(t *testing.T) {
	name := "Fern & Kiln Studio of Leith"
	shop := apptest.ShopAt(t, filepath.Join(t.TempDir(), "shop.db"), app.NewShop{Name: name, Device: "stall laptop"},
		app.Options{Now: (&testClock{t: testNow}).Now, Location: time.UTC})
	u, w := newTestUI(t, shop, Options{Screen: "skus"})
	for _, size := range []fyne.Size{smallWindow, DefaultSize} {
		w.Resize(size)
		layOut(w.Content())
		if got := strings.Join(shownLines(u.name), " "); got != name {
			t.Errorf("at %v the shop's name reads %q; want %q", size, got, name)
		}
	}
}
