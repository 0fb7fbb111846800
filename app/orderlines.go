package app

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"microshop/domain"
)

// The orders list reads every imported sale line. orderLinesQuery, which
// joins each line to its SKU, its kit and its order's records and groups
// them in SQL, took 3.5 s for 100,000 orders (BenchmarkOrders): each line
// read its row of the log beside the index, and each group looked its
// order up twice in the orders table. readAllOrderLines reads the lines
// from the index of sale lines in orders alone (migration 0035 gave it
// their quantity and kit), the SKUs and the order records once each, and
// puts them together here: 0.5 s.

// voidedLines are the log rows of the sale lines voided, by the voids'
// index: few, and read once for every line.
const voidedLines = `SELECT s.n FROM changes v INDEXED BY events_voids
	JOIN changes s ON s.entity_id = v.ref AND s.at IS NOT NULL
	WHERE v.entity = 'void' AND v.at IS NOT NULL`

// orderLinesOf reads one channel's imported sale lines not voided, not of
// a kit, by order: from the index alone.
const orderLinesOf = `SELECT e.order_id, coalesce(e.sku_n, 0), coalesce(e.qty, 0), e.at
	FROM changes e INDEXED BY events_order
	WHERE e.entity = 'sale' AND e.order_id <> '' AND e.channel = ? AND e.kit_id = '' AND e.at IS NOT NULL
		AND e.n NOT IN (` + voidedLines + `)`

// kitOrderLines reads the imported sale lines of kits not voided, by the
// index of kits' lines: they are few, and each reads its row.
const kitOrderLines = `SELECT e.channel, e.order_id, coalesce(e.sku_n, 0), coalesce(e.qty, 0), e.at, e.kit_id,
		CASE WHEN e.entity_id = e.ref THEN e.kit_qty ELSE 0 END
	FROM changes e INDEXED BY events_kit
	WHERE e.kit_id <> '' AND e.entity = 'sale' AND e.order_id <> '' AND e.channel IN ('etsy', 'shopify') AND e.at IS NOT NULL
		AND e.n NOT IN (` + voidedLines + `)`

// lineSKU is what an order line needs of its SKU, or of its kit.
type lineSKU struct {
	code, name string
	download   bool
}

// readAllOrderLines gives r every imported order's lines, voided lines
// left out, as orderLinesQuery's rows give them, and the orders by channel
// and number. A line of a SKU not known, or after the cutoff, is left out:
// it only keeps its order open, which the whole list does not ask. The
// order records are read meanwhile, on a connection of their own.
func readAllOrderLines(ctx context.Context, db *sql.DB, r *orderReader) (err error) {
	records := make(chan orderMoments, 1)
	go func() { records <- readOrderRecords(ctx, db, r.cutoff) }()
	defer func() {
		recs := <-records
		if err == nil {
			err = recs.err
		}
		if err == nil {
			r.addOrderStates(recs.list)
		}
	}()
	byKey, byID, err := lineSKUs(ctx, db)
	if err != nil {
		return err
	}
	for _, ch := range domain.ImportedChannels {
		// An order's lines come together, and the orders by number: each
		// line is its order's, or starts the next one.
		var o *ChannelOrder
		err := eachRow(ctx, db, orderLinesOf, []any{string(ch)}, func(sc *sql.Rows) error {
			var number string
			var skuN, at int64
			var qty int
			if err := sc.Scan(&number, &skuN, &qty, &at); err != nil {
				return err
			}
			k := byKey[skuN]
			if k.code == "" || at >= r.cutoff {
				return nil
			}
			if o == nil || o.Number != number {
				o = r.newOrder(orderKey{string(ch), number}, at)
			}
			r.addItem(o, listedLine{code: k.code, qty: qty, at: at, download: k.download})
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := addKitLines(ctx, db, r, byKey, byID); err != nil {
		return err
	}
	// By channel and number, as the order records are merged in: a kit's
	// line may have begun an order.
	byKeys := func(a, b *ChannelOrder) int { return compareOrderKeys(a.key(), b.key()) }
	if !slices.IsSortedFunc(r.out, byKeys) {
		slices.SortFunc(r.out, byKeys)
	}
	return nil
}

// addKitLines gives r the lines of kits, each to its order, which the
// other lines may have begun.
func addKitLines(ctx context.Context, q queryer, r *orderReader, byKey map[int64]lineSKU, byID map[string]lineSKU) error {
	var lines []listedLine
	err := eachRow(ctx, q, kitOrderLines, nil, func(sc *sql.Rows) error {
		var l listedLine
		var skuN int64
		if err := sc.Scan(&l.key.channel, &l.key.number, &skuN, &l.qty, &l.at, &l.kitID, &l.kitQty); err != nil {
			return err
		}
		k, kit := byKey[skuN], byID[l.kitID]
		l.code, l.download, l.kit, l.kitName = k.code, k.download, kit.code, kit.name
		if l.code != "" && l.at < r.cutoff {
			lines = append(lines, l)
		}
		return nil
	})
	if err != nil || len(lines) == 0 {
		return err
	}
	for _, o := range r.out {
		r.byKey[orderKey{string(o.Channel), o.Number}] = o
	}
	for _, l := range lines {
		r.addItem(r.order(l.key, l.at, 0, 0), l)
	}
	return nil
}

// orderMoment is one order record's moments, 0 where it has none.
type orderMoment struct {
	key                orderKey
	shipped, withdrawn int64
}

// orderMoments are the order records shipped or cancelled on their
// channel before a cutoff, by channel and number, or why they could not
// be read.
type orderMoments struct {
	list []orderMoment
	err  error
}

// readOrderRecords reads the order records shipped or cancelled before
// cutoff, whole, and sorts them here: looked up order by order through the
// index of numbers they took three times as long, and SQLite's sorting of
// them twice as long.
func readOrderRecords(ctx context.Context, q queryer, cutoff int64) orderMoments {
	var out orderMoments
	out.err = eachRow(ctx, q, `SELECT channel, number, shipped_at, withdrawn_at FROM orders
		WHERE shipped_at > 0 AND shipped_at < ?1 OR withdrawn_at > 0 AND withdrawn_at < ?1`, []any{cutoff}, func(sc *sql.Rows) error {
		var rec orderMoment
		if err := sc.Scan(&rec.key.channel, &rec.key.number, &rec.shipped, &rec.withdrawn); err != nil {
			return err
		}
		out.list = append(out.list, rec)
		return nil
	})
	slices.SortFunc(out.list, func(a, b orderMoment) int { return compareOrderKeys(a.key, b.key) })
	return out
}

// addOrderStates gives r's orders, by channel and number, when they
// shipped and were cancelled on their channel, from recs in the same
// order. Of several records of one order (none but a copy of the shop
// made anew makes them), the earliest of each counts.
func (r *orderReader) addOrderStates(recs []orderMoment) {
	i := 0
	for _, rec := range recs {
		for i < len(r.out) && compareOrderKeys(r.out[i].key(), rec.key) < 0 {
			i++
		}
		if i == len(r.out) {
			break
		}
		if o := r.out[i]; o.key() == rec.key {
			o.ShippedAt = r.earliest(o.ShippedAt, rec.shipped)
			o.WithdrawnAt = r.earliest(o.WithdrawnAt, rec.withdrawn)
		}
	}
}

// earliest is the earlier of t and the moment at, when at is one before
// the cutoff (not 0), else t.
func (r *orderReader) earliest(t time.Time, at int64) time.Time {
	if at > 0 && at < r.cutoff && (t.IsZero() || at < t.UnixMilli()) {
		return time.UnixMilli(at).In(r.loc)
	}
	return t
}

// compareOrderKeys orders keys by channel, then number.
func compareOrderKeys(a, b orderKey) int {
	return cmp.Or(strings.Compare(a.channel, b.channel), strings.Compare(a.number, b.number))
}

// lineSKUs are every SKU, archived too, by its key in the log (sku_keys)
// and by id.
func lineSKUs(ctx context.Context, q queryer) (map[int64]lineSKU, map[string]lineSKU, error) {
	byKey, byID := map[int64]lineSKU{}, map[string]lineSKU{}
	err := eachRow(ctx, q, `SELECT coalesce(k.n, 0), s.id, s.code, s.name, s.path = ? FROM skus s LEFT JOIN sku_keys k ON k.id = s.id`,
		[]any{string(domain.PathDigital)}, func(sc *sql.Rows) error {
			var n int64
			var id string
			var k lineSKU
			if err := sc.Scan(&n, &id, &k.code, &k.name, &k.download); err != nil {
				return err
			}
			byID[id] = k
			if n != 0 {
				byKey[n] = k
			}
			return nil
		})
	return byKey, byID, err
}

// eachRow runs query with args and calls row on each of its rows.
func eachRow(ctx context.Context, q queryer, query string, args []any, row func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
