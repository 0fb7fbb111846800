package relay

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"microshop/domain"
	"microshop/sync/wire"
)

// The PGStore's tokens behave as TokenDB's; only the storage differs.

// Create makes a token for shop ("" binds it on first use) and returns it
// with the token text, which is shown once and never stored.
func (s *PGStore) Create(ctx context.Context, shop, label string) (Token, string, error) {
	tok, text, hash, err := mintToken(shop, label, s.now())
	if err != nil {
		return Token{}, "", err
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO relay_tokens (id, hash, label, shop, created) VALUES ($1, $2, $3, $4, $5)`,
		tok.ID, hash, label, nullable(shop), tok.Created); err != nil {
		return Token{}, "", storeError(ctx, "store the token", err)
	}
	return tok, text, nil
}

// List returns every token in the order they were made.
func (s *PGStore) List(ctx context.Context) ([]Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, label, coalesce(shop, ''), created, revoked FROM relay_tokens ORDER BY made`)
	if err != nil {
		return nil, storeError(ctx, "list tokens", err)
	}
	var out []Token
	var tok Token
	var revoked *time.Time
	_, err = pgx.ForEachRow(rows, []any{&tok.ID, &tok.Label, &tok.Shop, &tok.Created, &revoked}, func() error {
		t := tok
		t.Created = t.Created.UTC()
		if revoked != nil {
			t.Revoked = revoked.UTC()
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, storeError(ctx, "list tokens", err)
	}
	return out, nil
}

// Revoke makes the token with id useless from now on, on every relay of
// the database: new sessions are refused, and each relay closes the live
// ones within a second or two (it polls Revocations). Revoking a revoked
// token changes nothing.
func (s *PGStore) Revoke(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE relay_tokens SET revoked = coalesce(revoked, $1) WHERE id = $2`,
		s.now().UTC().Truncate(time.Second), id)
	if err != nil {
		return storeError(ctx, "revoke token "+id, err)
	}
	if tag.RowsAffected() == 0 {
		return domain.Errorf(domain.ENotFound, "there is no token with the id %q; `microshop-relay token list` shows the ids", id)
	}
	return nil
}

// Authenticate implements Authenticator, as TokenDB.Authenticate does.
func (s *PGStore) Authenticate(ctx context.Context, token, shop string) (string, error) {
	if token == "" {
		return "", wire.Errorf(wire.CodeUnauthorized, "No token was given; ask the relay's owner for one.")
	}
	id, presented, ok := parseToken(token)
	if !ok {
		return "", errUnknownToken
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	hash, bound, revoked, err := s.lookup(ctx, s.pool, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", errUnknownToken
	}
	if err != nil {
		return "", storeError(ctx, "check token "+id, err)
	}
	if err := checkToken(id, hash, presented, revoked); err != nil {
		return "", err
	}
	if bound == "" && shop != "" {
		if bound, err = s.bind(ctx, id, shop); err != nil {
			return "", storeError(ctx, "bind token "+id, err)
		}
		if bound == "" {
			return "", errShopTaken(shop)
		}
	}
	return boundShop(id, shop, bound)
}

// bind binds the token id to shop unless another token is for shop, and
// returns the token's shop after. The shop's advisory lock makes two
// devices racing to bind two fresh tokens to one shop see one winner.
func (s *PGStore) bind(ctx context.Context, id, shop string) (bound string, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('relay token ' || $1))`, shop); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE relay_tokens SET shop = $1 WHERE id = $2 AND shop IS NULL
			AND NOT EXISTS (SELECT 1 FROM relay_tokens WHERE shop = $1)`, shop, id); err != nil {
			return err
		}
		_, bound, _, err = s.lookup(ctx, tx, id)
		return err
	})
	return bound, err
}

type pgRowQueryer interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (s *PGStore) lookup(ctx context.Context, q pgRowQueryer, id string) (hash []byte, shop, revoked string, err error) {
	var at *time.Time
	err = q.QueryRow(ctx, `SELECT hash, coalesce(shop, ''), revoked FROM relay_tokens WHERE id = $1`, id).Scan(&hash, &shop, &at)
	if at != nil {
		revoked = at.UTC().Format(time.RFC3339)
	}
	return hash, shop, revoked, err
}

// Revocations implements Revocations: the number of revoked tokens, which
// only grows. Every relay polls it, so a token revoked through any of them
// (or `token revoke --store`) ends its sessions on all within seconds.
func (s *PGStore) Revocations(ctx context.Context) (int64, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM relay_tokens WHERE revoked IS NOT NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count revoked tokens: %w", err)
	}
	return n, nil
}
