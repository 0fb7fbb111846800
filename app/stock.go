package app

import (
	"context"
	"database/sql"
	"math"
	"slices"
	"strings"

	"microshop/domain"
)

// checkpointSlack is how far behind a report's window start a checkpoint
// may lag before the report moves it up: a week of extra replay is cheap,
// rewriting checkpoints on every report is not.
const checkpointSlack = 7 * 24 * 60 * 60 * 1000

// checkpointTables hold the two caches of SKU levels: a report's, at the
// start of its rate window, and a sale's, at the start of a recent day.
var checkpointTables = []string{reportCheckpoints, saleCheckpoints}

const (
	reportCheckpoints = "stock_checkpoints"
	saleCheckpoints   = "recent_levels"
)

type checkpoint struct {
	at     int64
	level  domain.Level
	places domain.Places // nil when all of level is at main
	upto   int64         // the last log row (changes.n) the level has seen
	// unsure is a start at a stocktake (countStart), whose on hand before
	// the count is not known: never kept as it is.
	unsure bool
}

// uptoSlack is how many log rows a checkpoint may fall behind before a
// report that found it still right records that it checked it. One SKU's
// report (every sale makes one) checks its own rows often and re-saves one
// row; a whole-shop report would re-save thousands.
const (
	uptoSlackOne  = 100
	uptoSlackShop = 5000
)

// staleScanLimit is how many log rows one SKU's report reads to check its
// checkpoint; past that (after a big sync) it replays without one.
const staleScanLimit = 20_000

// shopStaleScanLimit is how many log rows a whole-shop report reads to
// check its checkpoints; one that has seen fewer of the rows logged since
// (after a big import or sync) is dropped instead, and its SKU starts as in
// the first report ever (ledgerstarts.go). Each row checked costs about as
// much as a row of that report's scan: a report after a million imported
// sales spent 3.5 s checking them against checkpoints the import had made
// wrong, where the first report ever takes about 300 ms. A variable so
// that tests can have reports drop checkpoints that saw a few rows less.
var shopStaleScanLimit int64 = 50_000

// ledger derives SKUs' stock from the event log and batch QA state. It
// replays each SKU from its checkpoint, when one covers the window start.
type ledger struct {
	q      queryer
	window domain.Window
	points map[string]checkpoint
	fresh  map[string]checkpoint // checkpoints worth saving after the report
	upto   int64                 // the last log row this report sees
	// uptoSlack is uptoSlackOne or uptoSlackShop.
	uptoSlack int64
	scratch   []domain.Movement
	sought    []ledgerRow // seekRows' rows, reused
	// decided holds the SKUs with a batch whose QA was decided; nil means
	// any SKU may have one. Others need no look for releases.
	decided map[string]bool
	// batches caches each batch's QA decision, filled by the report or on
	// first need; with decidedRead, it holds every decided batch.
	batches     map[string]batchQA
	decidedRead bool
	// pre holds the rows a whole-shop report read, per SKU, from its
	// start (preload).
	pre      map[string][]ledgerRow
	firstDay *int64 // the ledger's first index day, once read
	saveTo   string // the table fresh checkpoints belong in
	// recent holds the levels at the start of the window's last day of
	// SKUs whose stock is all at main, for sales to start from.
	recent map[string]checkpoint
	// digital are the SKUs a report replays over its window only: a
	// download holds no stock, so nothing before the window tells
	// anything (see digitalDays).
	digital map[string]bool
}

// replayWindowOnly has a report replay a digital SKU over its window only.
func (l *ledger) replayWindowOnly(skuID string) {
	if l.digital == nil {
		l.digital = map[string]bool{}
	}
	l.digital[skuID] = true
}

// batchQA is a batch's QA decision as stored.
type batchQA struct {
	qa   string
	qaAt int64
}

// batchState is a batch's QA decision: from the cache, or read once.
func (l *ledger) batchState(ctx context.Context, id string) (batchQA, error) {
	if st, ok := l.batches[id]; ok {
		return st, nil
	}
	st := batchQA{qa: string(domain.QAPending)}
	if l.decidedRead {
		return st, nil
	}
	err := l.q.QueryRowContext(ctx, `SELECT qa, qa_at FROM batches WHERE id = ?`, id).Scan(&st.qa, &st.qaAt)
	if err != nil && !isNoRows(err) {
		return st, err
	}
	if l.batches == nil {
		l.batches = map[string]batchQA{}
	}
	l.batches[id] = st
	return st, nil
}

// newLedger prepares to replay the SKUs skuIDs: one, or the whole shop's.
// Only their checkpoints are read: one left by a SKU no longer reported
// (archived) would otherwise hold every check back to its moment.
func newLedger(ctx context.Context, q queryer, window domain.Window, skuIDs []string) (*ledger, error) {
	return openLedger(ctx, q, window, skuIDs, reportCheckpoints, 0)
}

// newSaleLedger prepares to replay one SKU up to a sale's moment, from the
// latest checkpoint of either kind at or before the start of its day, and
// keeps a fresh one among the sales' own. The recent levels are right as of
// log row recentChecked (see checkRecentLevels).
func newSaleLedger(ctx context.Context, q queryer, window domain.Window, skuID string, recentChecked int64) (*ledger, error) {
	return openLedger(ctx, q, window, []string{skuID}, saleCheckpoints, recentChecked)
}

func openLedger(ctx context.Context, q queryer, window domain.Window, skuIDs []string, saveTo string, recentChecked int64) (*ledger, error) {
	l := &ledger{q: q, window: window, points: map[string]checkpoint{}, fresh: map[string]checkpoint{}, uptoSlack: uptoSlackShop, saveTo: saveTo}
	one := ""
	if len(skuIDs) == 1 {
		one, l.uptoSlack = skuIDs[0], uptoSlackOne
	}
	if saveTo == saleCheckpoints && recentChecked > 0 {
		l.upto = recentChecked // the last log row, read by the same transaction just now
	} else if err := q.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM changes`).Scan(&l.upto); err != nil {
		return nil, err
	}
	const columns = `sku_id, at, on_hand, held, upto, places`
	query, args := `SELECT `+columns+`, 0 FROM stock_checkpoints`, []any{}
	switch {
	case saveTo == saleCheckpoints:
		query, args = query+` WHERE sku_id = ?1 UNION ALL SELECT `+columns+`, 1 FROM recent_levels WHERE sku_id = ?1`, []any{one}
	case one != "":
		query, args = query+` WHERE sku_id = ?`, []any{one}
	}
	if err := l.readPoints(ctx, query, args, skuIDs, recentChecked); err != nil {
		return nil, err
	}
	if err := l.dropStale(ctx, one, l.checkedFrom(one)); err != nil {
		return nil, err
	}
	if c, ok := l.points[one]; saveTo == saleCheckpoints && (!ok || c.at > window.Start()) {
		// A sale of a SKU no report has touched: from its last count,
		// when it has one, rather than from its first event.
		c, ok, err := countStart(ctx, q, one, window.Start())
		if err != nil {
			return nil, err
		}
		if ok {
			c.upto = l.upto
			l.points[one] = c
		}
	}
	return l, nil
}

// readPoints keeps the best checkpoint of each SKU of skuIDs that query
// returns. Recent levels are right as of log row recentChecked.
func (l *ledger) readPoints(ctx context.Context, query string, args []any, skuIDs []string, recentChecked int64) error {
	rows, err := l.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	wanted := make(map[string]bool, len(skuIDs))
	for _, id := range skuIDs {
		wanted[id] = true
	}
	for rows.Next() {
		var id string
		var c checkpoint
		var places string
		var recent bool
		if err := rows.Scan(&id, &c.at, &c.level.OnHand, &c.level.Held, &c.upto, &places, &recent); err != nil {
			return err
		}
		if recent {
			c.upto = max(c.upto, recentChecked)
		}
		if c.places, err = decodePlaces(places); err != nil {
			continue // a cache: replay from the start instead
		}
		if have, ok := l.points[id]; wanted[id] && (!ok || l.later(c, have)) {
			l.points[id] = c
		}
	}
	return rows.Err()
}

// later reports whether checkpoint c is a better start than have: at or
// before the window's start, and later than have, or have is past it.
func (l *ledger) later(c, have checkpoint) bool {
	start := l.window.Start()
	switch {
	case c.at > start:
		return false
	case have.at > start:
		return true
	}
	return c.at > have.at
}

// checkedFrom is the last log row every checkpoint has seen, from which
// dropStale checks them. A whole-shop report first forgets those that have
// not seen the last shopStaleScanLimit rows: checking them would read every
// row logged since.
func (l *ledger) checkedFrom(one string) int64 {
	from := int64(math.MinInt64)
	if one == "" {
		from = l.upto - shopStaleScanLimit
	}
	oldest := l.upto
	for id, c := range l.points {
		if c.upto < from {
			delete(l.points, id)
		} else {
			oldest = min(oldest, c.upto)
		}
	}
	return oldest
}

// dropStale forgets the checkpoints that an event logged after them, but
// dated before them, has made wrong. Applying a sync batch leaves them in
// place, which is cheaper than finding and deleting them there. skuID is
// the one SKU replayed, or "" for many.
func (l *ledger) dropStale(ctx context.Context, skuID string, oldest int64) error {
	if oldest >= l.upto {
		return nil
	}
	query, args := `SELECT k.id, c.n, c.at FROM changes c JOIN sku_keys k ON k.n = c.sku_n
		WHERE c.n > ? AND c.n <= ? AND c.at IS NOT NULL`, []any{oldest, l.upto}
	if skuID != "" {
		if l.upto-oldest > staleScanLimit {
			delete(l.points, skuID)
			return nil
		}
		query = `SELECT ?3, n, at FROM changes
			WHERE n > ?1 AND n <= ?2 AND sku_n = (SELECT n FROM sku_keys WHERE id = ?3)`
		args = append(args, skuID)
	}
	rows, err := l.q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n, at int64
		if err := rows.Scan(&id, &n, &at); err != nil {
			return err
		}
		// A checkpoint holds the level after every movement before its
		// moment, so one at that very moment leaves it right.
		if c, ok := l.points[id]; ok && n > c.upto && at < c.at {
			delete(l.points, id)
		}
	}
	return rows.Err()
}

// replay plays one SKU's movements through the window.
func (l *ledger) replay(ctx context.Context, skuID string) (domain.Replay, error) {
	from, start := l.start(skuID)
	moves, err := l.movements(ctx, skuID, from)
	if err != nil {
		return domain.Replay{}, err
	}
	places := l.startPlaces(skuID)
	var atStart, atEnd domain.Places
	if places != nil || !domain.AtMain(moves) {
		atStart, atEnd = domain.Settle(start, places, moves, l.window.Start())
	}
	r := domain.ReplayWindow(start, moves, l.window)
	r.PlacesAtStart, r.Places = atStart, atEnd
	if l.digital[skuID] {
		return r, nil // its levels count from the window: none is kept
	}
	if l.recent != nil && atEnd == nil {
		l.recent[skuID] = checkpoint{at: l.window.DayStarts[len(l.window.DayStarts)-1], level: r.AtLastDay, upto: l.upto}
	}
	switch c, ok := l.points[skuID]; {
	case !ok || c.unsure || c.at < l.window.Start()-checkpointSlack || c.at > l.window.Start():
		l.fresh[skuID] = checkpoint{at: l.window.Start(), level: r.AtStart, places: atStart, upto: l.upto}
	case l.upto-c.upto > l.uptoSlack:
		// Still right, but the next report would check it against every
		// row logged since it was made: record how far it has been checked.
		l.fresh[skuID] = checkpoint{at: c.at, level: c.level, places: c.places, upto: l.upto}
	}
	return r, nil
}

// firstEvent is when a SKU's first ledger event happened, as far as its
// replay r tells, and whether that is sure. A replay from the start of the
// ledger saw it; one from a checkpoint holding stock knows it came before
// the checkpoint (its moment, less a millisecond, stands for it: only how
// old the history is matters). A checkpoint with nothing in stock may hide
// events whose units have all gone: then r's first movement is a guess
// (see eventBefore).
func (l *ledger) firstEvent(skuID string, r domain.Replay) (int64, bool) {
	from, start := l.start(skuID)
	switch {
	case from == math.MinInt64:
		return r.FirstAt, true
	case start != domain.Level{}:
		return from - 1, true
	}
	return r.FirstAt, false
}

// eventBefore is the moment of one of a SKU's events before `before`, on
// the earliest day that has one, and whether there is one: a seek a day
// into the day-led index, for the few SKUs whose checkpoint hides their
// start.
func (l *ledger) eventBefore(ctx context.Context, skuID string, before int64) (int64, bool, error) {
	first, last, err := l.days(ctx, math.MinInt64, before)
	if err != nil {
		return 0, false, err
	}
	var at int64
	err = l.q.QueryRowContext(ctx, `WITH RECURSIVE days(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM days WHERE day < ?2)
		SELECT e.at FROM days CROSS JOIN events e
		WHERE e.at / 86400000 = days.day AND e.sku_n = (SELECT n FROM sku_keys WHERE id = ?3) AND e.at < ?4 LIMIT 1`,
		first, last, skuID, before).Scan(&at)
	if isNoRows(err) {
		return 0, false, nil
	}
	return at, err == nil, err
}

// startPlaces is the levels at each location where a SKU's replay begins:
// its checkpoint's, nil when everything there is at main.
func (l *ledger) startPlaces(skuID string) domain.Places {
	if c, ok := l.points[skuID]; ok && c.at <= l.window.Start() && !l.digital[skuID] {
		return c.places
	}
	return nil
}

// start is where a SKU's replay begins: its checkpoint, when one lies at or
// before the window, or else the beginning with nothing in stock; a
// digital SKU's, in a report, at the window.
func (l *ledger) start(skuID string) (int64, domain.Level) {
	if l.digital[skuID] {
		return l.window.Start(), domain.Level{}
	}
	if c, ok := l.points[skuID]; ok && c.at <= l.window.Start() {
		return c.at, c.level
	}
	return math.MinInt64, domain.Level{}
}

// movements lists a SKU's stock movements from `from` to the window's end,
// in time order: events, plus the release or rejection of held units when
// QA decides. A release comes after every event of its moment, however
// the replay began: a count and a QA decision in the same millisecond
// otherwise gave a sale and a report two different levels.
func (l *ledger) movements(ctx context.Context, skuID string, from int64) ([]domain.Movement, error) {
	end := l.window.End
	moves := l.scratch[:0]
	var releases []domain.Movement
	add := func(r ledgerRow) error {
		var err error
		moves, releases, err = l.appendRow(ctx, moves, releases, r)
		return err
	}
	if l.pre != nil {
		// A whole-shop report read every SKU's rows from its start.
		for _, r := range l.pre[skuID] {
			if r.at < from {
				continue
			}
			if err := add(r); err != nil {
				return nil, err
			}
		}
	} else if err := l.seekRows(ctx, skuID, from, end, add); err != nil {
		return nil, err
	}
	// Receipts before `from` whose QA was decided after it are in the
	// checkpoint as held; their release comes now.
	if from > math.MinInt64 && (l.decided == nil || l.decided[skuID]) {
		// The SKU's decided batches, by the time of their decision, come
		// from a small index of their own (batches_sku_decided): nearly
		// every batch is pending, and a sale of a SKU no report has
		// touched looked up each of its batches in the table.
		rel, err := l.q.QueryContext(ctx, `SELECT b.qa, b.qa_at, e.location, sum(e.held)
			FROM batches b JOIN events e ON e.batch_id = b.id AND e.batch_id <> '' AND e.kind = 'receipt' AND e.at < ?2 AND e.at <= b.qa_at
			WHERE b.sku_id = ?1 AND b.qa <> 'pending' AND b.qa_at >= ?2 AND b.qa_at < ?3
			GROUP BY b.id, e.location`, skuID, from, end)
		if err != nil {
			return nil, err
		}
		for rel.Next() {
			var qa, place string
			var qaAt int64
			var held int
			if err := rel.Scan(&qa, &qaAt, &place, &held); err != nil {
				rel.Close()
				return nil, err
			}
			if held > 0 {
				releases = append(releases, release(qaAt, held, qa, place))
			}
		}
		rel.Close()
		if err := rel.Err(); err != nil {
			return nil, err
		}
	}
	if len(releases) > 0 {
		moves = append(moves, releases...)
		slices.SortStableFunc(moves, func(a, b domain.Movement) int { return cmpInt64(a.At, b.At) })
	}
	l.scratch = moves
	return moves, nil
}

// seekRows hands add a SKU's rows from `from` to `to` in time order: one
// seek a day into the day-led index, which holds every column a replay
// reads, so no row is read from the log itself; events at the same moment
// are put in HLC order after (orderTiesOf). A receipt's batch QA comes from
// the batches the report already holds. A sale's replay is one day: the
// days of the recursive query cost more than the seek.
func (l *ledger) seekRows(ctx context.Context, skuID string, from, to int64, add func(ledgerRow) error) error {
	first, last, err := l.days(ctx, from, to)
	if err != nil {
		return err
	}
	query := `WITH RECURSIVE days(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM days WHERE day < ?2)
		SELECT e.sku_n, ` + ledgerColumns + ` FROM days CROSS JOIN events e
		WHERE e.at / 86400000 = days.day AND e.sku_n = (SELECT n FROM sku_keys WHERE id = ?3)
			AND e.at >= ?4 AND e.at < ?5`
	if first == last {
		query = `SELECT e.sku_n, ` + ledgerColumns + ` FROM events e
		WHERE e.at / 86400000 = ?1 AND ?2 = ?1 AND e.sku_n = (SELECT n FROM sku_keys WHERE id = ?3)
			AND e.at >= ?4 AND e.at < ?5`
	}
	rows, err := l.q.QueryContext(ctx, query, first, last, skuID, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	var sc ledgerScanner
	var key int64
	rs := l.sought[:0]
	for rows.Next() {
		var r ledgerRow
		if r, key, err = sc.scan(rows, true); err != nil {
			return err
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	l.sought = rs
	// They come a day at a time, each day's in time order; sorting here
	// rather than in SQL spares the query a temporary b-tree.
	slices.SortStableFunc(rs, func(a, b ledgerRow) int { return cmpInt64(a.at, b.at) })
	if err := l.orderTiesOf(ctx, key, rs); err != nil {
		return err
	}
	for _, r := range rs {
		if err := add(r); err != nil {
			return err
		}
	}
	return nil
}

// ledgerRow is an event as the stock replay reads it.
type ledgerRow struct {
	kind    ledgerKind
	at      int64
	qty     int
	held    int
	restock bool
	batchID string
	place   string // location id; empty for main
	to      string // where a move took its units
}

// ledgerKind is an event's kind as a number: a whole-shop report reads
// tens of thousands of rows, and a string for each cost more than the rest
// of the row.
type ledgerKind int

const (
	ledgerOther ledgerKind = iota // a kind this build does not know
	ledgerSale
	ledgerVoid
	ledgerReturn
	ledgerCount
	ledgerAdjust
	ledgerReceipt
	ledgerMove
)

// ledgerColumns are the columns of events e that a ledgerRow scans, in
// order; the batch is only read for a receipt.
const ledgerColumns = ledgerKindCase + `, e.at, e.qty, e.held, e.restock,
	CASE e.kind WHEN 'receipt' THEN e.batch_id ELSE '' END, e.location, e.to_location`

// ledgerKindCase is an event's ledgerKind, in SQL.
const ledgerKindCase = `CASE e.kind WHEN 'sale' THEN 1 WHEN 'void' THEN 2 WHEN 'return' THEN 3 WHEN 'count' THEN 4
	WHEN 'adjustment' THEN 5 WHEN 'receipt' THEN 6 WHEN 'move' THEN 7 ELSE 0 END`

// ledgerScanner reads ledgerColumns, after the SKU's local number
// (sku_keys) when withSKU. It scans into interface values: database/sql
// turns an integer column into an int by way of a string, and a report
// reads tens of thousands.
type ledgerScanner struct {
	vals [9]any
	dest [9]any
}

func (sc *ledgerScanner) scan(rows *sql.Rows, withSKU bool) (r ledgerRow, skuKey int64, err error) {
	if sc.dest[0] == nil {
		for i := range sc.vals {
			sc.dest[i] = &sc.vals[i]
		}
	}
	dest := sc.dest[1:]
	if withSKU {
		dest = sc.dest[:]
	}
	if err := rows.Scan(dest...); err != nil {
		return r, 0, err
	}
	if withSKU {
		skuKey, _ = sc.vals[0].(int64)
	}
	v := sc.vals[1:]
	kind, _ := v[0].(int64)
	r.at, _ = v[1].(int64)
	qty, _ := v[2].(int64)
	held, _ := v[3].(int64)
	restock, _ := v[4].(int64)
	r.batchID, _ = v[5].(string)
	r.place, _ = v[6].(string)
	r.to, _ = v[7].(string)
	r.kind, r.qty, r.held, r.restock = ledgerKind(kind), int(qty), int(held), restock != 0
	return r, skuKey, nil
}

// orderTies puts a SKU's events at the same moment in HLC order, as the
// ledger is defined. The time-led index holds no stamps, and such ties are
// rare, so each is read again in order.
func (l *ledger) orderTies(ctx context.Context, bySKU map[int64][]ledgerRow) error {
	for key, rs := range bySKU {
		if err := l.orderTiesOf(ctx, key, rs); err != nil {
			return err
		}
	}
	return nil
}

// orderTiesOf is orderTies for the rows rs, in time order, of the SKU
// with local number key.
func (l *ledger) orderTiesOf(ctx context.Context, key int64, rs []ledgerRow) error {
	var sc ledgerScanner
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && rs[j].at == rs[i].at {
			j++
		}
		if j-i > 1 {
			rows, err := l.q.QueryContext(ctx, `SELECT `+ledgerColumns+` FROM events e
				WHERE e.at = ? AND e.sku_n = ? ORDER BY e.hlc`, rs[i].at, key)
			if err != nil {
				return err
			}
			for k := i; rows.Next() && k < j; k++ {
				if rs[k], _, err = sc.scan(rows, false); err != nil {
					rows.Close()
					return err
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		i = j
	}
	return nil
}

// appendRow appends the movement one ledger row makes to moves. A receipt
// whose QA was decided after it came also makes the later release, which
// goes to releases.
func (l *ledger) appendRow(ctx context.Context, moves, releases []domain.Movement, r ledgerRow) (_, _ []domain.Movement, _ error) {
	m := domain.Movement{At: r.at, Place: r.place}
	switch r.kind {
	case ledgerSale:
		m.OnHand, m.Sold = -r.qty, r.qty
	case ledgerVoid:
		m.OnHand, m.Sold = r.qty, -r.qty
	case ledgerReturn:
		if r.restock {
			m.OnHand = r.qty
		}
	case ledgerCount:
		m.Count, m.OnHand = true, r.qty
	case ledgerAdjust:
		m.OnHand = r.qty
	case ledgerMove:
		m.To, m.Moved = r.to, r.qty
	case ledgerReceipt:
		return l.appendReceipt(ctx, moves, releases, m, r)
	default:
		return moves, releases, nil
	}
	return append(moves, m), releases, nil
}

// appendReceipt appends a delivery's movement m, and the release of its
// held units when QA decided after it came. A delivery holding nothing
// back, as every one from an established factory, goes on hand whatever
// QA decides, so its batch is not read: on a shop opened a moment ago,
// reading it was a sale's slowest step.
func (l *ledger) appendReceipt(ctx context.Context, moves, releases []domain.Movement, m domain.Movement, r ledgerRow) (_, _ []domain.Movement, _ error) {
	m.OnHand, m.Held = r.qty, r.held
	if r.held == 0 {
		return append(moves, m), releases, nil
	}
	st, err := l.batchState(ctx, r.batchID)
	if err != nil {
		return moves, releases, err
	}
	decided := st.qa != string(domain.QAPending) && st.qaAt < l.window.End
	switch {
	case decided && st.qaAt < r.at: // decided before these units came: settle at once
		m.Held = 0
		if st.qa == string(domain.QAFailed) {
			m.OnHand -= r.held
		}
	case decided:
		releases = append(releases, release(st.qaAt, r.held, st.qa, r.place))
	}
	return append(moves, m), releases, nil
}

// dayMillis is the width of the day events_day_sku and factory_sales are
// keyed by (migration 0002); dayOf truncates as SQLite's integer division
// does.
const dayMillis = 86_400_000

func dayOf(at int64) int64 { return at / dayMillis }

// dayBounds is the span [start, end) of the instants whose dayOf is d.
// Truncation makes day 0 two days wide, one each side of 1970.
func dayBounds(d int64) (start, end int64) {
	switch {
	case d > 0:
		return d * dayMillis, (d + 1) * dayMillis
	case d == 0:
		return -dayMillis + 1, dayMillis
	}
	return (d-1)*dayMillis + 1, d*dayMillis + 1
}

// shortSpanDays is the most days a span may cover for days not to ask
// where the ledger starts.
const shortSpanDays = 35

// days is the range of index days holding events in [from, end): from the
// ledger's first day at the earliest, so a SKU replayed from the beginning
// seeks only days that can hold something.
func (l *ledger) days(ctx context.Context, from, end int64) (first, last int64, err error) {
	if from > math.MinInt64 && dayOf(end-1)-dayOf(from) <= shortSpanDays {
		// A seek into an empty day finds nothing; for a short span that
		// costs less than asking where the ledger starts (a sale's day).
		return dayOf(from), dayOf(end - 1), nil
	}
	if l.firstDay == nil {
		var d sql.NullInt64
		if err := l.q.QueryRowContext(ctx, `SELECT min(at) FROM events`).Scan(&d); err != nil {
			return 0, 0, err
		}
		first := int64(math.MaxInt64) // no events: every range is empty
		if d.Valid {
			first = dayOf(d.Int64)
		}
		l.firstDay = &first
	}
	first, last = max(dayOf(from), *l.firstDay), dayOf(end-1)
	return first, last, nil
}

// preload reads the movements of many SKUs in one scan of the time-led
// index, in place of a seek per SKU and day: what a whole-shop report
// does. SKUs replayed from a checkpoint start at its moment, digital ones
// at the window; when many have neither, each starts at its last count
// (cutoffs). The scan starts where it and the seeks of the SKUs starting
// before it cost least (scanStart).
func (l *ledger) preload(ctx context.Context, skus []skuRow) error {
	cold := 0
	for _, r := range skus {
		if r.Path == domain.PathDigital {
			l.replayWindowOnly(r.ID)
		} else if f, _ := l.start(r.ID); f == math.MinInt64 {
			cold++
		}
	}
	// Only SKUs with a QA decision before the end can have units released
	// after their checkpoint; the rest skip that query. Decided batches
	// are few: QA holds stop once a factory is established.
	decided, err := l.q.QueryContext(ctx, `SELECT DISTINCT sku_id FROM batches WHERE qa <> 'pending' AND qa_at < ?`, l.window.End)
	if err != nil {
		return err
	}
	defer decided.Close()
	l.decided = map[string]bool{}
	for decided.Next() {
		var id string
		if err := decided.Scan(&id); err != nil {
			return err
		}
		l.decided[id] = true
	}
	if err := decided.Err(); err != nil {
		return err
	}
	if len(skus) == 0 {
		return nil
	}
	keys, err := l.skuKeys(ctx)
	if err != nil {
		return err
	}
	var cutoffs map[int64]int64
	if cold > len(skus)/10 {
		// Every delivery is read: its batch's QA in one query, not one
		// query a batch.
		if err := l.readBatchQA(ctx); err != nil {
			return err
		}
		if cutoffs, err = l.cutoffs(ctx, keys); err != nil {
			return err
		}
	}
	byID := make(map[string]int64, len(skus))
	starts := make([]int64, 0, len(skus))
	for _, r := range skus {
		f, _ := l.start(r.ID)
		byID[r.ID] = f
		starts = append(starts, f)
	}
	from, err := l.scanStart(ctx, starts)
	if err != nil {
		return err
	}
	keep, stragglers := make(map[int64]int64, len(skus)), map[int64]int64{}
	for n, id := range keys {
		if f, ok := byID[id]; ok {
			keep[n] = max(f, from)
			if f < from {
				stragglers[n] = f
			}
		}
	}
	byKey, held, err := l.scanRows(ctx, from, cutoffs, keep, stragglers)
	if err != nil {
		return err
	}
	if err := l.holdAtCounts(ctx, keys, held); err != nil {
		return err
	}
	if err := l.orderTies(ctx, byKey); err != nil {
		return err
	}
	pre := make(map[string][]ledgerRow, len(byKey))
	for n, rs := range byKey {
		if id, ok := keys[n]; ok {
			pre[id] = rs
		}
	}
	l.pre = pre
	return nil
}

// skuKeys maps the SKUs' local numbers (sku_keys) to their ids.
func (l *ledger) skuKeys(ctx context.Context) (map[int64]string, error) {
	rows, err := l.q.QueryContext(ctx, `SELECT n, id FROM sku_keys`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[int64]string{}
	for rows.Next() {
		var n int64
		var id string
		if err := rows.Scan(&n, &id); err != nil {
			return nil, err
		}
		keys[n] = id
	}
	return keys, rows.Err()
}

// release is QA deciding on held units: they stop being held, and on a fail
// they leave stock.
func release(at int64, held int, qa, place string) domain.Movement {
	m := domain.Movement{At: at, Held: -held, Place: place}
	if qa == string(domain.QAFailed) {
		m.OnHand = -held
	}
	return m
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// learned is what a report found that later reports can start from: stock
// checkpoints, and batches settled as of settledAt.
type learned struct {
	gen         int64 // the ledger generation the report read
	checkpoints map[string]checkpoint
	recent      map[string]checkpoint // for recent_levels
	settled     []string
	settledAt   int64
}

// cacheWait is how long, in milliseconds, a report waits for another
// connection's write before it gives up saving what it learned.
const cacheWait = "200"

// beginCache begins a write of a cache on a connection of its own, which
// waits for another connection's write only cacheWait: while another
// program wrote a long change (an import), a report waited the whole busy
// timeout, ten seconds, to save a cache the next report learns again. This
// program's own writes take milliseconds. done gives the connection back.
func (s *Shop) beginCache(ctx context.Context) (tx *sql.Tx, done func(), err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	done = func() {
		conn.ExecContext(context.Background(), `PRAGMA busy_timeout = `+busyTimeout)
		conn.Close()
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = `+cacheWait); err != nil {
		done()
		return nil, nil, err
	}
	if tx, err = conn.BeginTx(ctx, nil); err != nil {
		done()
		return nil, nil, err
	}
	return tx, done, nil
}

// saveLearned stores what a report learned, unless the ledger moved on
// while it ran. It is a cache: failing to save only makes the next report
// slower.
func (s *Shop) saveLearned(ctx context.Context, l learned) {
	if len(l.checkpoints) == 0 && len(l.settled) == 0 && len(l.recent) == 0 {
		return
	}
	now := s.now().UnixMilli()
	tx, done, err := s.beginCache(ctx)
	if err != nil {
		return
	}
	defer done()
	defer tx.Rollback()
	if g, err := getMetaInt(ctx, tx, "ledger_gen"); err != nil || g != l.gen {
		return
	}
	q := newPrepared(tx)
	defer q.close()
	points := make([]keptPoint, 0, len(l.checkpoints))
	for id, c := range l.checkpoints {
		if c.at <= now { // the future may still change
			points = append(points, keptPoint{id, c})
		}
	}
	if err := saveCheckpoints(ctx, q, reportCheckpoints, points, checkpointUpdate); err != nil {
		return
	}
	day, err := saveRecentLevels(ctx, q, l.recent, now)
	if err != nil {
		return
	}
	for _, id := range l.settled {
		if _, err := q.ExecContext(ctx, `UPDATE batches SET settled_at = ? WHERE id = ?`, l.settledAt, id); err != nil {
			return
		}
	}
	if tx.Commit() == nil && day > s.recentDay.Load() {
		s.recentDay.Store(day)
	}
}

// saveRecentLevels stores the levels at the start of a report's last day
// for sales to start from, and says the day they are of.
func saveRecentLevels(ctx context.Context, q queryer, recent map[string]checkpoint, now int64) (int64, error) {
	day := int64(math.MinInt64)
	points := make([]keptPoint, 0, len(recent))
	for id, c := range recent {
		if c.at <= now {
			day = c.at
			points = append(points, keptPoint{id, checkpoint{at: c.at, level: c.level, upto: c.upto}})
		}
	}
	// A sale may have left a later one: it stays.
	return day, saveCheckpoints(ctx, q, saleCheckpoints, points, checkpointUpdate+`
		WHERE excluded.at > `+saleCheckpoints+`.at OR (excluded.at = `+saleCheckpoints+`.at AND excluded.upto > `+saleCheckpoints+`.upto)`)
}

// keptPoint is a SKU's checkpoint to store.
type keptPoint struct {
	id string
	c  checkpoint
}

// checkpointUpdate is what storing a checkpoint over another does.
const checkpointUpdate = `ON CONFLICT (sku_id) DO UPDATE SET at = excluded.at, on_hand = excluded.on_hand, held = excluded.held,
	upto = excluded.upto, places = excluded.places`

// checkpointsAStatement is how many checkpoints one statement stores: a
// whole-shop report stores thousands, and each statement costs the driver
// about what storing a row does.
const checkpointsAStatement = 64

// saveCheckpoints stores points in table, onConflict saying what becomes
// of one already there.
func saveCheckpoints(ctx context.Context, q queryer, table string, points []keptPoint, onConflict string) error {
	for len(points) > 0 {
		n := min(len(points), checkpointsAStatement)
		args := make([]any, 0, 6*n)
		for _, p := range points[:n] {
			args = append(args, p.id, p.c.at, p.c.level.OnHand, p.c.level.Held, p.c.upto, encodePlaces(p.c.places))
		}
		query := `INSERT INTO ` + table + ` (sku_id, at, on_hand, held, upto, places) VALUES (?, ?, ?, ?, ?, ?)` +
			strings.Repeat(`, (?, ?, ?, ?, ?, ?)`, n-1) + ` ` + onConflict
		if _, err := q.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		points = points[n:]
	}
	return nil
}

func saveCheckpoint(ctx context.Context, q queryer, table, skuID string, c checkpoint) error {
	return saveCheckpoints(ctx, q, table, []keptPoint{{skuID, c}}, checkpointUpdate)
}
