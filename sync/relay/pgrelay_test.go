package relay

import (
	"context"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/client"
	"microshop/sync/wire"
)

// Relays sharing one PostgreSQL database, in one test process: each has
// its own store (its own pool and LISTEN connection), as separate
// processes would. The process tests in cmd/microshop-relay run the real
// binaries.

func mustOpenPGFixture(t *testing.T, url string) *fixture {
	t.Helper()
	store := mustOpenPGStore(t, url)
	return serveFixture(t, store, store)
}

func TestTwoRelaysOnOneDatabaseFanOutLive(t *testing.T) {
	url := pgTestURL(t)
	a, b := mustOpenPGFixture(t, url), mustOpenPGFixture(t, url)
	token := a.token(t, shopA)
	seller, _ := a.connect(t, "seller", shopA, token, changes.Vector{})
	watcher, _ := b.connect(t, "watcher", shopA, token, changes.Vector{})
	for seq := int64(1); seq <= 3; seq++ {
		seller.push(shopA, makeChanges("seller", seq, seq))
		// Pulled as it is made, not at a later sync: the watcher's relay
		// learns of it from the database's notification.
		got := watcher.pull(shopA, changes.Vector{"seller": seq - 1}, changes.Vector{"seller": seq})
		sameChanges(t, got, makeChanges("seller", seq, seq))
	}
}

// pgProxy stands between a relay and PostgreSQL so a test can take the
// database away from that relay alone: down cuts every connection and
// refuses new ones until up.
type pgProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
}

func startPGProxy(t *testing.T, target string) *pgProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	t.Cleanup(func() { ln.Close(); p.setDown(true) })
	go p.serve()
	return p
}

func (p *pgProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.pipe(c)
	}
}

func (p *pgProxy) pipe(c net.Conn) {
	p.mu.Lock()
	down := p.down
	p.mu.Unlock()
	if down {
		c.Close()
		return
	}
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[s] = struct{}{}, struct{}{}
	p.mu.Unlock()
	go func() { io.Copy(s, c); s.Close() }()
	io.Copy(c, s)
	c.Close()
}

func (p *pgProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
			delete(p.conns, c)
		}
	}
}

// via returns dbURL with its host replaced by the proxy's.
func (p *pgProxy) via(t *testing.T, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.ln.Addr().String()
	return u.String()
}

func startProxyTo(t *testing.T, dbURL string) *pgProxy {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return startPGProxy(t, u.Host)
}

// TestDatabaseOutageIsUnavailableAndRecovers: while a relay cannot reach
// PostgreSQL, devices are told `unavailable` (which clients retry with
// backoff); when it is back, the relay serves again by itself, and a
// change committed through another relay meanwhile reaches its devices
// although the notification of it was missed.
func TestDatabaseOutageIsUnavailableAndRecovers(t *testing.T) {
	dbURL := pgTestURL(t)
	proxy := startProxyTo(t, dbURL)
	cut := mustOpenPGFixture(t, proxy.via(t, dbURL)) // reaches the database through the proxy
	other := mustOpenPGFixture(t, dbURL)
	token := other.token(t, shopA)
	watcher, _ := cut.connect(t, "watcher", shopA, token, changes.Vector{})
	seller, _ := other.connect(t, "seller", shopA, token, changes.Vector{})

	proxy.setDown(true)
	d := cut.dial(t, "newcomer")
	d.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopA, Device: "newcomer", Token: token, Vector: changes.Vector{}})
	d.expectRefusal(wire.CodeUnavailable)
	// Committed through the other relay: the cut relay misses its
	// notification.
	seller.push(shopA, makeChanges("seller", 1, 2))

	proxy.setDown(false)
	got, watcher := pullAfterOutage(t, cut, watcher, token, changes.Vector{"seller": 2})
	sameChanges(t, got, makeChanges("seller", 1, 2))
	var welcome wire.Welcome
	deadline := time.Now().Add(10 * time.Second)
	for {
		// The first connections after the outage may still find the pool's
		// dead ones; a device retries, as clients do.
		d = cut.dial(t, "newcomer")
		d.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopA, Device: "newcomer", Token: token, Vector: changes.Vector{}})
		m, err := d.read()
		if w, ok := m.(wire.Welcome); ok && err == nil {
			welcome = w
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the relay still refuses devices 10 s after the database came back: %v %s", err, describe(m))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if welcome.Vector["seller"] != 2 {
		t.Errorf("after the outage the relay holds %v, want seller:2", welcome.Vector)
	}
	seller.push(shopA, makeChanges("seller", 3, 3))
	got = watcher.pull(shopA, changes.Vector{"seller": 2}, changes.Vector{"seller": 3})
	sameChanges(t, got, makeChanges("seller", 3, 3))
}

// pullAfterOutage pulls up to want once the database is back: on the
// watcher's own session; or, when the relay ended that session with
// `unavailable` because it looked for the watcher's changes while the
// database was away (a round that comes when it will, as on a loaded
// machine), on a session dialled again until the relay serves, as a
// client does.
func pullAfterOutage(t *testing.T, cut *fixture, watcher *device, token string, want changes.Vector) ([]changes.Change, *device) {
	t.Helper()
	m, err := watcher.read()
	if e, ok := m.(wire.Error); err != nil || !ok || e.Code != wire.CodeUnavailable {
		b, ok := m.(wire.Batch)
		if err != nil || !ok || len(b.Changes) == 0 {
			t.Fatalf("watcher: want a wire.Batch, got %s (%v)", describe(m), err)
		}
		v := changes.Vector{}
		for _, c := range b.Changes {
			v[c.Origin] = max(v[c.Origin], c.Seq)
		}
		watcher.send(wire.Ack{Vector: v.Clone()})
		return append(b.Changes, watcher.pull(shopA, v, want)...), watcher
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		d := cut.dial(t, "watcher")
		d.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopA, Device: "watcher", Token: token, Vector: changes.Vector{}})
		m, err := d.read()
		if _, ok := m.(wire.Welcome); ok && err == nil {
			return d.pull(shopA, changes.Vector{}, want), d
		}
		if time.Now().After(deadline) {
			t.Fatalf("the relay still refuses the watcher 10 s after the database came back: %v %s", err, describe(m))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestAReadJustAfterAnOutageSucceeds: an outage breaks every connection
// the pool holds; the first reads once the database is back still succeed,
// on new connections, instead of ending a device's session on a broken one.
func TestAReadJustAfterAnOutageSucceeds(t *testing.T) {
	ctx := context.Background()
	dbURL := pgTestURL(t)
	proxy := startProxyTo(t, dbURL)
	store := mustOpenPGStore(t, proxy.via(t, dbURL))
	if _, err := store.Append(ctx, shopA, makeChanges("seller", 1, 2)); err != nil {
		t.Fatal(err)
	}
	// Several connections in the pool, all idle.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { store.ChangesAfter(ctx, shopA, changes.Vector{}, 100, 1<<20) })
	}
	wg.Wait()
	proxy.setDown(true)
	proxy.setDown(false)
	for i := range 3 {
		v, err := store.Vector(ctx, shopA)
		if err != nil {
			t.Fatalf("read %d after the outage: %v", i+1, err)
		}
		if v["seller"] != 2 {
			t.Fatalf("read %d after the outage: %v, want seller:2", i+1, v)
		}
		got, err := store.ChangesAfter(ctx, shopA, changes.Vector{}, 100, 1<<20)
		if err != nil {
			t.Fatalf("read %d of changes after the outage: %v", i+1, err)
		}
		sameChanges(t, got, makeChanges("seller", 1, 2))
	}
}

// TestRevokedOnOneRelayIsRefusedByAll: a token revoked through one relay's
// database ends its sessions on every relay, within the 5 s promised.
func TestRevokedOnOneRelayIsRefusedByAll(t *testing.T) {
	url := pgTestURL(t)
	a, b := mustOpenPGFixture(t, url), mustOpenPGFixture(t, url)
	tok, text, err := a.tokens.Create(context.Background(), shopA, "lost tablet")
	if err != nil {
		t.Fatal(err)
	}
	onA, _ := a.connect(t, "tablet-a", shopA, text, changes.Vector{})
	onB, _ := b.connect(t, "tablet-b", shopA, text, changes.Vector{})
	start := time.Now()
	if err := a.tokens.Revoke(context.Background(), tok.ID); err != nil {
		t.Fatal(err)
	}
	onA.expectRefusal(wire.CodeUnauthorized)
	onB.expectRefusal(wire.CodeUnauthorized)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the sessions ended %v after the revocation, want within 5 s", took)
	}
	d := b.dial(t, "again")
	d.send(wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shopA, Device: "again", Token: text, Vector: changes.Vector{}})
	d.expectRefusal(wire.CodeUnauthorized)
}

// memDevice is a device for client.Watch that holds changes in memory.
type memDevice struct {
	shop, id string
	mu       sync.Mutex
	held     []changes.Change
	v        changes.Vector
}

func (d *memDevice) ShopID() string   { return d.shop }
func (d *memDevice) DeviceID() string { return d.id }
func (d *memDevice) Vector(context.Context) (changes.Vector, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.v.Clone(), nil
}
func (d *memDevice) ChangesAfter(context.Context, changes.Vector, int) ([]changes.Change, error) {
	return nil, nil // it makes no changes of its own
}
func (d *memDevice) Apply(_ context.Context, batch []changes.Change) (changes.Vector, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range batch {
		if c.Seq == d.v[c.Origin]+1 {
			d.v[c.Origin] = c.Seq
			d.held = append(d.held, c)
		}
	}
	return d.v.Clone(), nil
}

// TestClientRidesOutADatabaseOutage: a real client whose relay cannot reach
// PostgreSQL is told `unavailable`, keeps retrying with backoff, and once
// the database is back receives what was sold meanwhile, without anyone
// restarting anything.
func TestClientRidesOutADatabaseOutage(t *testing.T) {
	dbURL := pgTestURL(t)
	proxy := startProxyTo(t, dbURL)
	cut := mustOpenPGFixture(t, proxy.via(t, dbURL))
	other := mustOpenPGFixture(t, dbURL)
	token := other.token(t, shopA)
	seller, _ := other.connect(t, "seller", shopA, token, changes.Vector{})

	proxy.setDown(true)
	dev := &memDevice{shop: shopA, id: "tablet", v: changes.Vector{}}
	sawUnavailable := make(chan struct{})
	var once sync.Once
	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan error, 1)
	go func() {
		watched <- client.Watch(ctx, client.Config{Relay: strings.TrimSuffix(cut.url, "/sync"), Token: token, Replica: dev,
			OnStatus: func(s client.Status) {
				// The relay's own typed error, not a failure to reach the relay.
				if domain.ErrorCode(s.Err) == wire.CodeUnavailable && strings.Contains(s.Err.Error(), "cannot reach its database") {
					once.Do(func() { close(sawUnavailable) })
				}
			}})
	}()
	defer func() {
		cancel()
		if err := <-watched; err != nil {
			t.Errorf("Watch gave up: %v", err)
		}
	}()
	select {
	case <-sawUnavailable:
	case err := <-watched:
		t.Fatalf("Watch returned %v while the database was away, want it to keep retrying", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the client was never told the relay is unavailable")
	}
	seller.push(shopA, makeChanges("seller", 1, 3))
	proxy.setDown(false)
	deadline := time.Now().Add(60 * time.Second)
	for {
		v, _ := dev.Vector(ctx)
		if v["seller"] == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a minute after the database came back the client holds %v, want seller:3", v)
		}
		time.Sleep(50 * time.Millisecond)
	}
	dev.mu.Lock()
	sameChanges(t, dev.held, makeChanges("seller", 1, 3))
	dev.mu.Unlock()
}
