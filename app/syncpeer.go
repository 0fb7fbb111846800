package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"microshop/domain"
	"microshop/sync/wire"
)

// SyncPeer is the relay this device last synced with: kept on this device
// only (never synced), so `microshopctl sync` and the desktop app can
// reconnect without asking again.
type SyncPeer struct {
	Relay string `json:"relay"`
	Token string `json:"token"`
	// Off: the maker disconnected the desktop from the relay, so it does
	// not connect again by itself when it starts.
	Off bool `json:"off,omitempty"`
}

// The relay and its token live in a file of their own beside the shop,
// PATH.sync, readable by this user only, and not in the database: the token
// lets whoever holds it read and write the shop on the relay, and a copy of
// shop.db (mailed for help, left on a USB stick) must not carry it.
func (s *Shop) syncFile() string { return s.path + ".sync" }

// maxSyncFile bounds what is read of PATH.sync: a URL and a token are a few
// hundred bytes, and the file is treated as any other input.
const maxSyncFile = 64 << 10

// SyncPeer returns the remembered relay, zero if none.
func (s *Shop) SyncPeer(ctx context.Context) (SyncPeer, error) {
	var p SyncPeer
	f, err := os.Open(s.syncFile())
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, domain.Errorf(domain.EUnavailable, "cannot read the sync settings in %s: %v", s.syncFile(), err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSyncFile+1))
	if err != nil {
		return p, domain.Errorf(domain.EUnavailable, "cannot read the sync settings in %s: %v", s.syncFile(), err)
	}
	if len(b) > maxSyncFile || json.Unmarshal(b, &p) != nil {
		return SyncPeer{}, domain.Errorf(domain.EUnavailable, "the sync settings in %s are damaged; give the relay address and token again to sync", s.syncFile())
	}
	return p, nil
}

// CheckToken refuses, in one sentence, what cannot be a relay token: a
// relay makes each as "mst_" and two runs of hex digits, and refuses
// anything else.
func CheckToken(token string) error {
	if wire.ValidToken(token) {
		return nil
	}
	return domain.Errorf(domain.EInvalid, "%s is not a relay token; a token reads mst_, 16 letters a-f and digits, _ and 64 more, as the relay's owner made it: copy it whole", tokenShown(token))
}

// tokenShown names a token in a refusal: whole when short, else by its
// first 12 characters, the token's id (which the relay logs), and its
// length. A token mistyped by one letter is nearly all its secret, and a
// refusal is read on screens and kept in logs.
func tokenShown(token string) string {
	const start = len("mst_01234567")
	r := []rune(token)
	if len(r) <= start {
		return strconv.Quote(token)
	}
	return fmt.Sprintf("%q (%d characters)", string(r[:start])+"…", len(r))
}

// SetSyncPeer remembers the relay to sync with. The file is replaced whole,
// so a crash leaves the old settings or the new, never half of one.
func (s *Shop) SetSyncPeer(ctx context.Context, p SyncPeer) error {
	if err := s.ReadOnly(); err != nil {
		return err
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if err := writePrivateFile(s.syncFile(), append(b, '\n')); err != nil {
		return domain.Errorf(domain.EUnavailable, "cannot save the sync settings in %s: %v", s.syncFile(), err)
	}
	return nil
}

// writePrivateFile replaces path with data through a temporary file beside
// it, readable and writable by this user only.
func writePrivateFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(privateFile)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// moveSyncPeerOut takes the relay and token that earlier versions kept in
// the meta table out of the database and into PATH.sync. The rows are
// deleted with secure_delete on, so their bytes are overwritten rather than
// left in free space, and the write-ahead log is emptied, so the token is
// gone from the files once this returns (a checkpoint blocked by another
// program's reader leaves it in the log until a later one).
func (s *Shop) moveSyncPeerOut(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN ('sync_relay', 'sync_token')`)
	if err != nil {
		return storeError(s.path, err)
	}
	var p SyncPeer
	found := false
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return storeError(s.path, err)
		}
		found = true
		if k == "sync_relay" {
			p.Relay = v
		} else {
			p.Token = v
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || !found {
		return storeError(s.path, err)
	}
	// Settings this version saved are newer than the database's.
	if !fileExists(s.syncFile()) && p != (SyncPeer{}) {
		if err := s.SetSyncPeer(ctx, p); err != nil {
			return err
		}
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return storeError(s.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return storeError(s.path, err)
	}
	_, err = conn.ExecContext(ctx, `DELETE FROM meta WHERE key IN ('sync_relay', 'sync_token')`)
	conn.ExecContext(ctx, `PRAGMA secure_delete = OFF`) // the pool reuses the connection
	if err != nil {
		return storeError(s.path, err)
	}
	conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
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
	if err := s.ReadOnly(); err != nil {
		return err
	}
	if err := setMeta(ctx, s.db, "last_sync", itoa(unixMilli)); err != nil {
		return storeError(s.path, err)
	}
	return nil
}

// Marks are what a window polls to see that another program changed the
// shop: the changes it holds (Vector's total), the last completed sync, and
// this device's location. A `microshopctl sync` that only sent this
// device's changes logs nothing, and the desktop said "2,495 unsynced
// changes · never synced" after it; `microshopctl location use` is a
// setting, not a change, and the desktop went on selling at the old place.
type Marks struct {
	Changes  int64  // the total of Vector
	LastSync int64  // LastSync's
	Location string // the id of DeviceLocation's choice, "" for main
}

// Marks reads the shop's Marks in one read, cheap enough for every second.
func (s *Shop) Marks(ctx context.Context) (Marks, error) {
	var m Marks
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT coalesce(sum(seq), 0) FROM vector),
		coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_sync'), 0),
		coalesce((SELECT value FROM meta WHERE key = ?), '')`, deviceLocationKey).Scan(&m.Changes, &m.LastSync, &m.Location)
	if err != nil {
		return Marks{}, storeError(s.path, err)
	}
	return m, nil
}
