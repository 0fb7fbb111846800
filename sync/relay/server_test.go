package relay

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"microshop/sync/changes"
)

// serveLimited serves f's relay a second time, on a real listener with
// lim's timeouts and caps, and returns its address.
func (f *fixture) serveLimited(t *testing.T, lim Limits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := f.relay.HTTPServer(lim)
	done := make(chan struct{})
	go func() {
		srv.Serve(LimitListener(ln, lim, f.relay.log))
		close(done)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return ln.Addr().String()
}

// dialFrom opens a TCP connection to addr from the loopback address local
// ("" for any): Linux routes all of 127.0.0.0/8 to loopback, so tests can
// play several hosts.
func dialFrom(t *testing.T, local, addr string) net.Conn {
	t.Helper()
	c, err := tryDialFrom(local, addr)
	if err != nil {
		t.Fatalf("dial %s from %q: %v", addr, local, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func tryDialFrom(local, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	if local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	return d.Dial("tcp", addr)
}

// served reports whether a new connection from local gets GET /healthz
// answered 200; a refused one is reset as it connects or closed unanswered.
func served(local, addr string) (bool, error) {
	c, err := tryDialFrom(local, addr)
	if err != nil {
		return false, err
	}
	defer c.Close()
	status, err := getHealth(c, bufio.NewReader(c))
	return err == nil && status == http.StatusOK, err
}

// getHealth sends GET /healthz on c, keeping it alive, and returns the
// status, or the error when the connection was refused or closed.
func getHealth(c net.Conn, r *bufio.Reader) (int, error) {
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n"); err != nil {
		return 0, err
	}
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// healthyWithin retries GET /healthz from local until it answers 200,
// as a place freed by a closed connection is given back when the server
// sees the close.
func healthyWithin(t *testing.T, local, addr string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, err := served(local, addr)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /healthz from %s failed for %v (%v); want 200", local, d, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestConnectionCaps(t *testing.T) {
	f := mustOpenFixture(t)
	lim := DefaultLimits()
	lim.MaxConns, lim.MaxConnsPerAddr = 4, 2
	addr := f.serveLimited(t, lim)
	refused := func(local string) {
		t.Helper()
		if ok, _ := served(local, addr); ok {
			t.Errorf("a connection from %s over a cap was served, want it refused", local)
		}
	}

	// One host fills its share with connections that say nothing.
	idle := dialFrom(t, "127.0.0.1", addr)
	dialFrom(t, "127.0.0.1", addr)
	refused("127.0.0.1")
	// Another host is still served, on a connection it keeps.
	other := dialFrom(t, "127.0.0.2", addr)
	if status, err := getHealth(other, bufio.NewReader(other)); err != nil || status != http.StatusOK {
		t.Fatalf("GET /healthz from another address = %d, %v; want 200", status, err)
	}
	// Once the first host lets one go, it is served again.
	idle.Close()
	healthyWithin(t, "127.0.0.1", addr, 2*time.Second)

	// Two connections are open (once the server has seen the last check's
	// close): two more hosts take the last places, and then nobody gets one.
	keep := func(local string) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for {
			c := dialFrom(t, local, addr)
			status, err := getHealth(c, bufio.NewReader(c))
			if err == nil && status == http.StatusOK {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET /healthz from %s = %d, %v; want 200", local, status, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	keep("127.0.0.3")
	keep("127.0.0.4")
	refused("127.0.0.5")
	refused("127.0.0.2")
}

// A sync session holds its connection's place for as long as it lasts and
// gives it back when it ends.
func TestSessionHoldsItsPlaceUntilItEnds(t *testing.T) {
	f := mustOpenFixture(t)
	lim := DefaultLimits()
	lim.MaxConnsPerAddr = 1
	capped := *f
	capped.url = "ws://" + f.serveLimited(t, lim) + "/sync"
	addr := strings.TrimSuffix(strings.TrimPrefix(capped.url, "ws://"), "/sync")

	d, _ := capped.connect(t, "laptop", shopA, f.token(t, shopA), nil)
	d.probe(shopA)
	if ok, _ := served("127.0.0.1", addr); ok {
		t.Fatal("GET /healthz beside a session from the same address was served, want it refused by the cap of 1")
	}
	d.ws.Close()
	healthyWithin(t, "127.0.0.1", addr, 2*time.Second)
}

// The HTTP server's timeouts end slow requests, but a sync session that
// lasts far longer than all of them keeps working.
func TestServerTimeoutsDoNotCutASession(t *testing.T) {
	f := mustOpenFixture(t)
	lim := DefaultLimits()
	lim.ReadHeaderTimeout, lim.ReadTimeout, lim.WriteTimeout, lim.IdleTimeout = 200*time.Millisecond, 200*time.Millisecond, 200*time.Millisecond, 200*time.Millisecond
	capped := *f
	capped.url = "ws://" + f.serveLimited(t, lim) + "/sync"
	token := f.token(t, shopA)
	a, _ := capped.connect(t, "a", shopA, token, nil)
	b, _ := capped.connect(t, "b", shopA, token, nil)

	time.Sleep(time.Second)
	want := makeChanges("a", 1, 3)
	a.push(shopA, want)
	sameChanges(t, b.pull(shopA, changes.Vector{}, changes.Vector{"a": 3}), want)
	b.probe(shopA)
}

func TestOversizedHeadersAreRefused(t *testing.T) {
	f := mustOpenFixture(t)
	lim := DefaultLimits()
	addr := f.serveLimited(t, lim)
	c := dialFrom(t, "", addr)
	c.SetDeadline(time.Now().Add(5 * time.Second))
	// Written in the background: the server may answer and close before
	// it has read everything.
	go io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: relay\r\nX-Padding: "+strings.Repeat("x", 2*lim.MaxHeaderBytes)+"\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer to oversized headers: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("oversized headers got %d, want 431", res.StatusCode)
	}
}
