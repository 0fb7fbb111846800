package relay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/wire"
)

// PGStore keeps every shop's change log and the relay's tokens in one
// PostgreSQL database, so several relay processes can serve the same shops:
// it is a Store, an Authenticator with Revocations, and a Broadcaster
// that tells each process what the others appended.
type PGStore struct {
	pool     *pgxpool.Pool
	url      string
	instance string // this process's name in notifications, to skip its own
	now      func() time.Time
}

// pgOpTimeout bounds one store operation, so a database that stopped
// answering turns into an unavailable error instead of a hung session.
const pgOpTimeout = 15 * time.Second

// OpenPGStore connects to the database at url (postgres://...) and applies
// the relay's migrations. Relays starting together migrate one at a time.
func OpenPGStore(ctx context.Context, url string) (*PGStore, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("the store address is not a PostgreSQL URL (postgres://USER@HOST:PORT/DB): %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgx's default is the number of CPUs, too few for the sessions'
		// short queries; the URL's pool_max_conns overrides this.
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	id := make([]byte, 8)
	rand.Read(id)
	s := &PGStore{pool: pool, url: url, instance: hex.EncodeToString(id), now: time.Now}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		if de := (*domain.Error)(nil); errors.As(err, &de) && de.Code == wire.CodeUnavailable {
			// What devices are told ("sync again in a moment") is not for
			// whoever starts the relay: the database's own words are.
			return nil, &UnreachableStoreError{Reason: oneLine(rootCause(de.Err)), Err: de.Err}
		}
		return nil, fmt.Errorf("set up the relay's tables: %s", oneLine(err))
	}
	return s, nil
}

// UnreachableStoreError is OpenPGStore's error when PostgreSQL cannot be
// reached; Reason is the cause in a few words, like "connection refused".
type UnreachableStoreError struct {
	Reason string
	Err    error
}

func (e *UnreachableStoreError) Error() string { return "cannot reach PostgreSQL: " + e.Reason }
func (e *UnreachableStoreError) Unwrap() error { return e.Err }

// rootCause is the error at the bottom of err's chain: "connection
// refused" rather than pgx's account of each address it tried.
// pgx tries each address of a host and joins their errors: the first says
// what the others do.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if joined, ok := err.(interface{ Unwrap() []error }); ok && len(joined.Unwrap()) > 0 {
			next = joined.Unwrap()[0]
		}
		if next == nil {
			return err
		}
		err = next
	}
}

// oneLine is err's text on one line: pgx lists each address it tried on a
// line of its own.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}

// Close closes the connections.
func (s *PGStore) Close() error {
	s.pool.Close()
	return nil
}

// pgMigrationLock is the advisory lock relays hold while migrating.
const pgMigrationLock = 0x6d73686f70 // "mshop"

func (s *PGStore) migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return unavailable(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, pgMigrationLock); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, pgMigrationLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS relay_migrations (
		name TEXT PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	entries, err := fs.ReadDir(migrations, "migrations/postgres")
	if err != nil {
		return err
	}
	for _, e := range entries { // ReadDir sorts by name
		if err := pgMigrateOne(ctx, conn.Conn(), e.Name()); err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
	}
	return nil
}

func pgMigrateOne(ctx context.Context, conn *pgx.Conn, name string) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM relay_migrations WHERE name = $1`, name).Scan(&n); err != nil || n > 0 {
		return err
	}
	script, err := migrations.ReadFile("migrations/postgres/" + name)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, string(script)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO relay_migrations (name) VALUES ($1)`, name); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (s *PGStore) op(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, pgOpTimeout)
}

// again runs do, and once more when it lost its connection: an outage
// breaks every connection the pool holds, and the first use of each fails
// even once the database is back (the pool checks only connections idle
// for over a second). Reset drops them all, so the second try takes a new
// one. Only for what is safe to repeat: a read, or a write that skips what
// it finds done.
func (s *PGStore) again(ctx context.Context, do func() error) error {
	err := do()
	if err != nil && ctx.Err() == nil && !errors.Is(err, pgx.ErrNoRows) && !isTyped(err) && pgUnreachable(err) {
		s.pool.Reset()
		err = do()
	}
	return err
}

// Vector implements Store.
func (s *PGStore) Vector(ctx context.Context, shop string) (changes.Vector, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var v changes.Vector
	err := s.again(ctx, func() (err error) {
		v, err = pgHeads(ctx, s.pool, shop)
		return err
	})
	if err != nil {
		return nil, storeError(ctx, "read the vector of shop "+shop, err)
	}
	return v, nil
}

// pgQueryer is what a pool and a transaction share.
type pgQueryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func pgHeads(ctx context.Context, q pgQueryer, shop string) (changes.Vector, error) {
	rows, err := q.Query(ctx, `SELECT origin, seq FROM relay_heads WHERE shop = $1`, shop)
	if err != nil {
		return nil, err
	}
	v := changes.Vector{}
	var origin string
	var seq int64
	_, err = pgx.ForEachRow(rows, []any{&origin, &seq}, func() error {
		v[origin] = seq
		return nil
	})
	return v, err
}

// Append implements Store. The shop's row is locked first, so two relays
// given the same device's batch at once (a device that reconnected to
// another relay mid-sync) commit one after the other: the second finds the
// changes held and skips them, never storing one twice or leaving a gap.
func (s *PGStore) Append(ctx context.Context, shop string, batch []changes.Change) (changes.Vector, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var v changes.Vector
	// Repeated, a batch whose first commit did go through is found held.
	err := s.again(ctx, func() error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			var err error
			v, err = s.appendTx(ctx, tx, shop, batch)
			return err
		})
	})
	if err != nil {
		return nil, storeError(ctx, "append to shop "+shop, err)
	}
	return v, nil
}

func (s *PGStore) appendTx(ctx context.Context, tx pgx.Tx, shop string, batch []changes.Change) (changes.Vector, error) {
	if _, err := tx.Exec(ctx, `INSERT INTO relay_shops (shop) VALUES ($1) ON CONFLICT (shop) DO NOTHING`, shop); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM relay_shops WHERE shop = $1 FOR UPDATE`, shop); err != nil {
		return nil, err
	}
	v, err := pgHeads(ctx, tx, shop)
	if err != nil {
		return nil, err
	}
	var cols pgChangeColumns
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
		cols.add(c)
		v[c.Origin] = c.Seq
	}
	if len(cols.origin) == 0 {
		return v, nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO relay_changes (shop, origin, seq, hlc, entity, entity_id, body, sig)
		SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::text[])`,
		shop, cols.origin, cols.seq, cols.hlc, cols.entity, cols.entityID, cols.body, cols.sig); err != nil {
		return nil, err
	}
	origins, seqs := cols.moved(v)
	if _, err := tx.Exec(ctx, `INSERT INTO relay_heads (shop, origin, seq)
		SELECT $1, * FROM unnest($2::text[], $3::bigint[])
		ON CONFLICT (shop, origin) DO UPDATE SET seq = excluded.seq`, shop, origins, seqs); err != nil {
		return nil, err
	}
	// Delivered to every listening relay when the transaction commits, and
	// only then: no relay is woken for a change it cannot read yet.
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, pgChannel, s.instance+" "+shop); err != nil {
		return nil, err
	}
	return v, nil
}

// pgChangeColumns is a batch as columns, inserted in one statement.
type pgChangeColumns struct {
	origin, hlc, entity, entityID, sig []string
	seq                                []int64
	body                               [][]byte
}

func (c *pgChangeColumns) add(ch changes.Change) {
	c.origin = append(c.origin, ch.Origin)
	c.seq = append(c.seq, ch.Seq)
	c.hlc = append(c.hlc, ch.HLC)
	c.entity = append(c.entity, ch.Entity)
	c.entityID = append(c.entityID, ch.EntityID)
	c.body = append(c.body, []byte(ch.Body))
	c.sig = append(c.sig, ch.Sig)
}

// moved lists the origins the batch added to, with their new heads in v.
func (c *pgChangeColumns) moved(v changes.Vector) ([]string, []int64) {
	origins := slices.Compact(slices.Sorted(slices.Values(c.origin)))
	seqs := make([]int64, len(origins))
	for i, o := range origins {
		seqs[i] = v[o]
	}
	return origins, seqs
}

// ChangesAfter implements Store.
func (s *PGStore) ChangesAfter(ctx context.Context, shop string, v changes.Vector, maxChanges, maxBytes int) ([]changes.Change, error) {
	if maxChanges <= 0 {
		return nil, nil
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	var out []changes.Change
	err := s.again(ctx, func() error {
		held, err := pgHeads(ctx, s.pool, shop)
		if err != nil {
			return err
		}
		out = nil
		size := 0
		for _, origin := range held.Origins() {
			if held[origin] <= v[origin] {
				continue
			}
			full, err := s.appendAfter(ctx, &out, &size, shop, origin, v[origin], maxChanges, maxBytes)
			if err != nil || full {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, storeError(ctx, "read shop "+shop, err)
	}
	return out, nil
}

func (s *PGStore) appendAfter(ctx context.Context, out *[]changes.Change, size *int, shop, origin string, seq int64, maxChanges, maxBytes int) (full bool, err error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, hlc, entity, entity_id, body, sig FROM relay_changes
		WHERE shop = $1 AND origin = $2 AND seq > $3 ORDER BY seq LIMIT $4`, shop, origin, seq, maxChanges-len(*out))
	if err != nil {
		return false, err
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

// RaiseSchema implements Store.
func (s *PGStore) RaiseSchema(ctx context.Context, shop string, schema int) (int, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var got int
	err := s.pool.QueryRow(ctx, `INSERT INTO relay_shops (shop, schema) VALUES ($1, $2)
		ON CONFLICT (shop) DO UPDATE SET schema = greatest(relay_shops.schema, excluded.schema)
		RETURNING schema`, shop, schema).Scan(&got)
	if err != nil {
		return 0, storeError(ctx, "record the schema of shop "+shop, err)
	}
	return got, nil
}

// ResetWriteKey implements Store.
func (s *PGStore) ResetWriteKey(ctx context.Context, shop string) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	// Device keys were vouched for by the write key: they go with it.
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE relay_shops SET write_key = NULL WHERE shop = $1`, shop); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM relay_device_keys WHERE shop = $1`, shop)
		return err
	})
	if err != nil {
		return storeError(ctx, "reset the write key of shop "+shop, err)
	}
	return nil
}

// KeyOf implements Store.
func (s *PGStore) KeyOf(ctx context.Context, shop, origin string) ([]byte, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var key []byte
	err := s.again(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT key FROM relay_device_keys WHERE shop = $1 AND origin = $2`, shop, origin).Scan(&key)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, storeError(ctx, "read the key of device "+origin+" of shop "+shop, err)
	}
	return key, nil
}

// BindDeviceKey implements Store.
func (s *PGStore) BindDeviceKey(ctx context.Context, shop, origin string, key []byte) ([]byte, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var bound []byte
	err := s.pool.QueryRow(ctx, `INSERT INTO relay_device_keys (shop, origin, key) VALUES ($1, $2, $3)
		ON CONFLICT (shop, origin) DO UPDATE SET key = relay_device_keys.key RETURNING key`, shop, origin, key).Scan(&bound)
	if err != nil {
		return nil, storeError(ctx, "record the key of device "+origin+" of shop "+shop, err)
	}
	return bound, nil
}

// BindWriteKey implements Store.
func (s *PGStore) BindWriteKey(ctx context.Context, shop string, key []byte) ([]byte, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var bound []byte
	err := s.pool.QueryRow(ctx, `INSERT INTO relay_shops (shop, write_key) VALUES ($1, $2)
		ON CONFLICT (shop) DO UPDATE SET write_key = coalesce(relay_shops.write_key, excluded.write_key)
		RETURNING write_key`, shop, key).Scan(&bound)
	if err != nil {
		return nil, storeError(ctx, "record the write key of shop "+shop, err)
	}
	return bound, nil
}

// storeError keeps the store's typed refusals and reports the database
// being unreachable as unavailable, so devices retry later.
func storeError(ctx context.Context, what string, err error) error {
	if isTyped(err) {
		return err
	}
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return err // the caller gave up: shutting down
	}
	if pgUnreachable(err) {
		return unavailable(err)
	}
	return fmt.Errorf("%s: %w", what, err)
}
