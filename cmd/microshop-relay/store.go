package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"

	"microshop/domain"
	"microshop/sync/relay"
)

// dataOrStore checks that --data or --store was given, and that --store
// looks like a PostgreSQL address. With --store, --data is optional and
// unused (CLI.md): everything is in the database.
func dataOrStore(cmd, data, store string) error {
	switch {
	case data == "" && store == "":
		return domain.Errorf(domain.EInvalid, "%s needs --data DIR (SQLite) or --store postgres://... (PostgreSQL); run \"microshop-relay %s -h\" for the flags", cmd, cmd)
	case store != "" && !strings.HasPrefix(store, "postgres://") && !strings.HasPrefix(store, "postgresql://"):
		return domain.Errorf(domain.EInvalid, "--store %q is not accepted; expected a PostgreSQL URL such as postgres://relay@db.example:5432/microshop", redactURL(store))
	}
	return nil
}

// redactURL hides a password in a store address shown in messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(an address that is not a URL)"
	}
	return u.Redacted()
}

// tokenStore is where the token commands find the tokens: TokenDB in
// --data, or the PostgreSQL store.
type tokenStore interface {
	Create(ctx context.Context, shop, label string) (relay.Token, string, error)
	List(ctx context.Context) ([]relay.Token, error)
	Revoke(ctx context.Context, id string) error
	Close() error
}

// openTokens opens the tokens of --store or --data. create says whether
// a missing SQLite token database may be made; otherwise a mistyped --data
// is refused rather than listing or revoking nothing silently.
func openTokens(ctx context.Context, data, store string, create bool) (tokenStore, error) {
	if store != "" {
		s, err := relay.OpenPGStore(ctx, store)
		if err != nil {
			return nil, &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot open the relay's PostgreSQL store at %s: %v", redactURL(store), err), Err: err}
		}
		return s, nil
	}
	path := relay.TokenDBPath(data)
	if create {
		if err := os.MkdirAll(data, 0o700); err != nil {
			return nil, domain.Errorf(domain.EUnavailable, "cannot create the data directory %s: %v", data, err)
		}
	} else if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, domain.Errorf(domain.ENotFound, "there is no relay data in %s (no tokens.db); check --data, or create a token first", data)
	}
	db, err := relay.OpenTokenDB(ctx, path)
	if err != nil {
		return nil, &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot open the token database in %s: %v", data, err), Err: err}
	}
	return db, nil
}
