package app

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"microshop/domain"
)

// Order is what `batch order` asks for.
type Order struct {
	Code     string
	Qty      int
	Factory  string        // "" for the SKU's primary factory
	UnitCost *domain.Money // nil for the SKU's cost
	Expected time.Time     // zero for the order time plus lead time
	At       time.Time     // zero for now
	Force    bool          // order even from a paused factory
}

// PausedError refuses a batch order from a paused factory: paused by hand,
// by a failed QA or by its quality returns. Such a factory takes no order
// unless the order is forced.
type PausedError struct {
	Factory string
	Reason  string // why it is paused, for people
	Quality bool   // paused by the quality returns rule
	// Lift says how the maker lifts a quality pause, "it" naming the
	// factory (FactoryView.LiftQualityPause).
	Lift string
	err  *domain.Error
}

func (e *PausedError) Error() string { return e.err.Error() }
func (e *PausedError) Unwrap() error { return e.err }

// pausedError is the refusal to order from f, or nil when f takes orders.
func pausedError(f FactoryView) error {
	switch {
	case f.Paused:
		return &PausedError{Factory: f.Name, Reason: f.Reason(), err: domain.Errorf(domain.EConflict,
			"factory %q is paused (%s); resume it before ordering, or order anyway", f.Name, f.Reason())}
	case f.QualityPaused:
		reason := f.qualityState()
		return &PausedError{Factory: f.Name, Reason: reason, Quality: true, Lift: f.LiftQualityPause("it"), err: domain.Errorf(domain.EConflict,
			"factory %q is paused for quality returns (%s); inspect its stock and %s before ordering, or order anyway",
			f.Name, reason, f.LiftQualityPause("it"))}
	}
	return nil
}

const batchColumns = `b.id, b.sku_id, coalesce(s.code, ''), b.factory_id, coalesce(f.name, ''), b.ordered, b.unit_cost,
	b.ordered_at, b.expected_at, b.qa, b.qa_at, b.qa_note, b.cancelled_at`

const batchFrom = ` FROM batches b LEFT JOIN skus s ON s.id = b.sku_id LEFT JOIN factories f ON f.id = b.factory_id`

// scanBatch reads a batch header; received and held are filled in by
// batchTotals as of a moment.
func scanBatch(sc interface{ Scan(...any) error }) (domain.Batch, error) {
	var b domain.Batch
	err := sc.Scan(&b.ID, &b.SKUID, &b.SKU, &b.FactoryID, &b.Factory, &b.Ordered, &b.UnitCost,
		&b.OrderedAt, &b.ExpectedAt, &b.QA, &b.QAAt, &b.QANote, &b.CancelledAt)
	return b, err
}

// batchTotals fills in the units received and held by receipts before end,
// and hides a QA decision or a cancellation made at or after end.
func batchTotals(ctx context.Context, q queryer, b *domain.Batch, end int64) error {
	err := q.QueryRowContext(ctx, `SELECT coalesce(sum(qty), 0), coalesce(sum(held), 0) FROM events
		WHERE batch_id = ? AND batch_id <> '' AND kind = 'receipt' AND at < ?`, b.ID, end).Scan(&b.Received, &b.Held)
	batchAsOf(b, end)
	return err
}

// batchAsOf hides what was decided of a batch at or after end: its QA decision
// and its cancellation.
func batchAsOf(b *domain.Batch, end int64) {
	if b.QA != domain.QAPending && b.QAAt >= end {
		b.QA, b.QAAt, b.QANote = domain.QAPending, 0, ""
	}
	if b.CancelledAt >= end {
		b.CancelledAt = 0
	}
}

// findBatch looks a batch up by its id, or by a unique prefix or suffix of
// it at least 6 characters long, so people need not type a whole UUID.
func findBatch(ctx context.Context, q queryer, ref string, end int64) (domain.Batch, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if len(ref) < 6 || strings.ContainsAny(ref, "%_") {
		return domain.Batch{}, domain.Errorf(domain.EInvalid, "%q is not a batch id; give the id, or at least its first or last 6 characters", ref).With(domain.RemedyListBatches)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+batchColumns+batchFrom+` WHERE b.id = ?1 OR b.id LIKE ?1 || '%' OR b.id LIKE '%' || ?1 LIMIT 2`, ref)
	if err != nil {
		return domain.Batch{}, err
	}
	var found []domain.Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			rows.Close()
			return b, err
		}
		found = append(found, b)
	}
	rows.Close()
	switch len(found) {
	case 0:
		return domain.Batch{}, notFound("batch", ref, domain.RemedyListBatches)
	case 2:
		return domain.Batch{}, domain.Errorf(domain.EInvalid, "%q matches more than one batch; give more of the id", ref).With(domain.RemedyListBatches)
	}
	b := found[0]
	return b, batchTotals(ctx, q, &b, end)
}

// OrderResult is an ordered batch, with what was odd about the order.
type OrderResult struct {
	domain.Batch
	// Warnings are sentences about an order that is possible but odd:
	// below the factory's minimum order, or off its batch multiple. The
	// batch is ordered all the same.
	Warnings []string
}

// OrderBatch orders a batch of a SKU from its primary factory or another.
// A paused factory takes no order unless it is forced: the refusal is a
// *PausedError.
func (s *Shop) OrderBatch(ctx context.Context, o Order) (OrderResult, error) {
	var res OrderResult
	if err := domain.ValidateQty(o.Qty); err != nil {
		return res, err
	}
	err := s.write(ctx, func(t *txn) error {
		at := orNow(o.At, t.now)
		if err := t.checkAt(at); err != nil {
			return err
		}
		if err := t.checkMoney(o.UnitCost); err != nil {
			return err
		}
		sku, err := findSKU(ctx, t.tx, o.Code)
		if err != nil {
			return err
		}
		if sku.Path == domain.PathDigital {
			return domain.Errorf(domain.EInvalid, "SKU %s is digital and never runs out; batches are for print, microfactory and handmade SKUs", sku.Code)
		}
		if sku.Path == domain.PathKit {
			return kitNotMade(ctx, t.tx, sku.SKU, "is not made in batches; order batches of")
		}
		if sku.Archived {
			return domain.Errorf(domain.EConflict, "SKU %s is archived; batches are ordered only for SKUs on sale", sku.Code)
		}
		name := o.Factory
		if name == "" {
			name = sku.Factory
		}
		f, err := findFactory(ctx, t.tx, name)
		if err != nil {
			return err
		}
		if !o.Force {
			if err := judgeQuality(ctx, t.tx, []*FactoryView{&f}, t.shop.AsOfNow()); err != nil {
				return err
			}
			if err := nameFailures(ctx, t.tx, []*FactoryView{&f}, t.shop.loc); err != nil {
				return err
			}
			if err := pausedError(f); err != nil {
				return err
			}
		}
		lead := sku.LeadDays
		if f.ID != sku.FactoryID {
			lead = f.LeadDays
		}
		expected := o.Expected
		if expected.IsZero() {
			expected = domain.AddDays(domain.StartOfDay(at), lead).Add(12 * time.Hour)
		} else if err := CheckExpected(at.In(t.shop.loc), expected.In(t.shop.loc)); err != nil {
			return err
		}
		cost, err := costFrom(ctx, t.tx, f.ID, sku.SKU)
		if err != nil {
			return err
		}
		if o.UnitCost != nil {
			cost = *o.UnitCost
		}
		b := domain.Batch{ID: newID(), SKUID: sku.ID, SKU: sku.Code, FactoryID: f.ID, Factory: f.Name,
			Ordered: o.Qty, UnitCost: cost, OrderedAt: at.UnixMilli(), ExpectedAt: expected.UnixMilli(), QA: domain.QAPending}
		res = OrderResult{Batch: b, Warnings: f.OrderWarnings(o.Qty)}
		return t.setRecord("batch", b.ID, map[string]any{
			"sku_id": b.SKUID, "factory_id": b.FactoryID, "ordered": b.Ordered, "unit_cost": int64(b.UnitCost),
			"ordered_at": b.OrderedAt, "expected_at": b.ExpectedAt, "qa": b.QA, "qa_at": 0, "qa_note": "",
		})
	})
	return res, err
}

// CheckExpected refuses an expected arrival that cannot be true: before the
// day of the order, or further from it than the longest lead time.
func CheckExpected(ordered, expected time.Time) error {
	day := domain.StartOfDay(ordered)
	switch {
	case expected.Before(day):
		return domain.Errorf(domain.EInvalid, "the expected date %s is before the order date %s; give a date on or after %s",
			expected.Format(time.DateOnly), ordered.Format(time.DateOnly), ordered.Format(time.DateOnly))
	case !expected.Before(domain.AddDays(day, domain.MaxLeadDays+1)):
		return domain.Errorf(domain.EInvalid, "the expected date %s is more than %d days after the order date %s; check the year",
			expected.Format(time.DateOnly), domain.MaxLeadDays, ordered.Format(time.DateOnly))
	}
	return nil
}

// Receipt is one delivery into a batch: the batch with every receipt so
// far, and this delivery's units and held units.
type Receipt struct {
	domain.Batch
	ReceiptID string
	Units     int
	HeldUnits int
}

// Delivery is units of a batch arriving.
type Delivery struct {
	Batch string    // the batch's id, or a unique part of it
	Qty   int       // units that arrived
	At    time.Time // zero for now
	Force bool      // take more than is still to come: factory overs
	// Location is where the units arrive, by name; empty for this
	// device's default location.
	Location string
}

// OversError refuses a delivery of more units than a batch still has to
// come: more than were ordered (factory overs), or any after the batch was
// cancelled. Units that really arrived are recorded once someone confirms
// them: the delivery is then forced.
type OversError struct {
	Batch     string
	SKU       string
	Qty       int // units in this delivery
	Ordered   int
	Received  int  // before this delivery
	Cancelled bool // the batch was cancelled, so nothing more was expected
	err       *domain.Error
}

func (e *OversError) Error() string { return e.err.Error() }
func (e *OversError) Unwrap() error { return e.err }

// oversError is the refusal of qty units more than b still has to come.
func oversError(b domain.Batch, qty int, loc *time.Location) error {
	e := &OversError{Batch: b.ID, SKU: b.SKU, Qty: qty, Ordered: b.Ordered, Received: b.Received, Cancelled: b.Cancelled()}
	if e.Cancelled {
		e.err = domain.Errorf(domain.EConflict, "%s was cancelled on %s, so no more units of it were expected; check it is the right batch, or confirm the %s arrived",
			b.Name(loc), time.UnixMilli(b.CancelledAt).In(loc).Format(time.DateOnly), plural(qty, "unit"))
	} else {
		e.err = domain.Errorf(domain.EConflict, "receiving %s of %s would make %d received of the %d ordered; more than ordered (factory overs) is recorded only once confirmed, so check the count",
			plural(qty, "unit"), b.Name(loc), b.Received+qty, b.Ordered)
	}
	return e
}

// ReceiveBatch records units of a batch arriving, up to what is still to
// come; Receive takes factory overs too.
func (s *Shop) ReceiveBatch(ctx context.Context, ref string, qty int, at time.Time) (Receipt, error) {
	return s.Receive(ctx, Delivery{Batch: ref, Qty: qty, At: at})
}

// Receive records units of a batch arriving. From a new factory, the
// shop's hold percentage of them (rounded up) is held until QA passes.
// More units than are still to come are refused with an *OversError
// unless the delivery is forced.
func (s *Shop) Receive(ctx context.Context, d Delivery) (Receipt, error) {
	var rc Receipt
	qty, ref := d.Qty, d.Batch
	if err := domain.ValidateQty(qty); err != nil {
		return rc, err
	}
	err := s.write(ctx, func(t *txn) error {
		at := orNow(d.At, t.now)
		if err := t.checkAt(at); err != nil {
			return err
		}
		b, err := findBatch(ctx, t.tx, ref, maxTime)
		if err != nil {
			return err
		}
		place, err := t.placeOf(ctx, d.Location)
		if err != nil {
			return err
		}
		if ordered := time.UnixMilli(b.OrderedAt).In(t.shop.loc); at.In(t.shop.loc).Before(domain.StartOfDay(ordered)) {
			return domain.Errorf(domain.EInvalid, "%s: nothing of it arrived on %s, before it was ordered; give a time on or after the order date",
				b.Name(t.shop.loc), at.In(t.shop.loc).Format(time.DateOnly))
		}
		// A failed QA leaves the units still to come on order: they may
		// arrive. A cancelled batch expects none.
		if !d.Force && qty > b.OnOrder() {
			return oversError(b, qty, t.shop.loc)
		}
		if b.Received+qty > domain.MaxQty {
			return domain.Errorf(domain.EInvalid, "receiving %d units of %s would make %d received, more than %d; check the count", qty, b.Name(t.shop.loc), b.Received+qty, domain.MaxQty)
		}
		f, err := findFactoryByID(ctx, t.tx, b.FactoryID)
		if err != nil {
			return err
		}
		st, err := loadSettings(ctx, t.tx, t.shop.shopID)
		if err != nil {
			return err
		}
		held := 0
		if f.New && b.QA == domain.QAPending {
			// The share is of the batch, not of each delivery: a batch of
			// 15 received as 5, 5 and 5 held 3 (20 %) where one delivery
			// of 15 held 2.
			held = min(qty, max(0, domain.HoldQty(b.Received+qty, st.holdPercent)-b.Held))
		}
		rc = Receipt{Batch: b, ReceiptID: newID(), Units: qty, HeldUnits: held}
		rc.Received += qty
		rc.Held += held
		return t.addEvent(event{Kind: kindReceipt, ID: rc.ReceiptID, SKUID: b.SKUID, At: at.UnixMilli(), Qty: qty,
			Held: held, BatchID: b.ID, FactoryID: b.FactoryID, Location: place.ID})
	})
	return rc, err
}

// maxTime is an end after every event.
const maxTime = int64(1) << 62

// QADecision is a QA decision on the held units of a batch.
type QADecision struct {
	Batch string // the batch's id, or a unique part of it
	Pass  bool
	Note  string
	At    time.Time // zero for now
	// CancelRest, with a fail, cancels the units of the batch still to
	// come. Without it they stay on order: the factory may yet deliver
	// them, inspected.
	CancelRest bool
}

// DecideQA passes or fails the held units of a batch; see Decide.
func (s *Shop) DecideQA(ctx context.Context, ref string, pass bool, note string, at time.Time) (domain.Batch, error) {
	return s.Decide(ctx, QADecision{Batch: ref, Pass: pass, Note: note, At: at})
}

// Decide passes or fails the held units of a batch. A pass releases them;
// a fail rejects them (they leave stock) and pauses the factory, so the rest
// of the batch gets inspected before anything more is ordered. Units still
// to come stay on order unless the decision cancels them.
func (s *Shop) Decide(ctx context.Context, d QADecision) (domain.Batch, error) {
	var b domain.Batch
	ref, pass := d.Batch, d.Pass
	if pass && d.CancelRest {
		return b, domain.Errorf(domain.EInvalid, "a passed QA cancels nothing; the units still to come are cancelled with a failed QA, or by cancelling the batch")
	}
	note, err := domain.CleanNote("QA note", d.Note)
	if err != nil {
		return b, err
	}
	err = s.write(ctx, func(t *txn) error {
		at := orNow(d.At, t.now)
		if err := t.checkAt(at); err != nil {
			return err
		}
		var err error
		if b, err = findBatch(ctx, t.tx, ref, at.UnixMilli()+1); err != nil {
			return err
		}
		if b.QA != domain.QAPending {
			return domain.Errorf(domain.EConflict, "%s already %s QA on %s; a decision is made once", b.Name(t.shop.loc), b.QA, time.UnixMilli(b.QAAt).In(t.shop.loc).Format(time.DateOnly))
		}
		if b.Held == 0 {
			return domain.Errorf(domain.EInvalid, "%s has no units held for QA at %s; QA decides on held units of a batch received from a new factory", b.Name(t.shop.loc), at.In(t.shop.loc).Format("2006-01-02 15:04"))
		}
		b.QA, b.QAAt, b.QANote = domain.QAFailed, at.UnixMilli(), note
		if pass {
			b.QA = domain.QAPassed
		}
		fields := map[string]any{"qa": b.QA, "qa_at": b.QAAt, "qa_note": note}
		if b.Open() {
			// Every decision on an open batch says whether its rest is
			// cancelled, a keep as well: a decision made apart that wins
			// then wins whole, and a fail's cancellation does not outlive
			// the later pass that replaced it.
			fields["cancelled_at"] = int64(0)
			if d.CancelRest {
				b.CancelledAt, fields["cancelled_at"] = b.QAAt, b.QAAt
			}
		}
		if err := t.setRecord("batch", b.ID, fields); err != nil {
			return err
		}
		if pass {
			// The quality pause asks for a QA pass: one lifts it, and the
			// rule counts afresh from here.
			f, err := findFactoryByID(ctx, t.tx, b.FactoryID)
			if err != nil {
				return err
			}
			if err := judgeQuality(ctx, t.tx, []*FactoryView{&f}, t.shop.AsOfNow()); err != nil {
				return err
			}
			if f.QualityPaused {
				return t.setRecord("factory", f.ID, map[string]any{"resumed_at": at.UnixMilli(), "quality_paused_at": 0})
			}
			return nil
		}
		return t.setRecord("factory", b.FactoryID, map[string]any{"paused": true, "pause_reason": failReason(b, at.In(t.shop.loc))})
	})
	return b, err
}

// failReason is why a failed QA of b at `at` pauses its factory. Its
// form is read back (pausedByFailure, factoryColumns).
func failReason(b domain.Batch, at time.Time) string {
	return fmt.Sprintf("batch %s of %s failed QA on %s%s", b.ID, b.SKU, at.Format(time.DateOnly), failTail)
}

// failTail ends every failReason; failTailSQL is it as an SQL literal.
const (
	failTail    = ": inspect the rest of that batch"
	failTailSQL = "': inspect the rest of that batch'"
)

// pausedByFailure reports whether a factory's pause is the one a failed QA
// of the batch with that id gave it, not one set by hand or by another
// batch's failure.
func pausedByFailure(f FactoryView, id string) bool {
	return f.Paused && strings.HasPrefix(f.PauseReason, "batch "+id+" of ") && strings.HasSuffix(f.PauseReason, failTail)
}

// nameFailures words each failed QA's pause reason (failReason) as a maker
// reads it, naming the batch by its SKU and the day it was ordered: the
// stored reason keeps the batch's 36-character id, by which this build and
// older ones find the batch, so it is worded when shown, and pauses stored
// before, or synced from an older build, read the same. A reason whose
// batch this device has not got (or one typed by hand in that form) shows
// as stored.
func nameFailures(ctx context.Context, q queryer, fs []*FactoryView, loc *time.Location) error {
	for _, f := range fs {
		f.pauseWords = ""
		if !f.Paused {
			continue
		}
		words, err := failureWords(ctx, q, f.ID, f.PauseReason, loc)
		if err != nil {
			return err
		}
		f.pauseWords = words
	}
	return nil
}

// failureWords is a pause reason of factory factoryID worded as
// nameFailures does, or "" when it is no failed QA's reason of a batch
// this device has.
func failureWords(ctx context.Context, q queryer, factoryID, reason string, loc *time.Location) (string, error) {
	rest, ok := strings.CutPrefix(reason, "batch ")
	if !ok || !strings.HasSuffix(rest, failTail) {
		return "", nil
	}
	id, rest, _ := strings.Cut(rest, " of ")
	_, failed, ok := strings.Cut(rest, " failed QA on ")
	if !ok {
		return "", nil
	}
	var sku string
	var ordered int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(s.code, ''), b.ordered_at FROM batches b LEFT JOIN skus s ON s.id = b.sku_id
		WHERE b.id = ? AND b.factory_id = ?`, id, factoryID).Scan(&sku, &ordered)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("the batch of %s ordered on %s failed QA on %s", sku, time.UnixMilli(ordered).In(loc).Format(time.DateOnly), failed), nil
}

func findFactoryByID(ctx context.Context, q queryer, id string) (FactoryView, error) {
	v, err := scanFactory(q.QueryRowContext(ctx, `SELECT `+factoryColumns+` FROM factories f WHERE f.id = ?`, id))
	if err == sql.ErrNoRows {
		return v, domain.Errorf(domain.ENotFound, "there is no factory with id %q; sync may not have brought it yet", id)
	}
	return v, err
}

// Batch is one batch by id (or a unique part of it), as of now.
func (s *Shop) Batch(ctx context.Context, ref string) (domain.Batch, error) {
	return findBatch(ctx, s.db, ref, s.AsOfNow().End.UnixMilli())
}

// Batches lists batches newest first as of now; open limits it to batches
// with units still to come.
func (s *Shop) Batches(ctx context.Context, open bool) ([]domain.Batch, error) {
	all, _, err := batchesAsOf(ctx, s.db, "", s.AsOfNow().End.UnixMilli(), false)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	out := all[:0]
	for _, b := range all {
		if !open || b.Open() {
			out = append(out, b)
		}
	}
	return out, nil
}

// batchesAsOf lists the batches ordered before end, for one SKU or all
// (skuID ""), newest first, with what their receipts before end add up to.
//
// live keeps only the batches a report needs: units still to come, units
// held for QA, or a QA decision. Batches marked settled as of end or
// earlier are skipped without being read; those found settled now are
// returned in settled, for the caller to mark once its read is over.
func batchesAsOf(ctx context.Context, q queryer, skuID string, end int64, live bool) (batches []domain.Batch, settled []string, err error) {
	// Each batch seeks its receipts in the receipts index (its condition
	// repeated, or SQLite will not use it).
	receipts := func(sum, at string) string {
		return `(SELECT ` + sum + ` FROM events e WHERE e.batch_id = b.id AND e.batch_id <> '' AND e.kind = 'receipt' AND e.at ` + at + ` ?1)`
	}
	from, where := ` FROM batches b`, ` WHERE b.ordered_at < ?1`
	switch {
	case skuID != "":
		where += ` AND b.sku_id = ?2`
		if live {
			where += ` AND (b.settled_at IS NULL OR b.settled_at > ?1)`
		}
	case live:
		// Spelt as two index ranges, or SQLite reads every batch.
		from = ` FROM (SELECT * FROM batches WHERE settled_at IS NULL UNION ALL SELECT * FROM batches WHERE settled_at > ?1) b`
	}
	query := `SELECT ` + batchColumns + `, b.settled_at IS NULL, ` +
		receipts("coalesce(sum(e.qty), 0)", "<") + `, ` + receipts("coalesce(sum(e.held), 0)", "<") + `, ` + receipts("count(*)", ">=") +
		from + ` LEFT JOIN skus s ON s.id = b.sku_id LEFT JOIN factories f ON f.id = b.factory_id` + where
	rows, err := q.QueryContext(ctx, query+` ORDER BY b.ordered_at DESC, b.id DESC`, end, skuID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b domain.Batch
		var unmarked bool
		var later int
		if err := rows.Scan(&b.ID, &b.SKUID, &b.SKU, &b.FactoryID, &b.Factory, &b.Ordered, &b.UnitCost,
			&b.OrderedAt, &b.ExpectedAt, &b.QA, &b.QAAt, &b.QANote, &b.CancelledAt, &unmarked, &b.Received, &b.Held, &later); err != nil {
			return nil, nil, err
		}
		if b.CancelledAt >= end {
			b.CancelledAt = 0 // cancelled later: as of end, its units were still to come
		}
		if live && !b.Open() && b.Held == 0 && b.QA == domain.QAPending {
			// Settled for this report and, as no receipt comes after end
			// and any change clears the mark, for every later one.
			if unmarked && later == 0 {
				settled = append(settled, b.ID)
			}
			continue
		}
		batchAsOf(&b, end)
		batches = append(batches, b)
	}
	return batches, settled, rows.Err()
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}
