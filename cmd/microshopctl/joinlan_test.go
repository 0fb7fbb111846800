package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/sync/client"
	"microshop/sync/controller"
	"microshop/sync/lan"
)

// stallHost is the desktop app on the stall laptop hosting sync on a
// network in memory, with its shop pushed to its own relay.
func stallHost(t *testing.T, mem *lan.Memory) (*controller.Controller, *app.Shop) {
	t.Helper()
	desk := newShop(t)
	desk.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "digital")
	s, err := app.Open(desk.db, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctl := controller.NewOn(s, mem.Network())
	t.Cleanup(func() { ctl.StopHosting() })
	if _, err := ctl.HostOn(context.Background(), apptest.FreePort(t)); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ctl.Status().State != client.StateUpToDate; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the host never synced with its own relay: %+v", ctl.Status())
		}
	}
	return ctl, s
}

func runOn(t *testing.T, mem *lan.Memory, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(withNetwork(context.Background(), mem.Network()), args, &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// At the fair: list the hosts nearby, then join the stall laptop with the
// code it shows.
func TestJoinTheHostNearbyWithItsCode(t *testing.T) {
	mem := lan.NewMemory()
	ctl, desk := stallHost(t, mem)
	db := filepath.Join(t.TempDir(), "partner.db")

	r := runOn(t, mem, "--db", db, "--json", "join", "--lan")
	var listed lanHostsJSON
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &listed) != nil {
		t.Fatalf("join --lan: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if len(listed.Hosts) != 1 || listed.Hosts[0].Name != "test-laptop" || listed.Hosts[0].Shop != desk.ShopID() || len(listed.Hosts[0].URLs) == 0 {
		t.Fatalf("listed %+v, want the host test-laptop of shop %s", listed, desk.ShopID())
	}
	var keys map[string][]map[string]any
	json.Unmarshal([]byte(r.stdout), &keys)
	for _, k := range []string{"name", "shop", "urls"} {
		if _, ok := keys["hosts"][0][k]; !ok {
			t.Errorf("a host lacks the key %q: %s", k, r.stdout)
		}
	}
	r = runOn(t, mem, "--db", db, "join", "--lan")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "test-laptop\tws://") || !strings.Contains(r.stdout, "--code CODE") || strings.Contains(r.stdout, "--host") {
		t.Fatalf("join --lan as text: exit %d, stdout %q", r.code, r.stdout)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("listing the hosts made a shop")
	}

	offer, err := ctl.OfferInvite(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r = runOn(t, mem, "--db", db, "--json", "join", "--lan", "--code", strings.ToLower(offer.Code), "--device", "partner")
	if r.code != 0 {
		t.Fatalf("join --lan --code: exit %d, stderr %q", r.code, r.stderr)
	}
	var joined map[string]any
	json.Unmarshal([]byte(r.stdout), &joined)
	if joined["shop_id"] != desk.ShopID() || joined["name"] != "Clay & Ink" {
		t.Fatalf("joined %v, want the shop %s", joined, desk.ShopID())
	}
	partner := &testShop{t: t, db: db}
	if skus := partner.objects("sku", "list"); len(skus) != 1 || skus[0]["code"] != "ZINE" {
		t.Fatalf("the partner's shop holds %v, want the ZINE", skus)
	}
}

func TestJoinNearbyWithAWrongCodeMakesNothing(t *testing.T) {
	mem := lan.NewMemory()
	ctl, _ := stallHost(t, mem)
	offer, err := ctl.OfferInvite(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wrong := "2345-6789"
	if offer.Code == wrong {
		wrong = "9876-5432"
	}
	db := filepath.Join(t.TempDir(), "partner.db")
	r := runOn(t, mem, "--db", db, "join", "--lan", "--code", wrong)
	if r.code != 1 || !strings.Contains(r.stderr, wrong) || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("a wrong code: exit %d, stderr %q; want 1 and one line naming the code", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(filepath.Dir(db)); len(entries) != 0 {
		t.Fatalf("a refused join left %d files behind", len(entries))
	}
}

func TestJoinNearbyPicksTheHostByName(t *testing.T) {
	mem := lan.NewMemory()
	ctl, desk := stallHost(t, mem)
	// A second computer hosting another shop, somewhere that answers nothing.
	stop, err := mem.Network().Advertise(lan.Ad{Name: "Workshop desktop", Shop: "0190f3a2-0000-7000-8000-000000000001", Port: 9, IPs: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	offer, err := ctl.OfferInvite(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "partner.db")

	r := runOn(t, mem, "--db", db, "join", "--lan")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 3 || !strings.Contains(r.stdout, "--host NAME") {
		t.Fatalf("two hosts listed as: %q", r.stdout)
	}
	r = runOn(t, mem, "--db", db, "join", "--lan", "--code", offer.Code)
	if r.code != 2 || !strings.Contains(r.stderr, `"test-laptop"`) || !strings.Contains(r.stderr, `"Workshop desktop"`) {
		t.Fatalf("two hosts and no --host: exit %d, stderr %q; want 2 naming both", r.code, r.stderr)
	}
	r = runOn(t, mem, "--db", db, "join", "--lan", "--code", offer.Code, "--host", "Kitchen")
	if r.code != 1 || !strings.Contains(r.stderr, `"Kitchen"`) {
		t.Fatalf("--host naming none: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runOn(t, mem, "--db", db, "--json", "join", "--lan", "--code", offer.Code, "--host", "TEST-LAPTOP")
	if r.code != 0 || !strings.Contains(r.stdout, desk.ShopID()) {
		t.Fatalf("--host TEST-LAPTOP: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestJoinNearbyWithNoHostSaysWhatToDo(t *testing.T) {
	mem := lan.NewMemory()
	db := filepath.Join(t.TempDir(), "partner.db")
	r := runOn(t, mem, "--db", db, "join", "--lan")
	if r.code != 0 || !strings.Contains(r.stdout, "Host sync on this computer") || !strings.Contains(r.stdout, "--invite") {
		t.Fatalf("no host, as text: exit %d, stdout %q", r.code, r.stdout)
	}
	r = runOn(t, mem, "--db", db, "--json", "join", "--lan")
	if r.code != 0 || strings.TrimSpace(r.stdout) != `{
  "hosts": []
}` {
		t.Fatalf("no host, as JSON: exit %d, stdout %q", r.code, r.stdout)
	}
	r = runOn(t, mem, "--db", db, "join", "--lan", "--code", "ABCD-EFGH")
	if r.code != 1 || !strings.Contains(r.stderr, "no computer on this network hosts sync") {
		t.Fatalf("a code and no host: exit %d, stderr %q", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(filepath.Dir(db)); len(entries) != 0 {
		t.Errorf("looking for hosts and finding none left %d files", len(entries))
	}
}

func TestJoinNearbyFlagsThatDoNotGoTogether(t *testing.T) {
	mem := lan.NewMemory()
	db := filepath.Join(t.TempDir(), "partner.db")
	for _, args := range [][]string{
		{"join", "--lan", "--invite", "microshop1:x"},
		{"join", "--code", "ABCD-EFGH"},
		{"join", "--invite", "microshop1:x", "--host", "stall"},
		{"join", "--lan", "--host", "stall"},
		{"join", "--lan", "--code", "ABCD-EFG0"}, // 0 is in no code
	} {
		r := runOn(t, mem, append([]string{"--db", db}, args...)...)
		if r.code == 0 || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want refused in one line", args, r.code, r.stderr)
		}
	}
	if mem.Listening() != 0 {
		t.Fatal("a refused command was left looking on the network")
	}
}

// withNetwork is ctx with join --lan looking on n.
func withNetwork(ctx context.Context, n lan.Network) context.Context {
	return context.WithValue(ctx, networkKey{}, n)
}
