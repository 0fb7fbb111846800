package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/wire"
)

// fixture is a real relay on loopback with its own data directory.
type fixture struct {
	relay  *Relay
	store  Store
	tokens fixtureTokens
	server *httptest.Server
	url    string // ws://127.0.0.1:PORT/sync
	dir    string // the relay's data, as Open would use it
}

// fixtureTokens is what the tests do with a relay's tokens.
type fixtureTokens interface {
	Authenticator
	Create(ctx context.Context, shop, label string) (Token, string, error)
	Revoke(ctx context.Context, id string) error
}

func mustOpenFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	tokens := mustOpenTokenDB(t, filepath.Join(dir, "tokens.db"))
	store, err := OpenSQLiteStore(filepath.Join(dir, "shops"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() }) // after the relay's Shutdown
	f := serveFixture(t, store, tokens)
	f.dir = dir
	return f
}

// serveFixture serves a relay over store and tokens on loopback until the
// test ends.
func serveFixture(t *testing.T, store Store, tokens fixtureTokens) *fixture {
	t.Helper()
	return serveFixtureWith(t, Config{Store: store, Tokens: tokens})
}

// serveFixtureWith serves a relay made of cfg, whose Tokens must be
// fixtureTokens, with the test's log unless cfg has one, and a short
// handshake.
func serveFixtureWith(t *testing.T, cfg Config) *fixture {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	}
	cfg.HandshakeTimeout = time.Second
	r := New(cfg)
	store, tokens := cfg.Store, cfg.Tokens.(fixtureTokens)
	srv := httptest.NewServer(r)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		srv.Close()
	})
	return &fixture{relay: r, store: store, tokens: tokens, server: srv, url: "ws" + strings.TrimPrefix(srv.URL, "http") + "/sync"}
}

func mustOpenTokenDB(t *testing.T, path string) *TokenDB {
	t.Helper()
	db, err := OpenTokenDB(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (f *fixture) token(t *testing.T, shop string) string {
	t.Helper()
	_, text, err := f.tokens.Create(context.Background(), shop, "test")
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// vector is what the relay holds for shop, read from its store.
func (f *fixture) vector(t *testing.T, shop string) changes.Vector {
	t.Helper()
	v, err := f.store.Vector(context.Background(), shop)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// device is a test client speaking the protocol over a raw gorilla
// connection, the way any client must.
type device struct {
	t  *testing.T
	id string
	ws *websocket.Conn
}

func (f *fixture) dial(t *testing.T, id string) *device {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(f.url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", f.url, err)
	}
	ws.SetReadLimit(wire.MaxFrameBytes)
	t.Cleanup(func() { ws.Close() })
	return &device{t: t, id: id, ws: ws}
}

// connect dials and completes the handshake for shop with token.
func (f *fixture) connect(t *testing.T, id, shop, token string, v changes.Vector) (*device, wire.Welcome) {
	t.Helper()
	d := f.dial(t, id)
	d.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shop, Device: id, Token: token, Vector: v})
	return d, expect[wire.Welcome](d)
}

func (d *device) send(m wire.Message) {
	d.t.Helper()
	d.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := wire.Write(d.ws, m); err != nil {
		d.t.Fatalf("send %s: %v", m.MessageType(), err)
	}
}

func (d *device) sendRaw(kind int, data []byte) {
	d.t.Helper()
	d.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := d.ws.WriteMessage(kind, data); err != nil {
		d.t.Fatalf("send: %v", err)
	}
}

func (d *device) read() (wire.Message, error) {
	d.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	return wire.Read(d.ws)
}

func expect[M wire.Message](d *device) M {
	d.t.Helper()
	m, err := d.read()
	if err != nil {
		d.t.Fatalf("%s: want a %T, got error %v", d.id, *new(M), err)
	}
	got, ok := m.(M)
	if !ok {
		d.t.Fatalf("%s: want a %T, got %s", d.id, *new(M), describe(m))
	}
	return got
}

// expectRefusal reads an error message with code and the close after it,
// and returns the message (empty when the WebSocket layer refused first).
func (d *device) expectRefusal(code string) (refusal wire.Error) {
	d.t.Helper()
	m, err := d.read()
	wantReason := true
	switch {
	case err != nil && domain.ErrorCode(err) == code:
		// The WebSocket layer refused a frame over the read limit and
		// closed with 1009 before the relay could write its error.
		wantReason = false
	case err != nil:
		d.t.Fatalf("%s: want an error message %q, got error %v", d.id, code, err)
	default:
		e, ok := m.(wire.Error)
		if !ok || e.Code != code {
			d.t.Fatalf("%s: want an error message %q, got %s", d.id, code, describe(m))
		}
		if e.Message == "" {
			d.t.Errorf("%s: the %s error has no message", d.id, code)
		}
		refusal = e
	}
	m, err = d.read()
	if err == nil {
		d.t.Fatalf("%s: after the %s error got %s, want the connection closed", d.id, code, describe(m))
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) && wantReason && ce.Text != code {
		d.t.Errorf("%s: close reason %q, want %q", d.id, ce.Text, code)
	}
	return refusal
}

// pull reads batches, acknowledging each with vector v grown by it, until
// v covers want. It returns the changes received.
func (d *device) pull(shop string, v, want changes.Vector) []changes.Change {
	d.t.Helper()
	var got []changes.Change
	for !v.Covers(want) {
		b := expect[wire.Batch](d)
		if b.Shop != shop {
			d.t.Fatalf("%s: batch for shop %q, want %q", d.id, b.Shop, shop)
		}
		if len(b.Changes) == 0 || len(b.Changes) > wire.MaxBatchChanges {
			d.t.Fatalf("%s: batch of %d changes", d.id, len(b.Changes))
		}
		for _, c := range b.Changes {
			if c.Seq != v[c.Origin]+1 {
				d.t.Fatalf("%s: got %s/%d after %d: out of order", d.id, c.Origin, c.Seq, v[c.Origin])
			}
			v[c.Origin] = c.Seq
		}
		got = append(got, b.Changes...)
		d.send(wire.Ack{Vector: v.Clone()})
	}
	return got
}

// push sends a batch and returns the relay's ack.
func (d *device) push(shop string, batch []changes.Change) changes.Vector {
	d.t.Helper()
	d.send(wire.Batch{Shop: shop, Changes: batch})
	return expect[wire.Ack](d).Vector
}

// probe sends an empty batch and checks that its ack is the next message:
// nothing else was sent before it. (A read deadline cannot test silence:
// after one expires, a gorilla connection is unusable.)
func (d *device) probe(shop string) {
	d.t.Helper()
	d.send(wire.Batch{Shop: shop, Changes: []changes.Change{}})
	expect[wire.Ack](d)
}

// makeChanges returns origin's changes from seq `from` to `to`.
func makeChanges(origin string, from, to int64) []changes.Change {
	var out []changes.Change
	for seq := from; seq <= to; seq++ {
		out = append(out, changes.Change{
			Origin:   origin,
			Seq:      seq,
			HLC:      changes.Stamp{Wall: 1_700_000_000_000 + seq, Device: origin}.String(),
			Entity:   "sale",
			EntityID: fmt.Sprintf("%s-sale-%d", origin, seq),
			Body:     json.RawMessage(fmt.Sprintf(`{"sku":"MUG-1","qty":%d}`, seq)),
		})
	}
	return out
}

func sameChanges(t *testing.T, got, want []changes.Change) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d changes, want %d", len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("change %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// describe keeps failure messages short: a batch is shown by its range.
func describe(m wire.Message) string {
	if b, ok := m.(wire.Batch); ok && len(b.Changes) > 0 {
		first, last := b.Changes[0], b.Changes[len(b.Changes)-1]
		return fmt.Sprintf("a batch of %d changes, %s/%d to %s/%d", len(b.Changes), first.Origin, first.Seq, last.Origin, last.Seq)
	}
	return fmt.Sprintf("%#v", m)
}
