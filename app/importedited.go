package app

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"microshop/domain"
)

// ImportEdited is a line imported before that the file has otherwise: its
// order edited on the channel since (a quantity or price changed, a line
// removed). The shop keeps the sale as imported, the ledger being
// insert-only; the maker voids it and sells it again, or records a return.
type ImportEdited struct {
	Order string
	// Held is the line as the shop holds it; File as the file has it,
	// its Qty 0 for a line the file no longer has.
	Held, File EditedLine
}

// EditedLine is an order line's SKU, units and what it came to after its
// discount; Total is unknown (-1) for a kit's line, whose sale is its
// parts' at their shares of the kit's price.
type EditedLine struct {
	Code  string
	Qty   int
	Total domain.Money
}

// String is the line as a note names it: "2 MUG for 48.00".
func (l EditedLine) String(currency string) string {
	if l.Qty == 0 {
		return "none"
	}
	if l.Total < 0 {
		return fmt.Sprintf("%d %s", l.Qty, l.Code)
	}
	return fmt.Sprintf("%d %s for %s", l.Qty, l.Code, l.Total.Format(currency))
}

// String names the line as the edited note does: "#1001: 3 MUG for 72.00
// in the shop, 2 MUG for 48.00 in the file".
func (e ImportEdited) String(currency string) string {
	return fmt.Sprintf("%s: %s in the shop, %s in the file", e.Order, e.Held.String(currency), e.File.String(currency))
}

// EditedNote names the lines imported before that the file has with
// another SKU, quantity or price, or no longer has, a few of them; "" when
// there are none. The import leaves their sales as they were: which units
// went or came back is for the maker to say.
func (r ImportResult) EditedNote() string {
	if len(r.Edited) == 0 {
		return ""
	}
	lines := make([]string, 0, 5)
	for _, e := range r.Edited[:min(len(r.Edited), 5)] {
		lines = append(lines, e.String(r.currency))
	}
	named := strings.Join(lines, "; ")
	if len(r.Edited) > 5 {
		named += fmt.Sprintf("; and %d more", len(r.Edited)-5)
	}
	if len(r.Edited) == 1 {
		return fmt.Sprintf("A line imported before is otherwise in this file, its order edited since, but its sale still counts as imported (%s): void it and sell again what the file has, or record a return of what came back.", named)
	}
	return fmt.Sprintf("%d lines imported before are otherwise in this file, their orders edited since, but their sales still count as imported (%s): void them and sell again what the file has, or record a return of what came back.", len(r.Edited), named)
}

// PartlyRefundedNote names the orders the file shows partially refunded,
// a few of them; "" when there are none. Their lines are imported whole:
// the file does not say which of them was refunded.
func (r ImportResult) PartlyRefundedNote() string {
	switch len(r.PartlyRefunded) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("Order %s is partially refunded in this file and counts whole, since the file does not say which line was refunded: record a return of what came back, if not done yet.",
			r.PartlyRefunded[0])
	}
	return fmt.Sprintf("Orders %s are partially refunded in this file and count whole, since the file does not say which lines were refunded: record a return of what came back, if not done yet.",
		firstFew(r.PartlyRefunded))
}

// partlyRefundedOrders are the orders, each once, whose lines the import
// counts (recorded now or before) that the file shows partially refunded.
func partlyRefundedOrders(lines []orderLine) []string {
	var orders []string
	seen := map[string]bool{}
	for _, l := range lines {
		if l.partRefunded && !l.skipped {
			orders = appendOnce(orders, seen, l.order)
		}
	}
	return orders
}

// heldSale is what the shop holds of an imported line's sale: for a
// kit's, its first part's sale, which keeps the kit and its quantity.
type heldSale struct {
	qty, kitQty int
	price       domain.Money
	code        string // the SKU's, or the kit's for a kit's part
}

// editedLines are the lines of again, held already by the ids of their
// sales, that the shop holds with another SKU, quantity or total than the
// file has, not voided since; and, of Shopify's orders, the lines the shop
// holds past the last the file has of the order. A re-import of a file
// unchanged reads them all in a few batched queries; a new file, none.
func (s *Shop) editedLines(ctx context.Context, tx *txn, channel string, lines []orderLine, ids []string, again []int) ([]ImportEdited, error) {
	if len(again) == 0 {
		return nil, nil
	}
	read := make([]string, 0, 2*len(again))
	for _, i := range again {
		read = append(read, ids[i], s.oddUnitsID(channel, lines[i]))
	}
	held, err := heldSales(ctx, tx, read)
	if err != nil {
		return nil, err
	}
	var out []ImportEdited
	var main []string // the differing lines' sales, to pass over those voided
	for _, i := range again {
		l := lines[i]
		have, ok := held[ids[i]]
		if !ok {
			continue // a line twice in the file, new to the shop
		}
		h := heldLine(l.sku.Path == domain.PathKit, have, held[s.oddUnitsID(channel, l)])
		f := EditedLine{Code: l.sku.Code, Qty: l.qty, Total: domain.Money(l.qty)*l.price - l.off}
		if h.Total < 0 {
			f.Total = -1
		}
		if h != f {
			out = append(out, ImportEdited{Order: l.order, Held: h, File: f})
			main = append(main, ids[i])
		}
	}
	gone, goneIDs, err := s.goneLines(ctx, tx, channel, lines, again)
	if err != nil {
		return nil, err
	}
	out, main = append(out, gone...), append(main, goneIDs...)
	voided, err := voidedSales(ctx, tx, main)
	if err != nil {
		return nil, err
	}
	kept := out[:0]
	for j, e := range out {
		if !voided[main[j]] {
			kept = append(kept, e)
		}
	}
	return kept, nil
}

// heldLine is an imported line as the shop holds it, from its sale and
// its odd units' (lineSales), the zero heldSale when it has none.
func heldLine(kit bool, sale, odd heldSale) EditedLine {
	if kit {
		return EditedLine{Code: sale.code, Qty: sale.kitQty + odd.kitQty, Total: -1}
	}
	return EditedLine{Code: sale.code, Qty: sale.qty + odd.qty, Total: domain.Money(sale.qty)*sale.price + domain.Money(odd.qty)*odd.price}
}

// oddUnitsID is the id of the sale of a line's odd units (lineSales).
func (s *Shop) oddUnitsID(channel string, l orderLine) string {
	if l.sku.Path == domain.PathKit {
		return kitPartSaleID(s.shopID, channel, oddUnitsKey(l.key), 0)
	}
	return importedSaleID(s.shopID, channel, oddUnitsKey(l.key))
}

// goneLines are the lines of Shopify's orders among again that the shop
// holds past the last line the file has of the order: a line removed from
// the order since, or, its key being its place in the order, the last
// line's sale once a line before it was removed. With them, the ids of
// their sales.
func (s *Shop) goneLines(ctx context.Context, tx *txn, channel string, lines []orderLine, again []int) ([]ImportEdited, []string, error) {
	if channel != "shopify" {
		return nil, nil, nil // an Etsy line's key is its own, not a place
	}
	last := map[string]int{}
	for _, i := range again {
		last[lines[i].order] = 0
	}
	for _, l := range lines {
		if _, ok := last[l.order]; ok {
			last[l.order] = max(last[l.order], l.pos)
		}
	}
	var out []ImportEdited
	var gone []string
	for len(last) > 0 {
		var read []string
		for order, pos := range last {
			key := order + "/" + strconv.Itoa(pos+1)
			read = append(read, importedSaleID(s.shopID, channel, key), kitPartSaleID(s.shopID, channel, key, 0))
		}
		held, err := heldSales(ctx, tx, read)
		if err != nil {
			return nil, nil, err
		}
		next := map[string]int{}
		for order, pos := range last {
			key := order + "/" + strconv.Itoa(pos+1)
			sale, kit := importedSaleID(s.shopID, channel, key), kitPartSaleID(s.shopID, channel, key, 0)
			id, isKit := sale, false
			if _, ok := held[sale]; !ok {
				id, isKit = kit, true
			}
			have, ok := held[id]
			if !ok {
				continue
			}
			oddKey := oddUnitsKey(key)
			odd, err := heldOdd(ctx, tx, s.shopID, channel, oddKey, isKit)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, ImportEdited{Order: order, Held: heldLine(isKit, have, odd)})
			gone = append(gone, id)
			next[order] = pos + 1
		}
		last = next
	}
	return out, gone, nil
}

// heldOdd is the sale of a gone line's odd units, by the key of them, if
// the shop holds one. Gone lines are few: one query each.
func heldOdd(ctx context.Context, tx *txn, shopID, channel, oddKey string, kit bool) (heldSale, error) {
	id := importedSaleID(shopID, channel, oddKey)
	if kit {
		id = kitPartSaleID(shopID, channel, oddKey, 0)
	}
	held, err := heldSales(ctx, tx, []string{id})
	return held[id], err
}

// heldSales are the sales the shop holds of ids, by id.
func heldSales(ctx context.Context, tx *txn, ids []string) (map[string]heldSale, error) {
	held := map[string]heldSale{}
	err := eachRowIn(ctx, tx.tx, `SELECT c.entity_id, c.qty, c.kit_qty, c.price, ifnull(k.code, '') FROM changes c
		LEFT JOIN skus k ON k.id = CASE WHEN c.kit_id <> '' THEN c.kit_id ELSE c.sku_id END
		WHERE c.at IS NOT NULL AND c.entity = 'sale' AND c.entity_id IN %s`, ids, func(rows *sql.Rows) error {
		var id string
		var h heldSale
		err := rows.Scan(&id, &h.qty, &h.kitQty, &h.price, &h.code)
		held[id] = h
		return err
	})
	return held, err
}

// voidedSales reports which of ids a void names.
func voidedSales(ctx context.Context, tx *txn, ids []string) (map[string]bool, error) {
	voided := map[string]bool{}
	if len(ids) == 0 {
		return voided, nil
	}
	err := eachRowIn(ctx, tx.tx, `SELECT ref FROM changes WHERE entity = 'void' AND ref IN %s`, ids, func(rows *sql.Rows) error {
		var ref string
		err := rows.Scan(&ref)
		voided[ref] = true
		return err
	})
	return voided, err
}
