package relay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
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

// The store tests run against every back end: both must behave alike, as
// the relay cannot tell them apart.

// closableStore is a Store the suite can close and open again.
type closableStore interface {
	Store
	io.Closer
}

// backend makes stores over one place: a directory, or a database.
type backend struct {
	name string
	// place makes a new, empty place for the test.
	place func(t *testing.T) string
	// open opens a store over place; several may be open at once, as
	// several relay processes would. The test closes it when it ends.
	open func(t *testing.T, place string) closableStore
}

var backends = []backend{
	{
		name:  "sqlite",
		place: func(t *testing.T) string { return t.TempDir() },
		open:  func(t *testing.T, dir string) closableStore { return mustOpenStore(t, dir) },
	},
	{
		name:  "postgres",
		place: func(t *testing.T) string { return pgTestURL(t) },
		open:  func(t *testing.T, url string) closableStore { return mustOpenPGStore(t, url) },
	},
}

// eachBackend runs test once per back end, with a new empty store.
func eachBackend(t *testing.T, test func(t *testing.T, b backend, place string, s closableStore)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			place := b.place(t)
			test(t, b, place, b.open(t, place))
		})
	}
}

func TestAppendRefusesAGapAndStoresNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ backend, _ string, s closableStore) {
		ctx := context.Background()
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
	})
}

func TestChangesAfterKeepsOrderAndLimits(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ backend, _ string, s closableStore) {
		ctx := context.Background()
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
	})
}

func TestConcurrentAppendsKeepEveryChange(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ backend, _ string, s closableStore) {
		ctx := context.Background()
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
	})
}

// TestAppendMatchesAModel: whatever batches arrive (duplicated, overlapping,
// out of order, with gaps), the store accepts exactly those a dense log
// would, atomically, and holds every accepted change once.
func TestAppendMatchesAModel(t *testing.T) {
	eachBackend(t, func(t *testing.T, _ backend, _ string, s closableStore) {
		ctx := context.Background()
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
	})
}

func describeBatch(batch []changes.Change) string {
	var b strings.Builder
	for _, c := range batch {
		fmt.Fprintf(&b, "%s/%d ", c.Origin, c.Seq)
	}
	return b.String()
}

func TestShopsAreSeparateAndDurable(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend, place string, s closableStore) {
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
		s = b.open(t, place)
		got, err := s.ChangesAfter(ctx, shopA, changes.Vector{}, 100, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		sameChanges(t, got, makeChanges("a", 1, 2))
		if v, _ := s.Vector(ctx, shopB); !reflect.DeepEqual(v, changes.Vector{"b": 1}) {
			t.Errorf("shop B's vector after reopening = %v, want b:1", v)
		}
	})
}

func TestRaiseSchemaKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, _ backend, _ string, s closableStore) {
		for _, step := range []struct {
			shop         string
			schema, want int
		}{
			{shopA, 1, 1}, {shopA, 3, 3}, {shopA, 2, 3}, {shopB, 2, 2},
		} {
			got, err := s.RaiseSchema(ctx, step.shop, step.schema)
			if err != nil {
				t.Fatal(err)
			}
			if got != step.want {
				t.Errorf("RaiseSchema(%d) = %d, want %d", step.schema, got, step.want)
			}
		}
	})
}

// The first key offered for a shop is its write key until the operator
// resets it: a later offer of another does not replace it, and shops are
// kept apart.
func TestBindWriteKeyKeepsTheFirst(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend, place string, s closableStore) {
		first, second := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
		for _, step := range []struct {
			shop        string
			offer, want []byte
		}{
			{shopA, nil, nil}, {shopA, first, first}, {shopA, second, first}, {shopA, nil, first}, {shopB, second, second},
		} {
			got, err := s.BindWriteKey(ctx, step.shop, step.offer)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, step.want) {
				t.Errorf("BindWriteKey(%s, %x) = %x, want %x", step.shop, step.offer, got, step.want)
			}
		}
		again := b.open(t, place)
		if got, _ := again.BindWriteKey(ctx, shopA, nil); !bytes.Equal(got, first) {
			t.Errorf("after reopening, shop A's key is %x, want %x", got, first)
		}
		// A key bound by the wrong device is forgotten on the operator's
		// word; the next one offered binds, and shop B keeps its own.
		if err := again.ResetWriteKey(ctx, shopA); err != nil {
			t.Fatal(err)
		}
		if got, _ := again.BindWriteKey(ctx, shopA, second); !bytes.Equal(got, second) {
			t.Errorf("after a reset, shop A binds %x, want %x", got, second)
		}
		if got, _ := again.BindWriteKey(ctx, shopB, nil); !bytes.Equal(got, second) {
			t.Errorf("resetting shop A changed shop B's key to %x", got)
		}
	})
}

// A device's first key is its key for the shop until the shop's write key
// is reset, which forgets the device keys it vouched for; the point a
// change carries comes back with it.
func TestDeviceKeysAndPointsAreKept(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend, place string, s closableStore) {
		first, second := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
		if got, err := s.KeyOf(ctx, shopA, "dev"); err != nil || got != nil {
			t.Fatalf("KeyOf an unknown device = %x, %v; want none", got, err)
		}
		for _, step := range []struct {
			shop        string
			offer, want []byte
		}{
			{shopA, first, first}, {shopA, second, first}, {shopB, second, second},
		} {
			if got, err := s.BindDeviceKey(ctx, step.shop, "dev", step.offer); err != nil || !bytes.Equal(got, step.want) {
				t.Errorf("BindDeviceKey(%s, %x) = %x, %v; want %x", step.shop, step.offer, got, err, step.want)
			}
		}
		batch := makeChanges("dev", 1, 3)
		batch[2].Sig = "a-point"
		if _, err := s.Append(ctx, shopA, batch); err != nil {
			t.Fatal(err)
		}
		again := b.open(t, place)
		got, err := again.ChangesAfter(ctx, shopA, nil, 10, 1<<20)
		if err != nil || len(got) != 3 || got[2].Sig != "a-point" || got[0].Sig != "" {
			t.Errorf("after reopening: %+v, %v; want the point on the third change only", got, err)
		}
		if got, _ := again.KeyOf(ctx, shopA, "dev"); !bytes.Equal(got, first) {
			t.Errorf("after reopening, the device's key is %x, want %x", got, first)
		}
		if err := again.ResetWriteKey(ctx, shopA); err != nil {
			t.Fatal(err)
		}
		if got, _ := again.KeyOf(ctx, shopA, "dev"); got != nil {
			t.Errorf("after a reset of the write key, the device's key is %x, want none", got)
		}
		if got, _ := again.KeyOf(ctx, shopB, "dev"); !bytes.Equal(got, second) {
			t.Errorf("resetting shop A changed shop B's device key to %x", got)
		}
	})
}

// TestTwoStoresTakeTheSameBatchAtOnce: two stores over one place are two
// relay processes; a device that reconnected to the other relay mid-sync
// has its batches arrive at both at once. Every change is stored once and
// densely, and both acks cover the batch.
func TestTwoStoresTakeTheSameBatchAtOnce(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, b backend, place string, first closableStore) {
		second := b.open(t, place)
		const batches, size = 20, 25
		var wg sync.WaitGroup
		for _, s := range []Store{first, second} {
			wg.Go(func() {
				for i := range int64(batches) {
					batch := makeChanges("dev", i*size+1, (i+1)*size)
					v, err := s.Append(ctx, shopA, batch)
					if err != nil {
						t.Error(err)
						return
					}
					if v["dev"] < (i+1)*size {
						t.Errorf("ack %v does not cover the batch up to %d", v, (i+1)*size)
					}
				}
			})
		}
		wg.Wait()
		got, err := first.ChangesAfter(ctx, shopA, changes.Vector{}, 1<<20, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		sameChanges(t, got, makeChanges("dev", 1, batches*size))
	})
}

// tokenAdmin is what the token commands and the relay do with tokens.
type tokenAdmin interface {
	fixtureTokens
	List(ctx context.Context) ([]Token, error)
}

// eachTokenBackend runs test once per back end, with no token yet.
func eachTokenBackend(t *testing.T, test func(t *testing.T, db tokenAdmin)) {
	t.Run("sqlite", func(t *testing.T) {
		test(t, mustOpenTokenDB(t, filepath.Join(t.TempDir(), "tokens.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		test(t, mustOpenPGStore(t, pgTestURL(t)))
	})
}

// sealedChanges are origin's changes as a sealed shop sends them: the
// entity "sealed", the body unreadable to the relay.
func sealedChanges(origin string, from, to int64) []changes.Change {
	cs := makeChanges(origin, from, to)
	for i := range cs {
		cs[i].Entity = sealedEntity
		cs[i].Body = json.RawMessage(`"c2VhbGVk"`)
	}
	return cs
}

// Forget drops every change of the shop and its vector, so devices send
// theirs again from the first; the shop's schema and write key stay, so
// devices that cannot seal stay turned away and no one else can write;
// other shops are untouched. The plan says the same and changes nothing.
func TestForgetDropsAShopsChangesAndKeepsItsSchema(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, _ backend, _ string, s closableStore) {
		if _, err := s.Append(ctx, shopA, append(makeChanges("a", 1, 3), sealedChanges("b", 1, 2)...)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Append(ctx, shopB, makeChanges("c", 1, 1)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RaiseSchema(ctx, shopA, 2); err != nil {
			t.Fatal(err)
		}
		writeKey := bytes.Repeat([]byte{7}, 32)
		if _, err := s.BindWriteKey(ctx, shopA, writeKey); err != nil {
			t.Fatal(err)
		}
		want := ForgetReport{Shop: shopA, Changes: 5, Clear: 3, Origins: map[string]int{"a": 3, "b": 2}}
		plan, err := s.ForgetPlan(ctx, shopA)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(plan, want) {
			t.Errorf("ForgetPlan = %+v, want %+v", plan, want)
		}
		if v, _ := s.Vector(ctx, shopA); !reflect.DeepEqual(v, changes.Vector{"a": 3, "b": 2}) {
			t.Errorf("after ForgetPlan the vector is %v, want it unchanged", v)
		}

		got, err := s.Forget(ctx, shopA)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Forget = %+v, want %+v", got, want)
		}
		if v, _ := s.Vector(ctx, shopA); len(v) != 0 {
			t.Errorf("after Forget the vector is %v, want empty", v)
		}
		if held, _ := s.ChangesAfter(ctx, shopA, changes.Vector{}, 100, 1<<20); len(held) != 0 {
			t.Errorf("after Forget the store still holds %d changes", len(held))
		}
		if schema, _ := s.RaiseSchema(ctx, shopA, 1); schema != 2 {
			t.Errorf("after Forget the shop's schema is %d, want 2 kept", schema)
		}
		if bound, _ := s.BindWriteKey(ctx, shopA, bytes.Repeat([]byte{9}, 32)); !bytes.Equal(bound, writeKey) {
			t.Errorf("after Forget another write key could be bound: the shop has %x, want %x kept", bound, writeKey)
		}
		if v, _ := s.Vector(ctx, shopB); !reflect.DeepEqual(v, changes.Vector{"c": 1}) {
			t.Errorf("forgetting shop A changed shop B: %v", v)
		}
		if v, err := s.Append(ctx, shopA, sealedChanges("a", 1, 2)); err != nil || v["a"] != 2 {
			t.Errorf("a device sending again from 1 after Forget: %v, %v", v, err)
		}
		if again, _ := s.ForgetPlan(ctx, shopA); again.Changes != 2 || again.Clear != 0 {
			t.Errorf("plan after the changes came back sealed = %+v, want 2 changes, none in the clear", again)
		}
	})
}

// An id that is not a shop's, or a shop never held, is refused naming it,
// and neither creates the shop.
func TestForgetRefusesBadAndUnknownShops(t *testing.T) {
	ctx := context.Background()
	eachBackend(t, func(t *testing.T, _ backend, _ string, s closableStore) {
		for _, tt := range []struct{ shop, code string }{
			{"../escape", domain.EInvalid},
			{"Shop A", domain.EInvalid},
			{"", domain.EInvalid},
			{"never-seen", domain.ENotFound},
		} {
			for name, op := range map[string]func(context.Context, string) (ForgetReport, error){"ForgetPlan": s.ForgetPlan, "Forget": s.Forget} {
				_, err := op(ctx, tt.shop)
				if domain.ErrorCode(err) != tt.code || !strings.Contains(domain.ErrorMessage(err), tt.shop) {
					t.Errorf("%s(%q) = %v, want a %s error naming it", name, tt.shop, err, tt.code)
				}
			}
		}
		if _, err := s.ForgetPlan(ctx, "never-seen"); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("after Forget of an unknown shop, ForgetPlan = %v: the shop was created", err)
		}
	})
}
