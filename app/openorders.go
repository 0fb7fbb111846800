package app

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"microshop/domain"
	"microshop/sync/changes"
)

// The imported orders that may still be open are kept in open_orders, as
// of the log row in the meta key openOrdersMark. Today's delayed-order
// alerts read those orders' lines alone: reading every imported sale line
// and dropping the shipped orders took 12 to 31 seconds at each opening of
// Today after a shop's history of a million lines was imported. The table
// is a cache. It holds every open order and perhaps some that are not:
// each read checks its orders against the ledger and the order records,
// and keeps only the open ones. When it cannot be brought up to date from
// the rows logged since, it is made again from the sale lines' index.

const openOrdersMark = "open_orders_upto"

// openOrdersRescanLimit is how many log rows since the cache are read one
// by one; beyond it the cache is made again, which reads the sale lines'
// index once instead of every row logged.
var openOrdersRescanLimit int64 = 50_000

// openOrdersSaveAfter is how many rows logged since the cache a read that
// found nothing new reads before it moves the cache's mark past them.
const openOrdersSaveAfter = 1_000

// orderKey is an order by channel and the channel's number.
type orderKey struct{ channel, number string }

// orderCandidates are the orders that may be open as of log row upto, and
// whether they differ from the cache's (fresh: made again, or grown).
type orderCandidates struct {
	keys   map[orderKey]bool
	cached map[orderKey]bool // what open_orders held; nil when made again
	upto   int64
}

// openOrderCandidates reads, in q's transaction, every order that may be
// open: the cache's, and the orders of the rows logged since it.
func (s *Shop) openOrderCandidates(ctx context.Context, q queryer) (orderCandidates, error) {
	var c orderCandidates
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM changes`).Scan(&c.upto); err != nil {
		return c, err
	}
	mark, err := getMeta(ctx, q, openOrdersMark)
	if err != nil {
		return c, err
	}
	since, err := parseMark(mark)
	if err != nil || since > c.upto || c.upto-since > openOrdersRescanLimit {
		return c, allOpenOrderKeys(ctx, q, &c)
	}
	if c.cached, err = cachedOpenOrders(ctx, q); err != nil {
		return c, err
	}
	c.keys = make(map[orderKey]bool, len(c.cached))
	for k := range c.cached {
		c.keys[k] = true
	}
	whole, err := s.addLoggedOrders(ctx, q, since, &c)
	if err != nil {
		return c, err
	}
	if whole {
		c.cached = nil
		return c, allOpenOrderKeys(ctx, q, &c)
	}
	return c, nil
}

// dropOpenOrdersMark has the next read make the open-orders cache again.
func dropOpenOrdersMark(ctx context.Context, q queryer) error {
	_, err := q.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, openOrdersMark)
	return err
}

// parseMark reads the cache's log row; "" (no cache yet) is an error too.
func parseMark(mark string) (int64, error) { return strconv.ParseInt(mark, 10, 64) }

func cachedOpenOrders(ctx context.Context, q queryer) (map[orderKey]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT channel, number FROM open_orders`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[orderKey]bool{}
	for rows.Next() {
		var k orderKey
		if err := rows.Scan(&k.channel, &k.number); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// allOpenOrderKeys are the orders of every imported sale line that no
// record marks shipped: voided lines and orders of downloads only are
// left for the check that follows.
func allOpenOrderKeys(ctx context.Context, q queryer, c *orderCandidates) error {
	rows, err := q.QueryContext(ctx, `SELECT l.channel, l.order_id
		FROM (SELECT DISTINCT e.order_id, e.channel FROM changes e
			WHERE e.entity = 'sale' AND e.order_id <> '' AND e.channel IN ('etsy', 'shopify') AND e.at IS NOT NULL) l
		WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.channel = l.channel AND o.number = l.order_id AND o.shipped_at > 0)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	c.keys = map[orderKey]bool{}
	for rows.Next() {
		var k orderKey
		if err := rows.Scan(&k.channel, &k.number); err != nil {
			return err
		}
		c.keys[k] = true
	}
	return rows.Err()
}

// addLoggedOrders adds the orders of the rows logged after row since: the
// imported sale lines, and the order records changed, which may have
// reopened an order. whole is true when a row may have changed an order
// the cache dropped in a way its own key does not show: an order record
// moved to another order's number, or a download made something to send.
func (s *Shop) addLoggedOrders(ctx context.Context, q queryer, since int64, c *orderCandidates) (whole bool, err error) {
	rows, err := q.QueryContext(ctx, `SELECT c.entity, c.entity_id, coalesce(c.channel, ''), coalesce(c.order_id, ''),
			CASE WHEN c.entity IN ('order', 'sku') THEN c.body END
		FROM changes c
		WHERE c.n > ? AND c.n <= ? AND (c.entity IN ('order', 'sku') OR (c.entity = 'sale' AND c.order_id <> ''))`, since, c.upto)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var records []string
	for rows.Next() {
		var entity, id, channel, number string
		var body []byte
		if err := rows.Scan(&entity, &id, &channel, &number, &body); err != nil {
			return false, err
		}
		if entity == kindSale {
			if channel == "etsy" || channel == "shopify" {
				c.keys[orderKey{channel, number}] = true
			}
			continue
		}
		if whole, err := s.recordMayReopen(ctx, q, entity, id, body); err != nil || whole {
			return true, err
		}
		if entity == "order" {
			records = append(records, id)
		}
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	rows.Close()
	// A record changed may have reopened its order (shipped_at set back
	// to 0): that order is checked again.
	slices.Sort(records)
	return false, eachRowIn(ctx, q, `SELECT channel, number FROM orders WHERE id IN %s`, slices.Compact(records), func(rows *sql.Rows) error {
		var k orderKey
		if err := rows.Scan(&k.channel, &k.number); err != nil {
			return err
		}
		c.keys[k] = true
		return nil
	})
}

// recordMayReopen reports whether a record's change logged since the
// cache may have reopened an order the cache dropped, other than the one
// its order record names, which is checked again anyway.
func (s *Shop) recordMayReopen(ctx context.Context, q queryer, entity, id string, body []byte) (bool, error) {
	var fields changes.RecordBody
	if json.Unmarshal(body, &fields) != nil {
		return true, nil
	}
	if entity == "sku" {
		return madeNotADownload(ctx, q, id, fields)
	}
	return !s.orderBodyNamesItsID(id, fields), nil
}

// madeNotADownload reports whether a SKU's change may have made a download
// something to send: its path set to another, on a SKU that has been a
// download. An order of downloads only is not open, and the cache drops
// it; a new SKU, or one never a download, reopens nothing (an order
// holding a SKU not known yet stays in the cache until it is).
func madeNotADownload(ctx context.Context, q queryer, skuID string, fields changes.RecordBody) (bool, error) {
	path, ok := fields["path"]
	if !ok {
		return false, nil
	}
	if string(path.Value) == `"`+string(domain.PathDigital)+`"` {
		return false, nil
	}
	var was bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM field_versions
		WHERE entity = 'sku' AND entity_id = ? AND field = 'path' AND value = CAST(? AS BLOB))`,
		skuID, `"`+string(domain.PathDigital)+`"`).Scan(&was)
	return was, err
}

// orderBodyNamesItsID reports whether an order record's change keeps the
// record on the order its id was made from: every device makes an order's
// record id from its channel and number (orderRecordID), so only a change
// that names another order could move a record, and with it a shipped
// mark, from one order to another.
func (s *Shop) orderBodyNamesItsID(id string, fields changes.RecordBody) bool {
	ch, hasChannel := fields["channel"]
	num, hasNumber := fields["number"]
	if !hasChannel && !hasNumber {
		return true
	}
	var channel, number string
	if !hasChannel || !hasNumber || json.Unmarshal(ch.Value, &channel) != nil || json.Unmarshal(num.Value, &number) != nil {
		return false
	}
	return orderRecordID(s.shopID, channel, number) == id
}

// saveOpenOrders keeps the orders found open as the cache, as of log row
// c.upto, unless it holds them already or another report kept a later one.
// It is a cache: failing to save only makes the next read longer.
func (s *Shop) saveOpenOrders(ctx context.Context, c orderCandidates, open map[orderKey]bool) {
	if s.ro != nil {
		return
	}
	var added, dropped []orderKey
	for k := range open {
		if !c.cached[k] {
			added = append(added, k)
		}
	}
	for k := range c.cached {
		if !open[k] {
			dropped = append(dropped, k)
		}
	}
	tx, done, err := s.beginCache(ctx)
	if err != nil {
		return
	}
	defer done()
	defer tx.Rollback()
	if save, err := c.worthSaving(ctx, tx, len(added)+len(dropped)); err != nil || !save {
		return
	}
	if writeOpenOrders(ctx, tx, c, added, dropped) == nil {
		tx.Commit()
	}
}

// worthSaving reports whether the cache should become c: not when the one
// kept is as fresh or fresher, nor when nothing changed but fewer rows
// than openOrdersSaveAfter, which the next read reads again: Today opens
// often, and a write on each opening would be spent on nothing.
func (c orderCandidates) worthSaving(ctx context.Context, q queryer, changed int) (bool, error) {
	mark, err := getMeta(ctx, q, openOrdersMark)
	if err != nil {
		return false, err
	}
	since, err := parseMark(mark)
	switch {
	case err != nil || c.cached == nil:
		return true, nil
	case since >= c.upto:
		return false, nil
	}
	return changed > 0 || c.upto-since >= openOrdersSaveAfter, nil
}

// writeOpenOrders makes the cache c's open orders, as of c.upto: all of
// them when c was made again, else what was added and dropped.
func writeOpenOrders(ctx context.Context, tx *sql.Tx, c orderCandidates, added, dropped []orderKey) error {
	if c.cached == nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM open_orders`); err != nil {
			return err
		}
	}
	for _, k := range dropped {
		if _, err := tx.ExecContext(ctx, `DELETE FROM open_orders WHERE channel = ? AND number = ?`, k.channel, k.number); err != nil {
			return err
		}
	}
	// In key order, so each page of the table is written once.
	slices.SortFunc(added, func(a, b orderKey) int {
		return cmp.Or(strings.Compare(a.channel, b.channel), strings.Compare(a.number, b.number))
	})
	for _, k := range added {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO open_orders (channel, number) VALUES (?, ?)`, k.channel, k.number); err != nil {
			return err
		}
	}
	return setMeta(ctx, tx, openOrdersMark, itoa(c.upto))
}
