package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"microshop/domain"
)

// usageError is a command line that cannot be run as typed: an unknown
// command or flag, a missing argument, a value of the wrong form. It exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errHelp means help was asked for and printed: exit 0, nothing more to say.
var errHelp = errors.New("help printed")

// flagSet is one command's flags: the standard library's parser, silenced,
// with its messages replaced by sentences naming the bad value. The global
// flags --db and --json are accepted by every command too, so they may come
// after the command name.
type flagSet struct {
	*flag.FlagSet
	c   *cli
	cmd *command
	bad error // the value that failed to parse, in words
	// file is the flag naming the file --overwrite replaces ("out",
	// "chart"), "" for a command that writes none.
	file string
}

// flags starts the flag set of the command being run.
func (c *cli) flags() *flagSet {
	fs := flag.NewFlagSet(c.cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	c.globalFlags(fs)
	return &flagSet{FlagSet: fs, c: c, cmd: c.cmd}
}

// globalFlags binds --db, --json and --read-only to fs.
func (c *cli) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.db, "db", c.db, "the shop database `PATH` (default $MICROSHOP_DB if set and not empty, else microshop/shop.db in your data directory)")
	fs.BoolVar(&c.json, "json", c.json, "print one JSON document instead of text")
	fs.BoolVar(&c.readOnly, "read-only", c.readOnly, "open the shop for reading only: reports work, every change is refused and nothing is written")
}

func isGlobal(name string) bool { return name == "db" || name == "json" || name == "read-only" }

// intValue is a whole-number flag. tooFar words a number beyond what T
// holds, which strconv only calls out of range.
type intValue[T int | int64] struct {
	p      *T
	f      *flagSet
	name   string
	tooFar string
	// advice follows "is not a whole number; ": "give digits like 12"
	// unless the flag takes fewer values than that example suggests.
	advice string
}

func (v *intValue[T]) String() string {
	if v == nil || v.p == nil {
		return ""
	}
	return strconv.FormatInt(int64(*v.p), 10)
}

func (v *intValue[T]) Set(s string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange), err == nil && int64(T(n)) != n:
		v.f.bad = usagef("--%s %s is %s", v.name, strings.TrimSpace(s), v.tooFar)
		return v.f.bad
	case err != nil:
		advice := v.advice
		if advice == "" {
			advice = "give digits like 12"
		}
		v.f.bad = usagef("--%s %q is not a whole number; %s", v.name, s, advice)
		return v.f.bad
	}
	*v.p = T(n)
	return nil
}

// Int defines a whole-number flag: a quantity or a number of days, none of
// which goes beyond domain.MaxQty either way, so a number too long to hold
// is refused with that bound.
func (f *flagSet) Int(name string, def int, usage string) *int {
	p := new(int)
	*p = def
	tooFar := fmt.Sprintf("out of range; no quantity or number of days goes beyond %d", domain.MaxQty)
	f.Var(&intValue[int]{p: p, f: f, name: name, tooFar: tooFar}, name, usage)
	return p
}

// percentFlag defines a whole percentage flag accepting only lo to hi, so
// a value that is no number at all hears that range, not an example
// outside it.
func (f *flagSet) percentFlag(name string, def, lo, hi int, usage string) *int {
	p := new(int)
	*p = def
	accepted := fmt.Sprintf("give a whole percentage from %d to %d", lo, hi)
	f.Var(&intValue[int]{p: p, f: f, name: name, tooFar: "out of range; " + accepted, advice: accepted}, name, usage)
	return p
}

// rangeFlag defines a whole-number flag accepting only lo to hi, so a value
// that is no number at all, or too long to hold, hears that range.
func (f *flagSet) rangeFlag(name string, def, lo, hi int, usage string) *int {
	p := new(int)
	*p = def
	accepted := fmt.Sprintf("give a whole number from %d to %d", lo, hi)
	f.Var(&intValue[int]{p: p, f: f, name: name, tooFar: "out of range; " + accepted, advice: accepted}, name, usage)
	return p
}

// seedFlag defines a random seed: any whole number from 0 to the largest
// 64-bit one.
func (f *flagSet) seedFlag(name string, def int64, usage string) *int64 {
	p := new(int64)
	*p = def
	accepted := fmt.Sprintf("give a whole number from 0 to %d", int64(math.MaxInt64))
	f.Var(&intValue[int64]{p: p, f: f, name: name, tooFar: "out of range; " + accepted, advice: accepted}, name, usage)
	return p
}

// checkSeed refuses a negative seed, in the words seedFlag uses.
func checkSeed(name string, seed int64) error {
	if seed < 0 {
		return usagef("--%s %d is negative; give a whole number from 0 to %d", name, seed, int64(math.MaxInt64))
	}
	return nil
}

// daysValue is a SKU override in days: a whole number, or "default" to
// drop the override. Neither field is set when the flag is not given.
type daysValue struct {
	f     *flagSet
	name  string
	days  *int
	unset bool
}

func (v *daysValue) String() string { return "" }

func (v *daysValue) Set(s string) error {
	if s = strings.TrimSpace(s); s == "default" {
		v.days, v.unset = nil, true
		return nil
	}
	n, err := strconv.Atoi(s)
	if errors.Is(err, strconv.ErrRange) {
		v.f.bad = usagef("--%s %s is out of range; give a whole number of days from 0 to %d, or default", v.name, s, domain.MaxLeadDays)
		return v.f.bad
	}
	if err != nil {
		v.f.bad = usagef("--%s %q is not a number of days; give digits like 12, or default", v.name, s)
		return v.f.bad
	}
	v.days, v.unset = &n, false
	return nil
}

// days defines a flag of days that also takes "default".
func (f *flagSet) days(name, usage string) *daysValue {
	v := &daysValue{f: f, name: name}
	f.Var(v, name, usage)
	return v
}

// parsedValue is a flag read by one of the domain's parsers, whose sentence
// becomes the error when the value is refused.
type parsedValue[T any] struct {
	p     *T
	f     *flagSet
	parse func(string) (T, error)
}

func (v *parsedValue[T]) String() string { return "" }

func (v *parsedValue[T]) Set(s string) error {
	x, err := v.parse(s)
	if err != nil {
		v.f.bad = &usageError{msg: domain.ErrorMessage(err)}
		return v.f.bad
	}
	*v.p = x
	return nil
}

// parsed defines a flag read by parse; it holds T's zero value when unset.
func parsed[T any](f *flagSet, name, usage string, parse func(string) (T, error)) *T {
	p := new(T)
	f.Var(&parsedValue[T]{p: p, f: f, parse: parse}, name, usage)
	return p
}

// isSet reports whether the flag was given on the command line.
func (f *flagSet) isSet(name string) bool {
	set := false
	f.Visit(func(fl *flag.Flag) {
		if fl.Name == name {
			set = true
		}
	})
	return set
}

// countGlobalsSet is how many of --db, --json and --read-only were given
// after the command name.
func countGlobalsSet(f *flagSet) int {
	n := 0
	f.Visit(func(fl *flag.Flag) {
		if isGlobal(fl.Name) {
			n++
		}
	})
	return n
}

// require refuses the command when a flag it needs is missing.
func (f *flagSet) require(names ...string) error {
	for _, n := range names {
		if !f.isSet(n) {
			fl := f.Lookup(n)
			placeholder, _ := flag.UnquoteUsage(fl)
			return usagef("microshopctl %s needs --%s %s; see `microshopctl help %s`", f.cmd.name, n, placeholder, f.cmd.name)
		}
	}
	return nil
}

// parse reads flags and positional arguments in any order: `sku add MUG-01
// --name Mug` and `sku add --name Mug MUG-01` mean the same. names are the
// positional arguments; one in brackets, like "[CODE]", may be left out.
// Everything after "--" is positional.
func (f *flagSet) parse(args []string, names ...string) ([]string, error) {
	pos, err := f.parseAll(args)
	if err != nil {
		return nil, err
	}
	// --overwrite alone was taken without a word, though nothing was
	// written to be replaced.
	if f.file != "" && f.Lookup("overwrite").Value.String() == "true" && !f.isSet(f.file) {
		return nil, usagef("--overwrite goes with --%s FILE: it replaces that file if it exists", f.file)
	}
	if f.c.readOnly && makesShop[f.cmd.name] {
		return nil, usagef("--read-only opens a shop for reading only, and microshopctl %s makes one; leave --read-only out", f.cmd.name)
	}
	required := 0
	for _, n := range names {
		if !strings.HasPrefix(n, "[") {
			required++
		}
	}
	if len(pos) < required {
		return nil, usagef("microshopctl %s needs %s; usage: microshopctl %s %s", f.cmd.name, names[len(pos)], f.cmd.name, f.cmd.usage)
	}
	variadic := len(names) > 0 && strings.HasSuffix(names[len(names)-1], "...]")
	if len(pos) > len(names) && !variadic {
		return nil, usagef("unexpected argument %q for microshopctl %s; usage: microshopctl %s %s", pos[len(names)], f.cmd.name, f.cmd.name, f.cmd.usage)
	}
	// An empty argument, like an unset shell variable, names nothing:
	// `stock ""` would list every SKU and `source ""` answer for the first.
	for i, p := range pos {
		if strings.TrimSpace(p) == "" {
			return nil, usagef("%s is empty; usage: microshopctl %s %s", argName(names[min(i, len(names)-1)]), f.cmd.name, f.cmd.usage)
		}
	}
	return pos, nil
}

// argName is an argument's name as the usage writes it, without the
// brackets of an optional one or the dots of more: "[CODE ...]" is CODE.
// Brackets within it stay: sell's "CODE[:QTY]" was said as "CODE[:QTY".
func argName(usage string) string {
	if strings.HasPrefix(usage, "[") {
		usage = strings.TrimSuffix(strings.TrimPrefix(usage, "["), "]")
	}
	return strings.TrimSuffix(usage, " ...")
}

// makesShop are the commands that make a shop at --db (join also takes
// the key into one there), which --read-only cannot open.
var makesShop = map[string]bool{"init": true, "demo": true, "join": true, "restore": true}

// parseAll parses the flags wherever they are among the arguments, and
// returns the arguments; a flag given twice or empty is refused.
func (f *flagSet) parseAll(args []string) ([]string, error) {
	if err := refuseFlagAsValue(f.FlagSet, args, true); err != nil {
		return nil, err
	}
	if err := refuseRepeated(f.FlagSet, args); err != nil {
		return nil, err
	}
	var pos []string
	for {
		if err := f.FlagSet.Parse(args); err != nil {
			return nil, f.explain(err)
		}
		rest := f.Args()
		if len(rest) == 0 {
			break
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return pos, refuseEmpty(f.FlagSet)
}

// refuseFlagAsValue refuses a flag that takes a value followed by another
// flag instead: the flag package took that flag as the value, so `adjust
// MUG --qty -1 --note --force` recorded a correction noted "--force", not
// forced, and `--db --json status` looked for a shop at "--json". A value
// that only begins with a dash (-1, "-1 chipped") is no flag's name and
// goes. With interspersed false the scan stops at the first argument that
// is no flag, the command, whose own flags follow.
func refuseFlagAsValue(fs *flag.FlagSet, args []string, interspersed bool) error {
	for i := 0; i+1 < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if len(a) < 2 || a[0] != '-' {
			if !interspersed {
				return nil
			}
			continue
		}
		fl := fs.Lookup(strings.TrimPrefix(a[1:], "-"))
		if fl == nil || isBoolFlag(fl) {
			continue
		}
		if next := args[i+1]; namesFlagOf(fs, next) {
			value, _ := flag.UnquoteUsage(fl)
			return usagef("--%s is followed by the flag %s, not by its %s; give --%s %s", fl.Name, next, value, fl.Name, value)
		}
		i++ // the flag's value
	}
	return nil
}

// isBoolFlag reports whether fl takes no value.
func isBoolFlag(fl *flag.Flag) bool {
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// namesFlagOf reports whether arg is written as one of fs's flags, or as
// the help flag.
func namesFlagOf(fs *flag.FlagSet, arg string) bool {
	if len(arg) < 2 || arg[0] != '-' {
		return false
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
	return fs.Lookup(name) != nil || name == "h" || name == "help"
}

// repeatable is a flag that may be given more than once, each adding one
// (--part, --map).
type repeatable interface{ repeatable() }

// refuseRepeated refuses any other flag given twice: the flag package
// takes the last, so `sell X --qty 1 --qty 2` sold 2 without a word, and
// a flag added to a command from the shell's history changed it silently.
func refuseRepeated(fs *flag.FlagSet, args []string) error {
	seen := map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		fl := fs.Lookup(name)
		if fl == nil {
			continue // not a flag of the command: the parser says so
		}
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) && i+1 < len(args) {
			i++
			value = args[i]
		}
		if _, ok := fl.Value.(repeatable); ok {
			continue
		}
		if before, ok := seen[name]; ok {
			if before == value {
				return usagef("--%s is given twice; give it once", name)
			}
			return usagef("--%s is given twice, as %q and %q; give it once", name, before, value)
		}
		seen[name] = value
	}
	return nil
}

// refuseEmpty refuses a text flag given with nothing in it, like --db "" or
// --token "" from an unset shell variable: quietly taking the default
// instead would open another shop, or sync with another relay, than the
// one meant.
func refuseEmpty(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(fl *flag.Flag) {
		g, ok := fl.Value.(flag.Getter)
		if !ok || err != nil {
			return
		}
		if v, ok := g.Get().(string); ok && strings.TrimSpace(v) == "" {
			err = emptyFlagError(fl)
		}
	})
	return err
}

// emptyFlagError says what an empty flag wants, from its usage: "a
// location NAME", and its default if it has one: "(default the host name)".
func emptyFlagError(fl *flag.Flag) error {
	placeholder, usage := flag.UnquoteUsage(fl)
	def := fl.DefValue
	if i := strings.LastIndex(usage, " (default"); i >= 0 && strings.HasSuffix(usage, ")") {
		def = strings.TrimPrefix(strings.TrimPrefix(usage[i+len(" (default"):len(usage)-1], ":"), " ")
		usage = usage[:i]
	}
	want := wanted(placeholder, usage)
	if def == "" {
		return usagef("--%s is empty; give %s", fl.Name, want)
	}
	return usagef("--%s is empty; give %s, or leave --%s out for %s", fl.Name, want, fl.Name, def)
}

// wanted names what a flag takes, from its placeholder and the word before
// it in its usage: "a location NAME" from "where it happens, location
// NAME", "a three-letter CODE", "the shop's NAME"; a bare "a PATH" when
// the word before is a preposition or there is none.
func wanted(placeholder, usage string) string {
	words := strings.Fields(usage)
	phrase := placeholder
	if i := slices.Index(words, placeholder); i > 0 {
		before := strings.TrimRight(words[i-1], ",:;")
		if !slices.Contains([]string{"a", "an", "the", "at", "to", "for", "from", "of", "in", "by", "with", "as", "on", "and", "or"}, strings.ToLower(before)) {
			phrase = before + " " + placeholder
		}
	}
	switch {
	case strings.HasSuffix(strings.Fields(phrase)[0], "'s"):
		return "the " + phrase
	case strings.ContainsRune("AEIOaeio", rune(phrase[0])):
		return "an " + phrase
	}
	return "a " + phrase
}

// explain turns the flag package's error into a sentence, or prints the
// command's help when it was asked for.
func (f *flagSet) explain(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		f.printHelp(f.c.stdout)
		return errHelp
	}
	return explainFlagError(err, f.bad, "microshopctl "+f.cmd.name, "microshopctl help "+f.cmd.name)
}

// explainFlagError words an error of flag.FlagSet.Parse; bad is the error a
// flag value recorded, if any.
func explainFlagError(err, bad error, what, help string) error {
	if bad != nil {
		return bad
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return usagef("--%s is not a flag of %s; see `%s`", strings.TrimLeft(name, "-"), what, help)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return usagef("--%s needs a value; see `%s`", strings.TrimLeft(name, "-"), help)
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		value, name, _ := strings.Cut(rest, " for ")
		name, _, _ = strings.Cut(name, ":")
		return usagef("--%s takes no value, or true or false, not %s; see `%s`", strings.TrimLeft(name, "-"), value, help)
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		// A value's own Set refused it: its reason is the sentence.
		value, rest, _ := strings.Cut(rest, " for flag -")
		name, why, _ := strings.Cut(rest, ": ")
		if why == "parse error" || why == "value out of range" {
			return usagef("%s is not a value --%s takes; see `%s`", value, name, help)
		}
		return usagef("%s; see `%s`", why, help)
	}
	if arg, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return usagef("%q is not a flag; flags look like --name VALUE; see `%s`", arg, help)
	}
	return usagef("%s; see `%s`", msg, help)
}

// printHelp writes the command's usage, what it does and its flags.
func (f *flagSet) printHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage: microshopctl %s %s\n\n%s\n", f.cmd.name, f.cmd.usage, f.cmd.summary)
	if f.cmd.about != "" {
		fmt.Fprintf(w, "%s\n", f.cmd.about)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := false
	f.VisitAll(func(fl *flag.Flag) {
		if isGlobal(fl.Name) {
			return
		}
		if !header {
			fmt.Fprintf(tw, "\nFlags:\n")
			header = true
		}
		placeholder, usage := flag.UnquoteUsage(fl)
		if placeholder != "" {
			placeholder = " " + placeholder
		}
		fmt.Fprintf(tw, "  --%s%s\t%s\n", fl.Name, placeholder, usage)
	})
	tw.Flush()
	fmt.Fprintf(w, "\nGlobal flags, before or after the command: --db PATH (default $MICROSHOP_DB if set and not empty, else microshop/shop.db in your data directory), --json, --read-only (open the shop for reading only).\n")
}

// moneyFlag defines a money flag; check isSet to tell 0.00 from unset. Its
// value is read with either decimal separator here, then again in the
// shop's currency when the shop opens (checkMoney), which every command
// with a money flag does (withShop) before it uses the value.
func (f *flagSet) moneyFlag(name, usage string) *domain.Money {
	return parsed(f, name, usage, func(s string) (domain.Money, error) {
		m, err := domain.ParseMoneyIn(s, "")
		f.c.money = append(f.c.money, typedAmount{name, s})
		if err != nil && strings.Contains(s, ",") {
			// What a comma is depends on the shop's currency: in yen
			// "1,250" separates thousands, in euros it may be three
			// decimals. checkMoney refuses it in the currency's words.
			return 0, nil
		}
		if err != nil { // two amounts in one command: name which is refused
			return m, domain.Errorf(domain.ErrorCode(err), "--%s %s", name, domain.ErrorMessage(err))
		}
		return m, nil
	})
}

// typedAmount is a money flag's value as typed.
type typedAmount struct{ flag, text string }

// checkMoney reads the money flags again in the open shop's currency,
// refusing a decimal comma where the currency is written with a point, and
// a fraction of a yen, quoting the amount as typed. The amount read is the
// same either way, so only the refusal matters.
func (c *cli) checkMoney() error {
	for _, in := range c.money {
		if _, err := domain.ParseMoneyIn(in.text, c.currency); err != nil {
			return usagef("--%s %s", in.flag, domain.ErrorMessage(err))
		}
	}
	return nil
}
