// Package controller is the desktop app's sync: a live connection to a
// relay that reconnects by itself, a relay hosted on the local network,
// and bundle files, with one status the window shows.
package controller

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/bundle"
	"microshop/sync/changes"
	"microshop/sync/client"
	"microshop/sync/lan"
	"microshop/sync/relay"
)

// Controller is the desktop app's sync: a live connection to a relay (or
// to a peer hosting one), the relay this computer can host for its local
// network, and bundle files. Its methods may be called from any goroutine.
type Controller struct {
	shop *app.Shop
	lan  lan.Network // where hosting is advertised and hosts are looked for

	mu     sync.Mutex
	status Status
	subs   map[int]func(Status)
	nextID int
	stop   context.CancelFunc // ends the live connection
	done   chan struct{}      // closed when it has ended
	retry  chan struct{}      // cuts the live connection's wait between attempts short
	host   *hosted
}

// hosted is a relay this computer serves on the local network.
type hosted struct {
	info        HostInfo
	relay       *relay.Relay
	server      *http.Server
	offers      *lan.Offers // the invite offered under a short code, served beside the relay
	unadvertise func()
	stopWatch   func() // ends watchElsewhere
}

// selfHosted is the shop as it syncs with the relay the app hosts: that
// relay's copy is on this computer, so its acknowledgements do not make
// the shop's changes synced (watchElsewhere counts those another device
// holds). Through it, "all changes synced" was said of changes that had
// never left the disk.
type selfHosted struct{ *app.Shop }

func (selfHosted) MarkAcknowledged(context.Context, changes.Vector) error { return nil }

// watchElsewhere marks this device's changes synced as another device
// connected to the hosted relay says it holds them, and keeps the status's
// count of connected devices, until stop.
func (c *Controller) watchElsewhere(r *relay.Relay) (stop func()) {
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(elsewherePoll)
		defer tick.Stop()
		var marked int64
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			c.showConnected(r)
			marked = c.markHeldElsewhere(r, marked)
		}
	}()
	return sync.OnceFunc(func() { close(done) })
}

// markHeldElsewhere marks this device's changes another device holds
// synced, when it holds more than marked; it returns what is marked now.
func (c *Controller) markHeldElsewhere(r *relay.Relay, marked int64) int64 {
	device := c.shop.DeviceID()
	n := r.HeldElsewhere(c.shop.ShopID(), device)
	if n <= marked {
		return marked
	}
	ctx := context.Background()
	if err := c.shop.MarkAcknowledged(ctx, changes.Vector{device: n}); err != nil {
		return marked
	}
	now := time.Now()
	c.shop.SetLastSync(ctx, now.UnixMilli())
	c.set(func(s *Status) { s.LastSync = now })
	return n
}

// showConnected puts in the status how many other devices the hosted
// relay serves, when that changed.
func (c *Controller) showConnected(r *relay.Relay) {
	n := r.DevicesConnected(c.shop.ShopID(), c.shop.DeviceID())
	if c.Status().Connected != n {
		c.set(func(s *Status) { s.Connected = n })
	}
}

// elsewherePoll is how often watchElsewhere looks.
const elsewherePoll = time.Second

// New is the sync of shop. A shop that synced before goes live again at
// once, with the relay and token it remembers.
func New(shop *app.Shop) *Controller { return NewOn(shop, lan.Network{}) }

// NewOn is New with hosting advertised, and hosts looked for, on network
// (tests give one in memory, so that nothing leaves the computer).
func NewOn(shop *app.Shop, network lan.Network) *Controller {
	c := &Controller{shop: shop, lan: network, subs: map[int]func(Status){}, status: Status{State: client.StateOffline}}
	ctx := context.Background()
	if peer, err := shop.SyncPeer(ctx); err == nil {
		c.status.Relay = peer.Relay
	}
	if ms, err := shop.LastSync(ctx); err == nil && ms > 0 {
		c.status.LastSync = time.UnixMilli(ms)
	}
	// A device that synced before goes live again on its own, unless the
	// maker disconnected it: it came back retrying, in red on every screen.
	if peer, err := shop.SyncPeer(ctx); err == nil && peer.Relay != "" && peer.Token != "" && !peer.Off {
		c.Connect(ctx, peer.Relay, peer.Token)
	}
	return c
}

func (c *Controller) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

func (c *Controller) Subscribe(fn func(Status)) func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.nextID
	c.nextID++
	c.subs[id] = fn
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.subs, id)
	}
}

// set changes the status and tells every subscriber.
func (c *Controller) set(change func(*Status)) {
	c.mu.Lock()
	change(&c.status)
	st := c.status
	fns := make([]func(Status), 0, len(c.subs))
	for _, fn := range c.subs {
		fns = append(fns, fn)
	}
	c.mu.Unlock()
	for _, fn := range fns {
		fn(st)
	}
}

// Connect starts a live connection that reconnects by itself until
// Disconnect; failures show in Status. The relay and token are remembered
// at once, so a relay out of reach is tried again when the app starts next;
// one that refuses them before ever accepting them (a mistyped token) puts
// back those remembered before.
func (c *Controller) Connect(ctx context.Context, relayURL, token string) error {
	c.disconnect() // first: a refusal of the connection before puts back its own
	before, err := c.shop.SyncPeer(ctx)
	if err != nil {
		return err
	}
	if err := c.shop.SetSyncPeer(ctx, app.SyncPeer{Relay: relayURL, Token: token}); err != nil {
		return err
	}
	return c.watch(relayURL, token, c.shop, func() { c.shop.SetSyncPeer(context.Background(), before) })
}

// connect starts the live connection without remembering the relay: the
// app's own hosted relay is not there when the app starts next time.
func (c *Controller) connect(relayURL, token string, replica changes.Replica) error {
	return c.watch(relayURL, token, replica, nil)
}

// watch starts the live connection; refused, when the relay never
// accepted it, runs if not nil.
func (c *Controller) watch(relayURL, token string, replica changes.Replica, refused func()) error {
	c.disconnect()
	live, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	retry := make(chan struct{}, 1)
	c.mu.Lock()
	c.stop, c.done, c.retry = stop, done, retry
	c.mu.Unlock()
	c.set(func(s *Status) { // c.mu is held
		*s = Status{State: client.StateConnecting, Relay: relayURL, Hosting: c.host != nil, LastSync: s.LastSync}
	})
	go func() {
		defer close(done)
		var accepted atomic.Bool
		onStatus := func(st client.Status) {
			if st.State == client.StateSyncing || st.State == client.StateUpToDate {
				accepted.Store(true)
			}
			c.onStatus(st)
		}
		err := client.Watch(live, client.Config{Relay: relayURL, Token: token, Replica: replica, OnStatus: onStatus, RetryNow: retry})
		if err != nil && refused != nil && !accepted.Load() {
			refused()
		}
		if err != nil {
			c.set(func(s *Status) { s.State, s.Err = client.StateError, domain.ErrorMessage(err) })
		}
	}()
	return nil
}

// onStatus maps the client's status to the screen's.
func (c *Controller) onStatus(st client.Status) {
	c.set(func(s *Status) {
		failed := ""
		if s.State == client.StateConnecting {
			failed = s.Err // the attempt before failed: say why until one connects
		}
		s.Pending, s.Err = int(st.Pending), ""
		switch st.State {
		case client.StateConnecting:
			s.Err = failed
			s.State = client.StateConnecting
		case client.StateSyncing:
			s.State = client.StateSyncing
		case client.StateUpToDate:
			s.State = client.StateUpToDate
			if c.host == nil { // up to date with the app's own relay is no sync
				s.LastSync = time.Now()
				c.shop.SetLastSync(context.Background(), s.LastSync.UnixMilli())
			}
		case client.StateError:
			s.State = client.StateError
		default:
			// Offline between retries: keep trying, say why.
			s.State = client.StateConnecting
		}
		if st.Err != nil {
			s.Err = domain.ErrorMessage(st.Err)
		}
	})
}

// RetryNow tries the relay again at once when the live connection is
// waiting to: the maker who sees the relay back need not wait out the
// wait (Try now on the Sync screen).
func (c *Controller) RetryNow() {
	c.mu.Lock()
	retry := c.retry
	c.mu.Unlock()
	if retry == nil {
		return
	}
	select {
	case retry <- struct{}{}:
	default: // asked already
	}
}

// Disconnect ends the live connection, if any, and waits for it; the app
// stays off the relay when it starts next, until Connect.
func (c *Controller) Disconnect() error {
	// Hosting goes too: the relay in the app went on serving a copy the
	// app no longer fed, and a device syncing with it was told it held
	// the same as this one.
	if err := c.stopHosting(); err != nil {
		return err
	}
	// A shop that can only be read never connected: nothing to remember.
	if peer, err := c.shop.SyncPeer(context.Background()); err == nil && peer.Relay != "" && !peer.Off && c.shop.ReadOnly() == nil {
		peer.Off = true
		if err := c.shop.SetSyncPeer(context.Background(), peer); err != nil {
			return err
		}
	}
	return c.disconnect()
}

// Close stops hosting and the live connection as the app quits,
// remembering nothing: the app starting next connects as it was.
func (c *Controller) Close() error {
	return errors.Join(c.stopHosting(), c.disconnect())
}

// disconnect ends the live connection, if any, and waits for it.
func (c *Controller) disconnect() error {
	c.mu.Lock()
	stop, done := c.stop, c.done
	c.stop, c.done, c.retry = nil, nil, nil
	c.mu.Unlock()
	if stop == nil {
		return nil
	}
	stop()
	<-done
	c.set(func(s *Status) { s.State, s.Pending, s.Err = client.StateOffline, 0, "" })
	return nil
}

// HostPort is the port hosting listens on: the one hosted on last, else
// DefaultHostPort.
func (c *Controller) HostPort() int {
	if p := lastHosting(c.relayDir()).Port; p >= minHostPort && p <= maxHostPort {
		return p
	}
	return DefaultHostPort
}

func (c *Controller) relayDir() string { return c.shop.Path() + ".relay" }

// Host runs a relay inside the app on the local network on HostPort (see
// HostOn).
func (c *Controller) Host(ctx context.Context) (HostInfo, error) {
	return c.HostOn(ctx, c.HostPort())
}

// HostOn runs a relay inside the app on the local network on port, with
// a token for this shop, and connects this computer to it, so another
// machine needs only the address and token shown, or finds it on the
// network, advertised on that port. The port is kept for hosting next
// time. A port outside 1024 to 65535, or one another program uses, is
// refused, and nothing is hosted.
func (c *Controller) HostOn(ctx context.Context, port int) (HostInfo, error) {
	if info, ok := c.Hosting(); ok {
		return info, nil
	}
	if port < minHostPort || port > maxHostPort {
		return HostInfo{}, domain.Errorf(domain.EInvalid, "%d is not a port to host on; give a whole number from %d to %d, like %d",
			port, minHostPort, maxHostPort, DefaultHostPort)
	}
	// A shop that can only be read takes no changes: hosting for others
	// would send them there.
	if err := c.shop.ReadOnly(); err != nil {
		return HostInfo{}, err
	}
	dir := c.relayDir()
	r, err := relay.Open(ctx, dir, nil)
	if err != nil {
		return HostInfo{}, &domain.Error{Code: domain.EUnavailable, Message: "Cannot start hosting: the relay data beside the shop could not be opened.", Err: err}
	}
	last := lastHosting(dir)
	token, err := c.hostToken(ctx, dir, last.Token)
	if err != nil {
		r.Close()
		return HostInfo{}, err
	}
	ln, err := listenForHosting(port)
	if err != nil {
		r.Close()
		return HostInfo{}, err
	}
	rememberHosting(dir, hosting{Token: token, Port: port})
	offers := &lan.Offers{}
	mux := http.NewServeMux()
	mux.Handle(lan.InvitePath, offers)
	mux.Handle("/", r)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	ips := hostIPs(interfaces())
	h := &hosted{relay: r, server: srv, offers: offers, info: HostInfo{Addresses: relayURLs(ips, port), Token: token}}
	h.unadvertise, h.info.Unlisted = c.advertise(ctx, port, ips)
	c.mu.Lock()
	c.host = h
	c.mu.Unlock()
	h.stopWatch = c.watchElsewhere(r)
	if err := c.connect("ws://"+net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), token, selfHosted{c.shop}); err != nil {
		c.StopHosting()
		return HostInfo{}, err
	}
	return h.info, nil
}

// StopHosting stops the relay Host started, and goes back to the relay
// this computer synced with before, unless the maker disconnected it:
// stopping left it offline.
func (c *Controller) StopHosting() error {
	if err := c.stopHosting(); err != nil {
		return err
	}
	peer, err := c.shop.SyncPeer(context.Background())
	if err != nil || peer.Relay == "" || peer.Token == "" || peer.Off {
		return nil
	}
	return c.connect(peer.Relay, peer.Token, c.shop)
}

// stopHosting stops the relay Host started, and the connection to it.
func (c *Controller) stopHosting() error {
	c.mu.Lock()
	h := c.host
	c.host = nil
	c.mu.Unlock()
	if h == nil {
		return nil
	}
	h.stopWatch()
	h.unadvertise()
	h.offers.Withdraw()
	c.disconnect()
	// The status keeps its relay for the form to offer again; the hosted
	// relay's own address (ws://127.0.0.1:7420) is dead once hosting stops
	// and, offered, was connected to and retried for ever. The relay
	// remembered (the one Connect was last given, Off or not) takes its
	// place, or none: the one the maker would expect back.
	relayURL := ""
	if peer, err := c.shop.SyncPeer(context.Background()); err == nil {
		relayURL = peer.Relay
	}
	c.set(func(s *Status) { s.Relay, s.Hosting, s.Connected = relayURL, false, 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := errors.Join(h.relay.Shutdown(ctx), h.server.Shutdown(ctx))
	return errors.Join(err, h.relay.Close())
}

// advertise tells the local network that this computer hosts the shop's
// sync on port. Hosting goes on when it cannot (a network without
// multicast): people then type the address, and unlisted says why.
func (c *Controller) advertise(ctx context.Context, port int, ips []net.IP) (stop func(), unlisted string) {
	computer, _ := os.Hostname()
	ad := lan.Ad{Name: c.deviceName(ctx, computer), Computer: computer, Shop: c.shop.ShopID(), Port: port, IPs: ips}
	stop, err := c.lan.Advertise(ad)
	if err != nil {
		return func() {}, domain.ErrorMessage(err)
	}
	return stop, ""
}

// deviceName is this device's name for people, as given at init or join;
// the computer's name, or the app's, when it was given none.
func (c *Controller) deviceName(ctx context.Context, computer string) string {
	if info, err := c.shop.Info(ctx); err == nil && strings.TrimSpace(info.DeviceName) != "" {
		return info.DeviceName
	}
	if computer != "" {
		return computer
	}
	return "Microshop"
}

func (c *Controller) Hosting() (HostInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.host == nil {
		return HostInfo{}, false
	}
	return c.host.info, true
}

// ExportBundle streams a bundle of every change of the shop to w.
func (c *Controller) ExportBundle(ctx context.Context, w io.Writer) (int, error) {
	return bundle.Export(ctx, c.shop, w, nil)
}

// ImportBundle checks the bundle read from r whole, then applies it; name
// is the file's name for messages.
func (c *Controller) ImportBundle(ctx context.Context, r io.Reader, name string) (int, error) {
	res, err := bundle.Import(ctx, c.shop, r, name)
	return res.Applied, err
}
