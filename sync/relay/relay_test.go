package relay

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/wire"
)

func TestHealthz(t *testing.T) {
	f := mustOpenFixture(t)
	res, err := http.Get(f.server.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", res.StatusCode)
	}
	res, err = http.Get(f.server.URL + "/nothing")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nothing = %d, want 404", res.StatusCode)
	}
}

// TestShutdownLosesNoAcknowledgedChange shuts the relay down while a device
// pushes as fast as it can: every change the device saw acknowledged is
// in the store afterwards, and the device is told the relay is going away.
func TestShutdownLosesNoAcknowledgedChange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r, err := Open(ctx, dir, slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	defer srv.Close()
	tokens := mustOpenTokenDB(t, TokenDBPath(dir)) // as the token command does, beside the server
	_, token, err := tokens.Create(ctx, shopA, "")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{relay: r, server: srv, url: "ws" + strings.TrimPrefix(srv.URL, "http") + "/sync"}
	idle, _ := f.connect(t, "idle", shopA, token, nil)
	pusher, _ := f.connect(t, "pusher", shopA, token, nil)

	acked := make(chan int64, 1000)
	done := make(chan error, 1)
	go func() {
		defer close(acked)
		for seq := int64(1); ; seq += 50 {
			pusher.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if err := wire.Write(pusher.ws, wire.Batch{Shop: shopA, Changes: makeChanges("pusher", seq, seq+49)}); err != nil {
				done <- err
				return
			}
			pusher.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			m, err := wire.Read(pusher.ws)
			if err != nil {
				done <- err
				return
			}
			ack, ok := m.(wire.Ack)
			if !ok {
				done <- m.(wire.Error).Err()
				return
			}
			acked <- ack.Vector["pusher"]
		}
	}()
	var last int64
	for range 5 {
		last = <-acked
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := r.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for v := range acked {
		last = v
	}
	if err := <-done; domain.ErrorCode(err) != wire.CodeUnavailable {
		t.Errorf("the pushing device ended with %v, want %s", err, wire.CodeUnavailable)
	}
	// The idle device was receiving the pushed changes live; then it is told.
	for {
		m, err := idle.read()
		if _, ok := m.(wire.Batch); ok {
			continue
		}
		if e, ok := m.(wire.Error); !ok || e.Code != wire.CodeUnavailable {
			t.Errorf("the idle device got %#v, %v; want a %s error", m, err, wire.CodeUnavailable)
		}
		break
	}

	res, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /healthz after Shutdown = %d, want 503", res.StatusCode)
	}
	if _, _, err := websocket.DefaultDialer.Dial(f.url, nil); err == nil {
		t.Error("a new connection was accepted after Shutdown")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}

	store := mustOpenStore(t, filepath.Join(dir, "shops"))
	v, err := store.Vector(ctx, shopA)
	if err != nil {
		t.Fatal(err)
	}
	if v["pusher"] < last {
		t.Errorf("the store holds pusher up to %d, but %d was acknowledged", v["pusher"], last)
	}
	t.Logf("acknowledged %d, stored %d", last, v["pusher"])
}

func TestShutdownCutsSessionsWhenTimeIsUp(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	d, _ := f.connect(t, "stuck", shopA, token, changes.Vector{})
	// The device does not answer the close; with no time left Shutdown cuts
	// the connection, and still returns only once the session has ended.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.relay.Shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown = %v, want nil or %v", err, context.Canceled)
	}
	f.relay.mu.Lock()
	left := len(f.relay.sessions)
	f.relay.mu.Unlock()
	if left != 0 {
		t.Errorf("%d sessions left after Shutdown returned", left)
	}
	d.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := d.ws.NextReader(); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Error("the connection was still open after Shutdown")
			}
			break
		}
	}
}
