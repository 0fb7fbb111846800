package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"microshop/sync/changes"
	"microshop/sync/wire"
)

// testVersion is stamped into the binary the process tests run.
const testVersion = "9.9.9-test"

// buildRelay builds microshop-relay as a release is built, with its
// version set by -ldflags.
func buildRelay(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := filepath.Join(t.TempDir(), "microshop-relay")
	cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+testVersion, "-o", bin, "microshop/cmd/microshop-relay")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the relay: %v\n%s", err, out)
	}
	return bin
}

// startRelay runs `bin serve` on a free port with extra flags until the
// test ends, and returns its address.
func startRelay(t *testing.T, bin, data string, flags ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, flags...)...)
	stdout, _ := cmd.StdoutPipe()
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("the relay's stderr:\n%s", stderr.buf.String())
		}
	})
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("the relay's first line is %q, want \"listening on HOST:PORT\"", line)
	}
	return addr
}

// relayCmd runs `bin args...` to completion and returns its stdout.
func relayCmd(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).Output()
	if ee, ok := err.(*exec.ExitError); ok {
		t.Fatalf("microshop-relay %s: %v: %s", strings.Join(args, " "), err, ee.Stderr)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// served reports whether a new connection from local gets GET /healthz
// answered 200; a refused one is reset as it connects or closed unanswered.
func served(local, addr string) bool {
	c, err := dialFrom(local, addr)
	if err != nil {
		return false
	}
	defer c.Close()
	status, err := getHealth(c, bufio.NewReader(c))
	return err == nil && status == http.StatusOK
}

// hold opens n connections from local that send nothing, each checked
// to be open, and closes them when the test ends.
func hold(t *testing.T, local, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := dialFrom(local, addr)
		if err != nil {
			t.Fatalf("connection %d of %d from %s: %v", i+1, n, local, err)
		}
		t.Cleanup(func() { c.Close() })
		conns[i] = c
	}
	// A connection refused at accept is closed at once; these must not be.
	for i, c := range conns {
		if closedWithin(c, 20*time.Millisecond) {
			t.Fatalf("connection %d of %d from %s was closed by the relay", i+1, n, local)
		}
	}
	return conns
}

// The starvation: one host opening connections. With the default
// cap of 64 per address, the 65th is refused, another host's /healthz
// still answers, and the first host is served again once it lets go.
func TestRelayProcessCapsConnectionsPerAddress(t *testing.T) {
	bin := buildRelay(t)
	addr := startRelay(t, bin, t.TempDir())
	conns := hold(t, "127.0.0.1", addr, 64)
	if served("127.0.0.1", addr) {
		t.Error("a 65th connection from one address was served, want it refused")
	}
	if !served("127.0.0.2", addr) {
		t.Error("GET /healthz from another address failed while one address was at its cap")
	}
	for _, c := range conns {
		c.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for !served("127.0.0.1", addr) {
		if time.Now().After(deadline) {
			t.Fatal("GET /healthz still refused 5 s after the address closed its connections")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// --max-conns-per-addr 0 lets a benchmark run a hundred devices on one
// machine; --max-conns still caps everyone together.
func TestRelayProcessOverallCap(t *testing.T) {
	bin := buildRelay(t)
	addr := startRelay(t, bin, t.TempDir(), "--max-conns", "100", "--max-conns-per-addr", "0")
	hold(t, "127.0.0.1", addr, 100)
	for _, from := range []string{"127.0.0.1", "127.0.0.2"} {
		if served(from, addr) {
			t.Errorf("a 101st connection, from %s, was served; want it refused by --max-conns 100", from)
		}
	}
}

// The revoked token: a device watching keeps its session while
// the token is revoked by `token revoke`, another process. Within 5 s the
// relay ends the session with unauthorized, and no sale reaches it after.
func TestRevokeInAnotherProcessEndsALiveSession(t *testing.T) {
	bin := buildRelay(t)
	data := t.TempDir()
	created := relayCmd(t, bin, "token", "create", "--data", data, "--shop", shop, "--label", "stall tablet")
	id := regexp.MustCompile(`Token ([0-9a-f]+) created`).FindStringSubmatch(created)
	if id == nil {
		t.Fatalf("token create printed %q, want its id", created)
	}
	watcherToken := lastLine(created)
	sellerToken := lastLine(relayCmd(t, bin, "token", "create", "--data", data, "--shop", shop))
	addr := startRelay(t, bin, data)

	watcher := connect(t, addr, "watcher", watcherToken)
	seller := connect(t, addr, "seller", sellerToken)
	sell := func(seq int64) {
		t.Helper()
		c := changes.Change{Origin: "seller", Seq: seq, HLC: changes.Stamp{Wall: 1_700_000_000_000 + seq, Device: "seller"}.String(),
			Entity: "sale", EntityID: fmt.Sprintf("sale-%d", seq), Body: []byte(`{"qty":1}`)}
		seller.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if err := wire.Write(seller, wire.Batch{Shop: shop, Changes: []changes.Change{c}}); err != nil {
			t.Fatal(err)
		}
		if m, err := readMsg(seller); err != nil {
			t.Fatalf("the seller's sale %d: %v", seq, err)
		} else if _, ok := m.(wire.Ack); !ok {
			t.Fatalf("the seller's sale %d was answered %#v, want an ack", seq, m)
		}
	}
	sell(1)
	if m, err := readMsg(watcher); err != nil {
		t.Fatalf("the watcher got no sale: %v", err)
	} else if b, ok := m.(wire.Batch); !ok || len(b.Changes) != 1 {
		t.Fatalf("the watcher got %#v, want the sale", m)
	}
	watcher.SetWriteDeadline(time.Now().Add(5 * time.Second))
	wire.Write(watcher, wire.Ack{Vector: changes.Vector{"seller": 1}})

	relayCmd(t, bin, "token", "revoke", "--data", data, id[1])
	start := time.Now()
	for {
		m, err := readMsg(watcher)
		if err != nil {
			t.Fatalf("after `token revoke` the watcher read %v after %v, want an unauthorized error", err, time.Since(start))
		}
		if e, ok := m.(wire.Error); ok && e.Code == wire.CodeUnauthorized {
			break
		}
		t.Fatalf("after `token revoke` the watcher got %#v, want an unauthorized error", m)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the revoked token's session ended %v after `token revoke`, want within 5 s", took)
	}
	sell(2)
	if m, err := readMsg(watcher); err == nil {
		t.Errorf("after the unauthorized error the watcher got %#v, want the connection closed", m)
	}
}

// connect opens a sync session for device and completes the handshake.
func connect(t *testing.T, addr, device, token string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/sync", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	ws.SetReadLimit(wire.MaxFrameBytes)
	ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := wire.Write(ws, wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shop, Device: device, Token: token, Vector: changes.Vector{}}); err != nil {
		t.Fatal(err)
	}
	if m, err := readMsg(ws); err != nil {
		t.Fatal(err)
	} else if _, ok := m.(wire.Welcome); !ok {
		t.Fatalf("%s got %#v after hello, want a welcome", device, m)
	}
	return ws
}

// readMsg reads the next message, waiting longer than the 5 s a
// revocation may take.
func readMsg(ws *websocket.Conn) (wire.Message, error) {
	ws.SetReadDeadline(time.Now().Add(8 * time.Second))
	return wire.Read(ws)
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"--version", "version", "-version"} {
		out := mustRun(t, arg)
		if !strings.HasPrefix(out, "microshop-relay dev (go") || strings.Count(out, "\n") != 1 {
			t.Errorf("%s printed %q, want one line \"microshop-relay dev (go...)\" in a build without a version", arg, out)
		}
	}
	bin := buildRelay(t)
	if out := relayCmd(t, bin, "--version"); !strings.HasPrefix(out, "microshop-relay "+testVersion+" (") {
		t.Errorf("--version of a build with -X main.version=%s printed %q", testVersion, out)
	}
}
