package relay

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// The connection's timing is wire's (WriteWait, PongWait, PingPeriod,
// HandshakeWait); these are the relay's own.
const (
	// closeGrace is how long a closing session waits for the device to
	// answer its close frame before cutting the connection.
	closeGrace = 2 * time.Second
	// sendWindow is how many batches the relay sends ahead of the device's
	// acks, so a slow device is paced by its own commits. It is enough to
	// keep a catching-up device busy: while it applies what it holds (it
	// applies up to 8 waiting batches at once), the next ones are read,
	// encoded and on their way. With 4, a new replica's first sync waited
	// on the relay a fifth of the time.
	sendWindow = 16
)

// session is one device's connection. The handler goroutine that runs it
// is the reader; it starts the writer and waits for it. Only the writer
// writes to the connection after the handshake.
type session struct {
	relay *Relay
	log   *slog.Logger
	conn  atomic.Pointer[websocket.Conn] // for cut, from Shutdown

	// Set by the handshake, read-only after it.
	shop, device, token string
	writeKey            ed25519.PublicKey // a sealed shop's: batches must be signed with it

	out        chan wire.Message // acks, reader to writer
	fatal      chan error        // the reader's reason to end the session
	kick       chan error        // another's reason to end it: a revoked token
	wakec      chan struct{}     // there may be changes to send
	readerDone chan struct{}
	writerDone chan struct{}

	mu       sync.Mutex
	peer     changes.Vector // what the device holds or has been sent
	joining  bool           // the device said it holds nothing: see acked
	told     changes.Vector // what the device was told the store holds
	stored   changes.Vector // what the store is known to hold: told, and the batches sent
	inflight int            // batches sent and not yet acknowledged
}

// errShuttingDown is what a device is told when the relay stops.
var errShuttingDown = wire.Errorf(wire.CodeUnavailable, "The relay is shutting down; sync again in a moment.")

// orShutdown reports a failure caused by the relay's shutdown (a cancelled
// store or token query) as the shutdown, not as an internal error.
func orShutdown(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return errShuttingDown
	}
	return err
}

// connError is a failure of the connection itself: the device left or
// stopped answering, so nothing more is said to it.
type connError struct{ err error }

func (e connError) Error() string { return e.err.Error() }
func (e connError) Unwrap() error { return e.err }

// classify keeps typed protocol errors and marks everything a connection
// read or write returned, including the device's own close, as a connError.
func classify(err error) error {
	var de *domain.Error
	if errors.As(err, new(*websocket.CloseError)) || !errors.As(err, &de) {
		return connError{err}
	}
	return err
}

func (s *session) wake() {
	select {
	case s.wakec <- struct{}{}:
	default:
	}
}

// cut drops the connection at once; Shutdown uses it when time is up.
func (s *session) cut() {
	if ws := s.conn.Load(); ws != nil {
		ws.Close()
	}
}

func (s *session) run(ctx context.Context, ws *websocket.Conn) {
	s.conn.Store(ws)
	defer ws.Close()
	s.out = make(chan wire.Message, 4)
	s.fatal = make(chan error, 1)
	s.kick = make(chan error, 1)
	s.wakec = make(chan struct{}, 1)
	s.readerDone = make(chan struct{})
	s.writerDone = make(chan struct{})

	ws.SetReadLimit(wire.MaxFrameBytes)
	ws.SetReadDeadline(time.Now().Add(s.relay.handshake))
	// Taken before the token is checked: if a revocation is noticed
	// between that check and join, the relay's recheck may miss this
	// session, so it checks itself below.
	revocations := s.relay.revocations.Load()
	err := errShuttingDown
	if ctx.Err() == nil {
		err = orShutdown(ctx, s.handshake(ctx, ws))
	}
	if err != nil {
		if _, gone := err.(connError); gone {
			s.log.Info("connection ended before the handshake", logErr, err)
			return
		}
		s.log.Warn("session refused", logErr, err)
		s.say(ws, err)
		drain(ws)
		return
	}
	s.log.Info("device connected")
	s.relay.join(s.shop, s)
	defer s.relay.leave(s.shop, s)
	if s.relay.revocations.Load() != revocations {
		if _, err := s.relay.tokens.Authenticate(ctx, s.token, s.shop); err != nil {
			s.end(orShutdown(ctx, err))
		}
	}

	s.extendRead(ws)
	ws.SetPongHandler(func(string) error { s.extendRead(ws); return nil })
	s.wake()
	var writeErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		writeErr = s.writeLoop(ctx, ws)
	}()
	readErr := s.readLoop(ctx, ws)
	if _, gone := readErr.(connError); !gone {
		s.fatal <- readErr
		drain(ws)
	}
	close(s.readerDone)
	wg.Wait()
	s.logEnd(readErr, writeErr)
}

// logEnd logs why the session ended: what it told the device, if
// anything, else how the connection went.
func (s *session) logEnd(readErr, writeErr error) {
	for _, err := range []error{readErr, writeErr} {
		if _, gone := err.(connError); err != nil && !gone {
			s.log.Warn("session ended", logErr, err)
			return
		}
	}
	s.log.Info("device disconnected", logErr, cmp.Or(readErr, writeErr))
}

// extendRead gives the device another wire.PongWait to be heard from, unless
// the writer has stopped: then only closeGrace, and it reports closing.
// The writer closes writerDone before it shortens the deadline, so one of
// the two always sees the other.
func (s *session) extendRead(ws *websocket.Conn) (closing bool) {
	ws.SetReadDeadline(time.Now().Add(wire.PongWait))
	select {
	case <-s.writerDone:
		ws.SetReadDeadline(time.Now().Add(closeGrace))
		return true
	default:
		return false
	}
}

// handshake reads the hello and answers it with a welcome, or returns why
// not. No change moves before it succeeds.
func (s *session) handshake(ctx context.Context, ws *websocket.Conn) error {
	m, err := wire.Read(ws)
	if err != nil {
		return classify(err)
	}
	h, ok := m.(wire.Hello)
	if !ok {
		return wire.Errorf(wire.CodeBadMessage, "The first message must be hello, not %s.", m.MessageType())
	}
	s.logHello(h)
	if h.Protocol < wire.MinProtocolVersion || h.Protocol > wire.ProtocolVersion {
		return wire.Errorf(wire.CodeVersionUnsupported,
			"This relay speaks sync protocol %d to %d and the device speaks %d; update Microshop on the older side.",
			wire.MinProtocolVersion, wire.ProtocolVersion, h.Protocol)
	}
	shop, err := s.relay.tokens.Authenticate(ctx, h.Token, h.Shop)
	if err != nil {
		return err
	}
	// The key is bound before the schema is raised: a hello with a wrong
	// key must not turn the shop's other devices away.
	writeKey, err := s.bindWriteKey(ctx, shop, h)
	if err != nil {
		return err
	}
	schema, err := s.relay.store.RaiseSchema(ctx, shop, h.Schema)
	if err != nil {
		return err
	}
	if h.Schema < changes.SealedSchema && schema >= changes.SealedSchema {
		return errSealedShop
	}
	if h.Schema < schema {
		return wire.Errorf(wire.CodeVersionUnsupported,
			"This shop holds changes from a newer Microshop (data version %d, this device has %d); update Microshop on this device to sync.",
			schema, h.Schema)
	}
	v, err := s.relay.store.Vector(ctx, shop)
	if err != nil {
		return err
	}
	head, err := headOf(ctx, s.relay.store, shop, h.Device, v)
	if err != nil {
		return err
	}
	s.shop, s.device, s.token, s.writeKey = shop, h.Device, h.Token, writeKey
	if h.Shop == "" {
		s.log = s.log.With(logShop, shop)
	}
	s.peer = h.Vector.Clone()
	// A device joining holds nothing yet, and what it takes is kept only
	// once its join ends: cut short, it throws it away. So what it holds
	// counts from its next session's hello, not from its acknowledgements.
	s.joining = len(h.Vector) == 0
	s.relay.noteHeld(shop, h.Device, h.Vector, v)
	s.told = v.Clone()
	s.stored = v.Clone()
	ws.SetWriteDeadline(time.Now().Add(wire.WriteWait))
	if err := wire.Write(ws, wire.Welcome{Protocol: wire.ProtocolVersion, Schema: schema, Shop: shop, Vector: v, Head: head}); err != nil {
		return classify(err)
	}
	return nil
}

// logHello names, on the session's log lines from now on, the shop, device
// and token id the hello gave, so an operator finds a refused device's
// lines as a connected one's. The hello's values are checked by wire.
func (s *session) logHello(h wire.Hello) {
	var attrs []any
	if h.Shop != "" {
		attrs = append(attrs, logShop, h.Shop)
	}
	attrs = append(attrs, logDevice, h.Device)
	if id, ok := TokenID(h.Token); ok {
		attrs = append(attrs, logToken, id)
	}
	s.log = s.log.With(attrs...)
}

// errSealedShop turns away a device that cannot take part in a sealed
// shop: an older Microshop, or a device that synced before the shop was
// sealed and has not taken its key yet.
var errSealedShop = wire.Errorf(wire.CodeVersionUnsupported,
	"This shop is sealed: its changes are encrypted with a key only its devices hold. Update Microshop on this device if needed, and join with an invite from one of the shop's devices.")

// bindWriteKey checks the hello's write key against the shop's, binding
// it when the shop has none yet: the shop's first sealed device names it
// (DESIGN.md section 6). It returns the shop's key, nil for a shop not
// sealed.
func (s *session) bindWriteKey(ctx context.Context, shop string, h wire.Hello) (ed25519.PublicKey, error) {
	if h.Schema >= changes.SealedSchema && h.WriteKey == "" {
		return nil, wire.Errorf(wire.CodeBadMessage, "The hello announces sealed changes but names no write key to check them with.")
	}
	var offered []byte
	if h.WriteKey != "" {
		key, ok := seal.ParseWriteKey(h.WriteKey)
		if !ok {
			return nil, wire.Errorf(wire.CodeBadMessage, "The hello's write key %q is not a key.", h.WriteKey)
		}
		offered = key
	}
	bound, err := s.relay.store.BindWriteKey(ctx, shop, offered)
	if err != nil {
		return nil, err
	}
	if bound != nil && offered == nil {
		return nil, errSealedShop
	}
	if bound != nil && !bytes.Equal(bound, offered) {
		return nil, wire.Errorf(wire.CodeUnauthorized, "%s", wire.WrongShopKey)
	}
	if bound != nil && h.Protocol < wire.SignedProtocol {
		return nil, errSealedShop // it would send changes its device did not sign
	}
	return bound, nil
}

// readLoop handles the device's messages until the session ends, and
// returns why: a connError when the device left, otherwise the error to
// tell it.
func (s *session) readLoop(ctx context.Context, ws *websocket.Conn) error {
	for {
		m, err := wire.Read(ws)
		if err != nil {
			return classify(err)
		}
		if s.extendRead(ws) {
			return connError{errors.New("the session is closing")}
		}
		switch m := m.(type) {
		case wire.Batch:
			if err := s.receive(ctx, m); err != nil {
				return err
			}
		case wire.Ack:
			s.acked(m.Vector)
		case wire.Error:
			return connError{fmt.Errorf("the device ended the session: %s: %s", m.Code, m.Message)}
		default:
			return wire.Errorf(wire.CodeBadMessage, "A %s message is not expected once the session has begun.", m.MessageType())
		}
	}
}

// receive commits a batch from the device, acknowledges it, and wakes the
// shop's other sessions.
func (s *session) receive(ctx context.Context, b wire.Batch) error {
	if b.Shop != s.shop {
		return wire.Errorf(wire.CodeWrongShop, "The changes claim the shop %s, but this connection is for the shop %s.", b.Shop, s.shop)
	}
	if s.writeKey != nil && !seal.Verify(s.writeKey, s.shop, b.Changes, b.Sig) {
		return wire.Errorf(wire.CodeUnauthorized, "The changes are not signed with this shop's key; only the shop's own devices can write to it.")
	}
	if s.writeKey != nil {
		if err := checkSigned(ctx, s.relay.store, s.shop, s.writeKey, b.Changes); err != nil {
			return orShutdown(ctx, err)
		}
	}
	// Checked per batch so a revoked token stops writing at once.
	if _, err := s.relay.tokens.Authenticate(ctx, s.token, s.shop); err != nil {
		return orShutdown(ctx, err)
	}
	// The device holds what it pushes, committed or not: noting that first
	// keeps the writer from sending it back.
	s.mu.Lock()
	for _, c := range b.Changes {
		s.peer[c.Origin] = max(s.peer[c.Origin], c.Seq)
	}
	s.mu.Unlock()
	// A batch that has arrived is committed even if the relay is shutting
	// down: the commit is short, and the device resends what it saw no ack for.
	v, err := s.relay.store.Append(context.WithoutCancel(ctx), s.shop, b.Changes)
	if err != nil {
		return s.refusedForLoss(ctx, err)
	}
	s.tell(v)
	if len(b.Changes) > 0 {
		s.relay.notify(s.shop, s)
	}
	select {
	case s.out <- wire.Ack{Vector: v}:
		return nil
	case <-s.writerDone:
		return connError{errors.New("the session is closing")}
	}
}

func (s *session) acked(v changes.Vector) {
	if !s.joining {
		s.relay.noteHeld(s.shop, s.device, v, s.storedVector())
	}
	s.mu.Lock()
	for origin, seq := range v {
		s.peer[origin] = max(s.peer[origin], seq)
	}
	if s.inflight > 0 {
		s.inflight--
	}
	s.mu.Unlock()
	s.wake()
}

// writeLoop is the connection's only writer: acks, batches of what the
// device lacks, pings, and the final error. It returns why it stopped.
func (s *session) writeLoop(ctx context.Context, ws *websocket.Conn) (err error) {
	// Whatever ends the writer ends the session: give the reader a short
	// while to see the device's close, then the read fails. (Deferred calls
	// run last first: writerDone is closed before the deadline is set.)
	defer func() { ws.SetReadDeadline(time.Now().Add(closeGrace)) }()
	defer close(s.writerDone)
	ping := time.NewTicker(wire.PingPeriod)
	defer ping.Stop()
	for {
		select {
		case <-s.readerDone:
			return nil
		case err = <-s.fatal:
		case err = <-s.kick:
		case <-ctx.Done():
			err = errShuttingDown
		case m := <-s.out:
			err = s.write(ws, m)
		case <-s.wakec:
			// A revoked token's session sends nothing more, even when a
			// wake-up was already waiting beside the kick.
			select {
			case err = <-s.kick:
			default:
				err = s.pump(ctx, ws)
			}
		case <-ping.C:
			ws.SetWriteDeadline(time.Now().Add(wire.WriteWait))
			if err = ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				err = connError{err}
			} else if _, err = s.relay.tokens.Authenticate(ctx, s.token, s.shop); ctx.Err() != nil {
				err = nil // shutting down: the next round says so
			}
		}
		if err != nil {
			s.say(ws, err)
			return err
		}
	}
}

// pump sends the next batch of changes the device lacks, if the window
// allows, and wakes itself for the one after.
func (s *session) pump(ctx context.Context, ws *websocket.Conn) error {
	s.mu.Lock()
	if s.inflight >= sendWindow {
		s.mu.Unlock()
		return nil
	}
	from := s.peer.Clone()
	s.mu.Unlock()
	batch, err := SignedChangesAfter(ctx, s.relay.store, s.shop, from, wire.MaxBatchChanges, wire.MaxBatchBytes)
	if err != nil {
		if ctx.Err() != nil {
			return nil // shutting down: the next round says so
		}
		return err
	}
	// The device may have pushed some of these since from was taken.
	s.mu.Lock()
	batch = dropHeld(batch, s.peer)
	for _, c := range batch {
		s.peer[c.Origin] = max(s.peer[c.Origin], c.Seq)
		s.stored[c.Origin] = max(s.stored[c.Origin], c.Seq)
	}
	if len(batch) > 0 {
		s.inflight++
	}
	s.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := s.write(ws, wire.Batch{Shop: s.shop, Changes: batch}); err != nil {
		return err
	}
	s.wake()
	return nil
}

func (s *session) write(ws *websocket.Conn, m wire.Message) error {
	ws.SetWriteDeadline(time.Now().Add(wire.WriteWait))
	if err := wire.Write(ws, m); err != nil {
		return classify(err)
	}
	return nil
}

// say tells the device why the session ends, as an error message and the
// close frame after it, unless the connection itself failed. Failures are
// ignored: the connection is being closed either way.
func (s *session) say(ws *websocket.Conn, err error) {
	if _, gone := err.(connError); gone {
		return
	}
	msg := wire.ErrorFor(err)
	ws.SetWriteDeadline(time.Now().Add(wire.WriteWait))
	if wire.Write(ws, msg) == nil {
		ws.WriteMessage(websocket.CloseMessage, wire.CloseFrame(msg.Code))
	}
}

// drain reads and discards what the device still sends until it closes
// the connection or closeGrace passes: closing a socket with unread data
// makes TCP reset the connection, and the device could lose our error
// message in the reset.
func drain(ws *websocket.Conn) {
	c := ws.UnderlyingConn()
	c.SetReadDeadline(time.Now().Add(closeGrace))
	io.CopyN(io.Discard, c, 4*wire.MaxFrameBytes)
}

// headOf is the store's highest change of device in v, with its digest, so
// the device can tell whether it was restored from a backup; nil when the
// store holds none of its changes. The store is read past v less that one
// change; a change of another origin appended meanwhile may come first,
// and then the welcome goes without a head this time.
func headOf(ctx context.Context, store Store, shop, device string, v changes.Vector) (*changes.Head, error) {
	seq := v[device]
	if seq < 1 {
		return nil, nil
	}
	before := v.Clone()
	before[device] = seq - 1
	cs, err := store.ChangesAfter(ctx, shop, before, 1, wire.MaxFrameBytes)
	if err != nil || len(cs) == 0 || cs[0].Origin != device || cs[0].Seq != seq {
		return nil, err
	}
	return &changes.Head{Seq: seq, Digest: seal.Digest(cs[0])}, nil
}
