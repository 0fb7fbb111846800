package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/relay"
	"microshop/sync/relay/pgtest"
	"microshop/sync/seal"
)

// skuName is in the old plaintext changes: what forget must wipe.
const skuName = "Moonlit Glaze Teapot"

// oldAndSealed are a shop's changes as a relay holds them after the shop
// synced before it was sealed: 3 of desk's in the clear, naming a SKU, and
// 2 of stall's sealed since.
func oldAndSealed() []changes.Change {
	var cs []changes.Change
	for seq := int64(1); seq <= 3; seq++ {
		cs = append(cs, changes.Change{Origin: "desk", Seq: seq, HLC: changes.Stamp{Wall: 1_700_000_000_000 + seq, Device: "desk"}.String(),
			Entity: "sku", EntityID: fmt.Sprintf("TEAPOT-%d", seq), Body: json.RawMessage(fmt.Sprintf(`{"name":%q}`, skuName))})
	}
	for seq := int64(1); seq <= 2; seq++ {
		cs = append(cs, changes.Change{Origin: "stall", Seq: seq, HLC: changes.Stamp{Wall: 1_700_000_000_100 + seq, Device: "stall"}.String(),
			Entity: seal.Entity, EntityID: strings.Repeat("ab", 32), Body: json.RawMessage(`"c2VhbGVk"`)})
	}
	return cs
}

func appendTo(t *testing.T, s relay.Store, cs []changes.Change) {
	t.Helper()
	if _, err := s.Append(context.Background(), shop, cs); err != nil {
		t.Fatal(err)
	}
}

// shopFilesHold reports whether any file of the shop in a relay's data
// directory holds text.
func shopFilesHold(t *testing.T, data, text string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(relay.ShopsPath(data), shop+".db*"))
	if len(files) == 0 {
		t.Fatalf("no files of shop %s in %s", shop, data)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(text)) {
			return true
		}
	}
	return false
}

// Without --yes forget says what it would drop and drops nothing; with it,
// the changes are gone, their bytes too, and the tokens stay.
func TestForgetCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	mustRun(t, "token", "create", "--data", data, "--shop", shop, "--label", "desk")
	s, err := relay.OpenSQLiteStore(relay.ShopsPath(data))
	if err != nil {
		t.Fatal(err)
	}
	appendTo(t, s, oldAndSealed())
	s.Close()

	plan := mustRun(t, "forget", "--data", data, "--shop", shop)
	for _, want := range []string{"5 changes of shop " + shop, "3 of them in the clear", "desk\t3 changes", "stall\t2 changes", "Nothing was dropped", "--yes", "synced once since the shop was sealed"} {
		if !strings.Contains(plan, want) {
			t.Errorf("forget without --yes printed:\n%s\nwant it to say %q", plan, want)
		}
	}
	if !shopFilesHold(t, data, skuName) {
		t.Fatal("forget without --yes wiped the plaintext")
	}
	if strings.Contains(plan, "nothing private to drop") {
		t.Errorf("forget says there is nothing private to drop while 3 changes are in the clear:\n%s", plan)
	}

	done := mustRun(t, "forget", "--data", data, "--shop", shop, "--yes")
	for _, want := range []string{"Dropped 5 changes of shop " + shop, "3 of them in the clear", "tokens and data version are kept", "wiped", "synced once since the shop was sealed"} {
		if !strings.Contains(done, want) {
			t.Errorf("forget --yes printed:\n%s\nwant it to say %q", done, want)
		}
	}
	if shopFilesHold(t, data, skuName) {
		t.Errorf("after forget --yes the shop's files still hold %q", skuName)
	}
	s, err = relay.OpenSQLiteStore(relay.ShopsPath(data))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.Vector(ctx, shop); len(v) != 0 {
		t.Errorf("after forget --yes the relay's vector is %v, want empty", v)
	}
	if list := mustRun(t, "token", "list", "--data", data); !strings.Contains(list, "\tdesk\t"+shop) {
		t.Errorf("after forget the tokens are %q, want the shop's kept", list)
	}
	if again := mustRun(t, "forget", "--data", data, "--shop", shop); !strings.Contains(again, "no changes of shop "+shop) {
		t.Errorf("forget of a forgotten shop printed %q, want that it holds none", again)
	}
	// Sent again sealed, the changes are nothing the relay can read.
	appendTo(t, s, oldAndSealed()[3:])
	if again := mustRun(t, "forget", "--data", data, "--shop", shop); !strings.Contains(again, "nothing private to drop") {
		t.Errorf("forget of a shop the relay cannot read printed:\n%s\nwant it to say there is nothing private to drop", again)
	}

	// The write key stays with forget, and goes with --reset-key.
	first, second := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	if _, err := s.BindWriteKey(ctx, shop, first); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "forget", "--data", data, "--shop", shop, "--yes")
	if got, _ := s.BindWriteKey(ctx, shop, second); !bytes.Equal(got, first) {
		t.Errorf("after forget the write key is %x, want %x kept", got, first)
	}
	if out := mustRun(t, "forget", "--data", data, "--shop", shop, "--yes", "--reset-key"); !strings.Contains(out, "write key is forgotten too") {
		t.Errorf("forget --reset-key printed %q", out)
	}
	if got, _ := s.BindWriteKey(ctx, shop, second); !bytes.Equal(got, second) {
		t.Errorf("after --reset-key the next key offered binds %x, want %x", got, second)
	}

	_, err = run(t, "forget", "--data", data, "--shop", "0190a1b2-ffff-7000-8000-000000000009")
	if domain.ErrorCode(err) != domain.ENotFound || !strings.Contains(domain.ErrorMessage(err), "0190a1b2-ffff-7000-8000-000000000009") {
		t.Errorf("forget of an unknown shop: %v, want not_found naming it", err)
	}
}

func TestForgetCommandErrors(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "token", "create", "--data", dir, "--shop", shop)
	tests := []struct {
		name string
		args []string
		code string
		want string // in the message
	}{
		{"no shop", []string{"forget", "--data", dir}, domain.EInvalid, "--shop SHOP_ID"},
		{"bad shop id", []string{"forget", "--data", dir, "--shop", "My Shop"}, domain.EInvalid, `"My Shop"`},
		{"bad shop id with --yes", []string{"forget", "--data", dir, "--shop", "../tokens", "--yes"}, domain.EInvalid, `"../tokens"`},
		{"shop never synced", []string{"forget", "--data", dir, "--shop", shop, "--yes"}, domain.ENotFound, shop},
		{"no relay in the directory", []string{"forget", "--data", filepath.Join(dir, "typo"), "--shop", shop}, domain.ENotFound, "typo"},
		{"no place", []string{"forget", "--shop", shop}, domain.EInvalid, "--data DIR"},
		{"stray argument", []string{"forget", "--data", dir, "--shop", shop, "now"}, domain.EInvalid, `"now"`},
		{"reset the key without --yes", []string{"forget", "--data", dir, "--shop", shop, "--reset-key"}, domain.EInvalid, "--reset-key goes with --yes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, tt.args...)
			msg := domain.ErrorMessage(err)
			if domain.ErrorCode(err) != tt.code || !strings.Contains(msg, tt.want) || strings.Contains(strings.TrimSpace(msg), "\n") {
				t.Errorf("%v, want one line of %s containing %q", err, tt.code, tt.want)
			}
			checkErrorStyle(t, msg)
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "typo")); err == nil {
		t.Error("forget on a mistyped --data created the directory")
	}
	if files, _ := filepath.Glob(filepath.Join(relay.ShopsPath(dir), "*.db")); len(files) != 0 {
		t.Errorf("refused forgets created %v", files)
	}
}

// With --store the same, in one PostgreSQL transaction, and the output says
// that PostgreSQL keeps the bytes until its own VACUUM.
func TestForgetCommandOnPostgreSQL(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	s, err := relay.OpenPGStore(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	appendTo(t, s, oldAndSealed())

	if plan := mustRun(t, "forget", "--store", url, "--shop", shop); !strings.Contains(plan, "5 changes of shop "+shop+", 3 of them in the clear") {
		t.Errorf("forget --store without --yes printed:\n%s", plan)
	}
	if v, _ := s.Vector(ctx, shop); v.Total() != 5 {
		t.Errorf("forget without --yes changed the vector to %v", v)
	}
	done := mustRun(t, "forget", "--store", url, "--shop", shop, "--yes")
	if !strings.Contains(done, "Dropped 5 changes") || !strings.Contains(done, "until its own VACUUM") {
		t.Errorf("forget --store --yes printed:\n%s", done)
	}
	if v, _ := s.Vector(ctx, shop); len(v) != 0 {
		t.Errorf("after forget --store --yes the vector is %v, want empty", v)
	}
	_, err = run(t, "forget", "--store", url, "--shop", "0190a1b2-ffff-7000-8000-000000000009")
	if domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("forget --store of an unknown shop: %v, want not_found", err)
	}
}
