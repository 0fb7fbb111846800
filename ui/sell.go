package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
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
	// Centred in the whole width the tiles have: centred at its least size,
	// which truncation makes an ellipsis, it showed only "…".
	s.empty.Alignment = fyne.TextAlignCenter
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
		container.New(tilesBeside{}, container.NewStack(s.grid, container.NewVBox(layout.NewSpacer(), s.empty, layout.NewSpacer())), s.basket.obj),
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
		// Once there is a stall, the tiles show what is here, main too: a
		// sale is checked against its location's stock.
		rows, err := s.u.data.stock(ctx)
		if len(locs) > 1 {
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
			back := s.takeScan()
			if asked != nil && asked.Code == code && s.qty.Text == strconv.Itoa(asked.Qty) {
				s.sellAnyway(code, asked.Qty, back)
				return
			}
			if asked != nil && asked.Code != code {
				s.qty.SetText("1") // the quantity was the refused scan's
			}
			s.trySell(code, s.askInline, back)
			return
		}
	}
	// A code is sold whole. Part of one (a misread, another shop's label,
	// an archived SKU's code inside another's) must not sell the tile it
	// happens to leave.
	switch len(s.view) {
	case 0:
		s.trySell(text, s.confirmOversell, s.takeScan()) // the shop says why: no such SKU, or archived
	case 1:
		s.fail(domain.Errorf(domain.EInvalid, "%q is not the code of a SKU on sale; it matches %s: type its whole code, or tap its tile (or ↓ and Enter)", text, s.rows[s.view[0]].SKU.Code))
	default:
		s.fail(domain.Errorf(domain.EInvalid, "%q matches %d SKUs; type the whole code, or tap the tile (or ↓, the arrows and Enter)", text, len(s.view)))
	}
}

// takeScan empties the search box as its code goes to be sold, before the
// sale is written: a scanner types the next code meanwhile (the shop busy
// for a moment), and it landed after this one ("MUG-01CARD-FERN",
// refused) or was cut short when the sale emptied the box, and a double
// Enter sold the code twice. back puts the code in the box again if it
// is refused, unless the next one is being typed there, and says which.
func (s *sellScreen) takeScan() (back func() bool) {
	text := s.search.Text
	// With a refused code still selected, the box emptied swallowed the
	// next key typed (see dropScan).
	s.search.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	s.search.SetText("")
	return func() bool {
		if s.search.Text != "" {
			return false
		}
		s.search.SetText(text)
		return true
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
	s.trySell(sku, s.confirmOversell, nil)
}

// trySell records a sale of sku, asking with ask when it is beyond what
// is available. back, for a scan taken out of the search box (takeScan),
// puts it there again if it is refused; nil for a tap.
func (s *sellScreen) trySell(sku string, ask func(sku string, short *app.ShortError), back func() bool) {
	qty, err := parseQty(s.qty.Text)
	if err != nil {
		if back != nil {
			back()
		}
		s.fail(err)
		return
	}
	if s.basketMode.Checked {
		// Added at once, nothing written: the scan is in the box again
		// for add to empty, or to select when it refuses it.
		if back != nil {
			back()
		}
		s.basket.add(sku, qty)
		return
	}
	typed := s.typedNow()
	s.u.write(func(ctx context.Context) func() {
		res, err := s.u.shop.Sell(ctx, app.Sale{Code: sku, Qty: qty})
		return func() {
			var short *app.ShortError
			switch {
			case err == nil:
				s.sold(res, typed)
			case !s.refusedScanBack(back, notSold(err)):
				// said, and the next code left to be typed
			case errors.As(err, &short):
				ask(sku, short)
			default:
				s.fail(notSold(err))
			}
		}
	})
}

// refusedScanBack puts a refused scan back in the search box (back); when
// the next code is being typed there instead, it says why the scan was
// refused without taking the box from it, and reports false.
func (s *sellScreen) refusedScanBack(back func() bool, err error) bool {
	if back == nil || back() {
		return true
	}
	s.say(sentence(domain.ErrorMessage(err)), widget.DangerImportance)
	return false
}

// sellAnyway records a sale beyond what is available, once asked.
func (s *sellScreen) sellAnyway(sku string, qty int, back func() bool) {
	typed := s.typedNow()
	s.u.write(func(ctx context.Context) func() {
		res, err := s.u.shop.Sell(ctx, app.Sale{Code: sku, Qty: qty, Force: true})
		return func() {
			if err != nil {
				if err = notSold(err); s.refusedScanBack(back, err) {
					s.fail(err)
				}
				return
			}
			s.sold(res, typed)
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

// notSold is the shop's refusal of a sale, saying first that nothing was
// sold: "the shop is busy in another program" alone left the maker
// unsure whether the mug in the buyer's hand was paid for.
func notSold(err error) error {
	return &domain.Error{Code: domain.ErrorCode(err), Message: "Not sold: " + domain.ErrorMessage(err), Err: err}
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
		s.sellAnyway(sku, qty, nil)
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

// entered is what the search box and the quantity held when a sale was
// asked for.
type entered struct{ search, qty string }

func (s *sellScreen) typedNow() entered { return entered{s.search.Text, s.qty.Text} }

// sold shows a sale recorded. was is what was typed when it was asked
// for: the box is emptied, and the quantity set back to 1, only if they
// still hold that, not the next code or quantity typed meanwhile.
func (s *sellScreen) sold(res app.SaleResult, was entered) {
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
	if s.qty.Text == was.qty {
		s.qty.SetText("1")
	}
	if s.search.Text == was.search {
		s.search.SetText("")
	}
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
