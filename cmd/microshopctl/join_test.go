package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"microshop/sync/relay"
)

// A join killed half-way leaves no shop reporting wrong stock: `stock`
// says there is none yet, and joining again clears what the killed join
// left and ends with the same shop as the device it was copied from.
func TestJoinKilledHalfWay(t *testing.T) {
	dir := t.TempDir()
	bin := ctlBinary(t, dir)
	url, mint, sent := startSlowRelay(t)

	desk := filepath.Join(dir, "desk.db")
	mustRun := func(db string, args ...string) string {
		t.Helper()
		out, err := ctlRun(bin, db, args...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	mustRun(desk, "demo") // 90 days of history: a few thousand changes
	var info struct {
		ShopID string `json:"shop_id"`
	}
	json.Unmarshal([]byte(mustRun(desk, "--json", "shop")), &info)
	token := mint(info.ShopID)
	mustRun(desk, "sync", "--relay", url, "--token", token)
	var inv struct {
		Invite string `json:"invite"`
	}
	json.Unmarshal([]byte(mustRun(desk, "--json", "invite")), &inv)

	// What the relay sends for a whole join, to cut the next one half-way.
	sent.Store(0)
	mustRun(filepath.Join(dir, "whole.db"), "join", "--invite", inv.Invite)
	whole := sent.Load()

	db := filepath.Join(dir, "stall", "shop.db")
	sent.Store(0)
	join := exec.Command(bin, "--db", db, "join", "--invite", inv.Invite)
	if err := join.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- join.Wait() }()
	deadline := time.After(60 * time.Second)
	for sent.Load() < whole*6/10 {
		select {
		case err := <-exited:
			t.Fatalf("the join ended (%v) before it could be killed half-way", err)
		case <-deadline:
			t.Fatal("the relay never sent half of the shop")
		case <-time.After(time.Millisecond):
		}
	}
	join.Process.Kill()
	<-exited

	out, err := ctlRun(bin, db, "--json", "stock")
	if err == nil {
		t.Errorf("after a killed join, stock answered as if the shop were there:\n%.300s", out)
	} else if msg := err.(*procError).stderr; !strings.Contains(msg, "no shop at "+db) || !strings.Contains(msg, "join again") {
		t.Errorf("after a killed join, stock says %q; want that there is no shop yet and to join again", msg)
	}

	joined := map[string]any{}
	json.Unmarshal([]byte(mustRun(db, "--json", "join", "--invite", inv.Invite)), &joined)
	if joined["shop_id"] != info.ShopID {
		t.Fatalf("joined %v, want shop %s", joined, info.ShopID)
	}
	for _, report := range []string{"stock", "reorder", "alerts"} {
		if got, want := mustRun(db, "--json", report), mustRun(desk, "--json", report); got != want {
			t.Errorf("%s differs after joining again:\nstall %.300s\ndesk  %.300s", report, got, want)
		}
	}
	var st struct {
		Vector map[string]int64 `json:"vector"`
	}
	json.Unmarshal([]byte(mustRun(db, "--json", "status")), &st)
	var deskSt struct {
		Vector map[string]int64 `json:"vector"`
	}
	json.Unmarshal([]byte(mustRun(desk, "--json", "status")), &deskSt)
	for o, n := range deskSt.Vector {
		if st.Vector[o] != n {
			t.Errorf("the stall holds %d changes of %s, the desk %d", st.Vector[o], o, n)
		}
	}
	mustRun(db, "sync") // the relay and token were remembered

	entries, err := os.ReadDir(filepath.Dir(db))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for _, n := range names {
		if !slices.Contains([]string{"shop.db", "shop.db-wal", "shop.db-shm", "shop.db.device", "shop.db.sync"}, n) {
			t.Errorf("left beside the shop: %s (all: %v)", n, names)
		}
	}
}

// startSlowRelay runs a real relay on loopback whose connections write
// slowly, so a join takes long enough to be cut; sent counts the bytes it
// has written.
func startSlowRelay(t *testing.T) (url string, token func(shop string) string, sent *atomic.Int64) {
	t.Helper()
	dir := t.TempDir()
	r, err := relay.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	sent = new(atomic.Int64)
	srv := httptest.NewUnstartedServer(r)
	srv.Listener = &slowListener{Listener: srv.Listener, sent: sent}
	srv.Start()
	t.Cleanup(func() {
		r.Shutdown(context.Background())
		srv.Close()
		r.Close()
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http"), func(shop string) string {
		db, err := relay.OpenTokenDB(context.Background(), relay.TokenDBPath(dir))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, text, err := db.Create(context.Background(), shop, "test")
		if err != nil {
			t.Fatal(err)
		}
		return text
	}, sent
}

type slowListener struct {
	net.Listener
	sent *atomic.Int64
}

func (l *slowListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &slowConn{Conn: c, sent: l.sent}, nil
}

// slowConn writes at most 2 KiB at a time, 2 ms apart: about 1 MB/s.
type slowConn struct {
	net.Conn
	sent *atomic.Int64
}

func (c *slowConn) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		chunk := b[:min(len(b), 2048)]
		time.Sleep(2 * time.Millisecond)
		m, err := c.Conn.Write(chunk)
		n += m
		c.sent.Add(int64(m))
		if err != nil {
			return n, err
		}
		b = b[len(chunk):]
	}
	return n, nil
}
