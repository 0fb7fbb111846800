package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/assets"
	"microshop/domain"
)

// sellScreen is fair mode: a tile per SKU, tap to sell, a search box that
// takes a barcode scanner's code and Enter, undo, and the day's total.
type sellScreen struct {
	u    *UI
	obj  fyne.CanvasObject
	body *fyne.Container // below the title: the bars, the tiles and the basket
	gen  int

	search   *scanEntry
	qty      *fieldEntry
	undoBtn  *widget.Button
	total    *widget.Label
	feedback *widget.Label
	grid     *tileGrid
	empty    *widget.Label

	// asked is a scan beyond stock waiting for the same code again (or
	// Enter) to be sold anyway; any other scan drops it.
	asked *app.ShortError

	rows []app.StockRow // this screen's copy of the shared report, moved by its own sales
	keys []string       // lower-case code and name of each row, for search
	view []int          // rows shown, by index
	undo []undoable     // what Undo voids, the last sale last
	// undid: Undo voided a sale since the last one was made, so the next
	// Undo would reach a sale before it, most likely another buyer's.
	undid bool
	// standing is the lines still sold of the basket Undo offers, as last
	// read, so its button counts those only: a line voided since from
	// Sales or on another device left it reading "basket of 3 lines".
	standing undoStanding
	// resuming: the sale this device made before the screen was built
	// (before the app was last closed, say) is still being read for Undo.
	resuming bool
	// stopUndoEnd stops the timer that ends the offer of the sale Undo
	// shows once undoWindow has passed; nil when none is offered.
	stopUndoEnd func() bool

	basket     *basketPanel
	basketMode *widget.Check
	place      *placeBar
}

// undoable is a sale Undo may void: one line, or a basket's lines.
type undoable struct {
	lines []app.SaleResult
	at    time.Time // when it was sold, by the shop's clock
}

// undoStanding is the lines still sold of the sale whose first line is
// first, as last read.
type undoStanding struct {
	first string
	lines []app.SaleResult
}

// undoWindow is how long Undo offers a sale: long enough to see a mistap
// or a double scan, short enough that a paid sale is not voided hours
// later by a Ctrl+Z meant for something else (it voided a 138.15 basket
// after the stall had been counted). Older sales are voided from Sales.
const undoWindow = 10 * time.Minute

// sellHint and basketHint are the line under the search box until the
// first sale, as taps sell or fill the basket.
const (
	sellHint   = "Tap a tile to sell it. Ctrl+Z undoes the last sale."
	basketHint = "Tap a tile to put it in the basket. Ctrl+Z takes the last line out."
)

// hint is the line under the search box that says what a tap does now.
func (s *sellScreen) hint() string {
	if s.inBasket() {
		return basketHint
	}
	return sellHint
}

// inBasket reports whether Basket is ticked: taps fill the basket, and
// Ctrl+Z takes its last line out.
func (s *sellScreen) inBasket() bool {
	return s.basketMode != nil && s.basketMode.Checked
}

func newSellScreen(u *UI) *sellScreen { return &sellScreen{u: u} }

func (s *sellScreen) title() string       { return "Sell" }
func (s *sellScreen) icon() fyne.Resource { return assets.SellIcon }

func (s *sellScreen) content() fyne.CanvasObject {
	if s.obj != nil {
		return s.obj
	}
	s.search = newScanEntry(s.undoKey, s.dropScan)
	s.search.onDown = func() { s.u.win.Canvas().Focus(s.grid) }
	s.search.SetPlaceHolder("Scan or search; Enter sells")
	s.search.OnChanged = func(string) {
		s.grid.home() // other tiles are shown: the keys start at the first
		s.filter()
	}
	s.search.OnSubmitted = s.submit

	s.qty = newFieldEntry()
	s.qty.SetText("1")
	s.qty.OnChanged = func(string) {
		// A refusal of the quantity goes once it is corrected: it stayed
		// in red beside a valid 1, and the next tap seemed to fail too.
		if s.feedback.Importance == widget.DangerImportance {
			if _, err := parseQty(s.qty.Text); err == nil {
				s.say(s.hint(), widget.MediumImportance)
			}
		}
	}
	s.qty.OnSubmitted = func(string) { s.u.win.Canvas().Focus(s.search) }
	minus := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { s.stepQty(-1) })
	plus := widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() { s.stepQty(1) })
	qtyBox := container.NewHBox(widget.NewLabel("Quantity"), minus, container.NewGridWrap(fyne.NewSize(64, s.qty.MinSize().Height), s.qty), plus)

	s.undoBtn = widget.NewButtonWithIcon("Undo last sale", theme.ContentUndoIcon(), s.undoLast)
	s.undoBtn.Disable()
	s.total = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	s.feedback = widget.NewLabel(sellHint)
	s.feedback.Wrapping = fyne.TextWrapWord

	s.grid = newTileGrid(func() int { return len(s.view) },
		func() fyne.CanvasObject { return newTile() },
		func(id widget.GridWrapItemID, o fyne.CanvasObject) {
			if id >= len(s.view) {
				return
			}
			r := s.rows[s.view[id]]
			t := o.(*tile)
			t.show(r, r.Assessment, s.u.info.Currency)
			t.ring(s.grid.ringed(id))
			skuID := r.SKU.ID // a code two devices added apart names one SKU
			t.onTap = func() { s.sell(skuID) }
		})
	pick := func(id widget.GridWrapItemID) {
		if id < len(s.view) {
			s.grid.at = id // a tap moves the keys' ring there too
			s.sell(s.rows[s.view[id]].SKU.ID)
		}
	}
	s.grid.OnSelected = func(id widget.GridWrapItemID) {
		s.grid.UnselectAll()
		pick(id)
	}
	s.grid.onPick = pick
	s.grid.onLeave = func() { s.u.win.Canvas().Focus(s.search) }
	s.empty = widget.NewLabel("")
	// A long scan is cut, not wrapped: wrapped in the narrow column it
	// stood a letter a line and made the window thousands of pixels tall;
	// unwrapped it widened the window past 800.
	s.empty.Truncation = fyne.TextTruncateEllipsis
	s.empty.Hide()

	sales := widget.NewButtonWithIcon("Sales…", theme.ListIcon(), func() { s.u.showSales(s.load) })
	s.basket = newBasketPanel(s)
	s.basketMode = widget.NewCheck("Basket", func(on bool) {
		if on {
			s.basket.obj.Show()
		} else {
			s.basket.obj.Hide()
		}
		s.say(s.hint(), widget.MediumImportance) // what a tap does now, over the last sale's word
		s.showUndo()                             // in words, or beside the undo arrow
		s.u.showUndoKey(on)
		s.obj.Refresh() // the grid gives the basket its room, or takes it back
		s.u.win.Canvas().Focus(s.search)
	})
	beside := container.NewHBox(qtyBox, s.undoBtn)
	// The message line keeps the height of its longest message at this
	// width: the tiles below stay put as messages come and go, where
	// they moved under a finger about to tap. It has a row of its own:
	// beside the day's total, its width changed as the total grew, and
	// each new width wrapped it afresh and moved the tiles again.
	feedback := container.New(&steadyHeight{}, s.feedback)
	totals := container.NewBorder(nil, nil, nil, container.NewHBox(s.basketMode, sales), s.total)
	s.place = newPlaceBar(s)
	s.body = container.New(sellBody{}, s.search,
		container.New(tilesBeside{}, container.NewStack(s.grid, container.NewCenter(s.empty)), s.basket.obj),
		beside, container.NewVBox(totals, feedback))
	s.obj = screenLayout("Sell", s.place.obj, s.body)
	s.resumeUndo()
	return s.obj
}

// moveTo sets what code's tile shows to what a sale or its undo left
// available: the same domain judgement the report made, moved by the
// sale, until the shop is read again. The sale's result is the one source.
func (s *sellScreen) moveTo(code string, available int) {
	for i := range s.rows {
		if s.rows[i].SKU.Code == code {
			s.rows[i].Assessment = s.rows[i].Assessment.WithAvailable(available)
			return
		}
	}
}

func (s *sellScreen) load() {
	s.content()
	s.gen++
	gen := s.gen
	basket := s.lastBasket()
	s.u.run(func(ctx context.Context) (func(), error) {
		standing, err := s.u.shop.StandingSales(ctx, saleIDs(basket))
		if err != nil {
			return nil, err
		}
		locs, err := s.u.shop.Locations(ctx)
		if err != nil {
			return nil, err
		}
		here, err := s.u.shop.DeviceLocation(ctx)
		if err != nil {
			return nil, err
		}
		// Away from main, the tiles show what is here: a sale is checked
		// against its location's stock.
		rows, err := s.u.data.stock(ctx)
		if here.ID != "" {
			rows, err = s.u.shop.StockAt(ctx, s.u.shop.AsOfNow(), "", here.Name)
			emptyHere(rows)
		}
		if err != nil {
			return nil, err
		}
		total, err := s.u.shop.DaySales(ctx, s.u.shop.AsOfNow())
		if err != nil {
			return nil, err
		}
		keys := make([]string, len(rows))
		for i, r := range rows {
			keys[i] = strings.ToLower(r.SKU.Code + "\x00" + r.SKU.Shown())
		}
		return func() {
			if gen != s.gen {
				return
			}
			s.rows, s.keys = slices.Clone(rows), keys
			s.place.show(locs, here)
			// Lines, as the day's close counts them: a basket is one order
			// of several lines.
			s.total.SetText(fmt.Sprintf("Today: %s · %s · %s %s", plural(total.Sales, "line", "lines"),
				plural(total.Units, "unit", "units"), total.Amount.Format(s.u.info.Currency), s.u.info.Currency))
			s.noteStanding(basket, standing)
			// Counts the basket's lines still sold, and ends an offer whose
			// timer runs late: a timer does not count the time a laptop slept.
			s.showUndo()
			s.filter()
		}, nil
	})
}

// emptyHere shows a SKU with none at this location as out of stock, as
// a sale there leaves it: the shop's status (what reorders judge) stays
// in the row otherwise. The tile had shown green with none at the stall
// while main held plenty, until a sale there turned it red.
func emptyHere(rows []app.StockRow) {
	for i, r := range rows {
		if r.Status != domain.StatusDigital && r.Available <= 0 {
			rows[i].Status = domain.StatusOf(r.SKU.Path, r.Available, r.Plan)
		}
	}
}

func (s *sellScreen) shown() { s.u.win.Canvas().Focus(s.search) }

// filter shows the tiles whose code or name holds the search text.
func (s *sellScreen) filter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Text))
	s.view = s.view[:0]
	for i, k := range s.keys {
		if q == "" || strings.Contains(k, q) {
			s.view = append(s.view, i)
		}
	}
	switch {
	case len(s.rows) == 0:
		s.empty.SetText("No SKUs on sale yet: add them on the SKUs screen (Ctrl+3).")
		s.empty.Show()
	case len(s.view) == 0:
		s.empty.SetText(fmt.Sprintf("No SKU matches %q.", s.search.Text))
		s.empty.Show()
	default:
		s.empty.Hide()
	}
	s.grid.Refresh()
}

// submit sells the SKU whose code the search box holds exactly (a scanner
// types it and Enter); anything else is explained under the box.
func (s *sellScreen) submit(text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	asked := s.asked
	s.asked = nil
	for _, i := range s.view {
		if code := s.rows[i].SKU.Code; strings.EqualFold(code, text) {
			if asked != nil && asked.Code == code && s.qty.Text == strconv.Itoa(asked.Qty) {
				s.sellAnyway(code, asked.Qty)
				return
			}
			if asked != nil && asked.Code != code {
				s.qty.SetText("1") // the quantity was the refused scan's
			}
			s.sellScanned(code)
			return
		}
	}
	// A code is sold whole. Part of one (a misread, another shop's label,
	// an archived SKU's code inside another's) must not sell the tile it
	// happens to leave.
	switch len(s.view) {
	case 0:
		s.sell(text) // the shop says why: no such SKU, or archived
	case 1:
		s.fail(domain.Errorf(domain.EInvalid, "%q is not the code of a SKU on sale; it matches %s: type its whole code, or tap its tile (or ↓ and Enter)", text, s.rows[s.view[0]].SKU.Code))
	default:
		s.fail(domain.Errorf(domain.EInvalid, "%q matches %d SKUs; type the whole code, or tap the tile (or ↓, the arrows and Enter)", text, len(s.view)))
	}
}

// dropScan is Escape in the search box: the code typed, a sale beyond
// stock waiting to be confirmed and the quantity set for it all go, and
// the next scan sells one.
func (s *sellScreen) dropScan() {
	if s.asked != nil || s.feedback.Importance == widget.DangerImportance {
		s.say("", widget.MediumImportance)
	}
	s.asked = nil
	s.qty.SetText("1")
	// The refused code is selected (fail): emptied with the selection
	// standing, the box swallowed the next key typed.
	s.search.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	s.search.SetText("")
}

func (s *sellScreen) stepQty(d int) {
	n, err := strconv.Atoi(strings.TrimSpace(s.qty.Text))
	if err != nil {
		n = 1
	}
	s.qty.SetText(strconv.Itoa(max(1, n+d)))
}

// sell records a sale of the quantity shown of sku, a code or an id, for
// a tap on its tile. A sale beyond what is available asks first, then
// records it anyway (it physically happened).
func (s *sellScreen) sell(sku string) {
	s.trySell(sku, s.confirmOversell)
}

// sellScanned is sell for a scan: a sale beyond what is available asks on
// the line under the search box, where the next scan answers.
func (s *sellScreen) sellScanned(sku string) {
	s.trySell(sku, s.askInline)
}

func (s *sellScreen) trySell(sku string, ask func(sku string, short *app.ShortError)) {
	qty, err := parseQty(s.qty.Text)
	if err != nil {
		s.fail(err)
		return
	}
	if s.basketMode.Checked {
		s.basket.add(sku, qty)
		return
	}
	s.u.write(func(ctx context.Context) func() {
		res, err := s.u.shop.Sell(ctx, app.Sale{Code: sku, Qty: qty})
		return func() {
			var short *app.ShortError
			switch {
			case err == nil:
				s.sold(res)
			case errors.As(err, &short):
				ask(sku, short)
			default:
				s.fail(err)
			}
		}
	})
}

// sellAnyway records a sale beyond what is available, once asked.
func (s *sellScreen) sellAnyway(sku string, qty int) {
	s.u.write(func(ctx context.Context) func() {
		res, err := s.u.shop.Sell(ctx, app.Sale{Code: sku, Qty: qty, Force: true})
		return func() {
			if err != nil {
				s.fail(err)
				return
			}
			s.sold(res)
		}
	})
}

// askInline asks whether to sell a scanned SKU beyond what is available on
// the line under the search box, as fail says why a scan was refused: a
// dialog would take the keyboard, and the scans typed while it was open
// were lost. The code stays in the box, selected: Enter or the same code
// again sells it anyway, another code replaces it and drops the question.
func (s *sellScreen) askInline(sku string, short *app.ShortError) {
	// Short: at 800×600 the line under the search box is a narrow column.
	s.fail(domain.Errorf(domain.EInvalid, "%s Scan it again, or press Enter, to sell %d anyway.", s.shortSentence(short), short.Qty))
	s.asked = short
}

// fail says why a sale was not recorded on the line under the search box,
// in the error colour, until the next sale replaces it. A dialog would
// take the keyboard: Enter does not close it, and the next scan would be
// typed into nothing. The refused text stays, selected, so the next scan
// replaces it.
func (s *sellScreen) fail(err error) {
	s.say(sentence(domain.ErrorMessage(err)), widget.DangerImportance)
	s.u.win.Canvas().Focus(s.search)
	s.search.selectAll()
}

func (s *sellScreen) confirmOversell(sku string, short *app.ShortError) {
	qty := short.Qty
	msg := fmt.Sprintf("%s%s Record the sale of %d anyway? It shows as oversold until you count the stock.", s.shortSentence(short), moveFirst(short), qty)
	d := s.u.newQuestion("Sell beyond stock?", msg, func(ok bool) {
		if !ok {
			s.u.win.Canvas().Focus(s.search)
			s.search.selectAll()
			return
		}
		s.sellAnyway(sku, qty)
	})
	d.SetConfirmText("Sell anyway")
	d.SetDismissText("Cancel")
	s.u.showDialog(d)
}

// moveFirst says, after shortSentence in a question, where else the units
// are and to move some here first: sold anyway, this location reads
// oversold while the other keeps units that left it. "" when none are
// elsewhere; too long for the line under the search box.
func moveFirst(short *app.ShortError) string {
	hint := short.MoveHint()
	if hint == "" || short.Later || short.Part != "" {
		return ""
	}
	return " " + sentence(hint+", with Move… on its SKU page")
}

// shortSentence says how many can be sold now; a sale that is short only
// at a later moment (a backdated one) keeps the shop's fuller sentence.
func (s *sellScreen) shortSentence(short *app.ShortError) string {
	r, ok := s.row(short.Code)
	if short.Later || !ok {
		return sentence(domain.ErrorMessage(short))
	}
	name := fmt.Sprintf("%s (%s)", r.SKU.Code, r.SKU.Shown())
	if here := s.place.here; here.ID != "" {
		name += " at " + here.Name // the rest of the shop may hold plenty
	}
	var text string
	switch {
	case short.Available < 0:
		text = fmt.Sprintf("%s is already oversold by %d.", name, -short.Available)
	case short.Available == 0:
		text = fmt.Sprintf("No units of %s are available.", name)
	case short.Available == 1:
		text = fmt.Sprintf("Only 1 unit of %s is available.", name)
	default:
		text = fmt.Sprintf("Only %d units of %s are available.", short.Available, name)
	}
	if short.Part != "" { // a kit: say which part to count or reorder
		text += fmt.Sprintf(" Its part %s is short.", short.Part)
	}
	return text
}

func (s *sellScreen) sold(res app.SaleResult) {
	s.asked = nil
	s.madeSale([]app.SaleResult{res})
	s.moveTo(res.Code, res.Available)
	left, importance := leftText(res.Available), widget.SuccessImportance
	if res.Digital {
		left = "digital"
	} else if res.Available <= 0 {
		importance = widget.WarningImportance // sold, but none left to sell
	}
	s.say(fmt.Sprintf("Sold %d × %s at %s %s · %s", res.Qty, res.Code, res.Price.Format(s.u.info.Currency), s.u.info.Currency, left), importance)
	s.qty.SetText("1")
	s.search.SetText("")
	s.showUndo()
	s.grid.Refresh()
	s.u.changed()
	s.u.win.Canvas().Focus(s.search)
}

func (s *sellScreen) row(code string) (app.StockRow, bool) {
	for _, r := range s.rows {
		if r.SKU.Code == code {
			return r, true
		}
	}
	return app.StockRow{}, false
}

// undoKey is Ctrl+Z on the Sell screen: with a basket open it takes the
// basket's last line out; else it voids the last sale. It had voided an
// earlier customer's paid sale while a basket was being built, without a
// word.
func (s *sellScreen) undoKey() {
	if !s.inBasket() {
		s.undoLast()
		return
	}
	s.takeOutOfBasket()
}

// takeOutOfBasket takes the basket's last line out, or says the basket
// is empty and how to void the last sale instead.
func (s *sellScreen) takeOutOfBasket() {
	if len(s.basket.lines) == 0 {
		s.say("The basket is empty. To undo the last sale, press Undo last sale.", widget.MediumImportance)
		return
	}
	s.basket.takeLastOut()
}

// say puts a sentence on the line under the search box.
func (s *sellScreen) say(text string, importance widget.Importance) {
	s.feedback.SetText(text)
	s.feedback.Importance = importance
	s.feedback.Refresh()
	// The line wraps: laid out again, the tiles move down for a longer
	// one instead of being written over (the screen's size is the same,
	// so nothing else lays it out).
	if s.body != nil {
		s.body.Layout.Layout(s.body.Objects, s.body.Size())
	}
}

// madeSale offers a sale just made, its lines, to Undo.
func (s *sellScreen) madeSale(lines []app.SaleResult) {
	s.undo = append(s.undo, undoable{lines, s.u.shop.Now()})
	s.undid = false
}

// resumeUndo offers Undo the sale this device made last, in the last
// undoWindow, before the screen was built: a stall laptop that restarted
// had lost it, and the sale made just before could not be undone. It is
// read in turn with the writes, as askUndo reads, so a sale made on the
// screen after it is offered after it.
func (s *sellScreen) resumeUndo() {
	s.resuming = true
	s.u.write(func(ctx context.Context) func() {
		lines, err := s.u.shop.LastOwnSale(ctx, s.u.shop.Now().Add(-undoWindow))
		return func() {
			s.resuming = false
			s.u.finish(func() { s.resumed(lines) }, err)
		}
	})
}

// resumed offers lines, the sale made before the screen was built, to
// Undo; the screen has made none yet, its writes coming after. Its lines
// voided already are counted as an undo counts them (noteStanding).
func (s *sellScreen) resumed(lines []app.SaleLine) {
	if len(lines) == 0 {
		return
	}
	sold := make([]app.SaleResult, len(lines))
	var standing []string
	for i, l := range lines {
		sold[i] = app.SaleResult{ID: l.ID, Order: l.Order, Code: l.Code, Qty: l.Qty, Price: l.Price}
		if !l.Voided {
			standing = append(standing, l.ID)
		}
	}
	s.undo = []undoable{{sold, lines[0].At}}
	s.noteStanding(sold, standing)
	s.showUndo()
}

// undoLast voids the last sale this window recorded in the last
// undoWindow; a basket is asked about first, as voiding a line is, and so
// is the sale before one just undone. A single sale is voided at once,
// unless a return of what it sold was recorded since: then it is asked
// about too (undoWarnings).
func (s *sellScreen) undoLast() {
	if s.resuming {
		// Undo from the menu on another screen builds this one and undoes
		// at once: it undoes once the sale made before is read, in turn
		// with the writes.
		s.u.write(func(context.Context) func() { return s.undoLast })
		return
	}
	s.dropOldUndos()
	switch n := len(s.undo); {
	case n == 0:
		s.say(fmt.Sprintf("Nothing to undo: Undo takes back a sale of the last %d minutes; void an older one from Sales and close of day.", int(undoWindow/time.Minute)), widget.MediumImportance)
		s.showUndo()
	case len(s.undo[n-1].lines) > 1 || s.undid || s.inBasket():
		// With Basket ticked, Undo's button names no sale (labelUndo):
		// the question does.
		s.askUndo()
	default:
		s.voidLast("", nil)
	}
}

// askUndo asks before voiding the last sale, counting only its lines
// still standing: a line voided since, from the Sales list or on another
// device, has no units to give back. It counted every line of a basket,
// and asked even when none was left. It reads in turn with the writes, as
// voidLast does, so the sale asked about is recorded.
func (s *sellScreen) askUndo() {
	s.u.write(func(ctx context.Context) func() {
		var last undoable
		s.u.onUI(func() {
			if n := len(s.undo); n > 0 {
				last = s.undo[n-1]
			}
		})
		if len(last.lines) == 0 {
			return nil
		}
		standing, err := s.u.shop.StandingSales(ctx, saleIDs(last.lines))
		var warnings []string
		if err == nil {
			left, _ := splitStanding(last.lines, standing)
			warnings, err = undoWarnings(ctx, s.u.shop, left)
		}
		return func() { s.offerUndo(last, standing, warnings, err) }
	})
}

// undoWarnings are what voiding lines may count twice (app.VoidWarnings),
// each said once: a kit's lines, or two lines of one SKU, say the same.
// Undo takes back a sale of the last minutes, so a return since is rare;
// when there is one, it is the likeliest of all to be this sale's units
// (the buyer brought it straight back and it was recorded as a return),
// so Undo asks then, and only then.
func undoWarnings(ctx context.Context, shop *app.Shop, lines []app.SaleResult) ([]string, error) {
	var out []string
	for _, l := range lines {
		warnings, err := shop.VoidWarnings(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		for _, w := range warnings {
			if !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out, nil
}

// withVoidWarnings adds warnings, each a sentence, to a question about a
// void.
func withVoidWarnings(question string, warnings []string) string {
	for _, w := range warnings {
		question += "\n\n" + sentence(desktopDates(w))
	}
	return question
}

// isoDate is a date as the app writes it in a message it shares with the
// command line, such as a void's warnings.
var isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// desktopDates writes the dates in s as the rest of the desktop does
// (dateText): the void question said "on 2026-06-01 12:00" over a list
// headed "Monday 1 June". Only what is shown changes: the void is given
// the warnings as the app wrote them, to check they were all asked.
func desktopDates(s string) string {
	return isoDate.ReplaceAllStringFunc(s, func(d string) string {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return d
		}
		return t.Format("2 Jan 2006")
	})
}

// offerUndo asks whether to void last's lines still standing, or says
// none is left and offers the sale before it; warnings, of a return since
// the sale, are asked about with it.
func (s *sellScreen) offerUndo(last undoable, standing, warnings []string, err error) {
	if err != nil {
		s.fail(err)
		return
	}
	if n := len(s.undo); n == 0 || s.undo[n-1].lines[0].ID != last.lines[0].ID {
		return // undone, or gone from Undo, while it was read
	}
	left, already := splitStanding(last.lines, standing)
	s.noteStanding(last.lines, standing)
	s.showUndo()
	switch {
	case len(left) == 0:
		s.undone(nil, already, nil)
	case len(last.lines) > 1:
		s.u.ask("Undo the basket?", withVoidWarnings(s.basketCameTo(last)+" "+undoBasketText(left, already), warnings), "Undo the basket", "Keep it",
			func() { s.voidLast(last.lines[0].ID, warnings) })
	case s.undid:
		s.u.ask("Undo the sale before?", withVoidWarnings(fmt.Sprintf("The sale made before the one just undone, %s at %s, will be voided and its units come back.",
			undoText(last.lines), last.at.In(s.u.shop.Location()).Format("15:04")), warnings), "Undo it too", "Keep it",
			func() { s.voidLast(last.lines[0].ID, warnings) })
	default:
		s.askUndoSale(last, warnings, "Undo it")
	}
}

// askUndoAnyway asks before voiding last, a single sale, when a return
// since may have been of its units (warnings).
func (s *sellScreen) askUndoAnyway(last undoable, warnings []string) {
	if n := len(s.undo); n == 0 || s.undo[n-1].lines[0].ID != last.lines[0].ID {
		return // undone, or gone from Undo, while it was read
	}
	s.askUndoSale(last, warnings, "Undo it anyway")
}

// askUndoSale asks whether to void last, a single sale, with warnings of
// returns since it, yes on the button that voids it.
func (s *sellScreen) askUndoSale(last undoable, warnings []string, yes string) {
	s.u.ask("Undo the sale?", withVoidWarnings(fmt.Sprintf("The sale of %s at %s will be voided and its units come back.",
		undoText(last.lines), last.at.In(s.u.shop.Location()).Format("15:04")), warnings), yes, "Keep it",
		func() { s.voidLast(last.lines[0].ID, warnings) })
}

// basketCameTo says which basket Undo would void: when it was sold, its
// items and what it came to as paid, every line of it ("The basket sold
// at 14:05 came to 3 items, 54.00 EUR."). The question said only how many
// lines it voids, and with the next basket being built beside it the
// maker could not tell which basket that was.
func (s *sellScreen) basketCameTo(sale undoable) string {
	cur := s.u.info.Currency
	units, total := 0, domain.Money(0)
	for _, l := range sale.lines {
		units += l.Qty
		total += l.Price * domain.Money(l.Qty)
	}
	return fmt.Sprintf("The basket sold at %s came to %s, %s %s.", sale.at.In(s.u.shop.Location()).Format("15:04"),
		plural(units, "item", "items"), total.Format(cur), cur)
}

// undoBasketText says what undoing a basket voids: its lines still
// standing, not those voided already.
func undoBasketText(left, already []app.SaleResult) string {
	switch {
	case len(already) == 0:
		return fmt.Sprintf("Its %d lines are voided and their units come back.", len(left))
	case len(left) == 1:
		return fmt.Sprintf("Its one line still sold, %s, is voided and its units come back; %s voided already.", undoText(left), linesWere(already))
	}
	return fmt.Sprintf("Its %d lines still sold are voided and their units come back; %s voided already.", len(left), linesWere(already))
}

// linesWere names lines voided already: "the other line was", "the
// other 2 lines were".
func linesWere(lines []app.SaleResult) string {
	if len(lines) == 1 {
		return "the other line was"
	}
	return fmt.Sprintf("the other %d lines were", len(lines))
}

// voidLast voids the last sale Undo offers. It runs after the sales asked
// before it are recorded, so it undoes the last one even when the scans
// came faster than the disk. asked is the first line of the sale the
// maker was asked about and said yes to, warned the warnings they were
// shown; any other sale was asked about with none. Each void reads the
// returns since its sale again (app.VoidSaleWarned): when one the maker
// was not told of turns up before a line is voided, Undo asks with it.
func (s *sellScreen) voidLast(asked string, warned []string) {
	s.u.write(func(ctx context.Context) func() {
		var sale undoable
		s.u.onUI(func() {
			if n := len(s.undo); n > 0 {
				sale = s.undo[n-1]
			}
		})
		last := sale.lines
		if len(last) == 0 {
			return nil
		}
		if last[0].ID != asked {
			warned = nil
		}
		var voided, already []app.SaleResult
		var err error
		for _, l := range last {
			err = s.u.shop.VoidSaleWarned(ctx, l.ID, "", warned)
			if errors.Is(err, app.ErrVoidedAlready) { // from the Sales list, or another device
				already, err = append(already, l), nil
				continue
			}
			if err != nil {
				break
			}
			voided = append(voided, l)
		}
		if errors.Is(err, app.ErrVoidWarned) && len(voided) == 0 {
			warnings, err := undoWarnings(ctx, s.u.shop, last)
			if err != nil {
				return func() { s.undone(nil, nil, err) }
			}
			return func() { s.askUndoAnyway(sale, warnings) }
		}
		return func() { s.undone(voided, already, err) }
	})
}

// dropOldUndos forgets the sales whose undoWindow has passed: those made
// undoWindow ago or longer. The moment the window ends counts as passed,
// so the timer set for that moment (showUndo) finds the sale gone.
func (s *sellScreen) dropOldUndos() {
	since := s.u.shop.Now().Add(-undoWindow)
	s.undo = slices.DeleteFunc(s.undo, func(u undoable) bool { return !u.at.After(since) })
}

// undone shows the outcome of undoing the last sale: the lines voided now,
// and those found voided already. After an error the sale stays the one
// to undo: the next try passes over the lines this one voided.
func (s *sellScreen) undone(voided, already []app.SaleResult, err error) {
	if err != nil {
		s.fail(err)
		s.u.changed() // a basket may be part undone: read the shop again
		return
	}
	s.undo = s.undo[:len(s.undo)-1]
	s.undid = true
	for _, l := range voided {
		if r, ok := s.row(l.Code); ok {
			s.moveTo(l.Code, r.Available+l.Qty)
		}
	}
	var msg string
	switch {
	case len(already) == 0:
		msg = "Undone: " + undoText(voided)
	case len(voided) == 0 && len(already) > 1:
		msg = fmt.Sprintf("Nothing to undo: the basket's %d lines were voided already", len(already))
	case len(voided) == 0:
		msg = "Nothing to undo: " + undoText(already) + " was voided already"
	default:
		msg = fmt.Sprintf("Undone: %s; %s voided already", basketPart(voided, "", ""), basketPart(already, " was", " were"))
	}
	s.say(msg, widget.MediumImportance)
	s.showUndo()
	s.grid.Refresh()
	s.u.changed()
	s.u.win.Canvas().Focus(s.search)
}

// showUndo shows on Undo's button the sale it would void, until that
// sale's undoWindow passes. The offer ends at that moment: it had stayed
// until the shop was next read, up to five minutes later, or until
// pressed, and a maker glancing at the till took it for a sale they could
// still undo.
func (s *sellScreen) showUndo() {
	s.dropOldUndos()
	if s.stopUndoEnd != nil {
		s.stopUndoEnd()
		s.stopUndoEnd = nil
	}
	if len(s.undo) == 0 {
		s.labelUndo("")
		s.undoBtn.Disable()
		s.u.enableUndoItem(false)
		return
	}
	last := s.undo[len(s.undo)-1]
	lines := last.lines
	if st := s.standing; st.first == lines[0].ID && len(st.lines) > 0 {
		lines = st.lines
	}
	s.labelUndo(undoText(lines))
	s.undoBtn.Enable()
	s.u.enableUndoItem(true)
	s.stopUndoEnd = s.u.after(last.at.Add(undoWindow).Sub(s.u.shop.Now()), s.showUndo)
}

// labelUndo names on Undo's button the sale it voids, what ("1 × MUG"),
// or none when what is empty: "Undo 1 × MUG" beside the undo arrow, as
// Ctrl+Z does. With Basket ticked it reads "Undo last sale", without the
// arrow or the sale: Ctrl+Z and the basket's own arrow then take the
// basket's last line out, and "Undo basket of 2 lines" beside a basket
// being built read as undoing that one; named there, the sale squeezed
// the scan box to a few letters at 800×600. Undo then asks, naming the
// sale (undoLast).
func (s *sellScreen) labelUndo(what string) {
	text, icon := "Undo last sale", theme.ContentUndoIcon()
	switch {
	case s.inBasket():
		icon = nil
	case what != "":
		text = "Undo " + what
	}
	if s.undoBtn.Text != text {
		s.undoBtn.SetText(text)
	}
	if (s.undoBtn.Icon == nil) != (icon == nil) {
		s.undoBtn.SetIcon(icon)
	}
}

// lastBasket is the lines of the sale Undo offers when it is a basket,
// whose lines may be voided one by one elsewhere; nil otherwise.
func (s *sellScreen) lastBasket() []app.SaleResult {
	if n := len(s.undo); n > 0 && len(s.undo[n-1].lines) > 1 {
		return slices.Clone(s.undo[n-1].lines)
	}
	return nil
}

// noteStanding keeps which of lines, a sale's, still stand, for Undo's
// button to count.
func (s *sellScreen) noteStanding(lines []app.SaleResult, standing []string) {
	if len(lines) == 0 {
		return
	}
	left, _ := splitStanding(lines, standing)
	s.standing = undoStanding{first: lines[0].ID, lines: left}
}

// splitStanding parts lines into those still standing and those voided.
func splitStanding(lines []app.SaleResult, standing []string) (left, already []app.SaleResult) {
	for _, l := range lines {
		if slices.Contains(standing, l.ID) {
			left = append(left, l)
		} else {
			already = append(already, l)
		}
	}
	return left, already
}

// saleIDs is the ids of lines.
func saleIDs(lines []app.SaleResult) []string {
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.ID
	}
	return ids
}

// basketPart names some lines of a basket, with verb for one or many:
// "1 × MUG", "2 lines were".
func basketPart(lines []app.SaleResult, one, many string) string {
	if len(lines) == 1 {
		return undoText(lines) + one
	}
	return fmt.Sprintf("%d lines%s", len(lines), many)
}

// undoText names what Undo voids: a sale, or a basket.
func undoText(lines []app.SaleResult) string {
	if len(lines) == 1 {
		return fmt.Sprintf("%d × %s", lines[0].Qty, lines[0].Code)
	}
	return fmt.Sprintf("basket of %d lines", len(lines))
}

// tile is one SKU in fair mode: big, tappable, its available units large.
type tile struct {
	widget.BaseWidget
	onTap func()

	code, name, avail, caption, price string
	variant                           string // after the name (shownText)
	status                            domain.Status
	hovered                           bool
	ringed                            bool // the keyboard's choice (tileGrid)
}

var (
	_ fyne.Tappable      = (*tile)(nil)
	_ desktop.Hoverable  = (*tile)(nil)
	_ desktop.Cursorable = (*tile)(nil)
)

func newTile() *tile {
	t := &tile{}
	t.ExtendBaseWidget(t)
	return t
}

// tileSize is a tile's size: large enough to hit at a stall.
var tileSize = fyne.NewSize(200, 116)

// show draws r as the rules assess it (a): units can be owed, but never
// fewer than none are left, so an oversold SKU shows 0 and by how many it
// is over.
func (t *tile) show(r app.StockRow, a domain.Assessment, currency string) {
	was := [...]string{t.code, t.name, t.variant, t.price, t.avail, t.caption}
	wasStatus := t.status
	t.code, t.name, t.variant, t.status = r.SKU.Code, r.SKU.Name, r.SKU.Variant, a.Status
	t.price = r.SKU.Price.Format(currency) + " " + currency
	switch {
	case a.Status == domain.StatusDigital:
		t.avail, t.caption = "∞", "digital"
	case a.Available < 0:
		t.avail, t.caption = "0", fmt.Sprintf("oversold by %d", -a.Available)
	default:
		t.avail, t.caption = strconv.Itoa(a.Available), "available"
	}
	// A tile showing the same SKU as before is left as drawn: opening the
	// screen refreshes every visible tile more than once.
	if was != [...]string{t.code, t.name, t.variant, t.price, t.avail, t.caption} || wasStatus != t.status {
		t.Refresh()
	}
}

// leftText is what a sale left: "3 left", "0 left" or "oversold by 2".
func leftText(available int) string {
	if available < 0 {
		return fmt.Sprintf("oversold by %d", -available)
	}
	return fmt.Sprintf("%d left", available)
}

func (t *tile) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap()
	}
}

// ring draws the keyboard's ring on the tile, or takes it off.
func (t *tile) ring(on bool) {
	if t.ringed != on {
		t.ringed = on
		t.Refresh()
	}
}

func (t *tile) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (t *tile) MouseIn(*desktop.MouseEvent)    { t.hovered = true; t.Refresh() }
func (t *tile) MouseMoved(*desktop.MouseEvent) {}
func (t *tile) MouseOut()                      { t.hovered = false; t.Refresh() }

func (t *tile) MinSize() fyne.Size { return tileSize }

func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	r := &tileRenderer{t: t,
		bg:      canvas.NewRectangle(color.Transparent),
		stripe:  canvas.NewRectangle(color.Transparent),
		name:    widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		code:    canvas.NewText("", color.Black),
		avail:   canvas.NewText("", color.Black),
		caption: canvas.NewText("", color.Black),
		price:   canvas.NewText("", color.Black),
	}
	// setCellText asks for the ellipsis only when the name does not fit.
	r.avail.TextStyle.Bold = true
	r.price.TextStyle.Bold = true
	r.Refresh()
	return r
}

type tileRenderer struct {
	t                           *tile
	bg, stripe                  *canvas.Rectangle
	name                        *widget.Label
	code, avail, caption, price *canvas.Text
}

func (r *tileRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.stripe, r.name, r.code, r.avail, r.caption, r.price}
}

func (r *tileRenderer) MinSize() fyne.Size { return tileSize }
func (r *tileRenderer) Destroy()           {}

func (r *tileRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	r.bg.Resize(size)
	r.stripe.Move(fyne.NewPos(0, 0))
	r.stripe.Resize(fyne.NewSize(6, size.Height))
	nameH := r.name.MinSize().Height
	r.name.Move(fyne.NewPos(6, 0))
	r.name.Resize(fyne.NewSize(size.Width-6, nameH))
	x := 6 + pad*2
	ps := r.price.MinSize()
	// A long code is cut before the price, on the line they share: it ran
	// under the price, and neither read.
	r.code.Text = r.t.code
	if size.Width > 0 {
		r.code.Text = fitText(r.t.code, size.Width-ps.Width-pad*3-x, r.code.TextSize)
	}
	for _, t := range []*canvas.Text{r.code, r.avail, r.caption, r.price} {
		t.Resize(t.MinSize())
	}
	r.code.Move(fyne.NewPos(x, nameH-pad))
	r.price.Move(fyne.NewPos(size.Width-ps.Width-pad*2, nameH-pad-(ps.Height-r.code.MinSize().Height)/2))
	as := r.avail.MinSize()
	r.avail.Move(fyne.NewPos(x, size.Height-as.Height-pad))
	cs := r.caption.MinSize()
	r.caption.Move(fyne.NewPos(x+as.Width+pad, size.Height-pad*2-cs.Height))
}

func (r *tileRenderer) Refresh() {
	t := r.t
	bg := theme.Color(theme.ColorNameInputBackground)
	if t.hovered {
		bg = theme.Color(theme.ColorNameHover)
	}
	r.bg.FillColor = bg
	r.bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	r.bg.StrokeWidth = 1
	if t.ringed {
		r.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
		r.bg.StrokeWidth = 3
	}
	r.bg.CornerRadius = theme.InputRadiusSize()
	accent := statusColor(t.status)
	r.stripe.FillColor = accent
	r.code.Text = t.code
	r.code.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.code.TextSize = theme.CaptionTextSize()
	r.avail.Text = t.avail
	r.avail.TextSize = theme.TextSize() * 2.2
	r.avail.Color = theme.Color(theme.ColorNameForeground)
	if t.status == domain.StatusStockout || t.status == domain.StatusOversold {
		r.avail.Color = theme.Color(theme.ColorNameError)
	}
	r.caption.Text = t.caption
	r.caption.TextSize = theme.CaptionTextSize()
	r.caption.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.price.Text = t.price
	r.price.TextSize = theme.TextSize()
	r.price.Color = theme.Color(theme.ColorNameForeground)
	r.Layout(t.Size())
	setCellText(r.name, shownText(r.name, t.name, t.variant), fyne.TextAlignLeading, widget.MediumImportance)
	for _, o := range r.Objects() {
		if o == r.name {
			continue // refreshed above only when it changed
		}
		o.Refresh()
	}
}

// statusColor is the accent of a status: red for none left, orange for
// act soon, green for fine.
func statusColor(s domain.Status) color.Color {
	switch s {
	case domain.StatusOversold, domain.StatusStockout:
		return theme.Color(theme.ColorNameError)
	case domain.StatusReorder, domain.StatusLow:
		return theme.Color(theme.ColorNameWarning)
	case domain.StatusDigital:
		return theme.Color(theme.ColorNamePrimary)
	}
	return theme.Color(theme.ColorNameSuccess)
}
