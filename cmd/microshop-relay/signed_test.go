package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/sync/changes"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// Holding the shop key and a token makes a device a member; it still
// cannot write in another device's name. A sale under the desk's id and
// next number, signed with the member's own (vouched) key, or signed by
// no device at all, is refused by the relay, which stores nothing of it
// and goes on serving; the desk's real change with that number then
// reaches every device.
func TestTheRelayTakesNoChangeInAnotherDevicesName(t *testing.T) {
	r := startSealedRelay(t)
	ctx := context.Background()
	held := relayHolds(r.shopDB())
	sealer := seal.New(r.desk.ShopID(), apptest.InviteOf(t, r.desk).Key)
	v, err := r.desk.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	desk := r.desk.DeviceID()
	forged, err := sealer.Seal(changes.Change{Origin: desk, Seq: v[desk] + 1, HLC: changes.Stamp{Wall: time.Now().UnixMilli(), Device: desk}.String(),
		Entity: "sale", EntityID: uuid.Must(uuid.NewV7()).String(), Body: json.RawMessage(`{"qty":40}`)})
	if err != nil {
		t.Fatal(err)
	}
	signed := forged
	signed.Sig = sealer.SignRun(newDeviceKey(t), []changes.Change{signed})
	for name, c := range map[string]changes.Change{"signed with a member's key": signed, "signed by no device": forged} {
		batch := []changes.Change{c}
		m := r.push(t, r.desk.WriteKey(), sealer.Sign(batch), batch)
		if e, ok := m.(wire.Error); !ok || e.Code != wire.CodeUnauthorized || !strings.Contains(e.Message, "only the device that made a change") {
			t.Errorf("%s: the relay answered %#v, want unauthorized saying only the device that made a change can send it", name, m)
		}
	}
	if got := relayHolds(r.shopDB()); got != held {
		t.Errorf("the relay holds %d changes after the refusals, want %d", got, held)
	}

	if _, err := r.desk.Sell(ctx, app.Sale{Code: "MUG-01", Qty: 3}); err != nil {
		t.Fatal(err)
	}
	if res := r.sync(t, r.desk); res.Sent != 1 {
		t.Errorf("the desk sent %d changes, want its sale", res.Sent)
	}
	laptop := r.replica(t, "laptop")
	if got := apptest.Available(t, laptop, "MUG-01"); got != 37 {
		t.Errorf("the laptop has %d available, want 37: the desk's real sale, not the forged one", got)
	}
}

// A device speaking the protocol before devices signed their changes is
// told to update before it can send a sealed shop anything unsigned.
func TestAnOlderDeviceIsToldToUpdateForASealedShop(t *testing.T) {
	r := startSealedRelay(t)
	ws, _, err := websocket.DefaultDialer.Dial(r.url+"/sync", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	hello := wire.Hello{Protocol: wire.SignedProtocol - 1, Schema: changes.SealedSchema, Shop: r.desk.ShopID(), Device: uuid.Must(uuid.NewV7()).String(),
		Token: r.token, Vector: changes.Vector{}, WriteKey: r.desk.WriteKey()}
	if err := wire.Write(ws, hello); err != nil {
		t.Fatal(err)
	}
	m, err := readMsg(ws)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := m.(wire.Error); !ok || e.Code != wire.CodeVersionUnsupported || !strings.Contains(e.Message, "Update Microshop") {
		t.Errorf("the relay answered %#v, want version_unsupported asking for an update", m)
	}
}
