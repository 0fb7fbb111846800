package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkRefusal asserts a refused command: the exit code, nothing on stdout,
// one line on stderr naming each of want, and no trace of Go internals.
func checkRefusal(t *testing.T, r result, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d (stderr %q)", r.code, code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") || strings.TrimSpace(r.stderr) == "" {
		t.Errorf("stderr is not one line: %q", r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr %q does not name %q", r.stderr, w)
		}
	}
	for _, noise := range []string{"goroutine", "panic", "flag provided", "invalid value", "Usage of"} {
		if strings.Contains(r.stderr, noise) {
			t.Errorf("stderr %q has Go's noise %q", r.stderr, noise)
		}
	}
}

// TestBadInput runs each bad input of the issue against a shop and checks it
// is refused with a sentence naming the bad value, and that the shop is
// unchanged.
func TestBadInput(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "5")
	s.ok("factory", "add", "PrintHaus", "--kind", "print", "--lead-days", "3", "--established")
	s.ok("sku", "add", "MUG-01", "--name", "Mug", "--path", "handmade", "--factory", "Kiln Co")
	s.ok("sku", "add", "POSTER-A3", "--name", "Poster", "--path", "print", "--factory", "PrintHaus")
	s.ok("sku", "add", "ZINE-PDF", "--name", "Zine", "--path", "digital")
	s.ok("count", "MUG-01", "--qty", "5", "--at", "2025-03-01")
	// 10 posters ordered from an established printer, 4 received: none held.
	b := s.object("batch", "order", "POSTER-A3", "--qty", "10", "--at", "2025-03-01")
	batch := b["id"].(string)
	s.ok("batch", "receive", batch, "--qty", "4", "--at", "2025-03-02")

	const refused, usage = 1, 2
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"unknown SKU", []string{"sell", "NOPE-01"}, refused, []string{`"NOPE-01"`, "sku list"}},
		{"unknown SKU in a report", []string{"stock", "NOPE-01"}, refused, []string{`"NOPE-01"`}},
		{"a kit part without a quantity", []string{"kit", "add", "SET", "--name", "Set", "--part", "MUG-01:x"}, usage, []string{`"MUG-01:x" is not a part`}},
		{"unknown factory", []string{"sku", "add", "CUP-01", "--name", "Cup", "--path", "handmade", "--factory", "Nowhere"}, refused, []string{`"Nowhere"`}},
		{"unknown factory to pause", []string{"factory", "pause", "Nowhere"}, refused, []string{`"Nowhere"`}},
		{"unknown batch", []string{"batch", "receive", "0000000000ffff", "--qty", "1"}, refused, []string{`"0000000000ffff"`}},
		{"unknown batch for QA", []string{"batch", "qa", "ffffffffff", "--pass"}, refused, []string{`"ffffffffff"`}},
		{"zero quantity sold", []string{"sell", "MUG-01", "--qty", "0"}, refused, []string{"0 is not a valid quantity"}},
		{"negative quantity sold", []string{"sell", "MUG-01", "--qty", "-2"}, refused, []string{"-2"}},
		{"zero quantity ordered", []string{"batch", "order", "MUG-01", "--qty", "0"}, refused, []string{"0 is not a valid quantity"}},
		{"negative quantity received", []string{"batch", "receive", batch, "--qty", "-3"}, refused, []string{"-3"}},
		{"zero quantity returned", []string{"return", "MUG-01", "--qty", "0", "--reason", "defect"}, refused, []string{"0 is not a valid quantity"}},
		{"negative count", []string{"count", "MUG-01", "--qty", "-1"}, refused, []string{"-1"}},
		{"zero adjustment", []string{"adjust", "MUG-01", "--qty", "0", "--note", "nothing"}, refused, []string{"0 is not an adjustment"}},
		{"quantity not a number", []string{"sell", "MUG-01", "--qty", "abc"}, usage, []string{`--qty "abc" is not a whole number`}},
		{"bad supply path", []string{"sku", "add", "CUP-01", "--name", "Cup", "--path", "wood"}, usage, []string{`"wood"`, "digital, print, microfactory or handmade"}},
		{"bad return reason", []string{"return", "MUG-01", "--qty", "1", "--reason", "meh"}, usage, []string{`"meh"`, "defect"}},
		{"bad channel", []string{"sell", "MUG-01", "--channel", "market"}, usage, []string{`"market"`, "fair, online or other"}},
		{"bad factory kind", []string{"factory", "add", "Shed", "--kind", "shed", "--lead-days", "1"}, usage, []string{`"shed"`, "print, microfactory or workshop"}},
		{"bad location", []string{"factory", "add", "Shed", "--kind", "workshop", "--lead-days", "1", "--location", "moon"}, usage, []string{`"moon"`, "local or overseas"}},
		{"bad money", []string{"sku", "add", "CUP-01", "--name", "Cup", "--path", "digital", "--price", "1,5O"}, usage, []string{`"1,5O"`}},
		{"money with a thousands comma", []string{"sku", "add", "CUP-01", "--name", "Cup", "--path", "digital", "--price", "1,000"}, usage, []string{`"1,000"`, "ambiguous", "type 1000"}},
		{"money with thousands and decimals", []string{"sell", "MUG-01", "--price", "1.000,50"}, usage, []string{`"1.000,50"`, "thousands separators are not accepted"}},
		{"money with three decimals", []string{"sell", "MUG-01", "--price", "24.001"}, usage, []string{`"24.001"`}},
		{"negative money", []string{"sku", "edit", "MUG-01", "--cost", "-3"}, usage, []string{`"-3"`}},
		{"bad time", []string{"sell", "MUG-01", "--at", "2025-02-30"}, usage, []string{`"2025-02-30"`}},
		{"bad date", []string{"stock", "--as-of", "tomorrow"}, usage, []string{`"tomorrow"`, "YYYY-MM-DD"}},
		{"bad expected date", []string{"batch", "order", "MUG-01", "--qty", "5", "--expected", "03/01/2025"}, usage, []string{`"03/01/2025"`}},
		{"digital SKU given a factory", []string{"sku", "add", "CUP-01", "--name", "Cup", "--path", "digital", "--factory", "Kiln Co"}, refused, []string{"CUP-01", "digital"}},
		{"digital SKU edited to a factory", []string{"sku", "edit", "ZINE-PDF", "--factory", "Kiln Co"}, refused, []string{"ZINE-PDF", "digital"}},
		{"physical SKU without a factory", []string{"sku", "add", "CUP-01", "--name", "Cup", "--path", "print"}, refused, []string{"CUP-01", "--factory"}},
		{"batch of a digital SKU", []string{"batch", "order", "ZINE-PDF", "--qty", "5"}, refused, []string{"ZINE-PDF"}},
		{"receiving more than ordered", []string{"batch", "receive", batch, "--qty", "7"}, refused, []string{"7", batch, "11 received of the 10 ordered", "--force"}},
		{"batch cut below what was received", []string{"batch", "edit", batch, "--qty", "3"}, refused, []string{batch, "4 have been received already", "at least 4"}},
		{"batch edit with nothing to change", []string{"batch", "edit", batch}, usage, []string{"--qty or --expected"}},
		{"batch expected before its order", []string{"batch", "edit", batch, "--expected", "2025-02-01"}, refused, []string{"2025-02-01", "before the order date"}},
		{"QA pass cancelling the rest", []string{"batch", "qa", batch, "--pass", "--cancel-rest"}, usage, []string{"--cancel-rest goes with --fail"}},
		{"factory renamed to another's name", []string{"factory", "edit", "Kiln Co", "--name", "printhaus"}, refused, []string{`already a factory named "PrintHaus"`}},
		{"factory edit with nothing to change", []string{"factory", "edit", "Kiln Co"}, usage, []string{"factory edit needs a flag"}},
		{"factory edited to a zero multiple", []string{"factory", "edit", "Kiln Co", "--multiple", "0"}, refused, []string{"0 is not a batch multiple"}},
		{"unknown factory to edit", []string{"factory", "edit", "Nowhere", "--moq", "5"}, refused, []string{`"Nowhere"`}},
		{"QA with nothing held", []string{"batch", "qa", batch, "--pass"}, refused, []string{batch, "no units held"}},
		{"sale beyond available", []string{"sell", "MUG-01", "--qty", "6", "--at", "2025-03-02"}, refused, []string{"6", "MUG-01", "only 5 available", "--force"}},
		{"return from another SKU's batch", []string{"return", "MUG-01", "--qty", "1", "--reason", "defect", "--batch", batch}, refused, []string{batch, "MUG-01"}},
		{"SKU code taken", []string{"sku", "add", "mug-01", "--name", "Mug", "--path", "digital"}, refused, []string{`"mug-01"`}},
		{"factory name taken", []string{"factory", "add", "Kiln Co", "--kind", "workshop", "--lead-days", "1"}, refused, []string{`"Kiln Co"`}},
		{"bad SKU code", []string{"sku", "add", "MUG 02", "--name", "Mug", "--path", "digital"}, refused, []string{`"MUG 02"`}},
		{"cover out of range", []string{"sku", "edit", "MUG-01", "--min-cover", "400"}, refused, []string{"400"}},
		{"new code taken", []string{"sku", "edit", "MUG-01", "--code", "poster-a3"}, refused, []string{`"poster-a3"`, "POSTER-A3"}},
		{"bad new code", []string{"sku", "edit", "MUG-01", "--code", "MUG 1"}, refused, []string{`"MUG 1"`}},
		{"lead time neither days nor default", []string{"sku", "edit", "MUG-01", "--lead-days", "soon"}, usage, []string{`"soon"`, "or default"}},
		{"maximum cover below minimum", []string{"sku", "edit", "MUG-01", "--min-cover", "10", "--max-cover", "5"}, refused, []string{"5", "10"}},
		{"negative minimum order", []string{"factory", "add", "Shed", "--kind", "workshop", "--lead-days", "1", "--moq", "-1"}, refused, []string{"-1"}},
		{"zero batch multiple", []string{"factory", "add", "Shed", "--kind", "workshop", "--lead-days", "1", "--multiple", "0"}, refused, []string{"0 is not a batch multiple"}},
		{"count of a digital SKU", []string{"count", "ZINE-PDF", "--qty", "3"}, refused, []string{"ZINE-PDF"}},
		{"return days out of range", []string{"returns", "--days", "0"}, refused, []string{"0 is not a number of days"}},
		{"second shop in one file", []string{"init", "--shop", "Again"}, refused, []string{"already a shop"}},
		{"unknown command", []string{"frobnicate"}, usage, []string{`"frobnicate"`, "microshopctl help"}},
		{"unknown subcommand", []string{"sku", "frobnicate"}, usage, []string{`"frobnicate"`, "microshopctl help sku"}},
		{"unknown flag", []string{"stock", "--colour", "red"}, usage, []string{"--colour", "microshopctl help stock"}},
		{"unknown global flag", []string{"--colour", "stock"}, usage, []string{"--colour", "microshopctl help"}},
		{"flag without its value", []string{"sell", "MUG-01", "--qty"}, usage, []string{"--qty"}},
		{"bool flag given a word", []string{"sell", "MUG-01", "--force=maybe"}, usage, []string{"--force", `"maybe"`}},
		{"missing argument", []string{"sell"}, usage, []string{"CODE"}},
		{"flag given twice", []string{"sell", "MUG-01", "--qty", "1", "--qty", "2"}, usage, []string{"--qty", `"1"`, `"2"`, "once"}},
		{"bool flag given twice", []string{"sell", "MUG-01", "--force", "--force=false"}, usage, []string{"--force", "once"}},
		{"flag given twice after the argument", []string{"adjust", "MUG-01", "--qty", "-1", "--note", "a", "--qty=-2"}, usage, []string{"--qty", `"-1"`, `"-2"`}},
		{"extra argument", []string{"sku", "show", "MUG-01", "POSTER-A3"}, usage, []string{`"POSTER-A3"`}},
		{"missing required flag", []string{"return", "MUG-01", "--qty", "1"}, usage, []string{"--reason"}},
		{"adjustment without a note", []string{"adjust", "MUG-01", "--qty", "-1"}, usage, []string{"--note"}},
		{"receipt without a quantity", []string{"batch", "receive", batch}, usage, []string{"--qty"}},
		{"factory without a lead time", []string{"factory", "add", "Shed", "--kind", "workshop"}, usage, []string{"--lead-days"}},
		{"QA both pass and fail", []string{"batch", "qa", batch, "--pass", "--fail"}, usage, []string{"--pass", "--fail"}},
		{"QA neither pass nor fail", []string{"batch", "qa", batch}, usage, []string{"--pass", "--fail"}},
		{"edit with nothing to change", []string{"sku", "edit", "MUG-01"}, usage, []string{"sku edit needs a flag"}},
		{"group without a command", []string{"factory"}, usage, []string{"add, list, show, edit, pause, resume, quote or unquote"}},
		// Numbers past their bounds name the bound.
		{"quantity sold past the bound", []string{"sell", "MUG-01", "--qty", "1000001"}, refused, []string{"1000001", "from 1 to 1000000"}},
		{"adjustment past the bound", []string{"adjust", "MUG-01", "--qty", "1000001", "--note", "found"}, refused, []string{"1000001 is too large", "from -1000000 to 1000000"}},
		{"adjustment past the negative bound", []string{"adjust", "MUG-01", "--qty", "-1000001", "--note", "lost"}, refused, []string{"-1000001 is too large", "from -1000000 to 1000000"}},
		{"count past the bound", []string{"count", "MUG-01", "--qty", "1000001"}, refused, []string{"1000001", "from 0 to 1000000"}},
		{"quantity too long for a number", []string{"sell", "MUG-01", "--qty", "99999999999999999999"}, usage, []string{"--qty 99999999999999999999 is out of range", "1000000"}},
		{"days too long for a number", []string{"returns", "--days", "-99999999999999999999"}, usage, []string{"--days -99999999999999999999 is out of range"}},
		{"lead time too long for a number", []string{"sku", "edit", "MUG-01", "--lead-days", "99999999999999999999"}, usage, []string{"--lead-days 99999999999999999999 is out of range", "from 0 to 365"}},
		{"seed not a number", []string{"demo", "--seed", "x"}, usage, []string{`--seed "x" is not a whole number`}},
		{"seed too long for a number", []string{"demo", "--seed", "99999999999999999999"}, usage, []string{"--seed 99999999999999999999 is out of range", "from 0 to 9223372036854775807"}},
		{"negative seed", []string{"simulate", "--seed", "-1"}, usage, []string{"--seed -1 is negative", "from 0 to 9223372036854775807"}},
		// An empty value is refused, never quietly replaced by the default.
		{"empty database before the command", []string{"--db", "", "stock"}, usage, []string{"--db is empty", "PATH", "$MICROSHOP_DB"}},
		{"empty database after the command", []string{"stock", "--db="}, usage, []string{"--db is empty", "PATH"}},
		{"empty currency", []string{"init", "--shop", "Again", "--currency", ""}, usage, []string{"--currency is empty", "three-letter CODE", "leave --currency out for EUR"}},
		{"empty shop name", []string{"init", "--shop", ""}, usage, []string{"--shop is empty", "NAME"}},
		{"blank device name", []string{"init", "--shop", "Again", "--device", "  "}, usage, []string{"--device is empty", "NAME", "leave --device out for the host name"}},
		{"empty token", []string{"sync", "--token", ""}, usage, []string{"--token is empty", "TOKEN", "leave --token out for the last one used"}},
		{"empty relay", []string{"sync", "--relay", "", "--token", "abc"}, usage, []string{"--relay is empty", "URL"}},
		{"empty invite to join", []string{"join", "--invite", ""}, usage, []string{"--invite is empty", "INVITE"}},
		{"damaged invite to join", []string{"join", "--invite", "microshop1:AAAA"}, 1, []string{"microshop1:AAAA", "not a usable invite"}},
		{"relay beside an invite", []string{"join", "--invite", "microshop1:AAAA", "--relay", "ws://relay.example:7420"}, usage, []string{"--relay", "--invite", "the invite names the relay"}},
		{"token beside an invite", []string{"join", "--invite", "microshop1:AAAA", "--token", "abc"}, usage, []string{"--token", "--invite", "the invite names the relay"}},
		// A relay makes every token as mst_ and two runs of hex digits:
		// anything else was taken, and failed only on the other device.
		{"not a token to invite with", []string{"invite", "--relay", "ws://relay.example:7420", "--token", "abc"}, 1, []string{`"abc" is not a relay token`, "mst_", "as the relay's owner made it"}},
		{"token cut short to invite with", []string{"invite", "--relay", "ws://relay.example:7420", "--token", someToken[:40]}, 1, []string{someToken[:12] + "…", "(40 characters) is not a relay token"}},
		{"not a token to sync with", []string{"sync", "--relay", "ws://relay.example:7420", "--token", "abc"}, 1, []string{`"abc" is not a relay token`, "mst_"}},
		{"empty note", []string{"adjust", "MUG-01", "--qty", "1", "--note", ""}, usage, []string{"--note is empty", "TEXT"}},
		// The usage is a description for the help; the refusal says what to give.
		{"negative price", []string{"sku", "edit", "MUG-01", "--price", "-5"}, usage, []string{`--price "-5" is below zero`, "0 or more"}},
		{"price not a number", []string{"sku", "edit", "MUG-01", "--price", "2.5x"}, usage, []string{`--price "2.5x" is not an amount of money`}},
		{"empty code to report", []string{"stock", ""}, usage, []string{"CODE is empty", "microshopctl stock [CODE]"}},
		{"empty code to source", []string{"source", " "}, usage, []string{"CODE is empty"}},
		{"empty code for a message", []string{"message", ""}, usage, []string{"CODE is empty"}},
		{"empty kit code", []string{"kit", "show", ""}, usage, []string{"CODE is empty"}},
		// An unset shell variable at the till: the name said keeps its brackets whole.
		{"empty code to sell", []string{"sell", ""}, usage, []string{"CODE[:QTY] is empty; usage"}},
		{"empty second code to sell", []string{"sell", "MUG-01", " "}, usage, []string{"CODE[:QTY] is empty; usage"}},
		{"empty location", []string{"stock", "--location", ""}, usage, []string{"--location is empty; give a location NAME, or leave --location out for every location"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.vector()
			checkRefusal(t, s.run(tt.args...), tt.code, tt.want...)
			// With --json too, stdout stays empty and the sentence is the same.
			checkRefusal(t, s.run(append(tt.args, "--json")...), tt.code, tt.want...)
			if after := s.vector(); after != before {
				t.Errorf("the shop changed: vector %s, was %s", after, before)
			}
		})
	}
}

// A number too long to hold, given to a flag with a narrower range than
// a quantity's, was told "no quantity or number of days goes beyond
// 1000000": a discount of 1000000 % is refused too. Each names the range
// its flag accepts, and nothing is written.
func TestANumberTooLongNamesItsFlagsRange(t *testing.T) {
	s := mugShop(t, "Mug", "20.00", "10")
	const huge = "99999999999999999999"
	pdf := filepath.Join(t.TempDir(), "labels.pdf")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"discount", []string{"sell", "MUG", "--discount", huge}, "0 to 100"},
		{"holding rate", []string{"shop", "set", "--holding-rate", huge}, "0 to 100"},
		{"lead time of a new factory", []string{"factory", "add", "Far", "--kind", "print", "--lead-days", huge}, "0 to 365"},
		{"lead time of a factory", []string{"factory", "edit", "Kiln", "--lead-days", huge}, "0 to 365"},
		{"lead time of a quote", []string{"factory", "quote", "Kiln", "MUG", "--unit-cost", "3", "--lead-days", huge}, "0 to 365"},
		{"label copies", []string{"labels", "MUG", "--copies", huge, "--out", pdf}, "1 to 10000"},
		{"days of return rates", []string{"returns", "--days", huge}, "1 to 3660"},
		{"days of margins", []string{"margins", "--days", huge}, "1 to 3660"},
		{"a fair's days", []string{"pack", "--days", huge}, "1 to 30"},
	}
	before := s.ok("status", "--json")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.run(tt.args...)
			checkRefusal(t, r, 2, huge, tt.want)
			if strings.Contains(r.stderr, "1000000") {
				t.Errorf("stderr %q names a quantity's range, not the flag's", r.stderr)
			}
		})
	}
	if after := s.ok("status", "--json"); after != before {
		t.Errorf("the shop changed: status %s, then %s", before, after)
	}
	if _, err := os.Stat(pdf); !os.IsNotExist(err) {
		t.Errorf("a refused labels wrote %s", pdf)
	}
}

// A date flag an export does not read was dropped without a word:
// `export stock --to 2026-12-01` wrote today's stock, and `export sales
// --as-of 2026-12-01` the 30 days to today, as if the date had been
// taken. Each is refused, saying which flag the export takes, and no file
// is written.
func TestExportRefusesAFlagItDoesNotRead(t *testing.T) {
	s := mugShop(t, "Mug", "20.00", "10")
	day := daysAgo(2)[:10]
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"stock to a day", []string{"stock", "--to", day}, []string{"--to", "export sales", "--as-of"}},
		{"reorder from a day", []string{"reorder", "--from", day}, []string{"--from", "export sales", "--as-of"}},
		{"shopify inventory over a period", []string{"shopify-inventory", "--from", day, "--to", day}, []string{"--from", "--as-of"}},
		{"sales as of a day", []string{"sales", "--as-of", day}, []string{"--as-of", "--from", "--to"}},
		{"stock at a Shopify location", []string{"stock", "--shopify-location", "Back room"}, []string{"--shopify-location", "shopify-inventory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			csv := filepath.Join(t.TempDir(), "export.csv")
			checkRefusal(t, s.run(append([]string{"export"}, append(tt.args, "--out", csv)...)...), 2, tt.want...)
			if _, err := os.Stat(csv); !os.IsNotExist(err) {
				t.Errorf("a refused export wrote %s", csv)
			}
		})
	}
	for _, ok := range [][]string{{"stock", "--as-of", day}, {"sales", "--from", day, "--to", day}, {"shopify-inventory", "--as-of", day, "--shopify-location", "Back room"}} {
		s.ok(append([]string{"export"}, append(ok, "--out", filepath.Join(t.TempDir(), "ok.csv"))...)...)
	}
}

// A flag's value left out, the next flag was taken as the value:
// `adjust MUG --qty -1 --note --force` recorded a correction noted
// "--force", and it was not forced; `--db --json status` looked for a shop
// at "--json". Each is refused, naming the flag and the one after it, and
// nothing is written; a value that only begins with a dash still goes.
func TestAFlagIsNotTheValueOfTheOneBefore(t *testing.T) {
	s := mugShop(t, "Mug", "20.00", "10")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"a note left out", []string{"adjust", "MUG", "--qty", "-1", "--note", "--force"}, []string{"--note", "--force", "TEXT"}},
		{"a name left out", []string{"sku", "add", "CUP", "--name", "--path", "digital"}, []string{"--name", "--path"}},
		{"a price left out", []string{"sell", "MUG", "--price", "--force"}, []string{"--price", "--force"}},
		{"a batch left out", []string{"return", "MUG", "--qty", "1", "--reason", "defect", "--batch", "--restock"}, []string{"--batch", "--restock"}},
		{"a value left out before a global flag", []string{"sell", "MUG", "--payment", "--json"}, []string{"--payment", "--json"}},
		{"a value written with one dash", []string{"adjust", "MUG", "--qty", "-1", "--note", "-force"}, []string{"--note", "-force"}},
	}
	before := s.ok("status", "--json")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRefusal(t, s.run(tt.args...), 2, tt.want...)
		})
	}
	if after := s.ok("status", "--json"); after != before {
		t.Errorf("the shop changed: status %s, then %s", before, after)
	}
	checkRefusal(t, runCLI(t, "--db", "--json", "status"), 2, "--db", "--json")
	s.ok("adjust", "MUG", "--qty", "-1", "--note", "-1 chipped in the kiln")
	s.ok("adjust", "MUG", "--note", "found one", "--qty", "+1")
}

// A currency code no currency has was taken at init, `init --shop Fern
// --currency EUE`, and a shop's currency cannot be changed after. It is
// refused, and no shop is made.
func TestInitRefusesACurrencyCodeNoCurrencyHas(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	checkRefusal(t, runCLI(t, "--db", db, "init", "--shop", "Fern", "--currency", "EUE"), 1, `"EUE"`, "ISO 4217")
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a refused init left %s", db)
	}
	runCLI(t, "--db", db, "init", "--shop", "Fern", "--currency", "mru")
	var shop obj
	decodeOne(t, runCLI(t, "--db", db, "--json", "shop").stdout, &shop)
	if shop["currency"] != "MRU" {
		t.Errorf("a shop in ouguiya: currency %v, want MRU", shop["currency"])
	}
}

func TestMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "nowhere", "shop.db")
	for _, args := range [][]string{{"stock"}, {"shop", "--json"}, {"sell", "MUG-01"}, {"factory", "list"}, {"status"}} {
		r := runCLI(t, append([]string{"--db", db}, args...)...)
		checkRefusal(t, r, 1, db, "microshopctl init")
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); !os.IsNotExist(err) {
		t.Errorf("a refused command created %s", filepath.Join(dir, "nowhere"))
	}
}

func TestCorruptDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	garbage := bytes.Repeat([]byte("not a database \x00\xff"), 300)
	if err := os.WriteFile(db, garbage, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"stock"}, {"sell", "MUG-01"}, {"sku", "add", "CUP-01", "--name", "Cup", "--path", "digital"}, {"status", "--json"}, {"alerts"}} {
		r := runCLI(t, append([]string{"--db", db}, args...)...)
		checkRefusal(t, r, 1, db, "damaged")
	}
	got, err := os.ReadFile(db)
	if err != nil || !bytes.Equal(got, garbage) {
		t.Errorf("the damaged file changed (err %v)", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files beside the damaged database: %v, want only shop.db", names)
	}
	// init refuses to overwrite it too.
	checkRefusal(t, runCLI(t, "--db", db, "init", "--shop", "New"), 1, db)
}

// --db naming a folder, or another program's database, is refused with a
// sentence saying what it is, and the folder or file is left as it was.
func TestDatabaseThatIsNotAShop(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "notes.sqlite")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('buy clay')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	original, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "Stall")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"stock"}, {"init", "--shop", "New"}, {"demo"}, {"sell", "MUG-01", "--json"}} {
		checkRefusal(t, runCLI(t, append([]string{"--db", other}, args...)...), 1, other, "another program's database", "left untouched")
		checkRefusal(t, runCLI(t, append([]string{"--db", folder}, args...)...), 1,
			folder+" is a folder, not a shop file", filepath.Join(folder, "shop.db"))
	}
	if got, err := os.ReadFile(other); err != nil || !bytes.Equal(got, original) {
		t.Errorf("the other program's database changed (err %v)", err)
	}
	for _, d := range []string{dir, folder} {
		entries, _ := os.ReadDir(d)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if want := map[string]int{dir: 2, folder: 0}[d]; len(names) != want {
			t.Errorf("%s holds %q, want %d entries as before", d, names, want)
		}
	}
}

// MICROSHOP_DB set to "" counts as unset: the shop is the default one, as
// the help says. (--db "" is refused: see TestBadInput.)
func TestEmptyMicroshopDBIsUnset(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("MICROSHOP_DB", "")
	var shop obj
	r := runCLI(t, "init", "--shop", "Clay & Ink", "--json")
	if r.code != 0 {
		t.Fatalf("init: exit %d, stderr %q", r.code, r.stderr)
	}
	decodeOne(t, r.stdout, &shop)
	if want := filepath.Join(data, "microshop", "shop.db"); shop["db"] != want {
		t.Errorf("init with MICROSHOP_DB empty made %v, want the default %s", shop["db"], want)
	}
	if r := runCLI(t, "help"); !strings.Contains(r.stdout, "$MICROSHOP_DB (an empty one counts as unset)") {
		t.Errorf("help does not say an empty MICROSHOP_DB counts as unset:\n%s", r.stdout)
	}
}

// An empty value is refused before anything is made: `init --currency ""`
// used to make a EUR shop, `--db ""` to fall back to $MICROSHOP_DB or the
// default shop, `--device ""` to name the device after the host.
func TestEmptyValueIsNotTheDefault(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("MICROSHOP_DB", filepath.Join(dir, "env.db"))
	db := filepath.Join(dir, "shop.db")
	for _, args := range [][]string{
		{"--db", db, "init", "--shop", "Clay & Ink", "--currency", ""},
		{"--db", db, "init", "--shop", "Clay & Ink", "--device="},
		{"--db", "", "init", "--shop", "Clay & Ink"},
		{"init", "--shop", "Clay & Ink", "--db", ""},
		{"--db", db, "demo", "--db", ""},
	} {
		checkRefusal(t, runCLI(t, args...), 2, "is empty")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused init made %v", entries[0].Name())
	}
}

// A relay with a self-signed certificate is not "unreachable": join and
// sync say its certificate is not trusted, and why.
func TestUntrustedRelayCertificate(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	relay := "wss://" + srv.Listener.Addr().String()
	want := []string{relay, "certificate this device does not trust", "self-signed"}

	s := newShop(t)
	invite := s.object("invite", "--relay", relay, "--token", someToken)["invite"].(string)
	db := filepath.Join(t.TempDir(), "joined.db")
	checkRefusal(t, runCLI(t, "--db", db, "join", "--invite", invite), 1, want...)
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a refused join left %s", db)
	}
	checkRefusal(t, s.run("sync", "--relay", relay, "--token", someToken), 1, want...)
}

// An invite's QR code holds the shop key: only its owner may read the
// file. A relay address no device could use is refused at once, not
// first on the other device, and nothing is written.
func TestInviteQRIsPrivateAndItsRelayChecked(t *testing.T) {
	s := newShop(t)
	qr := filepath.Join(t.TempDir(), "invite.png")
	if r := s.run("invite", "--relay", "ws://127.0.0.1:7420", "--token", someToken, "--qr", qr); r.code != 0 {
		t.Fatalf("invite --qr: exit %d, %s", r.code, r.stderr)
	}
	fi, err := os.Stat(qr)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("the QR code's file has mode %o, want 600", mode)
	}
	for _, relay := range []string{"http://127.0.0.1:7420", "ftp://x", "not a url"} {
		other := filepath.Join(t.TempDir(), "other.png")
		checkRefusal(t, s.run("invite", "--relay", relay, "--token", someToken, "--qr", other), 1, relay, "ws://")
		if _, err := os.Stat(other); !os.IsNotExist(err) {
			t.Errorf("a refused invite wrote %s", other)
		}
	}
}

// An invite's QR code is a PNG, so it goes to a file named .png, as the
// simulation's chart does: `--qr invite.txt` wrote a PNG under a text
// file's name, which the other device's viewer then would not open.
func TestInviteQRNeedsAPNGName(t *testing.T) {
	s := newShop(t)
	dir := t.TempDir()
	for _, name := range []string{"invite.txt", "invite", "invite.png.bak"} {
		qr := filepath.Join(dir, name)
		checkRefusal(t, s.run("invite", "--relay", "ws://127.0.0.1:7420", "--token", someToken, "--qr", qr), 2, qr, ".png")
		if _, err := os.Stat(qr); !os.IsNotExist(err) {
			t.Errorf("a refused invite wrote %s", qr)
		}
	}
	if r := s.run("invite", "--relay", "ws://127.0.0.1:7420", "--token", someToken, "--qr", filepath.Join(dir, "Invite.PNG")); r.code != 0 {
		t.Errorf("invite --qr Invite.PNG: exit %d, %s; want it written", r.code, r.stderr)
	}
}

// An invite naming a relay this device does not sync with says to sync
// here first: the other device's join found nothing of the shop there and
// used up the token's binding. Once the device syncs with that relay (it is
// remembered), the invite says nothing of it.
func TestAnInviteToARelayNotSyncedWithSaysToSyncFirst(t *testing.T) {
	s := newShop(t)
	r := s.run("invite", "--relay", "ws://127.0.0.1:7420", "--token", someToken)
	if r.code != 0 || !strings.Contains(r.stderr, "microshopctl sync --relay ws://127.0.0.1:7420 --token") {
		t.Fatalf("exit %d, stderr %q; want a warning to sync with ws://127.0.0.1:7420 here first", r.code, r.stderr)
	}
	b, _ := json.Marshal(map[string]string{"relay": "ws://127.0.0.1:7420/sync", "token": someToken})
	if err := os.WriteFile(s.db+".sync", b, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := s.run("invite", "--relay", "ws://127.0.0.1:7420", "--token", someToken); r.code != 0 || strings.Contains(r.stderr, "sync --relay") {
		t.Errorf("exit %d, stderr %q; want no word of syncing first with the relay this device syncs with", r.code, r.stderr)
	}
}

// An invite naming this computer's address for itself (127.0.0.1,
// localhost) warns that another computer cannot reach the relay there:
// the invite carries the address, and the other computer looked for the
// relay on itself. --json prints the invite alone, as before.
func TestAnInviteToThisComputersOwnAddressWarns(t *testing.T) {
	s := newShop(t)
	for _, relay := range []string{"ws://127.0.0.1:7420", "ws://localhost:7420", "wss://[::1]:7420"} {
		r := s.run("invite", "--relay", relay, "--token", someToken)
		if r.code != 0 || !strings.Contains(r.stderr, "warning: "+relay+" is this computer's address for itself, so another computer cannot reach the relay there") {
			t.Errorf("invite --relay %s: exit %d, stderr %q; want a warning that another computer cannot reach it", relay, r.code, r.stderr)
		}
	}
	if r := s.run("invite", "--relay", "ws://192.168.1.20:7420", "--token", someToken); strings.Contains(r.stderr, "cannot reach") {
		t.Errorf("an invite to a network address warns %q", r.stderr)
	}
	r := s.run("--json", "invite", "--relay", "ws://127.0.0.1:7420", "--token", someToken)
	var out map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out) != 1 || out["invite"] == "" {
		t.Errorf("invite --json printed %q (%v); want {\"invite\"} alone", r.stdout, err)
	}
}

// someToken reads as a relay token, as relays make them, and is no
// relay's.
var someToken = "mst_0123456789abcdef_" + strings.Repeat("5a", 32)
