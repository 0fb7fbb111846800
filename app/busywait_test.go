package app

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"microshop/domain"
)

// holdShop takes the shop's write lock from another connection, as
// microshopctl importing a long file does, and returns what lets it go.
func holdShop(t *testing.T, s *Shop) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", fileURI(s.Path())+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(context.Background(), `ROLLBACK`)
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// shortBusy makes the busy timeout and the wait before telling short, so
// a wait past them does not take the test ten seconds. Set before the
// shop opens: the timeout is the connection's.
func shortBusy(t *testing.T) {
	timeout, tell := busyTimeout, busyTell
	busyTimeout, busyTell = "200", 100*time.Millisecond
	t.Cleanup(func() { busyTimeout, busyTell = timeout, tell })
}

// A sale tapped in the desktop while microshopctl imports a long file is
// recorded once the import ends, and the desktop is told it waits: it
// failed after ten seconds with "busy in another program", and the sale
// the maker had tapped was lost.
func TestWriteWaitsWhileAnotherProgramWrites(t *testing.T) {
	shortBusy(t)
	s, _ := mustCreate(t)
	mustSKU(t, s, "PAT-1", domain.PathDigital, "")
	var mu sync.Mutex
	var told []bool
	s.WaitWhileBusy(func(waiting bool) {
		mu.Lock()
		told = append(told, waiting)
		mu.Unlock()
	})
	release := holdShop(t, s)
	done := make(chan error, 1)
	go func() {
		_, err := s.Sell(context.Background(), Sale{Code: "PAT-1", Qty: 1})
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the sale ended while another program held the shop: %v", err)
	case <-time.After(time.Second): // five busy timeouts
	}
	mu.Lock()
	if len(told) != 1 || !told[0] {
		t.Errorf("told %v while waiting, want [true]", told)
	}
	mu.Unlock()
	release()
	if err := <-done; err != nil {
		t.Fatalf("the sale failed once the other program was done: %v", err)
	}
	lines, err := s.Sales(context.Background(), day(-1), day(1), "PAT-1")
	if err != nil || len(lines) != 1 {
		t.Fatalf("sales %v, %v; want the one sale", lines, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(told) != 2 || told[1] {
		t.Errorf("told %v, want [true false]", told)
	}
}

// Without WaitWhileBusy (microshopctl), a write that finds the shop held
// past the busy timeout says so in words, and changes nothing: that
// another program is writing a long change, and, for each interface to
// say its way, that what settles it is to wait for that program. "Try
// again in a moment" sent a maker back to a desktop import of a year of
// orders that had a minute to go.
func TestWriteSaysBusyWithoutWaiting(t *testing.T) {
	shortBusy(t)
	s, _ := mustCreate(t)
	mustSKU(t, s, "PAT-1", domain.PathDigital, "")
	holdShop(t, s)
	_, err := s.Sell(context.Background(), Sale{Code: "PAT-1", Qty: 1})
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "is busy: another program is writing a long change to it") ||
		domain.RemedyOf(err) != domain.RemedyWaitForWriter {
		t.Fatalf("got %q (remedy %q), want the shop busy with another program's long change, and to wait for it", msg, domain.RemedyOf(err))
	}
	if lines, err := s.Sales(context.Background(), day(-1), day(1), "PAT-1"); err != nil || len(lines) != 0 {
		t.Errorf("sales %v, %v; want none", lines, err)
	}
}

// A report read while another program writes a long change (an import)
// comes at once: it waited the whole busy timeout, ten seconds, to save
// what it had learned, a cache the next report can learn again, so
// `microshopctl stock` took ten seconds while the desktop imported, and
// the desktop's screens as long while microshopctl did.
func TestAReportDoesNotWaitForAnotherProgramsWrite(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	clock.Set(day(100))
	mustFactory(t, s, "Fab", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Fab")
	if _, err := s.Count(ctx, "MUG", 200, day(0)); err != nil {
		t.Fatal(err)
	}
	for d := range 90 {
		if _, err := s.Sell(ctx, Sale{Code: "MUG", At: day(d + 5)}); err != nil {
			t.Fatal(err)
		}
	}
	holdShop(t, s)
	start := time.Now()
	rows, err := s.Stock(ctx, s.AsOfNow(), "")
	if err != nil || len(rows) != 1 || rows[0].OnHand != 110 {
		t.Fatalf("stock %+v, %v; want MUG with 110 on hand", rows, err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the report took %s while another program held the shop, want it at once", took.Round(time.Millisecond))
	}
}
