package app

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
)

var (
	_ changes.Replica  = (*Shop)(nil)
	_ changes.Signer   = (*Shop)(nil)
	_ changes.Preparer = (*Shop)(nil)
	_ changes.Checker  = (*Shop)(nil)
)

// Vector is what this replica holds: per origin, the highest sequence with
// no gap below it.
func (s *Shop) Vector(ctx context.Context) (changes.Vector, error) {
	return readVector(ctx, s.db)
}

func readVector(ctx context.Context, q queryer) (changes.Vector, error) {
	rows, err := q.QueryContext(ctx, `SELECT origin, seq FROM vector`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	v := changes.Vector{}
	for rows.Next() {
		var o string
		var seq int64
		if err := rows.Scan(&o, &seq); err != nil {
			return nil, err
		}
		v[o] = seq
	}
	return v, rows.Err()
}

// ChangesAfter lists up to limit changes this replica holds with no gap
// below them that v lacks, in origin order and sequence order within an
// origin, as they leave this device: sealed and signed when the shop is
// sealed (see sealedAfter). A limit of 0 or less lists them all.
func (s *Shop) ChangesAfter(ctx context.Context, v changes.Vector, limit int) ([]changes.Change, error) {
	if sealer := s.sealer.Load(); sealer != nil {
		out, err := s.sealedAfter(ctx, sealer, v, limit)
		if err != nil {
			return nil, storeError(s.path, err)
		}
		return out, nil
	}
	return s.logAfter(ctx, v, limit)
}

// logAfter is ChangesAfter as the log holds the changes, unsealed.
func (s *Shop) logAfter(ctx context.Context, v changes.Vector, limit int) ([]changes.Change, error) {
	origins, err := s.heldOrigins(ctx)
	if err != nil {
		return nil, err
	}
	var out []changes.Change
	for _, o := range origins {
		if limit > 0 && len(out) >= limit {
			break
		}
		n := limit - len(out)
		if limit <= 0 {
			n = -1
		}
		run, err := s.logAfterOrigin(ctx, o, v[o], n)
		if err != nil {
			return nil, err
		}
		out = append(out, run...)
	}
	return out, nil
}

// heldOrigins lists the devices whose changes this replica holds.
func (s *Shop) heldOrigins(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT origin FROM vector ORDER BY origin`)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		list = append(list, o)
	}
	return list, rows.Err()
}

// logAfterOrigin is up to n (all when n < 0) of origin's changes after
// seq, only those with no gap below them: a peer accepts an origin's
// changes in sequence, so those past a gap wait for it to fill.
func (s *Shop) logAfterOrigin(ctx context.Context, origin string, seq int64, n int) ([]changes.Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, hlc, entity, entity_id, body FROM changes
		WHERE origin = ?1 AND seq > ?2 AND seq <= (SELECT seq FROM vector WHERE origin = ?1) ORDER BY seq LIMIT ?3`, origin, seq, n)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer rows.Close()
	var out []changes.Change
	for rows.Next() {
		c := changes.Change{Origin: origin}
		var body []byte
		if err := rows.Scan(&c.Seq, &c.HLC, &c.Entity, &c.EntityID, &body); err != nil {
			return nil, err
		}
		c.Body = body
		out = append(out, c)
	}
	return out, rows.Err()
}

// Apply commits a batch of changes from other devices in one transaction.
// Changes already held are skipped; the rest materialize exactly as local
// writes do, so the same batch twice, or batches in any order, end in the
// same state. A change that breaks the shop's rules, or whose clock runs
// more than a day ahead, is logged (the vector moves past it and it is
// forwarded) but quarantined: it takes no effect, and an alert says so. It
// returns the new vector.
//
// Sealed changes are opened first. One that does not open is refused with
// the changes of its origin after it: the others are applied, and the
// vector comes back with the error that says what was refused.
//
// In a sealed shop each origin's changes must also end at a point its
// device signed (package seal); those that do not are refused the same way.
func (s *Shop) Apply(ctx context.Context, batch []changes.Change) (changes.Vector, error) {
	// A shop that can only be read takes no batch, even one it holds
	// already: sync with it would be a sync that never takes changes in.
	if err := s.ReadOnly(); err != nil {
		return nil, err
	}
	return s.applyOne(ctx, s.prepare(ctx, batch))
}

// preparedBatch is a batch opened, read and checked (Prepare), not yet
// applied.
type preparedBatch struct {
	batch   []changes.Change
	sealer  *seal.Sealer // the shop's when it was prepared
	read    []readChange
	checked seal.Checked
	err     error // the signatures could not be checked (the store failed)
}

// Changes implements changes.Prepared.
func (p *preparedBatch) Changes() []changes.Change { return p.batch }

// Prepare implements changes.Preparer: it opens, reads and checks batch,
// writing nothing, for ApplyPrepared.
func (s *Shop) Prepare(ctx context.Context, batch []changes.Change) changes.Prepared {
	return s.prepare(ctx, batch)
}

// prepare opens and reads batch's changes and checks its signatures. The
// signatures are checked on another goroutine while the changes are
// opened and read, each half of them on one: all of it is crypto and
// parsing that needs nothing of the store but the keys.
func (s *Shop) prepare(ctx context.Context, batch []changes.Change) *preparedBatch {
	p := &preparedBatch{batch: batch, sealer: s.sealer.Load()}
	checking := make(chan struct{})
	if p.sealer != nil {
		go func() {
			defer close(checking)
			p.checked, p.err = seal.CheckBatch(ctx, s, p.sealer.WritePublic(), s.shopID, batch)
		}()
	} else {
		close(checking)
	}
	p.read = readAll(p.sealer, batch)
	<-checking
	return p
}

// applyOne applies a batch prepared just now.
func (s *Shop) applyOne(ctx context.Context, p *preparedBatch) (changes.Vector, error) {
	if p.err != nil {
		return nil, storeError(s.path, p.err)
	}
	opened, reads, refused := openedOf(p.batch, p.read)
	if r := p.checked.Refused; r != nil {
		opened, reads = keptOf(opened, reads, p.checked.Kept)
		if refused == nil { // what does not open says more than its signature
			refused = &refusal{r.Change, r.Err}
		}
	}
	v, err := s.applyRead(ctx, opened, reads, p.checked.Points)
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return v, s.explain(ctx, refused)
	}
	return v, nil
}

// Checks implements changes.Checker. A device's key bound by a point of
// one batch holds for the next, as it would once that batch applied.
func (s *Shop) Checks(ctx context.Context) func([]changes.Change) error {
	keys := map[string]ed25519.PublicKey{}
	return func(batch []changes.Change) error {
		p := s.prepare(ctx, batch)
		if p.err != nil {
			return storeError(s.path, p.err)
		}
		_, _, refused := openedOf(p.batch, p.read)
		if r := p.checked.Refused; refused == nil && r != nil {
			refused = &refusal{r.Change, r.Err}
		}
		for _, pt := range p.checked.Points {
			key, seen := keys[pt.Origin]
			if !seen {
				keys[pt.Origin] = pt.Key
			} else if refused == nil && !key.Equal(pt.Key) {
				refused = &refusal{changes.Change{Origin: pt.Origin, Seq: pt.Seq}, errKeyChanged}
			}
		}
		if refused != nil {
			return s.explain(ctx, refused)
		}
		return nil
	}
}

// ApplyPrepared implements changes.Preparer. Batches that all opened,
// read and checked whole, under the shop's key of now and the device keys
// bound now, are applied as they were prepared; anything else is applied
// again from the start with Apply, which then says what was wrong exactly
// as it would have: a key bound, or the shop sealed, since a batch was
// prepared changes what checking it finds.
func (s *Shop) ApplyPrepared(ctx context.Context, batches []changes.Prepared) (changes.Vector, error) {
	if err := s.ReadOnly(); err != nil {
		return nil, err
	}
	ps := make([]*preparedBatch, 0, len(batches))
	n := 0
	for _, b := range batches {
		n += len(b.Changes())
		if p, ok := b.(*preparedBatch); ok {
			ps = append(ps, p)
		}
	}
	if len(ps) < len(batches) || !s.allClean(ctx, ps) {
		all := make([]changes.Change, 0, n)
		for _, b := range batches {
			all = append(all, b.Changes()...)
		}
		return s.Apply(ctx, all)
	}
	opened := make([]changes.Change, 0, n)
	reads := make([]readChange, 0, n)
	var points []seal.Signed
	for _, p := range ps {
		for _, r := range p.read {
			opened, reads = append(opened, r.opened), append(reads, r)
		}
		points = append(points, p.checked.Points...)
	}
	return s.applyRead(ctx, opened, reads, points)
}

// allClean reports whether prepared batches can be applied as prepared:
// every change opened and read, every signature checked, under the shop's
// sealer of now, and each origin's points all under one key, the one
// bound to it now if one is. Checking the batches as one, as Apply does,
// then finds the same.
func (s *Shop) allClean(ctx context.Context, ps []*preparedBatch) bool {
	keys := map[string]ed25519.PublicKey{}
	for _, p := range ps {
		if p.err != nil || p.checked.Refused != nil || p.sealer != s.sealer.Load() {
			return false
		}
		for _, r := range p.read {
			if r.openErr != nil || r.err != nil {
				return false
			}
		}
		for _, pt := range p.checked.Points {
			key, seen := keys[pt.Origin]
			if !seen {
				bound, err := s.KeyOf(ctx, pt.Origin)
				if err != nil {
					return false
				}
				key, keys[pt.Origin] = bound, bound
			}
			if key == nil {
				keys[pt.Origin] = pt.Key
			} else if !key.Equal(pt.Key) {
				return false
			}
		}
	}
	return true
}

// keptOf is the changes of opened that kept holds too, with what was read
// of each.
func keptOf(opened []changes.Change, reads []readChange, kept []changes.Change) ([]changes.Change, []readChange) {
	type id struct {
		origin string
		seq    int64
	}
	in := make(map[id]bool, len(kept))
	for _, c := range kept {
		in[id{c.Origin, c.Seq}] = true
	}
	outC, outR := opened[:0], reads[:0]
	for i, c := range opened {
		if in[id{c.Origin, c.Seq}] {
			outC, outR = append(outC, c), append(outR, reads[i])
		}
	}
	return outC, outR
}

// applyRead applies opened changes, each as read (validChange), and keeps
// the signed points that came with them.
func (s *Shop) applyRead(ctx context.Context, batch []changes.Change, reads []readChange, points []seal.Signed) (changes.Vector, error) {
	now := s.now() // one wall clock reading decides every stamp of the batch
	events := make([]*event, len(batch))
	stamps := make([]changes.Stamp, len(batch))
	var held []error // why each change is quarantined; nil while none is
	for i, c := range batch {
		e, st, err := reads[i].e, reads[i].st, reads[i].err
		if err != nil {
			return nil, err
		}
		if why := vetChange(c, e, st, now); why != nil {
			if held == nil {
				held = make([]error, len(batch))
			}
			held[i], e = why, nil // logged as a plain change: no ledger row
		}
		events[i], stamps[i] = e, st
	}
	// The driver watches a cancellable context with a goroutine per
	// statement, which costs more than a logged change; the batch's
	// statements run without one, and logChanges checks for cancellation
	// between them instead.
	parent, ctx := ctx, context.WithoutCancel(ctx)
	tx, done, err := s.beginRelaxed(ctx) // another device's changes, fetched again if lost
	if err != nil {
		return nil, storeError(s.path, err)
	}
	defer done()
	defer tx.Rollback()
	q := s.prepared(tx)
	defer q.close()
	var own int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes WHERE origin = ?`, s.DeviceID()).Scan(&own); err != nil {
		return nil, storeError(s.path, err)
	}
	for _, c := range batch {
		// Our own changes coming back are skipped below; one we never made
		// would collide with the next local write, so it is refused.
		if c.Origin == s.DeviceID() && c.Seq > own {
			return nil, domain.Errorf(domain.EConflict, "a change claims to come from this device (%s, seq %d) but this device never made it; refusing it so no change id is issued twice", c.Origin, c.Seq)
		}
	}
	var dv derived
	touched := map[string][]int64{} // origin → the sequences logged now
	latest := changes.Stamp{}
	var ahead aheadStamps
	logged, err := s.logChanges(ctx, parent, q, batch, events)
	if err != nil {
		if parent.Err() != nil {
			return nil, err
		}
		return nil, storeError(s.path, err)
	}
	for i, c := range batch {
		if !logged[i] {
			continue // held already: applying twice changes nothing
		}
		touched[c.Origin] = append(touched[c.Origin], c.Seq)
		if held != nil && held[i] != nil {
			if err := quarantine(ctx, q, c, held[i], now); err != nil {
				return nil, storeError(s.path, err)
			}
			continue
		}
		if err := materialize(ctx, q, c, events[i], &dv); err != nil {
			return nil, &domain.Error{Code: domain.EInvalid, Message: fmt.Sprintf("change %d from device %s cannot be applied: %v", c.Seq, c.Origin, err), Err: err}
		}
		// The clock moves past every stamp accepted, so a later local
		// edit wins over what this device has seen.
		if latest.Less(stamps[i]) {
			latest = stamps[i]
		}
		ahead.note(stamps[i], now)
	}
	if latest.Wall > 0 {
		s.clock.Observe(latest)
	}
	if err := ahead.save(ctx, q, now); err != nil {
		return nil, storeError(s.path, err)
	}
	if err := dv.flush(ctx, q); err != nil {
		return nil, storeError(s.path, err)
	}
	origins := make([]string, 0, len(touched))
	for o := range touched {
		origins = append(origins, o)
	}
	sort.Strings(origins)
	for _, o := range origins {
		if err := advanceVector(ctx, q, o, touched[o]); err != nil {
			return nil, storeError(s.path, err)
		}
	}
	if len(origins) > 0 {
		if err := setMeta(ctx, q, "clock", s.clock.Next().String()); err != nil {
			return nil, storeError(s.path, err)
		}
	}
	if err := keepPoints(ctx, q, points); err != nil {
		if errors.Is(err, errKeyChanged) {
			return nil, err
		}
		return nil, storeError(s.path, err)
	}
	v, err := readVector(ctx, q)
	if err != nil {
		return nil, storeError(s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, storeError(s.path, err)
	}
	s.committed()
	if len(origins) > 0 {
		s.walGrew()
		s.notify()
	}
	return v, nil
}

// advanceVector moves an origin's entry past every change now held with no
// gap below it: first through the sequences just logged, which are in
// hand, then through any held from before, past a gap they filled.
func advanceVector(ctx context.Context, q queryer, origin string, logged []int64) error {
	var next int64
	err := q.QueryRowContext(ctx, `SELECT coalesce((SELECT seq FROM vector WHERE origin = ?), 0)`, origin).Scan(&next)
	if err != nil {
		return err
	}
	slices.Sort(logged)
	for _, seq := range logged {
		if seq > next+1 {
			break
		}
		next = max(next, seq)
	}
	rows, err := q.QueryContext(ctx, `SELECT seq FROM changes WHERE origin = ? AND seq > ? ORDER BY seq`, origin, next)
	if err != nil {
		return err
	}
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			rows.Close()
			return err
		}
		if seq != next+1 {
			break
		}
		next = seq
	}
	rows.Close()
	// The row is written even when nothing advanced, so an origin known
	// only past a gap is still listed by ChangesAfter.
	_, err = q.ExecContext(ctx, `INSERT INTO vector (origin, seq) VALUES (?, ?)
		ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq`, origin, next)
	return err
}

// validChange checks a change's envelope before anything is written, and
// decodes its stamp and, for an event, its body: decoding checks the JSON
// too, so an event's body is read once. A change that fails here cannot be
// logged or forwarded as it is (sync's wire refuses the same), so the batch
// is refused; one that is well formed but breaks the shop's rules is
// quarantined instead (see vetChange). The event is nil when the change is
// not one this build can read as an event.
func validChange(c changes.Change) (*event, changes.Stamp, error) {
	bad := func(why string) (*event, changes.Stamp, error) {
		return nil, changes.Stamp{}, domain.Errorf(domain.EInvalid, "change %d from device %s is malformed: %s", c.Seq, domain.QuoteShort(c.Origin), why)
	}
	switch {
	case c.Origin == "":
		return bad("it has no origin device")
	case c.Seq < 1:
		return bad("its sequence is below 1")
	case c.Entity == "" || c.EntityID == "":
		return bad("it names no entity")
	}
	st, err := changes.ParseStamp(c.HLC)
	if err != nil || c.HLC == "" {
		return bad("its clock stamp is malformed")
	}
	if isEvent(c.Entity) {
		if e, ok := decodeEvent(c); ok {
			return e, st, nil
		}
	}
	if !json.Valid(c.Body) {
		return bad("its body is not JSON")
	}
	return nil, st, nil
}
