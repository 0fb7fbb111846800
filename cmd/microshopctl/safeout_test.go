package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
)

func TestSafeWriterEscapesWhatDrivesATerminal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mug\tblue\n", "Mug\tblue\n"},
		{"Thé ☕\n", "Thé ☕\n"},
		{"Mug\x1b[31m red\a\n", `Mug\u001b[31m red\u0007` + "\n"},
		{"over\rwrite", `over\u000dwrite`},
		{"csi\u009b2J", `csi\u009b2J`},
		{"gum\u202eMug", `gum\u202eMug`},
		{"bad \xff", `bad \xff`},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		n, err := safeWriter{&out}.Write([]byte(tt.in))
		if err != nil || n != len(tt.in) {
			t.Errorf("Write(%q) = %d, %v; want %d, nil", tt.in, n, err, len(tt.in))
		}
		if got := out.String(); got != tt.want {
			t.Errorf("Write(%q) wrote %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A name that holds escape codes (written before names were checked) is
// printed escaped, in a table and in JSON, and the JSON still reads back
// as the name.
func TestListingsNeverPrintRawControlCharacters(t *testing.T) {
	s := newShop(t)
	s.ok("factory", "add", "Fab", "--kind", "workshop", "--lead-days", "3")
	s.ok("sku", "add", "MUG", "--name", "Mug", "--path", "handmade", "--factory", "Fab")
	if strings.Contains(s.run("sku", "add", "RED", "--name", "Red\x1b[31m", "--path", "handmade", "--factory", "Fab").stderr, "\x1b") {
		t.Errorf("the refusal of a name with an escape code printed it raw")
	}
	db, err := sql.Open("sqlite", s.db)
	if err != nil {
		t.Fatal(err)
	}
	const hostile = "Mug\x1b]0;pwned\a\x1b[2J\u009b31m"
	if _, err := db.Exec(`UPDATE skus SET name = ?`, hostile); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, args := range [][]string{{"sku", "list"}, {"sku", "show", "MUG"}, {"stock"}, {"alerts"}} {
		out := s.ok(args...)
		if strings.ContainsAny(out, "\x1b\a\u009b") {
			t.Errorf("%s printed a control character raw: %q", strings.Join(args, " "), out)
		}
	}
	out := s.ok("sku", "list")
	if !strings.Contains(out, `Mug\u001b]0;pwned\u0007`) {
		t.Errorf("sku list = %q, want the name with its escapes shown", out)
	}
	var list []map[string]any
	decodeOne(t, s.ok("sku", "list", "--json"), &list)
	if len(list) != 1 || list[0]["name"] != hostile {
		t.Errorf("sku list --json = %v, want the name as stored", list)
	}
	if raw := s.ok("sku", "list", "--json"); strings.ContainsAny(raw, "\x1b\a\u009b") || !json.Valid([]byte(raw)) {
		t.Errorf("sku list --json printed raw control characters or invalid JSON: %q", raw)
	}
}
