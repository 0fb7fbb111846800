package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"microshop/domain"
)

const usage = `microshop-relay runs the Microshop sync relay and manages its tokens.

Usage:
  microshop-relay serve --addr HOST:PORT (--data DIR | --store URL) [--tls-cert FILE --tls-key FILE]
                        [--max-conns N] [--max-conns-per-addr N]
  microshop-relay token create (--data DIR | --store URL) [--shop SHOP_ID] [--label TEXT]
  microshop-relay token list (--data DIR | --store URL)
  microshop-relay token revoke (--data DIR | --store URL) ID
  microshop-relay forget (--data DIR | --store URL) --shop SHOP_ID [--yes [--reset-key]]
  microshop-relay --version

--data keeps everything in SQLite files under DIR: one relay process. --store
postgres://USER@HOST:PORT/DB keeps it in PostgreSQL, where several relay processes
(behind one load balancer) serve the same shops at once.

forget drops a shop's changes once the shop is sealed, so the relay no longer holds
the ones it could read; the shop's devices send theirs again, sealed, on their next
sync. Without --yes it only prints what it would drop. It works while relays serve.

Run "microshop-relay COMMAND -h" for a command's flags.
`

// Run is the whole command, minus reading os.Args and exiting, so tests
// can drive it in-process. ctx ends a running server gracefully.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return domain.Errorf(domain.EInvalid, "no command was given; expected serve, token, forget or --version")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "--version", "-version", "version":
		fmt.Fprintln(stdout, versionLine())
		return nil
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "token":
		return token(ctx, args[1:], stdout)
	case "forget":
		return forget(ctx, args[1:], stdout)
	}
	return domain.Errorf(domain.EInvalid, "unknown command %q; expected serve, token or forget", args[0])
}

// command is one command's flags and help.
type command struct {
	name  string // as typed, "token create"
	usage string // the synopsis line after the name
	about string // what it does, one paragraph
	flags *flag.FlagSet
}

func newCommand(name, synopsis, about string) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, help is printed by parse
	return &command{name: name, usage: synopsis, about: about, flags: fs}
}

// parse reads flags and positional arguments in any order, so
// "token revoke ID --data DIR" works as well as the documented order. It
// returns done = true when help was asked for and printed.
func (c *command) parse(args []string, stdout io.Writer) (positional []string, done bool, err error) {
	if err := c.check(args); err != nil {
		return nil, false, err
	}
	for {
		if err := c.flags.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.help(stdout)
				return nil, true, nil
			}
			return nil, false, domain.Errorf(domain.EInvalid, "%s: %v; run \"microshop-relay %s -h\" for the flags", c.name, err, c.name)
		}
		args = c.flags.Args()
		if len(args) == 0 {
			return positional, false, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// check finds the flag mistakes a person makes (a flag the command does not
// have, a flag's value left out, a number that is not one) before the flag
// package does, so they are told in a sentence naming what was typed
// rather than in the package's words ("flag provided but not defined").
func (c *command) check(args []string) error {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return nil
		}
		if len(arg) < 2 || arg[0] != '-' {
			continue
		}
		typed, value, hasValue := strings.Cut(arg, "=")
		name := strings.TrimPrefix(strings.TrimPrefix(typed, "-"), "-")
		f := c.flags.Lookup(name)
		if f == nil {
			if name == "h" || name == "help" {
				return nil // Parse prints the help
			}
			return domain.Errorf(domain.EInvalid, "%s is not a flag of microshop-relay %s; run \"microshop-relay %s -h\" for the flags", typed, c.name, c.name)
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			if err := checkBool(typed, value, hasValue); err != nil {
				return err
			}
			continue
		}
		if !hasValue {
			if i+1 == len(args) || c.namesFlag(args[i+1]) {
				return c.valueLeftOut(typed, args[i+1:])
			}
			i++
			value = args[i]
		}
		if err := checkValue(f, typed, value); err != nil {
			return err
		}
	}
	return nil
}

// namesFlag reports whether arg is written as one of the command's flags:
// the flag before it was given no value, and the flag package would take
// this one as that value (`--label --shop ID` took "--shop" as the label
// and then refused the id as a stray argument).
func (c *command) namesFlag(arg string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return strings.HasPrefix(arg, "-") && (c.flags.Lookup(name) != nil || name == "h" || name == "help")
}

// valueLeftOut refuses the flag typed with no value; rest is what follows
// it, a flag or nothing.
func (c *command) valueLeftOut(typed string, rest []string) error {
	if len(rest) == 0 {
		return domain.Errorf(domain.EInvalid, "%s needs a value; run \"microshop-relay %s -h\" for the flags", typed, c.name)
	}
	return domain.Errorf(domain.EInvalid, "%s is followed by the flag %s, not by its value; give %s VALUE, or run \"microshop-relay %s -h\" for the flags", typed, rest[0], typed, c.name)
}

// checkBool refuses a value a flag that takes none cannot take (--yes=please).
func checkBool(typed, value string, hasValue bool) error {
	if _, err := strconv.ParseBool(value); hasValue && err != nil {
		return domain.Errorf(domain.EInvalid, "%s takes no value, but was given %q; give %s alone, or leave it out", typed, value, typed)
	}
	return nil
}

// checkValue refuses a value a number flag cannot take, as typed.
func checkValue(f *flag.Flag, typed, value string) error {
	if _, isInt := f.Value.(flag.Getter).Get().(int); isInt {
		if _, err := strconv.Atoi(value); err != nil {
			return domain.Errorf(domain.EInvalid, "%s %q is not a whole number; give digits, like %s", typed, value, f.DefValue)
		}
	}
	return nil
}

func (c *command) help(w io.Writer) {
	fmt.Fprintf(w, "Usage: microshop-relay %s %s\n\n%s\n\nFlags:\n", c.name, c.usage, c.about)
	c.flags.SetOutput(w)
	c.flags.PrintDefaults()
	c.flags.SetOutput(io.Discard)
}

func noArgs(c *command, args []string) error {
	if len(args) > 0 {
		return domain.Errorf(domain.EInvalid, "%s takes no argument, but was given %q", c.name, strings.Join(args, " "))
	}
	return nil
}
