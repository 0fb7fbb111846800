package relay

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"microshop/sync/changes"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

const (
	shopA = "0190a1b2-aaaa-7000-8000-000000000001"
	shopB = "0190a1b2-bbbb-7000-8000-000000000002"
)

func TestTwoDevicesSyncThroughTheRelay(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)

	laptop, welcome := f.connect(t, "laptop", shopA, token, changes.Vector{})
	if welcome.Shop != shopA || len(welcome.Vector) != 0 || welcome.Protocol != wire.ProtocolVersion {
		t.Fatalf("welcome = %+v, want shop %s, empty vector", welcome, shopA)
	}
	sales := makeChanges("laptop", 1, 3)
	if got, want := laptop.push(shopA, sales), (changes.Vector{"laptop": 3}); !got.Covers(want) || !want.Covers(got) {
		t.Fatalf("ack = %v, want %v", got, want)
	}

	// A second device pulls what the relay holds.
	desktop, welcome := f.connect(t, "desktop", shopA, token, changes.Vector{})
	if got, want := welcome.Vector, (changes.Vector{"laptop": 3}); !got.Covers(want) || !want.Covers(got) {
		t.Fatalf("welcome vector = %v, want %v", got, want)
	}
	sameChanges(t, desktop.pull(shopA, changes.Vector{}, welcome.Vector), sales)

	// Live: the desktop's new changes reach the laptop without a new session,
	// and are not echoed back to the desktop.
	counts := makeChanges("desktop", 1, 2)
	if got := desktop.push(shopA, counts); got["desktop"] != 2 || got["laptop"] != 3 {
		t.Fatalf("ack = %v, want desktop 2, laptop 3", got)
	}
	sameChanges(t, laptop.pull(shopA, changes.Vector{"laptop": 3}, changes.Vector{"laptop": 3, "desktop": 2}), counts)
	desktop.probe(shopA)

	// And the other way.
	more := makeChanges("laptop", 4, 4)
	laptop.push(shopA, more)
	sameChanges(t, desktop.pull(shopA, changes.Vector{"laptop": 3, "desktop": 2}, changes.Vector{"laptop": 4}), more)
	laptop.probe(shopA)
}

func TestPullComesInAcknowledgedBatches(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	all := append(makeChanges("a", 1, 700), makeChanges("b", 1, 600)...)
	if _, err := f.store.Append(context.Background(), shopA, all[:500]); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Append(context.Background(), shopA, all[500:1000]); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Append(context.Background(), shopA, all[1000:]); err != nil {
		t.Fatal(err)
	}

	d, welcome := f.connect(t, "fresh", shopA, token, nil)
	// The device has what the hello says already: the relay starts after it.
	_ = welcome
	d.ws.Close()
	d, welcome = f.connect(t, "fresh", shopA, token, changes.Vector{"a": 100})
	got := d.pull(shopA, changes.Vector{"a": 100}, welcome.Vector)
	sameChanges(t, got, all[100:])
}

func TestRelayWaitsForAcks(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	if _, err := f.store.Append(context.Background(), shopA, makeChanges("a", 1, 500)); err != nil {
		t.Fatal(err)
	}
	// One batch more than the window holds.
	for from := int64(501); from <= int64(sendWindow+1)*500; from += 500 {
		if _, err := f.store.Append(context.Background(), shopA, makeChanges("a", from, from+499)); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := f.connect(t, "slow", shopA, token, nil)
	for range sendWindow {
		expect[wire.Batch](d)
	}
	d.probe(shopA) // no more batches until an ack
	d.send(wire.Ack{Vector: changes.Vector{"a": 500}})
	if b := expect[wire.Batch](d); b.Changes[0].Seq != int64(sendWindow)*500+1 {
		t.Errorf("after the first ack the next batch starts at %d, want %d", b.Changes[0].Seq, sendWindow*500+1)
	}
}

func TestDuplicateBatchesAreIdempotent(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	d, _ := f.connect(t, "laptop", shopA, token, changes.Vector{})
	batch := makeChanges("laptop", 1, 5)
	first := d.push(shopA, batch)
	second := d.push(shopA, batch)
	overlap := d.push(shopA, makeChanges("laptop", 3, 7))
	if first["laptop"] != 5 || second["laptop"] != 5 || overlap["laptop"] != 7 {
		t.Errorf("acks = %v, %v, %v; want laptop at 5, 5, 7", first, second, overlap)
	}
	held, err := f.store.ChangesAfter(context.Background(), shopA, changes.Vector{}, 100, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sameChanges(t, held, makeChanges("laptop", 1, 7))
}

func TestJoinWithoutShopIDGetsTheTokensShop(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	_, welcome := f.connect(t, "new-device", "", token, nil)
	if welcome.Shop != shopA {
		t.Errorf("welcome shop = %q, want %q", welcome.Shop, shopA)
	}
}

// TestRefusedBeforeAnyChangeMoves: each refusal is a typed error and a
// closed connection; the relay sends no change and stores none.
func TestRefusedBeforeAnyChangeMoves(t *testing.T) {
	f := mustOpenFixture(t)
	tokenA := f.token(t, shopA)
	tokenB := f.token(t, shopB)
	revoked, revokedText, err := f.tokens.Create(context.Background(), shopA, "lost laptop")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.tokens.Revoke(context.Background(), revoked.ID); err != nil {
		t.Fatal(err)
	}
	// shop A holds changes a refused device must not see.
	owner, _ := f.connect(t, "owner", shopA, tokenA, nil)
	owner.push(shopA, makeChanges("owner", 1, 2))

	forged := tokenA[:len(tokenA)-4] + "0000"
	if forged == tokenA {
		forged = tokenA[:len(tokenA)-4] + "1111"
	}
	hello := func(mod func(*wire.Hello)) wire.Hello {
		h := wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopA, Device: "intruder", Token: tokenA}
		mod(&h)
		return h
	}
	tests := []struct {
		name  string
		first wire.Message
		code  string
	}{
		{"no token", hello(func(h *wire.Hello) { h.Token = "" }), wire.CodeUnauthorized},
		{"wrong token", hello(func(h *wire.Hello) { h.Token = "mst_0123456789abcdef_" + strings.Repeat("ab", 32) }), wire.CodeUnauthorized},
		{"right id, wrong secret", hello(func(h *wire.Hello) { h.Token = forged }), wire.CodeUnauthorized},
		{"garbage token", hello(func(h *wire.Hello) { h.Token = "let-me-in" }), wire.CodeUnauthorized},
		{"revoked token", hello(func(h *wire.Hello) { h.Token = revokedText }), wire.CodeUnauthorized},
		{"token of another shop", hello(func(h *wire.Hello) { h.Token = tokenB }), wire.CodeWrongShop},
		{"newer protocol", hello(func(h *wire.Hello) { h.Protocol = wire.ProtocolVersion + 1 }), wire.CodeVersionUnsupported},
		{"changes before hello", wire.Batch{Shop: shopA, Changes: makeChanges("intruder", 1, 1)}, wire.CodeBadMessage},
		{"ack before hello", wire.Ack{Vector: changes.Vector{}}, wire.CodeBadMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := f.dial(t, "intruder")
			d.send(tt.first)
			// A client that pushes right after its hello must not get it in.
			d.ws.WriteJSON(map[string]any{"type": "changes", "shop": shopA, "changes": makeChanges("intruder", 1, 1)})
			d.expectRefusal(tt.code)
			if got := f.vector(t, shopA); got["intruder"] != 0 || got["owner"] != 2 {
				t.Errorf("shop A's vector = %v, want owner 2 and nothing from the intruder", got)
			}
			if got := f.vector(t, shopB); len(got) != 0 {
				t.Errorf("shop B's vector = %v, want empty", got)
			}
		})
	}
}

// TestBadInputEndsOnlyThatSession: after the handshake, each kind of bad
// input gets a typed error and a closed connection, nothing of it is
// stored, and the relay goes on serving the shop's other device.
func TestBadInputEndsOnlyThatSession(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	f.token(t, shopB)
	witness, _ := f.connect(t, "witness", shopA, token, nil)
	witness.push(shopA, makeChanges("witness", 1, 1))

	huge := `{"type":"changes","shop":"` + shopA + `","changes":[],"pad":"` + strings.Repeat("x", wire.MaxFrameBytes) + `"}`
	gap := append(makeChanges("bad", 1, 2), makeChanges("bad", 4, 4)...)
	tests := []struct {
		name string
		kind int
		data string
		code string
	}{
		{"malformed JSON", websocket.TextMessage, `{"type":"changes","shop":`, wire.CodeBadMessage},
		{"unknown message type", websocket.TextMessage, `{"type":"delete_everything"}`, wire.CodeBadMessage},
		{"binary frame", websocket.BinaryMessage, `{"type":"ack","vector":{}}`, wire.CodeBadMessage},
		{"frame over the size limit", websocket.TextMessage, huge, wire.CodeTooLarge},
		{"a second hello", websocket.TextMessage, encode(t, wire.Hello{Protocol: 1, Schema: 1, Shop: shopA, Device: "bad", Token: token}), wire.CodeBadMessage},
		{"changes claiming another shop", websocket.TextMessage, encode(t, wire.Batch{Shop: shopB, Changes: makeChanges("bad", 1, 1)}), wire.CodeWrongShop},
		{"sequence gap", websocket.TextMessage, encode(t, wire.Batch{Shop: shopA, Changes: gap}), wire.CodeBadMessage},
		{"sequence not starting at the relay's next", websocket.TextMessage, "", wire.CodeBadMessage},
		{"change without body", websocket.TextMessage, `{"type":"changes","shop":"` + shopA + `","changes":[{"origin":"bad","seq":1,"hlc":"001700000000000.00000.bad","entity":"sale","entity_id":"x"}]}`, wire.CodeBadMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.vector(t, shopA)
			d, _ := f.connect(t, "bad", shopA, token, nil)
			expect[wire.Batch](d) // the witness's change
			data := tt.data
			if data == "" { // a forged origin: the witness's, one ahead of the relay
				data = encode(t, wire.Batch{Shop: shopA, Changes: makeChanges("witness", before["witness"]+2, before["witness"]+3)})
			}
			d.sendRaw(tt.kind, []byte(data))
			d.expectRefusal(tt.code)

			if got := f.vector(t, shopA); !got.Covers(before) || !before.Covers(got) {
				t.Errorf("vector after bad input = %v, want unchanged %v", got, before)
			}
			if got := f.vector(t, shopB); len(got) != 0 {
				t.Errorf("shop B's vector = %v, want empty", got)
			}
			// The relay still serves the witness, live and on a new session.
			seq := before["witness"] + 1
			witness.push(shopA, makeChanges("witness", seq, seq))
			other, welcome := f.connect(t, "other", shopA, token, nil)
			if welcome.Vector["witness"] != seq {
				t.Errorf("a new session sees witness at %d, want %d", welcome.Vector["witness"], seq)
			}
			other.ws.Close()
		})
	}
}

func encode(t *testing.T, m wire.Message) string {
	t.Helper()
	data, err := wire.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestRevokedTokenStopsAnOpenSession(t *testing.T) {
	f := mustOpenFixture(t)
	tok, text, err := f.tokens.Create(context.Background(), shopA, "")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := f.connect(t, "laptop", shopA, text, nil)
	d.push(shopA, makeChanges("laptop", 1, 1))
	if err := f.tokens.Revoke(context.Background(), tok.ID); err != nil {
		t.Fatal(err)
	}
	d.send(wire.Batch{Shop: shopA, Changes: makeChanges("laptop", 2, 2)})
	d.expectRefusal(wire.CodeUnauthorized)
	if got := f.vector(t, shopA)["laptop"]; got != 1 {
		t.Errorf("relay holds laptop up to %d after revocation, want 1", got)
	}
}

func TestOlderSchemaIsTurnedAway(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	newer := f.dial(t, "newer")
	key, _ := seal.NewKey()
	writeKey := seal.New(shopA, key).WriteKey()
	newer.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.SchemaVersion + 1, Shop: shopA, Device: "newer", Token: token, WriteKey: writeKey})
	if w := expect[wire.Welcome](newer); w.Schema != changes.SchemaVersion+1 {
		t.Errorf("welcome schema = %d, want %d", w.Schema, changes.SchemaVersion+1)
	}
	older := f.dial(t, "older")
	older.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.SchemaVersion, Shop: shopA, Device: "older", Token: token, WriteKey: writeKey})
	if e := older.expectRefusal(wire.CodeVersionUnsupported); !strings.Contains(e.Message, "newer Microshop") {
		t.Errorf("the older device is told %q, want to update", e.Message)
	}
	plain := f.dial(t, "plain")
	plain.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopA, Device: "plain", Token: token})
	if e := plain.expectRefusal(wire.CodeVersionUnsupported); !strings.Contains(e.Message, "sealed") {
		t.Errorf("a device without the key of a sealed shop is told %q, want that it is sealed", e.Message)
	}
}

// A device announcing sealed changes names the write key they are signed
// with; without one the hello is refused and the shop is left as it was.
func TestASealedHelloNamesItsWriteKey(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	d := f.dial(t, "keyless")
	d.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.SealedSchema, Shop: shopA, Device: "keyless", Token: token})
	d.expectRefusal(wire.CodeBadMessage)
	plain := f.dial(t, "plain")
	plain.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopA, Device: "plain", Token: token})
	expect[wire.Welcome](plain)
}

func TestSilentConnectionIsDropped(t *testing.T) {
	f := mustOpenFixture(t)
	d := f.dial(t, "mute")
	// The fixture's handshake timeout is 1s, the read deadline 5s: the relay closes first.
	_, err := d.read()
	if ne, ok := err.(net.Error); err == nil || ok && ne.Timeout() {
		t.Fatalf("a connection that never said hello was kept open (read: %v)", err)
	}
}

// A device that only watches is cut off within 5 s of its token being
// revoked through another handle on the token database, as `token revoke`
// in another process does, and receives no change after that.
func TestRevokedTokenEndsAWatchingSession(t *testing.T) {
	f := mustOpenFixture(t)
	ctx := context.Background()
	revoked, revokedText, err := f.tokens.Create(ctx, shopA, "watcher")
	if err != nil {
		t.Fatal(err)
	}
	watcher, _ := f.connect(t, "watcher", shopA, revokedText, nil)
	seller, _ := f.connect(t, "seller", shopA, f.token(t, shopA), nil)
	seller.push(shopA, makeChanges("seller", 1, 1))
	have := changes.Vector{}
	watcher.pull(shopA, have, changes.Vector{"seller": 1})

	other := mustOpenTokenDB(t, TokenDBPath(f.dir))
	if err := other.Revoke(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	seller.push(shopA, makeChanges("seller", 2, 2))
	// Until the relay notices, the sale may still arrive; then the session
	// ends with unauthorized.
	for {
		m, err := watcher.read()
		if err != nil {
			t.Fatalf("after revocation the watcher read %v, want an unauthorized error within 5 s", err)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("the watcher still got %s %v after revocation", describe(m), time.Since(start))
		}
		if b, ok := m.(wire.Batch); ok {
			for _, c := range b.Changes {
				have[c.Origin] = max(have[c.Origin], c.Seq)
			}
			watcher.send(wire.Ack{Vector: have.Clone()})
			continue
		}
		if e, ok := m.(wire.Error); !ok || e.Code != wire.CodeUnauthorized {
			t.Fatalf("after revocation the watcher got %s, want an unauthorized error", describe(m))
		}
		break
	}
	seller.push(shopA, makeChanges("seller", 3, 3))
	if m, err := watcher.read(); err == nil {
		t.Fatalf("after the unauthorized error the watcher got %s, want the connection closed", describe(m))
	}
	again := f.dial(t, "watcher again")
	again.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopA, Device: "watcher", Token: revokedText})
	again.expectRefusal(wire.CodeUnauthorized)
}

// TestHellosNamingOriginsTheRelayLacksLeaveNothingBehind: what a device
// says it holds is remembered only for the changes the relay holds, so a
// token holder saying hello again and again, each time under a new device
// name with a vector of thousands of made-up origins, does not grow the
// relay's memory until it runs out. What the shop's own devices hold is
// still remembered: a computer hosting sync counts a change as synced once
// another device holds it.
func TestHellosNamingOriginsTheRelayLacksLeaveNothingBehind(t *testing.T) {
	f := mustOpenFixture(t)
	token := f.token(t, shopA)
	tablet, _ := f.connect(t, "tablet", shopA, token, changes.Vector{"tablet": 0})
	witness, _ := f.connect(t, "witness", shopA, token, nil)
	witness.push(shopA, makeChanges("witness", 1, 1))
	laptop, _ := f.connect(t, "laptop", shopA, token, changes.Vector{"witness": 1})
	laptop.ws.Close()
	tablet.pull(shopA, changes.Vector{}, changes.Vector{"witness": 1})
	witness.push(shopA, makeChanges("witness", 2, 2))
	tablet.pull(shopA, changes.Vector{"witness": 1}, changes.Vector{"witness": 2})
	tablet.probe(shopA) // its ack is in
	tablet.ws.Close()

	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	const hellos, origins = 40, 5000
	pad := strings.Repeat("x", 100)
	for i := range hellos {
		v := changes.Vector{}
		for j := range origins {
			v[fmt.Sprintf("made-up-%d-%d-%s", i, j, pad)] = 1
		}
		d, _ := f.connect(t, fmt.Sprintf("visitor-%d", i), shopA, token, v)
		d.ws.Close()
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		f.relay.mu.Lock()
		n := len(f.relay.sessions)
		f.relay.mu.Unlock()
		if n == 1 { // the witness's
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions still open after the visitors left", n)
		}
	}
	if grown := int64(heap()) - int64(before); grown > 8<<20 {
		t.Errorf("the relay's heap grew by %d MiB after %d hellos of %d made-up origins each; want what they said forgotten", grown>>20, hellos, origins)
	}
	if got := f.relay.HeldElsewhere(shopA, "witness"); got != 2 {
		t.Errorf("HeldElsewhere(witness) = %d, want 2: the tablet acknowledged the witness's changes", got)
	}
	if got := f.relay.HeldElsewhere(shopA, "laptop"); got != 0 {
		t.Errorf("HeldElsewhere(laptop) = %d, want 0: the laptop made no change", got)
	}
}

// TestARefusedSessionIsLoggedWithWhatItsHelloNamed: an operator asked why
// a device cannot sync finds its refusal in the log by the shop, the
// device and the token's id the hello named, as a connected device's lines
// are found; the token's secret is never written.
func TestARefusedSessionIsLoggedWithWhatItsHelloNamed(t *testing.T) {
	dir := t.TempDir()
	tokens := mustOpenTokenDB(t, filepath.Join(dir, "tokens.db"))
	store, err := OpenSQLiteStore(filepath.Join(dir, "shops"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var logs syncBuffer
	f := serveFixtureWith(t, Config{Store: store, Tokens: tokens, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	tok, text, err := tokens.Create(context.Background(), shopA, "stall laptop")
	if err != nil {
		t.Fatal(err)
	}
	if err := tokens.Revoke(context.Background(), tok.ID); err != nil {
		t.Fatal(err)
	}
	wrongSecret := text[:len(text)-4] + "0000"
	if wrongSecret == text {
		wrongSecret = text[:len(text)-4] + "1111"
	}
	for _, tt := range []struct{ name, token string }{{"revoked", text}, {"wrong secret", wrongSecret}} {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			d := f.dial(t, "stall")
			d.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopA, Device: "stall-laptop", Token: tt.token})
			d.expectRefusal(wire.CodeUnauthorized)
			line := logs.String()
			for _, want := range []string{`msg="session refused"`, "shop=" + shopA, "device=stall-laptop", "token=" + tok.ID} {
				if !strings.Contains(line, want) {
					t.Errorf("the log says %q, want %s in it", line, want)
				}
			}
			if secret := tt.token[len("mst_")+len(tok.ID)+1:]; strings.Contains(line, secret) {
				t.Errorf("the log says %q, which holds the token's secret", line)
			}
		})
	}
}

// syncBuffer is a log's output, written by the relay's goroutines and
// read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}
