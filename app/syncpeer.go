package app

import "context"

// SyncPeer is the relay this device last synced with: kept on this device
// only (never synced), so `microshopctl sync` and the desktop app can
// reconnect without asking again.
type SyncPeer struct {
	Relay string
	Token string
}

// SyncPeer returns the remembered relay, zero if none.
func (s *Shop) SyncPeer(ctx context.Context) (SyncPeer, error) {
	var p SyncPeer
	var err error
	if p.Relay, err = getMeta(ctx, s.db, "sync_relay"); err != nil {
		return p, storeError(s.path, err)
	}
	if p.Token, err = getMeta(ctx, s.db, "sync_token"); err != nil {
		return p, storeError(s.path, err)
	}
	return p, nil
}

// SetSyncPeer remembers the relay to sync with.
func (s *Shop) SetSyncPeer(ctx context.Context, p SyncPeer) error {
	if err := setMeta(ctx, s.db, "sync_relay", p.Relay); err != nil {
		return storeError(s.path, err)
	}
	if err := setMeta(ctx, s.db, "sync_token", p.Token); err != nil {
		return storeError(s.path, err)
	}
	return nil
}

// LastSync is when this device last held the same changes as a peer, in
// unix milliseconds; 0 if never.
func (s *Shop) LastSync(ctx context.Context) (int64, error) {
	v, err := getMetaInt(ctx, s.db, "last_sync")
	if err != nil {
		return 0, storeError(s.path, err)
	}
	return v, nil
}

// SetLastSync records a completed sync.
func (s *Shop) SetLastSync(ctx context.Context, unixMilli int64) error {
	if err := setMeta(ctx, s.db, "last_sync", itoa(unixMilli)); err != nil {
		return storeError(s.path, err)
	}
	return nil
}
