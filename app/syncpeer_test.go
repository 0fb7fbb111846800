package app

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"microshop/domain"
)

const (
	testRelay = "ws://192.168.1.20:7420"
	testToken = "mst_0123456789abcdef_5ec7e7a15ec7e7a15ec7e7a15ec7e7a15ec7e7a15ec7e7a15ec7e7a15ec7e7a1"
)

// fileModes are the permission bits of the shop's files that exist.
func fileModes(t *testing.T, path string) map[string]fs.FileMode {
	t.Helper()
	out := map[string]fs.FileMode{}
	for _, p := range shopFiles(path) {
		if fi, err := os.Stat(p); err == nil {
			out[filepath.Base(p)] = fi.Mode().Perm()
		}
	}
	return out
}

// holdsBytes reports which of the shop's files, database and log, contain b.
func holdsBytes(t *testing.T, path string, b string) []string {
	t.Helper()
	var in []string
	for _, p := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(b)) {
			in = append(in, filepath.Base(p))
		}
	}
	return in
}

// A new shop's files, and the sync settings, are readable by this user
// only: they hold every sale and the relay token.
func TestNewShopFilesArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("access on Windows is by ACL, not mode bits")
	}
	s, _ := mustCreate(t)
	mustFactory(t, s, "Kiln", 3, true) // a write, so the log files exist
	if err := s.SetSyncPeer(context.Background(), SyncPeer{Relay: testRelay, Token: testToken}); err != nil {
		t.Fatal(err)
	}
	got := fileModes(t, s.Path())
	for _, name := range []string{"shop.db", "shop.db-wal", "shop.db-shm", "shop.db.device", "shop.db.sync"} {
		if m, ok := got[name]; !ok {
			t.Errorf("%s is missing (files: %v)", name, got)
		} else if m != 0o600 {
			t.Errorf("%s has mode %v, want -rw-------", name, m)
		}
	}
}

// The relay token is never written into the database, so a copy of
// shop.db alone does not carry it; the shop still remembers it.
func TestSyncTokenStaysOutOfTheDatabase(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	path := s.Path()
	if err := s.SetSyncPeer(ctx, SyncPeer{Relay: testRelay, Token: testToken}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLastSync(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if in := holdsBytes(t, path, testToken); len(in) > 0 {
		t.Errorf("the token is in %v", in)
	}
	s.Close()
	if in := holdsBytes(t, path, testToken); len(in) > 0 {
		t.Errorf("after closing, the token is in %v", in)
	}

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p, err := s.SyncPeer(ctx); err != nil || p != (SyncPeer{Relay: testRelay, Token: testToken}) {
		t.Errorf("reopened: sync peer %+v (%v), want the relay and token saved", p, err)
	}

	// The database copied alone remembers no relay.
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Open(copyPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if p, err := c.SyncPeer(ctx); err != nil || p != (SyncPeer{}) {
		t.Errorf("a copy of the database: sync peer %+v (%v), want none", p, err)
	}
}

// A shop an earlier version saved its token in: opening it moves the relay
// and token out of the database, which then no longer holds the token's
// bytes anywhere, and sync still finds both.
func TestOldShopTokenMovesOut(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	path := s.Path()
	s.Close()
	os.Remove(path + ".sync")

	// What an earlier version wrote, through its own connection.
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"sync_relay", testRelay}, {"sync_token", testToken}, {"last_sync", "1"}} {
		if err := setMeta(ctx, db, kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if in := holdsBytes(t, path, testToken); len(in) == 0 {
		t.Fatal("the old shop does not hold the token to begin with")
	}

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.SyncPeer(ctx); err != nil || p != (SyncPeer{Relay: testRelay, Token: testToken}) {
		t.Errorf("sync peer %+v (%v), want the relay and token the old version saved", p, err)
	}
	for _, key := range []string{"sync_relay", "sync_token"} {
		if v, err := getMeta(ctx, s.db, key); err != nil || v != "" {
			t.Errorf("meta %s = %q (%v), want it gone", key, v, err)
		}
	}
	if in := holdsBytes(t, path, testToken); len(in) > 0 {
		t.Errorf("with the shop open, the token is still in %v", in)
	}
	s.Close()
	if in := holdsBytes(t, path, testToken); len(in) > 0 {
		t.Errorf("the token is still in %v", in)
	}
	if runtime.GOOS != "windows" {
		if m := fileModes(t, path)["shop.db.sync"]; m != 0o600 {
			t.Errorf("shop.db.sync has mode %v, want -rw-------", m)
		}
	}
}

// A shop an earlier version made readable by everyone is tightened when
// opened.
func TestOpenTightensAWorldReadableShop(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("access on Windows is by ACL, not mode bits")
	}
	s, _ := mustCreate(t)
	path := s.Path()
	s.SetSyncPeer(context.Background(), SyncPeer{Relay: testRelay, Token: testToken})
	s.Close()
	for _, p := range shopFiles(path) {
		os.Chmod(p, 0o644)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for name, m := range fileModes(t, path) {
		if m&0o077 != 0 {
			t.Errorf("%s has mode %v after opening, want no access for others", name, m)
		}
	}
}

// Damaged sync settings are reported by their file, and saving new ones
// repairs them.
func TestDamagedSyncSettings(t *testing.T) {
	ctx := context.Background()
	s, _ := mustCreate(t)
	if err := os.WriteFile(s.syncFile(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.SyncPeer(ctx)
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, s.syncFile()) || !strings.Contains(msg, "damaged") {
		t.Errorf("damaged settings: %q, want a sentence naming %s as damaged", msg, s.syncFile())
	}
	if err := s.SetSyncPeer(ctx, SyncPeer{Relay: testRelay, Token: testToken}); err != nil {
		t.Fatal(err)
	}
	if p, err := s.SyncPeer(ctx); err != nil || p.Token != testToken {
		t.Errorf("after saving again: %+v (%v)", p, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(s.Path()))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("a temporary file is left: %s", e.Name())
		}
	}
}

// A token mistyped by one letter is still nearly all its secret: the
// refusal named it whole, on the screen and in any log of the command's
// output. It names the token by its start, which is the token's id (the
// relay logs it too), and its length.
func TestARefusedTokenIsNotSaidBack(t *testing.T) {
	secret := strings.Repeat("5a", 31) + "5g" // one letter mistyped
	token := "mst_0123456789abcdef_" + secret
	err := CheckToken(token)
	if err == nil {
		t.Fatalf("CheckToken(%q) took it; want it refused", token)
	}
	msg := domain.ErrorMessage(err)
	if strings.Contains(msg, secret[:8]) {
		t.Errorf("the refusal says the token's secret back: %q", msg)
	}
	if !strings.Contains(msg, "mst_01234567") || !strings.Contains(msg, "85 characters") {
		t.Errorf("the refusal %q does not name the token by its start and length", msg)
	}
	if err := CheckToken("abc"); err == nil || !strings.Contains(domain.ErrorMessage(err), `"abc"`) {
		t.Errorf("CheckToken(abc): %v; want it refused, naming it", err)
	}
}
