package relay

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"microshop/domain"
	"microshop/sync/wire"
)

// Authenticator decides whether a token may sync a shop.
type Authenticator interface {
	// Authenticate checks token for shop and returns the shop the session
	// is for: the token's shop, which shop must equal unless it is empty
	// (a device joining the shop the token is for). Refusals are wire
	// errors: CodeUnauthorized or CodeWrongShop.
	Authenticate(ctx context.Context, token, shop string) (string, error)
}

// Token is what the relay knows about a token: never the secret itself.
type Token struct {
	ID      string
	Label   string
	Shop    string    // "" until the first device that uses it binds it
	Created time.Time // UTC
	Revoked time.Time // zero while the token is valid
}

// A token reads "mst_" + 16 hex id + "_" + 64 hex secret: the id finds the
// row without a secret-dependent lookup, 256 random bits make it unguessable,
// and the prefix lets secret scanners spot a leaked one.
const (
	tokenPrefix    = wire.TokenPrefix
	tokenIDBytes   = 8
	tokenSecretLen = 32
)

// TokenDB keeps tokens in a small SQLite database, as SHA-256 hashes. The
// relay and the token commands may have it open at once.
type TokenDB struct {
	db  *sql.DB
	now func() time.Time
}

// OpenTokenDB opens (creating) the token database at path.
func OpenTokenDB(ctx context.Context, path string) (*TokenDB, error) {
	db, err := openSQLite(ctx, path, "tokens")
	if err != nil {
		return nil, err
	}
	return &TokenDB{db: db, now: time.Now}, nil
}

// Close closes the database.
func (t *TokenDB) Close() error { return t.db.Close() }

// Create makes a token for shop ("" binds it on first use) and returns it
// with the token text, which is shown once and never stored.
func (t *TokenDB) Create(ctx context.Context, shop, label string) (Token, string, error) {
	tok, text, hash, err := mintToken(shop, label, t.now())
	if err != nil {
		return Token{}, "", err
	}
	if _, err := t.db.ExecContext(ctx, `INSERT INTO tokens (id, hash, label, shop, created) VALUES (?, ?, ?, ?, ?)`,
		tok.ID, hash, label, nullable(shop), tok.Created.Format(time.RFC3339)); err != nil {
		return Token{}, "", fmt.Errorf("store the token: %w", err)
	}
	return tok, text, nil
}

// mintToken checks a new token's shop and label and makes it: what is
// stored, the text shown once, and the hash kept of it.
func mintToken(shop, label string, now time.Time) (Token, string, []byte, error) {
	if shop != "" && !wire.ValidShopID(shop) {
		return Token{}, "", nil, domain.Errorf(domain.EInvalid,
			"the shop id %q is not valid; expected up to 64 lower-case letters, digits, '-' or '_' (a shop id as `microshopctl shop` prints it)", shop)
	}
	if len(label) > 200 || strings.IndexFunc(label, unicode.IsControl) >= 0 {
		return Token{}, "", nil, domain.Errorf(domain.EInvalid,
			"the label %q is not accepted; expected up to 200 characters on one line", label)
	}
	id := make([]byte, tokenIDBytes)
	secret := make([]byte, tokenSecretLen)
	rand.Read(id) // crypto/rand never fails: it crashes the program instead
	rand.Read(secret)
	tok := Token{ID: hex.EncodeToString(id), Label: label, Shop: shop, Created: now.UTC().Truncate(time.Second)}
	text := tokenPrefix + tok.ID + "_" + hex.EncodeToString(secret)
	hash := sha256.Sum256([]byte(text))
	return tok, text, hash[:], nil
}

// List returns every token in the order they were made.
func (t *TokenDB) List(ctx context.Context) ([]Token, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT id, label, coalesce(shop, ''), created, coalesce(revoked, '') FROM tokens ORDER BY rowid`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var tok Token
		var created, revoked string
		if err := rows.Scan(&tok.ID, &tok.Label, &tok.Shop, &created, &revoked); err != nil {
			return nil, err
		}
		tok.Created, _ = time.Parse(time.RFC3339, created)
		if revoked != "" {
			tok.Revoked, _ = time.Parse(time.RFC3339, revoked)
		}
		out = append(out, tok)
	}
	return out, rows.Err()
}

// Revoke makes the token with id useless from now on: new sessions are
// refused, and a relay with the database open closes the live ones within a
// second or two (it polls Revocations). Revoking a revoked token changes
// nothing.
func (t *TokenDB) Revoke(ctx context.Context, id string) error {
	res, err := t.db.ExecContext(ctx, `UPDATE tokens SET revoked = coalesce(revoked, ?) WHERE id = ?`,
		t.now().UTC().Format(time.RFC3339), id)
	if err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENotFound, "there is no token with the id %q; `microshop-relay token list` shows the ids", id)
	}
	return nil
}

// Authenticate implements Authenticator. A token not yet bound binds to
// shop, but only to a shop no other token is for: otherwise anyone handed a
// fresh token could claim an existing shop by its id and read it.
func (t *TokenDB) Authenticate(ctx context.Context, token, shop string) (string, error) {
	if token == "" {
		return "", wire.Errorf(wire.CodeUnauthorized, "No token was given; ask the relay's owner for one.")
	}
	id, presented, ok := parseToken(token)
	if !ok {
		return "", errUnknownToken
	}

	// The id is no secret (token list shows it), so finding the row by it
	// leaks nothing; the secret part is only ever compared as a hash, in
	// constant time.
	hash, bound, revoked, err := t.lookup(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errUnknownToken
	}
	if err != nil {
		return "", err
	}
	if err := checkToken(id, hash, presented, revoked); err != nil {
		return "", err
	}
	if bound == "" && shop != "" {
		// One statement, so two devices racing to bind see one winner.
		res, err := t.db.ExecContext(ctx, `UPDATE tokens SET shop = ?1 WHERE id = ?2 AND shop IS NULL
			AND NOT EXISTS (SELECT 1 FROM tokens WHERE shop = ?1)`, shop, id)
		if err != nil {
			return "", fmt.Errorf("bind token %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return shop, nil
		}
		if _, bound, _, err = t.lookup(ctx, id); err != nil {
			return "", err
		}
		if bound == "" {
			return "", errShopTaken(shop)
		}
	}
	return boundShop(id, shop, bound)
}

// boundShop is the shop a token bound to bound opens when shop is asked for.
func boundShop(id, shop, bound string) (string, error) {
	switch {
	case bound == "":
		return "", wire.Errorf(wire.CodeWrongShop, "The token %s is not bound to a shop yet, so it cannot join one; sync first from a device that holds the shop, or make the token with --shop.", id)
	case shop != "" && shop != bound:
		return "", wire.Errorf(wire.CodeWrongShop, "The token %s is for another shop than %s; use a token made for this shop.", id, shop)
	}
	return bound, nil
}

// errShopTaken refuses to bind a fresh token to a shop another token is
// for, made with --shop or bound by use: it need not have synced yet.
func errShopTaken(shop string) error {
	return wire.Errorf(wire.CodeWrongShop, "The shop %s has a token on this relay already, and a token made without --shop cannot be used for it; ask the relay's owner for one made with --shop %s.", shop, shop)
}

var errUnknownToken = wire.Errorf(wire.CodeUnauthorized, "The token is not one this relay accepts; check it was copied whole, or ask the relay's owner for a new one.")

// TokenID is the id of a whole token (mst_ID_SECRET), and whether text is
// one: an owner revoking a token that leaked holds the token, not its id.
func TokenID(text string) (string, bool) {
	id, _, ok := parseToken(text)
	return id, ok
}

// parseToken splits a presented token into its id and the hash to compare.
func parseToken(token string) (id string, hash []byte, ok bool) {
	if !wire.ValidToken(token) {
		return "", nil, false
	}
	sum := sha256.Sum256([]byte(token))
	return token[len(tokenPrefix) : len(tokenPrefix)+2*tokenIDBytes], sum[:], true
}

// checkToken compares the stored hash with the presented one in constant
// time, and refuses a revoked token.
func checkToken(id string, stored, presented []byte, revoked string) error {
	if subtle.ConstantTimeCompare(stored, presented) != 1 {
		return errUnknownToken
	}
	if revoked != "" {
		return wire.Errorf(wire.CodeUnauthorized, "The token %s was revoked on %s; ask the relay's owner for a new one.", id, revokedAt(revoked))
	}
	return nil
}

// revokedAt words a revocation time (RFC 3339, as stored) as the app words
// times on screen, in UTC since the relay does not know the maker's zone:
// "2026-12-07T04:56:30Z" reached the maker as it was stored.
func revokedAt(stored string) string {
	at, err := time.Parse(time.RFC3339, stored)
	if err != nil {
		return stored
	}
	return at.UTC().Format("2 Jan 2006 15:04") + " UTC"
}

func (t *TokenDB) lookup(ctx context.Context, id string) (hash []byte, shop, revoked string, err error) {
	err = t.db.QueryRowContext(ctx, `SELECT hash, coalesce(shop, ''), coalesce(revoked, '') FROM tokens WHERE id = ?`, id).
		Scan(&hash, &shop, &revoked)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		err = fmt.Errorf("check token %s: %w", id, err)
	}
	return hash, shop, revoked, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Revocations implements Revocations: the number of revoked tokens, which
// only grows, as tokens are revoked and never deleted. It is one count over
// a small table, and sees revocations made by other processes.
func (t *TokenDB) Revocations(ctx context.Context) (int64, error) {
	var n int64
	if err := t.db.QueryRowContext(ctx, `SELECT count(*) FROM tokens WHERE revoked IS NOT NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count revoked tokens: %w", err)
	}
	return n, nil
}
