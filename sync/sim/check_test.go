package sim_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"microshop/app"
	"microshop/domain"
)

// check runs after healing: every replica holds every change made and the
// same content; events are exactly those made; record fields hold the last
// writer's value and conflicts list exactly the versions that lost another
// value without being knowingly replaced; stock matches the oracle's replay.
func (w *world) check() {
	t := w.t
	var total int64
	for _, r := range w.reps {
		if got := w.relayV[r.device()]; got != r.made {
			t.Errorf("the relay holds %d changes of %s, which made %d", got, r.name, r.made)
		}
		total += r.made
	}
	if got := int64(len(w.relay)); got != total || w.relayV.Total() != total {
		t.Errorf("the relay holds %d changes (vector total %d), want the %d made", got, w.relayV.Total(), total)
	}

	// (a) Every replica's content is the same.
	want := dump(t, w.reps[0].shop.Path())
	for _, r := range w.reps[1:] {
		if got := dump(t, r.shop.Path()); got != want {
			t.Errorf("%s differs from %s after a full sync:\n%s", r.name, w.reps[0].name, diff(want, got))
		}
	}
	for _, r := range w.reps {
		if v := w.vector(r); !sameVector(v, w.relayV) {
			t.Errorf("%s's vector %v, want the relay's %v", r.name, v, w.relayV)
		}
		if n := queryInt(t, r.shop.Path(), `SELECT count(*) FROM changes`); int64(n) != total {
			t.Errorf("%s holds %d changes, want %d", r.name, n, total)
		}
	}

	// (b) The events are the ones made, each once, as made.
	for _, r := range w.reps {
		got := map[string]simEvent{}
		rows := query(t, r.shop.Path(), `SELECT id, kind, sku_id, at, qty, held, batch_id, restock FROM events`)
		for _, row := range rows {
			e := simEvent{id: row[0], kind: row[1], sku: row[2], batch: row[6], restock: row[7] == "1"}
			fmt.Sscan(row[3], &e.at)
			fmt.Sscan(row[4], &e.qty)
			fmt.Sscan(row[5], &e.held)
			got[e.id] = e
		}
		if len(got) != len(rows) || len(got) != len(w.events) {
			t.Errorf("%s holds %d events (%d ids), want the %d made", r.name, len(rows), len(got), len(w.events))
		}
		for id, e := range w.events {
			want := *e
			want.change = cid{}
			if g, ok := got[id]; !ok {
				t.Errorf("%s lost event %s %+v", r.name, id, want)
			} else if g != want {
				t.Errorf("%s holds event %+v, want %+v", r.name, g, want)
			}
		}
		for id := range got {
			if w.events[id] == nil {
				t.Errorf("%s holds event %s that nobody made", r.name, id)
			}
		}
	}
	w.stats.eventsChecked += len(w.events)

	// (d) Last writer wins each field, and conflicts are exactly the
	// versions that lost another value without any writer having replaced
	// them.
	w.checkRecords()

	// (c) Stock per SKU equals the oracle's replay, far in the future and
	// at a few moments in between, where checkpoints left by reports count.
	qa := w.qaFromReplica()
	if want := w.qaSeenBy(nil); !sameMap(qa, want) {
		t.Errorf("batches' QA state %v, want the last decisions %v", qa, want)
	}
	type moment struct {
		asOf app.AsOf
		reps []*replica
	}
	far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	moments := []moment{{w.reps[0].shop.AsOfDate(far), w.reps}}
	for range 2 {
		at := time.UnixMilli(w.events[w.eventIDs[w.rng.IntN(len(w.eventIDs))]].at).UTC()
		moments = append(moments, moment{w.reps[0].shop.AsOfDate(at.AddDate(0, 0, w.rng.IntN(32))), w.reps})
	}
	// Just after each QA decision, where the units it rejects leave stock
	// (a later count would hide them), on one replica.
	ids := make([]string, 0, len(qa))
	for id := range qa {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if q := qa[id]; q.qa != "pending" {
			end := time.UnixMilli(q.at + 1).UTC()
			moments = append(moments, moment{app.AsOf{Day: domain.StartOfDay(end), End: end}, []*replica{w.reps[w.rng.IntN(len(w.reps))]}})
		}
	}
	for _, m := range moments {
		for _, r := range m.reps {
			rows, err := r.shop.Stock(w.ctx, m.asOf, "")
			if err != nil {
				t.Fatal(err)
			}
			if want := w.skusListed(r, m.asOf.End.UnixMilli()); len(rows) != want {
				t.Fatalf("%s reports %d SKUs as of %s, want %d", r.name, len(rows), m.asOf.End.Format(time.DateTime), want)
			}
			for _, row := range rows {
				want := w.oracle(row.SKU.ID, m.asOf.End.UnixMilli(), qa, func(*simEvent) bool { return true })
				if got := (level{row.OnHand, row.Held}); got != want {
					t.Errorf("%s: stock of %s as of %s = %+v, want %+v", r.name, row.SKU.Code, m.asOf.End.Format(time.DateTime), got, want)
				}
			}
		}
	}
}

func sameMap[K, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// recordTables maps record entities to their tables.
var recordTables = map[string]string{"shop": "shop", "factory": "factories", "sku": "skus", "batch": "batches"}

func (w *world) checkRecords() {
	t := w.t
	path := w.reps[0].shop.Path()
	type conflict struct{ entity, id, field, lostStamp, lostValue, keptStamp, keptValue string }
	var want []conflict
	keys := make([]fieldKey, 0, len(w.fields))
	for k := range w.fields {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b fieldKey) int {
		return strings.Compare(a.entity+a.id+a.field, b.entity+b.id+b.field)
	})
	records := map[fieldKey]string{}
	for entity, table := range recordTables {
		rows := query(t, path, `SELECT * FROM `+table)
		cols := query(t, path, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
		for _, row := range rows {
			for i, c := range cols {
				c := c[0]
				records[fieldKey{entity, row[0], c}] = row[i]
			}
		}
	}
	// A device's name has no table: it is read from its latest version.
	for _, row := range query(t, path, `SELECT entity_id, field, value FROM field_versions WHERE entity = 'device' ORDER BY stamp`) {
		records[fieldKey{"device", row[0], row[1]}] = column(row[2])
	}
	for _, k := range keys {
		vs := w.fields[k]
		winner := vs[0]
		replaced := map[string]bool{}
		for _, v := range vs {
			if v.stamp > winner.stamp {
				winner = v
			}
			for _, b := range v.bases {
				replaced[b] = true
			}
		}
		if got, ok := records[k]; !ok || got != column(winner.value) {
			t.Errorf("%s %s field %s = %q, want %s from the latest stamp %s", k.entity, short(k.id), k.field, got, winner.value, winner.stamp)
		}
		for _, v := range vs {
			if v == winner {
				continue
			}
			if replaced[v.stamp] {
				// Somebody saw this value in force and replaced it: an
				// edit made after seeing another is no conflict.
				continue
			}
			if sameToPeople(k, v.value, winner.value) {
				continue // the same value kept: nothing was lost
			}
			want = append(want, conflict{k.entity, k.id, k.field, v.stamp, v.value, winner.stamp, winner.value})
		}
		for _, v := range vs {
			for _, u := range vs {
				if slices.Contains(v.bases, u.stamp) && u.writer != v.writer {
					w.stats.knowinglyReplaced++
				}
			}
		}
	}
	w.stats.conflicts += len(want)
	var got []conflict
	for _, row := range query(t, path, `SELECT entity, entity_id, field, lost_stamp, lost_value, kept_stamp, kept_value FROM conflicts`) {
		got = append(got, conflict{row[0], row[1], row[2], row[3], row[4], row[5], row[6]})
	}
	cmp := func(a, b conflict) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) }
	slices.SortFunc(want, cmp)
	slices.SortFunc(got, cmp)
	for _, c := range want {
		if _, ok := slices.BinarySearchFunc(got, c, cmp); !ok {
			t.Errorf("a concurrent edit that lost is not among the conflicts: %+v", c)
		}
	}
	for _, c := range got {
		if _, ok := slices.BinarySearchFunc(want, c, cmp); !ok {
			t.Errorf("a conflict lists an edit that did not lose concurrently: %+v", c)
		}
	}
	// A batch's QA decision shows as one conflict, over its verdict: its
	// time, note and cancelled rest lost by the same change go with it.
	verdicts := map[[2]string]bool{}
	for _, c := range want {
		if c.entity == "batch" && c.field == "qa" {
			verdicts[[2]string{c.id, c.lostStamp}] = true
		}
	}
	shown := 0
	for _, c := range want {
		part := c.entity == "batch" && c.field != "qa" && slices.Contains([]string{"qa_at", "qa_note", "cancelled_at"}, c.field)
		if !part || !verdicts[[2]string{c.id, c.lostStamp}] {
			shown++
		}
	}
	for _, r := range w.reps {
		cs, err := r.shop.Conflicts(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != shown {
			t.Errorf("%s shows %d conflicts, want %d", r.name, len(cs), shown)
		}
	}
}

// momentFields are the record fields that hold a moment, which people
// see to the second.
var momentFields = map[string]bool{"batch.ordered_at": true, "batch.qa_at": true,
	"factory.resumed_at": true, "factory.quality_paused_at": true}

// sameToPeople reports whether two values of a field read the same: equal,
// or moments in the same second.
func sameToPeople(k fieldKey, a, b string) bool {
	if a == b {
		return true
	}
	x, errX := strconv.ParseInt(a, 10, 64)
	y, errY := strconv.ParseInt(b, 10, 64)
	return momentFields[k.entity+"."+k.field] && errX == nil && errY == nil && x > 0 && y > 0 && x/1000 == y/1000
}

// column is how a field's JSON value reads back from its column.
func column(raw string) string {
	d := json.NewDecoder(strings.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return "malformed " + raw
	}
	switch x := v.(type) {
	case bool:
		if x {
			return "1"
		}
		return "0"
	case nil:
		return "<nil>"
	}
	return fmt.Sprint(v)
}

// qaState is a batch's QA decision: "pending", "passed" or "failed", and
// when.
type qaState struct {
	qa string
	at int64
}

// qaSeenBy is every batch's QA state by the last writer among the versions
// r holds, or among all versions when r is nil. A decision counts even
// when the batch's order has not reached r: receipts name their batch.
func (w *world) qaSeenBy(r *replica) map[string]qaState {
	out := map[string]qaState{}
	for _, b := range w.batches {
		var st qaState
		if v := w.winner(r, fieldKey{"batch", b.id, "qa"}); v != nil {
			json.Unmarshal([]byte(v.value), &st.qa)
		}
		if v := w.winner(r, fieldKey{"batch", b.id, "qa_at"}); v != nil {
			json.Unmarshal([]byte(v.value), &st.at)
		}
		out[b.id] = st
	}
	return out
}

func (w *world) winner(r *replica, k fieldKey) *version {
	var win *version
	for _, v := range w.fields[k] {
		if (r == nil || r.seen[v.change]) && (win == nil || v.stamp > win.stamp) {
			win = v
		}
	}
	return win
}

// qaFromReplica reads the batches' final QA state back from a replica.
func (w *world) qaFromReplica() map[string]qaState {
	out := map[string]qaState{}
	for _, row := range query(w.t, w.reps[0].shop.Path(), `SELECT id, qa, qa_at FROM batches`) {
		st := qaState{qa: row[1]}
		fmt.Sscan(row[2], &st.at)
		out[row[0]] = st
	}
	return out
}

// level is stock as the oracle sees it.
type level struct {
	onHand, held int
}

// oracle replays a SKU's events before end, by time: a count sets the units
// on hand, sales, receipts, restocked returns and adjustments move them, and
// a QA decision releases the units its batch's receipts held, taking them
// out of stock on a fail. A receipt after its batch's decision is settled
// at once. include picks the events to replay.
// skusListed is how many SKUs r's report of a moment ending at end lists.
// A report of a moment gone on r's clock reads the SKUs as they were then:
// one added later, by its first stamp, is left out unless a batch of it
// was ordered or an event of it happened before end. Wanting all four
// failed 10 seeds in 120, where a SKU added on a clock ahead of the day
// asked for had nothing before it.
func (w *world) skusListed(r *replica, end int64) int {
	if end >= r.shop.Now().UnixMilli() {
		return len(w.skus)
	}
	before := fmt.Sprintf("%015d", end)
	n := 0
	for _, k := range w.skus {
		there := false
		for key, vs := range w.fields {
			for _, v := range vs {
				there = there || key.entity == "sku" && key.id == k.id && v.stamp < before
			}
		}
		for _, b := range w.batches {
			there = there || b.sku == k.code && b.orderedAt < end
		}
		for _, id := range w.eventIDs {
			there = there || w.events[id].sku == k.id && w.events[id].at < end
		}
		if there {
			n++
		}
	}
	return n
}

func (w *world) oracle(sku string, end int64, qa map[string]qaState, include func(*simEvent) bool) level {
	type move struct {
		at     int64
		count  bool
		onHand int
		held   int
	}
	var moves []move
	for _, id := range w.eventIDs {
		e := w.events[id]
		if e.sku != sku || e.at >= end || !include(e) {
			continue
		}
		m := move{at: e.at}
		switch e.kind {
		case "sale":
			m.onHand = -e.qty
		case "return":
			if e.restock {
				m.onHand = e.qty
			}
		case "count":
			m.count, m.onHand = true, e.qty
		case "adjustment":
			m.onHand = e.qty
		case "receipt":
			m.onHand, m.held = e.qty, e.held
			q := qa[e.batch]
			failed := q.qa == "failed"
			decided := (failed || q.qa == "passed") && q.at < end
			switch {
			case decided && q.at < e.at:
				m.held = 0
				if failed {
					m.onHand -= e.held
				}
			case decided:
				release := move{at: q.at, held: -e.held}
				if failed {
					release.onHand = -e.held
				}
				moves = append(moves, release)
			}
		default:
			w.t.Fatalf("the oracle knows no event kind %q", e.kind)
		}
		moves = append(moves, m)
	}
	slices.SortStableFunc(moves, func(a, b move) int { return int(a.at - b.at) })
	var l level
	for _, m := range moves {
		if m.count {
			l.onHand = m.onHand
		} else {
			l.onHand += m.onHand
		}
		l.held += m.held
	}
	return l
}

// dumpQueries are a replica's synced state: records, events, field
// versions, conflicts, the change log and the vector. Caches and the
// device's own settings are left out.
var dumpQueries = []string{
	`SELECT id, name, currency, hold_percent, handling_days FROM shop ORDER BY id`,
	`SELECT id, name, kind, location, lead_days, moq, multiple, established, paused, pause_reason, resumed_at FROM factories ORDER BY id`,
	`SELECT id, code, name, path, factory_id, price, cost, lead_days, min_cover, max_cover, archived FROM skus ORDER BY id`,
	`SELECT id, sku_id, factory_id, ordered, unit_cost, ordered_at, expected_at, qa, qa_at, qa_note FROM batches ORDER BY id`,
	`SELECT id, kind, sku_id, at, hlc, qty, held, batch_id, factory_id, price, channel, reason, restock, note, ref FROM events ORDER BY id`,
	`SELECT entity, entity_id, field, stamp, base, value FROM field_versions ORDER BY 1, 2, 3, 4`,
	`SELECT entity, entity_id, field, lost_stamp, lost_value, kept_stamp, kept_value FROM conflicts ORDER BY 1, 2, 3, 4`,
	`SELECT origin, seq, hlc, entity, entity_id, body FROM changes ORDER BY origin, seq`,
	`SELECT origin, seq FROM vector WHERE seq > 0 ORDER BY origin`,
}

// dump is a replica's synced state as text.
func dump(t testing.TB, path string) string {
	t.Helper()
	var sb strings.Builder
	for _, q := range dumpQueries {
		for _, row := range query(t, path, q) {
			sb.WriteString(strings.Join(row, "|"))
			sb.WriteByte('\n')
		}
		sb.WriteString("--\n")
	}
	return sb.String()
}

func openRO(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// readers are read-only connections to replicas' files, by path, kept
// open for the run.
var readers = map[string]*sql.DB{}

// query reads a replica's file through a read-only connection of its own.
func query(t testing.TB, path, q string, args ...any) [][]string {
	t.Helper()
	db, ok := readers[path]
	if !ok {
		db = openRO(t, path)
		readers[path] = db
		t.Cleanup(func() {
			db.Close()
			delete(readers, path)
		})
	}
	return rowsOf(t, db, q, args...)
}

func queryInt(t testing.TB, path, q string) int {
	t.Helper()
	var n int
	fmt.Sscan(query(t, path, q)[0][0], &n)
	return n
}

func rowsOf(t testing.TB, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				row[i] = string(x)
			case nil:
				row[i] = "<nil>"
			default:
				row[i] = fmt.Sprint(x)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// diff shows the first lines where two dumps differ.
func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out bytes.Buffer
	shown := 0
	for i := 0; i < max(len(al), len(bl)) && shown < 10; i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			fmt.Fprintf(&out, "line %d:\n- %s\n+ %s\n", i+1, x, y)
			shown++
		}
	}
	return out.String()
}
