package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"microshop/app"
	"microshop/sync/client"
	"microshop/sync/relay"
)

// startRelay runs a real relay on loopback and returns its URL and a token
// minted for shop (or unbound when shop is "").
func startRelay(t *testing.T) (url string, token func(shop string) string) {
	t.Helper()
	dir := t.TempDir()
	r, err := relay.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(func() {
		r.Shutdown(context.Background())
		srv.Close()
		r.Close()
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http"), func(shop string) string {
		db, err := relay.OpenTokenDB(context.Background(), relay.TokenDBPath(dir))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, text, err := db.Create(context.Background(), shop, "test")
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
}

func TestTwoDevicesSyncThroughARelay(t *testing.T) {
	url, mint := startRelay(t)
	desk := newShop(t)
	desk.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	desk.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "print", "--factory", "Riso")
	desk.ok("count", "ZINE", "--qty", "50", "--at", "2026-01-01")
	shopID := desk.object("shop")["shop_id"].(string)
	token := mint(shopID)

	first := desk.object("sync", "--relay", url, "--token", token)
	if first["received"].(float64) != 0 || first["sent"].(float64) != 5 /* shop, this device's name, factory, SKU, count */ {
		t.Fatalf("first sync = %v", first)
	}
	stall := &testShop{t: t, db: filepath.Join(t.TempDir(), "stall.db")}
	invite := desk.object("invite", "--relay", url, "--token", token)["invite"].(string)
	joined := stall.object("join", "--invite", invite, "--device", "stall")
	if joined["shop_id"] != shopID || joined["name"] != "Clay & Ink" {
		t.Fatalf("join = %v, want shop %s named Clay & Ink", joined, shopID)
	}
	stall.ok("sell", "ZINE", "--qty", "4", "--at", "2026-01-02")
	desk.ok("sell", "ZINE", "--qty", "3", "--at", "2026-01-02")
	stall.ok("sync") // the relay and token were remembered by join
	desk.ok("sync")
	stall.ok("sync") // now the desk's sale comes down
	for name, s := range map[string]*testShop{"desk": desk, "stall": stall} {
		rows := s.objects("stock", "ZINE", "--as-of", "2026-01-02")
		if got := rows[0]["available"].(float64); got != 43 {
			t.Errorf("%s: %v available, want 43", name, got)
		}
		if st := s.object("status"); st["unsynced"].(float64) != 0 {
			t.Errorf("%s: %v unsynced after sync", name, st["unsynced"])
		}
	}
}

func TestJoinWithABadTokenLeavesNothing(t *testing.T) {
	url, _ := startRelay(t)
	desk := newShop(t)
	invite := desk.object("invite", "--relay", url, "--token", "mst_0000000000000000_"+strings.Repeat("0", 64))["invite"].(string)
	db := filepath.Join(t.TempDir(), "joined.db")
	r := runCLI(t, "--db", db, "join", "--invite", invite)
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q; want 1 and one line", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(filepath.Dir(db)); len(entries) != 0 {
		t.Fatalf("a failed join left %d files behind", len(entries))
	}
	// A relay address no device could use is refused by invite itself.
	if r = desk.run("invite", "--relay", "http://nowhere", "--token", "x"); r.code == 0 || !strings.Contains(r.stderr, "http://nowhere") {
		t.Fatalf("bad relay URL: exit %d, stderr %q", r.code, r.stderr)
	}
}

// A relay token alone no longer joins a shop: the refusal says an invite
// is needed, and nothing is created.
func TestJoinWithATokenAloneNeedsAnInvite(t *testing.T) {
	url, mint := startRelay(t)
	desk := newShop(t)
	token := mint(desk.object("shop")["shop_id"].(string))
	desk.ok("sync", "--relay", url, "--token", token)
	db := filepath.Join(t.TempDir(), "joined.db")
	r := runCLI(t, "--db", db, "join", "--relay", url, "--token", token)
	if r.code == 0 || !strings.Contains(r.stderr, "invite") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("join with a token: exit %d, stderr %q; want a one-line refusal naming the invite", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(filepath.Dir(db)); len(entries) != 0 {
		t.Fatalf("a refused join left %d files behind", len(entries))
	}
}

func TestBundleMovesChangesByFile(t *testing.T) {
	desk := newShop(t)
	desk.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	desk.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "print", "--factory", "Riso")
	desk.ok("count", "ZINE", "--qty", "50", "--at", "2026-01-01")
	file := filepath.Join(t.TempDir(), "usb", "desk.msb")
	os.MkdirAll(filepath.Dir(file), 0o755)
	desk.ok("bundle", "export", "--out", file)

	// A second device of the same shop, made from the first bundle.
	url, mint := startRelay(t)
	shopID := desk.object("shop")["shop_id"].(string)
	token := mint(shopID)
	desk.ok("sync", "--relay", url, "--token", token)
	stall := &testShop{t: t, db: filepath.Join(t.TempDir(), "stall.db")}
	stall.ok("join", "--invite", desk.object("invite")["invite"].(string))
	stall.ok("sell", "ZINE", "--qty", "2", "--at", "2026-01-02")
	stall.ok("bundle", "export", "--out", file, "--overwrite")
	imp := desk.object("bundle", "import", file)
	// The sale, and the stall's name, which its first change carries.
	if imp["received"].(float64) != 2 {
		t.Fatalf("import = %v, want 2 new changes", imp)
	}
	if again := desk.object("bundle", "import", file); again["received"].(float64) != 0 {
		t.Fatalf("second import = %v, want nothing new", again)
	}
	if got := desk.objects("stock", "ZINE", "--as-of", "2026-01-02")[0]["available"].(float64); got != 48 {
		t.Fatalf("desk has %v available after the bundle, want 48", got)
	}
	// One new change reads as one: "1 of its 9 changes were new here".
	stall.ok("sell", "ZINE", "--at", "2026-01-03")
	stall.ok("bundle", "export", "--out", file, "--overwrite")
	if r := desk.run("bundle", "import", file); !strings.HasSuffix(r.stdout, " changes was new here.\n") {
		t.Fatalf("importing one new change says %q; want it said as one", r.stdout)
	}
	// A stall laptop made with init, even under the same name, is another
	// shop: the refusal names both and says how a machine joins this one.
	other := newShop(t)
	before := other.vector()
	r := other.run("bundle", "import", file)
	if r.code != 1 || !strings.Contains(r.stderr, `a shop created on each machine is two shops, even under one name`) || other.vector() != before {
		t.Fatalf("another shop's bundle: exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "not with init: `microshopctl --db NEW_PATH join --invite INVITE --bundle FILE`") {
		t.Fatalf("another shop's bundle: stderr %q; want how a machine joins the bundle's shop", r.stderr)
	}
}

// Every device lost and the relay gone: an invite and a bundle, kept
// apart, make the shop again. Another shop's invite opens nothing of it.
func TestJoinFromABundleWhenEverythingElseIsGone(t *testing.T) {
	desk := newShop(t)
	desk.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	desk.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "print", "--factory", "Riso")
	desk.ok("count", "ZINE", "--qty", "50", "--at", "2026-01-01")
	desk.ok("sell", "ZINE", "--qty", "4", "--at", "2026-01-02")
	file := filepath.Join(t.TempDir(), "desk.msb")
	desk.ok("bundle", "export", "--out", file)
	invite := desk.object("invite", "--relay", "ws://gone.example:7420", "--token", someToken)["invite"].(string)

	stranger := newShop(t)
	wrong := stranger.object("invite", "--relay", "ws://gone.example:7420", "--token", someToken)["invite"].(string)
	lost := filepath.Join(t.TempDir(), "lost.db")
	if r := runCLI(t, "--db", lost, "join", "--invite", wrong, "--bundle", file); r.code == 0 {
		t.Fatalf("another shop's invite made the shop from the bundle: %q", r.stdout)
	}
	if entries, _ := os.ReadDir(filepath.Dir(lost)); len(entries) != 0 {
		t.Fatalf("a refused join left %d files", len(entries))
	}
	// A bundle that is not there is said as bundle import says it, with
	// no error of the system's tacked on.
	missing := filepath.Join(t.TempDir(), "missing.msb")
	if r := runCLI(t, "--db", lost, "join", "--invite", invite, "--bundle", missing); r.code == 0 ||
		!strings.Contains(r.stderr, "cannot open the bundle "+missing+"; check the path") || strings.Contains(r.stderr, "no such file") {
		t.Errorf("join from a missing bundle: exit %d, stderr %q", r.code, r.stderr)
	}

	back := &testShop{t: t, db: filepath.Join(t.TempDir(), "back.db")}
	joined := back.object("join", "--invite", invite, "--bundle", file, "--device", "new laptop")
	if joined["shop_id"] != desk.object("shop")["shop_id"] {
		t.Fatalf("made %v, want the desk's shop", joined)
	}
	rows := back.objects("stock", "ZINE", "--as-of", "2026-01-02")
	if got := rows[0]["available"].(float64); got != 46 {
		t.Errorf("the shop made from the bundle has %v available, want 46", got)
	}
}

// `shop` says whether the shop is sealed: a new one is.
func TestShopSaysItIsSealed(t *testing.T) {
	s := newShop(t)
	r := s.run("shop")
	if r.code != 0 || !strings.Contains(r.stdout, "Sealed") || !strings.Contains(r.stdout, "yes: its changes leave this device encrypted") {
		t.Fatalf("shop: exit %d, %q; want it to say the shop is sealed", r.code, r.stdout)
	}
}

// A device watching stays up to date while others' changes arrive, and
// says each arrival: it printed nothing once up to date, so a sale made on
// the stall laptop went by unseen.
func TestWatchSaysWhatArrives(t *testing.T) {
	url, mint := startRelay(t)
	desk := newShop(t)
	shopID := desk.object("shop")["shop_id"].(string)
	token := mint(shopID)
	desk.ok("sync", "--relay", url, "--token", token)
	stall := &testShop{t: t, db: filepath.Join(t.TempDir(), "stall.db")}
	stall.ok("join", "--invite", desk.object("invite", "--relay", url, "--token", token)["invite"].(string), "--device", "stall")

	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan int)
	go func() { done <- Run(ctx, []string{"--db", desk.db, "sync", "--watch"}, out, io.Discard) }()
	waitFor(t, out, "up to date")
	stall.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	stall.ok("sync")
	waitFor(t, out, "up to date, received 2 changes\n") // the factory, and the stall's name, written with its first change
	cancel()
	<-done
}

// syncBuffer is a buffer two goroutines can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("watch never said %q:\n%s", want, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The relay and token are kept once the relay accepts them, not only when
// the first sync ends: one cut off (here held mid-exchange) is taken up
// again by a plain `sync`.
func TestAFirstSyncCutOffRemembersTheRelay(t *testing.T) {
	url, mint := startRelay(t)
	desk := newShop(t)
	token := mint(desk.object("shop")["shop_id"].(string))
	ctx, cancel := context.WithCancel(context.Background())
	out := &holdingWriter{at: "syncing", held: make(chan struct{}), release: make(chan struct{})}
	done := make(chan int)
	go func() {
		done <- Run(ctx, []string{"--db", desk.db, "sync", "--watch", "--relay", url, "--token", token}, out, io.Discard)
	}()
	<-out.held // the exchange has begun, and stays unfinished
	s, err := app.Open(desk.db, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	peer, err := s.SyncPeer(context.Background())
	s.Close()
	cancel()
	close(out.release)
	<-done
	if err != nil || peer.Relay != url || peer.Token != token {
		t.Fatalf("mid-exchange the shop holds %+v, %v; want the relay and token given", peer, err)
	}
}

// holdingWriter stops the first writer of a line holding at until released.
type holdingWriter struct {
	at            string
	held, release chan struct{}
	once          sync.Once
}

func (w *holdingWriter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.at) {
		w.once.Do(func() {
			close(w.held)
			<-w.release
		})
	}
	return len(p), nil
}

// A bundle that leaves changes out says so, as sync does: a copy of a
// shop made without its device file is a new device, holding the first
// one's changes without the signatures to pass them on, and its bundle of
// 2 of the shop's 13 changes made an empty shop without a word.
func TestABundleSaysWhatItLeavesOut(t *testing.T) {
	desk := newShop(t)
	desk.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	desk.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "print", "--factory", "Riso")
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	desk.ok("backup", "--out", copyPath) // opened as it is, not restored: a copy
	cp := &testShop{t: t, db: copyPath}
	cp.ok("count", "ZINE", "--qty", "5")
	file := filepath.Join(t.TempDir(), "copy.msb")
	r := cp.run("bundle", "export", "--out", file)
	if r.code != 0 || !strings.Contains(r.stderr, "are not in the bundle") {
		t.Fatalf("bundle export of a copy: exit %d, stderr %q; want a warning of what it leaves out", r.code, r.stderr)
	}
}

// Joining from an invite whose relay holds nothing of the shop yet makes
// no shop and says what to do: it made an empty one, with no name and the
// default currency, and a maker at the stall began adding SKUs to it.
func TestJoiningARelayThatHoldsNothingYetMakesNoShop(t *testing.T) {
	desk := newShop(t)
	desk.ok("sku", "add", "PDF", "--name", "Guide", "--path", "digital")
	url, mint := startRelay(t)
	token := mint(desk.object("shop")["shop_id"].(string))
	invite := desk.object("invite", "--relay", url, "--token", token)["invite"].(string)
	stall := &testShop{t: t, db: filepath.Join(t.TempDir(), "stall.db")}
	r := stall.run("join", "--invite", invite)
	if r.code == 0 || !strings.Contains(r.stderr, "holds nothing of this shop yet") {
		t.Fatalf("join before the shop reached the relay: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(stall.db); err == nil {
		t.Fatal("the refused join left a shop behind")
	}
	desk.ok("sync", "--relay", url, "--token", token)
	stall.ok("join", "--invite", invite)
	if got := stall.object("shop")["name"]; got != desk.object("shop")["name"] {
		t.Errorf("the joined shop is named %v, want %v", got, desk.object("shop")["name"])
	}
}

// A device joined is named in `status` at once, as a restored one is: it
// showed by its bare id until it first recorded something.
func TestAJoinedDeviceIsNamedAtOnce(t *testing.T) {
	desk := newShop(t)
	url, mint := startRelay(t)
	token := mint(desk.object("shop")["shop_id"].(string))
	desk.ok("sync", "--relay", url, "--token", token)
	stall := &testShop{t: t, db: filepath.Join(t.TempDir(), "stall.db")}
	stall.ok("join", "--invite", desk.object("invite")["invite"].(string), "--device", "stall laptop")
	if out := stall.ok("status"); !strings.Contains(out, "stall laptop") {
		t.Errorf("status right after the join:\n%s\nwant the device named stall laptop", out)
	}
}

// A sync and a join say how far they are on a terminal: a long first
// sync printed nothing for minutes. A file or a pipe gets the result
// alone.
func TestSyncAndJoinShowTheirProgressOnATerminal(t *testing.T) {
	url, mint := startRelay(t)
	desk := newShop(t)
	desk.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	for _, code := range []string{"ZINE", "CARD", "POSTER"} {
		desk.ok("sku", "add", code, "--name", code, "--path", "print", "--factory", "Riso")
	}
	token := mint(desk.object("shop")["shop_id"].(string))
	onTerminal := func(args ...string) (stdout, terminal string) {
		var out, errOut, tty bytes.Buffer
		c := &cli{stdout: safeWriter{&out}, stderr: safeWriter{&errOut}, loc: time.UTC, tty: &tty}
		if err := c.dispatch(context.Background(), args); err != nil {
			t.Fatalf("microshopctl %s: %v", strings.Join(args, " "), err)
		}
		return out.String(), tty.String()
	}
	out, tty := onTerminal("--db", desk.db, "sync", "--relay", url, "--token", token)
	if !strings.Contains(tty, "Syncing") || !strings.Contains(tty, "/6)") {
		t.Errorf("sync showed %q on the terminal, want Syncing and a count of 6 changes", tty)
	}
	if strings.Contains(out, "Syncing") {
		t.Errorf("the bar went to stdout: %q", out)
	}
	invite := desk.object("invite", "--relay", url, "--token", token)["invite"].(string)
	_, tty = onTerminal("--db", filepath.Join(t.TempDir(), "stall.db"), "join", "--invite", invite, "--device", "stall")
	if !strings.Contains(tty, "Joining") || !strings.Contains(tty, "/6)") {
		t.Errorf("join showed %q on the terminal, want Joining and a count of 6 changes", tty)
	}
	if r := desk.run("sync"); strings.Contains(r.stderr+r.stdout, "Syncing") {
		t.Errorf("a sync without a terminal showed its bar: %q", r.stderr)
	}
}

// The sync bar counts from the most changes there were to move: those
// sent count once the relay holds them, not while on their way, and the
// bar ends full.
func TestTheSyncBarCountsWhatTheRelayHolds(t *testing.T) {
	var tty bytes.Buffer
	p := (&cli{tty: &tty}).progress("Syncing")
	for _, st := range []client.Status{{Pending: 1000}, {Pending: 1000, Sent: 500}, {Pending: 500, Sent: 1000}, {Pending: 0, Sent: 1000}} {
		p.syncStatus(st)
	}
	if got := p.bar.State(); got.CurrentNum != 1000 || got.Max != 1000 {
		t.Errorf("the bar ends at %d of %d, want 1000 of 1000", got.CurrentNum, got.Max)
	}
}

// A shop that syncs with no relay prints an invite naming none, and says
// it joins with a bundle. On the stall laptop that invite alone is refused
// in one sentence and makes nothing; with a bundle it makes the laptop a
// device of the shop, which asks for a relay before syncing as any shop
// with none does, and holds the desk's stock after its next bundle.
func TestAnInviteByFileJoinsWithABundle(t *testing.T) {
	desk := newShop(t)
	desk.ok("factory", "add", "Riso", "--kind", "print", "--lead-days", "3", "--established")
	desk.ok("sku", "add", "ZINE", "--name", "Zine", "--path", "print", "--factory", "Riso")
	desk.ok("count", "ZINE", "--qty", "50", "--at", "2026-01-01")
	r := desk.run("invite")
	invite := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(invite, "microshop1:") || strings.Contains(invite, "\n") {
		t.Fatalf("invite: exit %d, stdout %q, stderr %q; want the invite alone on stdout", r.code, r.stdout, r.stderr)
	}
	if want := "warning: this shop syncs with no relay, so the invite names none: export a bundle here (`microshopctl bundle export --out FILE`) and join on the other device with `microshopctl join --invite INVITE --bundle FILE`\n"; !strings.HasSuffix(r.stderr, want) {
		t.Errorf("invite's stderr %q, want it to end with %q", r.stderr, want)
	}
	if in, err := app.ParseInvite(invite); err != nil || !in.ByFile() {
		t.Fatalf("the invite printed: %+v, %v; want one by file", in, err)
	}

	stall := &testShop{t: t, db: filepath.Join(t.TempDir(), "stall", "shop.db")}
	os.Mkdir(filepath.Dir(stall.db), 0o700)
	checkRefusal(t, stall.run("join", "--invite", invite), 1, "this invite names no relay: join with --bundle FILE from a bundle exported on the inviting device")
	if entries, _ := os.ReadDir(filepath.Dir(stall.db)); len(entries) != 0 {
		t.Fatalf("a refused join left %d files behind", len(entries))
	}

	file := filepath.Join(t.TempDir(), "desk.msb")
	desk.ok("bundle", "export", "--out", file)
	if out := stall.ok("join", "--invite", invite, "--bundle", file, "--device", "stall"); !strings.HasPrefix(out, `Made shop "Clay & Ink" (EUR) from `+file) {
		t.Errorf("join by file says %q", out)
	}
	checkRefusal(t, stall.run("sync"), 2, "microshopctl sync needs --relay URL and --token TOKEN the first time")

	desk.ok("sell", "ZINE", "--qty", "3", "--at", "2026-01-02")
	desk.ok("bundle", "export", "--out", file, "--overwrite")
	stall.ok("bundle", "import", file)
	if got, want := stall.ok("stock", "ZINE", "--json"), desk.ok("stock", "ZINE", "--json"); got != want || !strings.Contains(want, `"on_hand": 47`) {
		t.Errorf("the stall's stock %s, the desk's %s; want the same, 47 on hand", got, want)
	}
}
