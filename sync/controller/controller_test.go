package controller

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/client"
)

func newTestShop(t *testing.T) *app.Shop { return apptest.Shop(t, "Desk", app.Options{}) }

func TestBundleThroughTheController(t *testing.T) {
	ctx := context.Background()
	desk := newTestShop(t)
	ctl := New(desk)
	var buf bytes.Buffer
	n, err := ctl.ExportBundle(ctx, &buf)
	if err != nil || n == 0 {
		t.Fatalf("export: %d changes, %v", n, err)
	}
	other := newTestShop(t)
	if _, err := New(other).ImportBundle(ctx, bytes.NewReader(buf.Bytes()), "desk.msb"); domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("importing another shop's bundle: %v", err)
	}
	again, err := ctl.ImportBundle(ctx, bytes.NewReader(buf.Bytes()), "desk.msb")
	if err != nil || again != 0 {
		t.Fatalf("re-importing its own bundle applied %d (%v), want 0", again, err)
	}
	cut := buf.Bytes()[:buf.Len()/2]
	replica := apptest.Replica(t, desk, "laptop", app.Options{})
	_, err = New(replica).ImportBundle(ctx, bytes.NewReader(cut), "desk.msb")
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "desk.msb is cut short") {
		t.Fatalf("importing half a bundle: %q, want it named cut short", msg)
	}
	if v, _ := replica.Vector(ctx); v.Total() != 0 {
		t.Fatalf("half a bundle changed the replica: %v", v)
	}
}

// While a relay cannot be reached, the status keeps saying why through
// each new attempt, until one connects: the reason was dropped as the next
// attempt began, so the window said "Connecting…" for ever with no cause.
func TestRetryingKeepsTheReasonUntilConnected(t *testing.T) {
	c := New(newTestShop(t))
	refused := domain.Errorf(domain.EUnavailable, "cannot reach the relay at ws://127.0.0.1:9")
	c.onStatus(client.Status{State: client.StateConnecting})
	c.onStatus(client.Status{State: client.StateOffline, Err: refused})
	c.onStatus(client.Status{State: client.StateConnecting})
	if st := c.Status(); st.State != client.StateConnecting || !strings.Contains(st.Err, "cannot reach the relay") {
		t.Fatalf("retrying: %+v, want connecting with the reason of the last failure", st)
	}
	c.onStatus(client.Status{State: client.StateSyncing, Pending: 3})
	if st := c.Status(); st.Err != "" {
		t.Fatalf("connected: %+v, want the old reason gone", st)
	}
}

// A device the maker disconnected stays off the relay when the app starts
// again, until Connect: it came back retrying, in red on every screen.
// One that was connected when the app closed connects again by itself.
func TestDisconnectHoldsAcrossARestart(t *testing.T) {
	ctx := context.Background()
	shop := newTestShop(t)
	start := func() *Controller { // as the app does when it starts
		c := New(shop)
		t.Cleanup(func() { c.disconnect() })
		return c
	}
	c := start()
	if err := c.Connect(ctx, "ws://127.0.0.1:9", "tok"); err != nil {
		t.Fatal(err)
	}
	if st := start().Status(); st.State == client.StateOffline {
		t.Fatalf("a device connected when the app closed starts offline: %+v", st)
	}
	if err := c.Disconnect(); err != nil {
		t.Fatal(err)
	}
	again := start()
	if st := again.Status(); st.State != client.StateOffline {
		t.Errorf("after Disconnect the app starts %q, want offline", st.State)
	}
	if err := c.Connect(ctx, "ws://127.0.0.1:9", "tok"); err != nil {
		t.Fatal(err)
	}
	if st := start().Status(); st.State == client.StateOffline {
		t.Errorf("after Connect again the app starts offline: %+v", st)
	}
}

// Quitting the app (Close) is not the maker disconnecting: the app starts
// connected again. It came back offline after every restart.
func TestClosingTheAppKeepsSyncOnForTheNextStart(t *testing.T) {
	ctx := context.Background()
	shop := newTestShop(t)
	c := New(shop)
	if err := c.Connect(ctx, "ws://127.0.0.1:9", "tok"); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	again := New(shop)
	t.Cleanup(func() { again.disconnect() })
	if st := again.Status(); st.State == client.StateOffline {
		t.Errorf("after the app closed, it starts %q, want connecting to its relay", st.State)
	}
}

// A shop that can only be read here (on a write-protected stick) takes in
// no changes: the app starting does not connect it to the relay it synced
// with, and connecting, hosting and importing a bundle are refused with
// the sentence that says why, writing nothing.
func TestAReadOnlyShopNeitherSyncsNorHosts(t *testing.T) {
	ctx := context.Background()
	desk := newTestShop(t)
	laptop := apptest.Replica(t, desk, "laptop", app.Options{})
	apptest.Factory(t, laptop, "Kiln", domain.KindWorkshop, 5, false)
	var bundle bytes.Buffer
	if _, err := New(laptop).ExportBundle(ctx, &bundle); err != nil {
		t.Fatal(err)
	}
	if err := desk.SetSyncPeer(ctx, app.SyncPeer{Relay: "ws://127.0.0.1:9", Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	path := desk.Path()
	desk.Close()
	before := apptest.WriteProtect(t, path)
	ro, err := app.Open(path, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()

	c := New(ro)
	defer c.Close()
	if st := c.Status(); st.State != client.StateOffline {
		t.Errorf("starting on a read-only shop: %+v, want it offline", st)
	}
	_, hostErr := c.Host(ctx)
	_, importErr := c.ImportBundle(ctx, bytes.NewReader(bundle.Bytes()), "laptop.msb")
	for what, err := range map[string]error{
		"connect": c.Connect(ctx, "ws://127.0.0.1:9", "tok"),
		"host":    hostErr,
		"import":  importErr,
	} {
		if domain.ErrorCode(err) != domain.EReadOnly || !strings.Contains(domain.ErrorMessage(err), "can only be read here") {
			t.Errorf("%s: %v, want it refused as read-only", what, err)
		}
	}
	if err := c.Disconnect(); err != nil {
		t.Errorf("disconnect: %v", err)
	}
	c.Close()
	ro.Close()
	before.Unchanged(t, filepath.Dir(path))
}
