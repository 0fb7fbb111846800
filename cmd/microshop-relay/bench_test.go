package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"microshop/sync/changes"
	"microshop/sync/client"
	"microshop/sync/loadtest"
	"microshop/sync/relay"
	"microshop/sync/relay/pgtest"
	"microshop/sync/wire"
)

// The many-shops benchmarks (issue 17): SHOPS shops of DEVICES devices
// each, every device pushing CHANGES changes, spread over the relays; done
// when every device holds its whole shop. The run is 100 × 10 ×
// 1,000 (the default); MICROSHOP_BENCH_SHOPS, _DEVICES and _CHANGES scale
// it. Run with -benchtime=1x (make bench does).

func benchSize(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv("MICROSHOP_BENCH_" + name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkManyShopsTwoRelaysPostgres: two relay processes on one
// PostgreSQL; a shop's devices alternate between them, so half of every
// shop's changes cross from one relay to the other.
func BenchmarkManyShopsTwoRelaysPostgres(b *testing.B) {
	url := pgtest.URL(b)
	store, err := relay.OpenPGStore(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	runManyShops(b, store.Create, "--store", url, 2)
}

// BenchmarkManyShopsOneRelaySQLite is the same load on one relay on SQLite,
// for comparison.
func BenchmarkManyShopsOneRelaySQLite(b *testing.B) {
	dir := b.TempDir()
	tokens, err := relay.OpenTokenDB(context.Background(), relay.TokenDBPath(dir))
	if err != nil {
		b.Fatal(err)
	}
	defer tokens.Close()
	runManyShops(b, tokens.Create, "--data", dir, 1)
}

type tokenMaker func(ctx context.Context, shop, label string) (relay.Token, string, error)

func runManyShops(b *testing.B, mint tokenMaker, placeFlag, place string, relays int) {
	shops, perShop, each := benchSize("SHOPS", 100), benchSize("DEVICES", 10), benchSize("CHANGES", 1000)
	bin := buildBenchRelay(b)
	type shopRun struct{ id, token string }
	runs := make([]shopRun, shops)
	for i := range runs {
		runs[i].id = uuid.Must(uuid.NewV7()).String()
		_, text, err := mint(context.Background(), runs[i].id, "bench")
		if err != nil {
			b.Fatal(err)
		}
		runs[i].token = text
	}
	for b.Loop() {
		procs := make([]*exec.Cmd, relays)
		addrs := make([]string, relays)
		for i := range procs {
			procs[i], addrs[i] = startBenchRelay(b, bin, placeFlag, place)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var reps []*loadtest.Device
		start := time.Now()
		for _, s := range runs {
			for d := range perShop {
				r := loadtest.NewDevice(s.id, each)
				reps = append(reps, r)
				addr := addrs[d%relays]
				wg.Go(func() { client.Watch(ctx, client.Config{Relay: "ws://" + addr, Token: s.token, Replica: r}) })
			}
		}
		want := int64(perShop * each)
		deadline := time.Now().Add(10 * time.Minute)
		for !allHold(reps, want) {
			if time.Now().After(deadline) {
				b.Fatalf("%d of %d devices did not converge in 10 minutes", behind(reps, want), len(reps))
			}
			time.Sleep(50 * time.Millisecond)
		}
		elapsed := time.Since(start)
		var p95 time.Duration
		if relays > 1 {
			p95 = crossRelayP95(b, addrs[0], addrs[1], runs[0].id, runs[0].token)
		}
		for i, p := range procs {
			b.ReportMetric(loadtest.PeakRSS(b, p.Process.Pid)/1024, fmt.Sprintf("relay%d-peak-MB", i+1))
		}
		cancel()
		wg.Wait()
		for _, p := range procs {
			p.Process.Signal(os.Interrupt)
			p.Wait()
		}
		total := float64(shops * perShop * each)
		b.ReportMetric(elapsed.Seconds(), "converge-s")
		b.ReportMetric(total/elapsed.Seconds(), "changes/s")
		b.ReportMetric(float64(shops*perShop), "devices")
		if relays > 1 {
			b.ReportMetric(float64(p95.Microseconds())/1000, "cross-relay-p95-ms")
		}
	}
}

func behind(reps []*loadtest.Device, want int64) int {
	n := 0
	for _, r := range reps {
		if r.Total() != want {
			n++
		}
	}
	return n
}

// firstLines returns up to n lines of log containing substr.
func firstLines(log, substr string, n int) string {
	var out []string
	for l := range strings.Lines(log) {
		if strings.Contains(l, substr) && len(out) < n {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

func allHold(reps []*loadtest.Device, want int64) bool {
	for _, r := range reps {
		if r.Total() != want {
			return false
		}
	}
	return true
}

// crossRelayP95 times 200 sales from a device on relay a until a device on
// relay b has them, and returns the 95th percentile.
func crossRelayP95(b *testing.B, a, bAddr, shopID, token string) time.Duration {
	seller, watcher := benchSession(b, a, shopID, "p95-seller", token), benchSession(b, bAddr, shopID, "p95-watcher", token)
	defer seller.Close()
	defer watcher.Close()
	var took []time.Duration
	for seq := int64(1); seq <= 200; seq++ {
		c := changes.Change{Origin: "p95-seller", Seq: seq, HLC: changes.Stamp{Wall: time.Now().UnixMilli(), Device: "p95-seller"}.String(),
			Entity: "sale", EntityID: uuid.Must(uuid.NewV7()).String(), Body: json.RawMessage(`{"qty":1}`)}
		t0 := time.Now()
		if err := wire.Write(seller, wire.Batch{Shop: shopID, Changes: []changes.Change{c}}); err != nil {
			b.Fatal(err)
		}
		for {
			m, err := wire.Read(watcher)
			if err != nil {
				b.Fatal(err)
			}
			if batch, ok := m.(wire.Batch); ok && slices.ContainsFunc(batch.Changes, func(x changes.Change) bool { return x.Origin == "p95-seller" && x.Seq == seq }) {
				took = append(took, time.Since(t0))
				wire.Write(watcher, wire.Ack{Vector: changes.Vector{"p95-seller": seq}})
				break
			}
		}
		if _, err := wire.Read(seller); err != nil { // the seller's ack
			b.Fatal(err)
		}
	}
	slices.Sort(took)
	return took[len(took)*95/100]
}

// benchSession opens a session that already holds the whole shop, so only
// new changes reach it.
func benchSession(b *testing.B, addr, shopID, device, token string) *websocket.Conn {
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/sync", nil)
	if err != nil {
		b.Fatal(err)
	}
	ws.SetReadLimit(wire.MaxFrameBytes)
	// First learn the relay's vector, then say hello again holding it.
	wire.Write(ws, wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopID, Device: device, Token: token, Vector: changes.Vector{}})
	m, err := wire.Read(ws)
	w, ok := m.(wire.Welcome)
	ws.Close()
	if err != nil || !ok {
		b.Fatalf("handshake: %v %#v", err, m)
	}
	ws, _, err = websocket.DefaultDialer.Dial("ws://"+addr+"/sync", nil)
	if err != nil {
		b.Fatal(err)
	}
	ws.SetReadLimit(wire.MaxFrameBytes)
	wire.Write(ws, wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopID, Device: device, Token: token, Vector: w.Vector})
	if _, err := wire.Read(ws); err != nil {
		b.Fatal(err)
	}
	return ws
}

func buildBenchRelay(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "microshop-relay")
	cmd := exec.Command("go", "build", "-o", bin, "microshop/cmd/microshop-relay")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build the relay: %v\n%s", err, out)
	}
	return bin
}

func startBenchRelay(b *testing.B, bin, placeFlag, place string) (*exec.Cmd, string) {
	// All devices come from loopback: the caps are off.
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", placeFlag, place, "--max-conns", "0", "--max-conns-per-addr", "0")
	stdout, _ := cmd.StdoutPipe()
	// The relay's log, kept to read when a run goes wrong.
	logFile, err := os.CreateTemp(b.TempDir(), "relay-*.log")
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		b.Fatalf("the relay's first line is %q", line)
	}
	b.Cleanup(func() {
		logFile.Close()
		data, _ := os.ReadFile(logFile.Name())
		if n := strings.Count(string(data), "level=WARN"); n > 0 || b.Failed() {
			b.Logf("relay %s logged %d warnings; the first:\n%s", addr, n, firstLines(string(data), "level=WARN", 5))
		}
	})
	return cmd, addr
}
