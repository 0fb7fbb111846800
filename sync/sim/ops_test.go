package sim_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/changes"
)

// operate makes one random local operation on r, as a person at that
// device would: sales, receipts, returns, counts, QA decisions and edits of
// a few SKUs' fields, each event at a distinct moment.
func (w *world) operate(r *replica) {
	p := w.rng.IntN(100)
	switch {
	case p < 18:
		w.sell(r)
	case p < 30:
		w.receive(r)
	case p < 36:
		w.order(r)
	case p < 42:
		w.giveBack(r)
	case p < 48:
		w.count(r)
	case p < 52:
		w.adjust(r)
	case p < 59:
		w.decideQA(r)
	case p < 65:
		w.decideQATwice()
	case p < 83:
		w.edit(r)
	case p < 88:
		w.pauseOrResume(r)
	default:
		w.report(r)
	}
}

// editedSKU picks one of the SKUs edits concentrate on, mostly the first.
func (w *world) editedSKU() string {
	return []string{"MUG", "MUG", "MUG", "TEE", "TEE", "CAP"}[w.rng.IntN(6)]
}

func (w *world) anySKU() string { return w.skus[w.rng.IntN(len(w.skus))].code }

func (w *world) sell(r *replica) {
	code := w.anySKU()
	w.local(r, "sell "+code, func() ([]*simEvent, error) {
		at := w.at(r)
		qty := 1 + w.rng.IntN(3)
		res, err := r.shop.Sell(w.ctx, app.Sale{Code: code, Qty: qty, At: at, Force: true})
		return []*simEvent{{id: res.ID, kind: "sale", sku: w.skuID(code), at: at.UnixMilli(), qty: qty}}, err
	})
}

func (w *world) order(r *replica) {
	code := w.anySKU()
	qty := 10 + w.rng.IntN(21)
	var b domain.Batch
	made := w.local(r, fmt.Sprintf("order %d %s", qty, code), func() ([]*simEvent, error) {
		o, err := r.shop.OrderBatch(w.ctx, app.Order{Code: code, Qty: qty, At: w.at(r)})
		b = o.Batch
		return nil, err
	})
	for _, c := range made {
		if c.Entity == "batch" && c.EntityID == b.ID {
			w.batches = append(w.batches, &simBatch{id: b.ID, sku: code, order: cid{c.Origin, c.Seq}, orderedAt: b.OrderedAt})
			return
		}
	}
	if b.ID != "" {
		w.t.Fatalf("ordering batch %s made no change for it", b.ID)
	}
}

// knownBatches are the batches r holds, in the order they were made.
func (w *world) knownBatches(r *replica) []*simBatch {
	var out []*simBatch
	for _, b := range w.batches {
		if r.seen[b.order] {
			out = append(out, b)
		}
	}
	return out
}

func (w *world) receive(r *replica) {
	known := w.knownBatches(r)
	if len(known) == 0 {
		w.order(r)
		return
	}
	b := known[w.rng.IntN(len(known))]
	qty := 1 + w.rng.IntN(6)
	w.local(r, fmt.Sprintf("receive %d of batch %s", qty, short(b.id)), func() ([]*simEvent, error) {
		at := w.at(r)
		rc, err := r.shop.ReceiveBatch(w.ctx, b.id, qty, at)
		if err != nil {
			return nil, err
		}
		b.receipts = append(b.receipts, rc.ReceiptID)
		return []*simEvent{{id: rc.ReceiptID, kind: "receipt", sku: w.skuID(b.sku), at: at.UnixMilli(), qty: qty, held: rc.HeldUnits, batch: b.id}}, nil
	})
}

func (w *world) giveBack(r *replica) {
	code := w.anySKU()
	reasons := domain.ReturnReasons()
	reason := reasons[w.rng.IntN(len(reasons))]
	restock := w.rng.IntN(2) == 0
	w.local(r, fmt.Sprintf("return %s (%s, restock %v)", code, reason, restock), func() ([]*simEvent, error) {
		at := w.at(r)
		qty := 1 + w.rng.IntN(2)
		res, err := r.shop.RecordReturn(w.ctx, app.Return{Code: code, Qty: qty, Reason: reason, Restock: restock, At: at})
		return []*simEvent{{id: res.ID, kind: "return", sku: w.skuID(code), at: at.UnixMilli(), qty: qty, restock: restock}}, err
	})
}

func (w *world) count(r *replica) {
	code := w.anySKU()
	qty := w.rng.IntN(31)
	w.local(r, fmt.Sprintf("count %d %s", qty, code), func() ([]*simEvent, error) {
		at := w.at(r)
		id, err := r.shop.Count(w.ctx, code, qty, at)
		return []*simEvent{{id: id, kind: "count", sku: w.skuID(code), at: at.UnixMilli(), qty: qty}}, err
	})
}

func (w *world) adjust(r *replica) {
	code := w.anySKU()
	qty := 1 + w.rng.IntN(5)
	if w.rng.IntN(2) == 0 {
		qty = -qty
	}
	w.local(r, fmt.Sprintf("adjust %s by %d", code, qty), func() ([]*simEvent, error) {
		at := w.at(r)
		id, err := r.shop.Adjust(w.ctx, code, qty, "found in the sim", at)
		return []*simEvent{{id: id, kind: "adjustment", sku: w.skuID(code), at: at.UnixMilli(), qty: qty}}, err
	})
}

// heldBatch picks a batch r holds with held units r knows of; ok is false
// when there is none.
func (w *world) heldBatch(r *replica) (*simBatch, int64, bool) {
	var cands []*simBatch
	for _, b := range w.knownBatches(r) {
		for _, id := range b.receipts {
			if e := w.events[id]; e.held > 0 && r.seen[e.change] {
				cands = append(cands, b)
				break
			}
		}
	}
	if len(cands) == 0 {
		return nil, 0, false
	}
	b := cands[w.rng.IntN(len(cands))]
	// Decide after every receipt r knows of, so the held units count.
	var last int64
	for _, id := range b.receipts {
		if e := w.events[id]; r.seen[e.change] {
			last = max(last, e.at)
		}
	}
	return b, last, true
}

func (w *world) decideQA(r *replica) {
	b, last, ok := w.heldBatch(r)
	if !ok {
		w.receive(r)
		return
	}
	w.decide(r, b, last)
}

func (w *world) decide(r *replica, b *simBatch, last int64) {
	pass := w.rng.IntN(3) > 0
	w.local(r, fmt.Sprintf("QA of batch %s: pass %v", short(b.id), pass), func() ([]*simEvent, error) {
		// Decided now, or recorded late: any time after the receipts r
		// knows of.
		ms := max(r.clock.Now().UnixMilli(), last+1)
		if now := r.clock.Now().UnixMilli(); now > last+1 && w.rng.IntN(2) == 0 {
			ms = last + 1 + w.rng.Int64N(now-last)
		}
		at := w.atLeast(ms)
		_, err := r.shop.DecideQA(w.ctx, b.id, pass, "sim on "+r.name, at)
		return nil, err
	})
}

// decideQATwice has two devices decide on the same held batch without
// hearing of each other.
func (w *world) decideQATwice() {
	type pick struct {
		b    *simBatch
		reps []*replica
		last []int64
	}
	var picks []pick
	for _, b := range w.batches {
		p := pick{b: b}
		for _, r := range w.reps {
			if !r.seen[b.order] {
				continue
			}
			var last int64
			held := false
			for _, id := range b.receipts {
				if e := w.events[id]; r.seen[e.change] {
					last, held = max(last, e.at), held || e.held > 0
				}
			}
			if held {
				p.reps, p.last = append(p.reps, r), append(p.last, last)
			}
		}
		if len(p.reps) >= 2 {
			picks = append(picks, p)
		}
	}
	if len(picks) == 0 {
		w.decideQA(w.reps[w.rng.IntN(len(w.reps))])
		return
	}
	p := picks[w.rng.IntN(len(picks))]
	i := w.rng.IntN(len(p.reps))
	j := (i + 1 + w.rng.IntN(len(p.reps)-1)) % len(p.reps)
	w.stats.concurrentQA++
	w.decide(p.reps[i], p.b, p.last[i])
	w.decide(p.reps[j], p.b, p.last[j])
}

// edit changes a field of one of the few edited SKUs: name, price or lead
// time. There is no edit of a factory's fields in the app, so factories'
// fields change through pause, resume and QA decisions.
func (w *world) edit(r *replica) {
	code := w.editedSKU()
	var f app.SKUFields
	what := ""
	switch w.rng.IntN(3) {
	case 0:
		name := fmt.Sprintf("%s from %s at step %d", code, r.name, w.step)
		f.Name, what = &name, "name "+name
	case 1:
		price := domain.Money(100 * (5 + w.rng.IntN(40)))
		f.Price, what = &price, fmt.Sprintf("price %d", price)
	case 2:
		lead := 1 + w.rng.IntN(60)
		f.LeadDays, what = &lead, fmt.Sprintf("lead time %d", lead)
	}
	w.local(r, "edit "+code+" "+what, func() ([]*simEvent, error) {
		_, err := r.shop.EditSKU(w.ctx, code, f)
		return nil, err
	})
}

func (w *world) pauseOrResume(r *replica) {
	name := w.factories[w.rng.IntN(len(w.factories))]
	if w.rng.IntN(3) == 0 {
		w.local(r, "pause "+name, func() ([]*simEvent, error) {
			return nil, r.shop.PauseFactory(w.ctx, name, "paused in the sim by "+r.name)
		})
		return
	}
	w.local(r, "resume "+name, func() ([]*simEvent, error) {
		return nil, r.shop.ResumeFactory(w.ctx, name)
	})
}

// report reads one SKU's stock as of a day near r's clock, which may leave
// a stock checkpoint behind, and compares it with the oracle's replay
// of what r holds.
func (w *world) report(r *replica) {
	code := w.anySKU()
	// A report's window is the 28 days up to its day, and a checkpoint is
	// saved at the window's start when that is past: days about four weeks
	// ahead leave checkpoints among the events, which events recorded late
	// or by a device whose clock is behind must invalidate.
	day := r.clock.Now().AddDate(0, 0, 27-w.rng.IntN(3))
	if w.rng.IntN(3) == 0 {
		day = r.clock.Now().AddDate(0, 0, w.rng.IntN(7)-3)
	}
	asOf := r.shop.AsOfDate(day)
	rows, err := r.shop.Stock(w.ctx, asOf, code)
	want := w.oracle(w.skuID(code), asOf.End.UnixMilli(), w.qaSeenBy(r), func(e *simEvent) bool { return r.seen[e.change] })
	if domain.ErrorCode(err) == domain.ENotFound && want == (level{}) {
		// A day before the SKU was added, with nothing of it recorded by
		// then: a report of that day has no such SKU.
		w.logf("%s reports %s as of %s: not added yet", r.name, code, day.Format(time.DateOnly))
		return
	}
	if err != nil {
		w.t.Fatal(err)
	}
	w.logf("%s reports %s as of %s: on hand %d held %d", r.name, code, day.Format(time.DateOnly), rows[0].OnHand, rows[0].Held)
	if got := (level{rows[0].OnHand, rows[0].Held}); got != want {
		w.t.Fatalf("%s: stock of %s as of %s = %+v, want %+v from the events it holds", r.name, code, day.Format(time.DateOnly), got, want)
	}
}

// checkCheckpoint reads stock as of a moment that replays from one of r's
// stock checkpoints, if it has any, and compares it with the oracle's
// replay of what r holds: a change that arrived after the checkpoint was
// saved, an event before it or a QA decision, must have invalidated it.
func (w *world) checkCheckpoint(r *replica, batch []changes.Change) {
	points := query(w.t, r.shop.Path(), `SELECT sku_id, at FROM stock_checkpoints ORDER BY sku_id`)
	if len(points) == 0 {
		return
	}
	// Prefer the checkpoint of a SKU the batch moved.
	touched := map[string]bool{}
	for _, c := range batch {
		if e := w.events[c.EntityID]; e != nil {
			touched[e.sku] = true
		}
		for _, b := range w.batches {
			if c.Entity == "batch" && b.id == c.EntityID {
				touched[w.skuID(b.sku)] = true
			}
		}
	}
	p := points[w.rng.IntN(len(points))]
	for _, q := range points {
		if touched[q[0]] {
			p = q
			break
		}
	}
	var at int64
	fmt.Sscan(p[1], &at)
	code := ""
	for _, s := range w.skus {
		if s.id == p[0] {
			code = s.code
		}
	}
	// A window starts 27 days before its day, so this one starts at or
	// just after the checkpoint.
	day := time.UnixMilli(at).UTC().AddDate(0, 0, 27+w.rng.IntN(3))
	asOf := r.shop.AsOfDate(day)
	rows, err := r.shop.Stock(w.ctx, asOf, code)
	if domain.ErrorCode(err) == domain.ENotFound && w.skusListed(r, asOf.End.UnixMilli()) < len(w.skus) {
		// A day before the SKU was added, on a clock ahead of it, with
		// nothing of it before: that day's report has no such SKU.
		w.logf("%s reports %s as of %s: %v", r.name, code, day.Format(time.DateOnly), err)
		return
	}
	if err != nil {
		w.t.Fatal(err)
	}
	want := w.oracle(p[0], asOf.End.UnixMilli(), w.qaSeenBy(r), func(e *simEvent) bool { return r.seen[e.change] })
	w.logf("%s reports %s as of %s from its checkpoint at %s: on hand %d held %d", r.name, code, day.Format(time.DateOnly),
		time.UnixMilli(at).UTC().Format(time.DateOnly), rows[0].OnHand, rows[0].Held)
	if got := (level{rows[0].OnHand, rows[0].Held}); got != want {
		w.t.Fatalf("%s: stock of %s as of %s, replayed from its checkpoint at %s, = %+v, want %+v from the events it holds",
			r.name, code, day.Format(time.DateOnly), time.UnixMilli(at).UTC().Format(time.DateOnly), got, want)
	}
}

// local runs one operation on r and records what it made: the events it
// asked for must each be made once, exactly as asked, and every field a
// record change sets must name as replaced the version the simulation
// knows r held. A refused operation must make no change.
func (w *world) local(r *replica, what string, do func() ([]*simEvent, error)) []changes.Change {
	w.t.Helper()
	want, err := do()
	made := w.captureAll(r)
	if err != nil {
		if code := domain.ErrorCode(err); code != domain.EConflict && code != domain.EInvalid && code != domain.EShort {
			w.t.Fatalf("%s on %s: %v", what, r.name, err)
		}
		if len(made) > 0 {
			w.t.Fatalf("%s on %s was refused (%v) but made %d changes", what, r.name, err, len(made))
		}
		w.stats.refused++
		w.logf("%s on %s refused: %s", what, r.name, domain.ErrorMessage(err))
		return nil
	}
	w.logf("%s on %s: %s", what, r.name, describe(made))
	for _, e := range want {
		var found []changes.Change
		for _, c := range made {
			if c.EntityID == e.id {
				found = append(found, c)
			}
		}
		if len(found) != 1 || found[0].Entity != e.kind {
			w.t.Fatalf("%s on %s: event %s made as %d changes %s, want one %s", what, r.name, e.id, len(found), describe(found), e.kind)
		}
		c := found[0]
		var body struct {
			SKU     string `json:"sku_id"`
			At      int64  `json:"at"`
			Qty     int    `json:"qty"`
			Held    int    `json:"held"`
			Batch   string `json:"batch_id"`
			Restock bool   `json:"restock"`
		}
		if err := json.Unmarshal(c.Body, &body); err != nil {
			w.t.Fatal(err)
		}
		if got := (simEvent{id: e.id, kind: c.Entity, sku: body.SKU, at: body.At, qty: body.Qty, held: body.Held, batch: body.Batch, restock: body.Restock}); got != *e {
			w.t.Fatalf("%s on %s: event recorded as %+v, want %+v", what, r.name, got, *e)
		}
		e.change = cid{c.Origin, c.Seq}
		w.events[e.id] = e
		w.eventIDs = append(w.eventIDs, e.id)
	}
	for _, c := range made {
		if isEvent(c.Entity) && w.events[c.EntityID] == nil {
			w.t.Fatalf("%s on %s made an event nobody asked for: %s %s", what, r.name, c.Entity, c.Body)
		}
	}
	return made
}

func isEvent(entity string) bool {
	return slices.Contains([]string{"sale", "void", "receipt", "return", "count", "adjustment"}, entity)
}

// captureAll lists the changes r made since the last capture and records
// their field versions.
func (w *world) captureAll(r *replica) []changes.Change {
	w.t.Helper()
	v := w.vector(r)
	v[r.device()] = r.made
	cs, err := r.shop.ChangesAfter(w.ctx, v, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	cs = w.opened(cs)
	for _, c := range cs {
		if c.Origin != r.device() || c.Seq != r.made+1 {
			w.t.Fatalf("%s made change %s/%d, want %s/%d", r.name, c.Origin, c.Seq, r.device(), r.made+1)
		}
		r.made++
		if !isEvent(c.Entity) {
			w.recordVersions(r, c)
		}
		r.seen[cid{c.Origin, c.Seq}] = true
	}
	return cs
}

// recordVersions notes every field a record change sets, with the versions
// it replaced as the simulation sees them, and checks the change names the
// same.
func (w *world) recordVersions(r *replica, c changes.Change) {
	var body changes.RecordBody
	if err := json.Unmarshal(c.Body, &body); err != nil {
		w.t.Fatalf("record change %s/%d: %v", c.Origin, c.Seq, err)
	}
	ri := slices.Index(w.reps, r)
	fields := make([]string, 0, len(body))
	for f := range body {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		key := fieldKey{c.Entity, c.EntityID, f}
		want := w.heldVersions(r, key)
		base := ""
		if len(want) > 0 {
			base = want[0]
		}
		if got := body[f].Base; !slices.Equal(got, want) {
			w.t.Fatalf("%s wrote %s.%s of %s replacing %v, but it held %v as the value in force and those lost in conflicts", r.name, c.Entity, f, short(c.EntityID), got, want)
		}
		if base != "" && c.HLC <= base {
			w.t.Fatalf("%s wrote %s.%s with stamp %s, not after the %s it replaced", r.name, c.Entity, f, c.HLC, base)
		}
		w.fields[key] = append(w.fields[key], &version{stamp: c.HLC, value: string(body[f].Value), bases: want, change: cid{c.Origin, c.Seq}, writer: ri})
	}
}

// heldVersions are the versions of a field that an edit on r replaces:
// the value in force there (the latest stamp r has seen) first, then, by
// stamp, every other version r has seen that none it has seen replaced
// and that says something else, which r lists as lost in a conflict. An
// edit made where both are known comes after both, and settles their
// conflict.
func (w *world) heldVersions(r *replica, key fieldKey) []string {
	var seen []*version
	var winner *version
	replaced := map[string]bool{}
	for _, v := range w.fields[key] {
		if !r.seen[v.change] {
			continue
		}
		seen = append(seen, v)
		if winner == nil || v.stamp > winner.stamp {
			winner = v
		}
		for _, b := range v.bases {
			replaced[b] = true
		}
	}
	if winner == nil {
		return nil
	}
	var lost []string
	for _, v := range seen {
		if v != winner && !replaced[v.stamp] && !sameToPeople(key, v.value, winner.value) {
			lost = append(lost, v.stamp)
		}
	}
	slices.Sort(lost)
	return append([]string{winner.stamp}, lost...)
}
