package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"microshop/domain"
)

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
		e.ID = saleID
		lines, err := linesToVoid(ctx, t, e)
		if err != nil {
			return err
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
	// The line itself, or another of its kit: asked in one join with an
	// OR, SQLite read every sale of the ledger for it (1.8 s an Undo on
	// the benchmark shop). The kit's lines come from the sale lines' index,
	// which holds only lines in an order (hence order_id <> '').
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM events e
			WHERE e.id = ?1 AND e.kind = 'sale' AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id))
		OR EXISTS (SELECT 1 FROM events e JOIN events l ON l.kind = 'sale' AND l.order_id = e.order_id AND l.order_id <> '' AND l.ref = e.ref
			WHERE e.id = ?1 AND e.kind = 'sale' AND e.ref <> ''
				AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = l.id))`, id).Scan(&stands)
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

// linesToVoid are the lines a void of sale line e voids: e alone, or with
// every line of its kit, sold in one order.
func linesToVoid(ctx context.Context, t *txn, e event) ([]event, error) {
	if e.Ref == "" || e.Order == "" {
		return []event{e}, nil
	}
	return kitLines(ctx, t, e.Order, e.Ref)
}

// kitLines are the sale lines of one kit's sale: those of its order that
// name the kit's first line as their Ref. "order_id <> ”" lets SQLite
// use the sale lines' index, which holds only lines in an order: without
// it each void read every sale of the ledger.
func kitLines(ctx context.Context, t *txn, order, first string) ([]event, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT id, sku_id, at, qty, price, channel, factory_id, location, order_id
		FROM events WHERE order_id = ? AND order_id <> '' AND kind = 'sale' AND ref = ?`, order, first)
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
