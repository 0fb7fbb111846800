package client

import (
	"context"
	"testing"
	"time"

	"microshop/sync/relay"
)

// The relay operator forgets the shop (`microshop-relay forget`, another
// process) while a device watches. Its next sale finds the relay holding
// none of its changes: Watch is told to sync again, not refused, and sends
// everything again, so a device that then syncs, and one that joins, hold
// the whole shop.
func TestWatchSendsEverythingAgainAfterForget(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr, a, token := syncedShop(t)
	b := joinShop(t, tr.url(), token, a)
	operator, err := relay.OpenSQLiteStore(relay.ShopsPath(tr.dir))
	if err != nil {
		t.Fatal(err)
	}
	defer operator.Close()
	held := func() int64 {
		v, err := operator.Vector(ctx, a.ShopID())
		if err != nil {
			t.Fatal(err)
		}
		return v.Total()
	}
	waitHeld := func(what string) {
		t.Helper()
		local, err := a.Vector(ctx)
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for held() != local.Total() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the relay holds %d changes, the device %d", what, held(), local.Total())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	watched := make(chan error, 1)
	go func() { watched <- Watch(ctx, Config{Relay: tr.url(), Token: token, Replica: a}) }()
	sell(t, a, 3)
	waitHeld("live sales")
	if _, err := operator.Forget(ctx, a.ShopID()); err != nil {
		t.Fatal(err)
	}
	sell(t, a, 1)
	waitHeld("after forget and a sale")

	if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: b}); err != nil {
		t.Fatal(err)
	}
	c := joinShop(t, tr.url(), token, a)
	for name, s := range map[string]int{"the device that synced": available(t, b), "the device that joined": available(t, c)} {
		if s != 96 {
			t.Errorf("%s after forget: %d available, want 96", name, s)
		}
	}
	cancel()
	if err := <-watched; err != nil {
		t.Errorf("Watch ended with %v, want it to go on after forget", err)
	}
}
