package controller

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/sync/client"
	"microshop/sync/lan"
)

// A token the relay refuses is not remembered in place of the one that
// works: a token mistyped on the Sync screen replaced the good one for
// good (a relay shows a token once), and microshopctl sync, and the app
// starting next, were refused too. microshopctl sync keeps a token only
// once the relay accepts it; so does Connect.
func TestARefusedTokenLeavesTheWorkingOneRemembered(t *testing.T) {
	ctx := context.Background()
	desk := apptest.Zine(t, filepath.Join(t.TempDir(), "desk.db"), 20)
	t.Cleanup(func() { desk.Close() })
	host := NewOn(desk, lan.NewMemory().Network())
	t.Cleanup(func() { host.Close() })
	info, err := host.HostOn(ctx, apptest.FreePort(t))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(info.Addresses[0])
	if err != nil {
		t.Fatal(err)
	}
	relay := "ws://127.0.0.1:" + u.Port()
	laptop := apptest.Replica(t, desk, "laptop", app.Options{})
	ctl := New(laptop)
	t.Cleanup(func() { ctl.Close() })
	if err := ctl.Connect(ctx, relay, info.Token); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the laptop to sync with the relay", func() bool { return ctl.Status().State == client.StateUpToDate })

	wrong := info.Token[:len(info.Token)-4] + "0000"
	if err := ctl.Connect(ctx, relay, wrong); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the relay to refuse the mistyped token", func() bool { return ctl.Status().State == client.StateError })
	if st := ctl.Status(); !strings.Contains(st.Err, "token") {
		t.Errorf("the refusal says %q, want it to name the token", st.Err)
	}
	peer, err := laptop.SyncPeer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if peer.Relay != relay || peer.Token != info.Token {
		t.Errorf("after the relay refused a mistyped token the laptop remembers %+v, want the relay and the token it accepted", peer)
	}
}
