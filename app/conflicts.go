package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// Conflict is a concurrent edit that lost: two devices changed one field
// without seeing each other's change, and the later stamp won.
type Conflict struct {
	Entity       string
	EntityID     string
	Subject      string // the SKU code, factory name, "factory / SKU" of a quote or the record's id, for people
	Field        string
	Kept         FieldValue // the value in force
	Lost         FieldValue // the value that lost
	LostStamp    string
	LostDevice   string // the losing device's name, given at init or join; "" when it never told it
	LostDeviceID string
	LostHere     bool      // the losing value was typed on this device
	At           time.Time // when the losing edit was made
}

// Conflicts lists concurrent edits that lost, newest first, with their
// values as people give them and the losing device by its name.
func (s *Shop) Conflicts(ctx context.Context) ([]Conflict, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.entity, c.entity_id, c.field, c.kept_value, c.lost_value, c.lost_stamp,
		coalesce(sk.code, f.name, qf.name || ' / ' || qs.code, l.name, bs.code || ' from ' || bf.name, c.entity_id)
		FROM conflicts c
		LEFT JOIN skus sk ON c.entity = 'sku' AND sk.id = c.entity_id
		LEFT JOIN locations l ON c.entity = 'location' AND l.id = c.entity_id
		LEFT JOIN batches b ON c.entity = 'batch' AND b.id = c.entity_id
		LEFT JOIN skus bs ON bs.id = b.sku_id
		LEFT JOIN factories bf ON bf.id = b.factory_id
		LEFT JOIN factories f ON c.entity = 'factory' AND f.id = c.entity_id
		LEFT JOIN quotes q ON c.entity = 'quote' AND q.id = c.entity_id
		LEFT JOIN factories qf ON qf.id = q.factory_id
		LEFT JOIN skus qs ON qs.id = q.sku_id
		ORDER BY c.lost_stamp DESC`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	var list []storedConflict
	for rows.Next() {
		var r storedConflict
		c := &r.c
		if err := rows.Scan(&c.Entity, &c.EntityID, &c.Field, &r.kept, &r.lost, &c.LostStamp, &c.Subject); err != nil {
			return nil, storeError(s.path, err)
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError(s.path, err)
	}
	rows.Close()
	list = withoutQAParts(list)
	if len(list) == 0 {
		return nil, nil
	}
	n, err := loadNames(ctx, s.db, s.shopID)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	out := make([]Conflict, len(list))
	for i, r := range list {
		c := r.c
		kind := fieldKinds[c.Entity+"."+c.Field]
		c.Kept, c.Lost = n.value(kind, r.kept, s.loc), n.value(kind, r.lost, s.loc)
		if st, err := changes.ParseStamp(c.LostStamp); err == nil {
			c.LostDeviceID = st.Device
			c.LostDevice = n.devices[st.Device]
			c.LostHere = st.Device == s.DeviceID()
			c.At = time.UnixMilli(st.Wall).In(s.loc)
		}
		if c.Entity == deviceEntity && n.devices[c.EntityID] != "" {
			c.Subject = n.devices[c.EntityID]
		}
		if err := s.wordPauseReasons(ctx, &c); err != nil {
			return nil, storeError(s.path, err)
		}
		out[i] = c
	}
	return out, nil
}

// wordPauseReasons shows a failed QA's pause reason, kept or lost in a
// conflict over a factory's pause, as the rest of the app shows it
// (nameFailures): the batch by its SKU and order date, not its id. Value
// stays the reason as stored, for the JSON and the undo.
func (s *Shop) wordPauseReasons(ctx context.Context, c *Conflict) error {
	if c.Entity != "factory" || c.Field != "pause_reason" {
		return nil
	}
	for _, v := range []*FieldValue{&c.Kept, &c.Lost} {
		reason, _ := v.Value.(string)
		words, err := failureWords(ctx, s.db, c.EntityID, reason, s.loc)
		if err != nil {
			return err
		}
		if words != "" {
			v.Shown = words
		}
	}
	return nil
}

// What names the record a conflict is on as the rest of the app names it:
// "SKU MUG-01", "factory Clay Works". Entity stays the name the change
// log and the conflicts table keep, which Undo is given back.
func (c Conflict) What() string {
	noun := c.Entity
	if n, ok := entityNouns[c.Entity]; ok {
		noun = n
	}
	return noun + " " + c.Subject
}

// OverQA reports whether the conflict is over a batch's QA decision,
// which is undone and kept whole, with what it does to stock.
func (c Conflict) OverQA() bool { return overQA(c.Entity, c.Field) }

func overQA(entity, field string) bool { return entity == "batch" && field == "qa" }

// FieldName is the field as a maker reads it ("cancelled", "shipped");
// Field stays its stored name, which Undo and the JSON are given.
func (c Conflict) FieldName() string { return FieldName(c.Entity, c.Field) }

// Quoted is v, a value of c's field, for a sentence that names both of
// c's values: text in quotes, as "kept Cat pin, gold, the other value Cat
// pin (enamel)" read as three values; an amount, a number, yes or no,
// none or a default as it is; a time laid out as moment and a day as day
// (FieldValue.Text).
func (c Conflict) Quoted(v FieldValue, moment, day string) string {
	switch fieldKinds[c.Entity+"."+c.Field] {
	case textValue, factoryValue, skuValue:
		if _, ok := v.Value.(string); ok && v.String() != "" {
			return domain.QuoteWhole(v.String()) // as shown: a failed QA's pause names its batch (wordPauseReasons)
		}
	}
	return v.Text(moment, day)
}

// entityNouns are the record entities whose stored name is not the word
// people read: the list of conflicts said "sku MUG-01" where every other
// screen and command says SKU.
var entityNouns = map[string]string{"sku": "SKU"}

// storedConflict is a conflict as stored, its values as the fields hold them.
type storedConflict struct {
	c          Conflict
	kept, lost []byte
}

// withoutQAParts leaves out the time, note and cancelled rest of each
// batch's QA decision whose verdict is in conflict, lost by the same
// change: a decision is one conflict, and undoing its verdict puts the
// whole decision back (undoQA). Listed as three, it asked which to undo.
func withoutQAParts(list []storedConflict) []storedConflict {
	verdicts := map[[2]string]bool{}
	for _, r := range list {
		if r.c.OverQA() {
			verdicts[[2]string{r.c.EntityID, r.c.LostStamp}] = true
		}
	}
	return slices.DeleteFunc(list, func(r storedConflict) bool {
		return r.c.Entity == "batch" && r.c.Field != "qa" && slices.Contains(decisionFields, r.c.Field) && verdicts[[2]string{r.c.EntityID, r.c.LostStamp}]
	})
}

// ID names the conflict in a list of them, and where it is undone: the
// first 8 hex digits of a digest of what makes it one (its record, field
// and losing stamp), so it stays the same while other conflicts come and
// go, and on every device.
func (c Conflict) ID() string {
	sum := sha256.Sum256([]byte(c.Entity + "\x00" + c.EntityID + "\x00" + c.Field + "\x00" + c.LostStamp))
	return hex.EncodeToString(sum[:4])
}

// UndoConflictID restores the value that lost in the conflict with that
// ID, and returns the conflict as it stood.
func (s *Shop) UndoConflictID(ctx context.Context, id string) (Conflict, error) {
	c, err := s.conflictByID(ctx, id)
	if err != nil {
		return c, err
	}
	return c, s.UndoConflict(ctx, c.Entity, c.EntityID, c.Field, c.LostStamp)
}

// KeepConflictID settles the conflict with that ID on the value kept, and
// returns the conflict as it stood.
func (s *Shop) KeepConflictID(ctx context.Context, id string) (Conflict, error) {
	c, err := s.conflictByID(ctx, id)
	if err != nil {
		return c, err
	}
	return c, s.KeepConflict(ctx, c.Entity, c.EntityID, c.Field, c.LostStamp)
}

// conflictByID is the conflict listed with that ID (Conflict.ID).
func (s *Shop) conflictByID(ctx context.Context, id string) (Conflict, error) {
	list, err := s.Conflicts(ctx)
	if err != nil {
		return Conflict{}, err
	}
	want := strings.ToLower(strings.TrimSpace(id))
	for _, c := range list {
		if c.ID() == want {
			return c, nil
		}
	}
	return Conflict{}, domain.Errorf(domain.ENotFound, "there is no conflict %s; a conflict's id is the 8 letters and digits the list of conflicts shows beside it", domain.QuoteShort(id)).With(domain.RemedyListConflicts)
}

// storedPair is a conflict's two versions as the conflicts table keeps
// them.
type storedPair struct {
	keptStamp  string
	kept, lost []byte
}

// conflictRow reads the conflict over field of a record lost by the
// version stamped lostStamp.
func (t *txn) conflictRow(entity, entityID, field, lostStamp string) (storedPair, error) {
	var p storedPair
	err := t.tx.QueryRowContext(t.ctx, `SELECT kept_stamp, kept_value, lost_value FROM conflicts
		WHERE entity = ? AND entity_id = ? AND field = ? AND lost_stamp = ?`, entity, entityID, field, lostStamp).Scan(&p.keptStamp, &p.kept, &p.lost)
	if isNoRows(err) {
		c := Conflict{Entity: entity, Field: field, Subject: t.subjectOf(entity, entityID)}
		return p, domain.Errorf(domain.ENotFound, "the conflict over %s of %s is settled already, here or on another device, and nothing was changed", c.FieldName(), strings.TrimSpace(c.What())).With(domain.RemedyListConflicts)
	}
	return p, err
}

// subjectOf names a record for a maker as the list of conflicts does, its
// SKU's code or its factory's name; "" when it has neither (What then
// names the kind of record alone).
func (t *txn) subjectOf(entity, id string) string {
	var name string
	switch entity {
	case "sku":
		_ = t.tx.QueryRowContext(t.ctx, `SELECT code FROM skus WHERE id = ?`, id).Scan(&name)
	case "factory":
		_ = t.tx.QueryRowContext(t.ctx, `SELECT name FROM factories WHERE id = ?`, id).Scan(&name)
	}
	return name
}

// UndoConflict restores the value that lost. The restoring change replaces
// both versions, so the conflict is settled on every replica it reaches.
// A batch's QA decision is put back whole, with what it does to the batch
// and its factory (see undoQA).
func (s *Shop) UndoConflict(ctx context.Context, entity, entityID, field, lostStamp string) error {
	return s.write(ctx, func(t *txn) error {
		p, err := t.conflictRow(entity, entityID, field, lostStamp)
		if err != nil {
			return err
		}
		if overQA(entity, field) {
			return t.undoQA(ctx, entityID, p.keptStamp, lostStamp)
		}
		return t.resolve(entity, entityID, field, json.RawMessage(p.lost), p.keptStamp, lostStamp)
	})
}

// KeepConflict settles a conflict on the value in force: it writes the kept
// value again as a change that replaces both versions, so the conflict
// leaves the list on every replica it reaches, and devices that join later
// never see it, while the value stays as it is. A batch's QA decision is
// kept whole, every part of it that lost to the same change at once (see
// keepQA); nothing else of the batch or its factory changes.
func (s *Shop) KeepConflict(ctx context.Context, entity, entityID, field, lostStamp string) error {
	return s.write(ctx, func(t *txn) error {
		p, err := t.conflictRow(entity, entityID, field, lostStamp)
		if err != nil {
			return err
		}
		if overQA(entity, field) {
			return t.keepQA(entityID, lostStamp)
		}
		return t.resolve(entity, entityID, field, json.RawMessage(p.kept), p.keptStamp, lostStamp)
	})
}

// SyncStatus is what `status` shows.
type SyncStatus struct {
	DeviceID string
	Vector   changes.Vector
	Unsynced int64 // local changes no peer has acknowledged
	// Names are the names the devices gave themselves at init or join, by
	// id; a device that never told its name has none.
	Names map[string]string
}

// Status reports this device, its vector and how many local changes no
// peer has acknowledged yet.
func (s *Shop) Status(ctx context.Context) (SyncStatus, error) {
	v, err := s.Vector(ctx)
	if err != nil {
		return SyncStatus{}, storeError(s.path, err)
	}
	acked, err := getMetaInt(ctx, s.db, "acked_seq")
	if err != nil {
		return SyncStatus{}, storeError(s.path, err)
	}
	names, err := deviceNames(ctx, s.db)
	if err != nil {
		return SyncStatus{}, storeError(s.path, err)
	}
	return SyncStatus{DeviceID: s.DeviceID(), Vector: v, Unsynced: max(v[s.DeviceID()]-acked, 0), Names: names}, nil
}

// MarkAcknowledged records that a peer holds everything in its vector, so
// this device's changes it covers count as synced.
func (s *Shop) MarkAcknowledged(ctx context.Context, peer changes.Vector) error {
	if err := s.ReadOnly(); err != nil {
		return err
	}
	if err := s.keepSentPoints(ctx, peer[s.DeviceID()]); err != nil {
		return storeError(s.path, err)
	}
	acked, err := getMetaInt(ctx, s.db, "acked_seq")
	if err != nil {
		return storeError(s.path, err)
	}
	if peer[s.DeviceID()] <= acked {
		return nil
	}
	if err := setMeta(ctx, s.db, "acked_seq", fmt.Sprint(peer[s.DeviceID()])); err != nil {
		return storeError(s.path, err)
	}
	return nil
}
