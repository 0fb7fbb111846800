package app

import (
	"context"
	"errors"
	"fmt"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/seal"
)

// A shop's key seals every change that leaves this device (DESIGN.md
// section 6). It is kept in meta, so a backup restores it with the shop,
// and it is never written to a change: other devices get it only in an
// invite.

const shopKeyMeta = "shop_key"

// Sealed reports whether this shop's changes travel sealed.
func (s *Shop) Sealed() bool { return s.sealer.Load() != nil }

// settleKey loads the shop's key. A shop that has never shared a change
// with another device is sealed here, at its first start after sealing
// came: nothing of it was ever sent in the clear, and no other device
// needs the key. A shop that synced before stays as it is until its owner
// seals it (Seal), because its other devices would otherwise be cut off.
func (s *Shop) settleKey(ctx context.Context) error {
	if s.shopID == "" {
		return nil // an empty replica being joined: the invite brings the key
	}
	text, err := getMeta(ctx, s.db, shopKeyMeta)
	if err != nil {
		return storeError(s.path, err)
	}
	if text != "" {
		key, err := seal.ParseKey(text)
		if err != nil {
			return domain.Errorf(domain.EUnavailable, "the shop key in %s is damaged; restore the shop from a backup or join it again with an invite", s.path)
		}
		s.sealer.Store(seal.New(s.shopID, key))
		return nil
	}
	shared, err := s.everShared(ctx)
	if err != nil || shared {
		return err
	}
	return s.makeKey(ctx)
}

// everShared reports whether this shop has exchanged changes with another
// device, or was set up to: it holds another device's changes, or knows a
// relay.
func (s *Shop) everShared(ctx context.Context) (bool, error) {
	var others int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM vector WHERE origin <> ?`, s.DeviceID()).Scan(&others)
	if err != nil {
		return false, storeError(s.path, err)
	}
	if others > 0 {
		return true, nil
	}
	peer, err := s.SyncPeer(ctx)
	return err != nil || peer.Relay != "", nil
}

func (s *Shop) makeKey(ctx context.Context) error {
	key, err := seal.NewKey()
	if err != nil {
		return fmt.Errorf("make the shop key: %w", err)
	}
	return s.setKey(ctx, key)
}

func (s *Shop) setKey(ctx context.Context, key seal.Key) error {
	if err := setMeta(ctx, s.db, shopKeyMeta, key.String()); err != nil {
		return storeError(s.path, err)
	}
	s.sealer.Store(seal.New(s.shopID, key))
	return nil
}

// WriteKey is the public half of the shop's write key, for a relay to
// check batches with; "" while the shop is not sealed.
func (s *Shop) WriteKey() string {
	if sealer := s.sealer.Load(); sealer != nil {
		return sealer.WriteKey()
	}
	return ""
}

// SignBatch signs a batch this device pushes to a relay; "" while the shop
// is not sealed.
func (s *Shop) SignBatch(batch []changes.Change) string {
	if sealer := s.sealer.Load(); sealer != nil {
		return sealer.Sign(batch)
	}
	return ""
}

// Key is the shop's key, for an invite; ok is false while the shop is not
// sealed.
func (s *Shop) Key(ctx context.Context) (key seal.Key, ok bool, err error) {
	text, err := getMeta(ctx, s.db, shopKeyMeta)
	if err != nil || text == "" {
		return seal.Key{}, false, err
	}
	key, err = seal.ParseKey(text)
	return key, err == nil, err
}

// Seal makes the key of a shop that synced before sealing came. From now
// on this device sends and accepts only sealed changes; the shop's other
// devices keep syncing once they take the key from an invite.
func (s *Shop) Seal(ctx context.Context) error {
	if s.Sealed() {
		return domain.Errorf(domain.EConflict, "the shop is sealed already; its changes leave this device sealed")
	}
	return s.makeKey(ctx)
}

// AdoptKey takes the key an invite brings into a shop this device holds
// already, keeping its data: a shop sealed on another device. A shop sealed
// under another key is refused, since the two could not read each other.
func (s *Shop) AdoptKey(ctx context.Context, key seal.Key) error {
	held, ok, err := s.Key(ctx)
	if err != nil {
		return storeError(s.path, err)
	}
	if ok && held != key {
		return domain.Errorf(domain.EConflict, "this device holds the shop sealed under another key than the invite's; the invite is from another sealing of the shop")
	}
	if ok {
		return nil
	}
	return s.setKey(ctx, key)
}

// openSealed opens the sealed changes of a batch from elsewhere. A change
// that does not open (changed, moved, sealed for another shop, or sent in
// the clear to a sealed shop) is refused, and so are the changes of its
// origin after it, which need it first; the rest are returned to be
// applied, with the first refusal: the change and why.
func (s *Shop) openSealed(batch []changes.Change) ([]changes.Change, *refusal) {
	sealer := s.sealer.Load()
	out := batch[:0:0]
	var refused *refusal
	blocked := map[string]bool{}
	for _, c := range batch {
		if blocked[c.Origin] {
			continue
		}
		opened, err := c, error(nil)
		switch {
		case sealer != nil:
			opened, err = sealer.Open(c)
		case seal.IsSealed(c):
			err = domain.Errorf(domain.ENeedsInvite, "the shop was sealed on another device, so this device cannot read its changes; join with an invite from one of its devices to keep syncing").With(domain.RemedyInvite)
		}
		if err != nil {
			blocked[c.Origin] = true
			if refused == nil {
				refused = &refusal{c, err} // the first says why; the others wait with it
			}
			continue
		}
		out = append(out, opened)
	}
	return out, refused
}

// refusal is a change openSealed refused, and why.
type refusal struct {
	change changes.Change
	err    error
}

// explain says which change was refused and why, naming its device as the
// device named itself (read after the batch applied, which may carry the
// name); the reason alone when it is about the shop.
func (s *Shop) explain(ctx context.Context, r *refusal) error {
	if domain.ErrorCode(r.err) != domain.ETampered {
		return r.err
	}
	from := "a device that has not named itself"
	if names, err := deviceNames(ctx, s.db); err == nil && names[r.change.Origin] != "" {
		from = domain.QuoteShort(names[r.change.Origin])
	}
	return &domain.Error{Code: domain.ETampered, Message: fmt.Sprintf("change %d from %s was refused: %s", r.change.Seq, from, domain.ErrorMessage(r.err)),
		Err: errors.Unwrap(r.err)} // seal.ErrCameUnsealed, when it is that
}
