package relay

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"microshop/sync/changes"
	"microshop/sync/wire"
)

// Log keys, shared so the relay's lines can be searched by them.
const (
	logShop   = "shop"
	logDevice = "device"
	logToken  = "token" // a token's id, never its secret
	logRemote = "remote"
	logErr    = "err"
)

// Config is what a Relay is made of.
type Config struct {
	Store  Store
	Tokens Authenticator
	// Logger receives connection events and refusals; nil discards them.
	Logger *slog.Logger
	// HandshakeTimeout is how long a new connection has to send its hello;
	// 0 means 10 seconds.
	HandshakeTimeout time.Duration
	// RevocationCheck is how often the relay asks Tokens, when it
	// implements Revocations, whether a token was revoked; 0 means every
	// second.
	RevocationCheck time.Duration
	// LostCheck is how often the relay checks whether a shop's changes
	// were dropped from the store under its live sessions (watchLost); 0
	// means every 10 seconds.
	LostCheck time.Duration
}

// Relay serves /sync (the WebSocket protocol of package wire) and /healthz.
// It is safe for concurrent use; Shutdown ends it.
type Relay struct {
	store     Store
	tokens    Authenticator
	log       *slog.Logger
	handshake time.Duration
	upgrader  websocket.Upgrader
	mux       *http.ServeMux
	closers   []io.Closer // what Open opened, closed by Close

	ctx    context.Context // cancelled by Shutdown: every session ends
	cancel context.CancelFunc

	mu       sync.Mutex
	closing  bool
	sessions map[*session]struct{}            // every live connection
	shops    map[string]map[*session]struct{} // sessions past the handshake, by shop
	// elsewhere is, per shop and origin, the most of that origin's changes
	// a device other than the origin has said it holds, in its hello or
	// its acknowledgements since this relay started: see HeldElsewhere.
	// Only origins the relay holds count, so a hello's made-up ones do
	// not fill the relay's memory.
	elsewhere map[string]changes.Vector
	wg        sync.WaitGroup // one per session

	revocations atomic.Int64  // the Revocations number last seen
	watchDone   chan struct{} // closed when watchRevocations returns; nil without one
	peersDone   chan struct{} // closed when the Broadcaster's Watch returns; nil without one
	lostDone    chan struct{} // closed when watchLost returns
}

// New returns a relay over cfg's store and authenticator, which the caller
// keeps and closes after Shutdown.
func New(cfg Config) *Relay {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	handshake := cfg.HandshakeTimeout
	if handshake == 0 {
		handshake = wire.HandshakeWait
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Relay{
		store:     cfg.Store,
		tokens:    cfg.Tokens,
		log:       log,
		handshake: handshake,
		upgrader: websocket.Upgrader{
			HandshakeTimeout: handshake,
			// Idle connections then hold no write buffer, which is most of
			// a connection's memory when a hundred devices sit connected.
			WriteBufferPool: &sync.Pool{},
		},
		mux:       http.NewServeMux(),
		ctx:       ctx,
		cancel:    cancel,
		sessions:  map[*session]struct{}{},
		shops:     map[string]map[*session]struct{}{},
		elsewhere: map[string]changes.Vector{},
	}
	r.lostDone = make(chan struct{})
	go r.watchLost(cmp.Or(cfg.LostCheck, lostCheck))
	r.mux.HandleFunc("GET /sync", r.serveSync)
	r.mux.HandleFunc("GET /healthz", r.serveHealth)
	if b, ok := cfg.Store.(Broadcaster); ok {
		r.peersDone = make(chan struct{})
		go func() {
			defer close(r.peersDone)
			b.Watch(ctx, r.wakeShop)
		}()
	}
	if src, ok := cfg.Tokens.(Revocations); ok {
		every := cfg.RevocationCheck
		if every == 0 {
			every = revocationCheck
		}
		r.watchDone = make(chan struct{})
		go r.watchRevocations(src, every)
	}
	return r
}

// Open returns a relay keeping everything in dir: tokens.db for the tokens
// and shops/SHOP.db for each shop's changes. Close closes them.
func Open(ctx context.Context, dir string, log *slog.Logger) (*Relay, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the data directory: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	tokens, err := OpenTokenDB(ctx, TokenDBPath(dir))
	if err != nil {
		closeLock(lock)
		return nil, err
	}
	store, err := OpenSQLiteStore(ShopsPath(dir))
	if err != nil {
		tokens.Close()
		closeLock(lock)
		return nil, err
	}
	r := New(Config{Store: store, Tokens: tokens, Logger: log})
	r.closers = []io.Closer{store, tokens}
	if lock != nil {
		r.closers = append(r.closers, lock) // last: the data is closed first
	}
	return r, nil
}

// ErrDataInUse is Open's error when another relay serves the directory.
var ErrDataInUse = errors.New("another relay is serving this data directory")

func closeLock(lock *os.File) {
	if lock != nil {
		lock.Close()
	}
}

// OpenPG returns a relay keeping shops, changes and tokens in the
// PostgreSQL database at url, which other relay processes may share. Close
// closes it.
func OpenPG(ctx context.Context, url string, log *slog.Logger) (*Relay, error) {
	store, err := OpenPGStore(ctx, url)
	if err != nil {
		return nil, err
	}
	r := New(Config{Store: store, Tokens: store, Logger: log})
	r.closers = []io.Closer{store}
	return r, nil
}

// TokenDBPath is where Open keeps the tokens of a relay with data dir.
func TokenDBPath(dir string) string { return filepath.Join(dir, "tokens.db") }

// ShopsPath is the directory where Open keeps the shops' databases of a
// relay with data dir.
func ShopsPath(dir string) string { return filepath.Join(dir, "shops") }

// ServeHTTP implements http.Handler.
func (r *Relay) ServeHTTP(w http.ResponseWriter, req *http.Request) { r.mux.ServeHTTP(w, req) }

func (r *Relay) serveHealth(w http.ResponseWriter, _ *http.Request) {
	r.mu.Lock()
	closing := r.closing
	r.mu.Unlock()
	if closing {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, "ok\n")
}

func (r *Relay) serveSync(w http.ResponseWriter, req *http.Request) {
	s := &session{relay: r, log: r.log.With(logRemote, req.RemoteAddr)}
	if !r.track(s) {
		http.Error(w, "The relay is shutting down.", http.StatusServiceUnavailable)
		return
	}
	defer r.untrack(s)
	ws, err := r.upgrader.Upgrade(w, req, nil)
	if err != nil {
		return // Upgrade has answered with an HTTP error
	}
	// The HTTP server's read and write timeouts left deadlines on the
	// connection that would cut a session minutes long; from here the
	// session sets its own, before every read and write.
	ws.NetConn().SetDeadline(time.Time{})
	s.run(r.ctx, ws)
}

// track registers a session unless the relay is shutting down, so Shutdown
// knows whom to wait for.
func (r *Relay) track(s *session) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closing {
		return false
	}
	r.sessions[s] = struct{}{}
	r.wg.Add(1)
	return true
}

func (r *Relay) untrack(s *session) {
	r.mu.Lock()
	delete(r.sessions, s)
	r.mu.Unlock()
	r.wg.Done()
}

// Shutdown stops taking connections, tells every connected device that the
// relay is going away, and waits for the sessions to end. A batch being
// committed is committed; its ack may not reach the device, which then sends
// it again later and the relay skips it, so no acknowledged change is lost.
// When ctx ends first the remaining connections are cut, and Shutdown still
// waits for their goroutines before returning ctx's error.
func (r *Relay) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	r.closing = true
	r.mu.Unlock()
	r.cancel()
	if r.watchDone != nil {
		<-r.watchDone // it queries the tokens, which Close closes next
	}
	if r.peersDone != nil {
		<-r.peersDone
	}
	<-r.lostDone
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	r.mu.Lock()
	for s := range r.sessions {
		s.cut()
	}
	r.mu.Unlock()
	<-done
	return ctx.Err()
}

// Close shuts the relay down, allowing sessions a few seconds, and closes
// what Open opened.
func (r *Relay) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = nil // the sessions were cut; that is what closing means
	}
	for _, c := range r.closers {
		err = errors.Join(err, c.Close())
	}
	return err
}

// noteHeld records that device of shop holds v, for the origins the
// relay holds (stored).
func (r *Relay) noteHeld(shop, device string, v, stored changes.Vector) {
	r.mu.Lock()
	defer r.mu.Unlock()
	held := r.elsewhere[shop]
	for o, seq := range v {
		if _, ok := stored[o]; !ok || o == device || seq <= held[o] {
			continue
		}
		if held == nil {
			held = changes.Vector{}
			r.elsewhere[shop] = held
		}
		held[o] = seq
	}
}

// HeldElsewhere is how many of device's changes another device of shop
// has said it holds since this relay started. A relay the app hosts for
// its own shop tells by it which of the app's changes are safe on another
// computer: the relay's own copy is on the same disk.
func (r *Relay) HeldElsewhere(shop, device string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.elsewhere[shop][device]
}
