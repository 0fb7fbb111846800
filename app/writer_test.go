package app

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"microshop/domain"
)

// The writer begins and ends its transactions itself (writeTx): a write
// whose context is cancelled half-way must still be taken back whole, and
// leave the connection free for the next write.
func TestCancelledWriteIsTakenBackAndTheNextOneLands(t *testing.T) {
	s, _ := mustCreate(t)
	mustFactory(t, s, "Press", 7, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Press")
	ctx, cancel := context.WithCancel(context.Background())
	err := s.write(ctx, func(t *txn) error {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('half', 'written')`); err != nil {
			return err
		}
		cancel()
		_, err := t.tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('never', 'written')`)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a write cancelled half-way returned %v, want the cancellation", err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM meta WHERE key IN ('half', 'never')`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a cancelled write left %d of its rows (%v), want none", n, err)
	}
	if _, err := s.Count(context.Background(), "MUG", 5, s.Now()); err != nil {
		t.Fatalf("the write after a cancelled one failed: %v", err)
	}
	if _, err := s.Sell(context.Background(), Sale{Code: "MUG"}); err != nil {
		t.Fatalf("a sale after a cancelled write failed: %v", err)
	}
}

// A sale under way is recorded even when its context ends meanwhile, as
// when the window closes just after the tap: the sale happened.
func TestSaleUnderWayIsRecordedWholeWhenItsContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var selling atomic.Bool
	now := func() time.Time {
		if selling.Load() {
			cancel() // the sale's transaction has begun: it reads the clock
		}
		return testStart
	}
	s, err := Create(filepath.Join(t.TempDir(), "shop.db"), NewShop{Name: "Test Shop", Device: "desk"}, Options{Now: now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustFactory(t, s, "Press", 7, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Press")
	if _, err := s.Count(context.Background(), "MUG", 5, testStart.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	selling.Store(true)
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2}); err != nil {
		t.Fatalf("a sale whose context ended while it was written was not recorded: %v", err)
	}
	if ctx.Err() == nil {
		t.Fatal("the test's clock did not end the context during the sale")
	}
	if got := mustStock(t, s, "MUG", s.AsOfNow()); got.OnHand != 3 {
		t.Fatalf("after selling 2 of 5, on hand is %d, want 3", got.OnHand)
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a sale asked for after its context ended returned %v, want it not begun", err)
	}
}

// A writer's connection that cannot begin a write (here: still in a
// transaction) is closed, not given back to the pool, where the next write
// took it again and failed as well, every write after it.
func TestAWriterConnectionStuckInATransactionIsNotReused(t *testing.T) {
	s, _ := mustCreate(t)
	mustFactory(t, s, "Press", 7, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Press")
	ctx := context.Background()
	s.writer.mu.Lock()
	_, err := s.writer.conn.ExecContext(ctx, `BEGIN`)
	s.writer.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	s.Count(ctx, "MUG", 5, s.Now()) // refused: its connection cannot begin
	if _, err := s.Count(ctx, "MUG", 5, s.Now()); err != nil {
		t.Fatalf("the write after a stuck connection failed too: %v", err)
	}
}
