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
	if s.ro != nil {
		return nil // sealed where it can be written
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
	if err := s.ReadOnly(); err != nil {
		return err
	}
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

// readChange is what opening and reading one change of a batch found:
// the change as opened, or why it does not open (err of openOne), and
// then its event and stamp, or why it is malformed (validChange).
type readChange struct {
	opened  changes.Change
	openErr error
	e       *event
	st      changes.Stamp
	err     error
}

// parallelRead is the smallest batch readAll splits between two
// goroutines: below it, starting one costs more than it saves.
const parallelRead = 64

// readAll opens (when the shop is sealed) and reads every change of
// batch, each as openOne and validChange would, the second half on a
// goroutine of its own: opening and parsing a change costs about as much
// as logging it, and nothing in it depends on another change.
func readAll(sealer *seal.Sealer, batch []changes.Change) []readChange {
	out := make([]readChange, len(batch))
	read := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := &out[i]
			if r.opened, r.openErr = openOne(sealer, batch[i]); r.openErr == nil {
				r.e, r.st, r.err = validChange(r.opened)
			}
		}
	}
	if len(batch) < parallelRead {
		read(0, len(batch))
		return out
	}
	half := len(batch) / 2
	done := make(chan struct{})
	go func() {
		defer close(done)
		read(half, len(batch))
	}()
	read(0, half)
	<-done
	return out
}

// openOne opens a sealed change with the shop's sealer, or passes an
// unsealed one through when the shop is not sealed.
func openOne(sealer *seal.Sealer, c changes.Change) (changes.Change, error) {
	switch {
	case sealer != nil:
		return sealer.Open(c)
	case seal.IsSealed(c):
		return changes.Change{}, domain.Errorf(domain.ENeedsInvite, "the shop was sealed on another device, so this device cannot read its changes; join with an invite from one of its devices to keep syncing").With(domain.RemedyInvite)
	}
	return c, nil
}

// openedOf is the changes of batch that opened, with what was read of
// each. A change that does not open is refused with the changes of its
// origin after it; the first refused says why.
func openedOf(batch []changes.Change, read []readChange) ([]changes.Change, []readChange, *refusal) {
	out := make([]changes.Change, 0, len(batch))
	reads := make([]readChange, 0, len(batch))
	var refused *refusal
	var blocked map[string]bool
	for i, c := range batch {
		if blocked[c.Origin] {
			continue
		}
		if err := read[i].openErr; err != nil {
			if blocked == nil {
				blocked = map[string]bool{}
			}
			blocked[c.Origin] = true
			if refused == nil {
				refused = &refusal{c, err} // the first says why; the others wait with it
			}
			continue
		}
		out, reads = append(out, read[i].opened), append(reads, read[i])
	}
	return out, reads, refused
}

// refusal is a change openedOf refused, and why.
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
