package app

import (
	"context"
	"strconv"
	"strings"

	"microshop/domain"
)

// The whole-shop replay reads every ledger row of its span. Through the
// driver, each column of each row costs about as much as SQLite's finding
// the row, so the rows come in two parts: the sales and other events at
// main, nearly every row, packed into two integers (when, and the SKU, kind,
// restock flag and quantity in one), and the deliveries and rows away from
// main whole, from the small events_marks index. scanRows merges the two by
// time; a tie at one moment within a SKU is put in HLC order later, as
// before (orderTies).

// The ledger's columns read from the log table, changes c, itself: the
// events view cannot name an index.
var (
	logColumns       = strings.NewReplacer("e.kind", "c.entity", "e.", "c.")
	logLedgerColumns = logColumns.Replace(ledgerColumns)
	logKindCase      = logColumns.Replace(ledgerKindCase)
)

// apartWhere picks the rows the packed scan leaves out, in the log's own
// columns: deliveries and rows away from main. It repeats events_marks'
// condition (migration 0023), which holds them all, for SQLite to use it.
const apartWhere = `(c.entity IN ('count', 'receipt') OR c.location <> '' OR c.to_location <> '')
	AND (c.entity = 'receipt' OR c.location <> '' OR c.to_location <> '')`

// packedRow packs a row at main without a delivery's batch: its quantity
// from bit 36 up, its ledgerKind in bits 32-34, restock in bit 31 and the
// SKU's local number below. It is NULL for a row that does not fit, which
// no write lets in (a quantity beyond MaxQty, no SKU number).
var packedRow = `CASE WHEN c.qty BETWEEN -` + maxQty + ` AND ` + maxQty + ` AND c.sku_n BETWEEN 0 AND 2147483647
	THEN (c.qty << 36) | (` + logKindCase + ` << 32) | ((c.restock <> 0) << 31) | c.sku_n END`

var maxQty = strconv.Itoa(domain.MaxQty)

// unpack is the row that packedRow packed as p, at at, and its SKU's key.
func unpack(at, p int64) (key int64, r ledgerRow) {
	r = ledgerRow{
		kind:    ledgerKind(p >> 32 & 7),
		at:      at,
		qty:     int(p >> 36),
		restock: p>>31&1 == 1,
	}
	return p & (1<<31 - 1), r
}

// scanRows reads the ledger rows from `from` to the window's end, by SKU
// key (sku_keys), each SKU's in time order.
func (l *ledger) scanRows(ctx context.Context, from int64) (map[int64][]ledgerRow, error) {
	byKey, ok, err := l.scanPacked(ctx, from)
	if err != nil || ok {
		return byKey, err
	}
	return l.scanWhole(ctx, from)
}

// keyedRow is a ledger row with its SKU's key.
type keyedRow struct {
	key int64
	r   ledgerRow
}

// scanPacked is scanRows in two parts; not ok when a row does not pack,
// which this build never writes, and the caller reads them all whole.
func (l *ledger) scanPacked(ctx context.Context, from int64) (_ map[int64][]ledgerRow, ok bool, _ error) {
	// By the small index: SQLite would rather scan the time-led one.
	whole, err := l.q.QueryContext(ctx, `SELECT c.sku_n, `+logLedgerColumns+` FROM changes c INDEXED BY events_marks
		WHERE c.at >= ?1 AND c.at < ?2 AND `+apartWhere+` ORDER BY c.at`, from, l.window.End)
	if err != nil {
		return nil, false, err
	}
	var apart []keyedRow
	var sc ledgerScanner
	for whole.Next() {
		r, key, err := sc.scan(whole, true)
		if err != nil {
			whole.Close()
			return nil, false, err
		}
		apart = append(apart, keyedRow{key, r})
	}
	whole.Close()
	if err := whole.Err(); err != nil {
		return nil, false, err
	}
	rows, err := l.q.QueryContext(ctx, `SELECT c.at, `+packedRow+` FROM changes c
		WHERE c.at >= ?1 AND c.at < ?2 AND c.entity <> 'receipt' AND c.location = '' AND c.to_location = ''
		ORDER BY c.at`, from, l.window.End)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	byKey := map[int64][]ledgerRow{}
	var vals [2]any
	dest := []any{&vals[0], &vals[1]}
	next := 0
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, false, err
		}
		at, _ := vals[0].(int64)
		p, ok := vals[1].(int64)
		if !ok {
			return nil, false, nil
		}
		for ; next < len(apart) && apart[next].r.at <= at; next++ {
			k := apart[next].key
			byKey[k] = append(byKey[k], apart[next].r)
		}
		key, r := unpack(at, p)
		byKey[key] = append(byKey[key], r)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	for _, a := range apart[next:] {
		byKey[a.key] = append(byKey[a.key], a.r)
	}
	return byKey, true, nil
}

// scanWhole is scanRows reading each row's columns as they are.
func (l *ledger) scanWhole(ctx context.Context, from int64) (map[int64][]ledgerRow, error) {
	// The index holds SKUs by their local number (sku_keys); each SKU's
	// rows come in time order, ties by HLC, which is all a replay needs.
	rows, err := l.q.QueryContext(ctx, `SELECT e.sku_n, `+ledgerColumns+` FROM events e
		WHERE e.at >= ? AND e.at < ? ORDER BY e.at, e.sku_n`, from, l.window.End)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := map[int64][]ledgerRow{}
	var sc ledgerScanner
	for rows.Next() {
		r, n, err := sc.scan(rows, true)
		if err != nil {
			return nil, err
		}
		byKey[n] = append(byKey[n], r)
	}
	return byKey, rows.Err()
}

// readBatchQA caches every batch's QA decision, for a replay that reads
// every delivery.
func (l *ledger) readBatchQA(ctx context.Context) error {
	rows, err := l.q.QueryContext(ctx, `SELECT id, qa, qa_at FROM batches`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if l.batches == nil {
		l.batches = map[string]batchQA{}
	}
	for rows.Next() {
		var id string
		var st batchQA
		if err := rows.Scan(&id, &st.qa, &st.qaAt); err != nil {
			return err
		}
		if _, ok := l.batches[id]; !ok {
			l.batches[id] = st
		}
	}
	return rows.Err()
}
