package app

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// The benchmarks of issue 2 run on one big shop: 5,000 SKUs and 1,000,000
// ledger events over two years, built once per `go test -bench` process.
// Targets: a sale under 2 ms at the median, the whole reorder list under
// 200 ms, the alerts under 200 ms, one SKU under 5 ms, and apply at least
// 30 % of the raw SQLite insert rate.
const (
	benchSKUCount     = 5000
	benchEventCount   = 1_000_000
	benchDays         = 730
	benchFactoryCount = 40
	benchApplyCount   = 100_000 // changes applied per BenchmarkApply iteration
	benchApplyBatch   = 500     // changes per Apply call, as sync sends them
	benchCommitEvery  = 250_000 // changes per transaction while building
)

// benchData is the big shop and what its builder knows of it.
type benchData struct {
	path    string
	shop    *Shop
	skus    []*benchSKU
	stocked []string // codes of SKUs with plenty available, for selling
	events  int
	built   time.Duration
}

var (
	benchOnce   sync.Once
	benchShared *benchData
	benchErr    error

	// Benchmarks run one at a time, so these need no lock.
	benchRawRate float64 // rows/s of the bare-table insert, once measured
	benchBroken  string  // why the report benchmarks stopped, once one timed out
)

// benchShop builds the big shop the first time any benchmark asks for it.
// It lives in a directory named after this process; directories left by
// earlier processes that are gone are removed first.
func benchShop(b *testing.B) *benchData {
	b.Helper()
	benchOnce.Do(func() {
		benchSweep()
		dir, err := os.MkdirTemp("", fmt.Sprintf("microshop-bench-%d-", os.Getpid()))
		if err != nil {
			benchErr = err
			return
		}
		start := time.Now()
		benchShared, benchErr = benchBuild(context.Background(), dir)
		if benchErr == nil {
			benchShared.built = time.Since(start)
			fmt.Fprintf(os.Stderr, "bench: built a shop of %d SKUs and %d ledger events in %s (%s)\n",
				len(benchShared.skus), benchShared.events, benchShared.built.Round(time.Millisecond), benchShared.path)
		}
	})
	if benchErr != nil {
		b.Fatalf("build the benchmark shop: %v", benchErr)
	}
	return benchShared
}

// benchSweep removes benchmark shops whose process has exited.
func benchSweep() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "microshop-bench-*"))
	for _, d := range dirs {
		parts := strings.Split(filepath.Base(d), "-")
		if len(parts) < 3 {
			continue
		}
		pid, err := strconv.Atoi(parts[2])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if p, err := os.FindProcess(pid); err == nil && p.Signal(syscall.Signal(0)) == nil {
			continue // still running
		}
		os.RemoveAll(d)
	}
}

type benchSKU struct {
	id, code, factoryID string
	path                domain.SupplyPath
	price               int64
	lead                int
	demand              float64 // expected units a day
	onHand, held        int
	onOrder             int
	nextCount           int // day of the next stocktake
}

type benchFactory struct {
	id       string
	kind     domain.FactoryKind
	lead     int
	isNew    bool
	passed   int
	overseas bool
}

// benchPlanned is an event, or a record change, at a moment of the history.
type benchPlanned struct {
	at int64
	do func(at int64) error
}

// benchBuild makes the big shop. Its history comes from a second device,
// as if recorded on the stall laptop and synced to this one: each change is
// logged and materialized by the same functions Apply uses, but in a few
// large transactions with prepared statements, so building takes under a
// minute where Apply in sync-sized batches would take several.
func benchBuild(ctx context.Context, dir string) (*benchData, error) {
	path := filepath.Join(dir, "shop.db")
	s, err := Create(path, NewShop{Name: "Benchmark Makers Collective", Device: "bench"}, Options{})
	if err != nil {
		return nil, err
	}
	defer s.Close() // the builder's; the benchmarks get a shop of their own
	// The builder's connection keeps the indexes in memory and skips
	// fsync; the benchmarks run on the shop opened afresh, as the app
	// opens it.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	for _, pragma := range []string{`PRAGMA cache_size = -131072`, `PRAGMA synchronous = OFF`} {
		if _, err := conn.ExecContext(ctx, pragma); err != nil {
			return nil, err
		}
	}
	d := &benchData{path: path}
	w := &benchWriter{ctx: ctx, shop: s, conn: conn, origin: newID()}
	if err := w.begin(); err != nil {
		return nil, err
	}
	// The ledger's own indexes are dropped while it loads and made again
	// from their definitions afterwards: sorting a million entries once is
	// much faster than inserting them one by one, and the result is the same.
	indexes, err := benchDropIndexes(ctx, w.q, "changes")
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(2, 2026))
	today := domain.StartOfDay(s.Now())
	first := domain.AddDays(today, -benchDays)
	at0 := first.UnixMilli() - 1000

	// Factories, then SKUs over all four paths with a long tail of demand.
	kinds := map[domain.SupplyPath]domain.FactoryKind{domain.PathPrint: domain.KindPrint, domain.PathMicrofactory: domain.KindMicrofactory, domain.PathHandmade: domain.KindWorkshop}
	byKind := map[domain.FactoryKind][]*benchFactory{}
	for i := range benchFactoryCount {
		f := &benchFactory{id: newID(), kind: domain.FactoryKinds[i%3], isNew: i < 3}
		switch f.kind {
		case domain.KindPrint:
			f.lead = 3 + rng.IntN(6)
		case domain.KindMicrofactory:
			f.lead, f.overseas = 7+rng.IntN(10), i%2 == 0
			if f.overseas {
				f.lead = 30 + rng.IntN(20)
			}
		default:
			f.lead = 2 + rng.IntN(8)
		}
		byKind[f.kind] = append(byKind[f.kind], f)
		loc := domain.LocationLocal
		if f.overseas {
			loc = domain.LocationOverseas
		}
		if _, err := w.record(at0, "factory", f.id, map[string]any{
			"name": fmt.Sprintf("Factory %02d", i), "kind": f.kind, "location": loc, "lead_days": f.lead,
			"moq": 10 * rng.IntN(3), "multiple": 1 + 4*rng.IntN(2), "established": !f.isNew,
			"paused": false, "pause_reason": "", "resumed_at": 0,
		}); err != nil {
			return nil, err
		}
	}
	factories := map[string]*benchFactory{}
	for _, fs := range byKind {
		for _, f := range fs {
			factories[f.id] = f
		}
	}
	const salesShare = 0.9
	salesPerDay := salesShare * benchEventCount / benchDays
	weights := make([]float64, benchSKUCount)
	total := 0.0
	for i := range weights {
		weights[i] = 1 / math.Sqrt(float64(i+1))
		total += weights[i]
	}
	rng.Shuffle(len(weights), func(i, j int) { weights[i], weights[j] = weights[j], weights[i] })
	cum := make([]float64, benchSKUCount)
	for i := range benchSKUCount {
		path := domain.SupplyPaths[1+i%3] // print, microfactory or handmade
		if i%10 == 0 {
			path = domain.PathDigital
		}
		k := &benchSKU{id: newID(), code: fmt.Sprintf("SKU-%05d", i), path: path,
			price: int64(300 + 100*rng.IntN(60)), demand: salesPerDay * weights[i] / total}
		if path != domain.PathDigital {
			fs := byKind[kinds[path]]
			f := fs[rng.IntN(len(fs))]
			k.factoryID, k.lead = f.id, f.lead
			k.nextCount = rng.IntN(91)
		}
		d.skus = append(d.skus, k)
		if i == 0 {
			cum[i] = weights[i]
		} else {
			cum[i] = cum[i-1] + weights[i]
		}
		if _, err := w.record(at0, "sku", k.id, map[string]any{
			"code": k.code, "name": "Benchmark item " + k.code, "path": k.path, "factory_id": k.factoryID,
			"price": k.price, "cost": k.price / 4, "archived": false,
		}); err != nil {
			return nil, err
		}
	}
	pick := func() *benchSKU {
		i, _ := slices.BinarySearch(cum, rng.Float64()*cum[len(cum)-1])
		return d.skus[min(i, len(cum)-1)]
	}

	emit := func(e event) error {
		e.ID = newID()
		d.events++
		return w.add(e.At, e.Kind, e.ID, e)
	}
	agenda := map[int][]benchPlanned{}
	dayAt := func(day int) int64 {
		return domain.AddDays(first, day).UnixMilli() + int64(8*3600_000+rng.IntN(14*3600_000))
	}
	// order places a batch now and plans its arrival after the lead time;
	// a new factory's first batches are held and pass QA two days later.
	order := func(k *benchSKU, day int, at int64) error {
		qty := max(int(math.Ceil(k.demand*float64(k.lead+180))), 10)
		id := newID()
		stamp, err := w.record(at, "batch", id, map[string]any{
			"sku_id": k.id, "factory_id": k.factoryID, "ordered": qty, "unit_cost": k.price / 4,
			"ordered_at": at, "expected_at": domain.AddDays(first, day+k.lead).UnixMilli() + 12*3600_000,
			"qa": domain.QAPending, "qa_at": 0, "qa_note": "",
		})
		if err != nil {
			return err
		}
		k.onOrder += qty
		arrive := day + k.lead
		if arrive >= benchDays {
			return nil
		}
		agenda[arrive] = append(agenda[arrive], benchPlanned{dayAt(arrive), func(at int64) error {
			f := factories[k.factoryID]
			held := 0
			if f.isNew && f.passed < domain.PassesToEstablish {
				held = domain.HoldQty(qty, domain.DefaultHoldPercent)
			}
			k.onOrder -= qty
			k.onHand += qty
			k.held += held
			if err := emit(event{Kind: kindReceipt, SKUID: k.id, At: at, Qty: qty, Held: held, BatchID: id, FactoryID: k.factoryID}); err != nil {
				return err
			}
			if held == 0 || arrive+2 >= benchDays {
				return nil
			}
			agenda[arrive+2] = append(agenda[arrive+2], benchPlanned{dayAt(arrive + 2), func(at int64) error {
				k.held -= held
				f.passed++
				base := []string{stamp}
				_, err := w.recordOver(at, "batch", id, base, map[string]any{"qa": domain.QAPassed, "qa_at": at, "qa_note": "passed"})
				return err
			}})
			return nil
		}})
		return nil
	}
	restock := func(k *benchSKU, day int, at int64) error {
		if k.path == domain.PathDigital || float64(k.onHand-k.held+k.onOrder) >= k.demand*float64(k.lead+30) {
			return nil
		}
		return order(k, day, at)
	}

	reasons := domain.ReturnReasons()
	for day := range benchDays {
		steps := agenda[day]
		delete(agenda, day)
		if day == 0 {
			for _, k := range d.skus {
				if k.path == domain.PathDigital {
					continue
				}
				steps = append(steps, benchPlanned{first.UnixMilli() + 1000, func(at int64) error {
					k.onHand = int(math.Ceil(k.demand*90)) + 5
					return emit(event{Kind: kindCount, SKUID: k.id, At: at, Qty: k.onHand})
				}})
			}
		}
		for _, k := range d.skus {
			if k.path == domain.PathDigital || k.nextCount != day || day == 0 {
				continue
			}
			k.nextCount += 91
			steps = append(steps, benchPlanned{dayAt(day), func(at int64) error {
				if k.onHand > k.held && rng.IntN(5) == 0 {
					k.onHand--
				}
				return emit(event{Kind: kindCount, SKUID: k.id, At: at, Qty: k.onHand})
			}})
		}
		for range 7 {
			k := d.skus[rng.IntN(len(d.skus))]
			steps = append(steps, benchPlanned{dayAt(day), func(at int64) error {
				if k.path == domain.PathDigital || k.onHand-k.held < 1 {
					return nil
				}
				k.onHand--
				return emit(event{Kind: kindAdjust, SKUID: k.id, At: at, Qty: -1, Note: "damaged in the workshop"})
			}})
		}
		// Sales fill the day's share of what is left of the million; the
		// last day takes the exact remainder.
		quota := int(math.Round(salesShare * float64(benchEventCount-d.events) / float64(benchDays-day)))
		if day == benchDays-1 {
			quota = benchEventCount - d.events - len(steps)
		}
		for range quota {
			steps = append(steps, benchPlanned{dayAt(day), func(at int64) error {
				for range 50 {
					k := pick()
					if k.path != domain.PathDigital && k.onHand-k.held < 1 {
						continue
					}
					if k.path != domain.PathDigital {
						k.onHand--
					}
					if err := emit(event{Kind: kindSale, SKUID: k.id, At: at, Qty: 1, Price: k.price, Channel: "online", FactoryID: k.factoryID}); err != nil {
						return err
					}
					if back := day + 3 + rng.IntN(18); rng.IntN(100) < 3 && back < benchDays-1 {
						reason := reasons[rng.IntN(len(reasons))]
						agenda[back] = append(agenda[back], benchPlanned{dayAt(back), func(at int64) error {
							e := event{Kind: kindReturn, SKUID: k.id, At: at, Qty: 1, Reason: string(reason), FactoryID: k.factoryID}
							if reason.Class() == domain.ClassBuyer && k.path != domain.PathDigital {
								e.Restock = true
								k.onHand++
							}
							return emit(e)
						}})
					}
					return restock(k, day, at)
				}
				return nil
			}})
		}
		slices.SortStableFunc(steps, func(a, b benchPlanned) int { return cmp.Compare(a.at, b.at) })
		for _, st := range steps {
			if err := st.do(st.at); err != nil {
				return nil, err
			}
		}
	}
	for _, ddl := range indexes {
		if _, err := w.q.ExecContext(ctx, ddl); err != nil {
			return nil, err
		}
	}
	if err := w.finish(); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, err
	}
	if d.shop, err = Open(path, Options{}); err != nil {
		return nil, err
	}
	for _, k := range d.skus {
		if k.path != domain.PathDigital && k.onHand-k.held >= 50 {
			d.stocked = append(d.stocked, k.code)
		}
	}
	if len(d.stocked) < 100 {
		return nil, fmt.Errorf("only %d SKUs have stock to sell", len(d.stocked))
	}
	return d, nil
}

// benchDropIndexes drops a table's secondary indexes and returns the
// statements that make them again.
func benchDropIndexes(ctx context.Context, q queryer, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, table)
	if err != nil {
		return nil, err
	}
	var names, ddl []string
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			rows.Close()
			return nil, err
		}
		names, ddl = append(names, name), append(ddl, sql)
	}
	rows.Close()
	for _, n := range names {
		if _, err := q.ExecContext(ctx, `DROP INDEX "`+n+`"`); err != nil {
			return nil, err
		}
	}
	return ddl, rows.Err()
}

// benchWriter writes another device's changes straight into the shop:
// logged and materialized as Apply does, in big transactions.
type benchWriter struct {
	ctx    context.Context
	shop   *Shop
	conn   *sql.Conn
	origin string
	seq    int64
	last   changes.Stamp
	tx     *sql.Tx
	q      *prepared
	dv     derived
	n      int
}

func (w *benchWriter) begin() error {
	tx, err := w.conn.BeginTx(w.ctx, nil)
	if err != nil {
		return err
	}
	w.tx, w.q, w.n = tx, newPrepared(tx), 0
	return nil
}

func (w *benchWriter) commit() error {
	if err := w.dv.flush(w.ctx, w.q); err != nil {
		return err
	}
	if _, err := w.q.ExecContext(w.ctx, `INSERT INTO vector (origin, seq) VALUES (?, ?)
		ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq`, w.origin, w.seq); err != nil {
		return err
	}
	w.q.close()
	if err := w.tx.Commit(); err != nil {
		return err
	}
	w.shop.committed()
	return nil
}

func (w *benchWriter) finish() error { return w.commit() }

// add logs and materializes one change stamped at the moment it happened.
func (w *benchWriter) add(at int64, entity, id string, body any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	st := changes.Stamp{Wall: at, Device: w.origin}
	if !w.last.Less(st) {
		st = changes.Stamp{Wall: w.last.Wall, Counter: w.last.Counter + 1, Device: w.origin}
	}
	w.last = st
	w.seq++
	c := changes.Change{Origin: w.origin, Seq: w.seq, HLC: st.String(), Entity: entity, EntityID: id, Body: raw}
	var e *event
	if isEvent(entity) {
		e, _ = decodeEvent(c)
	}
	logged, e, err := w.shop.logChange(w.ctx, w.q, c, e)
	if err != nil || !logged {
		return fmt.Errorf("change %d not logged: %v", c.Seq, err)
	}
	if err := materialize(w.ctx, w.q, c, e, &w.dv); err != nil {
		return err
	}
	if w.n++; w.n >= benchCommitEvery {
		if err := w.commit(); err != nil {
			return err
		}
		return w.begin()
	}
	return nil
}

// record writes the fields of a new record and returns the change's stamp.
func (w *benchWriter) record(at int64, entity, id string, fields map[string]any) (string, error) {
	return w.recordOver(at, entity, id, nil, fields)
}

// recordOver writes fields replacing the versions stamped base.
func (w *benchWriter) recordOver(at int64, entity, id string, base []string, fields map[string]any) (string, error) {
	body := changes.RecordBody{}
	for f, v := range fields {
		raw, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		body[f] = changes.FieldValue{Value: raw, Base: base}
	}
	if err := w.add(at, entity, id, body); err != nil {
		return "", err
	}
	return w.last.String(), nil
}

// benchLimit bounds each report call. A report that takes longer has
// become pathologically slow: its benchmark fails, and the report
// benchmarks after it fail at once, so `make bench` still ends in minutes.
const benchLimit = time.Minute

// benchSkipIfBroken stops a report benchmark at once when an earlier
// report timed out: it would time out too.
func benchSkipIfBroken(b *testing.B) {
	if benchBroken != "" {
		b.Fatalf("not run: %s", benchBroken)
	}
}

// benchReport runs one report call within benchLimit.
func benchReport(b *testing.B, what string, report func(ctx context.Context) error) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), benchLimit)
	defer cancel()
	err := report(ctx)
	if ctx.Err() != nil {
		benchBroken = fmt.Sprintf("%s did not finish within %s", what, benchLimit)
		b.Fatalf("%s (%v); profile it with -cpuprofile", benchBroken, err)
	}
	if err != nil {
		b.Fatalf("%s: %v", what, err)
	}
}

// benchWarm runs one full report so the stock checkpoints are in place, as
// they are on any shop whose dashboard has been opened once.
func benchWarm(b *testing.B, d *benchData) {
	b.Helper()
	benchReport(b, "warming the cache with a stock list", func(ctx context.Context) error {
		_, err := d.shop.Stock(ctx, d.shop.AsOfNow(), "")
		return err
	})
}

func benchReportMS(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	}
}

// BenchmarkSell records one sale through the app layer, on the cache the
// build leaves: no checkpoints, so the sale cannot start from a level a
// report or another sale left, as the first sale after sync brought a
// shop's history. Only each SKU's first sale is timed: later ones start
// from the level the first left.
func BenchmarkSell(b *testing.B) {
	benchSell(b, benchShop(b), true)
}

// benchSell sells one unit of a random well-stocked SKU per iteration and
// reports the median and 99th percentile of the time a sale takes; of
// each SKU's first sale only, when firstOnly.
func benchSell(b *testing.B, d *benchData, firstOnly bool) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 3))
	order := rng.Perm(len(d.stocked))
	var took []time.Duration
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		code := d.stocked[rng.IntN(len(d.stocked))]
		if firstOnly {
			code = d.stocked[order[i%len(order)]]
		}
		start := time.Now()
		_, err := d.shop.Sell(ctx, Sale{Code: code, Channel: "fair"})
		if domain.ErrorCode(err) == domain.EShort {
			benchRestock(b, d, code)
			start = time.Now()
			_, err = d.shop.Sell(ctx, Sale{Code: code, Channel: "fair"})
		}
		if err != nil {
			b.Fatal(err)
		}
		if !firstOnly || i < len(order) {
			took = append(took, time.Since(start))
		}
	}
	slices.Sort(took)
	ms := func(q float64) float64 {
		return float64(took[min(int(q*float64(len(took))), len(took)-1)].Microseconds()) / 1000
	}
	b.ReportMetric(ms(0.5), "median_ms")
	b.ReportMetric(ms(0.99), "p99_ms")
	b.StopTimer()
	bare := benchBareTx(b, d.shop.db)
	b.ReportMetric(float64(took[len(took)/2])/float64(bare), "ratio_to_bare_tx")
}

// benchRestock counts codes at 1,000 units, outside the timer: a run sells
// the same few hundred SKUs for as long as it lasts, and the faster a sale,
// the more it sells.
func benchRestock(b *testing.B, d *benchData, codes ...string) {
	b.StopTimer()
	defer b.StartTimer()
	for _, code := range codes {
		if _, err := d.shop.Count(context.Background(), code, 1000, d.shop.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// benchBareTx is the median time of a bare autocommit insert of a row like
// a sale's, in a table with no index in the shop's own file, so on the
// same connection settings: what issue 18 measures a sale against.
func benchBareTx(b *testing.B, db *sql.DB) time.Duration {
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_bare (id TEXT, sku TEXT, at INTEGER, qty INTEGER, price INTEGER, body BLOB)`); err != nil {
		b.Fatal(err)
	}
	defer db.ExecContext(ctx, `DROP TABLE bench_bare`)
	body := []byte(`{"sku_id":"01a23f1d-916b-7919-91fa-7212a5555abf","at":1764806400000,"qty":1,"price":2400,"channel":"fair"}`)
	took := make([]time.Duration, 300)
	for i := range took {
		start := time.Now()
		if _, err := db.ExecContext(ctx, `INSERT INTO bench_bare VALUES (?, ?, ?, ?, ?, ?)`, newID(), "sku", int64(i), 1, 2400, body); err != nil {
			b.Fatal(err)
		}
		took[i] = time.Since(start)
	}
	slices.Sort(took)
	return took[len(took)/2]
}

// BenchmarkStockOne is one SKU's stock, a different SKU each time, on the
// cache the build leaves: no checkpoints, so each report replays its SKU's
// whole ledger and leaves one, as the first report after sync brought a
// shop's history does.
func BenchmarkStockOne(b *testing.B) {
	benchStockOne(b, benchShop(b))
}

// BenchmarkStockOneWarm is one SKU's stock after a stock list has left its
// checkpoints, as on a shop whose dashboard is open.
func BenchmarkStockOneWarm(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	benchWarm(b, d)
	benchStockOne(b, d)
}

func benchStockOne(b *testing.B, d *benchData) {
	benchSkipIfBroken(b)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i = (i + 7919) % len(d.skus)
		benchReport(b, "one SKU's stock", func(ctx context.Context) error {
			_, err := d.shop.Stock(ctx, d.shop.AsOfNow(), d.skus[i].code)
			return err
		})
	}
	benchReportMS(b)
}

// BenchmarkStockAllCold is the full stock list with no checkpoints: every
// SKU replayed from its first event, then checkpoints saved.
func BenchmarkStockAllCold(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if _, err := d.shop.db.Exec(`DELETE FROM stock_checkpoints`); err != nil {
			b.Fatal(err)
		}
		// The first report ever is in a new process, too: nothing kept
		// in memory from an earlier one.
		d.shop.kept.forget()
		d.shop.factorySold.reset()
		b.StartTimer()
		benchReport(b, "a cold stock list", func(ctx context.Context) error {
			_, err := d.shop.Stock(ctx, d.shop.AsOfNow(), "")
			return err
		})
	}
	benchReportMS(b)
}

// BenchmarkStockAll is the full stock list of 5,000 SKUs. The cache of
// stock checkpoints is warmed once first, as any report leaves it.
func BenchmarkStockAll(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	benchWarm(b, d)
	b.ReportAllocs()
	for b.Loop() {
		benchReport(b, "the stock list", func(ctx context.Context) error {
			rows, err := d.shop.Stock(ctx, d.shop.AsOfNow(), "")
			if err == nil && len(rows) != benchSKUCount {
				err = fmt.Errorf("%d rows, want %d", len(rows), benchSKUCount)
			}
			return err
		})
	}
	benchReportMS(b)
}

// BenchmarkStockAllAfterSale is the full stock list with a sale recorded
// before each one, as the dashboard refreshes at the stall: the list is
// made from the last one, redoing the SKU sold. Only the list is timed.
func BenchmarkStockAllAfterSale(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	benchWarm(b, d)
	rng := rand.New(rand.NewPCG(5, 5))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if _, err := d.shop.Sell(context.Background(), Sale{Code: d.stocked[rng.IntN(len(d.stocked))], Channel: "fair", Force: true}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		benchReport(b, "the stock list after a sale", func(ctx context.Context) error {
			rows, err := d.shop.Stock(ctx, d.shop.AsOfNow(), "")
			if err == nil && len(rows) != benchSKUCount {
				err = fmt.Errorf("%d rows, want %d", len(rows), benchSKUCount)
			}
			return err
		})
	}
	benchReportMS(b)
}

// BenchmarkReorderAll is the whole reorder list, on a warm cache.
func BenchmarkReorderAll(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	benchWarm(b, d)
	b.ReportAllocs()
	for b.Loop() {
		benchReport(b, "the reorder list", func(ctx context.Context) error {
			_, err := d.shop.Reorder(ctx, d.shop.AsOfNow())
			return err
		})
	}
	benchReportMS(b)
}

// BenchmarkAlerts is the home screen's alerts for the whole shop, on a warm
// cache: the stock list's checkpoints, and the 90 days of sales that
// packaging advice reads, both left by an earlier report. It also reports
// how long the first alerts took, when the packaging rule read its days.
func BenchmarkAlerts(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	benchWarm(b, d)
	var first time.Duration
	benchReport(b, "the first alerts", func(ctx context.Context) error {
		start := time.Now()
		alerts, err := d.shop.Alerts(ctx, d.shop.AsOfNow())
		first = time.Since(start)
		if err == nil && !slices.ContainsFunc(alerts, func(a Alert) bool { return a.Kind == AlertPackagingReturns }) {
			err = fmt.Errorf("%d alerts and no packaging advice; the shop has logistics returns", len(alerts))
		}
		return err
	})
	b.ReportAllocs()
	for b.Loop() {
		benchReport(b, "the alerts", func(ctx context.Context) error {
			_, err := d.shop.Alerts(ctx, d.shop.AsOfNow())
			return err
		})
	}
	benchReportMS(b)
	b.ReportMetric(float64(first.Microseconds())/1000, "first_ms")
}

// BenchmarkSellWarm records one sale after a stock list has left its
// checkpoints, as on a shop whose dashboard is open: the sale replays the
// SKU's ledger only from its checkpoint.
func BenchmarkSellWarm(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	benchWarm(b, d)
	benchSell(b, d, false)
}

// BenchmarkUndoSale undoes a sale just made, as the Sell screen's Undo
// does: it asks which of the lines still stand, what voiding them would
// warn of, and voids them. Each of the first two read every sale of the
// ledger when it looked for the lines of the sale's kit.
func BenchmarkUndoSale(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	benchWarm(b, d)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 5))
	var took []time.Duration
	for b.Loop() {
		b.StopTimer()
		code := d.stocked[rng.IntN(len(d.stocked))]
		benchRestock(b, d, code)
		b.StopTimer()
		sold, err := d.shop.Sell(ctx, Sale{Code: code, Channel: "fair"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		standing, err := d.shop.StandingSales(ctx, []string{sold.ID})
		if err != nil || len(standing) != 1 {
			b.Fatalf("the sale just made stands: %v, %v", standing, err)
		}
		warned, err := d.shop.VoidWarnings(ctx, sold.ID)
		if err != nil {
			b.Fatal(err)
		}
		if err := d.shop.VoidSaleWarned(ctx, sold.ID, "", warned); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median_ms")
}

// BenchmarkSellAfterImport records sales right after a big import of past
// orders, in a copy of the big shop whose dashboard had been open (a stock
// list left its checkpoints and recent levels): 300,000 Etsy order lines
// over the last two years, of every other SKU. Only each SKU's first sale
// after the import is timed, of SKUs the import touched and of SKUs it did
// not, and the sales are compared with a bare insert as BenchmarkSell's
// are; first_sale_ms is the very first. first_report_ms is the first stock list after it all: the import
// made most checkpoints wrong, and checking them against every imported
// row took longer than the first report ever.
func BenchmarkSellAfterImport(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	ctx := context.Background()
	s := benchImportShop(b, d)
	if _, err := s.Stock(ctx, s.AsOfNow(), ""); err != nil {
		b.Fatal(err)
	}
	file, touched := benchPastOrders(b, d, benchPastOrderLines, benchDays)
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		b.Fatal(err)
	}
	codes := d.stocked
	took := map[bool][]time.Duration{}
	var first time.Duration // the very first sale after the import
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		code := codes[i%len(codes)]
		start := time.Now()
		if _, err := s.Sell(ctx, Sale{Code: code, Channel: "fair", Force: true}); err != nil {
			b.Fatal(err)
		}
		if i < len(codes) {
			took[touched[code]] = append(took[touched[code]], time.Since(start))
		}
		if i == 0 {
			first = time.Since(start)
		}
	}
	b.StopTimer()
	median := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	all := slices.Concat(took[true], took[false])
	bare := benchBareTx(b, s.db)
	b.ReportMetric(float64(first.Microseconds())/1000, "first_sale_ms")
	b.ReportMetric(float64(median(all).Microseconds())/1000, "median_ms")
	b.ReportMetric(float64(median(all))/float64(bare), "ratio_to_bare_tx")
	for _, imported := range []bool{true, false} {
		if len(took[imported]) > 0 {
			b.ReportMetric(float64(median(took[imported]))/float64(bare), map[bool]string{true: "touched", false: "untouched"}[imported]+"_ratio")
		}
	}
	var report time.Duration
	benchReport(b, "the first stock list after an import", func(ctx context.Context) error {
		start := time.Now()
		_, err := s.Stock(ctx, s.AsOfNow(), "")
		report = time.Since(start)
		return err
	})
	b.ReportMetric(float64(report.Microseconds())/1000, "first_report_ms")
}

// BenchmarkAlertsAfterImport is Today's alerts after the same import of
// 300,000 past order lines as BenchmarkSellAfterImport, where fifty of the
// SKUs the orders hold then sold one more unit than they had: the alerts
// look for the open orders those SKUs delay (the last three days' orders
// are not shipped yet). first_ms is the first alerts after the import; the
// loop times the ones after it.
func BenchmarkAlertsAfterImport(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	ctx := context.Background()
	s := benchImportShop(b, d)
	file, touched := benchPastOrders(b, d, benchPastOrderLines, benchDays)
	if _, err := s.Import(ctx, ImportRequest{Path: file}); err != nil {
		b.Fatal(err)
	}
	// Fifty of the SKUs the orders hold sold one more than they had at the
	// fair, as a shop whose channels' counts lag does.
	oversold := 0
	for _, code := range d.stocked {
		if !touched[code] || oversold == 50 {
			continue
		}
		rows, err := s.Stock(ctx, s.AsOfNow(), code)
		if err != nil || len(rows) != 1 {
			b.Fatalf("the stock of %s: %v", code, err)
		}
		if _, err := s.Sell(ctx, Sale{Code: code, Qty: max(rows[0].Available, 0) + 1, Channel: "fair", Force: true}); err != nil {
			b.Fatal(err)
		}
		oversold++
	}
	var first time.Duration
	benchReport(b, "the first alerts after an import", func(ctx context.Context) error {
		start := time.Now()
		alerts, err := s.Alerts(ctx, s.AsOfNow())
		first = time.Since(start)
		if err == nil && !slices.ContainsFunc(alerts, func(a Alert) bool { return a.Kind == AlertDelayedOrder }) {
			err = fmt.Errorf("%d alerts and no delayed order; the import left SKUs oversold with open orders", len(alerts))
		}
		return err
	})
	b.ReportAllocs()
	for b.Loop() {
		benchReport(b, "the alerts after an import", func(ctx context.Context) error {
			_, err := s.Alerts(ctx, s.AsOfNow())
			return err
		})
	}
	benchReportMS(b)
	b.ReportMetric(float64(first.Microseconds())/1000, "first_ms")
}

// BenchmarkOrders is the whole orders list (`microshopctl orders`) of the
// big shop after an import of 100,000 Etsy orders of two lines each over
// two years, all but the last three days' shipped. Target: under a second.
// first_ms is the first list after the import, which finds the stock's
// checkpoints out of date as any first report after an import does; the
// loop times the lists after it. open_ms is the open orders alone
// (`orders --open`, the desktop's Orders screen), read once after them.
func BenchmarkOrders(b *testing.B) {
	d := benchShop(b)
	benchSkipIfBroken(b)
	ctx := context.Background()
	s := benchImportShop(b, d)
	file, _ := benchPastOrders(b, d, 2*benchOrders, benchDays)
	if res, err := s.Import(ctx, ImportRequest{Path: file}); err != nil || res.Sales != 2*benchOrders {
		b.Fatalf("imported %+v, %v; want %d sales", res, err, 2*benchOrders)
	}
	var first time.Duration
	benchReport(b, "the first orders list after an import", func(ctx context.Context) error {
		start := time.Now()
		_, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{})
		first = time.Since(start)
		return err
	})
	b.ReportAllocs()
	for b.Loop() {
		benchReport(b, "the orders list", func(ctx context.Context) error {
			orders, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{})
			if err == nil && len(orders) != benchOrders {
				err = fmt.Errorf("%d orders listed; want %d", len(orders), benchOrders)
			}
			return err
		})
	}
	benchReportMS(b)
	var open time.Duration
	benchReport(b, "the open orders", func(ctx context.Context) error {
		start := time.Now()
		orders, err := s.Orders(ctx, s.AsOfNow(), OrdersFilter{Open: true})
		open = time.Since(start)
		if err == nil && len(orders) == 0 {
			err = errors.New("no open orders; the last three days' are not shipped")
		}
		return err
	})
	b.ReportMetric(float64(open.Microseconds())/1000, "open_ms")
	b.ReportMetric(float64(first.Microseconds())/1000, "first_ms")
}

// benchOrders is the number of orders BenchmarkOrders lists.
const benchOrders = 100_000

// benchPastOrderLines is the size of the file of past orders imported
// before BenchmarkSellAfterImport's sales: a shop's history, larger than
// the month's export the import benchmarks read.
const benchPastOrderLines = 300_000

// benchPastOrders writes an Etsy sold-order-items file of n lines of every
// other SKU, sold over the last days days and shipped two days later (the
// last three days' not yet), as a shop's history exported from Etsy, and
// says which SKUs it holds.
func benchPastOrders(b *testing.B, d *benchData, n, days int) (string, map[string]bool) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "past-orders.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(7, 13))
	today := domain.StartOfDay(time.Now())
	touched := map[string]bool{}
	fmt.Fprint(w, "\ufeff"+etsyHeader+"\r\n")
	ago := 0
	for i := range n {
		k := d.skus[2*rng.IntN(len(d.skus)/2)]
		touched[k.code] = true
		if i%2 == 0 { // an order's two lines are of one day
			ago = 1 + rng.IntN(days)
		}
		sold := today.AddDate(0, 0, -ago).Format("01/02/06")
		name, price, txn, order := `"Item, `+k.code+`"`, domain.Money(k.price).String(), fmt.Sprint(900_000_000+i), fmt.Sprint(450_000_000+i/2)
		row := etsyRow(sold, name, 1, price, txn, order, k.code)
		if ago > 3 {
			row = etsyShipped(sold, today.AddDate(0, 0, 2-ago).Format("01/02/06"), name, 1, price, txn, order, k.code)
		}
		fmt.Fprint(w, row+"\r\n")
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path, touched
}

// benchChanges makes n event changes from a new device: sales, with a few
// returns, of random SKUs over the last 60 days, in the order that device
// recorded them.
func benchChanges(d *benchData, n int, seed uint64) []changes.Change {
	rng := rand.New(rand.NewPCG(seed, 4))
	origin := newID()
	end := time.Now().Add(-time.Hour).UnixMilli()
	start := end - 60*24*3600_000
	ats := make([]int64, n)
	for i := range ats {
		ats[i] = start + rng.Int64N(end-start)
	}
	slices.Sort(ats)
	out := make([]changes.Change, n)
	var last changes.Stamp
	for i, at := range ats {
		k := d.skus[rng.IntN(len(d.skus))]
		e := event{Kind: kindSale, SKUID: k.id, At: at, Qty: 1, Price: k.price, Channel: "fair", FactoryID: k.factoryID}
		if i%30 == 29 {
			e = event{Kind: kindReturn, SKUID: k.id, At: at, Qty: 1, Reason: "changed-mind", Restock: k.path != domain.PathDigital, FactoryID: k.factoryID}
		}
		body, _ := json.Marshal(e)
		st := changes.Stamp{Wall: at, Device: origin}
		if !last.Less(st) {
			st = changes.Stamp{Wall: last.Wall, Counter: last.Counter + 1, Device: origin}
		}
		last = st
		out[i] = changes.Change{Origin: origin, Seq: int64(i + 1), HLC: st.String(), Entity: e.Kind, EntityID: newID(), Body: body}
	}
	return out
}

// benchRawInsert inserts the rows of cs, as bare rows of the change log's
// columns, into a table with no index in one transaction of a new
// database, and returns the rate in rows a second.
func benchRawInsert(b *testing.B, cs []changes.Change) float64 {
	b.Helper()
	ctx := context.Background()
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "raw.db")+"?"+q.Encode())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE raw (origin TEXT, seq INTEGER, hlc TEXT, entity TEXT, entity_id TEXT, body BLOB)`); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO raw (origin, seq, hlc, entity, entity_id, body) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cs {
		if _, err := st.ExecContext(ctx, c.Origin, c.Seq, c.HLC, c.Entity, c.EntityID, []byte(c.Body)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return float64(len(cs)) / time.Since(start).Seconds()
}

// BenchmarkRawInsert is the SQLite limit the apply rate is compared with:
// the same number of rows, of the same width, as BenchmarkApply applies.
func BenchmarkRawInsert(b *testing.B) {
	d := benchShop(b)
	cs := benchChanges(d, benchApplyCount, 5)
	var rows, secs float64
	b.ReportAllocs()
	for b.Loop() {
		rate := benchRawInsert(b, cs)
		rows += float64(len(cs))
		secs += float64(len(cs)) / rate
	}
	benchRawRate = rows / secs
	b.ReportMetric(rows/secs, "rows/s")
}

// BenchmarkApply applies 100,000 event changes from another device, in
// batches of 500 as sync sends them, into a copy of the big shop, each
// batch in a transaction of its own. ratio_to_raw is the rate of the way a
// device applies what the relay sends (sync/client): a goroutine prepares
// each batch as it arrives (opens, reads and checks it) while the batch
// before commits. direct_ratio_to_raw is the rate of calling Apply for one
// batch after another, preparing and committing in turn, as a bundle import
// does; the two take turns, a batch each way.
func BenchmarkApply(b *testing.B) {
	d := benchShop(b)
	ctx := context.Background()
	dst := filepath.Join(b.TempDir(), "copy.db")
	if err := benchCopy(d, dst); err != nil {
		b.Fatal(err)
	}
	s, err := Open(dst, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	raw := benchRawRate
	if raw == 0 {
		raw = benchRawInsert(b, benchChanges(d, benchApplyCount, 5))
	}
	seed := uint64(10)
	var piped, direct time.Duration
	applied := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		seed++
		var batches [][]changes.Change // as they arrive: sealed, and signed batch by batch
		for batch := range slices.Chunk(benchChanges(d, benchApplyCount, seed), benchApplyBatch) {
			batches = append(batches, sealedFor(b, s, batch))
		}
		b.StartTimer()
		start := time.Now()
		for prep := range preparedAhead(ctx, s, batches[:len(batches)/2]) {
			if _, err := s.ApplyPrepared(ctx, []changes.Prepared{prep}); err != nil {
				b.Fatal(err)
			}
		}
		piped += time.Since(start)
		start = time.Now()
		for _, batch := range batches[len(batches)/2:] {
			if _, err := s.Apply(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		direct += time.Since(start)
		applied += benchApplyCount
	}
	pipedRate := float64(applied/2) / piped.Seconds()
	b.ReportMetric(pipedRate, "changes/s")
	b.ReportMetric(raw, "raw_rows/s")
	b.ReportMetric(pipedRate/raw, "ratio_to_raw")
	b.ReportMetric(float64(applied/2)/direct.Seconds()/raw, "direct_ratio_to_raw")
}

// preparedAhead prepares batches on a goroutine of its own, one ahead of
// the caller, as sync/client's reader prepares each batch it reads.
func preparedAhead(ctx context.Context, s *Shop, batches [][]changes.Change) <-chan changes.Prepared {
	out := make(chan changes.Prepared, 1)
	go func() {
		defer close(out)
		for _, batch := range batches {
			out <- s.Prepare(ctx, batch)
		}
	}()
	return out
}

// benchCopy copies the benchmark shop to dst as a backup does, one
// consistent snapshot: copying the file itself raced the checkpointer
// (the copy of a file being checkpointed into was malformed). The copy
// takes a device id of its own when opened.
func benchCopy(d *benchData, dst string) error {
	return d.shop.Backup(context.Background(), dst, false)
}
