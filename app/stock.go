package app

import (
	"context"
	"math"
	"slices"

	"microshop/domain"
)

// checkpointSlack is how far behind a report's window start a checkpoint
// may lag before the report moves it up: a week of extra replay is cheap,
// rewriting checkpoints on every report is not.
const checkpointSlack = 7 * 24 * 60 * 60 * 1000

type checkpoint struct {
	at    int64
	level domain.Level
}

// ledger derives SKUs' stock from the event log and batch QA state. It
// replays each SKU from its checkpoint, when one covers the window start.
type ledger struct {
	q       queryer
	window  domain.Window
	points  map[string]checkpoint
	fresh   map[string]checkpoint // checkpoints worth saving after the report
	scratch []domain.Movement
	// decided holds the SKUs with a batch whose QA was decided; nil means
	// any SKU may have one. Others need no look for releases.
	decided map[string]bool
	// batches caches each batch's QA decision, filled by the report or on
	// first need.
	batches map[string]batchQA
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

func newLedger(ctx context.Context, q queryer, window domain.Window, skuID string) (*ledger, error) {
	l := &ledger{q: q, window: window, points: map[string]checkpoint{}, fresh: map[string]checkpoint{}}
	query, args := `SELECT sku_id, at, on_hand, held FROM stock_checkpoints`, []any{}
	if skuID != "" {
		query, args = query+` WHERE sku_id = ?`, []any{skuID}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c checkpoint
		if err := rows.Scan(&id, &c.at, &c.level.OnHand, &c.level.Held); err != nil {
			return nil, err
		}
		l.points[id] = c
	}
	return l, rows.Err()
}

// replay plays one SKU's movements through the window.
func (l *ledger) replay(ctx context.Context, skuID string) (domain.Replay, error) {
	from := int64(math.MinInt64)
	var start domain.Level
	if c, ok := l.points[skuID]; ok && c.at <= l.window.Start() {
		from, start = c.at, c.level
	}
	moves, err := l.movements(ctx, skuID, from)
	if err != nil {
		return domain.Replay{}, err
	}
	r := domain.ReplayWindow(start, moves, l.window)
	if c, ok := l.points[skuID]; !ok || c.at < l.window.Start()-checkpointSlack || c.at > l.window.Start() {
		l.fresh[skuID] = checkpoint{at: l.window.Start(), level: r.AtStart}
	}
	return r, nil
}

// movements lists a SKU's stock movements from `from` to the window's end,
// in time order: events, plus the release or rejection of held units when
// QA decides.
func (l *ledger) movements(ctx context.Context, skuID string, from int64) ([]domain.Movement, error) {
	end := l.window.End
	// The covering index answers this alone; a receipt's batch QA comes
	// from the batches the report already holds, not a join on every row.
	rows, err := l.q.QueryContext(ctx, `SELECT kind, at, qty, held, restock, batch_id
		FROM events WHERE sku_id = ? AND at >= ? AND at < ? ORDER BY at, hlc`, skuID, from, end)
	if err != nil {
		return nil, err
	}
	moves := l.scratch[:0]
	sorted := true
	for rows.Next() {
		var kind, batchID string
		var at int64
		var qty, held int
		var restock bool
		if err := rows.Scan(&kind, &at, &qty, &held, &restock, &batchID); err != nil {
			rows.Close()
			return nil, err
		}
		qa, qaAt := string(domain.QAPending), int64(0)
		if kind == kindReceipt {
			st, err := l.batchState(ctx, batchID)
			if err != nil {
				rows.Close()
				return nil, err
			}
			qa, qaAt = st.qa, st.qaAt
		}
		m := domain.Movement{At: at}
		switch kind {
		case kindSale:
			m.OnHand, m.Sold = -qty, qty
		case kindVoid:
			m.OnHand, m.Sold = qty, -qty
		case kindReturn:
			if restock {
				m.OnHand = qty
			}
		case kindCount:
			m.Count, m.OnHand = true, qty
		case kindAdjust:
			m.OnHand = qty
		case kindReceipt:
			m.OnHand, m.Held = qty, held
			decided := qa != string(domain.QAPending) && qaAt < end
			switch {
			case decided && qaAt < at: // decided before these units came: settle at once
				m.Held = 0
				if qa == string(domain.QAFailed) {
					m.OnHand -= held
				}
			case decided && held > 0:
				moves = append(moves, m)
				m = release(qaAt, held, qa)
				sorted = false
			}
		default:
			continue
		}
		moves = append(moves, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Receipts before `from` whose QA was decided after it are in the
	// checkpoint as held; their release comes now.
	if from > math.MinInt64 && (l.decided == nil || l.decided[skuID]) {
		rel, err := l.q.QueryContext(ctx, `SELECT b.qa, b.qa_at, coalesce((SELECT sum(held) FROM events e
			WHERE e.batch_id = b.id AND e.batch_id <> '' AND e.kind = 'receipt' AND e.at < ?2 AND e.at <= b.qa_at), 0)
			FROM batches b WHERE b.sku_id = ?1 AND b.qa <> 'pending' AND b.qa_at >= ?2 AND b.qa_at < ?3`, skuID, from, end)
		if err != nil {
			return nil, err
		}
		for rel.Next() {
			var qa string
			var qaAt int64
			var held int
			if err := rel.Scan(&qa, &qaAt, &held); err != nil {
				rel.Close()
				return nil, err
			}
			if held > 0 {
				moves = append(moves, release(qaAt, held, qa))
				sorted = false
			}
		}
		rel.Close()
		if err := rel.Err(); err != nil {
			return nil, err
		}
	}
	if !sorted {
		slices.SortStableFunc(moves, func(a, b domain.Movement) int { return cmpInt64(a.At, b.At) })
	}
	l.scratch = moves
	return moves, nil
}

// release is QA deciding on held units: they stop being held, and on a fail
// they leave stock.
func release(at int64, held int, qa string) domain.Movement {
	m := domain.Movement{At: at, Held: -held}
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

// saveCheckpoints stores the checkpoints a report found worth keeping. It
// is a cache: failing to save only makes the next report slower.
func (s *Shop) saveCheckpoints(ctx context.Context, gen int64, fresh map[string]checkpoint) {
	if len(fresh) == 0 {
		return
	}
	now := s.now().UnixMilli()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return
	}
	defer tx.Rollback()
	if g, err := getMetaInt(ctx, tx, "ledger_gen"); err != nil || g != gen {
		return // the ledger moved on while the report ran
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO stock_checkpoints (sku_id, at, on_hand, held) VALUES (?, ?, ?, ?)
		ON CONFLICT (sku_id) DO UPDATE SET at = excluded.at, on_hand = excluded.on_hand, held = excluded.held`)
	if err != nil {
		return
	}
	defer stmt.Close()
	for id, c := range fresh {
		if c.at > now {
			continue // the future may still change
		}
		if _, err := stmt.ExecContext(ctx, id, c.at, c.level.OnHand, c.level.Held); err != nil {
			return
		}
	}
	tx.Commit()
}
