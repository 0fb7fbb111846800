package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"microshop/app"
	"microshop/domain"
)

// The process-level proof of issue 3: two microshopctl replicas and a real
// microshop-relay process that is killed with SIGKILL in the middle of a
// large sync and restarted; the replicas still converge with exact counts.
func TestRelayKilledMidSyncLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real binaries")
	}
	dir := t.TempDir()
	relayBin := buildBinary(t, dir, "microshop/cmd/microshop-relay")
	ctlBin := buildBinary(t, dir, "microshop/cmd/microshopctl")
	data := filepath.Join(dir, "relay")

	// Shop A with a few thousand changes: enough batches to cut into.
	dbA := filepath.Join(dir, "a.db")
	ctl := func(db string, args ...string) (string, error) {
		cmd := exec.Command(ctlBin, append([]string{"--db", db}, args...)...)
		out, err := cmd.Output()
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), &exitError{err: ee, stderr: string(ee.Stderr)}
		}
		return string(out), err
	}
	mustCtl := func(db string, args ...string) string {
		t.Helper()
		out, err := ctl(db, args...)
		if err != nil {
			t.Fatalf("microshopctl %v: %v", args, err)
		}
		return out
	}
	mustCtl(dbA, "init", "--shop", "Crash test")
	mustCtl(dbA, "sku", "add", "PAT", "--name", "Pattern", "--path", "digital")
	const sales = 4000
	fillSales(t, dbA, "PAT", sales)
	var info struct {
		ShopID string `json:"shop_id"`
	}
	json.Unmarshal([]byte(mustCtl(dbA, "--json", "shop")), &info)

	out, err := exec.Command(relayBin, "token", "create", "--data", data, "--shop", info.ShopID).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token := lines[len(lines)-1]

	relay, addr := startRelayProcess(t, relayBin, data, "127.0.0.1:0")
	url := "ws://" + addr

	// Sync A and kill the relay once part of it has arrived.
	syncA := exec.Command(ctlBin, "--db", dbA, "sync", "--relay", url, "--token", token)
	if err := syncA.Start(); err != nil {
		t.Fatal(err)
	}
	shopDB := filepath.Join(data, "shops", info.ShopID+".db")
	deadline := time.Now().Add(60 * time.Second)
	for relayHolds(shopDB) < 500 {
		if time.Now().After(deadline) {
			t.Fatal("the relay never received the first changes")
		}
		time.Sleep(5 * time.Millisecond)
	}
	relay.Process.Signal(syscall.SIGKILL)
	relay.Wait()
	held := relayHolds(shopDB)
	if held >= sales {
		t.Logf("the relay had all %d changes before the kill; the test still checks recovery", held)
	}
	if err := syncA.Wait(); err == nil && held < sales {
		t.Fatal("sync reported success although the relay died mid-way")
	}

	// Restart on the same address: A resumes from vectors, B joins.
	_, addr2 := startRelayProcess(t, relayBin, data, addr)
	if addr2 != addr {
		t.Fatalf("restarted on %s, want %s", addr2, addr)
	}
	mustCtl(dbA, "sync", "--relay", url, "--token", token)
	dbB := filepath.Join(dir, "b.db")
	var inv struct {
		Invite string `json:"invite"`
	}
	if err := json.Unmarshal([]byte(mustCtl(dbA, "--json", "invite")), &inv); err != nil {
		t.Fatal(err)
	}
	mustCtl(dbB, "join", "--invite", inv.Invite)
	mustCtl(dbB, "sell", "PAT", "--qty", "3")
	mustCtl(dbB, "sync")
	mustCtl(dbA, "sync")

	for name, db := range map[string]string{"a": dbA, "b": dbB} {
		var rows []struct {
			DailyRate float64 `json:"daily_rate"`
		}
		json.Unmarshal([]byte(mustCtl(db, "--json", "stock", "PAT")), &rows)
		var st struct {
			Vector   map[string]int64 `json:"vector"`
			Unsynced int64            `json:"unsynced"`
		}
		json.Unmarshal([]byte(mustCtl(db, "--json", "status")), &st)
		total := int64(0)
		for _, n := range st.Vector {
			total += n
		}
		// init's shop record + the SKU + the sales on A, and B's 3-unit
		// sale; each device's name came with its first change.
		if want := int64(2 + sales + 1 + 2); total != want {
			t.Errorf("%s holds %d changes, want %d", name, total, want)
		}
		if st.Unsynced != 0 {
			t.Errorf("%s has %d unsynced changes", name, st.Unsynced)
		}
		if sold := soldUnits(t, db); sold != sales+3 {
			t.Errorf("%s counts %d units sold, want %d", name, sold, sales+3)
		}
	}
}

type exitError struct {
	err    error
	stderr string
}

func (e *exitError) Error() string { return e.err.Error() + ": " + e.stderr }

func buildBinary(t *testing.T, dir, pkg string) string {
	t.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// startRelayProcess runs `microshop-relay serve` and waits for its
// "listening on" line; the process is killed when the test ends.
func startRelayProcess(t *testing.T, bin, data, addr string) (*exec.Cmd, string) {
	t.Helper()
	var cmd *exec.Cmd
	var line string
	for range 50 { // a killed relay's port may take a moment to free
		cmd = exec.Command(bin, "serve", "--addr", addr, "--data", data)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ = bufio.NewReader(stdout).ReadString('\n')
		if strings.HasPrefix(line, "listening on ") {
			break
		}
		cmd.Wait()
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.HasPrefix(line, "listening on ") {
		t.Fatalf("the relay did not start on %s", addr)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	})
	return cmd, strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
}

// relayHolds counts the changes in the relay's store for a shop, reading
// its database file alongside the running relay.
func relayHolds(path string) int {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(1000)")
	if err != nil {
		return 0
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM changes`).Scan(&n); err != nil {
		return 0
	}
	return n
}

// fillSales records n one-unit sales through the app layer, which is much
// faster than n microshopctl processes.
func fillSales(t *testing.T, db, code string, n int) {
	t.Helper()
	s, err := app.Open(db, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now().Add(-time.Duration(n) * time.Second)
	for i := range n {
		if _, err := s.Sell(context.Background(), app.Sale{Code: code, At: start.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(domain.ErrorMessage(err))
		}
	}
}

// soldUnits is every unit sold in the shop, read from its events.
func soldUnits(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT coalesce(sum(qty), 0) FROM events WHERE kind = 'sale'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
