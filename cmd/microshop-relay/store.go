package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"

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
	case store != "" && !parses(store):
		// Not quoted: it may hold a password.
		return domain.Errorf(domain.EInvalid, "--store cannot be read as a URL (a bracket, @, : or / out of place, or a port that is not a number); write it as postgres://relay@db.example:5432/microshop")
	}
	return nil
}

// parses says whether s reads as a URL.
func parses(s string) bool {
	_, err := url.Parse(s)
	return err == nil
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
	if err := checkDataDir(data, create); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); !create && errors.Is(err, fs.ErrNotExist) {
		return nil, domain.Errorf(domain.ENotFound, "there is no relay data in %s (no tokens.db); check --data, or create a token first", data)
	}
	db, err := relay.OpenTokenDB(ctx, path)
	if err != nil {
		return nil, &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot open the token database in %s: %v", data, err), Err: err}
	}
	return db, nil
}

// checkDataDir says in a sentence why --data cannot hold the relay's data
// (a file where its folder should be, or a folder that cannot be made),
// and makes the folder when create is set. The system's own words
// ("mkdir relay: not a directory") named neither what to do nor which
// path was the file.
func checkDataDir(data string, create bool) error {
	fi, err := os.Stat(data)
	switch {
	case err == nil && !fi.IsDir():
		return domain.Errorf(domain.EInvalid, "--data %s is a file, not a folder; give the folder for the relay's data (it is created if missing)", data)
	case err == nil:
		return nil
	case errors.Is(err, syscall.ENOTDIR):
		return domain.Errorf(domain.EInvalid, "--data %s is inside %s, a file, not a folder; give a folder for the relay's data", data, fileAbove(data))
	case !errors.Is(err, fs.ErrNotExist):
		return domain.Errorf(domain.EUnavailable, "cannot reach the relay's data folder %s: %s", data, systemReason(err))
	case !create:
		return nil
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return domain.Errorf(domain.EUnavailable, "cannot create the relay's data folder %s: %s; give a folder this user may write in", data, systemReason(err))
	}
	return nil
}

// fileAbove is the nearest path above p that exists: the file that stands
// where a folder of p should be.
func fileAbove(p string) string {
	for dir := filepath.Dir(p); ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(dir); err == nil || dir == filepath.Dir(dir) {
			return dir
		}
	}
}

// systemReason is the system's reason for a failed file operation, without
// the operation and path Go puts before it ("permission denied", not
// "mkdir /srv/relay: permission denied").
func systemReason(err error) string {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
