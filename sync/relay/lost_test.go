package relay

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"microshop/sync/changes"
	"microshop/sync/wire"
)

// A device connected while its shop is forgotten pushes its next change:
// the relay now holds none of its earlier ones, so the change leaves a
// gap. The device is told to sync again (unavailable, which it retries),
// not that it sent a bad message (which it would not), and on its next
// session it sends everything from the first.
func TestAPushAfterForgetEndsTheSessionAsUnavailable(t *testing.T) {
	ctx := context.Background()
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	desk, _ := f.connect(t, "desk", shopA, token, changes.Vector{})
	desk.push(shopA, makeChanges("desk", 1, 3))
	if _, err := f.store.Forget(ctx, shopA); err != nil {
		t.Fatal(err)
	}
	desk.send(wire.Batch{Shop: shopA, Changes: makeChanges("desk", 4, 4)})
	desk.expectRefusal(wire.CodeUnavailable)

	again, welcome := f.connect(t, "desk", shopA, token, changes.Vector{"desk": 4})
	if len(welcome.Vector) != 0 {
		t.Fatalf("after Forget the welcome's vector is %v, want empty", welcome.Vector)
	}
	if v := again.push(shopA, makeChanges("desk", 1, 4)); v["desk"] != 4 {
		t.Errorf("sending everything again was acknowledged with %v, want desk:4", v)
	}
}

// Devices connected and idle while their shop is forgotten are told to
// sync again without sending anything; another shop's session goes on, and
// sessions whose store only grows are never ended.
func TestForgetEndsTheShopsIdleSessions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store := mustOpenStore(t, filepath.Join(dir, "shops"))
	f := serveFixtureWith(t, Config{Store: store, Tokens: mustOpenTokenDB(t, filepath.Join(dir, "tokens.db")), LostCheck: 5 * time.Millisecond})
	tokenA, tokenB := f.token(t, shopA), f.token(t, shopB)

	desk, _ := f.connect(t, "desk", shopA, tokenA, changes.Vector{})
	other, _ := f.connect(t, "other", shopB, tokenB, changes.Vector{})
	// Many acks while the check runs every few milliseconds: growing is
	// never taken for a loss.
	for seq := int64(1); seq <= 60; seq += 3 {
		desk.push(shopA, makeChanges("desk", seq, seq+2))
		other.push(shopB, makeChanges("other", seq, seq+2))
	}
	stall, _ := f.connect(t, "stall", shopA, tokenA, changes.Vector{"desk": 60})
	stall.probe(shopA)

	if _, err := f.store.Forget(ctx, shopA); err != nil {
		t.Fatal(err)
	}
	desk.expectRefusal(wire.CodeUnavailable)
	stall.expectRefusal(wire.CodeUnavailable)
	other.probe(shopB)
}
