package app

import (
	"context"
	"database/sql"
	"math"

	"microshop/domain"
)

// StockRow is one SKU's stock as of a report's moment.
type StockRow struct {
	SKU         domain.SKU
	OnHand      int
	Held        int
	Available   int
	OnOrder     int
	Rate        domain.Rate
	CoverDays   float64 // +Inf when nothing sells
	Status      domain.Status
	Plan        domain.Plan
	Blocked     bool   // its factory is paused: no batch is suggested
	BlockReason string // why, when Blocked
	NextArrival int64  // expected arrival of the earliest open batch, 0 if none
	Days        []domain.Day
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
	return snap.rows, nil
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
		return nil, err
	}
	tx.Rollback()
	s.saveLearned(ctx, learned)
	return snap, nil
}

func (s *Shop) read(ctx context.Context, rtx *sql.Tx, asOf AsOf, code string) (*snapshot, learned, error) {
	// Every SKU runs the same few queries: prepare each once.
	tx := newPrepared(rtx)
	defer tx.close()
	fail := func(err error) (*snapshot, learned, error) {
		if domain.ErrorCode(err) != domain.EInternal {
			return nil, learned{}, err
		}
		return nil, learned{}, storeError(s.path, err)
	}
	var learn learned
	var err error
	if learn.gen, err = getMetaInt(ctx, tx, "ledger_gen"); err != nil {
		return fail(err)
	}
	snap := &snapshot{asOf: asOf, factories: map[string]FactoryView{}}
	if snap.settings, err = loadSettings(ctx, tx, s.shopID); err != nil {
		return fail(err)
	}
	var skus []skuRow
	if code != "" {
		r, err := findSKU(ctx, tx, code)
		if err != nil {
			return fail(err)
		}
		skus = []skuRow{r}
	} else {
		all, err := s.skuList.get(ctx, tx)
		if err != nil {
			return fail(err)
		}
		for _, r := range all {
			if !r.Archived {
				skus = append(skus, r)
			}
		}
	}
	fquery, fargs := `SELECT `+factoryColumns+` FROM factories f`, []any{}
	if code != "" {
		fquery, fargs = fquery+` WHERE f.id = ?`, []any{skus[0].FactoryID}
	}
	frows, err := tx.QueryContext(ctx, fquery, fargs...)
	if err != nil {
		return fail(err)
	}
	var fs []*FactoryView
	for frows.Next() {
		f, err := scanFactory(frows)
		if err != nil {
			frows.Close()
			return fail(err)
		}
		fs = append(fs, &f)
	}
	frows.Close()
	if err := judgeQuality(ctx, tx, fs, asOf); err != nil {
		return fail(err)
	}
	for _, f := range fs {
		snap.factories[f.ID] = *f
	}
	skuID := ""
	if code != "" {
		skuID = skus[0].ID
	}
	end := asOf.End.UnixMilli()
	learn.settledAt = end
	if snap.batches, learn.settled, err = batchesAsOf(ctx, tx, skuID, end, true); err != nil {
		return fail(err)
	}
	onOrder := map[string]int{}
	next := map[string]int64{}
	for _, b := range snap.batches {
		if !b.Open() {
			continue
		}
		onOrder[b.SKUID] += b.OnOrder()
		if n, ok := next[b.SKUID]; !ok || b.ExpectedAt < n {
			next[b.SKUID] = b.ExpectedAt
		}
	}
	ids := make([]string, len(skus))
	for i, r := range skus {
		ids[i] = r.ID
	}
	l, err := newLedger(ctx, tx, asOf.Window(), ids)
	if err != nil {
		return fail(err)
	}
	l.batches = make(map[string]batchQA, len(snap.batches))
	for _, b := range snap.batches {
		l.batches[b.ID] = batchQA{qa: string(b.QA), qaAt: b.QAAt}
	}
	if skuID == "" {
		if err := l.preload(ctx, ids); err != nil {
			return fail(err)
		}
	}
	snap.rows = make([]StockRow, 0, len(skus))
	for _, r := range skus {
		rep, err := l.replay(ctx, r.ID)
		if err != nil {
			return fail(err)
		}
		row := StockRow{SKU: r.SKU, OnHand: rep.AtEnd.OnHand, Held: rep.AtEnd.Held, Available: rep.AtEnd.Available(),
			OnOrder: onOrder[r.ID], Rate: rep.Rate(), NextArrival: next[r.ID], Days: rep.Days}
		if r.Path == domain.PathDigital {
			// A download never runs out: no stock to show, and every day
			// of the window was a day it could sell.
			row.OnHand, row.Held, row.Available = 0, 0, 0
			row.Rate = domain.DailyRate(row.Rate.Sold, len(rep.Days))
			for i := range row.Days {
				row.Days[i].Available, row.Days[i].Active = 0, true
			}
		}
		row.Plan = domain.Plan{Rate: row.Rate, Position: row.OnHand + row.OnOrder, LeadDays: r.LeadDays,
			MinCover: r.MinCover, MaxCover: r.MaxCover, MOQ: r.factoryMOQ, Multiple: r.factoryMultiple}
		if r.Path == domain.PathDigital {
			row.Plan.Rate = domain.Rate{}
		}
		row.CoverDays, _ = domain.CoverDays(row.Available, row.Rate)
		if r.Path == domain.PathDigital {
			row.CoverDays = math.Inf(1)
		}
		row.Status = domain.StatusOf(r.Path, row.Available, row.Plan)
		if f, ok := snap.factories[r.FactoryID]; ok && f.Blocked() {
			row.Blocked, row.BlockReason = true, f.Reason()
		}
		snap.rows = append(snap.rows, row)
	}
	learn.checkpoints = l.fresh
	return snap, learn, nil
}

// ReorderRow is one SKU that needs a batch: position is below
// r × (lead + min cover).
type ReorderRow struct {
	Code         string
	Name         string
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
		if r.SKU.Path == domain.PathDigital || !r.Plan.NeedsReorder() {
			continue
		}
		need := r.Plan.SuggestedQty()
		row := ReorderRow{Code: r.SKU.Code, Name: r.SKU.Name, Factory: r.SKU.Factory, Position: r.Plan.Position, Rate: r.Rate,
			LeadDays: r.Plan.LeadDays, MinCover: r.Plan.MinCover, MaxCover: r.Plan.MaxCover,
			ReorderPoint: r.Plan.ReorderPoint(), SuggestedQty: need, NeedQty: need, Blocked: r.Blocked, BlockReason: r.BlockReason}
		if r.Blocked {
			row.SuggestedQty = 0
		}
		out = append(out, row)
	}
	return out
}
