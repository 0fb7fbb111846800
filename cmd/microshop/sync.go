package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/bundle"
	"microshop/sync/changes"
	"microshop/sync/client"
	"microshop/sync/relay"
	"microshop/ui"
)

// lanPort is the port "host sync on this computer" listens on when free,
// so the address other machines type stays the same from day to day.
const lanPort = 7420

// syncController is the desktop app's sync: a live connection to a relay
// (or to a peer hosting one), the relay this computer can host for its
// local network, and bundle files. It implements ui.SyncController.
type syncController struct {
	shop *app.Shop

	mu     sync.Mutex
	status ui.SyncStatus
	subs   map[int]func(ui.SyncStatus)
	nextID int
	stop   context.CancelFunc // ends the live connection
	done   chan struct{}      // closed when it has ended
	host   *hosted
}

// hosted is a relay this computer serves on the local network.
type hosted struct {
	info   ui.HostInfo
	relay  *relay.Relay
	server *http.Server
}

func newSyncController(shop *app.Shop) ui.SyncController {
	c := &syncController{shop: shop, subs: map[int]func(ui.SyncStatus){}}
	ctx := context.Background()
	if peer, err := shop.SyncPeer(ctx); err == nil {
		c.status.Relay = peer.Relay
	}
	if ms, err := shop.LastSync(ctx); err == nil && ms > 0 {
		c.status.LastSync = time.UnixMilli(ms)
	}
	// A device that synced before goes live again on its own.
	if peer, err := shop.SyncPeer(ctx); err == nil && peer.Relay != "" && peer.Token != "" {
		c.Connect(ctx, peer.Relay, peer.Token)
	}
	return c
}

func (c *syncController) Status() ui.SyncStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

func (c *syncController) Subscribe(fn func(ui.SyncStatus)) func() {
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
func (c *syncController) set(change func(*ui.SyncStatus)) {
	c.mu.Lock()
	change(&c.status)
	st := c.status
	fns := make([]func(ui.SyncStatus), 0, len(c.subs))
	for _, fn := range c.subs {
		fns = append(fns, fn)
	}
	c.mu.Unlock()
	for _, fn := range fns {
		fn(st)
	}
}

// Connect starts a live connection that reconnects by itself until
// Disconnect; failures show in Status.
func (c *syncController) Connect(ctx context.Context, relayURL, token string) error {
	if err := c.shop.SetSyncPeer(ctx, app.SyncPeer{Relay: relayURL, Token: token}); err != nil {
		return err
	}
	return c.connect(relayURL, token)
}

// connect starts the live connection without remembering the relay: the
// app's own hosted relay is not there when the app starts next time.
func (c *syncController) connect(relayURL, token string) error {
	c.Disconnect()
	live, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	c.mu.Lock()
	c.stop, c.done = stop, done
	c.mu.Unlock()
	c.set(func(s *ui.SyncStatus) {
		*s = ui.SyncStatus{State: ui.SyncConnecting, Relay: relayURL, LastSync: s.LastSync}
	})
	go func() {
		defer close(done)
		err := client.Watch(live, client.Config{Relay: relayURL, Token: token, Replica: c.shop, OnStatus: c.onStatus})
		if err != nil {
			c.set(func(s *ui.SyncStatus) { s.State, s.Err = ui.SyncError, domain.ErrorMessage(err) })
		}
	}()
	return nil
}

// onStatus maps the client's status to the screen's.
func (c *syncController) onStatus(st client.Status) {
	c.set(func(s *ui.SyncStatus) {
		s.Pending, s.Err = int(st.Pending), ""
		switch st.State {
		case client.StateConnecting:
			s.State = ui.SyncConnecting
		case client.StateSyncing:
			s.State = ui.SyncSyncing
		case client.StateUpToDate:
			s.State = ui.SyncUpToDate
			s.LastSync = time.Now()
			c.shop.SetLastSync(context.Background(), s.LastSync.UnixMilli())
		case client.StateError:
			s.State = ui.SyncError
		default:
			// Offline between retries: keep trying, say why.
			s.State = ui.SyncConnecting
		}
		if st.Err != nil {
			s.Err = domain.ErrorMessage(st.Err)
		}
	})
}

// Disconnect ends the live connection, if any, and waits for it.
func (c *syncController) Disconnect() error {
	c.mu.Lock()
	stop, done := c.stop, c.done
	c.stop, c.done = nil, nil
	c.mu.Unlock()
	if stop == nil {
		return nil
	}
	stop()
	<-done
	c.set(func(s *ui.SyncStatus) { s.State, s.Pending, s.Err = ui.SyncOffline, 0, "" })
	return nil
}

// Host runs a relay inside the app on the local network, with a token for
// this shop, and connects this computer to it, so another machine needs
// only the address and token shown.
func (c *syncController) Host(ctx context.Context) (ui.HostInfo, error) {
	if info, ok := c.Hosting(); ok {
		return info, nil
	}
	dir := c.shop.Path() + ".relay"
	r, err := relay.Open(ctx, dir, nil)
	if err != nil {
		return ui.HostInfo{}, &domain.Error{Code: domain.EUnavailable, Message: "Cannot start hosting: the relay data beside the shop could not be opened.", Err: err}
	}
	tokens, err := relay.OpenTokenDB(ctx, relay.TokenDBPath(dir))
	if err != nil {
		r.Close()
		return ui.HostInfo{}, err
	}
	_, token, err := tokens.Create(ctx, c.shop.ShopID(), "hosted on this computer")
	tokens.Close()
	if err != nil {
		r.Close()
		return ui.HostInfo{}, err
	}
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(lanPort))
	if err != nil {
		ln, err = net.Listen("tcp", ":0") // the usual port is taken: any will do
	}
	if err != nil {
		r.Close()
		return ui.HostInfo{}, &domain.Error{Code: domain.EUnavailable, Message: "Cannot start hosting: no network port is free.", Err: err}
	}
	port := ln.Addr().(*net.TCPAddr).Port
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	h := &hosted{relay: r, server: srv, info: ui.HostInfo{Addresses: relayURLs(interfaces(), port), Token: token}}
	c.mu.Lock()
	c.host = h
	c.mu.Unlock()
	if err := c.connect("ws://"+net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), token); err != nil {
		c.StopHosting()
		return ui.HostInfo{}, err
	}
	return h.info, nil
}

func (c *syncController) StopHosting() error {
	c.mu.Lock()
	h := c.host
	c.host = nil
	c.mu.Unlock()
	if h == nil {
		return nil
	}
	c.Disconnect()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := errors.Join(h.relay.Shutdown(ctx), h.server.Shutdown(ctx))
	return errors.Join(err, h.relay.Close())
}

func (c *syncController) Hosting() (ui.HostInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.host == nil {
		return ui.HostInfo{}, false
	}
	return c.host.info, true
}

// ExportBundle streams a bundle of every change of the shop to w.
func (c *syncController) ExportBundle(ctx context.Context, w io.Writer) (int, error) {
	return bundle.Export(ctx, c.shop, w, nil)
}

// ImportBundle checks the bundle read from r whole, then applies it; name
// is the file's name for messages.
func (c *syncController) ImportBundle(ctx context.Context, r io.Reader, name string) (int, error) {
	res, err := bundle.Import(ctx, c.shop, r, name)
	return res.Applied, err
}

// joinShop makes this computer a replica of a shop on a relay. The shop
// takes its path only once complete, so a join cut short leaves none.
func joinShop(ctx context.Context, path string, in ui.JoinRequest) (*app.Shop, error) {
	j, err := app.StartJoin(path, app.Options{})
	if err != nil {
		return nil, err
	}
	_, err = client.JoinReplica(ctx, in.Relay, in.Token, func(shopID string) (changes.Replica, error) {
		return j.Create(shopID, in.Device)
	})
	var s *app.Shop
	if err == nil {
		s, err = j.Finish(ctx, app.SyncPeer{Relay: in.Relay, Token: in.Token})
	}
	if err != nil {
		j.Abort()
		return nil, err
	}
	return s, nil
}
