package sim_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/relay"
	"microshop/sync/seal"
)

// start is a Monday noon, far from daylight-saving changes; replicas' clocks
// are skewed by hours around it.
var start = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// maxSpread is how far behind the latest time any clock has shown a
// replica's clock may fall. A stamp more than changes.MaxDrift ahead of a
// receiver's wall clock is quarantined, not applied (app's quarantine tests
// cover that), while the oracle here expects every change to apply; so the
// simulated clocks disagree by hours, going back and skewed, but stay
// within the drift the design accepts.
const maxSpread = changes.MaxDrift - 2*time.Hour

// maxInFlight is how many batches a sender has unacknowledged at most, as
// the real client does.
const maxInFlight = 4

// cid is a change's id: its origin device and sequence.
type cid struct {
	origin string
	seq    int64
}

// fakeClock is a replica's wall clock, moved by the simulation.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// pipe is one direction of a replica's connection to the relay: the batches
// in flight, and what the sender believes the receiver holds.
type pipe struct {
	flight [][]changes.Change
	sent   changes.Vector // acked, plus everything sent since
	acked  changes.Vector // as of the last acknowledgement that arrived
}

// replica is one device: its shop, its clock, the change ids it holds (as
// the simulation delivered them, not as the shop reports), and its
// connection to the relay.
type replica struct {
	name    string
	shop    *app.Shop
	clock   *fakeClock
	seen    map[cid]bool
	made    int64 // changes this device made
	online  bool
	healsAt int  // the step a partition ends
	up      pipe // replica → relay
	down    pipe // relay → replica
}

func (r *replica) device() string { return r.shop.DeviceID() }

// peer is r as sync sees it: the simulated wire reaches replicas only
// through changes.Replica, as the real client and bundles do.
func (r *replica) peer() changes.Replica { return r.shop }

// hub is the relay's change store as the relay's sessions see it.
func (w *world) hub() relay.Store { return w.store }

// world is one run of the simulation and the oracle's record of everything
// that happened in it.
type world struct {
	t      *testing.T
	ctx    context.Context
	rng    *rand.Rand
	dir    string
	shopID string
	invite app.Invite   // what a replica of the shop needs
	sealer *seal.Sealer // opens what travels, for the checks
	store  *relay.SQLiteStore
	relay  map[cid]bool // what the relay holds
	relayV changes.Vector
	reps   []*replica

	skus      []skuInfo
	factories []string
	batches   []*simBatch
	events    map[string]*simEvent // by id
	eventIDs  []string             // in the order made
	fields    map[fieldKey][]*version
	used      map[int64]bool // event and decision times taken, in unix ms

	latest time.Time // the latest time any replica's clock has shown

	step  int
	trail []string
	stats *stats
}

type skuInfo struct {
	code, id string
}

// simEvent is an event as the simulation asked for it.
type simEvent struct {
	id      string
	kind    string
	sku     string // SKU id
	at      int64
	qty     int
	held    int
	batch   string
	restock bool
	change  cid
}

type simBatch struct {
	id        string
	sku       string // code
	order     cid    // the change that created it
	orderedAt int64
	receipts  []string // event ids
}

// fieldKey names one field of one record.
type fieldKey struct {
	entity, id, field string
}

// version is one value written to a record field: its stamp, its value, and
// the stamp it replaced as the simulation sees it: the highest stamp among
// the versions of the field its writer had seen.
type version struct {
	stamp  string
	value  string
	bases  []string // the versions it replaced: the value in force and those lost in conflicts, as its writer held them
	change cid
	writer int // index of the replica that wrote it
}

func newWorld(t *testing.T, seed uint64) *world {
	t.Helper()
	w := &world{
		t: t, ctx: context.Background(), dir: t.TempDir(),
		rng:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		relay:  map[cid]bool{},
		relayV: changes.Vector{},
		events: map[string]*simEvent{},
		fields: map[fieldKey][]*version{},
		used:   map[int64]bool{},
		stats:  &stats{},
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d failed after these steps:\n%s", seed, strings.Join(w.trail, "\n"))
		}
	})
	var err error
	if w.store, err = relay.OpenSQLiteStore(filepath.Join(w.dir, "relay")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.store.Close() })

	n := 3 + w.rng.IntN(4)
	for i := range n {
		skew := time.Duration(w.rng.IntN(17)-8) * time.Hour // ±8 hours
		r := &replica{name: fmt.Sprintf("r%d", i), clock: &fakeClock{t: start.Add(skew)}, seen: map[cid]bool{}, online: true}
		path := filepath.Join(w.dir, r.name+".db")
		opts := app.Options{Now: r.clock.Now, Location: time.UTC}
		if i == 0 {
			r.shop, err = app.Create(path, app.NewShop{Name: "Sim Shop", Device: r.name}, opts)
			if err == nil {
				w.shopID = r.shop.ShopID()
				w.invite = apptest.InviteOf(t, r.shop)
				w.sealer = seal.New(w.shopID, w.invite.Key)
			}
		} else {
			r.shop, err = app.CreateReplica(path, w.invite, r.name, opts)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.shop.Close() })
		w.reps = append(w.reps, r)
	}
	w.setup()
	return w
}

// setup makes the catalogue on the first replica and gives it to everyone
// before the faults begin: a new factory, whose receipts are held for QA,
// an established one, and four SKUs.
func (w *world) setup() {
	r := w.reps[0]
	w.captureAll(r) // the shop record made by Create
	for _, f := range []domain.Factory{
		{Name: "Fab", Kind: domain.KindMicrofactory, LeadDays: 10},
		{Name: "Works", Kind: domain.KindWorkshop, LeadDays: 3, Established: true},
	} {
		w.local(r, "add factory "+f.Name, func() ([]*simEvent, error) {
			_, err := r.shop.AddFactory(w.ctx, f)
			return nil, err
		})
		w.factories = append(w.factories, f.Name)
	}
	for _, s := range []struct{ code, factory string }{{"MUG", "Fab"}, {"TEE", "Fab"}, {"CAP", "Fab"}, {"PIN", "Works"}} {
		path, factory := domain.PathMicrofactory, s.factory
		price, cost, name := domain.Money(1500), domain.Money(400), "Item "+s.code
		var id string
		w.local(r, "add SKU "+s.code, func() ([]*simEvent, error) {
			sku, err := r.shop.AddSKU(w.ctx, s.code, app.SKUFields{Name: &name, Path: &path, Factory: &factory, Price: &price, Cost: &cost})
			id = sku.ID
			return nil, err
		})
		w.skus = append(w.skus, skuInfo{code: s.code, id: id})
		w.local(r, "count "+s.code, func() ([]*simEvent, error) {
			at := w.at(r)
			id, err := r.shop.Count(w.ctx, s.code, 20, at)
			return []*simEvent{{id: id, kind: "count", sku: w.skuID(s.code), at: at.UnixMilli(), qty: 20}}, err
		})
	}
	for _, r := range w.reps {
		w.reset(r, true)
	}
	w.syncAll()
}

func (w *world) skuID(code string) string {
	for _, s := range w.skus {
		if s.code == code {
			return s.id
		}
	}
	w.t.Fatalf("no SKU %s", code)
	return ""
}

func (w *world) logf(format string, args ...any) {
	w.trail = append(w.trail, fmt.Sprintf("%4d ", w.step)+fmt.Sprintf(format, args...))
	if len(w.trail) > 60 {
		w.trail = w.trail[1:]
	}
}

// at is a new event time: usually r's clock, sometimes up to two days
// either side of it, as when someone records a sale made yesterday. It is a
// millisecond no other event or QA decision has, so the oracle replays
// without ties.
func (w *world) at(r *replica) time.Time {
	d := time.Duration(w.rng.IntN(60_000)) * time.Millisecond
	if w.rng.IntN(10) < 3 {
		d = time.Duration(w.rng.Int64N(int64(96*time.Hour))) - 48*time.Hour
	}
	return w.atLeast(r.clock.Now().Add(d).UnixMilli())
}

func (w *world) atLeast(ms int64) time.Time {
	for w.used[ms] {
		ms++
	}
	w.used[ms] = true
	return time.UnixMilli(ms).UTC()
}

// run plays steps: local operations, deliveries and faults.
func (w *world) run(steps int) {
	for w.step = 1; w.step <= steps; w.step++ {
		w.tick()
		switch p := w.rng.IntN(100); {
		case p < 40:
			w.operate(w.reps[w.rng.IntN(len(w.reps))])
		case p < 94:
			w.transport()
		default:
			w.fault()
		}
	}
}

// tick moves every clock on by up to 20 minutes and now and then one back
// by up to three days, or as far as maxSpread allows; partitions whose time
// is up heal.
func (w *world) tick() {
	for _, r := range w.reps {
		r.clock.Add(time.Duration(1+w.rng.IntN(20*60)) * time.Second)
		if now := r.clock.Now(); now.After(w.latest) {
			w.latest = now
		}
	}
	for _, r := range w.reps {
		if lag := w.latest.Sub(r.clock.Now()); lag > maxSpread {
			r.clock.Add(lag - maxSpread) // someone sets it right
		}
		room := maxSpread - w.latest.Sub(r.clock.Now())
		if w.rng.IntN(60) == 0 && room >= time.Hour {
			back := min(time.Duration(1+w.rng.IntN(72))*time.Hour, room)
			r.clock.Add(-back)
			w.stats.clockBack++
			w.logf("%s clock goes back %s to %s", r.name, back, r.clock.Now().Format(time.DateTime))
		}
		if !r.online && w.step >= r.healsAt {
			r.online = true
			w.reset(r, w.rng.IntN(2) == 0)
			w.logf("%s back online", r.name)
		}
	}
}

// fault is a partition, a dropped connection or a relay restart.
func (w *world) fault() {
	r := w.reps[w.rng.IntN(len(w.reps))]
	switch w.rng.IntN(6) {
	case 0, 1, 2:
		if r.online {
			r.online, r.healsAt = false, w.step+5+w.rng.IntN(40)
			w.reset(r, false)
			w.stats.partitions++
			w.logf("%s offline until step %d", r.name, r.healsAt)
		}
	case 3, 4:
		learn := w.rng.IntN(2) == 0
		w.reset(r, learn)
		w.logf("%s reconnects (learning vectors: %v)", r.name, learn)
	case 5:
		w.restartRelay()
	}
}

// restartRelay closes the change store and opens it again: every
// connection drops, and the store must still hold every change it acked.
func (w *world) restartRelay() {
	if err := w.store.Close(); err != nil {
		w.t.Fatal(err)
	}
	var err error
	if w.store, err = relay.OpenSQLiteStore(filepath.Join(w.dir, "relay")); err != nil {
		w.t.Fatal(err)
	}
	v := w.relayVector()
	if !sameVector(v, w.relayV) {
		w.t.Fatalf("after a restart the relay holds %v, want %v", v, w.relayV)
	}
	for _, r := range w.reps {
		w.reset(r, w.rng.IntN(2) == 0)
	}
	w.stats.restarts++
	w.logf("relay restarts")
}

// reset drops r's connection: batches in flight are lost. On reconnecting
// the two sides either exchange vectors (learn) or resume from the last
// acknowledgements they got, resending what may have arrived already.
func (w *world) reset(r *replica, learn bool) {
	r.up.flight, r.down.flight = nil, nil
	if learn || r.up.acked == nil {
		r.up.acked = w.relayVector()
		r.down.acked = w.vector(r)
	}
	r.up.sent, r.down.sent = r.up.acked.Clone(), r.down.acked.Clone()
}

func (w *world) relayVector() changes.Vector {
	v, err := w.hub().Vector(w.ctx, w.shopID)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *world) vector(r *replica) changes.Vector {
	v, err := r.peer().Vector(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

// syncAll exchanges everything through the relay with no faults until every
// replica and the relay hold the same changes.
func (w *world) syncAll() {
	for round := 0; ; round++ {
		if round == 10 {
			w.t.Fatalf("no convergence after %d fault-free rounds", round)
		}
		for _, r := range w.reps {
			for {
				v := w.relayVector()
				cs, err := r.peer().ChangesAfter(w.ctx, v, 50)
				if err != nil {
					w.t.Fatal(err)
				}
				w.checkOrder(cs, v, r.name)
				if len(cs) == 0 {
					break
				}
				w.appendToRelay(r, cs, true)
			}
		}
		for _, r := range w.reps {
			for {
				v := w.vector(r)
				cs, err := relay.SignedChangesAfter(w.ctx, w.hub(), w.shopID, v, 50, 1<<20)
				if err != nil {
					w.t.Fatal(err)
				}
				w.checkOrder(cs, v, "relay")
				if len(cs) == 0 {
					break
				}
				w.applyToReplica(r, cs, true)
			}
		}
		done := true
		for _, r := range w.reps {
			if !sameVector(w.vector(r), w.relayV) {
				done = false
			}
		}
		if done {
			return
		}
	}
}

// heal ends every partition and syncs everyone through the relay.
func (w *world) heal() {
	w.logf("heal")
	for _, r := range w.reps {
		r.online = true
		w.reset(r, true)
	}
	w.syncAll()
}

// transport moves one batch on a random online replica's connection.
func (w *world) transport() {
	var online []*replica
	for _, r := range w.reps {
		if r.online {
			online = append(online, r)
		}
	}
	if len(online) == 0 {
		return
	}
	r := online[w.rng.IntN(len(online))]
	switch w.rng.IntN(4) {
	case 0:
		for range 1 + w.rng.IntN(3) {
			w.sendUp(r)
		}
	case 1:
		w.deliver(r, &r.up, "up")
	case 2:
		for range 1 + w.rng.IntN(3) {
			w.sendDown(r)
		}
	case 3:
		w.deliver(r, &r.down, "down")
	}
}

// sendUp puts r's next batch for the relay on the wire. With nothing in
// flight the sender resumes from the last acknowledgement, which resends
// whatever was lost.
func (w *world) sendUp(r *replica) {
	p := &r.up
	if len(p.flight) == 0 {
		p.sent = p.acked.Clone()
	}
	if len(p.flight) >= maxInFlight {
		return
	}
	cs, err := r.peer().ChangesAfter(w.ctx, p.sent, 1+w.rng.IntN(8))
	if err != nil {
		w.t.Fatal(err)
	}
	w.checkOrder(cs, p.sent, r.name)
	if len(cs) > 0 {
		advance(p.sent, cs)
		p.flight = append(p.flight, cs)
		w.logf("%s sends %s up", r.name, describe(cs))
	}
}

// sendDown puts the relay's next batch for r on the wire.
func (w *world) sendDown(r *replica) {
	p := &r.down
	if len(p.flight) == 0 {
		p.sent = p.acked.Clone()
	}
	if len(p.flight) >= maxInFlight {
		return
	}
	maxBytes := 256 << 10
	if w.rng.IntN(4) == 0 {
		maxBytes = 1 + w.rng.IntN(1500) // small: often a single change
	}
	cs, err := relay.SignedChangesAfter(w.ctx, w.hub(), w.shopID, p.sent, 1+w.rng.IntN(8), maxBytes)
	if err != nil {
		w.t.Fatal(err)
	}
	w.checkOrder(cs, p.sent, "relay")
	if len(cs) > 0 {
		advance(p.sent, cs)
		p.flight = append(p.flight, cs)
		w.logf("relay sends %s down to %s", describe(cs), r.name)
	}
}

// checkOrder makes sure a sender lists changes as a receiver holding v
// can take them (DESIGN.md sections 4 and 6): by origin, each origin's in
// sequence with no gap, from right after v. A sealed origin's changes go
// in the runs their device signed, so the receiver can check each run's
// point: the points listed chain, each signing from right after the one
// before, the first from where the listing begins, and the listing ends on
// a point. So the one thing a sender may send that the receiver holds is
// the start of a signed run it sends whole for what the run holds past v:
// the listing then begins where the run's point does, at or below v, and
// the receiver skips what it holds.
func (w *world) checkOrder(cs []changes.Change, v changes.Vector, who string) {
	w.t.Helper()
	for i := 0; i < len(cs); {
		if i > 0 && cs[i].Origin < cs[i-1].Origin {
			w.t.Fatalf("%s lists origin %s after %s", who, cs[i].Origin, cs[i-1].Origin)
		}
		j := i + 1
		for j < len(cs) && cs[j].Origin == cs[i].Origin {
			j++
		}
		w.checkRun(cs[i:j], v, who)
		i = j
	}
}

// checkRun checks one origin's changes of a listing after v.
func (w *world) checkRun(run []changes.Change, v changes.Vector, who string) {
	w.t.Helper()
	o, first := run[0].Origin, run[0].Seq
	for k, c := range run {
		if c.Seq != first+int64(k) {
			w.t.Fatalf("%s lists %s/%d after %s/%d", who, o, c.Seq, o, run[k-1].Seq)
		}
	}
	if !seal.IsSealed(run[0]) {
		if first != v[o]+1 {
			w.t.Fatalf("%s lists %s/%d first after vector %v, want seq %d", who, o, first, v, v[o]+1)
		}
		return
	}
	from := first // where the next point must sign from
	for _, c := range run {
		if c.Sig == "" {
			continue
		}
		p, err := seal.ParsePoint(c.Sig)
		if err != nil {
			w.t.Fatalf("%s lists %s/%d with a point that does not parse: %v", who, o, c.Seq, err)
		}
		if p.From != from {
			w.t.Fatalf("%s lists %s/%d from %d with a point signing from %d, want from %d: the receiver cannot check the run",
				who, o, c.Seq, first, p.From, from)
		}
		from = c.Seq + 1
	}
	if last := run[len(run)-1].Seq; from != last+1 {
		w.t.Fatalf("%s lists %s up to %d, past its last point (which ends at %d): the receiver cannot check the rest", who, o, last, from-1)
	}
	switch last := run[len(run)-1].Seq; {
	case first == v[o]+1:
	case first >= 1 && first <= v[o] && last > v[o]:
		w.stats.resentRuns++ // a signed run resent whole, its point checked above
	case first >= 1 && last <= v[o]:
		w.t.Fatalf("%s lists %s/%d to %d after vector %v: only what the receiver holds, and nothing it lacks", who, o, first, last, v)
	default:
		w.t.Fatalf("%s lists %s/%d first after vector %v, want seq %d, or the start of a signed run at or below it", who, o, first, v, v[o]+1)
	}
}

// deliver takes a batch off the wire: usually the oldest, sometimes a later
// one first; it may be dropped, delivered twice, or delivered with the
// receiver crashing after its commit and before its acknowledgement.
func (w *world) deliver(r *replica, p *pipe, dir string) {
	if len(p.flight) == 0 {
		return
	}
	i := 0
	reordered := false
	if len(p.flight) > 1 && w.rng.IntN(3) == 0 {
		i, reordered = 1+w.rng.IntN(len(p.flight)-1), true
		w.stats.reorders++
	}
	batch := p.flight[i]
	p.flight = slices.Delete(p.flight, i, i+1)
	fault := w.rng.IntN(100)
	switch {
	case fault < 8:
		w.stats.drops++
		w.logf("%s: batch %s %s is dropped", r.name, describe(batch), dir)
		return
	case fault < 16:
		// Delivered now and once more later.
		p.flight = append(p.flight, batch)
		w.stats.duplicates++
		w.logf("%s: batch %s %s is duplicated", r.name, describe(batch), dir)
	}
	crash := fault >= 92
	w.logf("%s: deliver %s %s (reordered %v, crash %v)", r.name, describe(batch), dir, reordered, crash)
	var ack changes.Vector
	var ok bool
	if dir == "up" {
		ack, ok = w.appendToRelay(r, batch, false)
		if !ok && w.rng.IntN(2) == 0 {
			// The refused batch is sent again after what it waits for.
			p.flight = append(p.flight, batch)
		}
	} else {
		ack, ok = w.applyToReplica(r, batch, false), true
		if w.rng.IntN(3) == 0 {
			w.checkCheckpoint(r, w.opened(batch))
		}
	}
	if crash {
		w.stats.crashes++
		w.reset(r, false)
		w.logf("%s: receiver crashed before acknowledging; the sender never learns", r.name)
		return
	}
	if ok {
		p.acked = merge(p.acked, ack)
		if dir == "up" {
			if err := r.shop.MarkAcknowledged(w.ctx, ack); err != nil {
				w.t.Fatal(err)
			}
		}
	}
}

// appendToRelay appends a batch to the relay's store. The simulation knows
// whether the batch leaves a gap: then the store must refuse all of it;
// otherwise it must take it and report a vector covering exactly what it
// holds.
func (w *world) appendToRelay(r *replica, batch []changes.Change, mustFit bool) (changes.Vector, bool) {
	w.t.Helper()
	want := w.relayV.Clone()
	gap := ""
	for _, c := range batch {
		if c.Seq <= want[c.Origin] {
			continue
		}
		if c.Seq != want[c.Origin]+1 {
			gap = fmt.Sprintf("%s/%d after %d", c.Origin, c.Seq, want[c.Origin])
			break
		}
		want[c.Origin] = c.Seq
	}
	v, err := w.hub().Append(w.ctx, w.shopID, batch)
	if gap != "" {
		if mustFit {
			w.t.Fatalf("%s sent a batch with a gap (%s) in a fault-free sync", r.name, gap)
		}
		if domain.ErrorCode(err) != "bad_message" {
			w.t.Fatalf("the relay took a batch with a gap (%s): err %v", gap, err)
		}
		if got := w.relayVector(); !sameVector(got, w.relayV) {
			w.t.Fatalf("a refused batch moved the relay from %v to %v", w.relayV, got)
		}
		w.stats.gapsRefused++
		w.logf("relay refuses the gap %s", gap)
		return nil, false
	}
	if err != nil {
		w.t.Fatalf("append %s from %s: %v", describe(batch), r.name, err)
	}
	for _, c := range batch {
		w.relay[cid{c.Origin, c.Seq}] = true
	}
	if !sameVector(v, want) {
		w.t.Fatalf("relay vector after append = %v, want %v", v, want)
	}
	w.relayV = want
	return v, true
}

// applyToReplica applies a batch to r. A batch r holds entirely must change
// nothing; any other must leave r's vector at the contiguous prefix of what
// it holds, gaps and all.
func (w *world) applyToReplica(r *replica, batch []changes.Change, quiet bool) changes.Vector {
	w.t.Helper()
	held := true
	for _, c := range batch {
		held = held && r.seen[cid{c.Origin, c.Seq}]
	}
	before := ""
	if held && !quiet {
		before = dump(w.t, r.shop.Path())
	}
	v, err := r.peer().Apply(w.ctx, batch)
	if err != nil {
		w.t.Fatalf("%s applies %s: %v", r.name, describe(batch), err)
	}
	for _, c := range batch {
		r.seen[cid{c.Origin, c.Seq}] = true
	}
	if want := prefix(r.seen); !sameVector(v, want) {
		w.t.Fatalf("%s's vector after apply = %v, want the contiguous prefix %v of what it holds", r.name, v, want)
	}
	if before != "" {
		w.stats.heldAgain++
		if after := dump(w.t, r.shop.Path()); after != before {
			w.t.Fatalf("%s: applying changes it held changed it:\n%s", r.name, diff(before, after))
		}
	}
	return v
}

// advance moves v past cs.
func advance(v changes.Vector, cs []changes.Change) {
	for _, c := range cs {
		if c.Seq > v[c.Origin] {
			v[c.Origin] = c.Seq
		}
	}
}

func merge(a, b changes.Vector) changes.Vector {
	out := a.Clone()
	for o, s := range b {
		if s > out[o] {
			out[o] = s
		}
	}
	return out
}

// prefix is, per origin, the highest seq held with every seq below it held.
func prefix(held map[cid]bool) changes.Vector {
	v := changes.Vector{}
	for id := range held {
		if _, ok := v[id.origin]; !ok {
			v[id.origin] = 0
		}
	}
	for o := range v {
		for held[cid{o, v[o] + 1}] {
			v[o]++
		}
	}
	return v
}

// sameVector compares vectors, an origin at 0 being the same as absent.
func sameVector(a, b changes.Vector) bool {
	for o, s := range a {
		if b[o] != s {
			return false
		}
	}
	for o, s := range b {
		if a[o] != s {
			return false
		}
	}
	return true
}

func describe(cs []changes.Change) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s/%d", short(c.Origin), c.Seq))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func short(id string) string { return id[max(0, len(id)-4):] }

// stats count what the simulation exercised.
type stats struct {
	partitions, restarts, clockBack             int
	drops, duplicates, reorders, crashes        int
	gapsRefused, heldAgain, resentRuns          int
	refused, concurrentQA                       int
	conflicts, knowinglyReplaced, eventsChecked int
}

func (s *stats) add(o *stats) {
	s.partitions += o.partitions
	s.restarts += o.restarts
	s.clockBack += o.clockBack
	s.drops += o.drops
	s.duplicates += o.duplicates
	s.reorders += o.reorders
	s.crashes += o.crashes
	s.gapsRefused += o.gapsRefused
	s.heldAgain += o.heldAgain
	s.resentRuns += o.resentRuns
	s.refused += o.refused
	s.concurrentQA += o.concurrentQA
	s.conflicts += o.conflicts
	s.knowinglyReplaced += o.knowinglyReplaced
	s.eventsChecked += o.eventsChecked
}

func (s *stats) counts() map[string]int {
	return map[string]int{
		"partition": s.partitions, "relay restart": s.restarts, "clock going back": s.clockBack,
		"dropped batch": s.drops, "duplicated batch": s.duplicates, "reordered batch": s.reorders,
		"crash before acknowledgement": s.crashes, "refused gap": s.gapsRefused, "batch applied again": s.heldAgain,
		"signed run resent from its start": s.resentRuns, "concurrent QA decision": s.concurrentQA,
		"lost concurrent edit": s.conflicts, "knowingly replaced edit": s.knowinglyReplaced,
	}
}

func (s *stats) String() string {
	c := s.counts()
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
	}
	return fmt.Sprintf("%s; refused operations %d; events checked %d", strings.Join(parts, ", "), s.refused, s.eventsChecked)
}

// opened is batch as the replicas hold it: the simulation checks what
// changes say, and they travel sealed.
func (w *world) opened(batch []changes.Change) []changes.Change {
	out := make([]changes.Change, len(batch))
	for i, c := range batch {
		var err error
		if out[i], err = w.sealer.Open(c); err != nil {
			w.t.Fatalf("change %s/%d does not open: %v", c.Origin, c.Seq, err)
		}
	}
	return out
}
