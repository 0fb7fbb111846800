package app

import (
	"cmp"
	"context"
	"database/sql"
	"math"
	"slices"
	"strings"

	"microshop/domain"
	"microshop/sync/changes"
)

// StockRow is one SKU's stock as of a report's moment: what domain.Assess
// made of what the report read.
type StockRow struct {
	SKU domain.SKU
	domain.Assessment
	BlockReason string // why its factory is paused, when Blocked
	NextArrival int64  // expected arrival of the earliest open batch, 0 if none
	Days        []domain.Day
	Places      domain.Places // stock at each location; nil when all of it is at main
	arrivals    []arrival     // the open batches' units, earliest first
}

// arrival is what an open batch still brings, and when it is expected.
type arrival struct {
	at    int64
	units int
}

// backBy is the expected arrival of the open batch that brings available
// units above zero, counting the batches due before it; 0 when no batch
// on its way does. A buyer told the earliest batch's date was promised
// one that a batch of 3 could not keep for 5 oversold.
func (r StockRow) backBy(available int) int64 {
	for _, a := range r.arrivals {
		if available += a.units; available > 0 {
			return a.at
		}
	}
	return 0
}

// snapshot is everything a report reads, taken in one read transaction.
type snapshot struct {
	asOf      AsOf
	settings  settings
	rows      []StockRow
	factories map[string]FactoryView
	batches   []domain.Batch
}

// Stock reports every SKU on sale, or just the one with code, as of asOf.
func (s *Shop) Stock(ctx context.Context, asOf AsOf, code string) ([]StockRow, error) {
	snap, err := s.snapshot(ctx, asOf, code)
	if err != nil {
		return nil, err
	}
	if code != "" && snap.rows[0].SKU.Path == domain.PathKit {
		return s.kitStock(ctx, asOf, snap.rows[0])
	}
	return snap.rows, nil
}

// stockOfOne is the stock of the SKU with code. An empty code names no
// SKU, where Stock would read them all.
func (s *Shop) stockOfOne(ctx context.Context, asOf AsOf, code string) (StockRow, error) {
	if err := checkOneCode(code); err != nil {
		return StockRow{}, err
	}
	rows, err := s.Stock(ctx, asOf, code)
	if err != nil {
		return StockRow{}, err
	}
	return rows[0], nil
}

// checkOneCode refuses an empty code where one SKU is asked for.
func checkOneCode(code string) error {
	if strings.TrimSpace(code) == "" {
		return domain.Errorf(domain.EInvalid, "no SKU code is given; give the code of one SKU")
	}
	return nil
}

// snapshot reads SKUs, factories, batches and the ledger in one read
// transaction, so a report never mixes states, then saves any checkpoints
// the replay found worth keeping.
func (s *Shop) snapshot(ctx context.Context, asOf AsOf, code string) (*snapshot, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer tx.Rollback()
	snap, learned, err := s.read(ctx, tx, asOf, code)
	if err != nil {
		if domain.ErrorCode(err) != domain.EInternal {
			return nil, err
		}
		return nil, storeError(s.path, err)
	}
	tx.Rollback()
	if s.ro == nil { // a shop that can only be read learns it again each time
		s.saveLearned(ctx, learned)
	}
	return snap, nil
}

// read gathers what the rules need of every SKU on sale (or the one with
// code) and hands each to domain.Assess. A whole-shop report starts from
// the last one when it can (see readShopSince).
func (s *Shop) read(ctx context.Context, rtx *sql.Tx, asOf AsOf, code string) (*snapshot, learned, error) {
	// Every SKU runs the same few queries: prepare each once.
	tx := newPrepared(rtx)
	tx.shared = func(ctx context.Context, query string) (*sql.Stmt, error) { return s.readStmts.stmt(ctx, s.db, query) }
	defer tx.close()
	var learn learned
	var err error
	if learn.gen, err = getMetaInt(ctx, tx, "ledger_gen"); err != nil {
		return nil, learn, err
	}
	snap := &snapshot{asOf: asOf}
	if snap.settings, err = loadSettings(ctx, tx, s.shopID); err != nil {
		return nil, learn, err
	}
	skus, err := s.reportSKUs(ctx, tx, code, asOf)
	if err != nil {
		return nil, learn, err
	}
	if code != "" {
		return snap, learn, s.readSKUs(ctx, tx, snap, skus, skus[0].ID, &learn)
	}
	recordsGen, upto, err := reportGens(ctx, tx)
	if err != nil {
		return nil, learn, err
	}
	kept, fresh, ok, err := s.readShopSince(ctx, tx, asOf, skus, recordsGen, upto)
	if err != nil || ok {
		learn.checkpoints = fresh
		return kept, learn, err
	}
	if err := s.readSKUs(ctx, tx, snap, skus, "", &learn); err != nil {
		return nil, learn, err
	}
	return snap, learn, s.keepShop(ctx, tx, snap, upto, recordsGen)
}

// readSKUs replays skus, the one SKU one or the whole shop's, into snap,
// noting in learn what later reports can start from.
func (s *Shop) readSKUs(ctx context.Context, tx *prepared, snap *snapshot, skus []skuRow, one string, learn *learned) error {
	asOf := snap.asOf
	var err error
	if snap.factories, err = s.reportFactories(ctx, tx, asOf, skus, one != ""); err != nil {
		return err
	}
	end := asOf.End.UnixMilli()
	learn.settledAt = end
	if snap.batches, learn.settled, err = batchesAsOf(ctx, tx, one, end, true); err != nil {
		return err
	}
	ids := make([]string, len(skus))
	for i, r := range skus {
		ids[i] = r.ID
	}
	l, err := newLedger(ctx, tx, asOf.Window(), ids)
	if err != nil {
		return err
	}
	l.batches = make(map[string]batchQA, len(snap.batches))
	for _, b := range snap.batches {
		l.batches[b.ID] = batchQA{qa: string(b.QA), qaAt: b.QAAt}
	}
	if one == "" {
		if err := s.prepareShopReplay(ctx, l, skus); err != nil {
			return err
		}
	}
	due := openBatches(snap.batches)
	snap.rows = make([]StockRow, 0, len(skus))
	for _, r := range skus {
		row, err := l.assess(ctx, r, due[r.ID], snap.factories[r.FactoryID])
		if err != nil {
			return err
		}
		snap.rows = append(snap.rows, row)
	}
	if err := settleKits(ctx, tx, snap.rows); err != nil {
		return err
	}
	learn.checkpoints, learn.recent = l.fresh, l.recent
	return nil
}

// reportGens is what a whole-shop report is of: the records generation and
// the last log row.
func reportGens(ctx context.Context, q queryer) (recordsGen, upto int64, err error) {
	if recordsGen, err = getMetaInt(ctx, q, "records_gen"); err != nil {
		return 0, 0, err
	}
	err = q.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM changes`).Scan(&upto)
	return recordsGen, upto, err
}

// prepareShopReplay readies a whole-shop report's ledger: every SKU's rows
// in one scan, and the day's first such report keeps every SKU's level at
// the start of the day for sales.
func (s *Shop) prepareShopReplay(ctx context.Context, l *ledger, skus []skuRow) error {
	if err := l.preload(ctx, skus); err != nil {
		return err
	}
	if last := l.window.DayStarts[len(l.window.DayStarts)-1]; last > s.recentDay.Load() {
		l.recent = map[string]checkpoint{}
	}
	return nil
}

// reportSKUs is the SKU with code, archived or not, or every SKU on sale,
// as they were at asOf's end (skusAsOf).
func (s *Shop) reportSKUs(ctx context.Context, q queryer, code string, asOf AsOf) ([]skuRow, error) {
	if code != "" {
		r, err := findSKU(ctx, q, code)
		if err != nil {
			return nil, err
		}
		if r, err = s.skuAsOf(ctx, q, r, asOf); err != nil {
			return nil, err
		}
		return []skuRow{r}, nil
	}
	all, err := s.skuList.get(ctx, q)
	if err != nil {
		return nil, err
	}
	if all, err = s.skusAsOf(ctx, q, all, asOf); err != nil {
		return nil, err
	}
	skus := make([]skuRow, 0, len(all))
	for _, r := range all {
		if !r.Archived {
			skus = append(skus, r)
		}
	}
	return skus, nil
}

// reportFactories reads the factories, judged by their quality returns as
// of asOf: only the one SKU's when one is reported. q is the report's read
// transaction, so the sales it counts come through the shop's cache.
func (s *Shop) reportFactories(ctx context.Context, q queryer, asOf AsOf, skus []skuRow, one bool) (map[string]FactoryView, error) {
	query, args := `SELECT `+factoryColumns+` FROM factories f`, []any{}
	if one {
		query, args = query+` WHERE f.id = ?`, []any{skus[0].FactoryID}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var fs []*FactoryView
	for rows.Next() {
		f, err := scanFactory(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		fs = append(fs, &f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var upto int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM changes`).Scan(&upto); err != nil {
		return nil, err
	}
	if err := pausedAsOf(ctx, q, fs, asOf, s.Now()); err != nil {
		return nil, err
	}
	if err := nameFailures(ctx, q, fs, s.loc); err != nil {
		return nil, err
	}
	if err := judgeQualityWith(ctx, q, fs, asOf, keptCounts{&s.factorySold, upto}); err != nil {
		return nil, err
	}
	out := make(map[string]FactoryView, len(fs))
	for _, f := range fs {
		out[f.ID] = *f
	}
	return out, nil
}

// coming is what a SKU's open batches still bring.
type coming struct {
	units    int   // still to come
	next     int64 // the earliest expected arrival
	arrivals []arrival
}

// openBatches sums the open batches by SKU.
func openBatches(batches []domain.Batch) map[string]coming {
	out := map[string]coming{}
	for _, b := range batches {
		if !b.Open() {
			continue
		}
		c, ok := out[b.SKUID]
		if !ok || b.ExpectedAt < c.next {
			c.next = b.ExpectedAt
		}
		c.units += b.OnOrder()
		c.arrivals = append(c.arrivals, arrival{b.ExpectedAt, b.OnOrder()})
		out[b.SKUID] = c
	}
	for _, c := range out {
		slices.SortStableFunc(c.arrivals, func(a, b arrival) int { return cmp.Compare(a.at, b.at) })
	}
	return out
}

// assess replays one SKU and hands what the report read to domain.Assess.
// f is its factory; zero for digital.
func (l *ledger) assess(ctx context.Context, r skuRow, c coming, f FactoryView) (StockRow, error) {
	if r.Path == domain.PathDigital {
		l.replayWindowOnly(r.ID)
	}
	rep, err := l.replay(ctx, r.ID)
	if err != nil {
		return StockRow{}, err
	}
	first, sure := l.firstEvent(r.ID, rep)
	facts := domain.Facts{SKU: r.SKU, MOQ: r.factoryMOQ, Multiple: r.factoryMultiple, FactoryPaused: f.Blocked(),
		Level: rep.AtEnd, OnOrder: c.units, Days: rep.Days, FirstEventAt: first}
	if r.Path == domain.PathDigital && rep.Rate().Sold > 0 { // without sales its rate is 0 however long
		if facts.DigitalSince, err = l.digitalSince(ctx, r.ID); err != nil {
			return StockRow{}, err
		}
		if first < facts.DigitalSince && !sure {
			// It sold before it was added here, and its rate counts the
			// days from its first sale that stands: one before the window,
			// which a download's replay does not read, makes it the whole
			// window; a voided one sold nothing.
			if facts.FirstEventAt, err = l.firstSaleStanding(ctx, r.ID, first, facts.DigitalSince); err != nil {
				return StockRow{}, err
			}
		}
	}
	a := domain.Assess(facts)
	if a.ShortHistory && !sure {
		// Only a reorder is marked, so only then is it worth looking
		// behind the checkpoint for an older event.
		from, _ := l.start(r.ID)
		at, found, err := l.eventBefore(ctx, r.ID, from)
		if err != nil {
			return StockRow{}, err
		}
		if found {
			facts.FirstEventAt = at
			a = domain.Assess(facts)
		}
	}
	if r.Path == domain.PathDigital {
		rep.Days, rep.Places = digitalDays(rep.Days), nil
	}
	row := StockRow{SKU: r.SKU, Assessment: a, NextArrival: c.next, Days: rep.Days, Places: rep.Places, arrivals: c.arrivals}
	if a.Blocked {
		row.BlockReason = f.Reason()
	}
	return row, nil
}

// digitalSince is when a download became one: the stamp of the first of
// the versions of its path that have said digital since (when it was
// added, nearly always). 0 when none is held or readable: its whole window
// counts, as before.
func (l *ledger) digitalSince(ctx context.Context, skuID string) (int64, error) {
	rows, err := l.q.QueryContext(ctx, `SELECT stamp, value FROM field_versions WHERE entity = 'sku' AND entity_id = ? AND field = 'path' ORDER BY stamp`, skuID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	since := ""
	for rows.Next() {
		var stamp, value string
		if err := rows.Scan(&stamp, &value); err != nil {
			return 0, err
		}
		switch {
		case value != `"digital"`:
			since = ""
		case since == "":
			since = stamp
		}
	}
	if err := rows.Err(); err != nil || since == "" {
		return 0, err
	}
	st, err := changes.ParseStamp(since)
	if err != nil {
		return 0, nil
	}
	return st.Wall, nil
}

// firstSaleStanding is the moment of a download's first sale not voided,
// NoEvents when none came before upto: any before the window (all its
// days count), else the first from `from` (its replay's first movement,
// so nothing of the window before it) up to upto. Only the SKUs whose
// history goes back past when they became downloads ask, and a void is a
// seek into its own index (events_voids).
func (l *ledger) firstSaleStanding(ctx context.Context, skuID string, from, upto int64) (int64, error) {
	at, found, err := l.saleStanding(ctx, skuID, math.MinInt64, l.window.Start())
	if err != nil || found {
		return at, err
	}
	if at, found, err = l.saleStanding(ctx, skuID, from, min(upto, l.window.End)); err != nil || found {
		return at, err
	}
	return domain.NoEvents, nil
}

// saleStanding is the moment of a SKU's sale in [from, to) that no void
// undid, on the earliest day that has one, and whether there is one: a
// seek a day into the day-led index, as eventBefore.
func (l *ledger) saleStanding(ctx context.Context, skuID string, from, to int64) (int64, bool, error) {
	if from >= to {
		return 0, false, nil
	}
	first, last, err := l.days(ctx, from, to)
	if err != nil {
		return 0, false, err
	}
	var at int64
	err = l.q.QueryRowContext(ctx, `WITH RECURSIVE days(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM days WHERE day < ?2)
		SELECT e.at FROM days CROSS JOIN events e
		WHERE e.at / 86400000 = days.day AND e.sku_n = (SELECT n FROM sku_keys WHERE id = ?3) AND e.at >= ?4 AND e.at < ?5
			AND e.kind = 'sale' AND NOT EXISTS (SELECT 1 FROM events v WHERE v.kind = 'void' AND v.ref = e.id) LIMIT 1`,
		first, last, skuID, from, to).Scan(&at)
	if isNoRows(err) {
		return 0, false, nil
	}
	return at, err == nil, err
}

// digitalDays are a download's days: what sold, with nothing available,
// as it holds no stock; nor is it anywhere. A report replays it over its
// window only (replayWindowOnly), where levels sum the sales since the
// window's start, not since its first sale; without them, its row reads
// as a replay of its whole ledger would.
func digitalDays(days []domain.Day) []domain.Day {
	for i := range days {
		days[i].Available, days[i].Active = 0, days[i].Sold > 0
	}
	return days
}

// ReorderRow is one SKU that needs a batch: position is below
// r × (lead + min cover).
type ReorderRow struct {
	Code         string
	Name         string
	Variant      string // see domain.SKU.Variant
	Factory      string
	Position     int
	Rate         domain.Rate
	LeadDays     int
	MinCover     int
	MaxCover     int
	ReorderPoint float64
	SuggestedQty int  // 0 when the factory is paused
	NeedQty      int  // what the rule asks for, paused or not
	Blocked      bool // the factory is paused
	BlockReason  string
	ShortHistory bool // under 14 days of history: the rate is a first guess
}

// Reorder lists the SKUs whose position is below their reorder point.
func (s *Shop) Reorder(ctx context.Context, asOf AsOf) ([]ReorderRow, error) {
	rows, err := s.Stock(ctx, asOf, "")
	if err != nil {
		return nil, err
	}
	return reorderRows(rows), nil
}

func reorderRows(rows []StockRow) []ReorderRow {
	var out []ReorderRow
	for _, r := range rows {
		if !r.Reorder {
			continue
		}
		out = append(out, ReorderRow{Code: r.SKU.Code, Name: r.SKU.Name, Variant: r.SKU.Variant, Factory: r.SKU.Factory, Position: r.Plan.Position, Rate: r.Rate,
			LeadDays: r.Plan.LeadDays, MinCover: r.Plan.MinCover, MaxCover: r.Plan.MaxCover, ReorderPoint: r.Plan.ReorderPoint(),
			SuggestedQty: r.SuggestedQty, NeedQty: r.NeedQty, Blocked: r.Blocked, BlockReason: r.BlockReason, ShortHistory: r.ShortHistory})
	}
	return out
}
