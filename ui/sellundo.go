package ui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/domain"
)

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
// shown; "" when Undo voids at once, unasked, with none. Each void reads the
// returns since its sale again (app.VoidSaleWarned): when one the maker
// was not told of turns up before a line is voided, Undo asks with it.
//
// Unasked, it asks after all when an Undo before it, still being written
// as it was pressed, undid a sale since the last one was made: Undo
// pressed twice while the shop was busy voided the sale before too,
// another buyer's, where pressed again it asks.
func (s *sellScreen) voidLast(asked string, warned []string) {
	s.u.write(func(ctx context.Context) func() {
		var sale undoable
		var again bool
		s.u.onUI(func() {
			if n := len(s.undo); n > 0 {
				sale = s.undo[n-1]
			}
			again = s.undid
		})
		last := sale.lines
		if len(last) == 0 {
			return nil
		}
		if asked == "" && again {
			return s.askUndo
		}
		if asked != "" && last[0].ID != asked {
			// The sale asked about was undone already, by a yes to the same
			// question asked twice (Undo pressed twice while the shop was
			// busy): the sale before it was voided, never asked about.
			return nil
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
	s.labelUndo(undoLabel(lines))
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
	if s.undoBtn.Text == text && (s.undoBtn.Icon == nil) == (icon == nil) {
		return
	}
	s.undoBtn.SetText(text)
	s.undoBtn.SetIcon(icon)
	// Laid out again for the button's new width, as say does for a new
	// message: the sale before an Undo, named after the screen was laid
	// out, ran past the window's edge, cut.
	if s.body != nil {
		s.body.Layout.Layout(s.body.Objects, s.body.Size())
	}
}

// undoCodeRoom is how wide a code is on Undo's button, in points: a
// longer one is cut in the middle (codeText), whole on the line under the
// scan box that says it was sold. Whole, a code of 40 letters widened the
// window past 800 and squeezed the scan box to nothing.
const undoCodeRoom = 100

// undoLabel is undoText for Undo's button, a long code cut.
func undoLabel(lines []app.SaleResult) string {
	if len(lines) != 1 {
		return undoText(lines)
	}
	l := lines[0]
	l.Code = codeText(l.Code, undoCodeRoom, theme.TextSize())
	return undoText([]app.SaleResult{l})
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
