package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/client"
)

// Keep settles a conflict on the value in force: the price stays 22.00,
// the row goes, the screen says what stayed, and the other device lists
// the conflict no more once they sync. A conflict could only be undone,
// and stayed on Today and the Sync screen for good.
func TestKeepSettlesAConflict(t *testing.T) {
	ctx := context.Background()
	a, b := conflictedPair(t)
	u, w := newTestUI(t, a, Options{Screen: "sync"})
	s := u.syncView
	if len(s.conflicts) != 1 {
		t.Fatalf("conflicts shown: %+v", s.conflicts)
	}
	tapButton(t, w, "Keep")
	if got := dialogText(w); got != "" {
		t.Errorf("Keep asked:\n%s\nwant nothing asked: it changes no value", got)
	}
	if price := must[domain.SKU](t)(a.SKU(ctx, "MUG")).Price; price != 2200 {
		t.Errorf("after Keep the price is %s, want the kept 22.00", price)
	}
	if len(s.conflicts) != 0 || !s.empty.Visible() {
		t.Errorf("after Keep the list still shows %d conflicts", len(s.conflicts))
	}
	const said = "On SKU MUG, price stays 22.00, and 25.00, as this device set it, is let go; other devices settle the conflict when they sync."
	if got := texts(s.obj); !strings.Contains(got, said) {
		t.Errorf("after Keep the Sync screen says:\n%s\nwant %q", got, said)
	}
	exchange(t, a, b)
	if cs := must[[]app.Conflict](t)(b.Conflicts(ctx)); len(cs) != 0 {
		t.Errorf("the other device lists %+v after the sync, want no conflict", cs)
	}
}

// qaConflictPair is a shop and a replica that decided the QA of a batch
// of 20 PRINT-A4 from the new factory Print Hub (2 units held) while
// apart: a pass noted "edges clean" on the shop, and a fail on the
// replica, whose clock is a minute ahead, which is kept: the 2 held units are rejected and
// Print Hub is paused.
func qaConflictPair(t *testing.T) (a, b *app.Shop, batch domain.Batch) {
	t.Helper()
	ctx := context.Background()
	a = stockedShop(t)
	batch = orderedBatch(t, a)
	must[app.Receipt](t)(a.ReceiveBatch(ctx, batch.ID, 20, day(-1)))
	clock := &testClock{t: testNow}
	b, err := app.CreateReplica(filepath.Join(t.TempDir(), "replica.db"), apptest.InviteOf(t, a), "laptop", app.Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	exchange(t, a, b)
	must[domain.Batch](t)(a.Decide(ctx, app.QADecision{Batch: batch.ID, Pass: true, Note: "edges clean", At: testNow.Add(-2 * time.Hour)}))
	clock.Set(testNow.Add(time.Minute))
	must[domain.Batch](t)(b.Decide(ctx, app.QADecision{Batch: batch.ID, Note: "ink smudged", At: testNow.Add(-time.Hour)}))
	exchange(t, a, b)
	return a, b, batch
}

// Undo of a conflict over a batch's QA asks first, saying what putting the
// pass back does and the pass's note: one click put rejected units back
// on sale. Cancel changes nothing; the answer puts the pass back.
func TestUndoOfAQAConflictAsksFirst(t *testing.T) {
	ctx := context.Background()
	a, _, batch := qaConflictPair(t)
	u, w := newTestUI(t, a, Options{Screen: "sync"})
	if len(u.syncView.conflicts) != 1 || !u.syncView.conflicts[0].OverQA() {
		t.Fatalf("conflicts shown: %+v, want the batch's QA", u.syncView.conflicts)
	}
	vector, onHand := vectorTotal(t, a), stockOf(t, a, "PRINT-A4").OnHand
	tapButton(t, w, "Undo")
	asked := dialogText(w)
	for _, want := range []string{
		"Put back the pass of the batch of PRINT-A4 from Print Hub ordered on 2026-05-26: 2 rejected PRINT-A4 go back on sale and Print Hub takes orders again?",
		`The pass's note: "edges clean".`,
		"Put back the pass",
		"Cancel",
	} {
		if !strings.Contains(asked, want) {
			t.Errorf("Undo asks:\n%s\nwant %q", asked, want)
		}
	}
	tapButton(t, w, "Cancel")
	if got := must[domain.Batch](t)(a.Batch(ctx, batch.ID)); got.QA != domain.QAFailed || vectorTotal(t, a) != vector {
		t.Errorf("after Cancel the batch is %s and %d changes were made; want it failed still, nothing written", got.QA, vectorTotal(t, a)-vector)
	}
	if got := stockOf(t, a, "PRINT-A4").OnHand; got != onHand {
		t.Errorf("after Cancel PRINT-A4 has %d on hand, want %d: the 2 rejected still out", got, onHand)
	}
	if len(u.syncView.conflicts) != 1 {
		t.Errorf("after Cancel the list shows %d conflicts, want the one still", len(u.syncView.conflicts))
	}
	tapButton(t, w, "Undo")
	tapButton(t, w, "Put back the pass")
	if got := must[domain.Batch](t)(a.Batch(ctx, batch.ID)); got.QA != domain.QAPassed || got.QANote != "edges clean" {
		t.Errorf("after the answer the batch is %s (%q), want the pass back", got.QA, got.QANote)
	}
	if got := stockOf(t, a, "PRINT-A4").OnHand; got != onHand+2 {
		t.Errorf("after the undo PRINT-A4 has %d on hand, want %d: the 2 rejected back", got, onHand+2)
	}
	if len(u.syncView.conflicts) != 0 {
		t.Errorf("after the undo the list shows %d conflicts", len(u.syncView.conflicts))
	}
}

// Keep of a QA conflict asks nothing and moves nothing: the fail stays,
// with its rejected units, and the conflict is settled.
func TestKeepOfAQAConflictMovesNothing(t *testing.T) {
	ctx := context.Background()
	a, _, batch := qaConflictPair(t)
	u, w := newTestUI(t, a, Options{Screen: "sync"})
	onHand := stockOf(t, a, "PRINT-A4").OnHand
	tapButton(t, w, "Keep")
	if got := dialogText(w); got != "" {
		t.Errorf("Keep asked:\n%s\nwant nothing asked", got)
	}
	if got := must[domain.Batch](t)(a.Batch(ctx, batch.ID)); got.QA != domain.QAFailed || stockOf(t, a, "PRINT-A4").OnHand != onHand {
		t.Errorf("after Keep the batch is %s with %d on hand, want failed with %d", got.QA, stockOf(t, a, "PRINT-A4").OnHand, onHand)
	}
	if len(u.syncView.conflicts) != 0 {
		t.Errorf("after Keep the list shows %d conflicts", len(u.syncView.conflicts))
	}
}

// conflictButtons are the Undo and Keep buttons the conflicts list shows.
func conflictButtons(list fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	walk(list, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && o.Visible() && (b.Text == "Undo" || b.Text == "Keep") {
			out = append(out, b)
		}
		return o.Visible()
	})
	return out
}

// The question names what putting a decision back does either way: a fail
// back rejects units on sale, cancels the rest and pauses the factory; a
// pass back sells the rejected units and puts the rest on order again.
func TestUndoQAQuestionSaysWhatItDoes(t *testing.T) {
	base := domain.Batch{SKU: "PIN-CAT", Factory: "Clay Works", Ordered: 20, Received: 10, Held: 1, OrderedAt: testNow.UnixMilli()}
	passed, failed := base, base
	passed.QA, failed.QA = domain.QAPassed, domain.QAFailed
	failed.CancelledAt, failed.QANote = testNow.UnixMilli(), "pins bent"
	for _, tc := range []struct {
		name string
		q    app.QAUndo
		want string
	}{
		{"a fail back", app.QAUndo{Before: passed, After: failed, Factory: "Clay Works", PausedAfter: true},
			"Put back the fail of the batch of PIN-CAT from Clay Works ordered on 2026-06-01: 1 PIN-CAT that passed is rejected and leaves stock, " +
				"the 10 still to come are cancelled and Clay Works is paused?\nThe fail's note: \"pins bent\"."},
		{"a pass back", app.QAUndo{Before: failed, After: passed, Factory: "Clay Works", PausedBefore: true},
			"Put back the pass of the batch of PIN-CAT from Clay Works ordered on 2026-06-01: 1 rejected PIN-CAT goes back on sale, " +
				"the 10 still to come are on order again and Clay Works takes orders again?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, got, _ := undoQAQuestion(tc.q, time.UTC); got != tc.want {
				t.Errorf("Undo asks\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// A conflict settled on the other device leaves the Sync screen once the
// settling change arrives, though the app's own sync reports a state
// meanwhile (passing that change on to the relay it hosts): the status
// line's reading of the shop counted the change as shown, so the screen
// was never read again and offered Undo and Keep on a settled conflict
// until another screen was opened.
func TestAConflictSettledElsewhereLeavesTheSyncScreen(t *testing.T) {
	ctx := context.Background()
	a, b := conflictedPair(t)
	fake := &fakeSync{}
	u, _ := newTestUI(t, a, Options{Screen: "sync", NewSync: func(*app.Shop) SyncController { return fake }})
	u.poll() // the window has looked at the shop once since it opened
	s := u.syncView
	if len(s.conflicts) != 1 {
		t.Fatalf("conflicts shown: %+v", s.conflicts)
	}
	exchange(t, a, b)
	cs := must[[]app.Conflict](t)(b.Conflicts(ctx))
	if len(cs) != 1 {
		t.Fatalf("the laptop lists %+v, want the one conflict", cs)
	}
	must[app.Conflict](t)(b.KeepConflictID(ctx, cs[0].ID()))
	exchange(t, a, b) // as microshopctl sync beside the app
	fake.set(SyncStatus{State: client.StateUpToDate, Relay: "ws://127.0.0.1:7420", Hosting: true})
	u.poll()
	if len(s.conflicts) != 0 || !s.empty.Visible() {
		t.Errorf("after the laptop kept the conflict and it arrived, the Sync screen still lists %d conflicts", len(s.conflicts))
	}
}
