// Package join makes a device part of a sealed shop from an invite: a new
// replica filled from the invite's relay, or a device that synced before
// the shop was sealed taking its key.
package join

import (
	"context"
	"errors"
	"fmt"
	"io"

	"microshop/app"
	"microshop/domain"
	"microshop/sync/bundle"
	"microshop/sync/client"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// New makes a replica at path of the shop the invite names, filled in full
// from the first of its relays that answers, and returns it with that
// relay. It is built under a temporary name and takes path only once
// complete, so a join cut short leaves no shop. onStatus, if not nil,
// hears how the sync goes (client.Config.OnStatus).
func New(ctx context.Context, path string, in app.Invite, device string, opts app.Options, onStatus func(client.Status)) (*app.Shop, string, error) {
	if in.ByFile() {
		return nil, "", errByFile
	}
	j, err := app.StartJoin(path, opts)
	if err != nil {
		return nil, "", err
	}
	r, err := j.Create(in, device)
	var relay string
	var res client.Result
	if err == nil {
		relay, res, err = syncAny(ctx, r, in, onStatus)
	}
	// A relay holding nothing of the shop yet makes no shop: it made an
	// empty one, with no name and the default currency, and a maker at
	// the stall began adding SKUs to it.
	if err == nil && res.Received == 0 {
		err = domain.Errorf(domain.ENotFound, "the relay at %s holds nothing of this shop yet; sync the device that made the invite with it first, then join again", relay)
	}
	var s *app.Shop
	if err == nil {
		s, err = j.Finish(ctx, app.SyncPeer{Relay: relay, Token: in.Token})
	}
	if err != nil {
		j.Abort()
		return nil, "", err
	}
	return s, relay, nil
}

// FromBundle makes a replica at path of the shop the invite names from a
// bundle file instead of a relay: the way back when every device of a
// shop was lost and its relay is gone. name is the file's name for
// messages. The invite's relay, if it names one, is remembered for later
// syncs.
func FromBundle(ctx context.Context, path string, in app.Invite, device string, src io.Reader, name string, opts app.Options) (*app.Shop, error) {
	j, err := app.StartJoin(path, opts)
	if err != nil {
		return nil, err
	}
	r, err := j.Create(in, device)
	if err == nil {
		var res bundle.Result
		res, err = bundle.Import(ctx, r, src, name)
		if domain.RemedyOf(err) == domain.RemedyJoinShop && res.Applied == 0 {
			// The import's words are for a shop importing another's
			// bundle ("import it on a device of that shop", "join it"):
			// here the one joining chose a bundle that is not the
			// invite's.
			err = &domain.Error{Code: domain.EConflict, Message: fmt.Sprintf("the bundle %s is of another shop than the invite's; export a bundle on the device that made the invite and join with that one", name), Err: err}
		}
		if wrongKey(err) && res.Applied == 0 {
			err = &domain.Error{Code: domain.ETampered, Message: fmt.Sprintf("the invite's key does not open the bundle %s: the invite or the bundle is of another shop, or damaged", name), Err: err}
		}
		if err == nil && res.Applied == 0 {
			err = domain.Errorf(domain.EInvalid, "the bundle %s holds none of the shop's changes", name)
		}
	}
	var s *app.Shop
	if err == nil {
		s, err = j.Finish(ctx, rememberedPeer(in))
	}
	if err != nil {
		j.Abort()
		return nil, err
	}
	return s, nil
}

// Existing gives the invite's key to the shop at path, which this device
// synced before it was sealed, and syncs it: its data stays, and what it
// made meanwhile goes out sealed.
func Existing(ctx context.Context, path string, in app.Invite, opts app.Options) (*app.Shop, string, error) {
	if in.ByFile() {
		return nil, "", errByFile
	}
	s, err := app.Open(path, opts)
	if err != nil {
		return nil, "", err
	}
	if s.ShopID() != in.Shop {
		s.Close()
		return nil, "", domain.Errorf(domain.EConflict, "the shop at %s is another shop than the invite's; join into a new file, or open the shop the invite is for", path)
	}
	relay, err := adopt(ctx, s, in)
	if err != nil {
		s.Close()
		return nil, "", err
	}
	return s, relay, nil
}

func adopt(ctx context.Context, s *app.Shop, in app.Invite) (string, error) {
	if err := s.AdoptKey(ctx, in.Key); err != nil {
		return "", err
	}
	relay, _, err := syncAny(ctx, s, in, nil)
	if err != nil {
		return "", err
	}
	return relay, s.SetSyncPeer(ctx, app.SyncPeer{Relay: relay, Token: in.Token})
}

// errByFile refuses to join through a relay with an invite naming none.
var errByFile = domain.Errorf(domain.EInvalid, "this invite names no relay: join with it and a bundle exported on the inviting device")

// rememberedPeer is the relay a device joined from a bundle syncs with
// later: the invite's first, or none for an invite by file, so the
// device's sync asks for a relay as any shop's that has none.
func rememberedPeer(in app.Invite) app.SyncPeer {
	if in.ByFile() {
		return app.SyncPeer{}
	}
	return app.SyncPeer{Relay: in.Relays[0], Token: in.Token}
}

// wrongKey reports whether err is a sealed change that did not open.
func wrongKey(err error) bool {
	return domain.ErrorCode(err) == domain.ETampered && !errors.Is(err, seal.ErrCameUnsealed) && !errors.Is(err, seal.ErrUnsigned)
}

// syncAny syncs r with the first of the invite's relays that can be
// reached: a computer hosting sync has several addresses, and only some
// reach it from here. A sealed change the invite's key cannot open means
// the invite is not this shop's.
func syncAny(ctx context.Context, r *app.Shop, in app.Invite, onStatus func(client.Status)) (string, client.Result, error) {
	var err error
	var res client.Result
	for _, relay := range in.Relays {
		res, err = client.Sync(ctx, client.Config{Relay: relay, Token: in.Token, Replica: r, OnStatus: onStatus})
		if wrongKey(err) || domain.ErrorMessage(err) == wire.WrongShopKey {
			return "", res, &domain.Error{Code: domain.ETampered, Message: "the invite's key does not open this shop's changes: the invite is damaged or was made for another shop", Err: err}
		}
		if domain.ErrorCode(err) != domain.EUnavailable {
			return relay, res, err
		}
	}
	return "", res, err
}
