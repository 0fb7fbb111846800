package client

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"microshop/app"
	"microshop/app/apptest"
	"microshop/domain"
	"microshop/sync/relay"
)

// testRelay is a real relay on a loopback port that can be stopped and
// started again on the same port, with its data kept.
type testRelay struct {
	t    testing.TB
	dir  string
	addr string
	mu   sync.Mutex
	r    *relay.Relay
	srv  *http.Server
	log  *slog.Logger // what the relay logs; nil discards it
}

func startRelay(t *testing.T) *testRelay {
	t.Helper()
	tr := newTestRelay(t)
	tr.start()
	return tr
}

// newTestRelay prepares a relay's data directory without starting it.
func newTestRelay(tb testing.TB) *testRelay {
	tr := &testRelay{t: tb, dir: tb.TempDir(), addr: "127.0.0.1:0"}
	tb.Cleanup(tr.stop)
	return tr
}

func (tr *testRelay) url() string { return "ws://" + tr.addr }

func (tr *testRelay) start() {
	tr.t.Helper()
	r, err := relay.Open(context.Background(), tr.dir, tr.log)
	if err != nil {
		tr.t.Fatal(err)
	}
	var ln net.Listener
	for range 50 { // the old listener's port may take a moment to free
		if ln, err = net.Listen("tcp", tr.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		tr.t.Fatal(err)
	}
	tr.addr = ln.Addr().String()
	srv := &http.Server{Handler: r}
	go srv.Serve(ln)
	tr.mu.Lock()
	tr.r, tr.srv = r, srv
	tr.mu.Unlock()
}

func (tr *testRelay) stop() {
	tr.mu.Lock()
	r, srv := tr.r, tr.srv
	tr.r, tr.srv = nil, nil
	tr.mu.Unlock()
	if r == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.Shutdown(ctx)
	srv.Shutdown(ctx)
	r.Close()
}

func (tr *testRelay) token(shop string) string {
	tr.t.Helper()
	db, err := relay.OpenTokenDB(context.Background(), relay.TokenDBPath(tr.dir))
	if err != nil {
		tr.t.Fatal(err)
	}
	defer db.Close()
	_, text, err := db.Create(context.Background(), shop, "test")
	if err != nil {
		tr.t.Fatal(err)
	}
	return text
}

// newShop is a shop with one SKU, ZINE, 100 counted.
func newShop(t *testing.T) *app.Shop {
	return apptest.Zine(t, filepath.Join(t.TempDir(), "shop.db"), 100)
}

// joinShop makes a new device's replica of src's shop the way `microshopctl
// join` does with an invite.
// syncedShop is a relay, a shop that has synced with it once, and the
// shop's token there.
func syncedShop(t *testing.T) (*testRelay, *app.Shop, string) {
	t.Helper()
	tr := startRelay(t)
	a := newShop(t)
	token := tr.token(a.ShopID())
	if _, err := Sync(context.Background(), Config{Relay: tr.url(), Token: token, Replica: a}); err != nil {
		t.Fatal(err)
	}
	return tr, a, token
}

func joinShop(t *testing.T, url, token string, src *app.Shop) *app.Shop {
	t.Helper()
	ctx := context.Background()
	r, err := app.CreateReplica(filepath.Join(t.TempDir(), "joined.db"), apptest.InviteOf(t, src), "laptop", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if _, err := Sync(ctx, Config{Relay: url, Token: token, Replica: r}); err != nil {
		t.Fatal(err)
	}
	return r
}

func available(t *testing.T, s *app.Shop) int { return apptest.Available(t, s, "ZINE") }

func sell(t *testing.T, s *app.Shop, n int) {
	for range n {
		apptest.Sell(t, s, "ZINE", 1, time.Time{}, true)
	}
}

func TestJoinAndSyncBothWays(t *testing.T) {
	ctx := context.Background()
	tr := startRelay(t)
	a := newShop(t)
	token := tr.token(a.ShopID())
	res, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: a})
	if err != nil {
		t.Fatal(err)
	}
	va, _ := a.Vector(ctx)
	if int64(res.Sent) != va.Total() || res.Received != 0 {
		t.Fatalf("first sync sent %d received %d, want %d and 0", res.Sent, res.Received, va.Total())
	}
	b := joinShop(t, tr.url(), token, a)
	if b.ShopID() != a.ShopID() || available(t, b) != 100 {
		t.Fatalf("joined shop %s with %d available, want %s with 100", b.ShopID(), available(t, b), a.ShopID())
	}
	// Both sell offline, then each syncs: every sale counted once.
	sell(t, a, 7)
	sell(t, b, 5)
	for _, s := range []*app.Shop{a, b, a} {
		if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: s}); err != nil {
			t.Fatal(err)
		}
	}
	for name, s := range map[string]*app.Shop{"a": a, "b": b} {
		if got := available(t, s); got != 88 {
			t.Errorf("%s: %d available, want 88", name, got)
		}
		st, _ := s.Status(ctx)
		if st.Unsynced != 0 {
			t.Errorf("%s: %d unsynced after sync", name, st.Unsynced)
		}
	}
	va, _ = a.Vector(ctx)
	vb, _ := b.Vector(ctx)
	if !va.Covers(vb) || !vb.Covers(va) {
		t.Fatalf("vectors differ: %v vs %v", va, vb)
	}
}

func TestRefusedTokensMoveNothing(t *testing.T) {
	ctx := context.Background()
	tr := startRelay(t)
	a := newShop(t)
	other := newShop(t)
	for name, token := range map[string]string{
		"no token":           "",
		"wrong token":        "mst_0000000000000000_" + strings.Repeat("0", 64),
		"another shop token": tr.token(other.ShopID()),
	} {
		_, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: a})
		if code := domain.ErrorCode(err); code != "unauthorized" && code != "wrong_shop" {
			t.Errorf("%s: err = %v (code %q), want a refusal", name, err, code)
		}
	}
	// The relay holds nothing of shop a.
	token := tr.token(a.ShopID())
	b, err := app.CreateReplica(filepath.Join(t.TempDir(), "b.db"), apptest.InviteOf(t, a), "b", app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	res, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: b})
	if err != nil || res.Received != 0 {
		t.Fatalf("relay gave %d changes (err %v) after only refused syncs", res.Received, err)
	}
}

func TestWatchIsLiveAndSurvivesRelayRestart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr, a, token := syncedShop(t)
	b := joinShop(t, tr.url(), token, a)

	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, s := range []*app.Shop{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- Watch(ctx, Config{Relay: tr.url(), Token: token, Replica: s})
		}()
	}
	waitFor := func(what string, want int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if available(t, a) == want && available(t, b) == want {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("%s: available a=%d b=%d, want %d on both", what, available(t, a), available(t, b), want)
	}
	sell(t, a, 3)
	waitFor("live sale", 97)

	tr.stop()
	sell(t, a, 2) // offline on both sides of the outage
	sell(t, b, 4)
	tr.start()
	waitFor("after the relay came back", 91)

	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Watch ended with %v", err)
		}
	}
}

func TestSyncURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ws://127.0.0.1:7420", "ws://127.0.0.1:7420/sync"},
		{"ws://relay.example:7420/sync", "ws://relay.example:7420/sync"},
		{"wss://relay.example/", "wss://relay.example/sync"},
		{"http://relay.example", ""},
		{"relay.example:7420", ""},
		{"ws://relay.example/other", ""},
		{"ws://127.0.0.1:99999", ""},
		{"ws://127.0.0.1:0", ""},
		{"ws://127.0.0.1:port", ""},
		{"", ""},
	} {
		got, err := syncURL(c.in)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("syncURL(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if err != nil && !strings.Contains(domain.ErrorMessage(err), c.in) {
			t.Errorf("syncURL(%q) error %q does not name the address", c.in, domain.ErrorMessage(err))
		}
	}
}

func TestBackoffGrowsWithJitterAndCaps(t *testing.T) {
	for n, want := range map[int]time.Duration{0: minBackoff, 1: 2 * minBackoff, 3: 8 * minBackoff, 20: maxBackoff} {
		lo, hi := backoff(n, func() float64 { return 0 }), backoff(n, func() float64 { return 1 })
		if lo != want/2 || hi != want {
			t.Errorf("backoff(%d) spans %v..%v, want %v..%v", n, lo, hi, want/2, want)
		}
	}
}
