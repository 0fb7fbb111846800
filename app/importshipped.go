package app

import (
	"context"
	"fmt"
)

// shipColumn is the column of an order file's format that says which
// orders shipped.
func shipColumn(format string) string {
	if format == FormatShopifyOrders {
		return "Fulfillment Status"
	}
	return "Date Shipped"
}

// ordersLeftOpen counts the orders of the lines that a file without its
// shipped column leaves open: those it records or holds already, not
// cancelled nor left out, that the shop has not marked shipped (by an
// earlier file or by hand). One query for the file, none for a file that
// has the column.
func (s *Shop) ordersLeftOpen(ctx context.Context, tx *txn, channel string, lines []orderLine, res *ImportResult) (int, error) {
	if !res.noShipColumn {
		return 0, nil
	}
	var ids []string
	seen := map[string]bool{}
	for _, l := range lines {
		if !l.skipped && !seen[l.order] {
			seen[l.order] = true
			ids = append(ids, orderRecordID(s.shopID, channel, l.order))
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	held, err := orderRecords(ctx, tx, ids)
	if err != nil {
		return 0, storeError(s.path, err)
	}
	open := len(ids)
	for _, rec := range held {
		if rec.shippedAt != 0 {
			open--
		}
	}
	return open, nil
}

// ShippingUnknownNote says that the file does not say which orders
// shipped, so its orders are taken as open; "" when it does, or leaves
// none open. Some exports lack the column, and two years of orders
// imported so became thousands of delayed orders without a word.
func (r ImportResult) ShippingUnknownNote() string {
	if r.ShippingUnknown == 0 {
		return ""
	}
	orders := fmt.Sprintf("its %d orders are", r.ShippingUnknown)
	if r.ShippingUnknown == 1 {
		orders = "its 1 order is"
	}
	return fmt.Sprintf("The file has no %s column, so it does not say which orders shipped: %s taken as not shipped yet.", shipColumn(r.Format), orders)
}
