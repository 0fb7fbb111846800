package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"microshop/domain"
	"microshop/sync/relay"
)

const tokenUsage = `Usage:
  microshop-relay token create --data DIR [--shop SHOP_ID] [--label TEXT]
  microshop-relay token list --data DIR
  microshop-relay token revoke --data DIR ID

Tokens let devices sync through the relay. Each is bound to one shop.
`

func token(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return domain.Errorf(domain.EInvalid, "token needs a subcommand: create, list or revoke.")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, tokenUsage)
		return nil
	case "create":
		return tokenCreate(ctx, args[1:], stdout)
	case "list":
		return tokenList(ctx, args[1:], stdout)
	case "revoke":
		return tokenRevoke(ctx, args[1:], stdout)
	}
	return domain.Errorf(domain.EInvalid, "Unknown token subcommand %q; expected create, list or revoke.", args[0])
}

func tokenCreate(ctx context.Context, args []string, stdout io.Writer) error {
	c := newCommand("token create", "--data DIR [--shop SHOP_ID] [--label TEXT]",
		"Makes a token and prints it on the last line. It is shown only this once: the relay keeps\n"+
			"only its hash. Without --shop the token is bound to the shop of the first device that\n"+
			"uses it, which must be a shop no other token of this relay is for.")
	data := c.flags.String("data", "", "`DIR` holding the relay's data (created if missing)")
	shop := c.flags.String("shop", "", "bind the token to `SHOP_ID` (as `microshopctl shop` prints it)")
	label := c.flags.String("label", "", "a note saying whose token it is, shown by token list")
	rest, done, err := c.parse(args, stdout)
	if done || err != nil {
		return err
	}
	if err := errors.Join(c.required("data"), noArgs(c, rest)); err != nil {
		return err
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return domain.Errorf(domain.EUnavailable, "Cannot create the data directory %s: %v.", *data, err)
	}
	db, err := relay.OpenTokenDB(ctx, relay.TokenDBPath(*data))
	if err != nil {
		return tokenDBError(*data, err)
	}
	defer db.Close()
	tok, text, err := db.Create(ctx, *shop, *label)
	if err != nil {
		return err
	}
	bound := "for shop " + tok.Shop
	if tok.Shop == "" {
		bound = "bound to the shop of the first device that uses it"
	}
	fmt.Fprintf(stdout, "Token %s created, %s. Keep it secret; it is shown only now:\n%s\n", tok.ID, bound, text)
	return nil
}

func tokenList(ctx context.Context, args []string, stdout io.Writer) error {
	c := newCommand("token list", "--data DIR",
		"Prints one line per token, fields separated by tabs: ID LABEL SHOP CREATED STATUS,\n"+
			"with \"-\" for an empty label or a shop not yet bound, and STATUS \"active\" or\n"+
			"\"revoked TIME\". Secrets are never shown: the relay does not have them.")
	data := c.flags.String("data", "", "`DIR` holding the relay's data")
	rest, done, err := c.parse(args, stdout)
	if done || err != nil {
		return err
	}
	if err := errors.Join(c.required("data"), noArgs(c, rest)); err != nil {
		return err
	}
	db, err := openExistingTokenDB(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	tokens, err := db.List(ctx)
	if err != nil {
		return err
	}
	for _, tok := range tokens {
		status := "active"
		if !tok.Revoked.IsZero() {
			status = "revoked " + tok.Revoked.Format(time.RFC3339)
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\t%s\n", tok.ID, dash(tok.Label), dash(tok.Shop), tok.Created.Format(time.RFC3339), status)
	}
	return nil
}

func tokenRevoke(ctx context.Context, args []string, stdout io.Writer) error {
	c := newCommand("token revoke", "--data DIR ID",
		"Revokes the token with ID (as token list prints it): devices using it are refused\n"+
			"from now on, and a running relay on the same --data ends their live sessions within\n"+
			"a few seconds.")
	data := c.flags.String("data", "", "`DIR` holding the relay's data")
	rest, done, err := c.parse(args, stdout)
	if done || err != nil {
		return err
	}
	if err := c.required("data"); err != nil {
		return err
	}
	if len(rest) != 1 {
		return domain.Errorf(domain.EInvalid, "token revoke needs exactly one token ID, but was given %d (%q); token list shows the ids.", len(rest), strings.Join(rest, " "))
	}
	db, err := openExistingTokenDB(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Revoke(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Token %s revoked.\n", rest[0])
	return nil
}

// openExistingTokenDB refuses to create an empty token database for a
// mistyped --data, which would list nothing and revoke nothing silently.
func openExistingTokenDB(ctx context.Context, dir string) (*relay.TokenDB, error) {
	path := relay.TokenDBPath(dir)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, domain.Errorf(domain.ENotFound, "There is no relay data in %s (no tokens.db); check --data, or create a token first.", dir)
	}
	db, err := relay.OpenTokenDB(ctx, path)
	if err != nil {
		return nil, tokenDBError(dir, err)
	}
	return db, nil
}

func tokenDBError(dir string, err error) error {
	return &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("Cannot open the token database in %s: %v.", dir, err), Err: err}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
