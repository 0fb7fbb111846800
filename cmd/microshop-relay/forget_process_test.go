package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/sync/changes"
	"microshop/sync/relay"
)

// buildCtl builds microshopctl, the devices' command, as a release is built.
func buildCtl(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "microshopctl")
	cmd := exec.Command("go", "build", "-o", bin, "microshop/cmd/microshopctl")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build microshopctl: %v\n%s", err, out)
	}
	return bin
}

// ctlDevice runs microshopctl on one shop database.
type ctlDevice struct {
	t       *testing.T
	bin, db string
}

func (d ctlDevice) run(args ...string) string {
	d.t.Helper()
	// A device that waits for changes the relay cannot send would hang
	// the test; the deadline makes that a failure instead.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, d.bin, append([]string{"--db", d.db}, args...)...).Output()
	if ee, ok := err.(*exec.ExitError); ok {
		d.t.Fatalf("microshopctl %s: %v: %s", strings.Join(args, " "), err, ee.Stderr)
	}
	if err != nil {
		d.t.Fatal(err)
	}
	return string(out)
}

func (d ctlDevice) json(v any, args ...string) {
	d.t.Helper()
	if err := json.Unmarshal([]byte(d.run(append([]string{"--json"}, args...)...)), v); err != nil {
		d.t.Fatalf("microshopctl --json %s: %v", strings.Join(args, " "), err)
	}
}

// localChanges reads a device's own change log as it keeps it, in the
// clear: what a relay held of a shop that synced before it was sealed.
func localChanges(t *testing.T, db string) []changes.Change {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT origin, seq, hlc, entity, entity_id, body FROM changes ORDER BY origin, seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []changes.Change
	for rows.Next() {
		var c changes.Change
		var body []byte
		if err := rows.Scan(&c.Origin, &c.Seq, &c.HLC, &c.Entity, &c.EntityID, &body); err != nil {
			t.Fatal(err)
		}
		c.Body = body
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The sealed shop whose relay still holds its old changes in the
// clear. `forget --yes`, run while the relay serves, leaves no byte of them
// in its files; the device's next `microshopctl sync` sends everything
// again, sealed, with the same token; and a new device joins by invite
// and holds the same shop.
func TestForgetThenResyncAndJoinWithTheRealBinaries(t *testing.T) {
	bin, ctl := buildRelay(t), buildCtl(t)
	data, devices := t.TempDir(), t.TempDir()
	desk := ctlDevice{t: t, bin: ctl, db: filepath.Join(devices, "desk.db")}
	desk.run("init", "--shop", "Clay & Ink", "--device", "desk")
	desk.run("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	desk.run("sku", "add", "TEAPOT", "--name", skuName, "--path", "print", "--factory", "Riso")
	desk.run("count", "TEAPOT", "--qty", "50", "--at", "2026-01-01")
	desk.run("sell", "TEAPOT", "--qty", "4", "--at", "2026-01-02")
	var info struct {
		ShopID string `json:"shop_id"`
	}
	desk.json(&info, "shop")
	token := lastLine(relayCmd(t, bin, "token", "create", "--data", data, "--shop", info.ShopID))

	// What the relay held before the shop was sealed.
	old := localChanges(t, desk.db)
	store, err := relay.OpenSQLiteStore(relay.ShopsPath(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Append(context.Background(), info.ShopID, old); err != nil {
		t.Fatal(err)
	}
	store.Close()
	addr := startRelay(t, bin, data)
	holds := func() bool {
		t.Helper()
		files, _ := filepath.Glob(filepath.Join(relay.ShopsPath(data), info.ShopID+".db*"))
		for _, f := range files {
			if b, _ := os.ReadFile(f); strings.Contains(string(b), skuName) {
				return true
			}
		}
		return false
	}
	if !holds() {
		t.Fatal("the relay's files do not hold the old plaintext to begin with; the test proves nothing")
	}

	n := len(old)
	plan := relayCmd(t, bin, "forget", "--data", data, "--shop", info.ShopID)
	if want := fmt.Sprintf("%s of shop %s, %d of them in the clear", plural(n, "change"), info.ShopID, n); !strings.Contains(plan, want) {
		t.Errorf("forget without --yes printed:\n%s\nwant %q", plan, want)
	}
	done := relayCmd(t, bin, "forget", "--data", data, "--shop", info.ShopID, "--yes")
	if !strings.Contains(done, "Dropped "+plural(n, "change")) {
		t.Errorf("forget --yes printed:\n%s", done)
	}
	if holds() {
		t.Fatalf("after forget --yes the relay's files still hold %q", skuName)
	}

	var synced struct {
		Sent int `json:"sent"`
	}
	desk.json(&synced, "sync", "--relay", "ws://"+addr, "--token", token)
	if synced.Sent != n {
		t.Errorf("the desk's sync after forget sent %d changes, want all %d again", synced.Sent, n)
	}
	after := relayCmd(t, bin, "forget", "--data", data, "--shop", info.ShopID)
	if !strings.Contains(after, plural(n, "change")+" of shop "+info.ShopID+", 0 of them in the clear") {
		t.Errorf("after the desk's sync the relay holds:\n%s\nwant all %d changes back, none in the clear", after, n)
	}
	if holds() {
		t.Errorf("the changes sent again put %q in the relay's files", skuName)
	}

	var inv struct {
		Invite string `json:"invite"`
	}
	desk.json(&inv, "invite")
	stall := ctlDevice{t: t, bin: ctl, db: filepath.Join(devices, "stall.db")}
	stall.run("join", "--invite", inv.Invite, "--device", "stall")
	for _, report := range []string{"stock", "reorder"} {
		if got, want := stall.run("--json", report), desk.run("--json", report); got != want {
			t.Errorf("%s differs on the device that joined after forget:\nstall %.300s\ndesk  %.300s", report, got, want)
		}
	}
}
