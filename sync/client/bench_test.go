package client

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/loadtest"
	"microshop/sync/relay"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// Sync benchmarks (issue 3). Run with `make bench`; each builds its own
// data. They are one-shot measurements: run them with -benchtime=1x.

const initialSyncChanges = 200_000

// syntheticLog is a shop's change log as another device wrote it: a few SKU
// records, then sales of them, so a replica can apply it for real.
func syntheticLog(origin string, n int, start time.Time) []changes.Change {
	out := make([]changes.Change, 0, n)
	seq := int64(0)
	stamp := func(ms int64) string {
		return changes.Stamp{Wall: ms, Device: origin}.String()
	}
	var skus []string
	for i := range 20 {
		id := uuid.Must(uuid.NewV7()).String()
		skus = append(skus, id)
		body, _ := json.Marshal(changes.RecordBody{
			"code": {Value: json.RawMessage(fmt.Sprintf(`"BENCH-%02d"`, i))},
			"name": {Value: json.RawMessage(`"Bench item"`)},
			"path": {Value: json.RawMessage(`"digital"`)},
		})
		seq++
		out = append(out, changes.Change{Origin: origin, Seq: seq, HLC: stamp(start.UnixMilli() + seq), Entity: "sku", EntityID: id, Body: body})
	}
	for len(out) < n {
		seq++
		at := start.UnixMilli() + seq*10
		body := fmt.Sprintf(`{"sku_id":%q,"at":%d,"qty":1,"price":1200,"channel":"online"}`, skus[int(seq)%len(skus)], at)
		out = append(out, changes.Change{Origin: origin, Seq: seq, HLC: stamp(at), Entity: "sale", EntityID: uuid.Must(uuid.NewV7()).String(), Body: json.RawMessage(body)})
	}
	return out
}

// rawInsertRate is the bare SQLite limit on this machine: rows of a change
// log's width inserted into a plain table in one transaction, per second,
// the median of three runs. One run takes about a second, and runs a
// minute apart differed by a fifth.
func rawInsertRate(b *testing.B, rows []changes.Change) float64 {
	rates := []float64{rawInsertOnce(b, rows), rawInsertOnce(b, rows), rawInsertOnce(b, rows)}
	slices.Sort(rates)
	return rates[1]
}

func rawInsertOnce(b *testing.B, rows []changes.Change) float64 {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "raw.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE raw (origin TEXT, seq INTEGER, hlc TEXT, entity TEXT, entity_id TEXT, body BLOB)`); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	tx, _ := db.Begin()
	stmt, _ := tx.Prepare(`INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?)`)
	for _, c := range rows {
		if _, err := stmt.Exec(c.Origin, c.Seq, c.HLC, c.Entity, c.EntityID, []byte(c.Body)); err != nil {
			b.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return float64(len(rows)) / time.Since(start).Seconds()
}

// BenchmarkInitialSync: a new replica pulls a shop of 200,000 changes from
// a relay on loopback, end to end (WebSocket, relay store, apply, acks).
func BenchmarkInitialSync(b *testing.B) {
	ctx := context.Background()
	shop := uuid.Must(uuid.NewV7()).String()
	key, err := seal.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	log := syntheticLog(uuid.Must(uuid.NewV7()).String(), initialSyncChanges, time.Now().Add(-30*24*time.Hour))
	// The relay holds the log sealed and signed, as devices send it: in
	// runs that each make one batch, signed on their last change.
	sealer := seal.New(shop, key)
	device, err := seal.NewDeviceKey()
	if err != nil {
		b.Fatal(err)
	}
	sealed := make([]changes.Change, len(log))
	for i, c := range log {
		if sealed[i], err = sealer.Seal(c); err != nil {
			b.Fatal(err)
		}
	}
	for rest := sealed; len(rest) > 0; {
		run := wire.FitBatch(rest)
		for run[len(run)-1].Sig = sealer.SignRun(device, run); len(wire.FitBatch(run)) < len(run); {
			run[len(run)-1].Sig = ""
			run = run[:len(run)-1]
			run[len(run)-1].Sig = sealer.SignRun(device, run)
		}
		rest = rest[len(run):]
	}
	tr := newTestRelay(b)
	store, err := relay.OpenSQLiteStore(filepath.Join(tr.dir, "shops"))
	if err != nil {
		b.Fatal(err)
	}
	for batch := range slices.Chunk(sealed, 5000) {
		if _, err := store.Append(ctx, shop, batch); err != nil {
			b.Fatal(err)
		}
	}
	store.Close()
	tr.start()
	token := tr.token(shop)
	raw := rawInsertRate(b, log)

	var rate float64
	for b.Loop() {
		b.StopTimer()
		r, err := app.CreateReplica(filepath.Join(b.TempDir(), "replica.db"), app.Invite{Shop: shop, Key: key}, "bench", app.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: r})
		if err != nil {
			b.Fatal(err)
		}
		rate = float64(res.Received) / time.Since(start).Seconds()
		b.StopTimer()
		if res.Received != initialSyncChanges {
			b.Fatalf("received %d changes, want %d", res.Received, initialSyncChanges)
		}
		r.Close()
		b.StartTimer()
	}
	b.ReportMetric(rate, "changes/s")
	b.ReportMetric(raw, "raw-rows/s")
	b.ReportMetric(rate/raw, "ratio-to-raw")
}

// BenchmarkLivePropagation: one device sells while both watch the relay;
// measured until the other device's stock report shows the sale.
func BenchmarkLivePropagation(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := newTestRelay(b)
	tr.start()
	a, err := app.Create(filepath.Join(b.TempDir(), "a.db"), app.NewShop{Name: "Bench"}, app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	name, path := "Pattern", domain.PathDigital
	if _, err := a.AddSKU(ctx, "PAT", app.SKUFields{Name: &name, Path: &path}); err != nil {
		b.Fatal(err)
	}
	token := tr.token(a.ShopID())
	if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: a}); err != nil {
		b.Fatal(err)
	}
	shopB, err := app.CreateReplica(filepath.Join(b.TempDir(), "b.db"), apptest.InviteOf(b, a), "b", app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer shopB.Close()
	if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: shopB}); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, s := range []*app.Shop{a, shopB} {
		wg.Go(func() { Watch(ctx, Config{Relay: tr.url(), Token: token, Replica: s}) })
	}
	seen, stop := shopB.Subscribe()
	defer stop()
	sold := func(s *app.Shop) int {
		rows, err := s.Stock(ctx, s.AsOfNow(), "PAT")
		if err != nil {
			b.Fatal(err)
		}
		return rows[0].Rate.Sold
	}
	var lat []time.Duration
	n := 0
	for b.Loop() {
		for range 100 { // enough sales for a p95 from one run
			start := time.Now()
			if _, err := a.Sell(ctx, app.Sale{Code: "PAT"}); err != nil {
				b.Fatal(err)
			}
			n++
			for sold(shopB) < n {
				select {
				case <-seen:
				case <-time.After(10 * time.Second):
					b.Fatalf("sale %d did not reach the other device in 10 s", n)
				}
			}
			lat = append(lat, time.Since(start))
		}
	}
	cancel()
	wg.Wait()
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*95/100]), "p95-ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkHundredDevices: 100 devices connect to one relay process and
// each pushes 1,000 changes; done when every device holds all 100,000.
// Reports the relay process's peak resident memory.
func BenchmarkHundredDevices(b *testing.B) {
	const devices, each = 100, 1000
	for b.Loop() {
		ctx, cancel := context.WithCancel(context.Background())
		bin := buildRelay(b)
		dir := b.TempDir()
		shop := uuid.Must(uuid.NewV7()).String()
		out, err := exec.Command(bin, "token", "create", "--data", dir, "--shop", shop).Output()
		if err != nil {
			b.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		token := lines[len(lines)-1]
		// All 100 devices come from loopback: the per-address cap is off.
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--max-conns-per-addr", "0")
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		addr := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
		start := time.Now()
		var wg sync.WaitGroup
		reps := make([]*loadtest.Device, devices)
		for i := range reps {
			reps[i] = loadtest.NewDevice(shop, each)
			wg.Go(func() { Watch(ctx, Config{Relay: "ws://" + addr, Token: token, Replica: reps[i]}) })
		}
		deadline := time.Now().Add(10 * time.Minute)
		for {
			done := 0
			for _, r := range reps {
				if r.Total() == devices*each {
					done++
				}
			}
			if done == devices {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("only %d of %d devices converged in 10 minutes", done, devices)
			}
			time.Sleep(50 * time.Millisecond)
		}
		elapsed := time.Since(start)
		peak := loadtest.PeakRSS(b, cmd.Process.Pid)
		cancel()
		wg.Wait()
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		b.ReportMetric(elapsed.Seconds(), "converge-s")
		b.ReportMetric(peak/1024, "relay-peak-MB")
	}
}

func buildRelay(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "microshop-relay")
	cmd := exec.Command("go", "build", "-o", bin, "microshop/cmd/microshop-relay")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build the relay: %v\n%s", err, out)
	}
	return bin
}
