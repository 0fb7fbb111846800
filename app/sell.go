package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"microshop/domain"
)

// Sale is one item sold on its own: a basket of one.
type Sale struct {
	Code    string
	Qty     int            // 1 when zero: a tap on a tile sells one
	Price   *domain.Money  // unit price; nil for the SKU's price
	Channel domain.Channel // fair when empty
	Payment domain.Payment // when empty: cash at a fair, other on another channel
	At      time.Time      // zero for now
	Force   bool           // record it even beyond available stock
	// Location is where it is sold, by name; empty for this device's
	// default location.
	Location string
}

// SaleResult is a recorded sale line.
type SaleResult struct {
	ID        string
	Order     string // the basket it belongs to
	Code      string
	Qty       int
	Price     domain.Money // unit price, after any discount
	Available int          // available after the sale: now, or at its time when that is later
	Digital   bool         // a download, or a kit of downloads: no stock, Available means nothing
}

// Sell records a sale of one item, as a basket of one. A sale that would
// take available stock below zero at any moment from its time to now is
// refused with a *ShortError unless forced: one that physically happened
// is recorded, and the SKU then shows as oversold.
func (s *Shop) Sell(ctx context.Context, in Sale) (SaleResult, error) {
	o, err := s.SellBasket(ctx, Basket{Items: []BasketItem{{Code: in.Code, Qty: in.Qty, Price: in.Price}},
		Channel: in.Channel, Payment: in.Payment, At: in.At, Force: in.Force, Location: in.Location})
	if err != nil {
		return SaleResult{}, err
	}
	return o.Items[0], nil
}

// discounted is a unit price with pct percent off, taken to the shop
// currency's smallest unit; the currency is read only for a discount.
func (t *txn) discounted(ctx context.Context, price domain.Money, pct int) (after, off domain.Money, err error) {
	currency := ""
	if pct > 0 {
		if currency, err = shopCurrency(ctx, t.tx, t.shop.shopID); err != nil {
			return 0, 0, err
		}
	}
	after, off = domain.Discounted(price, pct, currency)
	return after, off, nil
}

// sellLine records one line of an order inside its transaction.
func (t *txn) sellLine(ctx context.Context, o *SoldBasket, item BasketItem, b Basket, at time.Time) error {
	if err := t.checkItem(&item); err != nil {
		return err
	}
	sku, err := t.shop.findSKUCached(ctx, t.tx, item.Code)
	if err != nil {
		return err
	}
	if sku.Archived {
		return domain.Errorf(domain.EConflict, "SKU %s is archived and no longer sold", sku.Code)
	}
	listed := sku.Price
	if item.Price != nil {
		listed = *item.Price
	}
	price, off, err := t.discounted(ctx, listed, b.Discount)
	if err != nil {
		return err
	}
	if err := o.addLine(price, off, item.Qty); err != nil {
		return err
	}
	if sku.Path == domain.PathKit {
		res, err := sellKit(ctx, t, sku, Sale{Code: item.Code, Qty: item.Qty, Channel: b.Channel, Payment: b.Payment, Force: b.Force}, at, price, off, o)
		if err != nil {
			return err
		}
		res.Order = o.ID
		o.Items = append(o.Items, res)
		return nil
	}
	res := SaleResult{ID: newID(), Order: o.ID, Code: sku.Code, Qty: item.Qty, Price: price, Digital: sku.Path == domain.PathDigital}
	var left *checkpoint // the SKU's levels just after the sale's moment, without it
	if sku.Path != domain.PathDigital {
		r, err := checkRemoval(ctx, t, sku, o.Location.ID, at, item.Qty, sellVerb)
		if err != nil {
			return err
		}
		if r.short != nil && !b.Force {
			return r.short
		}
		res.Available = r.after
		left = &r.levels
	}
	o.Items = append(o.Items, res)
	if err := t.addEvent(event{Kind: kindSale, ID: res.ID, SKUID: sku.ID, At: at.UnixMilli(), Qty: item.Qty,
		Price: int64(price), Channel: string(b.Channel), FactoryID: sku.FactoryID,
		Order: o.ID, Payment: string(b.Payment), Discount: int64(off), Location: o.Location.ID}); err != nil {
		return err
	}
	if left != nil {
		t.leaveSaleLevel(sku.ID, afterRemoval(*left, o.Location.ID, item.Qty))
	}
	return nil
}

// checkItem checks a basket item's quantity, 1 when not given, and its
// price, when given.
func (t *txn) checkItem(item *BasketItem) error {
	if item.Qty == 0 {
		item.Qty = 1
	}
	if err := domain.ValidateQty(item.Qty); err != nil {
		return err
	}
	return t.checkMoney(item.Price)
}

// addLine adds qty units at price, each off less than listed, to the
// basket's sums; a line or a basket above the largest amount a shop
// records is refused.
func (o *SoldBasket) addLine(price, off domain.Money, qty int) error {
	total, err := domain.LineTotal(price, qty)
	if err != nil {
		return err
	}
	if o.Total += total; domain.ValidateMoney("basket total", o.Total) != nil {
		return domain.Errorf(domain.EInvalid, "the basket comes to %s, more than 9999999999999.99, the largest amount a shop records; sell it in two baskets", o.Total)
	}
	o.Discounts += off * domain.Money(qty)
	return nil
}

// voidID is the id of the void of a sale: the same on every device, so two
// devices voiding one sale while apart make one void, and the units come
// back once.
func voidID(saleID string) string {
	return uuid.NewSHA1(voidSpace, []byte(saleID)).String()
}

var voidSpace = uuid.MustParse("6d1c1f0e-5b1e-4f5e-9c53-0a7c1d3e9b21")

// ErrVoidedAlready is wrapped by VoidSale's refusal of a sale line voided
// before, so an undo of a basket can pass over the lines voided since.
var ErrVoidedAlready = errors.New("voided already")

// FindSale is the id of the sale line ref names: its id, or the first or
// last 6 or more characters of it, as a batch is named.
func (s *Shop) FindSale(ctx context.Context, ref string) (string, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if len(ref) < 6 || strings.ContainsAny(ref, "%_") {
		return "", domain.Errorf(domain.EInvalid, "%s is not a sale id; give the id, or at least its first or last 6 characters", domain.QuoteShort(ref)).With(domain.RemedyListSales)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE kind = 'sale' AND id = ?`, ref).Scan(&n); err != nil {
		return "", storeError(s.path, err)
	}
	if n > 0 {
		return ref, nil
	}
	// A part of an id reads every event's id: a moment on a big shop.
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM events WHERE kind = 'sale' AND (id LIKE ?1 || '%' OR id LIKE '%' || ?1) LIMIT 2`, ref)
	if err != nil {
		return "", storeError(s.path, err)
	}
	var found []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return "", storeError(s.path, err)
		}
		found = append(found, id)
	}
	rows.Close()
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		if lines, err := s.orderLines(ctx, ref); err != nil || lines != "" {
			return "", orderNotLine(ref, lines, err)
		}
		return "", domain.Errorf(domain.ENotFound, "there is no sale %s; only a recorded sale line can be voided", domain.QuoteShort(ref)).With(domain.RemedyListSales)
	}
	return "", domain.Errorf(domain.EInvalid, "%s matches more than one sale line; give more of the id", domain.QuoteShort(ref)).With(domain.RemedyListSales)
}

// orderLines says what the basket ref names sold, "2 lines (1 × MUG,
// 2 × CARD)", when ref is an order's id, or its first or last 6 characters
// or more; "" when it names no order, or more than one.
func (s *Shop) orderLines(ctx context.Context, ref string) (string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.order_id, s.code, e.qty FROM events e JOIN skus s ON s.id = e.sku_id
		WHERE e.kind = 'sale' AND e.order_id <> '' AND (e.order_id LIKE ?1 || '%' OR e.order_id LIKE '%' || ?1)
		ORDER BY e.at, e.id LIMIT 101`, ref)
	if err != nil {
		return "", storeError(s.path, err)
	}
	defer rows.Close()
	var order string
	var lines []string
	for rows.Next() {
		var id, code string
		var qty int
		if err := rows.Scan(&id, &code, &qty); err != nil {
			return "", storeError(s.path, err)
		}
		if order != "" && id != order {
			return "", nil
		}
		order = id
		lines = append(lines, fmt.Sprintf("%d × %s", qty, code))
	}
	if err := rows.Err(); err != nil || len(lines) == 0 {
		return "", storeError(s.path, err)
	}
	return fmt.Sprintf("%s (%s)", plural(len(lines), "line"), strings.Join(lines, ", ")), nil
}

// orderNotLine refuses a void of a whole order: a line is voided, the one
// rung up wrong.
func orderNotLine(ref, lines string, err error) error {
	if err != nil {
		return err
	}
	return domain.Errorf(domain.EInvalid, "%s is an order of %s, not one sale line: void the line you mean", domain.QuoteShort(ref), lines).With(domain.RemedyListSales)
}

// ErrVoidWarned is wrapped by VoidSaleWarned's refusal of a void with a
// warning the maker was not shown.
var ErrVoidWarned = errors.New("returned since the question")

// VoidSale voids a recorded sale line, on any day: a correcting event puts
// its units back; the sale stays in the log, shown as voided. A line of a
// kit's sale voids the kit's every line: its parts were sold together.
// Voiding it again is refused (ErrVoidedAlready). It voids whatever
// VoidWarnings says; a maker's void goes through VoidSaleWarned.
func (s *Shop) VoidSale(ctx context.Context, saleID, reason string) error {
	return s.voidSale(ctx, saleID, reason, nil, false)
}

// VoidSaleWarned voids the sale line as VoidSale does once the maker has
// weighed warned, the warnings (VoidWarnings) they were shown, nil for
// none. It refuses, voiding nothing (ErrVoidWarned), when the void's own
// transaction finds a warning not among them: a return recorded since the
// question was asked, on this device or by sync, that the maker did not
// weigh. Read apart, the question's warnings and the void left that gap,
// and the void could count a refund and its units back twice unasked.
func (s *Shop) VoidSaleWarned(ctx context.Context, saleID, reason string, warned []string) error {
	return s.voidSale(ctx, saleID, reason, warned, true)
}

// voidSale is VoidSale, checking the void's warnings against warned when
// checked.
func (s *Shop) voidSale(ctx context.Context, saleID, reason string, warned []string, checked bool) error {
	saleID = strings.TrimSpace(saleID)
	if err := domain.ValidateNote("reason", reason); err != nil {
		return err
	}
	return s.write(ctx, func(t *txn) error {
		if checked {
			if err := s.checkVoidWarned(ctx, t, saleID, warned); err != nil {
				return err
			}
		}
		var e event
		var code, kitCode string
		err := t.tx.QueryRowContext(ctx, `SELECT e.sku_id, e.at, e.qty, e.price, e.channel, e.factory_id, e.location, e.order_id, e.ref, s.code,
				e.kit_qty, ifnull((SELECT code FROM skus WHERE id = e.kit_id AND e.kit_id <> ''), '')
			FROM events e JOIN skus s ON s.id = e.sku_id WHERE e.id = ? AND e.kind = 'sale'`, saleID).
			Scan(&e.SKUID, &e.At, &e.Qty, &e.Price, &e.Channel, &e.FactoryID, &e.Location, &e.Order, &e.Ref, &code, &e.KitQty, &kitCode)
		if isNoRows(err) {
			return domain.Errorf(domain.ENotFound, "there is no sale %q; only a recorded sale line can be voided", saleID).With(domain.RemedyListSales)
		} else if err != nil {
			return err
		}
		lines := []event{e}
		lines[0].ID = saleID
		if e.Ref != "" {
			if lines, err = kitLines(ctx, t, e.Order, e.Ref); err != nil {
				return err
			}
		}
		voided := 0
		for _, l := range lines {
			if done, err := isVoided(ctx, t.tx, l.ID); err != nil {
				return err
			} else if done {
				continue
			}
			sale := l.ID
			l.Kind, l.ID, l.Ref, l.Note, l.Order = kindVoid, voidID(sale), sale, reason, "" // a void belongs to no order, as before
			if err := t.addEvent(l); err != nil {
				return err
			}
			voided++
		}
		if voided == 0 {
			qty := e.Qty
			if kitCode != "" && e.KitQty > 0 { // the kit was sold, as the sales list shows it
				qty, code = e.KitQty, kitCode
			}
			return &domain.Error{Code: domain.EConflict, Err: ErrVoidedAlready, Message: fmt.Sprintf("the sale of %d × %s on %s is voided already",
				qty, code, time.UnixMilli(e.At).In(t.shop.loc).Format("2006-01-02 15:04"))}
		}
		return nil
	})
}

// checkVoidWarned refuses the void of saleID when a warning of it, as t
// reads it, is not among warned.
func (s *Shop) checkVoidWarned(ctx context.Context, t *txn, saleID string, warned []string) error {
	warnings, err := s.voidWarnings(ctx, t.tx, saleID)
	if err != nil {
		return err
	}
	unseen := slices.DeleteFunc(warnings, func(w string) bool { return slices.Contains(warned, w) })
	if len(unseen) == 0 {
		return nil
	}
	return &domain.Error{Code: domain.EConflict, Err: ErrVoidWarned, Message: "not voided: " + strings.Join(unseen, "; ")}
}

// isVoided reports whether the sale line saleID has a void.
func isVoided(ctx context.Context, q queryer, saleID string) (bool, error) {
	var done bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE kind = 'void' AND ref = ?)`, saleID).Scan(&done)
	return done, err
}

// StandingSales are those of the sale lines ids that still stand, in
// their order: a void of them would put units back, as VoidSale would.
// A kit's line stands while any line of its kit does, since VoidSale
// voids them together. An undo asks with it how many lines of a basket
// it would void, passing over those voided since from the sales list or
// on another device.
func (s *Shop) StandingSales(ctx context.Context, ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		stands, err := saleStands(ctx, s.db, id)
		if err != nil {
			return nil, storeError(s.path, err)
		}
		if stands {
			out = append(out, id)
		}
	}
	return out, nil
}

// saleStands reports whether the sale line id still stands, as
// StandingSales tells it: for a kit's line, any line of its kit.
func saleStands(ctx context.Context, q queryer, id string) (bool, error) {
	var stands bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM events e JOIN events l ON l.kind = 'sale'
			AND (l.id = e.id OR (e.ref <> '' AND l.order_id = e.order_id AND l.ref = e.ref))
		WHERE e.id = ? AND e.kind = 'sale' AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = l.id))`, id).Scan(&stands)
	return stands, err
}

// CountedSince reports whether the sale's SKU was counted where it sold
// after the sale: a void then changes no stock, since the count stands.
func (s *Shop) CountedSince(ctx context.Context, saleID string) (bool, error) {
	var counted bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM changes e
		JOIN changes c ON c.sku_n = e.sku_n AND c.at > e.at AND c.entity IN ('count', 'receipt') AND c.location = e.location
		WHERE e.entity_id = ? AND e.at IS NOT NULL AND c.entity = 'count')`, saleID).Scan(&counted)
	return counted, storeError(s.path, err)
}

// SoldADownload reports whether saleID sold a download, which holds no
// stock: voiding it puts nothing back.
func (s *Shop) SoldADownload(ctx context.Context, saleID string) (bool, error) {
	var download bool
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT k.path = 'digital' FROM events e JOIN skus k ON k.id = e.sku_id
		WHERE e.id = ? AND e.kind = 'sale'), 0)`, saleID).Scan(&download)
	return download, storeError(s.path, err)
}

// kitLines are the sale lines of one kit's sale: those of its order that
// name the kit's first line as their Ref.
func kitLines(ctx context.Context, t *txn, order, first string) ([]event, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT id, sku_id, at, qty, price, channel, factory_id, location, order_id
		FROM events WHERE order_id = ? AND kind = 'sale' AND ref = ?`, order, first)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []event
	for rows.Next() {
		var e event
		if err := rows.Scan(&e.ID, &e.SKUID, &e.At, &e.Qty, &e.Price, &e.Channel, &e.FactoryID, &e.Location, &e.Order); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// levelAt is a SKU's stock at a location just after at, read inside a
// write, and the SKU's levels everywhere then. It starts from the level
// this process's last sale of the SKU left, when that is still right
// (saleLevels); else, like a report, it replays from a checkpoint, and
// leaves one at the start of at's day when the one it found was older than
// a week, so the day's next sales replay that day alone.
func levelAt(ctx context.Context, t *txn, skuID, place string, at time.Time) (domain.Level, checkpoint, error) {
	if c, ok, err := t.saleLevel(ctx, skuID, at.UnixMilli()); err != nil || ok {
		// Nothing of the SKU happened from c's moment to at.
		c.at = at.UnixMilli() + 1
		return c.places.At(place, c.level), c, err
	}
	// One day's window: only the level at its end is wanted.
	w := domain.Window{DayStarts: []int64{domain.StartOfDay(at.In(t.shop.loc)).UnixMilli()}, End: at.UnixMilli() + 1}
	checked, err := t.checkRecentLevels(ctx)
	if err != nil {
		return domain.Level{}, checkpoint{}, err
	}
	l, err := newSaleLedger(ctx, t.tx, w, skuID, checked)
	if err != nil {
		return domain.Level{}, checkpoint{}, err
	}
	rep, err := l.replay(ctx, skuID)
	if err != nil {
		return domain.Level{}, checkpoint{}, err
	}
	if c, ok := l.fresh[skuID]; ok && c.at <= t.now.UnixMilli() {
		if err := saveCheckpoint(ctx, t.tx, l.saveTo, skuID, c); err != nil {
			return domain.Level{}, checkpoint{}, err
		}
	}
	return rep.Places.At(place, rep.AtEnd), checkpoint{at: w.End, level: rep.AtEnd, places: rep.Places}, nil
}

// Return is what `return` asks for.
type Return struct {
	Code    string
	Qty     int
	Reason  domain.ReturnReason
	BatchID string // optional: the batch the unit came from
	Restock bool   // the unit goes back to stock
	At      time.Time
	Refund  domain.Money   // paid back, in all; 0 names none (see NoRefund)
	Payment domain.Payment // how the refund was paid: cash when empty
	// NoRefund says nothing was paid back (an exchange): the margins count
	// the units as refunded at 0. Without it, a return naming no refund
	// is valued at the price the units sold at.
	NoRefund bool
	// Location is where the units come back, by name; empty for this
	// device's default location.
	Location string
	// DryRun checks the return and says its warnings, writing nothing:
	// the desktop asks about a warning before the return is recorded.
	DryRun bool
}

// ReturnResult is a recorded return, with what was odd about it.
type ReturnResult struct {
	ID   string
	Code string // the SKU's code as the shop holds it, whatever case it was typed in
	// Warnings are sentences about input that is possible but odd: more
	// units back than were ever sold, or a SKU never sold. The return is
	// recorded all the same.
	Warnings []string
	// Paused names the factories this return paused: their quality
	// returns went over the limit with it.
	Paused []string
	// PausedNotes say so to the maker, one sentence for each of Paused.
	PausedNotes []string
}

// pausedNote says that a return paused factory f, for the maker.
func pausedNote(f *FactoryView) string {
	return fmt.Sprintf("Factory %s is now paused: its quality returns went over %d %% of units sold; inspect its stock, then %s",
		f.Name, domain.ReturnLimitPercent, f.LiftQualityPause("it"))
}

// RecordReturn records units coming back. Restocked units go back on hand;
// the reason's class feeds the quality and packaging rules.
func (s *Shop) RecordReturn(ctx context.Context, in Return) (ReturnResult, error) {
	var res ReturnResult
	if err := in.check(); err != nil {
		return res, err
	}
	payment := ""
	if in.Refund > 0 {
		payment = string(orCash(in.Payment))
	}
	err := s.write(ctx, func(t *txn) error {
		res = ReturnResult{}
		if err := t.checkMoney(&in.Refund); err != nil {
			return err
		}
		at := orNow(in.At, t.now)
		if err := t.checkAt(at); err != nil {
			return err
		}
		sku, err := findSKU(ctx, t.tx, in.Code)
		if err != nil {
			return err
		}
		res.Code = sku.Code
		place, err := t.placeOf(ctx, in.Location)
		if err != nil {
			return err
		}
		from, err := returnedFrom(ctx, t, sku, in.BatchID)
		if err != nil {
			return err
		}
		from.location, from.payment = place.ID, payment
		if res.Warnings, err = returnWarnings(ctx, t, sku, in, at); err != nil {
			return err
		}
		if in.DryRun {
			return errDryRun
		}
		var paused []*FactoryView
		res.ID, paused, err = writeReturn(ctx, t, sku, in, at, from)
		for _, f := range paused {
			res.Paused, res.PausedNotes = append(res.Paused, f.Name), append(res.PausedNotes, pausedNote(f))
		}
		return err
	})
	if err == errDryRun {
		res.ID = ""
		return res, nil
	}
	return res, err
}

// check checks what a return says, before the shop is read: a quantity,
// a reason, and a refund or nothing paid back, not both.
func (in Return) check() error {
	if err := domain.ValidateQty(in.Qty); err != nil {
		return err
	}
	if _, err := domain.ParseReturnReason(string(in.Reason)); err != nil {
		return err
	}
	if err := domain.ValidateMoney("refund", in.Refund); err != nil {
		return err
	}
	if in.NoRefund && in.Refund > 0 {
		return domain.Errorf(domain.EInvalid, "a refund of %s was given with nothing paid back; give the refund paid, or 0 when nothing was", in.Refund)
	}
	return nil
}

// returnPlace is where returned units come back (a location id) and
// where they came from: a factory, and the batch named and the SKU it is
// of (a kit's part, for a kit), with how a refund was paid.
type returnPlace struct {
	location, factory, batch, batchSKU, payment string
}

// writeReturn records the return, a kit's as its parts' (returnKit), and
// returns its id. A quality return that puts its factory over the limit
// pauses it until a QA pass or a resume (noteQualityPause); those paused
// are named.
func writeReturn(ctx context.Context, t *txn, sku skuRow, in Return, at time.Time, p returnPlace) (string, []*FactoryView, error) {
	id, factories := newID(), []string{p.factory}
	var err error
	if sku.Path == domain.PathKit {
		id, factories, err = returnKit(ctx, t, sku, in, at, p)
	} else {
		restock := in.Restock && sku.Path != domain.PathDigital
		err = t.addEvent(event{Kind: kindReturn, ID: id, SKUID: sku.ID, At: at.UnixMilli(), Qty: in.Qty,
			Reason: string(in.Reason), Restock: restock, BatchID: p.batch, FactoryID: p.factory,
			Refund: int64(in.Refund), NoRefund: in.NoRefund, Payment: p.payment, Location: p.location})
	}
	if err != nil || in.Reason.Class() != domain.ClassQuality {
		return id, nil, err
	}
	var paused []*FactoryView
	for _, factoryID := range factories {
		f, err := t.noteQualityPause(ctx, factoryID)
		if err != nil {
			return id, nil, err
		}
		if f != nil && !slices.ContainsFunc(paused, func(p *FactoryView) bool { return p.ID == f.ID }) {
			paused = append(paused, f)
		}
	}
	return id, paused, nil
}

// returnedFrom is where a returned SKU came from: its primary factory and
// no batch, or the batch named, which must be of it or, for a kit, of one
// of its parts (the faulty one).
func returnedFrom(ctx context.Context, t *txn, sku skuRow, batchID string) (returnPlace, error) {
	if batchID == "" {
		return returnPlace{factory: sku.FactoryID}, nil
	}
	b, err := findBatch(ctx, t.tx, batchID, maxTime)
	if err != nil {
		return returnPlace{}, err
	}
	from := returnPlace{factory: b.FactoryID, batch: b.ID, batchSKU: b.SKUID}
	if sku.Path == domain.PathKit {
		parts, err := storedParts(ctx, t.tx, sku.ID)
		if err != nil {
			return returnPlace{}, err
		}
		if !slices.ContainsFunc(parts, func(p domain.KitPart) bool { return p.SKUID == b.SKUID }) {
			return returnPlace{}, domain.Errorf(domain.EInvalid, "%s is of %s, not a part of kit %s; give a batch of the faulty part", b.Name(t.shop.loc), b.SKU, sku.Code)
		}
		return from, nil
	}
	if b.SKUID != sku.ID {
		return returnPlace{}, domain.Errorf(domain.EInvalid, "%s is of %s, not %s; give a batch of the returned SKU", b.Name(t.shop.loc), b.SKU, sku.Code)
	}
	return from, nil
}

// returnWarnings says what is odd about qty units of a SKU coming back at
// at: a refund above what they were paid (refundWarning), a SKU never sold
// before then, or more units back in all than were ever sold. None is
// impossible (sales from before the shop used Microshop), but a mistyped
// amount, code or quantity looks just like them, and a restocked one adds
// stock that was never there. A kit is sold and returned as its parts, so
// its parts' lines are what is checked (kitReturnWarnings).
// A dry run's warnings are said as what the return would make: the
// desktop asks with them before anything is recorded.
func returnWarnings(ctx context.Context, t *txn, sku skuRow, in Return, at time.Time) ([]string, error) {
	back := "have now come back"
	if in.DryRun {
		back = "would then have come back"
	}
	if sku.Path == domain.PathKit {
		return kitReturnWarnings(ctx, t, sku, in, at, back)
	}
	end := at.UnixMilli() + 1
	var most paid
	if in.Refund > 0 {
		var err error
		if most, err = mostPaid(ctx, t.tx, sku.ID, end); err != nil {
			return nil, err
		}
	}
	warnings, err := refundWarning(ctx, t, sku, in, most)
	if err != nil {
		return nil, err
	}
	sold, returned, err := skuSoldAndReturned(ctx, t.tx, sku.ID, end)
	if err != nil {
		return nil, err
	}
	switch {
	case sold <= 0:
		warnings = append(warnings, fmt.Sprintf("%s has no sale recorded before %s, so this return is of a SKU never sold; check the code",
			sku.Code, at.In(t.shop.loc).Format("2006-01-02 15:04")))
	case returned+in.Qty > sold:
		warnings = append(warnings, fmt.Sprintf("%d units of %s %s, more than the %d ever sold; check the quantity",
			returned+in.Qty, sku.Code, back, sold))
	}
	return warnings, nil
}

// paid is the most a buyer paid for one unit of a SKU, or for one kit,
// by its sales (mostPaid, kitMostPaid); found is false when no sale
// tells. unit is that most as the sale lines record it. limit is the
// most a refund of one may be without a warning: unit, or for a kit a
// few hundredths more when its first part comes more than once in it: that
// part's share of the kit's price is whole cents a unit, and the cents
// left over are on no line (domain.KitPartPrices), so a refund of the
// kit's price as charged still passes.
type paid struct {
	unit, limit domain.Money
	found       bool
	// kit is the code of the kit the most paid was a part's share of,
	// when the SKU's own lines paid less: the refund is then checked
	// against that share, which the warning must say.
	kit string
}

// refundWarning says when a return's refund is more than its units were
// paid: at the most paid for one (paid), or at the SKU's list price when
// no sale tells what was paid. A buyer who paid less than the list price
// (a discount, a coupon, a channel's price) is refunded what they paid,
// so a refund of the list price is then a slip too.
func refundWarning(ctx context.Context, t *txn, sku skuRow, in Return, most paid) ([]string, error) {
	limit, shown, against := sku.Price, sku.Price, "at its price of"
	if most.found {
		limit, shown, against = most.limit, most.unit, "at the most paid for it,"
		if in.Qty > 1 {
			against = "at the most paid for one,"
		}
		if most.kit != "" {
			against = strings.TrimSuffix(against, ",") + " (its share of kit " + most.kit + "'s price),"
		}
	}
	if worth, err := domain.LineTotal(limit, in.Qty); err != nil || in.Refund <= worth {
		return nil, nil
	}
	currency, err := shopCurrency(ctx, t.tx, t.shop.shopID)
	if err != nil {
		return nil, storeError(t.shop.path, err)
	}
	each := shown.Format(currency)
	if in.Qty > 1 { // a unit price alone read as the whole refund's
		all, _ := domain.LineTotal(shown, in.Qty)
		each += ", " + all.Format(currency) + " in all"
	}
	return []string{fmt.Sprintf("the refund of %s is more than %d × %s %s %s; check the amount",
		in.Refund.Format(currency), in.Qty, sku.Code, against, each)}, nil
}

// paidSalesRead is how many sales of a SKU, or of a kit, still standing
// tell the most paid for it: the newest before the return (mostPaid,
// kitMostPaid). No index holds sale prices by SKU: the day-led one finds
// a SKU's lines, a seek a day, but each line's price, and the void that
// may name it, are read from its row, a page apiece on a big shop; all of
// a SKU sold 100,000 times would be 100,000 rows for one return. The
// newest are what a buyer bringing a unit back most likely paid, and an
// older, higher price left out at most makes a warning the maker passes.
const paidSalesRead = 200

// mostPaid is the most paid for one unit of a SKU before end, after any
// discount: the highest price of its newest paidSalesRead sale lines not
// voided, its lines in kits at their share of the kit's price (paid.kit
// names the kit when such a share is the most). Days are
// walked back from end's, one seek a day into the day-led index, as
// skuSoldAndReturned walks them forward, until enough lines are read.
func mostPaid(ctx context.Context, q queryer, skuID string, end int64) (paid, error) {
	var first sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT min(at) FROM events`).Scan(&first); err != nil || !first.Valid {
		return paid{}, err
	}
	var unit int64
	var kit string
	err := q.QueryRowContext(ctx, `WITH RECURSIVE days(day) AS (SELECT ?1 UNION ALL SELECT day - 1 FROM days WHERE day > ?2)
		SELECT l.price, ifnull((SELECT code FROM skus WHERE id = l.kit_id AND l.kit_id <> ''), '')
		FROM (SELECT e.price, e.kit_id FROM days CROSS JOIN events e
			WHERE e.at / 86400000 = days.day AND e.sku_n = (SELECT n FROM sku_keys WHERE id = ?3) AND e.at < ?4 AND e.kind = 'sale'
				AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id)
			LIMIT ?5) l
		ORDER BY l.price DESC, l.kit_id <> '' LIMIT 1`,
		dayOf(end-1), dayOf(first.Int64), skuID, end, paidSalesRead).Scan(&unit, &kit)
	if isNoRows(err) {
		return paid{}, nil
	}
	return paid{unit: domain.Money(unit), limit: domain.Money(unit), found: err == nil, kit: kit}, err
}

// kitMostPaid is the most paid for one kit before end: of its newest
// paidSalesRead sales not voided, the most any came to a kit, its lines'
// prices × units over the kits. A kit's sale is its parts' lines, each
// naming the kit and its first line; the first lines are found by
// walking back the parts' ledgers as mostPaid does, reading each part
// line's row for its kit (kitsSoldAndReturned reads the same rows), and
// each sale's lines by its order.
func kitMostPaid(ctx context.Context, q queryer, kitID string, parts []skuRow, end int64) (paid, error) {
	var first sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT min(at) FROM events`).Scan(&first); err != nil || !first.Valid {
		return paid{}, err
	}
	ids := make([]string, len(parts))
	for i, p := range parts {
		ids[i] = p.ID
	}
	keys, err := json.Marshal(ids)
	if err != nil {
		return paid{}, err
	}
	var unit, limit sql.NullInt64
	err = q.QueryRowContext(ctx, `WITH RECURSIVE days(day) AS (SELECT ?1 UNION ALL SELECT day - 1 FROM days WHERE day > ?2),
		parts(n) AS (SELECT n FROM sku_keys WHERE id IN (SELECT value FROM json_each(?3))),
		firsts AS (SELECT e.id, e.order_id, e.qty, e.kit_qty FROM days CROSS JOIN parts p CROSS JOIN events e
			WHERE e.at / 86400000 = days.day AND e.sku_n = p.n AND e.at < ?4 AND e.kind = 'sale' AND e.kit_id = ?5 AND e.ref = e.id
				AND e.kit_qty > 0 AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id)
			LIMIT ?6),
		kits AS (SELECT sum(l.price * l.qty) / f.kit_qty AS unit, f.qty / f.kit_qty - 1 AS slack
			FROM firsts f CROSS JOIN events l
			WHERE l.kind = 'sale' AND l.order_id <> '' AND l.order_id = f.order_id AND l.ref = f.id GROUP BY f.id)
		SELECT max(unit), max(unit + slack) FROM kits`,
		dayOf(end-1), dayOf(first.Int64), string(keys), end, kitID, paidSalesRead).Scan(&unit, &limit)
	return paid{unit: domain.Money(unit.Int64), limit: domain.Money(limit.Int64), found: unit.Valid}, err
}

// kitReturnWarnings says what is odd about a kit coming back: a refund
// above what a kit was paid, the kit never sold before then, or more kits
// back in all than were sold. Where kits were sold before sale lines
// named their kit, what a kit was paid and how many were sold cannot be
// told: the refund is checked against the kit's price, and each part
// instead (kitPartWarnings).
func kitReturnWarnings(ctx context.Context, t *txn, kit skuRow, in Return, at time.Time, back string) ([]string, error) {
	parts, rows, err := kitPartRows(ctx, t, kit)
	if err != nil {
		return nil, err
	}
	end := at.UnixMilli() + 1
	kits, err := kitsSoldAndReturned(ctx, t, kit.ID, rows, end)
	if err != nil {
		return nil, err
	}
	var most paid
	if kits.known && in.Refund > 0 {
		if most, err = kitMostPaid(ctx, t.tx, kit.ID, rows, end); err != nil {
			return nil, err
		}
	}
	warnings, err := refundWarning(ctx, t, kit, in, most)
	if err != nil {
		return nil, err
	}
	switch {
	case !kits.known:
		more, err := kitPartWarnings(ctx, t, kit, parts, rows, in.Qty, at, back)
		return append(warnings, more...), err
	case kits.sold <= 0:
		warnings = append(warnings, fmt.Sprintf("kit %s has no sale recorded before %s, so this return is of a kit never sold; check the code",
			kit.Code, at.In(t.shop.loc).Format("2006-01-02 15:04")))
	case kits.returned+in.Qty > kits.sold:
		warnings = append(warnings, fmt.Sprintf("%d × %s %s, more than the %d sold; check the quantity", kits.returned+in.Qty, kit.Code, back, kits.sold))
	}
	return warnings, nil
}

// kitPartWarnings checks each part of qty kits coming back, where the
// kits sold cannot be told: a part never sold, or more of it back in all
// than was ever sold, alone or in kits.
func kitPartWarnings(ctx context.Context, t *txn, kit skuRow, parts []domain.KitPart, rows []skuRow, qty int, at time.Time, back string) ([]string, error) {
	var out []string
	for i, r := range rows {
		sold, returned, err := skuSoldAndReturned(ctx, t.tx, r.ID, at.UnixMilli()+1)
		if err != nil {
			return nil, err
		}
		units := returned + qty*parts[i].Qty
		switch {
		case sold <= 0:
			out = append(out, fmt.Sprintf("%s, a part of kit %s, has no sale recorded before %s, so this return is of a kit never sold; check the code",
				r.Code, kit.Code, at.In(t.shop.loc).Format("2006-01-02 15:04")))
		case units > sold:
			out = append(out, fmt.Sprintf("%d units of %s, a part of kit %s, %s, more than the %d ever sold; check the quantity",
				units, r.Code, kit.Code, back, sold))
		}
	}
	return out, nil
}

// kitCounts are the kits of one kit sold (voids left out) and returned,
// from the lines that name it; known is false when some of its parts'
// lines are of kits sold before sale lines named their kit.
type kitCounts struct {
	sold, returned int
	known          bool
}

// kitsSoldAndReturned counts a kit's sales and returns before end from
// its parts' ledgers: each names the kit on its lines, and its first
// line (the one all its lines name as their Ref) counts the kits.
func kitsSoldAndReturned(ctx context.Context, t *txn, kitID string, parts []skuRow, end int64) (kitCounts, error) {
	var first sql.NullInt64
	if err := t.tx.QueryRowContext(ctx, `SELECT min(at) FROM events`).Scan(&first); err != nil || !first.Valid {
		return kitCounts{known: true}, err
	}
	out := kitCounts{known: true}
	for _, p := range parts {
		var sold, returned, unnamed int
		err := t.tx.QueryRowContext(ctx, `WITH RECURSIVE days(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM days WHERE day < ?2)
			SELECT coalesce(sum(CASE WHEN e.kind = 'sale' AND e.kit_id = ?5 AND e.ref = e.id
					AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id) THEN e.kit_qty ELSE 0 END), 0),
				coalesce(sum(CASE WHEN e.kind = 'return' AND e.kit_id = ?5 AND e.ref = e.id THEN e.kit_qty ELSE 0 END), 0),
				coalesce(sum(e.kind = 'sale' AND e.ref <> '' AND e.kit_id = ''), 0)
			FROM days CROSS JOIN events e
			WHERE e.at / 86400000 = days.day AND e.sku_n = (SELECT n FROM sku_keys WHERE id = ?3) AND e.at < ?4`,
			dayOf(first.Int64), dayOf(end-1), p.ID, end, kitID).Scan(&sold, &returned, &unnamed)
		if err != nil {
			return kitCounts{}, err
		}
		out.sold, out.returned, out.known = out.sold+sold, out.returned+returned, out.known && unnamed == 0
	}
	return out, nil
}

// skuSoldAndReturned is a SKU's units sold (less voids) and returned before
// end over its whole history: one seek a day into the day-led index.
func skuSoldAndReturned(ctx context.Context, q queryer, skuID string, end int64) (sold, returned int, err error) {
	var first sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT min(at) FROM events`).Scan(&first); err != nil || !first.Valid {
		return 0, 0, err
	}
	err = q.QueryRowContext(ctx, `WITH RECURSIVE days(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM days WHERE day < ?2)
		SELECT coalesce(sum(CASE e.kind WHEN 'sale' THEN e.qty WHEN 'void' THEN -e.qty ELSE 0 END), 0),
			coalesce(sum(CASE e.kind WHEN 'return' THEN e.qty ELSE 0 END), 0)
		FROM days CROSS JOIN events e
		WHERE e.at / 86400000 = days.day AND e.sku_n = (SELECT n FROM sku_keys WHERE id = ?3) AND e.at < ?4`,
		dayOf(first.Int64), dayOf(end-1), skuID, end).Scan(&sold, &returned)
	return sold, returned, err
}

// Count records a stocktake at this device's default location: see
// CountStock.
func (s *Shop) Count(ctx context.Context, code string, qty int, at time.Time) (string, error) {
	return s.CountStock(ctx, Stocktake{Code: code, Qty: qty, At: at})
}

// Stocktake is what `count` asks for.
type Stocktake struct {
	Code     string
	Qty      int       // units on hand there, held units included
	At       time.Time // zero for now
	Location string    // by name; empty for this device's default
}

// CountStock records a stocktake: qty units on hand at one location at at,
// held units included. Movements there before it stop mattering; those
// after it count from it. Other locations keep their own stock.
func (s *Shop) CountStock(ctx context.Context, in Stocktake) (string, error) {
	if err := domain.ValidateCount(in.Qty); err != nil {
		return "", err
	}
	return s.stockEvent(ctx, event{Kind: kindCount, Qty: in.Qty}, in.Code, in.Location, in.At, false)
}

// CountBelowHeld is what to tell a maker whose count of counted units of
// code at place is below the held units there, and "" otherwise; batches
// names the batches holding them (HeldBatches), as the tool at hand calls
// them. A count includes held units, and held units leave only through
// their batch's QA, so such a count leaves available there below zero: a
// count that left the QA box out looks like stock sold that was never
// there. Held units lost or broken leave the same way: no event takes
// units out of a hold, so QA decides on those left (a fail takes all the
// held units out, a pass sells them), and a count after the decision sets
// the shelf, as it holds nothing back any more.
func CountBelowHeld(code, place string, counted, held int, batches []string) string {
	if counted >= held {
		return ""
	}
	which := "their batch"
	if len(batches) > 0 {
		which = strings.Join(batches, " and ")
	}
	return fmt.Sprintf("%s at %s has %s held for QA, more than the %d counted; a count includes held units, so %d show as sold beyond stock there until the batch passes or fails QA; if the held ones were left out, count again with them; if some were lost or broken, decide QA of %s on those left, then count again",
		code, place, units(held), counted, held-counted, which)
}

// HeldBatches lists the batches whose units of code wait for QA at a
// location (by name), oldest first: the QA that lets held units leave.
func (s *Shop) HeldBatches(ctx context.Context, code, location string) ([]domain.Batch, error) {
	loc, err := s.FindLocation(ctx, location)
	if err != nil {
		return nil, err
	}
	sku, err := s.SKU(ctx, code)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.batch_id FROM events e JOIN batches b ON b.id = e.batch_id
		WHERE e.sku_id = ? AND e.location = ? AND e.kind = 'receipt' AND e.batch_id <> '' AND e.held > 0 AND b.qa = 'pending'
		GROUP BY e.batch_id ORDER BY min(b.ordered_at), e.batch_id`, sku.ID, loc.ID)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, storeError(s.path, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	out := make([]domain.Batch, 0, len(ids))
	for _, id := range ids {
		b, err := s.Batch(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Adjust records a signed correction with a note saying why. A correction
// that takes units out follows the rule for sales: see AdjustStock.
func (s *Shop) Adjust(ctx context.Context, code string, qty int, note string, at time.Time) (string, error) {
	return s.AdjustStock(ctx, Adjustment{Code: code, Qty: qty, Note: note, At: at})
}

// Adjustment is what `adjust` asks for.
type Adjustment struct {
	Code     string
	Qty      int // signed: -2 takes two out
	Note     string
	At       time.Time // zero for now
	Force    bool      // take units out even beyond available stock
	Location string    // by name; empty for this device's default
}

// AdjustStock records a signed correction. One that takes units out is
// refused, as a sale is, when available stock would go below zero at any
// moment from its time to now, unless forced: units cannot leave that were
// not there, and those in QA hold leave through a failed QA.
func (s *Shop) AdjustStock(ctx context.Context, in Adjustment) (string, error) {
	note, err := domain.CleanNote("note", in.Note)
	if err != nil {
		return "", err
	}
	if err := domain.ValidateAdjustment(in.Qty, note); err != nil {
		return "", err
	}
	return s.stockEvent(ctx, event{Kind: kindAdjust, Qty: in.Qty, Note: note}, in.Code, in.Location, in.At, in.Force)
}

// stockEvent records a count or an adjustment e of the SKU code at the
// location named place.
func (s *Shop) stockEvent(ctx context.Context, e event, code, place string, at time.Time, force bool) (string, error) {
	e.ID = newID()
	return e.ID, s.write(ctx, func(t *txn) error {
		at := orNow(at, t.now)
		if err := t.checkAt(at); err != nil {
			return err
		}
		sku, err := findSKU(ctx, t.tx, code)
		if err != nil {
			return err
		}
		if sku.Path == domain.PathDigital {
			return domain.Errorf(domain.EInvalid, "SKU %s is digital and has no stock to count or adjust", sku.Code)
		}
		if sku.Path == domain.PathKit {
			return domain.Errorf(domain.EInvalid, "SKU %s is a kit and has no stock of its own; count or adjust its parts", sku.Code)
		}
		loc, err := t.placeOf(ctx, place)
		if err != nil {
			return err
		}
		if e.Kind == kindAdjust && e.Qty < 0 && !force {
			r, err := checkRemoval(ctx, t, sku, loc.ID, at, -e.Qty, "take out")
			if err != nil {
				return err
			}
			if r.short != nil {
				return r.short
			}
		}
		e.SKUID, e.At, e.Location = sku.ID, at.UnixMilli(), loc.ID
		return t.addEvent(e)
	})
}
