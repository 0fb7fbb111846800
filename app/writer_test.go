package app

import (
	"context"
	"errors"
	"testing"

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
