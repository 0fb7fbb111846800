package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"microshop/sync/relay"
)

// shortLimits makes serve's timeouts short for one test, so it can watch
// them act.
func shortLimits(t *testing.T) relay.Limits {
	t.Helper()
	lim := relay.DefaultLimits()
	lim.ReadTimeout, lim.WriteTimeout, lim.IdleTimeout = 500*time.Millisecond, 500*time.Millisecond, 300*time.Millisecond
	saved := limits
	limits = func() relay.Limits { return lim }
	t.Cleanup(func() { limits = saved })
	return lim
}

// dialFrom opens a TCP connection to addr from the loopback address local
// ("" for any): Linux routes all of 127.0.0.0/8 to loopback, so a test can
// play several hosts.
func dialFrom(local, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	if local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	return d.Dial("tcp", addr)
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

// closedWithin reports whether the server closes c within d, discarding
// what it sends meanwhile.
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

func TestServeClosesIdleConnections(t *testing.T) {
	lim := shortLimits(t)
	addr := startServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	c, err := dialFrom("", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if status, err := getHealth(c, bufio.NewReader(c)); err != nil || status != http.StatusOK {
		t.Fatalf("GET /healthz = %d, %v; want 200", status, err)
	}
	start := time.Now()
	if !closedWithin(c, 5*time.Second) {
		t.Fatal("a kept-alive connection left idle was still open after 5 s")
	}
	if took := time.Since(start); took > lim.IdleTimeout+time.Second {
		t.Errorf("an idle connection was closed after %v, want about %v", took, lim.IdleTimeout)
	}
}

func TestServeCutsOffASlowBody(t *testing.T) {
	lim := shortLimits(t)
	addr := startServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir())
	c, err := dialFrom("", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: relay\r\nContent-Length: 100000\r\n\r\n")
	// A byte every 50 ms would take 80 minutes to finish.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := c.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	start := time.Now()
	if !closedWithin(c, 5*time.Second) {
		t.Fatal("a request whose body trickles in was still open after 5 s")
	}
	if took := time.Since(start); took > lim.ReadTimeout+time.Second {
		t.Errorf("a trickling body was cut off after %v, want about %v", took, lim.ReadTimeout)
	}
}
