package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5"

	"microshop/sync/changes"
	"microshop/sync/relay/pgtest"
	"microshop/sync/wire"
)

// Real relay processes on one PostgreSQL database (issue 17).

// startPGRelay runs `bin serve --store url` on a free port until the test
// ends, and returns the process and its address.
func startPGRelay(t *testing.T, bin, url string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--store", url)
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
		t.Fatalf("the relay's first line is %q, want \"listening on HOST:PORT\"; stderr:\n%s", line, stderr.buf.String())
	}
	return cmd, addr
}

func sale(device string, seq int64) changes.Change {
	return changes.Change{Origin: device, Seq: seq, HLC: changes.Stamp{Wall: 1_700_000_000_000 + seq, Device: device}.String(),
		Entity: "sale", EntityID: fmt.Sprintf("%s-sale-%d", device, seq), Body: []byte(`{"qty":1}`)}
}

// pushSales sends device's sales from..to in one batch and returns the ack.
func pushSales(ws *websocket.Conn, device string, from, to int64) (changes.Vector, error) {
	var batch []changes.Change
	for seq := from; seq <= to; seq++ {
		batch = append(batch, sale(device, seq))
	}
	ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := wire.Write(ws, wire.Batch{Shop: shop, Changes: batch}); err != nil {
		return nil, err
	}
	for {
		m, err := readMsg(ws)
		if err != nil {
			return nil, err
		}
		switch m := m.(type) {
		case wire.Ack:
			return m.Vector, nil
		case wire.Batch:
			// Changes the device lacks, sent on: after a crash, its own
			// last batch may be committed though it was never acked.
			continue
		default:
			return nil, fmt.Errorf("the batch was answered %#v, want an ack", m)
		}
	}
}

// TestTwoRelayProcessesServeOneShop: the "done": two relay
// processes on one database, a device on each; every sale made on one
// reaches the other live, and a token revoked with `token revoke --store`
// is refused by both within 5 s.
func TestTwoRelayProcessesServeOneShop(t *testing.T) {
	bin := buildRelay(t)
	url := pgtest.URL(t)
	created := relayCmd(t, bin, "token", "create", "--store", url, "--shop", shop, "--label", "market stall")
	id := regexp.MustCompile(`Token ([0-9a-f]+) created`).FindStringSubmatch(created)
	if id == nil {
		t.Fatalf("token create printed %q, want its id", created)
	}
	token := lastLine(created)
	if list := relayCmd(t, bin, "token", "list", "--store", url); !strings.Contains(list, id[1]+"\tmarket stall\t"+shop) {
		t.Errorf("token list --store printed %q, want the token", list)
	}
	_, addrA := startPGRelay(t, bin, url)
	_, addrB := startPGRelay(t, bin, url)
	seller := connect(t, addrA, "seller", token)
	watcher := connect(t, addrB, "watcher", token)
	for seq := int64(1); seq <= 3; seq++ {
		if _, err := pushSales(seller, "seller", seq, seq); err != nil {
			t.Fatalf("sale %d: %v", seq, err)
		}
		m, err := readMsg(watcher)
		if err != nil {
			t.Fatalf("the device on the other relay got no sale %d: %v", seq, err)
		}
		b, ok := m.(wire.Batch)
		if !ok || len(b.Changes) != 1 || b.Changes[0].Seq != seq {
			t.Fatalf("the device on the other relay got %#v, want sale %d", m, seq)
		}
		watcher.SetWriteDeadline(time.Now().Add(5 * time.Second))
		wire.Write(watcher, wire.Ack{Vector: changes.Vector{"seller": seq}})
	}

	relayCmd(t, bin, "token", "revoke", "--store", url, id[1])
	start := time.Now()
	for name, ws := range map[string]*websocket.Conn{"seller": seller, "watcher": watcher} {
		m, err := readMsg(ws)
		if e, ok := m.(wire.Error); err != nil || !ok || e.Code != wire.CodeUnauthorized {
			t.Errorf("after `token revoke --store` the %s got %#v, %v; want an unauthorized error", name, m, err)
		}
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the revoked token's sessions ended %v after `token revoke`, want within 5 s", took)
	}
}

// TestRelayProcessKilledLosesNoAcknowledgedChange: a relay on PostgreSQL
// killed with SIGKILL while a device pushes; every change the device saw
// acknowledged is held, and when the device carries on through another
// relay the shop's log ends dense: every change once, no gap.
func TestRelayProcessKilledLosesNoAcknowledgedChange(t *testing.T) {
	bin := buildRelay(t)
	url := pgtest.URL(t)
	token := lastLine(relayCmd(t, bin, "token", "create", "--store", url, "--shop", shop))
	victim, addrA := startPGRelay(t, bin, url)
	_, addrB := startPGRelay(t, bin, url)

	seller := connect(t, addrA, "seller", token)
	const batch = 50
	acked := int64(0)
	killed := false
	for seq := int64(1); ; seq += batch {
		if seq > 10*batch && !killed {
			// Mid-push: the batch just written may or may not be committed.
			seller.SetWriteDeadline(time.Now().Add(5 * time.Second))
			wire.Write(seller, wire.Batch{Shop: shop, Changes: []changes.Change{sale("seller", seq)}})
			victim.Process.Signal(syscall.SIGKILL)
			killed = true
		}
		v, err := pushSales(seller, "seller", seq, seq+batch-1)
		if err != nil {
			if !killed {
				t.Fatalf("push before the kill: %v", err)
			}
			break
		}
		acked = v["seller"]
	}
	if acked < 10*batch {
		t.Fatalf("only %d changes were acknowledged before the kill", acked)
	}

	// The device reconnects to the other relay and carries on from what
	// that relay holds, as a client does.
	again, welcome := connectWith(t, addrB, "seller", token, changes.Vector{"seller": acked})
	held := welcome.Vector["seller"]
	if held < acked {
		t.Fatalf("after SIGKILL the database holds %d of the seller's changes, but %d were acknowledged", held, acked)
	}
	if _, err := pushSales(again, "seller", held+1, held+batch); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n, top int64
	if err := conn.QueryRow(context.Background(), `SELECT count(*), max(seq) FROM relay_changes WHERE shop = $1 AND origin = 'seller'`, shop).Scan(&n, &top); err != nil {
		t.Fatal(err)
	}
	if n != held+batch || top != held+batch {
		t.Errorf("the database holds %d changes up to %d, want %d, each once", n, top, held+batch)
	}
}

// connectWith is connect with the device's vector, returning the welcome.
func connectWith(t *testing.T, addr, device, token string, v changes.Vector) (*websocket.Conn, wire.Welcome) {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/sync", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := wire.Write(ws, wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shop, Device: device, Token: token, Vector: v}); err != nil {
		t.Fatal(err)
	}
	m, err := readMsg(ws)
	w, ok := m.(wire.Welcome)
	if err != nil || !ok {
		t.Fatalf("%s got %#v, %v after hello, want a welcome", device, m, err)
	}
	return ws, w
}
