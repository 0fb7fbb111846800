package relay

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"microshop/sync/changes"
	"microshop/sync/wire"
)

// SQLiteStore is the default Store: one SQLite database per shop, named
// after the shop, in one directory. Shops are opened on first use and kept
// open until Close.
type SQLiteStore struct {
	dir string

	mu     sync.Mutex
	shops  map[string]*shopDB
	closed bool
}

// shopDB is one shop's database. appendMu queues the shop's writers in
// the process, so they wait on a mutex rather than on SQLite's busy loop.
type shopDB struct {
	db       *sql.DB
	appendMu sync.Mutex
}

// OpenSQLiteStore returns a store keeping its databases in dir, creating it.
func OpenSQLiteStore(dir string) (*SQLiteStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the shop directory: %w", err)
	}
	return &SQLiteStore{dir: dir, shops: map[string]*shopDB{}}, nil
}

// Close closes every shop's database.
func (s *SQLiteStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	var errs []error
	for id, sh := range s.shops {
		errs = append(errs, sh.db.Close())
		delete(s.shops, id)
	}
	return errors.Join(errs...)
}

func (s *SQLiteStore) shop(ctx context.Context, shop string) (*shopDB, error) {
	if !wire.ValidShopID(shop) {
		// The relay checks ids before they reach the store; this keeps any
		// other caller from naming a file outside dir.
		return nil, fmt.Errorf("invalid shop id %q", shop)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("the change store is closed")
	}
	if sh, ok := s.shops[shop]; ok {
		return sh, nil
	}
	db, err := openSQLite(ctx, filepath.Join(s.dir, shop+".db"), "shop")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	var got string
	err = db.QueryRowContext(ctx, `INSERT INTO shop (id, shop_id) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET shop_id = shop_id RETURNING shop_id`, shop).Scan(&got)
	if err == nil && got != shop {
		err = fmt.Errorf("the database file for shop %s holds shop %s", shop, got)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	sh := &shopDB{db: db}
	s.shops[shop] = sh
	return sh, nil
}

// Vector implements Store.
func (s *SQLiteStore) Vector(ctx context.Context, shop string) (changes.Vector, error) {
	sh, err := s.shop(ctx, shop)
	if err != nil {
		return nil, err
	}
	return heads(ctx, sh.db)
}

// queryer is what *sql.DB and *sql.Tx share, so helpers compose in both.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func heads(ctx context.Context, q queryer) (changes.Vector, error) {
	rows, err := q.QueryContext(ctx, `SELECT origin, seq FROM heads`)
	if err != nil {
		return nil, fmt.Errorf("read the vector: %w", err)
	}
	defer rows.Close()
	v := changes.Vector{}
	for rows.Next() {
		var origin string
		var seq int64
		if err := rows.Scan(&origin, &seq); err != nil {
			return nil, err
		}
		v[origin] = seq
	}
	return v, rows.Err()
}

// Append implements Store.
func (s *SQLiteStore) Append(ctx context.Context, shop string, batch []changes.Change) (changes.Vector, error) {
	sh, err := s.shop(ctx, shop)
	if err != nil {
		return nil, err
	}
	sh.appendMu.Lock()
	defer sh.appendMu.Unlock()
	tx, err := sh.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("append to shop %s: %w", shop, err)
	}
	defer tx.Rollback()
	v, err := heads(ctx, tx)
	if err != nil {
		return nil, err
	}
	moved := map[string]bool{}
	for _, c := range batch {
		have := v[c.Origin]
		if c.Seq <= have {
			continue
		}
		if c.Seq != have+1 {
			return nil, wire.Errorf(wire.CodeBadMessage,
				"The change %s/%d leaves a gap: the relay holds %s up to %d, so the next must be %d.",
				c.Origin, c.Seq, c.Origin, have, have+1)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO changes (origin, seq, hlc, entity, entity_id, body, sig)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Origin, c.Seq, c.HLC, c.Entity, c.EntityID, []byte(c.Body), c.Sig); err != nil {
			return nil, fmt.Errorf("store change %s/%d: %w", c.Origin, c.Seq, err)
		}
		v[c.Origin] = c.Seq
		moved[c.Origin] = true
	}
	for origin := range moved {
		if _, err := tx.ExecContext(ctx, `INSERT INTO heads (origin, seq) VALUES (?, ?)
			ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq`, origin, v[origin]); err != nil {
			return nil, fmt.Errorf("store the vector: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit to shop %s: %w", shop, err)
	}
	return v, nil
}

// ChangesAfter implements Store.
func (s *SQLiteStore) ChangesAfter(ctx context.Context, shop string, v changes.Vector, maxChanges, maxBytes int) ([]changes.Change, error) {
	if maxChanges <= 0 {
		return nil, nil
	}
	sh, err := s.shop(ctx, shop)
	if err != nil {
		return nil, err
	}
	held, err := heads(ctx, sh.db)
	if err != nil {
		return nil, err
	}
	var out []changes.Change
	size := 0
	for _, origin := range held.Origins() {
		if held[origin] <= v[origin] {
			continue
		}
		full, err := appendAfter(ctx, sh.db, &out, &size, origin, v[origin], maxChanges, maxBytes)
		if err != nil || full {
			return out, err
		}
	}
	return out, nil
}

// appendAfter adds origin's changes above seq to out until the limits are
// reached, reporting whether they were.
func appendAfter(ctx context.Context, db *sql.DB, out *[]changes.Change, size *int, origin string, seq int64, maxChanges, maxBytes int) (full bool, err error) {
	rows, err := db.QueryContext(ctx, `SELECT seq, hlc, entity, entity_id, body, sig FROM changes
		WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?`, origin, seq, maxChanges-len(*out))
	if err != nil {
		return false, fmt.Errorf("read changes of %s: %w", origin, err)
	}
	defer rows.Close()
	for rows.Next() {
		c := changes.Change{Origin: origin}
		var body []byte
		if err := rows.Scan(&c.Seq, &c.HLC, &c.Entity, &c.EntityID, &body, &c.Sig); err != nil {
			return false, err
		}
		c.Body = json.RawMessage(body)
		n := wire.ChangeSize(c)
		if len(*out) > 0 && *size+n > maxBytes {
			return true, nil
		}
		*out = append(*out, c)
		*size += n
		if len(*out) >= maxChanges {
			return true, nil
		}
	}
	return false, rows.Err()
}

// RaiseSchema implements Store. Every session asks, and the schema is
// nearly always no newer: then it only reads. An UPDATE that changes no row
// still takes the write lock, and behind a busy shop's queue of appends it
// waited out the busy timeout and refused the session; a write that is
// needed queues with the appends.
func (s *SQLiteStore) RaiseSchema(ctx context.Context, shop string, schema int) (int, error) {
	sh, err := s.shop(ctx, shop)
	if err != nil {
		return 0, err
	}
	got, err := shopSchema(ctx, sh.db)
	if err != nil || got >= schema {
		return got, err
	}
	sh.appendMu.Lock()
	defer sh.appendMu.Unlock()
	if _, err := sh.db.ExecContext(ctx, `UPDATE shop SET schema = ?1 WHERE id = 1 AND schema < ?1`, schema); err != nil {
		return 0, fmt.Errorf("record the schema of shop %s: %w", shop, err)
	}
	return shopSchema(ctx, sh.db)
}

func shopSchema(ctx context.Context, db *sql.DB) (int, error) {
	var got int
	if err := db.QueryRowContext(ctx, `SELECT schema FROM shop WHERE id = 1`).Scan(&got); err != nil {
		return 0, fmt.Errorf("read the schema of the shop: %w", err)
	}
	return got, nil
}

// BindWriteKey implements Store. Like RaiseSchema, it only reads once
// the shop has its key, as every session but the first finds.
func (s *SQLiteStore) BindWriteKey(ctx context.Context, shop string, key []byte) ([]byte, error) {
	sh, err := s.shop(ctx, shop)
	if err != nil {
		return nil, err
	}
	bound, err := writeKey(ctx, sh.db, shop)
	if err != nil || bound != nil || key == nil {
		return bound, err
	}
	sh.appendMu.Lock()
	defer sh.appendMu.Unlock()
	if _, err := sh.db.ExecContext(ctx, `UPDATE shop SET write_key = ? WHERE id = 1 AND write_key IS NULL`, key); err != nil {
		return nil, fmt.Errorf("record the write key of shop %s: %w", shop, err)
	}
	return writeKey(ctx, sh.db, shop)
}

func writeKey(ctx context.Context, db *sql.DB, shop string) ([]byte, error) {
	var bound []byte
	if err := db.QueryRowContext(ctx, `SELECT write_key FROM shop WHERE id = 1`).Scan(&bound); err != nil {
		return nil, fmt.Errorf("read the write key of shop %s: %w", shop, err)
	}
	return bound, nil
}

// ResetWriteKey implements Store.
func (s *SQLiteStore) ResetWriteKey(ctx context.Context, shop string) error {
	sh, err := s.shop(ctx, shop)
	if err != nil {
		return err
	}
	// Device keys were vouched for by the write key: they go with it.
	tx, err := sh.db.BeginTx(ctx, nil)
	if err == nil {
		defer tx.Rollback()
		_, err = tx.ExecContext(ctx, `UPDATE shop SET write_key = NULL WHERE id = 1`)
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM device_keys`)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return fmt.Errorf("reset the write key of shop %s: %w", shop, err)
	}
	return nil
}

// KeyOf implements Store.
func (s *SQLiteStore) KeyOf(ctx context.Context, shop, origin string) ([]byte, error) {
	sh, err := s.shop(ctx, shop)
	if err != nil {
		return nil, err
	}
	var key []byte
	err = sh.db.QueryRowContext(ctx, `SELECT key FROM device_keys WHERE origin = ?`, origin).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the key of device %s of shop %s: %w", origin, shop, err)
	}
	return key, nil
}

// BindDeviceKey implements Store.
func (s *SQLiteStore) BindDeviceKey(ctx context.Context, shop, origin string, key []byte) ([]byte, error) {
	sh, err := s.shop(ctx, shop)
	if err != nil {
		return nil, err
	}
	var bound []byte
	err = sh.db.QueryRowContext(ctx, `INSERT INTO device_keys (origin, key) VALUES (?, ?)
		ON CONFLICT (origin) DO UPDATE SET key = key RETURNING key`, origin, key).Scan(&bound)
	if err != nil {
		return nil, fmt.Errorf("record the key of device %s of shop %s: %w", origin, shop, err)
	}
	return bound, nil
}
