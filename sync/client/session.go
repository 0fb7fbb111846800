package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/gorilla/websocket"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/wire"
)

// The connection's timing is wire's (WriteWait, PongWait, PingPeriod,
// HandshakeWait); these are the client's own.
const (
	closeWait      = time.Second            // for the peer to answer our close frame
	pollPeriod     = 500 * time.Millisecond // for writes made by other processes
	maxInFlight    = 4                      // batches sent and not yet acknowledged
	maxCoalesce    = 8                      // received batches applied in one transaction
	changesPerPage = wire.MaxBatchChanges
)

// Config says what to sync with what.
type Config struct {
	Relay   string // ws://HOST:PORT or wss://HOST:PORT, /sync optional
	Token   string
	Replica changes.Replica
	// OnStatus hears every status change; it is called from the client's
	// goroutine and must not block.
	OnStatus func(Status)
	Logger   *slog.Logger
	// TLS configures wss connections, e.g. to trust a LAN peer's own
	// certificate; nil uses the system's roots.
	TLS *tls.Config
	// RetryNow, for Watch, cuts a wait between attempts short: a maker
	// who knows the relay is back tries at once, and the waits start
	// short again.
	RetryNow <-chan struct{}
}

// Acknowledger is a replica that records which of its own changes a peer
// has acknowledged, so it can say how many are unsynced.
type Acknowledger interface {
	MarkAcknowledged(ctx context.Context, peer changes.Vector) error
}

// Notifier is a replica that signals its own commits, so live changes go
// out at once instead of at the next poll.
type Notifier interface {
	Subscribe() (<-chan struct{}, func())
}

// Result is what a sync moved.
type Result struct {
	Sent     int            // changes pushed to the relay
	Received int            // changes from the relay this replica did not hold
	Vector   changes.Vector // the replica's vector at the end
	// Renewed: this replica was found restored from a backup and took a
	// new device id (its changes were re-issued under it, none lost).
	Renewed bool
	// Stranded counts the changes this replica holds and the relay lacks
	// that it cannot pass on: another device's, held without the points
	// that device signed them with (an older Microshop signed none). They
	// reach the relay when a device that can sign them syncs.
	Stranded int64
}

// session is one connection's exchange. Its run loop owns every field but
// the connection, which the writer goroutine owns for writing and the reader
// goroutine for reading.
type session struct {
	cfg      Config
	conn     *websocket.Conn
	out      chan wire.Message
	in       chan inbound
	readErr  chan error
	relay    changes.Vector // what the relay holds, as last told
	sent     changes.Vector // what the relay holds or has been sent
	local    changes.Vector
	inFlight int
	// stranded: the last push found nothing more to send, though the
	// relay lacks changes held here (see Result.Stranded).
	stranded bool
	res      Result
	start    changes.Vector
	status   Status
	refused  error           // the first refusal of changes from the relay, if any
	blocked  map[string]bool // origins with a refused change, this session
	// closeSent is set by the writer once its close frame went out, read
	// after the writer ends.
	closeSent bool
	// said is the error the relay gave for ending the session, set by the
	// reader, read after the reader ends. The relay says why, then closes:
	// the loop may see the close, or the writer failing on it, first.
	said error
	// writerDone is closed when the writer has ended: nothing reads out
	// any more, so send must not wait on it.
	writerDone chan struct{}
}

func (c Config) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}

func (c Config) report(s Status) {
	if c.OnStatus != nil {
		c.OnStatus(s)
	}
}

// dial opens the WebSocket and completes the handshake. shop is "" when
// joining: the relay answers with the token's shop.
func dial(ctx context.Context, cfg Config, shop, device string, v changes.Vector) (*websocket.Conn, wire.Welcome, error) {
	endpoint, err := syncURL(cfg.Relay)
	if err != nil {
		return nil, wire.Welcome{}, err
	}
	d := websocket.Dialer{HandshakeTimeout: wire.HandshakeWait, TLSClientConfig: cfg.TLS, Proxy: http.ProxyFromEnvironment}
	conn, resp, err := d.DialContext(ctx, endpoint, nil)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, wire.Welcome{}, unreachable(cfg.Relay, resp, err)
	}
	conn.SetReadLimit(wire.MaxFrameBytes)
	conn.SetWriteDeadline(time.Now().Add(wire.WriteWait))
	hello := wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.SchemaOf(cfg.Replica), Shop: shop, Device: device, Token: cfg.Token, Vector: v, WriteKey: changes.WriteKeyOf(cfg.Replica)}
	if err := wire.Write(conn, hello); err != nil {
		conn.Close()
		return nil, wire.Welcome{}, unreachable(cfg.Relay, nil, err)
	}
	conn.SetReadDeadline(time.Now().Add(wire.HandshakeWait))
	m, err := wire.Read(conn)
	if err != nil {
		conn.Close()
		return nil, wire.Welcome{}, peerError(cfg.Relay, err)
	}
	switch m := m.(type) {
	case wire.Welcome:
		if shop != "" && m.Shop != shop {
			conn.Close()
			return nil, wire.Welcome{}, wire.Errorf(wire.CodeWrongShop, "The relay answered for shop %s, but this device holds shop %s.", m.Shop, shop)
		}
		if m.Schema > changes.SchemaVersion {
			conn.Close()
			return nil, wire.Welcome{}, wire.Errorf(wire.CodeVersionUnsupported, "Another device of this shop runs a newer Microshop (schema %d); update Microshop on this device to sync.", m.Schema)
		}
		return conn, m, nil
	case wire.Error:
		conn.Close()
		err := m.Err()
		if m.Code == wire.CodeVersionUnsupported && changes.SchemaOf(cfg.Replica) == changes.PlainSchema {
			// This build speaks every schema there is: a device holding no
			// key is turned away because the shop was sealed elsewhere.
			err = &domain.Error{Code: m.Code, Message: m.Message, Remedy: domain.RemedyInvite}
		}
		return nil, wire.Welcome{}, err
	}
	conn.Close()
	return nil, wire.Welcome{}, wire.Errorf(wire.CodeBadMessage, "The relay at %s answered the hello with %q instead of a welcome.", cfg.Relay, m.MessageType())
}

// peerError keeps a typed error from the relay and explains a dropped line.
func peerError(relay string, err error) error {
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || websocket.IsUnexpectedCloseError(err) || errors.Is(err, context.Canceled) {
		return &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("The connection to the relay at %s dropped; try again in a moment.", relay), Err: err}
	}
	return &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("The connection to the relay at %s failed; try again in a moment.", relay), Err: err}
}

// closeNormally ends a session that exchanged nothing after the welcome:
// a close frame, a moment for the relay's answering one, as the protocol
// asks, then the connection.
func closeNormally(conn *websocket.Conn) {
	conn.SetWriteDeadline(time.Now().Add(closeWait))
	conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	conn.SetReadDeadline(time.Now().Add(closeWait))
	for {
		if _, _, err := conn.NextReader(); err != nil {
			break
		}
	}
	conn.Close()
}

// Sync connects once, exchanges changes until the replica and the relay hold
// the same, and disconnects.
func Sync(ctx context.Context, cfg Config) (Result, error) {
	return run(ctx, cfg, false)
}

// run is one connection. Live sessions stay until ctx ends or the
// connection fails; the others end once both sides hold the same changes.
func run(ctx context.Context, cfg Config, live bool) (Result, error) {
	r := cfg.Replica
	local, err := r.Vector(ctx)
	if err != nil {
		return Result{}, err
	}
	cfg.report(Status{State: StateConnecting})
	conn, welcome, err := dial(ctx, cfg, r.ShopID(), r.DeviceID(), local)
	if err != nil {
		return Result{Vector: local}, err
	}
	renewed := false
	if rs, ok := r.(changes.Restorable); ok {
		if renewed, err = rs.Reconcile(ctx, welcome.Vector, welcome.Head); err != nil {
			closeNormally(conn)
			return Result{Vector: local}, err
		}
	}
	if renewed {
		// Restored from a backup: the hello spoke for the old id, so the
		// exchange starts again under the new one.
		closeNormally(conn)
		cfg.logger().Warn("this device was restored from a backup; it now syncs as a new device", "device", r.DeviceID())
		if local, err = r.Vector(ctx); err != nil {
			return Result{}, err
		}
		if conn, welcome, err = dial(ctx, cfg, r.ShopID(), r.DeviceID(), local); err != nil {
			return Result{Vector: local, Renewed: true}, err
		}
	}
	s := &session{
		cfg: cfg, conn: conn,
		out:     make(chan wire.Message, maxInFlight+2),
		in:      make(chan inbound, maxCoalesce),
		readErr: make(chan error, 1),
		relay:   welcome.Vector.Clone(),
		sent:    welcome.Vector.Clone(),
		local:   local,
		start:   local.Clone(),
	}
	ctx, cancel := context.WithCancel(ctx)
	readerDone, writerDone := make(chan struct{}), make(chan struct{})
	s.writerDone = writerDone
	go func() { defer close(readerDone); s.read(ctx) }()
	writeDone := make(chan error, 1)
	go func() { defer close(writerDone); writeDone <- s.write(ctx) }()
	err = s.loop(ctx, live, writeDone)
	cancel()
	// The writer ends with a close frame; the reader ends when the peer
	// answers it. Waiting a moment for that answer closes the connection as
	// the protocol asks, so the relay sees a normal close, not a dropped line.
	<-writerDone
	if s.closeSent {
		select {
		case <-readerDone:
		case <-time.After(closeWait):
		}
	}
	conn.Close()
	<-readerDone
	if err != nil && s.said != nil {
		err = s.said // why the relay ended it, not how the line closed
	}
	s.res.Vector = s.local
	s.res.Renewed = renewed
	for o, seq := range s.local {
		s.res.Stranded += max(seq-s.relay[o], 0)
	}
	if err == nil {
		err = s.refused // everything else was exchanged
	}
	return s.res, err
}

// inbound is a message read, and the batch it carries as the replica
// prepared it, if the replica prepares batches (changes.Preparer).
type inbound struct {
	m    wire.Message
	prep changes.Prepared
}

// read hands every message to the loop; it owns reading the connection.
// It also prepares the batches it reads (opening, reading and checking
// their changes), so the next batch is ready while the loop commits one.
func (s *session) read(ctx context.Context) {
	s.conn.SetReadDeadline(time.Now().Add(wire.PongWait))
	s.conn.SetPongHandler(func(string) error { return s.conn.SetReadDeadline(time.Now().Add(wire.PongWait)) })
	preparer, _ := s.cfg.Replica.(changes.Preparer)
	for {
		m, err := wire.Read(s.conn)
		if err != nil {
			s.readErr <- err
			return
		}
		s.conn.SetReadDeadline(time.Now().Add(wire.PongWait))
		if e, ok := m.(wire.Error); ok && s.said == nil {
			s.said = e.Err()
		}
		in := inbound{m: m}
		if b, ok := m.(wire.Batch); ok && preparer != nil && b.Shop == s.cfg.Replica.ShopID() {
			in.prep = preparer.Prepare(ctx, b.Changes)
		}
		select {
		case s.in <- in:
		case <-ctx.Done():
			// The session is over: read on, dropping what comes, until
			// the peer's close frame answers ours or the line is cut.
		}
	}
}

// write sends what the loop queues, and pings; it owns writing.
func (s *session) write(ctx context.Context) error {
	ping := time.NewTicker(wire.PingPeriod)
	defer ping.Stop()
	for {
		select {
		case m := <-s.out:
			s.conn.SetWriteDeadline(time.Now().Add(wire.WriteWait))
			if err := wire.Write(s.conn, m); err != nil {
				return err
			}
		case <-ping.C:
			s.conn.SetWriteDeadline(time.Now().Add(wire.WriteWait))
			if err := s.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return err
			}
		case <-ctx.Done():
			s.conn.SetWriteDeadline(time.Now().Add(closeWait))
			err := s.conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
			s.closeSent = err == nil
			return nil
		}
	}
}

// loop is the exchange: apply what comes in, push what the relay lacks,
// and (unless live) stop once both hold the same.
func (s *session) loop(ctx context.Context, live bool, writeDone <-chan error) error {
	var notify <-chan struct{}
	if n, ok := s.cfg.Replica.(Notifier); ok {
		ch, stop := n.Subscribe()
		defer stop()
		notify = ch
	}
	poll := time.NewTicker(pollPeriod)
	defer poll.Stop()
	if err := s.push(ctx); err != nil {
		return err
	}
	for {
		if s.settled() {
			s.setStatus(StateUpToDate, time.Now())
			if !live {
				return nil
			}
		} else {
			s.setStatus(StateSyncing, time.Time{})
		}
		select {
		case <-ctx.Done():
			if live {
				return nil
			}
			return ctx.Err()
		case err := <-s.readErr:
			return peerError(s.cfg.Relay, err)
		case err := <-writeDone:
			if err == nil {
				return ctx.Err()
			}
			return peerError(s.cfg.Relay, err)
		case in := <-s.in:
			m := in.m
			if _, ok := m.(wire.Batch); ok {
				next, err := s.applyBatches(ctx, in)
				if err != nil {
					return err
				}
				if next == nil {
					continue
				}
				m = next
			}
			if err := s.handle(ctx, m); err != nil {
				return err
			}
		case <-notify:
			if err := s.refresh(ctx); err != nil {
				return err
			}
		case <-poll.C:
			if err := s.refresh(ctx); err != nil {
				return err
			}
		}
	}
}

// settled reports whether both sides hold the same changes as far as this
// side knows: nothing in flight, the relay has all of ours (or all this
// side can send: a one-shot sync waited for ever on changes it could not
// sign), we have all of the relay's.
func (s *session) settled() bool {
	return s.inFlight == 0 && (s.relay.Covers(s.local) || s.stranded && s.relay.Covers(s.sent)) && s.local.Covers(s.relay)
}

func (s *session) setStatus(state State, synced time.Time) {
	pending := int64(0)
	for o, seq := range s.relay {
		pending += max(seq-s.local[o], 0)
	}
	for o, seq := range s.local {
		pending += max(seq-s.relay[o], 0)
	}
	// A refusal stays in the status for the session: the exchange goes on,
	// and the person sees that some changes were refused, and why.
	next := Status{State: state, Pending: pending, LastSync: s.status.LastSync, Err: s.refused, Received: s.res.Received, Sent: s.res.Sent}
	if !synced.IsZero() {
		next.LastSync = synced
	}
	if next.State != s.status.State || next.Pending != s.status.Pending || next.Err != s.status.Err ||
		next.Received != s.status.Received || next.Sent != s.status.Sent {
		s.status = next
		s.cfg.report(next)
	} else {
		s.status = next
	}
}

// applyBatches applies a received batch together with any others already
// waiting, in one transaction: a replica catching up commits a few times
// instead of once per batch. Each batch is still acknowledged. It returns
// a non-batch message it read past, for the caller to handle.
func (s *session) applyBatches(ctx context.Context, first inbound) (wire.Message, error) {
	batches := []inbound{first}
	var next wire.Message
	for next == nil && len(batches) < maxCoalesce && len(s.in) > 0 {
		in := <-s.in
		if _, ok := in.m.(wire.Batch); ok {
			batches = append(batches, in)
		} else {
			next = in.m
		}
	}
	n := 0
	for _, in := range batches {
		n += len(in.m.(wire.Batch).Changes)
	}
	all := make([]changes.Change, 0, n)
	prepared := make([]changes.Prepared, 0, len(batches))
	for _, in := range batches {
		b := in.m.(wire.Batch)
		if b.Shop != s.cfg.Replica.ShopID() {
			return nil, wire.Errorf(wire.CodeWrongShop, "The relay sent changes of shop %s to a device of shop %s.", b.Shop, s.cfg.Replica.ShopID())
		}
		all = append(all, b.Changes...)
		prepared = append(prepared, in.prep)
	}
	before := s.local.Total()
	v, err := s.apply(ctx, all, prepared)
	if err != nil && v == nil {
		return nil, err
	}
	s.local = v
	s.res.Received += int(v.Total() - before)
	if err != nil {
		s.refuse(v, all, err)
	}
	s.received(all)
	for range batches {
		if err := s.send(ctx, wire.Ack{Vector: v}); err != nil {
			return nil, err
		}
	}
	return next, nil
}

// apply applies all, the changes of the batches received, as the reader
// prepared them (prepared, one for each batch, nil where it did not).
func (s *session) apply(ctx context.Context, all []changes.Change, prepared []changes.Prepared) (changes.Vector, error) {
	p, ok := s.cfg.Replica.(changes.Preparer)
	if ok && !slices.Contains(prepared, nil) {
		return p.ApplyPrepared(ctx, prepared)
	}
	return s.cfg.Replica.Apply(ctx, all)
}

// received notes that the relay holds what it sent.
func (s *session) received(batch []changes.Change) {
	for _, c := range batch {
		if c.Seq > s.sent[c.Origin] {
			s.sent[c.Origin] = c.Seq
		}
		if c.Seq > s.relay[c.Origin] && !s.blocked[c.Origin] {
			s.relay[c.Origin] = c.Seq
		}
	}
}

// refuse notes changes the replica refused (a sealed body that does not
// open): the rest of the batch was applied, and the exchange goes on. The
// relay is taken to hold of those origins no more than the replica does,
// this session, so it can settle; they are asked for again next session.
func (s *session) refuse(v changes.Vector, batch []changes.Change, err error) {
	if s.refused == nil {
		s.refused = err
	}
	if s.blocked == nil {
		s.blocked = map[string]bool{}
	}
	for _, c := range batch {
		if c.Seq > v[c.Origin] {
			s.blocked[c.Origin] = true
			s.relay[c.Origin] = v[c.Origin]
		}
	}
	s.cfg.logger().Warn("changes from the relay were refused", "err", err)
}

func (s *session) handle(ctx context.Context, m wire.Message) error {
	switch m := m.(type) {
	case wire.Ack:
		s.inFlight--
		for o, seq := range m.Vector {
			if seq > s.relay[o] && !s.blocked[o] {
				s.relay[o] = seq
			}
		}
		if a, ok := s.cfg.Replica.(Acknowledger); ok {
			if err := a.MarkAcknowledged(ctx, s.relay); err != nil {
				return err
			}
		}
		return s.push(ctx)
	case wire.Error:
		return m.Err()
	}
	return wire.Errorf(wire.CodeBadMessage, "The relay sent an unexpected %q message.", m.MessageType())
}

// refresh notices local commits and pushes them.
func (s *session) refresh(ctx context.Context) error {
	v, err := s.cfg.Replica.Vector(ctx)
	if err != nil {
		return err
	}
	s.local = v
	return s.push(ctx)
}

// push sends batches of what the relay lacks, keeping a few in flight.
func (s *session) push(ctx context.Context) error {
	for s.inFlight < maxInFlight {
		list, err := s.cfg.Replica.ChangesAfter(ctx, s.sent, changesPerPage)
		if err != nil {
			return err
		}
		batch := wire.FitBatch(list)
		if len(batch) == 0 {
			s.stranded = !s.sent.Covers(s.local)
			return nil
		}
		s.stranded = false
		b := wire.Batch{Shop: s.cfg.Replica.ShopID(), Changes: batch, Sig: changes.SignatureOf(s.cfg.Replica, batch)}
		if err := s.send(ctx, b); err != nil {
			return err
		}
		// A run another device signed goes whole, though the relay may
		// lack only its end: Sent counts what it lacked, not the repeats.
		for _, c := range batch {
			if c.Seq > s.sent[c.Origin] {
				s.res.Sent++
				s.sent[c.Origin] = c.Seq
			}
		}
		s.inFlight++
	}
	return nil
}

// A writer that ended (its connection dropped) reads no more: send then
// returns at once, and the session ends and is retried, instead of waiting
// for ever with a batch in hand.
func (s *session) send(ctx context.Context, m wire.Message) error {
	select {
	case s.out <- m:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.writerDone:
		return errWriterGone
	}
}

var errWriterGone = domain.Errorf(domain.EUnavailable, "The connection to the relay was lost; sync again in a moment.")
