package app

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
)

// A full run of events is logged with one statement that binds only the
// optional columns its events set (eventInsert's masks); every row must
// hold what logging each event alone holds, whichever columns its run
// left out and however many masks the writer already keeps.
func TestARunOfEventsIsLoggedAsOneByOne(t *testing.T) {
	ctx := context.Background()
	sku, whole, alone := twoCapReplicas(t)
	id := func(n int) string { return fmt.Sprintf("0190d8e2-8d1e-7c3a-9f00-%012d", n) }
	kinds := []func(e *event){
		func(e *event) { e.Kind, e.Channel = kindSale, "online" },
		func(e *event) {
			e.Kind, e.Channel, e.Order, e.Payment, e.Discount, e.Location = kindSale, "fair", id(1), string(domain.PaymentCash), 100, id(2)
		},
		func(e *event) {
			e.Kind, e.Reason, e.Restock, e.Refund, e.FactoryID = kindReturn, "changed-mind", true, 500, id(3)
		},
		func(e *event) { e.Kind, e.BatchID, e.Held, e.Qty = kindReceipt, id(4), 2, 5 },
		func(e *event) { e.Kind, e.Location, e.To = kindMove, id(2), id(5) },
		func(e *event) { e.Kind, e.Note, e.Qty = kindAdjust, "found behind the till", -1 },
		func(e *event) { e.Kind, e.Ref = kindVoid, id(6) },
	}
	peer := "0190d8e2-8d1e-7c3a-9f00-0000000000dd"
	// Run r has the kinds of the bits of r+1: runs that each set other
	// columns, more of them than the writer keeps statements for, so the
	// last take the all-columns statement.
	var log []changes.Change
	for r := range 2 * maxMasks {
		var mix []func(e *event)
		for k, kind := range kinds {
			if (r+1)&(1<<k) != 0 {
				mix = append(mix, kind)
			}
		}
		for i := range maxRun {
			n := len(log)
			e := event{SKUID: sku.ID, At: testStart.UnixMilli() - int64(10_000-n), Qty: 1, Price: 1200}
			mix[i%len(mix)](&e)
			body, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			log = append(log, changes.Change{Origin: peer, Seq: int64(n + 1), HLC: changes.Stamp{Wall: e.At, Device: peer}.String(),
				Entity: e.Kind, EntityID: id(1000 + n), Body: body})
		}
	}
	if _, err := whole.Apply(ctx, sealedFor(t, whole, log)); err != nil {
		t.Fatal(err)
	}
	for _, c := range log {
		if _, err := alone.Apply(ctx, sealedFor(t, alone, []changes.Change{c})); err != nil {
			t.Fatal(err)
		}
	}
	if n := countRows(t, whole.db, "quarantine"); n != 0 {
		t.Fatalf("%d changes quarantined: the test's events must all be valid", n)
	}
	rows := func(s *Shop) [][]any {
		t.Helper()
		r, err := s.db.QueryContext(ctx, `SELECT * FROM changes WHERE origin = ? ORDER BY seq`, peer)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		cols, _ := r.Columns()
		var out [][]any
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					vals[i] = string(b)
				}
			}
			out = append(out, vals[1:]) // n, the arrival order, is the replica's own
		}
		return out
	}
	got, want := rows(whole), rows(alone)
	if len(got) != len(log) || !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("row %d logged in a run is\n%v\nalone it is\n%v", i, got[i], want[i])
			}
		}
		t.Fatalf("%d rows logged in runs, %d alone, want %d", len(got), len(want), len(log))
	}
}

// A SKU that another process (the command line beside the desktop app)
// gave its first event sells here too: the writer kept the SKU numbers it
// had read, and numbering the new SKU again broke the store's uniqueness,
// so every sale of it failed until the app was restarted.
func TestASKUFirstMovedByAnotherProcessSellsHere(t *testing.T) {
	ctx := context.Background()
	desk, clock := mustMugShop(t) // its writer has numbered MUG
	if _, err := desk.Sell(ctx, Sale{Code: "MUG"}); err != nil {
		t.Fatal(err)
	}
	cli, err := Open(desk.path, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	mustSKU(t, cli, "TOTE", domain.PathPrint, "Fab")
	if _, err := cli.Count(ctx, "TOTE", 3, clock.Now()); err != nil {
		t.Fatal(err)
	}
	cli.Close()
	clock.Set(clock.Now().Add(time.Minute))
	if _, err := desk.Sell(ctx, Sale{Code: "TOTE"}); err != nil {
		t.Fatalf("the sale of a SKU counted by another process: %v", err)
	}
	if got := mustStock(t, desk, "TOTE", desk.AsOfNow()).OnHand; got != 2 {
		t.Errorf("TOTE has %d on hand, want 2", got)
	}
}
