package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/bundle"
	"microshop/sync/changes"
	"microshop/sync/client"
	"microshop/sync/join"
)

// syncJSON is the shape of `sync` and `bundle import`.
type syncJSON struct {
	Sent     int            `json:"sent"`
	Received int            `json:"received"`
	Vector   changes.Vector `json:"vector"`
}

func runJoin(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	invite := f.String("invite", "", "the `INVITE` made on a device of the shop (microshopctl invite, or Invite a device in the app)")
	relay := f.String("relay", "", "a relay's `URL`: no longer enough to join, use --invite")
	token := f.String("token", "", "a relay `TOKEN`: no longer enough to join, use --invite")
	device := f.String("device", "", "a `NAME` for this device, for people (default the host name)")
	file := f.String("bundle", "", "fill the shop from a bundle `FILE` instead of the relay (an invite naming no relay, or the relay is gone)")
	nearby := f.Bool("lan", false, "find the computers hosting sync on this network; with --code, join the one that shows it")
	code := f.String("code", "", "with --lan: the pairing `CODE` the host shows (XXXX-XXXX, from Invite a device on its Sync screen)")
	hostName := f.String("host", "", "with --lan --code: the `NAME` of the host, when several are found")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if err := lanFlags(*nearby, *invite != "" || *file != "", *code != "", *hostName != ""); err != nil {
		return err
	}
	if *device == "" {
		*device, _ = os.Hostname()
	}
	if *nearby {
		return joinLAN(ctx, c, *code, *hostName, *device)
	}
	if *invite != "" && (*relay != "" || *token != "") {
		// Taken, they were passed over without a word: a maker who
		// gave a new relay joined through the invite's, or none.
		return usagef("--relay and --token do not go with --invite: the invite names the relay and token to join through (or none, to join with --bundle); leave them out, and change the relay after joining with `microshopctl sync --relay URL --token TOKEN`")
	}
	if *invite == "" && (*relay != "" || *token != "") {
		return domain.Errorf(domain.EInvalid, "a relay address and token are not enough to join a shop: its changes are sealed with a key only its devices hold; make an invite on one of them (microshopctl invite) and join with --invite")
	}
	if err := f.require("invite"); err != nil {
		return err
	}
	if *file != "" {
		return joinFromBundle(ctx, c, *invite, *device, *file)
	}
	return joinWithInvite(ctx, c, *invite, *device)
}

// joinFromBundle makes this device a replica of the invite's shop from a
// bundle file: the way back when every device was lost and the relay too.
func joinFromBundle(ctx context.Context, c *cli, text, device, file string) error {
	in, err := app.ParseInvite(text)
	if err != nil {
		return err
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	if app.Exists(path) {
		return domain.Errorf(domain.EConflict, "there is already a shop at %s; give another --db to make the shop from the bundle", path)
	}
	f, err := openBundle(file)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := join.FromBundle(ctx, path, in, device, f, filepath.Base(file), app.Options{Location: c.loc})
	if err != nil {
		return err
	}
	defer s.Close()
	return c.sayJoined(ctx, s, "Made shop %q (%s) from "+literal(file)+" into %s; this device is %s.")
}

// sayJoined tells what a join made, as sayShop does, and, in a shop with
// locations besides main, where this device sells: a stall laptop that
// joined sold off the workshop's shelf until told otherwise.
func (c *cli) sayJoined(ctx context.Context, s *app.Shop, format string) error {
	if err := c.sayShop(ctx, s, format); err != nil || c.json {
		return err
	}
	locs, err := s.Locations(ctx)
	locs = app.OpenLocations(locs) // not one removed: it sells at none
	if err != nil || len(locs) < 2 {
		return err
	}
	here, err := s.DeviceLocation(ctx)
	if err != nil {
		return err
	}
	var others []string
	for _, l := range locs {
		if l.ID != here.ID {
			others = append(others, l.Name)
		}
	}
	c.say("This device sells at %s; the shop also has %s: `microshopctl location use NAME` sells at one of them.", here.Name, domain.JoinAnd(others))
	return nil
}

// lanFlags refuses flags of join that do not go together.
func lanFlags(nearby, invite, code, host bool) error {
	switch {
	case nearby && invite:
		return usagef("microshopctl join takes --invite (with or without --bundle) or --lan, not both; see `microshopctl help join`")
	case !nearby && (code || host):
		return usagef("--code and --host go with --lan: microshopctl join --lan --code CODE [--host NAME]")
	case host && !code:
		return usagef("--host picks the computer to fetch the invite from with --code; without --code, join --lan lists them all")
	}
	return nil
}

// joinWithInvite makes this device a replica of the shop an invite names,
// or, when this device holds that shop already (synced before it was
// sealed), gives it the key and syncs, keeping its data.
func joinWithInvite(ctx context.Context, c *cli, text, device string) error {
	in, err := app.ParseInvite(text)
	if err != nil {
		return err
	}
	if in.ByFile() {
		return domain.Errorf(domain.EInvalid, "this invite names no relay: join with --bundle FILE from a bundle exported on the inviting device")
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	var s *app.Shop
	var relay string
	if app.Exists(path) {
		s, relay, err = join.Existing(ctx, path, in, app.Options{Location: c.loc})
	} else {
		bar := c.progress("Joining")
		s, relay, err = join.New(ctx, path, in, device, app.Options{Location: c.loc}, bar.syncStatus)
		bar.done()
	}
	if err != nil {
		return err
	}
	defer s.Close()
	return c.sayJoined(ctx, s, "Joined shop %q (%s) from "+literal(relay)+" into %s; this device is %s.")
}

// remember keeps the relay for later syncs and notes the sync's time.
func remember(ctx context.Context, s *app.Shop, peer app.SyncPeer) (app.ShopInfo, error) {
	if err := s.SetSyncPeer(ctx, peer); err != nil {
		return app.ShopInfo{}, err
	}
	s.SetLastSync(ctx, time.Now().UnixMilli())
	return s.Info(ctx)
}

// syncPeerOf is the relay and token to sync s with: those given, else the
// ones remembered. Sync takes changes in, so a shop that can only be read
// says so before anything goes over the network.
func syncPeerOf(ctx context.Context, s *app.Shop, relay, token string) (app.SyncPeer, error) {
	if err := s.ReadOnly(); err != nil {
		return app.SyncPeer{}, err
	}
	if token != "" {
		if err := app.CheckToken(token); err != nil {
			return app.SyncPeer{}, err
		}
	}
	peer := app.SyncPeer{Relay: relay, Token: token}
	if peer.Relay == "" || peer.Token == "" {
		// Only what was not given is read, so giving both repairs
		// damaged settings.
		var err error
		if peer, err = s.SyncPeer(ctx); err != nil {
			return app.SyncPeer{}, err
		}
	}
	if relay != "" {
		peer.Relay = relay
	}
	if token != "" {
		peer.Token = token
	}
	if peer.Relay == "" || peer.Token == "" {
		return app.SyncPeer{}, usagef("microshopctl sync needs --relay URL and --token TOKEN the first time; see `microshopctl help sync`")
	}
	return peer, nil
}

func runSync(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	relay := f.String("relay", "", "the relay's address, `URL` like ws://192.168.1.20:7420 (default: the last one used)")
	token := f.String("token", "", "the shop's `TOKEN` on that relay (default: the last one used)")
	watch := f.Bool("watch", false, "stay connected: push changes as they happen, receive others' live, reconnect after drops")
	if _, err := f.parse(args); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		*relay, *token = strings.TrimSpace(*relay), strings.TrimSpace(*token) // kept as the next sync's
		peer, err := syncPeerOf(ctx, s, *relay, *token)
		if err != nil {
			return err
		}
		cfg := client.Config{Relay: peer.Relay, Token: peer.Token, Replica: s, OnStatus: rememberOnceAccepted(ctx, s, peer)}
		if *watch {
			return c.watch(ctx, s, cfg, peer)
		}
		bar := c.progress("Syncing")
		accepted := cfg.OnStatus
		cfg.OnStatus = func(st client.Status) {
			accepted(st)
			bar.syncStatus(st)
		}
		res, err := client.Sync(ctx, cfg)
		bar.done()
		if err != nil {
			return err
		}
		if _, err := remember(ctx, s, peer); err != nil {
			return err
		}
		if res.Stranded > 0 {
			c.warn([]string{fmt.Sprintf("%s held here cannot be passed on from this device: another device made them and did not sign them for passing on (an older Microshop signs none); they reach the relay when that device syncs",
				count(res.Stranded, "change"))})
		}
		if c.json {
			return c.printJSON(syncJSON{Sent: res.Sent, Received: res.Received, Vector: nonNil(res.Vector)})
		}
		c.renewed(res.Renewed, s)
		if res.Stranded > 0 {
			c.say("Synced with %s: sent %s, received %d; the relay holds %d.", peer.Relay, count(int64(res.Sent), "change"), res.Received, res.Vector.Total()-res.Stranded)
			return nil
		}
		c.say("Synced with %s: sent %s, received %d; both sides hold the same %d.", peer.Relay, count(int64(res.Sent), "change"), res.Received, res.Vector.Total())
		return nil
	})
}

// rememberOnceAccepted keeps the relay and token as the next sync's once
// the relay accepts them, before the exchange ends: a first sync cut off
// (a long one, a dropped network) had the maker type them again.
func rememberOnceAccepted(ctx context.Context, s *app.Shop, peer app.SyncPeer) func(client.Status) {
	remembered := false
	return func(st client.Status) {
		if !remembered && (st.State == client.StateSyncing || st.State == client.StateUpToDate) {
			remembered = s.SetSyncPeer(ctx, peer) == nil
		}
	}
}

// watch syncs until interrupted, printing each status change: a line of
// text, or with --json one JSON object per line.
func (c *cli) watch(ctx context.Context, s *app.Shop, cfg client.Config, peer app.SyncPeer) error {
	var seen client.Status // the counts last said, this connection's
	accepted := cfg.OnStatus
	cfg.OnStatus = func(st client.Status) {
		accepted(st)
		if st.Received < seen.Received || st.Sent < seen.Sent {
			seen = client.Status{} // a new connection counts afresh
		}
		delta := moved(st.Received-seen.Received, st.Sent-seen.Sent)
		seen = st
		if st.State == client.StateUpToDate {
			s.SetLastSync(ctx, time.Now().UnixMilli())
		}
		msg := ""
		if st.Err != nil {
			msg = domain.ErrorMessage(st.Err)
		}
		if c.json {
			line, _ := json.Marshal(struct {
				State    string `json:"state"`
				Pending  int64  `json:"pending"`
				Received int    `json:"received"`
				Sent     int    `json:"sent"`
				Error    string `json:"error,omitempty"`
			}{string(st.State), st.Pending, st.Received, st.Sent, msg})
			c.stdout.Write(append(line, '\n'))
			return
		}
		switch {
		case st.State == client.StateSyncing:
			c.say("%s: syncing %s%s", time.Now().Format("15:04:05"), count(st.Pending, "change"), delta)
		case msg != "":
			c.say("%s: %s (%s)%s", time.Now().Format("15:04:05"), st.State, msg, delta)
		default:
			c.say("%s: %s%s", time.Now().Format("15:04:05"), st.State, delta)
		}
	}
	return client.Watch(ctx, cfg)
}

// moved says what came in and went out since the last line: ", received
// 3 changes", or "".
func moved(received, sent int) string {
	var parts []string
	if received > 0 {
		parts = append(parts, "received "+count(received, "change"))
	}
	if sent > 0 {
		parts = append(parts, "sent "+count(sent, "change"))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

func runBundleExport(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	out := f.out("the bundle `FILE` to write, e.g. on a USB stick")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if err := f.require("out"); err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		var n int
		err := out.write(s, func(w io.Writer) error {
			var err error
			n, err = bundle.Export(ctx, s, w, nil)
			return err
		})
		if err != nil {
			return err
		}
		// What the bundle leaves out is said, as sync says it: a bundle of
		// 2 of the shop's 13 changes made an empty shop without a word.
		if st, err := s.Status(ctx); err == nil && st.Vector.Total() > int64(n) {
			c.warn([]string{fmt.Sprintf("%s held here are not in the bundle: another device made them and did not sign them for passing on (an older Microshop signs none); they go with that device's own bundle or sync",
				count(st.Vector.Total()-int64(n), "change"))})
		}
		if c.json {
			return c.printJSON(struct {
				File    string `json:"file"`
				Changes int    `json:"changes"`
			}{*out.path, n})
		}
		c.say("Wrote %s to %s; import it on the other device with `microshopctl bundle import %s`.", count(int64(n), "change"), *out.path, shellArg(*out.path))
		return nil
	})
}

func runBundleImport(ctx context.Context, c *cli, args []string) error {
	f := c.flags()
	pos, err := f.parse(args, "FILE")
	if err != nil {
		return err
	}
	return c.withShop(func(s *app.Shop) error {
		file, err := openBundle(pos[0])
		if err != nil {
			return err
		}
		defer file.Close()
		res, err := bundle.Import(ctx, s, file, pos[0])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(syncJSON{Received: res.Applied, Vector: nonNil(res.Vector)})
		}
		c.renewed(res.Renewed, s)
		were := "were"
		if res.Applied == 1 {
			were = "was"
		}
		c.say("Imported %s: %d of its %s %s new here.", pos[0], res.Applied, count(int64(res.Total), "change"), were)
		return nil
	})
}

// renewed tells the maker when sync found this shop restored from a backup
// (its files copied back by hand) and made it a new device.
func (c *cli) renewed(renewed bool, s *app.Shop) {
	if renewed {
		c.say("This shop was restored from a backup, so it now syncs as a new device (%s); its sales since the backup are kept and sent once.", s.DeviceID())
	}
}

// openBundle opens a bundle file to import, refusing what is no file.
func openBundle(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, domain.Errorf(domain.ENotFound, "cannot open the bundle %s; check the path", path)
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, domain.Errorf(domain.EInvalid, "%s is a folder; give the bundle file in it", path)
	}
	return f, nil
}

func nonNil(v changes.Vector) changes.Vector {
	if v == nil {
		return changes.Vector{}
	}
	return v
}
