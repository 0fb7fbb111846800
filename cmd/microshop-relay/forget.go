package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"

	"microshop/domain"
	"microshop/sync/relay"
)

const forgetAbout = `Drops every change the relay holds for the shop SHOP_ID, and its vector; keeps the
shop's tokens and its data version (so devices that cannot seal stay turned away).
Without --yes it only prints what it would drop: how many changes, how many of them in
the clear (sent before the shop was sealed, so the relay can read them), and from which
devices. Use it once a shop that synced before sealing has been sealed.

Each device of the shop sends what it holds again, sealed, on its next sync, so nothing
is lost as long as every device has synced once since the shop was sealed; a change only
the relay held is gone.

It works while relays serve the same --data or --store: devices connected at that moment
are told within 10 seconds to sync again, and send everything then. With --data the changes'
bytes are also wiped from the shop's database files. With --store, PostgreSQL keeps the
deleted rows' bytes on disk until its own VACUUM reuses their space.`

func forget(ctx context.Context, args []string, stdout io.Writer) error {
	c := newCommand("forget", "(--data DIR | --store URL) --shop SHOP_ID [--yes [--reset-key]]", forgetAbout)
	data := c.flags.String("data", "", "`DIR` holding the relay's data")
	store := c.flags.String("store", "", "the relay's PostgreSQL database `URL` (postgres://...), instead of --data")
	shop := c.flags.String("shop", "", "the shop whose changes to drop, `SHOP_ID` as `microshopctl shop` prints it")
	yes := c.flags.Bool("yes", false, "drop them; without it, only print what would be dropped")
	resetKey := c.flags.Bool("reset-key", false, "with --yes, also forget the shop's write key, so the next sealed device binds its own (when someone holding only a token was first to bind one; revoke that token first)")
	rest, done, err := c.parse(args, stdout)
	if done || err != nil {
		return err
	}
	if err := errors.Join(dataOrStore(c.name, *data, *store), noArgs(c, rest), needShop(*shop)); err != nil {
		return err
	}
	st, err := openChanges(ctx, *data, *store)
	if err != nil {
		return err
	}
	defer st.Close()
	if *resetKey && !*yes {
		return domain.Errorf(domain.EInvalid, "--reset-key goes with --yes: microshop-relay forget --shop %s --yes --reset-key", *shop)
	}
	if !*yes {
		report, err := st.ForgetPlan(ctx, *shop)
		if err != nil {
			return err
		}
		printForgetPlan(stdout, report)
		return nil
	}
	report, err := st.Forget(ctx, *shop)
	if err != nil {
		return err
	}
	printForgotten(stdout, report, *store != "")
	if *resetKey {
		if err := st.ResetWriteKey(ctx, *shop); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "The shop's write key is forgotten too: the next sealed device of the shop to sync binds its own.")
	}
	return nil
}

func needShop(shop string) error {
	if shop == "" {
		return domain.Errorf(domain.EInvalid, "forget needs --shop SHOP_ID, the shop whose changes to drop (microshopctl shop prints it)")
	}
	return nil
}

// changeStore is a relay's change store that the command can close.
type changeStore interface {
	relay.Store
	Close() error
}

// openChanges opens the change store of --store or --data. A --data
// directory holding no relay is refused rather than created.
func openChanges(ctx context.Context, data, store string) (changeStore, error) {
	if store != "" {
		s, err := relay.OpenPGStore(ctx, store)
		if err != nil {
			return nil, &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot open the relay's PostgreSQL store at %s: %v", redactURL(store), err), Err: err}
		}
		return s, nil
	}
	_, errTokens := os.Stat(relay.TokenDBPath(data))
	_, errShops := os.Stat(relay.ShopsPath(data))
	if errors.Is(errTokens, fs.ErrNotExist) && errors.Is(errShops, fs.ErrNotExist) {
		return nil, domain.Errorf(domain.ENotFound, "there is no relay data in %s (no tokens.db, no shops); check --data", data)
	}
	s, err := relay.OpenSQLiteStore(relay.ShopsPath(data))
	if err != nil {
		return nil, &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot open the shops in %s: %v", data, err), Err: err}
	}
	return s, nil
}

// resendNote is what the devices do after a forget, and its condition,
// after a word saying when.
const resendNote = " each device of the shop sends what it holds again, sealed, on its next sync:\n" +
	"nothing is lost as long as every device has synced once since the shop was sealed.\n"

func printForgetPlan(w io.Writer, r relay.ForgetReport) {
	if r.Changes == 0 {
		fmt.Fprintf(w, "The relay holds no changes of shop %s: nothing to drop.\n", r.Shop)
		return
	}
	fmt.Fprintf(w, "The relay holds %s of shop %s, %d of them in the clear (readable by the relay), from %s:\n",
		plural(r.Changes, "change"), r.Shop, r.Clear, plural(len(r.Origins), "device"))
	printOrigins(w, r)
	if r.Clear == 0 {
		fmt.Fprint(w, "The relay can read none of them, so there is nothing private to drop; drop them only if the shop's devices refuse them as sent by an older Microshop.\n")
	}
	fmt.Fprintf(w, "Nothing was dropped; run again with --yes to drop them.\nThen%s", resendNote)
}

func printForgotten(w io.Writer, r relay.ForgetReport, postgres bool) {
	fmt.Fprintf(w, "Dropped %s of shop %s, %d of them in the clear, from %s; its tokens and data version are kept.\n",
		plural(r.Changes, "change"), r.Shop, r.Clear, plural(len(r.Origins), "device"))
	printOrigins(w, r)
	if postgres {
		fmt.Fprint(w, "PostgreSQL keeps the deleted rows' bytes on disk until its own VACUUM reuses their space.\n")
	} else {
		fmt.Fprint(w, "Their bytes are wiped from the shop's database files.\n")
	}
	fmt.Fprint(w, "Now"+resendNote)
}

// printOrigins lists the changes per device that made them, one a line.
func printOrigins(w io.Writer, r relay.ForgetReport) {
	for _, origin := range slices.Sorted(maps.Keys(r.Origins)) {
		fmt.Fprintf(w, "  %s\t%s\n", origin, plural(r.Origins[origin], "change"))
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
