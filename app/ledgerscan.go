package app

import (
	"context"
	"database/sql/driver"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
)

// The whole-shop replay reads every ledger row of its span: a million on
// a shop with two years of sales. Handed over row by row through
// database/sql, each column of each row cost about as much as SQLite's
// finding the row. So the rows at main with no delivery's batch, nearly all
// of them, go to Go through an aggregate function SQLite calls once a row
// (ledgerRowsFunc), at a third of the cost; the deliveries and rows away
// from main, a few in a hundred, come as rows from the small events_marks
// index. Each SKU's rows end in time order; ties at one moment are put in
// HLC order later, as before (orderTies).

// ledgerRowsFunc is the aggregate that hands rows to a rowSink: called as
// ledgerRowsFunc(sink, at, sku_n, kind, qty, restock), with kind a
// ledgerKind. It counts the rows.
const ledgerRowsFunc = "microshop_ledger_rows"

func init() {
	sqlite.MustRegisterFunction(ledgerRowsFunc, &sqlite.FunctionImpl{
		NArgs: 6,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) {
			return &rowsStep{}, nil
		},
	})
}

// rowSinks are the scans under way, by the number their query passes the
// aggregate; sinkNumbers numbers them.
var (
	rowSinks    sync.Map
	sinkNumbers atomic.Int64
)

// rowSink gathers one scan's rows by SKU key (sku_keys), from each key's
// start on.
type rowSink struct {
	keys map[int64]*keyRows
	// heldBefore are the deliveries before their SKU's cutoff with units
	// held for QA.
	heldBefore []keyedRow
	n          int64
}

// keyedRow is a ledger row with its SKU's key.
type keyedRow struct {
	key int64
	r   ledgerRow
}

// keyRows are one SKU's rows.
type keyRows struct {
	cutoff   int64 // where its replay starts: held units before it are kept apart
	keep     int64 // rows before it are not kept: from the cutoff, or the scan's start
	rows     []ledgerRow
	unsorted bool // the rows came out of time order
}

func newRowSink(cutoffs, keep map[int64]int64) *rowSink {
	s := &rowSink{keys: make(map[int64]*keyRows, len(keep))}
	for key, at := range keep {
		s.keys[key] = &keyRows{cutoff: math.MinInt64, keep: at}
	}
	for key, at := range cutoffs {
		if k := s.keys[key]; k != nil {
			k.cutoff = at
		} else {
			s.keys[key] = &keyRows{cutoff: at, keep: at}
		}
	}
	return s
}

// addSought adds a row found by seeking, at or after its SKU's start.
func (s *rowSink) addSought(key int64, r ledgerRow) {
	k := s.keys[key]
	if n := len(k.rows); n > 0 && k.rows[n-1].at > r.at {
		k.unsorted = true
	}
	k.rows = append(k.rows, r)
}

func (s *rowSink) add(key int64, r ledgerRow) {
	s.n++
	k := s.keys[key]
	if k == nil {
		k = &keyRows{cutoff: math.MinInt64, keep: math.MinInt64}
		s.keys[key] = k
	}
	if r.at < k.keep {
		if r.at < k.cutoff && r.kind == ledgerReceipt && r.held > 0 {
			s.heldBefore = append(s.heldBefore, keyedRow{key, r})
		}
		return
	}
	if n := len(k.rows); n > 0 && k.rows[n-1].at > r.at {
		k.unsorted = true
	}
	k.rows = append(k.rows, r)
}

// byKey is the rows kept, each key's in time order.
func (s *rowSink) byKey() map[int64][]ledgerRow {
	out := make(map[int64][]ledgerRow, len(s.keys))
	for key, k := range s.keys {
		if k.unsorted {
			slices.SortStableFunc(k.rows, func(a, b ledgerRow) int { return cmpInt64(a.at, b.at) })
		}
		if len(k.rows) > 0 {
			out[key] = k.rows
		}
	}
	return out
}

// rowsStep is one call of the aggregate: it finds its sink on the first row.
type rowsStep struct{ sink *rowSink }

func (a *rowsStep) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	if a.sink == nil {
		id, _ := args[0].(int64)
		s, ok := rowSinks.Load(id)
		if !ok {
			return fmt.Errorf("%s: no scan %d under way", ledgerRowsFunc, id)
		}
		a.sink = s.(*rowSink)
	}
	// As ledgerScanner reads each column.
	at, _ := args[1].(int64)
	key, _ := args[2].(int64)
	kind, _ := args[3].(int64)
	qty, _ := args[4].(int64)
	restock, _ := args[5].(int64)
	a.sink.add(key, ledgerRow{kind: ledgerKind(kind), at: at, qty: int(qty), restock: restock != 0})
	return nil
}

func (a *rowsStep) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("%s is not a window function", ledgerRowsFunc)
}

func (a *rowsStep) WindowValue(*sqlite.FunctionContext) (driver.Value, error) {
	if a.sink == nil {
		return int64(0), nil
	}
	return a.sink.n, nil
}

func (a *rowsStep) Final(*sqlite.FunctionContext) {}

// The ledger's columns read from the log table, changes c, itself: the
// events view cannot name an index.
var (
	logColumns       = strings.NewReplacer("e.kind", "c.entity", "e.", "c.")
	logLedgerColumns = logColumns.Replace(ledgerColumns)
	logKindCase      = logColumns.Replace(ledgerKindCase)
)

// apartWhere picks the rows that come whole, in the log's own columns:
// deliveries and rows away from main. It repeats events_marks' condition
// (migration 0023), which holds them all, for SQLite to use that index;
// atMainWhere picks the rest.
const (
	apartWhere = `(c.entity IN ('count', 'receipt') OR c.location <> '' OR c.to_location <> '')
	AND (c.entity = 'receipt' OR c.location <> '' OR c.to_location <> '')`
	atMainWhere = `c.entity <> 'receipt' AND c.location = '' AND c.to_location = ''`
)

// scanRows reads the ledger rows from `from` to the window's end, by SKU
// key (sku_keys), each SKU's in time order and from its keep on; the rows
// before `from` of the stragglers, SKUs starting before it, from their
// start (key to moment); and, when there are cutoffs, the deliveries
// before a key's cutoff still holding units.
func (l *ledger) scanRows(ctx context.Context, from int64, cutoffs, keep, stragglers map[int64]int64) (map[int64][]ledgerRow, []keyedRow, error) {
	sink := newRowSink(cutoffs, keep)
	if err := l.seekStragglers(ctx, sink, from, stragglers); err != nil {
		return nil, nil, err
	}
	id := sinkNumbers.Add(1)
	rowSinks.Store(id, sink)
	defer rowSinks.Delete(id)
	var n int64
	if err := l.q.QueryRowContext(ctx, `SELECT `+ledgerRowsFunc+`(?1, c.at, c.sku_n, `+logKindCase+`, c.qty, c.restock)
		FROM changes c WHERE c.at >= ?2 AND c.at < ?3 AND `+atMainWhere, id, from, l.window.End).Scan(&n); err != nil {
		return nil, nil, err
	}
	// By the small index: SQLite would rather scan the time-led one. It
	// holds what picks the rows, so only those picked are read whole.
	rows, err := l.q.QueryContext(ctx, `SELECT c.sku_n, `+logLedgerColumns+` FROM changes c INDEXED BY events_marks
		WHERE (c.at >= ?1 OR (?3 AND c.entity = 'receipt' AND c.held > 0)) AND c.at < ?2 AND `+apartWhere,
		from, l.window.End, cutoffs != nil)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var sc ledgerScanner
	for rows.Next() {
		r, key, err := sc.scan(rows, true)
		if err != nil {
			return nil, nil, err
		}
		sink.add(key, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return sink.byKey(), sink.heldBefore, nil
}

// seekStragglers adds to sink the rows before `to` of the SKUs in starts
// (key to moment), each from its start: a seek a day into the day-led
// index for each SKU. SKUs starting within a week of each other share a
// query that goes day by day, so that the seeks of a day land on the same
// few pages: twice as fast as a query a SKU.
func (l *ledger) seekStragglers(ctx context.Context, sink *rowSink, to int64, starts map[int64]int64) error {
	if len(starts) == 0 {
		return nil
	}
	first, last, err := l.days(ctx, math.MinInt64, to)
	if err != nil || first > last {
		return err
	}
	type straggler struct{ key, day int64 }
	all := make([]straggler, 0, len(starts))
	for key, at := range starts {
		all = append(all, straggler{key, max(dayOf(at), first)})
	}
	slices.SortFunc(all, func(a, b straggler) int { return cmpInt64(a.day, b.day) })
	for len(all) > 0 {
		n := 1
		for n < len(all) && n < stragglersAtOnce && all[n].day-all[0].day < 7 {
			n++
		}
		keys := make([]string, n)
		for i, s := range all[:n] {
			keys[i] = strconv.FormatInt(s.key, 10)
		}
		if err := l.seekKeys(ctx, sink, all[0].day, last, "["+strings.Join(keys, ",")+"]", to, starts); err != nil {
			return err
		}
		all = all[n:]
	}
	return nil
}

// stragglersAtOnce is the most SKUs one query of seekStragglers seeks.
const stragglersAtOnce = 100

// seekKeys adds to sink the rows of the SKUs keys (a JSON array) from day
// first to last and before `to`, each from its start.
func (l *ledger) seekKeys(ctx context.Context, sink *rowSink, first, last int64, keys string, to int64, starts map[int64]int64) error {
	rows, err := l.q.QueryContext(ctx, `WITH RECURSIVE days(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM days WHERE day < ?2)
		SELECT e.sku_n, `+ledgerColumns+` FROM days CROSS JOIN json_each(?3) s CROSS JOIN events e
		WHERE e.at / 86400000 = days.day AND e.sku_n = s.value AND e.at < ?4`, first, last, keys, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	var sc ledgerScanner
	for rows.Next() {
		r, key, err := sc.scan(rows, true)
		if err != nil {
			return err
		}
		if at, ok := starts[key]; ok && r.at >= at {
			sink.addSought(key, r)
		}
	}
	return rows.Err()
}

// readBatchQA caches the QA decision of every batch QA has decided (few:
// holds stop once a factory is established), for a replay that reads
// every delivery: any other batch is pending.
func (l *ledger) readBatchQA(ctx context.Context) error {
	rows, err := l.q.QueryContext(ctx, `SELECT id, qa, qa_at FROM batches WHERE qa <> 'pending'`)
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
	if err := rows.Err(); err != nil {
		return err
	}
	l.decidedRead = true
	return nil
}
