package relay

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/wire"
)

func mustOpenStore(t *testing.T, dir string) *SQLiteStore {
	t.Helper()
	s, err := OpenSQLiteStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestAppendRefusesAGapAndStoresNothing(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t, t.TempDir())
	if _, err := s.Append(ctx, shopA, makeChanges("a", 1, 2)); err != nil {
		t.Fatal(err)
	}
	batch := append(makeChanges("b", 1, 3), makeChanges("a", 3, 3)...)
	batch = append(batch, makeChanges("a", 5, 5)...)
	if _, err := s.Append(ctx, shopA, batch); domain.ErrorCode(err) != wire.CodeBadMessage {
		t.Fatalf("Append with a gap = %v, want %s", err, wire.CodeBadMessage)
	}
	v, _ := s.Vector(ctx, shopA)
	if v["a"] != 2 || v["b"] != 0 {
		t.Errorf("vector after a refused batch = %v, want a:2 only", v)
	}
}

func TestChangesAfterKeepsOrderAndLimits(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t, t.TempDir())
	if _, err := s.Append(ctx, shopA, append(makeChanges("b", 1, 4), makeChanges("a", 1, 3)...)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		from       changes.Vector
		maxChanges int
		maxBytes   int
		want       []changes.Change
	}{
		{"all, origins in order", changes.Vector{}, 100, 1 << 20, append(makeChanges("a", 1, 3), makeChanges("b", 1, 4)...)},
		{"after a vector", changes.Vector{"a": 3, "b": 1, "z": 9}, 100, 1 << 20, makeChanges("b", 2, 4)},
		{"count limit", changes.Vector{}, 4, 1 << 20, append(makeChanges("a", 1, 3), makeChanges("b", 1, 1)...)},
		{"byte limit", changes.Vector{}, 100, 2 * wire.ChangeSize(makeChanges("a", 1, 1)[0]), makeChanges("a", 1, 2)},
		{"one change even over the byte limit", changes.Vector{}, 100, 1, makeChanges("a", 1, 1)},
		{"nothing new", changes.Vector{"a": 3, "b": 4}, 100, 1 << 20, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ChangesAfter(ctx, shopA, tt.from, tt.maxChanges, tt.maxBytes)
			if err != nil {
				t.Fatal(err)
			}
			sameChanges(t, got, tt.want)
		})
	}
}

func TestShopsAreSeparateAndDurable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenSQLiteStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, shopA, makeChanges("a", 1, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, shopB, makeChanges("b", 1, 1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := s.Vector(ctx, shopA); err == nil {
		t.Error("a closed store still answers")
	}

	s = mustOpenStore(t, dir)
	got, err := s.ChangesAfter(ctx, shopA, changes.Vector{}, 100, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sameChanges(t, got, makeChanges("a", 1, 2))
	if files, _ := filepath.Glob(filepath.Join(dir, "*.db")); len(files) != 2 {
		t.Errorf("files %v, want one database per shop", files)
	}
	if _, err := s.Vector(ctx, "../escape"); err == nil {
		t.Error("a shop id naming another directory was accepted")
	}
}

func TestConcurrentAppendsKeepEveryChange(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t, t.TempDir())
	const devices, perDevice = 4, 50
	var wg sync.WaitGroup
	for d := range devices {
		origin := string(rune('a' + d))
		wg.Go(func() {
			for seq := int64(1); seq <= perDevice; seq += 10 {
				if _, err := s.Append(ctx, shopA, makeChanges(origin, seq, seq+9)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	v, _ := s.Vector(ctx, shopA)
	if v.Total() != devices*perDevice {
		t.Errorf("vector %v covers %d changes, want %d", v, v.Total(), devices*perDevice)
	}
}

func TestSQLitePragmasApplyToEveryConnection(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t, t.TempDir())
	sh, err := s.shop(ctx, shopA)
	if err != nil {
		t.Fatal(err)
	}
	// Hold one connection so the next query opens another.
	conn, err := sh.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var mode string
	var sync, busy int
	row := sh.db.QueryRowContext(ctx, `SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT synchronous FROM pragma_synchronous), (SELECT timeout FROM pragma_busy_timeout)`)
	if err := row.Scan(&mode, &sync, &busy); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || sync != 2 || busy != 5000 {
		t.Errorf("journal_mode %q, synchronous %d, busy_timeout %d; want wal, 2 (FULL), 5000", mode, sync, busy)
	}
}

// TestAppendMatchesAModel: whatever batches arrive (duplicated, overlapping,
// out of order, with gaps), the store accepts exactly those a dense log
// would, atomically, and holds every accepted change once.
func TestAppendMatchesAModel(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t, t.TempDir())
	run := 0
	rapid.Check(t, func(t *rapid.T) {
		run++
		// Each run has its own origins, so runs share one database.
		origins := []string{fmt.Sprintf("r%d-a", run), fmt.Sprintf("r%d-b", run)}
		model := changes.Vector{}
		for range rapid.IntRange(1, 8).Draw(t, "batches") {
			var batch []changes.Change
			for range rapid.IntRange(0, 3).Draw(t, "runs") {
				o := rapid.SampledFrom(origins).Draw(t, "origin")
				from := rapid.Int64Range(1, model[o]+3).Draw(t, "from")
				batch = append(batch, makeChanges(o, from, from+rapid.Int64Range(0, 4).Draw(t, "len"))...)
			}
			want, ok := model.Clone(), true
			for _, c := range batch {
				if c.Seq > want[c.Origin]+1 {
					ok = false
					break
				}
				want[c.Origin] = max(want[c.Origin], c.Seq)
			}
			got, err := s.Append(ctx, shopA, batch)
			if ok != (err == nil) {
				t.Fatalf("Append(%v) = %v, model accepts: %v", describeBatch(batch), err, ok)
			}
			if ok {
				model = want
				for _, o := range origins {
					if got[o] != model[o] {
						t.Fatalf("vector %v, model %v", got, model)
					}
				}
			}
		}
		held, err := s.ChangesAfter(ctx, shopA, changes.Vector{}, 1<<20, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		var mine []changes.Change
		for _, c := range held {
			if slices.Contains(origins, c.Origin) {
				mine = append(mine, c)
			}
		}
		want := append(makeChanges(origins[0], 1, model[origins[0]]), makeChanges(origins[1], 1, model[origins[1]])...)
		if !reflect.DeepEqual(mine, want) {
			t.Fatalf("store holds %d changes of this run, want %d", len(mine), len(want))
		}
	})
}

func describeBatch(batch []changes.Change) string {
	var b strings.Builder
	for _, c := range batch {
		fmt.Fprintf(&b, "%s/%d ", c.Origin, c.Seq)
	}
	return b.String()
}
