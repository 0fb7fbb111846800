package controller

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/sync/client"
	"microshop/sync/lan"
)

// A computer that hosts sync counts its changes synced once another
// device holds them, not once its own relay, on the same disk, does: the
// status bar said "all changes synced" of sales that had never left it.
func TestHostingCountsChangesSyncedOnceAnotherDeviceHoldsThem(t *testing.T) {
	ctx := context.Background()
	desk := apptest.Zine(t, filepath.Join(t.TempDir(), "desk.db"), 20)
	t.Cleanup(func() { desk.Close() })
	apptest.Sell(t, desk, "ZINE", 2, time.Time{}, false)
	ctl := NewOn(desk, lan.NewMemory().Network())
	t.Cleanup(func() { ctl.StopHosting() })
	info, err := ctl.HostOn(ctx, apptest.FreePort(t))
	if err != nil {
		t.Fatal(err)
	}
	unsynced := func() int64 {
		st, err := desk.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st.Unsynced
	}
	waitFor(t, "the computer to sync with the relay it hosts", func() bool { return ctl.Status().State == client.StateUpToDate })
	if n := unsynced(); n == 0 {
		t.Fatal("with only its own relay holding them, the hosting computer counts every change synced")
	}
	if !ctl.Status().LastSync.IsZero() {
		t.Errorf("syncing with its own relay set the last sync to %v", ctl.Status().LastSync)
	}

	u, err := url.Parse(info.Addresses[0])
	if err != nil {
		t.Fatal(err)
	}
	partner := apptest.Replica(t, desk, "partner", app.Options{})
	cfg := client.Config{Relay: "ws://127.0.0.1:" + u.Port(), Token: info.Token, Replica: partner}
	if _, err := client.Sync(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	// A device taking the shop for the first time holds it only once its
	// join ends (cut short, it throws its copy away), so the host counts
	// it from that device's next sync: a join killed midway had marked a
	// tenth of the shop synced for good.
	time.Sleep(3 * elsewherePoll)
	if n := unsynced(); n == 0 {
		t.Fatal("a device's first sync, its join, counted the host's changes synced")
	}
	if _, err := client.Sync(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hosting computer to count its changes synced", func() bool { return unsynced() == 0 })
}

// waitFor waits up to five seconds for ok, failing with what it waited for.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("waited five seconds for %s", what)
}

// Stopping hosting goes back to the relay the computer synced with
// before (it stayed offline), and Disconnect while hosting stops hosting
// too (the relay in the app went on serving a copy the app no longer fed).
func TestHostingGivesWayToTheRelayUsedBefore(t *testing.T) {
	ctx := context.Background()
	desk := apptest.Zine(t, filepath.Join(t.TempDir(), "desk.db"), 20)
	t.Cleanup(func() { desk.Close() })
	ctl := NewOn(desk, lan.NewMemory().Network())
	t.Cleanup(func() { ctl.Close() })
	if err := ctl.Connect(ctx, "ws://127.0.0.1:9", "tok"); err != nil {
		t.Fatal(err)
	}
	if _, err := ctl.HostOn(ctx, apptest.FreePort(t)); err != nil {
		t.Fatal(err)
	}
	if err := ctl.StopHosting(); err != nil {
		t.Fatal(err)
	}
	if st := ctl.Status(); st.Relay != "ws://127.0.0.1:9" || st.State == client.StateOffline {
		t.Errorf("after hosting stopped: %s with %s, want connecting to ws://127.0.0.1:9 again", st.State, st.Relay)
	}
	if _, err := ctl.HostOn(ctx, apptest.FreePort(t)); err != nil {
		t.Fatal(err)
	}
	if err := ctl.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if _, hosting := ctl.Hosting(); hosting || ctl.Status().State != client.StateOffline {
		t.Errorf("after Disconnect while hosting: hosting %v, %s; want neither hosting nor connected", hosting, ctl.Status().State)
	}
}

// Hosting again uses the same token and port, so the devices that joined
// the host find it again: each time had made a new token that never
// expired, and a port taken at one start moved the host out of reach.
func TestHostingAgainKeepsItsTokenAndPort(t *testing.T) {
	ctx := context.Background()
	desk := apptest.Zine(t, filepath.Join(t.TempDir(), "desk.db"), 20)
	t.Cleanup(func() { desk.Close() })
	ctl := NewOn(desk, lan.NewMemory().Network())
	t.Cleanup(func() { ctl.Close() })
	first, err := ctl.HostOn(ctx, apptest.FreePort(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := ctl.StopHosting(); err != nil {
		t.Fatal(err)
	}
	again, err := ctl.Host(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Token != first.Token || again.Addresses[0] != first.Addresses[0] {
		t.Errorf("hosting again: %s with %q, want %s with %q as before", again.Addresses[0], again.Token, first.Addresses[0], first.Token)
	}
}

// Once hosting stops, the status offers back the relay the maker
// connected with, or none, and not the hosted relay's own address: that
// address was dead, yet the Sync screen filled it in again as the relay to
// connect to, which retried it for ever.
func TestStoppingHostingOffersNoDeadRelay(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		before string // the relay connected with before hosting, if any
		stop   func(*Controller) error
	}{
		{"stop hosting, no relay before", "", (*Controller).StopHosting},
		{"disconnect, no relay before", "", (*Controller).Disconnect},
		{"disconnect, a relay before", "ws://127.0.0.1:9", (*Controller).Disconnect},
	} {
		t.Run(c.name, func(t *testing.T) {
			desk := apptest.Zine(t, filepath.Join(t.TempDir(), "desk.db"), 20)
			t.Cleanup(func() { desk.Close() })
			ctl := NewOn(desk, lan.NewMemory().Network())
			t.Cleanup(func() { ctl.Close() })
			if c.before != "" {
				if err := ctl.Connect(ctx, c.before, "tok"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := ctl.HostOn(ctx, apptest.FreePort(t)); err != nil {
				t.Fatal(err)
			}
			if st := ctl.Status(); !st.Hosting {
				t.Errorf("while hosting the status says it is not: %+v", st)
			}
			if err := c.stop(ctl); err != nil {
				t.Fatal(err)
			}
			if st := ctl.Status(); st.Relay != c.before || st.Hosting {
				t.Errorf("after hosting stopped: relay %q, hosting %v; want relay %q, not hosting", st.Relay, st.Hosting, c.before)
			}
		})
	}
}

// A hosting computer counts the devices connected to it: with nobody
// connected it said "all changes synced" while a laptop on the remote
// relay sold units it never saw.
func TestHostingCountsTheDevicesConnected(t *testing.T) {
	ctx := context.Background()
	desk := apptest.Zine(t, filepath.Join(t.TempDir(), "desk.db"), 20)
	t.Cleanup(func() { desk.Close() })
	ctl := NewOn(desk, lan.NewMemory().Network())
	t.Cleanup(func() { ctl.Close() })
	info, err := ctl.HostOn(ctx, apptest.FreePort(t))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the computer to sync with the relay it hosts", func() bool { return ctl.Status().State == client.StateUpToDate })
	time.Sleep(2 * elsewherePoll)
	if n := ctl.Status().Connected; n != 0 {
		t.Fatalf("with no other device connected the host counts %d, counting itself", n)
	}

	u, err := url.Parse(info.Addresses[0])
	if err != nil {
		t.Fatal(err)
	}
	partner := apptest.Replica(t, desk, "partner", app.Options{})
	live, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		client.Watch(live, client.Config{Relay: "ws://127.0.0.1:" + u.Port(), Token: info.Token, Replica: partner})
	}()
	waitFor(t, "the host to count the partner connected", func() bool { return ctl.Status().Connected == 1 })
	stop()
	<-done
	waitFor(t, "the host to count the partner gone", func() bool { return ctl.Status().Connected == 0 })

	if err := ctl.StopHosting(); err != nil {
		t.Fatal(err)
	}
	if n := ctl.Status().Connected; n != 0 {
		t.Errorf("after hosting stopped the status still counts %d devices connected", n)
	}
}
