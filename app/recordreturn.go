package app

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"microshop/domain"
)

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
// few hundredths more when its first line holds more than one unit a kit:
// a kit sold before its lines came to its price exactly (domain.KitRuns)
// has lines that may miss a few cents of it, so a refund of the kit's
// price as charged still passes.
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
// naming the kit and its first line; the first lines are found by the kit
// lines' index (events_kit), newest first, and each sale's lines by its
// order. It walked back the parts' ledgers day by day, 19 ms for a kit
// never sold on a shop of a million events.
func kitMostPaid(ctx context.Context, q queryer, kitID string, end int64) (paid, error) {
	var unit, limit sql.NullInt64
	err := q.QueryRowContext(ctx, `WITH firsts AS (SELECT e.id, e.order_id, e.qty, e.kit_qty FROM events e
			WHERE e.kit_id <> '' AND e.kit_id = ?1 AND e.at < ?2 AND e.kind = 'sale' AND e.ref = e.id AND e.kit_qty > 0
				AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id)
			ORDER BY e.at DESC LIMIT ?3),
		kits AS (SELECT sum(l.price * l.qty) / f.kit_qty AS unit, f.qty / f.kit_qty - 1 AS slack
			FROM firsts f CROSS JOIN events l
			WHERE l.kind = 'sale' AND l.order_id <> '' AND l.order_id = f.order_id AND l.ref = f.id GROUP BY f.id)
		SELECT max(unit), max(unit + slack) FROM kits`,
		kitID, end, paidSalesRead).Scan(&unit, &limit)
	return paid{unit: domain.Money(unit.Int64), limit: domain.Money(limit.Int64), found: unit.Valid}, err
}

// kitReturnWarnings says what is odd about a kit coming back: a refund
// above what a kit was paid, the kit never sold before then, or more kits
// back in all than were sold. Where kits were sold before sale lines
// named their kit, what a kit was paid and how many were sold cannot be
// told: the refund is checked against the kit's price, and each part
// instead (kitPartWarnings).
func kitReturnWarnings(ctx context.Context, t *txn, kit skuRow, in Return, at time.Time, back string) ([]string, error) {
	parts, rows, err := returnedKitParts(ctx, t, kit, at)
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
		if most, err = kitMostPaid(ctx, t.tx, kit.ID, end); err != nil {
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
