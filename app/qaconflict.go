package app

import (
	"context"
	"slices"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// decisionFields are the fields of a batch a QA decision sets together.
var decisionFields = []string{"qa", "qa_at", "qa_note", "cancelled_at"}

// undoQA puts back the QA decision on batch id that lost (stamped lost) in
// place of the one kept (stamped kept), with what a decision does beyond
// the batch's QA: its time and note, the rest of the batch cancelled or on
// order, and the factory paused by a fail or no longer paused by it. The
// held units follow the decision by themselves. A pause set by hand, by
// another batch's failure or by quality returns stays.
func (t *txn) undoQA(ctx context.Context, id, kept, lost string) error {
	body, after, err := t.decisionBack(ctx, id, kept, lost)
	if err != nil {
		return err
	}
	if err := t.append("batch", id, body, after...); err != nil {
		return err
	}
	b, err := findBatch(ctx, t.tx, id, maxTime)
	if err != nil {
		return err
	}
	f, err := findFactoryByID(ctx, t.tx, b.FactoryID)
	if err != nil {
		return err
	}
	switch {
	case b.QA == domain.QAPassed && pausedByFailure(f, b.ID):
		return t.setRecord("factory", f.ID, map[string]any{"paused": false, "pause_reason": ""})
	case b.QA == domain.QAFailed && !f.Paused:
		return t.setRecord("factory", f.ID, map[string]any{"paused": true, "pause_reason": failReason(b, time.UnixMilli(b.QAAt).In(t.shop.loc))})
	}
	return nil
}

// decisionBack is the change of batch id's decision fields that puts the
// decision stamped lost back in place of the one stamped kept, replacing
// both, and the stamps it comes after. A field written since the kept
// decision (the batch cancelled by hand) stays as it was written, as an
// edit made since settles any other conflict: it is written again at its
// value, replacing the lost decision's version of it too.
func (t *txn) decisionBack(ctx context.Context, id, kept, lost string) (changes.RecordBody, []changes.Stamp, error) {
	body := changes.RecordBody{}
	var after []changes.Stamp
	for _, f := range decisionFields {
		winner, current, err := fieldWinner(ctx, t.tx, "batch", id, f)
		if err != nil {
			return nil, nil, err
		}
		var value []byte
		err = t.tx.QueryRowContext(ctx, `SELECT value FROM field_versions
			WHERE entity = 'batch' AND entity_id = ? AND field = ? AND stamp = ?`, id, f, lost).Scan(&value)
		switch {
		case err == nil && winner != kept && winner != lost:
			value = current // edited since the conflict: the edit stays
		case err == nil:
		case !isNoRows(err):
			return nil, nil, err
		case f == "cancelled_at" && winner == kept:
			value = []byte("0") // the kept fail cancelled the rest, the decision put back did not
		default:
			continue
		}
		fv := changes.FieldValue{Value: value, Base: []string{lost}}
		if winner != "" && winner != lost {
			fv.Base = append(fv.Base, winner)
		}
		for _, st := range fv.Base {
			if s, err := changes.ParseStamp(st); err == nil {
				after = append(after, s)
			}
		}
		body[f] = fv
	}
	return body, after, nil
}

// keepQA settles the conflict over batch id's QA decision on the decision
// in force: each part of it that the decision stamped lost is in conflict
// over is written again at its kept value, in one change replacing both
// versions, as the decision is one conflict (withoutQAParts). Settled part
// by part, the verdict left its time and note listed. The held units, the
// rest of the batch and the factory stay as the kept decision left them.
func (t *txn) keepQA(id, lost string) error {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT field, kept_stamp, kept_value FROM conflicts
		WHERE entity = 'batch' AND entity_id = ? AND lost_stamp = ? ORDER BY field`, id, lost)
	if err != nil {
		return err
	}
	defer rows.Close()
	body := changes.RecordBody{}
	var after []changes.Stamp
	for rows.Next() {
		var field, kept string
		var value []byte
		if err := rows.Scan(&field, &kept, &value); err != nil {
			return err
		}
		if !slices.Contains(decisionFields, field) {
			continue
		}
		body[field] = changes.FieldValue{Value: value, Base: []string{kept, lost}}
		for _, st := range []string{kept, lost} {
			if s, err := changes.ParseStamp(st); err == nil {
				after = append(after, s)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	return t.append("batch", id, body, after...)
}

// QAUndo is what undoing a conflict over a batch's QA decision would do,
// for the maker to weigh before: a fail put back rejects units on sale and
// pauses the factory, a pass put back sells units rejected and may let the
// factory take orders again. It is the batch, and whether its factory
// takes orders, as they stand and as the undo would leave them.
type QAUndo struct {
	Before, After             domain.Batch // After.QANote is the note of the decision put back
	Factory                   string
	PausedBefore, PausedAfter bool // the factory takes no orders
}

// UndoingQA says what undoing the conflict c over a batch's QA decision
// would do, and changes nothing: the undo is made and rolled back, so what
// it says is what UndoConflict does.
func (s *Shop) UndoingQA(ctx context.Context, c Conflict) (QAUndo, error) {
	var u QAUndo
	if !c.OverQA() {
		return u, domain.Errorf(domain.EInvalid, "the conflict on %s of %s is not over a QA decision; only a batch's QA has one", c.FieldName(), c.What())
	}
	err := s.write(ctx, func(t *txn) error {
		p, err := t.conflictRow(c.Entity, c.EntityID, c.Field, c.LostStamp)
		if err != nil {
			return err
		}
		if u.Before, u.Factory, u.PausedBefore, err = t.batchAndFactory(c.EntityID); err != nil {
			return err
		}
		if err := t.undoQA(ctx, c.EntityID, p.keptStamp, c.LostStamp); err != nil {
			return err
		}
		if u.After, _, u.PausedAfter, err = t.batchAndFactory(c.EntityID); err != nil {
			return err
		}
		return errDryRun
	})
	if err == errDryRun {
		return u, nil
	}
	return u, err
}

// batchAndFactory is batch id with every receipt, its factory's name and
// whether that factory takes no orders now.
func (t *txn) batchAndFactory(id string) (b domain.Batch, factory string, paused bool, err error) {
	if b, err = findBatch(t.ctx, t.tx, id, maxTime); err != nil {
		return b, "", false, err
	}
	f, err := findFactoryByID(t.ctx, t.tx, b.FactoryID)
	if err != nil {
		return b, "", false, err
	}
	if err := judgeQuality(t.ctx, t.tx, []*FactoryView{&f}, t.shop.AsOfNow()); err != nil {
		return b, "", false, err
	}
	return b, f.Name, f.Blocked(), nil
}
