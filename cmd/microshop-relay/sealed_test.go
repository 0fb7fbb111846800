package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/client"
	"microshop/sync/join"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// What a relay operator must never read of a shop.
var secrets = []string{"Clay & Ink", "Speckled mug", "MUG-01", "Riso Press", `"price"`}

// sealedRelay is a real relay process serving one sealed shop, and the
// shop's first device, synced.
type sealedRelay struct {
	data, url, token string
	log              *lockedBuffer
	desk             *app.Shop
}

func startSealedRelay(t *testing.T) *sealedRelay {
	t.Helper()
	bin := buildRelay(t)
	r := &sealedRelay{data: t.TempDir(), log: &lockedBuffer{}}
	ctx := context.Background()
	desk, err := app.Create(filepath.Join(t.TempDir(), "desk.db"), app.NewShop{Name: "Clay & Ink", Device: "desk"}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { desk.Close() })
	if _, err := desk.AddFactory(ctx, domain.Factory{Name: "Riso Press", Kind: domain.KindPrint, Location: domain.LocationLocal, LeadDays: 3, Multiple: 1, Established: true}); err != nil {
		t.Fatal(err)
	}
	path, factory, price := domain.PathPrint, "Riso Press", domain.Money(2400)
	if _, err := desk.AddSKU(ctx, "MUG-01", app.SKUFields{Name: ptr("Speckled mug"), Path: &path, Factory: &factory, Price: &price}); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Count(ctx, "MUG-01", 40, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	r.desk = desk
	lines := strings.Split(strings.TrimSpace(relayCmd(t, bin, "token", "create", "--data", r.data, "--shop", desk.ShopID())), "\n")
	r.token = lines[len(lines)-1]

	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", r.data)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = r.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("the relay's first line is %q", line)
	}
	r.url = "ws://" + addr
	r.sync(t, desk)
	return r
}

func ptr[T any](v T) *T { return &v }

func newDeviceKey(t *testing.T) seal.DeviceKey {
	k, err := seal.NewDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (r *sealedRelay) sync(t *testing.T, s *app.Shop) client.Result {
	t.Helper()
	res, err := client.Sync(context.Background(), client.Config{Relay: r.url, Token: r.token, Replica: s})
	if err != nil {
		t.Fatalf("sync %s: %v", s.Path(), err)
	}
	return res
}

// replica is a new device of the desk's shop, synced.
func (r *sealedRelay) replica(t *testing.T, name string) *app.Shop {
	t.Helper()
	s, err := app.CreateReplica(filepath.Join(t.TempDir(), name+".db"), apptest.InviteOf(t, r.desk), name, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r.sync(t, s)
	return s
}

// push sends batch as a device would, signed with sig, and returns what
// the relay answered.
func (r *sealedRelay) push(t *testing.T, writeKey, sig string, batch []changes.Change) wire.Message {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(r.url+"/sync", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.SetReadLimit(wire.MaxFrameBytes)
	device := uuid.Must(uuid.NewV7()).String()
	hello := wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.SealedSchema, Shop: r.desk.ShopID(), Device: device, Token: r.token, Vector: changes.Vector{}, WriteKey: writeKey}
	if err := wire.Write(ws, hello); err != nil {
		t.Fatal(err)
	}
	m, err := readMsg(ws)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.(wire.Welcome); !ok {
		return m
	}
	if err := wire.Write(ws, wire.Batch{Shop: r.desk.ShopID(), Changes: batch, Sig: sig}); err != nil {
		t.Fatal(err)
	}
	for {
		if m, err = readMsg(ws); err != nil {
			t.Fatal(err)
		}
		if _, ok := m.(wire.Batch); !ok { // the relay's own sends pass by
			return m
		}
	}
}

func (r *sealedRelay) shopDB() string {
	return filepath.Join(r.data, "shops", r.desk.ShopID()+".db")
}

// The relay's files and log name nothing of the shop: no name, SKU,
// factory or price. The operator sees envelopes and sizes.
func TestTheRelayReadsNothingOfASealedShop(t *testing.T) {
	r := startSealedRelay(t)
	laptop := r.replica(t, "laptop")
	if _, err := laptop.Sell(context.Background(), app.Sale{Code: "MUG-01", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	r.sync(t, laptop)
	if got := apptest.Available(t, laptop, "MUG-01"); got != 38 {
		t.Fatalf("the replica has %d available, want 38", got)
	}
	if relayHolds(r.shopDB()) == 0 {
		t.Fatal("the relay holds no changes")
	}
	filepath.WalkDir(r.data, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("the relay's file %s holds %q", path, s)
			}
		}
		return nil
	})
	for _, s := range secrets {
		if strings.Contains(r.log.String(), s) {
			t.Errorf("the relay's log holds %q", s)
		}
	}
}

// A relay token alone cannot write: a device with another key is turned
// away at hello, and a batch not signed with the shop's key is refused;
// nothing is stored, and the relay goes on serving the shop.
func TestATokenAloneCannotWrite(t *testing.T) {
	r := startSealedRelay(t)
	held := relayHolds(r.shopDB())
	ctx := context.Background()

	otherKey, _ := seal.NewKey()
	intruder, err := app.CreateReplica(filepath.Join(t.TempDir(), "intruder.db"), app.Invite{Shop: r.desk.ShopID(), Key: otherKey}, "intruder", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer intruder.Close()
	_, err = client.Sync(ctx, client.Config{Relay: r.url, Token: r.token, Replica: intruder})
	if domain.ErrorCode(err) != wire.CodeUnauthorized || !strings.Contains(err.Error(), "invite") {
		t.Fatalf("a device sealed with another key: err = %v, want unauthorized naming the invite", err)
	}

	origin := uuid.Must(uuid.NewV7()).String()
	sale := changes.Change{Origin: origin, Seq: 1, HLC: changes.Stamp{Wall: time.Now().UnixMilli(), Device: origin}.String(), Entity: "sale",
		EntityID: uuid.Must(uuid.NewV7()).String(), Body: json.RawMessage(`{"qty":1}`)}
	sealed, err := seal.New(r.desk.ShopID(), otherKey).Seal(sale)
	if err != nil {
		t.Fatal(err)
	}
	batch := []changes.Change{sealed}
	for name, sig := range map[string]string{
		"unsigned":                "",
		"signed with another key": seal.New(r.desk.ShopID(), otherKey).Sign(batch),
		"garbage":                 "AAAA",
	} {
		m := r.push(t, r.desk.WriteKey(), sig, batch)
		if e, ok := m.(wire.Error); !ok || e.Code != wire.CodeUnauthorized {
			t.Errorf("%s batch: the relay answered %#v, want unauthorized", name, m)
		}
	}
	if got := relayHolds(r.shopDB()); got != held {
		t.Errorf("the relay holds %d changes after the refusals, want %d", got, held)
	}
	if _, err := r.desk.Sell(ctx, app.Sale{Code: "MUG-01"}); err != nil {
		t.Fatal(err)
	}
	if res := r.sync(t, r.desk); res.Sent == 0 {
		t.Error("the shop's own device could not write after the refusals")
	}
}

// A member that sends a body with one flipped bit, or a body moved under
// another seq, gets it stored (the relay cannot open bodies), and every
// device refuses it with a typed error while applying everything else.
func TestDevicesRefuseTamperedBodiesAndApplyTheRest(t *testing.T) {
	r := startSealedRelay(t)
	ctx := context.Background()
	sealer := seal.New(r.desk.ShopID(), apptest.InviteOf(t, r.desk).Key)
	change := func(origin string, seq int64) changes.Change {
		c := changes.Change{Origin: origin, Seq: seq, HLC: changes.Stamp{Wall: time.Now().UnixMilli(), Device: origin}.String(), Entity: "device",
			EntityID: origin, Body: json.RawMessage(`{"name":{"v":"stall"}}`)}
		sc, err := sealer.Seal(c)
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	flipper, mover := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	flipped := change(flipper, 1)
	flipped.Body = bytes.Replace(flipped.Body, flipped.Body[5:6], []byte{flipped.Body[5] ^ 1}, 1)
	first := change(mover, 1)
	moved := first
	moved.Seq = 2
	// The member signs each made-up device's run as its device: the
	// signature covers the digests, which the bodies no longer match.
	flipped.Sig = sealer.SignRun(newDeviceKey(t), []changes.Change{flipped})
	moved.Sig = sealer.SignRun(newDeviceKey(t), []changes.Change{first, moved})
	batch := []changes.Change{flipped, first, moved}
	if m := r.push(t, r.desk.WriteKey(), sealer.Sign(batch), batch); m.MessageType() != wire.TypeAck {
		t.Fatalf("a member's batch was answered %#v, want an ack", m)
	}
	if _, err := r.desk.Sell(ctx, app.Sale{Code: "MUG-01", Qty: 3}); err != nil {
		t.Fatal(err)
	}
	// The desk, too, refuses them, and still sends its sale.
	res, err := client.Sync(ctx, client.Config{Relay: r.url, Token: r.token, Replica: r.desk})
	if domain.ErrorCode(err) != domain.ETampered || res.Sent == 0 {
		t.Fatalf("the desk's sync: sent %d, err %v; want its sale sent and the tampered changes refused", res.Sent, err)
	}

	laptop, err := app.CreateReplica(filepath.Join(t.TempDir(), "laptop.db"), apptest.InviteOf(t, r.desk), "laptop", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer laptop.Close()
	_, err = client.Sync(ctx, client.Config{Relay: r.url, Token: r.token, Replica: laptop})
	if domain.ErrorCode(err) != domain.ETampered {
		t.Fatalf("sync with tampered bodies: err = %v, want tampered", err)
	}
	v, _ := laptop.Vector(ctx)
	if v[flipper] != 0 || v[mover] != 1 {
		t.Errorf("vector %v: want nothing of the flipped body's device and only the first change of the moved one", v)
	}
	if got := apptest.Available(t, laptop, "MUG-01"); got != 37 {
		t.Errorf("the laptop has %d available, want 37: the other changes must apply", got)
	}
	if _, err := client.Sync(ctx, client.Config{Relay: r.url, Token: r.token, Replica: laptop}); domain.ErrorCode(err) != domain.ETampered {
		t.Errorf("a second sync: err = %v, want the same refusal, not a stall", err)
	}
}

// A relay that returns garbage in place of a body: the device refuses
// that change, names it, and applies the others.
func TestGarbageFromTheRelayIsRefused(t *testing.T) {
	r := startSealedRelay(t)
	db, err := sql.Open("sqlite", "file:"+r.shopDB()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var seq int64
	if err := db.QueryRow(`SELECT max(seq) FROM changes WHERE origin = ?`, r.desk.DeviceID()).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE changes SET body = ? WHERE origin = ? AND seq = ?`, []byte(`"garbage, not a sealed body"`), r.desk.DeviceID(), seq); err != nil {
		t.Fatal(err)
	}
	laptop, err := app.CreateReplica(filepath.Join(t.TempDir(), "laptop.db"), apptest.InviteOf(t, r.desk), "laptop", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer laptop.Close()
	_, err = client.Sync(context.Background(), client.Config{Relay: r.url, Token: r.token, Replica: laptop})
	if domain.ErrorCode(err) != domain.ETampered || !strings.Contains(domain.ErrorMessage(err), `from "desk" was refused`) {
		t.Fatalf("garbage body: err = %v, want tampered naming the device by its name", err)
	}
	v, _ := laptop.Vector(context.Background())
	if v[r.desk.DeviceID()] != seq-1 {
		t.Errorf("the laptop holds %d of the desk's changes, want %d: all before the garbage", v[r.desk.DeviceID()], seq-1)
	}
}

// An invite with a wrong key joins nothing and leaves no file.
func TestAnInviteWithAWrongKeyCreatesNothing(t *testing.T) {
	r := startSealedRelay(t)
	in, err := r.desk.Invite(context.Background(), []string{r.url}, r.token)
	if err != nil {
		t.Fatal(err)
	}
	in.Key, _ = seal.NewKey()
	path := filepath.Join(t.TempDir(), "stall", "shop.db")
	if _, _, err := join.New(context.Background(), path, in, "stall", app.Options{}, nil); err == nil {
		t.Fatal("a join with a wrong key succeeded")
	} else if domain.ErrorCode(err) != domain.ETampered || !strings.HasPrefix(domain.ErrorMessage(err), "the invite's key does not open this shop's changes") {
		t.Fatalf("err = %v, want the invite's key named as not opening the shop", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
		t.Errorf("a refused join left %d files", len(entries))
	}
	good, _ := r.desk.Invite(context.Background(), []string{r.url}, r.token)
	s, _, err := join.New(context.Background(), path, good, "stall", app.Options{}, nil)
	if err != nil {
		t.Fatalf("the right invite after a refused one: %v", err)
	}
	s.Close()
}

// A shop two devices synced in the clear is sealed on one; the other is
// turned away until it takes the key from an invite, keeping what it sold
// meanwhile; a new device meets the old changes the relay still holds in
// the clear and is told who can drop them.
func TestSealingAShopThatSyncedBefore(t *testing.T) {
	ctx := context.Background()
	bin := buildRelay(t)
	data := t.TempDir()
	url := "ws://" + startRelay(t, bin, data)

	desk, err := app.Create(filepath.Join(t.TempDir(), "desk.db"), app.NewShop{Name: "Clay & Ink", Device: "desk"}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	path, factory := domain.PathPrint, "Riso Press"
	if _, err := desk.AddFactory(ctx, domain.Factory{Name: factory, Kind: domain.KindPrint, Location: domain.LocationLocal, LeadDays: 3, Multiple: 1, Established: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.AddSKU(ctx, "MUG-01", app.SKUFields{Name: ptr("Speckled mug"), Path: &path, Factory: &factory}); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Count(ctx, "MUG-01", 40, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	laptop, err := app.CreateReplica(filepath.Join(t.TempDir(), "laptop.db"), apptest.InviteOf(t, desk), "laptop", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(relayCmd(t, bin, "token", "create", "--data", data, "--shop", desk.ShopID())), "\n")
	token := lines[len(lines)-1]
	desk, laptop = apptest.Unsealed(t, desk, url, token), apptest.Unsealed(t, laptop, url, token)
	syncWith := func(s *app.Shop) error {
		_, err := client.Sync(ctx, client.Config{Relay: url, Token: token, Replica: s})
		return err
	}
	for _, s := range []*app.Shop{desk, laptop, desk} {
		if err := syncWith(s); err != nil {
			t.Fatal(err)
		}
	}

	if err := desk.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	if err := syncWith(desk); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.Sell(ctx, app.Sale{Code: "MUG-01", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	err = syncWith(laptop)
	if domain.ErrorCode(err) != wire.CodeVersionUnsupported || !strings.Contains(err.Error(), "invite") || domain.RemedyOf(err) != domain.RemedyInvite {
		t.Fatalf("the unsealed laptop's sync: err = %v, want it turned away with a word on the invite", err)
	}
	in, err := desk.Invite(ctx, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	laptopPath := laptop.Path()
	laptop.Close()
	laptop, _, err = join.Existing(ctx, laptopPath, in, app.Options{})
	if err != nil {
		t.Fatalf("the laptop taking the key: %v", err)
	}
	defer laptop.Close()
	if err := syncWith(desk); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*app.Shop{"desk": desk, "laptop": laptop} {
		if got := apptest.Available(t, s, "MUG-01"); got != 38 {
			t.Errorf("%s has %d available, want 38: the laptop's sale kept and shared", name, got)
		}
	}

	_, _, err = join.New(ctx, filepath.Join(t.TempDir(), "new.db"), in, "new", app.Options{}, nil)
	if domain.ErrorCode(err) != domain.ETampered || !strings.Contains(err.Error(), "relay's owner can drop") {
		t.Errorf("a new device meeting the old plain changes: err = %v, want them refused, saying the relay's owner can drop them", err)
	}
}
