package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"golang.org/x/term"

	"microshop/domain"
	"microshop/sync/relay"
)

const tokenUsage = `Usage:
  microshop-relay token create (--data DIR | --store URL) [--shop SHOP_ID] [--label TEXT]
  microshop-relay token list (--data DIR | --store URL)
  microshop-relay token revoke (--data DIR | --store URL) ID

Tokens let devices sync through the relay. Each is bound to one shop.
`

func token(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return domain.Errorf(domain.EInvalid, "token needs a subcommand: create, list or revoke")
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
	return domain.Errorf(domain.EInvalid, "unknown token subcommand %q; expected create, list or revoke", args[0])
}

func tokenCreate(ctx context.Context, args []string, stdout io.Writer) error {
	c := newCommand("token create", "(--data DIR | --store URL) [--shop SHOP_ID] [--label TEXT]",
		"Makes a token and prints it on the last line. It is shown only this once: the relay keeps\n"+
			"only its hash. Without --shop the token is bound to the shop of the first device that\n"+
			"uses it, which must be a shop no other token of this relay is for.")
	data := c.flags.String("data", "", "`DIR` holding the relay's data (created if missing)")
	store := c.flags.String("store", "", "the relay's PostgreSQL database `URL` (postgres://...), instead of --data")
	shop := c.flags.String("shop", "", "bind the token to `SHOP_ID` (as `microshopctl shop` prints it)")
	label := c.flags.String("label", "", "a note saying whose token it is, shown by token list")
	rest, done, err := c.parse(args, stdout)
	if done || err != nil {
		return err
	}
	if err := errors.Join(dataOrStore(c.name, *data, *store), noArgs(c, rest), shopIDFlag(c, *shop)); err != nil {
		return err
	}
	db, err := openTokens(ctx, *data, *store, true)
	if err != nil {
		return err
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
	c := newCommand("token list", "(--data DIR | --store URL)",
		"Prints one line per token, fields separated by tabs: ID LABEL SHOP CREATED STATUS,\n"+
			"with \"-\" for an empty label or a shop not yet bound, and STATUS \"active\" or\n"+
			"\"revoked TIME\". On a terminal, a header names the columns and they line up.\n"+
			"Secrets are never shown: the relay does not have them.")
	data := c.flags.String("data", "", "`DIR` holding the relay's data")
	store := c.flags.String("store", "", "the relay's PostgreSQL database `URL` (postgres://...), instead of --data")
	rest, done, err := c.parse(args, stdout)
	if done || err != nil {
		return err
	}
	if err := errors.Join(dataOrStore(c.name, *data, *store), noArgs(c, rest)); err != nil {
		return err
	}
	db, err := openTokens(ctx, *data, *store, false)
	if err != nil {
		return err
	}
	defer db.Close()
	tokens, err := db.List(ctx)
	if err != nil {
		return err
	}
	return printTokens(stdout, tokens)
}

// printTokens prints one line per token, its fields separated by tabs, as
// CLI.md promises scripts. On a terminal, where a person reads them as
// the other lists, a header names the columns and the columns line up.
func printTokens(stdout io.Writer, tokens []relay.Token) error {
	onTerminal := isTerminal(stdout)
	if onTerminal && len(tokens) == 0 {
		_, err := fmt.Fprintln(stdout, "No tokens yet; make one with `microshop-relay token create`.")
		return err
	}
	w := stdout
	var tw *tabwriter.Writer
	if onTerminal {
		tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		w = tw
		fmt.Fprintln(w, "ID\tLABEL\tSHOP\tCREATED\tSTATUS")
	}
	for _, tok := range tokens {
		status := "active"
		if !tok.Revoked.IsZero() {
			status = "revoked " + tok.Revoked.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", tok.ID, dash(tok.Label), dash(tok.Shop), tok.Created.Format(time.RFC3339), status)
	}
	if tw != nil {
		return tw.Flush()
	}
	return nil
}

// isTerminal tells whether w is a terminal a person reads; a variable so
// tests can be one.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func tokenRevoke(ctx context.Context, args []string, stdout io.Writer) error {
	c := newCommand("token revoke", "(--data DIR | --store URL) ID",
		"Revokes the token with ID (as token list prints it), or the whole token given: devices\n"+
			"using it are refused from now on, and every running relay on the same --data or\n"+
			"--store ends their live sessions within a few seconds.")
	data := c.flags.String("data", "", "`DIR` holding the relay's data")
	store := c.flags.String("store", "", "the relay's PostgreSQL database `URL` (postgres://...), instead of --data")
	rest, done, err := c.parse(args, stdout)
	if done || err != nil {
		return err
	}
	if err := dataOrStore(c.name, *data, *store); err != nil {
		return err
	}
	if len(rest) != 1 {
		return domain.Errorf(domain.EInvalid, "token revoke needs exactly one token ID, but was given %d (%q); token list shows the ids", len(rest), strings.Join(rest, " "))
	}
	id := rest[0]
	if whole, ok := relay.TokenID(id); ok {
		id = whole
	}
	db, err := openTokens(ctx, *data, *store, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if when := revokedAt(ctx, db, id); !when.IsZero() {
		fmt.Fprintf(stdout, "Token %s was revoked already, on %s; nothing changed.\n", id, when.Format(time.DateOnly))
		return nil
	}
	if err := db.Revoke(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Token %s revoked.\n", id)
	return nil
}

// revokedAt is when the token with id was revoked, zero if it was not (or
// cannot be told: Revoke then says why).
func revokedAt(ctx context.Context, db tokenStore, id string) time.Time {
	tokens, err := db.List(ctx)
	if err != nil {
		return time.Time{}
	}
	for _, t := range tokens {
		if t.ID == id {
			return t.Revoked
		}
	}
	return time.Time{}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// shopIDFlag checks --shop, when given, is a shop id as the app makes
// them: a token for a mistyped id would never be used, and say nothing.
func shopIDFlag(c *command, shop string) error {
	given := false
	c.flags.Visit(func(f *flag.Flag) { given = given || f.Name == "shop" })
	if !given {
		return nil
	}
	if id, err := uuid.Parse(shop); err != nil || id.String() != shop {
		return domain.Errorf(domain.EInvalid, "the shop id %q is not one; expected the id `microshopctl shop` prints, like 0190a1b2-aaaa-7000-8000-000000000001 (leave --shop out to bind the token to the first shop that uses it)", shop)
	}
	return nil
}
