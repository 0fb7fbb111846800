package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"microshop/app"
)

// result is one microshopctl invocation.
type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// testShop is a shop in a database under t.TempDir(), driven through Run.
type testShop struct {
	t  *testing.T
	db string
}

// newShop creates a shop with `init`.
func newShop(t *testing.T) *testShop {
	t.Helper()
	s := &testShop{t: t, db: filepath.Join(t.TempDir(), "shop.db")}
	s.ok("init", "--shop", "Clay & Ink", "--device", "test-laptop")
	return s
}

// mugShop is a shop with a microfactory, Kiln, making MUG at price, of
// which qty were counted on 1 January 2026.
func mugShop(t *testing.T, name, price, qty string) *testShop {
	t.Helper()
	s := newShop(t)
	s.ok("factory", "add", "Kiln", "--kind", "microfactory", "--lead-days", "14", "--established")
	s.ok("sku", "add", "MUG", "--name", name, "--path", "microfactory", "--factory", "Kiln", "--price", price)
	s.ok("count", "MUG", "--qty", qty, "--at", "2026-01-01")
	return s
}

func (s *testShop) run(args ...string) result {
	s.t.Helper()
	return runCLI(s.t, append([]string{"--db", s.db}, args...)...)
}

// ok runs a command that must succeed and returns its stdout.
func (s *testShop) ok(args ...string) string {
	s.t.Helper()
	r := s.run(args...)
	if r.code != 0 || r.stderr != "" {
		s.t.Fatalf("microshopctl %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// json runs a command with --json after its arguments and decodes the one
// document it prints into v.
func (s *testShop) json(v any, args ...string) {
	s.t.Helper()
	out := s.ok(append(args, "--json")...)
	decodeOne(s.t, out, v)
}

// decodeOne decodes out, which must hold exactly one JSON document.
func decodeOne(t *testing.T, out string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	var extra any
	if err := dec.Decode(&extra); err == nil {
		t.Fatalf("stdout holds more than one JSON document:\n%s", out)
	}
}

// obj is a decoded JSON object.
type obj = map[string]any

// objects runs a command that prints a JSON array of objects.
func (s *testShop) objects(args ...string) []obj {
	s.t.Helper()
	var out []obj
	s.json(&out, args...)
	return out
}

// object runs a command that prints a JSON object.
func (s *testShop) object(args ...string) obj {
	s.t.Helper()
	var out obj
	s.json(&out, args...)
	return out
}

// vector is the shop's version vector and unsynced count: every write adds
// a change, so an unchanged vector means nothing was written.
func (s *testShop) vector() string {
	s.t.Helper()
	st := s.object("status")
	b, _ := json.Marshal([]any{st["vector"], st["unsynced"]})
	return string(b)
}

// checkFields compares the fields named in want; numbers compare as JSON
// decodes them, float64.
func checkFields(t *testing.T, what string, got, want obj) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: no key %q in %v", what, k, got)
			continue
		}
		w := want[k]
		if n, isInt := w.(int); isInt {
			w = float64(n)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s = %#v, want %#v", what, k, g, w)
		}
	}
}

// byKey indexes objects by one string field.
func byKey(t *testing.T, rows []obj, key string) map[string]obj {
	t.Helper()
	m := map[string]obj{}
	for _, r := range rows {
		k, _ := r[key].(string)
		if _, dup := m[k]; dup {
			t.Fatalf("two rows with %s %q", key, k)
		}
		m[k] = r
	}
	return m
}

func TestHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{nil, {"help"}, {"-h"}, {"--json", "help"}} {
		r := runCLI(t, args...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("microshopctl %v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		for _, cmd := range commands {
			if !strings.Contains(r.stdout, "  "+cmd.name+" ") {
				t.Errorf("microshopctl %v does not list %q:\n%s", args, cmd.name, r.stdout)
			}
		}
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, cmd := range commands {
		words := strings.Fields(cmd.name)
		for _, args := range [][]string{append(words, "-h"), append([]string{"help"}, words...), append(words, "--help")} {
			r := runCLI(t, args...)
			if r.code != 0 || r.stderr != "" {
				t.Errorf("microshopctl %v: exit %d, stderr %q", args, r.code, r.stderr)
				continue
			}
			if want := "Usage: microshopctl " + cmd.name + " " + cmd.usage; !strings.HasPrefix(r.stdout, want) {
				t.Errorf("microshopctl %v starts %q, want %q", args, firstLine(r.stdout), want)
			}
			if !strings.Contains(r.stdout, cmd.summary) {
				t.Errorf("microshopctl %v does not say what it does (%q)", args, cmd.summary)
			}
			for _, flagName := range usageFlags(cmd.usage) {
				if !strings.Contains(r.stdout, "\n  --"+flagName) {
					t.Errorf("microshopctl %v does not list --%s:\n%s", args, flagName, r.stdout)
				}
			}
		}
	}
}

// usageFlags lists the flags a usage line names.
func usageFlags(usage string) []string {
	var out []string
	for _, w := range strings.Fields(usage) {
		w = strings.Trim(w, "[]()|")
		if name, ok := strings.CutPrefix(w, "--"); ok {
			out = append(out, name)
		}
	}
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func TestGroupHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "sku"}, {"sku", "-h"}} {
		r := runCLI(t, args...)
		if r.code != 0 {
			t.Fatalf("microshopctl %v: exit %d", args, r.code)
		}
		for _, sub := range []string{"sku add", "sku edit", "sku list", "sku show", "sku archive", "sku unarchive"} {
			if !strings.Contains(r.stdout, sub) {
				t.Errorf("microshopctl %v does not list %q", args, sub)
			}
		}
		if strings.Contains(r.stdout, "factory add") {
			t.Errorf("microshopctl %v lists other groups' commands", args)
		}
	}
}

func TestGlobalFlagsBeforeOrAfterTheCommand(t *testing.T) {
	s := newShop(t)
	before := runCLI(t, "--db", s.db, "--json", "shop")
	after := runCLI(t, "shop", "--json", "--db", s.db)
	mixed := runCLI(t, "--db", s.db, "shop", "--json")
	for _, r := range []result{before, after, mixed} {
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
	}
	if before.stdout != after.stdout || before.stdout != mixed.stdout {
		t.Errorf("global flags' place changes the output:\nbefore: %s\nafter: %s\nmixed: %s", before.stdout, after.stdout, mixed.stdout)
	}
	var info obj
	decodeOne(t, before.stdout, &info)
	checkFields(t, "shop", info, obj{"name": "Clay & Ink", "currency": "EUR", "device_name": "test-laptop"})
}

func TestDatabaseFromEnvironment(t *testing.T) {
	s := newShop(t)
	t.Setenv("MICROSHOP_DB", s.db)
	r := runCLI(t, "shop", "--json")
	if r.code != 0 {
		t.Fatalf("shop with MICROSHOP_DB set: exit %d, stderr %q", r.code, r.stderr)
	}
	var info obj
	decodeOne(t, r.stdout, &info)
	checkFields(t, "shop", info, obj{"db": s.db, "name": "Clay & Ink"})

	other := filepath.Join(t.TempDir(), "other.db")
	r = runCLI(t, "--db", other, "shop")
	if r.code != 1 || !strings.Contains(r.stderr, other) {
		t.Errorf("--db does not win over MICROSHOP_DB: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestArgumentsAndFlagsInAnyOrder(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "--kind", "workshop", "Kiln Co", "--lead-days", "5")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("sku", "add", "--name", "Bowl", "--path", "handmade", "--factory", "Kiln Co", "BOWL-01")
	s.ok("sku", "add", "--name", "Dash", "--path", "digital", "--", "-DASH")
	skus := byKey(t, s.objects("sku", "list"), "code")
	for _, code := range []string{"MUG-01", "BOWL-01"} {
		if skus[code]["factory"] != "Kiln Co" {
			t.Errorf("sku %s: factory %v, want Kiln Co", code, skus[code]["factory"])
		}
	}
	if skus["-DASH"]["name"] != "Dash" {
		t.Errorf("an argument after -- is not taken as the code: %v", skus)
	}
}

// replicaOf makes a second device of a's shop, named name, in a new file.
// It holds nothing of the shop yet: exchange brings it.
func replicaOf(t *testing.T, a *testShop, name string) *testShop {
	t.Helper()
	b := &testShop{t: t, db: filepath.Join(t.TempDir(), name+".db")}
	replica, err := app.CreateReplica(b.db, inviteOf(t, a.db), name, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	replica.Close()
	return b
}

// inviteOf is what a replica of the shop at db needs: its id and key.
func inviteOf(t *testing.T, db string) app.Invite {
	t.Helper()
	s, err := app.Open(db, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	key, ok, err := s.Key(context.Background())
	if err != nil || !ok {
		t.Fatalf("the shop at %s has no key: %v", db, err)
	}
	return app.Invite{Shop: s.ShopID(), Key: key}
}

// A command stopped with Ctrl+C says it was stopped, not that something
// went wrong inside Microshop, and leaves the shop as it was.
func TestACommandStoppedSaysSo(t *testing.T) {
	s := newShop(t)
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "digital", "--price", "60")
	before := s.vector()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as the interrupt does
	var out, errb bytes.Buffer
	code := Run(ctx, []string{"--db", s.db, "sell", "MUG-01"}, &out, &errb)
	if code == 0 || !strings.HasPrefix(errb.String(), "Stopped before it finished") || strings.Contains(errb.String(), "went wrong") {
		t.Errorf("a stopped command: exit %d, stderr %q", code, errb.String())
	}
	if got := s.vector(); got != before {
		t.Errorf("vector %s after a stopped sale, want %s", got, before)
	}
}
