package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// applyHistory is a small shop's change log: a factory whose batches are
// held, a SKU, a count, a batch ordered, received and failed, a sale, a
// return and two edits. Fuzzed changes land on a prefix of it.
func applyHistory(tb testing.TB) (*Shop, []changes.Change) {
	tb.Helper()
	ctx := context.Background()
	s, clock := mustCreate(tb)
	clock.Set(day(5)) // the events below are history
	mustFactory(tb, s, "Fab", 5, false)
	mustSKU(tb, s, "MUG", domain.PathMicrofactory, "Fab")
	must := func(_ any, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(s.Count(ctx, "MUG", 10, day(0)))
	b, err := s.OrderBatch(ctx, Order{Code: "MUG", Qty: 20, At: day(0)})
	must(b, err)
	must(s.ReceiveBatch(ctx, b.ID, 20, day(1)))
	must(s.DecideQA(ctx, b.ID, false, "cracked glaze", day(2)))
	must(s.Sell(ctx, Sale{Code: "MUG", Qty: 2, At: day(3)}))
	must(s.RecordReturn(ctx, Return{Code: "MUG", Qty: 1, Reason: "defect", Restock: true, At: day(4)}))
	must(s.EditSKU(ctx, "MUG", SKUFields{Name: ptr("Big mug"), Price: ptr(domain.Money(2200))}))
	must(s.Adjust(ctx, "MUG", -1, "chipped", day(5)))
	history, err := s.logAfter(ctx, nil, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return s, history
}

// FuzzApply feeds a change made of arbitrary fields to a fresh replica that
// holds a prefix of a real shop's history. Apply must never panic; it
// either applies the batch or refuses it with a *domain.Error that has a
// message, and a refused batch changes nothing. An applied batch applied
// again changes nothing either.
//
// prefix picks how much history the replica holds first; an origin of
// "self" stands for the replica's own device; shape adds the change twice
// (bit 0) and puts the next real change before it in the same batch (bit
// 1), so a refusal must undo that one too.
func FuzzApply(f *testing.F) {
	src, history := applyHistory(f)
	for i, c := range history {
		// Each real change on the history before it: the batch applies.
		f.Add(uint8(i), c.Origin, c.Seq, c.HLC, c.Entity, c.EntityID, []byte(c.Body), uint8(0))
		// The same change past a gap, doubled in its batch.
		f.Add(uint8(0), c.Origin, c.Seq, c.HLC, c.Entity, c.EntityID, []byte(c.Body), uint8(1))
	}
	last := history[len(history)-1]
	var sku changes.Change
	for _, c := range history {
		if c.Entity == "sku" {
			sku = c
			break
		}
	}
	const (
		early = "000000000000001.00000.peer" // loses to every real stamp
		late  = "009999999999999.00000.peer" // wins over every real stamp
	)
	for _, s := range []struct {
		origin, hlc, entity, id, body string
		seq                           int64
	}{
		{"self", last.HLC, "sku", sku.EntityID, `{"name":{"v":"mine"}}`, 1},
		{"peer", "", "sku", sku.EntityID, `{}`, 1},
		{"peer", "yesterday", "sku", sku.EntityID, `{}`, 1},
		{"peer", late, "sku", sku.EntityID, `{"price":{"v":1.5}}`, 1},
		{"peer", early, "sku", sku.EntityID, `{"price":{"v":1.5}}`, 1},
		{"peer", late, "sku", sku.EntityID, `{"price":{"v":99999999999999999999}}`, 1},
		{"peer", late, "sku", sku.EntityID, `{"name":{"v":null}}`, 1},
		{"peer", late, "sku", sku.EntityID, `{"name":{"v":{"a":[1]}},"price":{"v":3}}`, 1},
		{"peer", late, "sku", sku.EntityID, `{"name":{"v":"x","b":["nonsense"]}}`, 1},
		{"peer", late, "sku", sku.EntityID, `{"no_such_field":{"v":1}}`, 1},
		{"peer", late, "batch", "new-batch", `{"qa":{"v":"failed"},"qa_at":{"v":1}}`, 7},
		{"peer", late, "sale", "e1", `{"sku_id":"nope","at":-1,"qty":-5}`, 1},
		{"peer", late, "count", "e2", `{"qty":"many"}`, 1},
		{"peer", late, "gadget", "g1", `{"anything":true}`, 1},
		{"peer", late, "sku", sku.EntityID, `[1,2]`, 1},
		{"peer", late, "sku", sku.EntityID, `{"price":`, 1},
		{"peer", late, "", "", `{}`, 1},
		{"", late, "sku", "x", `{}`, 0},
	} {
		f.Add(uint8(3), s.origin, s.seq, s.hlc, s.entity, s.id, []byte(s.body), uint8(2))
	}
	ctx := context.Background()
	opts := Options{Now: func() time.Time { return testStart }, Location: time.UTC}
	// Replicas holding each prefix of the history are made once and copied
	// for every run: a copy opens as a new device, as a restored database
	// does.
	dir := f.TempDir()
	templates := make([][]byte, len(history)+1)
	for n := range templates {
		path := filepath.Join(dir, fmt.Sprintf("prefix%d.db", n))
		r, err := CreateReplica(path, inviteOf(f, src), "fuzz", opts)
		if err != nil {
			f.Fatal(err)
		}
		if _, err := r.applyPlain(ctx, history[:n]); err != nil {
			f.Fatalf("applying %d changes of real history: %v", n, err)
		}
		if err := r.Close(); err != nil {
			f.Fatal(err)
		}
		if templates[n], err = os.ReadFile(path); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, prefix uint8, origin string, seq int64, hlc, entity, entityID string, body []byte, shape uint8) {
		n := int(prefix) % (len(history) + 1)
		// Not t.TempDir: a seed's directory is named with a '#', which
		// Open misreads (see TestShopPathsWithURICharacters).
		runDir, err := os.MkdirTemp(dir, "run")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(runDir)
		path := filepath.Join(runDir, "replica.db")
		if err := os.WriteFile(path, templates[n], 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close() // before the directory goes
		if got := mustVector(t, r).Total(); got != int64(n) {
			t.Fatalf("the copied replica holds %d changes, want %d", got, n)
		}
		if origin == "self" {
			origin = r.DeviceID()
		}
		c := changes.Change{Origin: origin, Seq: seq, HLC: hlc, Entity: entity, EntityID: entityID, Body: body}
		batch := []changes.Change{c}
		if shape&1 != 0 {
			batch = append(batch, c)
		}
		if shape&2 != 0 && n < len(history) {
			batch = append([]changes.Change{history[n]}, batch...)
		}

		before, vBefore := applyState(t, r), mustVector(t, r)
		v, err := r.applyPlain(ctx, batch)
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || de.Message == "" {
				t.Fatalf("Apply refused with %T %v; want a *domain.Error with a message", err, err)
			}
			if got := applyState(t, r); got != before {
				t.Fatalf("a refused batch (%s) changed the replica:\nbefore: %s\nafter: %s", de.Message, before, got)
			}
			if got := mustVector(t, r); !sameVector(got, vBefore) {
				t.Fatalf("a refused batch moved the vector from %v to %v", vBefore, got)
			}
			return
		}
		if got := mustVector(t, r); !sameVector(got, v) {
			t.Fatalf("Apply returned vector %v but the replica holds %v", v, got)
		}
		after := applyState(t, r)
		again, err := r.applyPlain(ctx, batch)
		if err != nil {
			t.Fatalf("the same batch applied once, then failed: %v", err)
		}
		if got := applyState(t, r); got != after {
			t.Fatalf("applying a batch again changed the replica:\nonce: %s\ntwice: %s", after, got)
		}
		if !sameVector(again, v) {
			t.Fatalf("applying a batch again moved the vector from %v to %v", v, again)
		}
	})
}

// applyState is what Apply may change: the synced content, every field
// version and the vector.
func applyState(tb testing.TB, s *Shop) string {
	tb.Helper()
	var sb strings.Builder
	sb.WriteString(content(tb, s))
	for _, q := range []string{
		`SELECT entity, entity_id, field, stamp, base, value FROM field_versions ORDER BY 1, 2, 3, 4`,
		`SELECT origin, seq FROM vector ORDER BY origin`,
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			tb.Fatal(err)
		}
		for rows.Next() {
			var a, b, c, d, e, f sql.NullString
			dest := []any{&a, &b, &c, &d, &e, &f}
			cols, _ := rows.Columns()
			if err := rows.Scan(dest[:len(cols)]...); err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintln(&sb, a.String, b.String, c.String, d.String, e.String, f.String)
		}
		rows.Close()
		sb.WriteString("--\n")
	}
	return sb.String()
}

func mustVector(tb testing.TB, s *Shop) changes.Vector {
	tb.Helper()
	v, err := s.Vector(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// sameVector compares vectors, an origin at 0 being the same as absent.
func sameVector(a, b changes.Vector) bool {
	return a.Covers(b) && b.Covers(a)
}

// A change from a peer whose field value has the wrong type for its column
// must leave the shop readable: refused, or applied without breaking reads.
func TestApplyOfAWrongTypedFieldKeepsTheShopReadable(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	mustFactory(t, a, "Fab", 5, true)
	mustSKU(t, a, "MUG", domain.PathMicrofactory, "Fab")
	sku, err := a.SKU(ctx, "MUG")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, entity, id, body string
	}{
		{"text in a SKU's price", "sku", sku.ID, `{"price":{"v":"abc"}}`},
		{"text in a SKU's archived flag", "sku", sku.ID, `{"archived":{"v":"x"}}`},
		{"text in the shop's hold percentage", "shop", a.ShopID(), `{"hold_percent":{"v":"ten"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustReplica(t, a, clock.Now)
			syncPair(t, a, b)
			bad := changes.Change{Origin: "peer", Seq: 1, HLC: "009999999999999.00000.peer", Entity: tt.entity, EntityID: tt.id, Body: []byte(tt.body)}
			if _, err := b.applyPlain(ctx, []changes.Change{bad}); err != nil && domain.ErrorMessage(err) == "" {
				t.Fatalf("refused without a message: %v", err)
			}
			if _, err := b.SKUs(ctx); err != nil {
				t.Errorf("SKUs after applying %s: %v", tt.body, err)
			}
			if _, err := b.Stock(ctx, b.AsOfNow(), ""); err != nil {
				t.Errorf("Stock after applying %s: %v", tt.body, err)
			}
		})
	}
}

// Whether a change is accepted must not depend on what the replica already
// holds, or a replica that refuses it can never sync past it.
func TestApplyAcceptsOrRefusesAChangeWhateverCameBefore(t *testing.T) {
	ctx := context.Background()
	a, clock := mustCreate(t)
	mustFactory(t, a, "Fab", 5, true)
	mustSKU(t, a, "MUG", domain.PathMicrofactory, "Fab")
	sku, err := a.SKU(ctx, "MUG")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, body string }{
		{"fractional price", `{"price":{"v":1.5}}`},
		{"price too big", `{"price":{"v":99999999999999999999}}`},
		{"no name", `{"name":{"v":null}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Made by a peer before the SKU's own values: it loses to them.
			bad := changes.Change{Origin: "peer", Seq: 1, HLC: "000000000000001.00000.peer", Entity: "sku", EntityID: sku.ID, Body: []byte(tt.body)}
			synced := mustReplica(t, a, clock.Now)
			syncPair(t, a, synced)
			_, errSynced := synced.applyPlain(ctx, []changes.Change{bad})
			fresh := mustReplica(t, a, clock.Now)
			_, errFresh := fresh.applyPlain(ctx, []changes.Change{bad})
			if (errSynced == nil) != (errFresh == nil) {
				t.Errorf("a replica holding the SKU: %v; a fresh replica: %v; want the same outcome", errSynced, errFresh)
			}
		})
	}
}
