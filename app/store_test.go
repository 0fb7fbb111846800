package app

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"microshop/domain"
)

// A sale the till has reported as made must survive the laptop's battery
// dying a moment later, not only the program being killed: every
// connection to the shop waits for the disk to hold a commit before the
// commit returns (SQLite's synchronous FULL). With NORMAL, a power cut
// could take back the last sales in the write-ahead log, after "Sold".
func TestEveryConnectionWaitsForTheDiskBeforeASaleIsReported(t *testing.T) {
	s, _ := mustCreate(t)
	ctx := context.Background()
	var conns []*sql.Conn
	for range 3 { // held at once, so each is another pooled connection
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var level int
		if err := c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil {
			t.Fatal(err)
		}
		if level != 2 {
			t.Errorf("connection %d: synchronous = %d, want 2 (FULL): a commit must be on the disk before a sale is reported", i, level)
		}
	}
}

// A shop being made when the power went (init, or Create a shop in the
// desktop app) is no shop at all: making it again works. It was left
// half made at its path, and every command then said something else:
// "not a complete shop; remove it", "there is already a shop", "another
// program's database" or "the disk is read-only".
func TestAShopCutOffWhileBeingMadeIsMadeAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	in := NewShop{Name: "Fern & Kiln", Device: "stall"}
	func() {
		createCut = func(s *Shop) { s.Close(); panic("power cut") }
		defer func() { createCut = func(*Shop) {}; recover() }()
		Create(path, in, Options{})
	}()
	if _, err := Open(path, Options{}); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("opening the shop cut off: %v (code %q), want no shop there", err, domain.ErrorCode(err))
	}
	s, err := Create(path, in, Options{})
	if err != nil {
		t.Fatalf("making the shop again: %v", err)
	}
	defer s.Close()
	if info, err := s.Info(context.Background()); err != nil || info.Name != "Fern & Kiln" {
		t.Fatalf("the shop made again is %+v (%v), want Fern & Kiln", info, err)
	}
}

// Another device's changes are applied without waiting for the disk (a
// power cut takes back the batch and its vector, and the next sync brings
// it again), but a sale made after them waits, as every change made here
// does: the writer is back at FULL once the batch is in.
func TestASaleAfterASyncBatchStillWaitsForTheDisk(t *testing.T) {
	a, clock := mustCreate(t)
	mustFactory(t, a, "Press", 5, true)
	mustSKU(t, a, "MUG", domain.PathMicrofactory, "Press")
	b := mustReplica(t, a, clock.Now)
	syncPair(t, a, b)
	level := func(when string) {
		t.Helper()
		w := &b.writer
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.conn == nil {
			t.Fatalf("%s: the writer has no connection", when)
		}
		var n int
		if err := w.conn.QueryRowContext(context.Background(), `PRAGMA synchronous`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("%s: the writer's synchronous = %d, want 2 (FULL)", when, n)
		}
	}
	level("after a sync batch")
	if _, err := b.Count(context.Background(), "MUG", 5, testStart); err != nil {
		t.Fatal(err)
	}
	level("after a count made here")
}

// A demo cut off while it was being filled (a kill, a power cut) left an
// empty demo shop at its path, and nothing said so: the maker opened a
// shop with nothing in it, and demo again said there was a shop already.
// It is no shop at all, and demo makes it again, filled.
func TestADemoCutOffWhileBeingFilledIsMadeAgain(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	opts := Options{Now: newFakeClock(testStart).Now, Location: testStart.Location()}
	func() {
		demoCut = func(s *Shop) { s.Close(); panic("power cut") }
		defer func() { demoCut = func(*Shop) {}; recover() }()
		Demo(ctx, path, 1, opts)
	}()
	if s, err := Open(path, opts); domain.ErrorCode(err) != domain.ENotFound {
		if err == nil {
			s.Close()
		}
		t.Errorf("opening the demo cut off: %v (code %q), want no shop there", err, domain.ErrorCode(err))
	}
	s, err := Demo(ctx, path, 1, opts)
	if err != nil {
		t.Fatalf("making the demo again: %v", err)
	}
	defer s.Close()
	stock, err := s.Stock(ctx, s.AsOfNow(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(stock) < 25 {
		t.Errorf("the demo made again has %d SKUs, want its thirty", len(stock))
	}
}
