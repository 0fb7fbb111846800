package client

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
)

// A connection that drops in the middle of a join or a sync says what to
// do next, as every other failure to reach the relay does: it said only
// "The connection to the relay at … dropped.", and the maker joining a
// shop was left to guess whether to wait, retry or give up.
func TestADroppedConnectionSaysToTryAgain(t *testing.T) {
	tr, a, token := syncedShop(t)
	for range 300 {
		sell(t, a, 1)
	}
	if _, err := Sync(context.Background(), Config{Relay: tr.url(), Token: token, Replica: a}); err != nil {
		t.Fatal(err)
	}
	cut := cuttingProxy(t, tr.addr)
	r, err := app.CreateReplica(filepath.Join(t.TempDir(), "joined.db"), apptest.InviteOf(t, a), "laptop", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	_, err = Sync(context.Background(), Config{Relay: "ws://" + cut, Token: token, Replica: r})
	if err == nil {
		t.Fatal("a sync whose connection dropped midway succeeded")
	}
	msg := domain.ErrorMessage(err)
	if !strings.Contains(msg, "dropped") || !strings.Contains(msg, "again in a moment") {
		t.Errorf("a connection dropped midway says %q, want it to say it dropped and to try again in a moment", msg)
	}
}

// cuttingProxy is the address of a proxy to the relay at addr that passes
// the relay's first answer (its welcome) on, then cuts the connection as
// the relay starts sending changes: a network gone midway.
func cuttingProxy(t *testing.T, addr string) string {
	return serveEach(t, func(c net.Conn) {
		up, err := net.Dial("tcp", addr)
		if err != nil {
			c.Close()
			return
		}
		go func() { io.Copy(up, c); up.Close() }()
		go func() {
			defer c.Close()
			defer up.Close()
			buf := make([]byte, 64<<10)
			for passed := 0; ; passed++ {
				n, err := up.Read(buf)
				if err != nil || passed == 2 {
					return
				}
				c.Write(buf[:n])
			}
		}()
	})
}
