package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// dirNames lists the files in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// A joined shop takes its path only once complete, with its device id,
// the relay it came from, and nothing of the join left beside it.
func TestJoinFillsTheShopBeforeItTakesItsPath(t *testing.T) {
	ctx := context.Background()
	src, clock := mustCreate(t)
	mustSKU(t, src, "PAT", domain.PathDigital, "")
	path := filepath.Join(t.TempDir(), "stall", "shop.db")

	j, err := StartJoin(path, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	r, err := j.Create(inviteOf(t, src), "stall laptop")
	if err != nil {
		t.Fatal(err)
	}
	syncPair(t, src, r)
	if Exists(path) {
		t.Fatal("the shop is at its path before the join finished")
	}
	if _, err := Open(path, Options{}); !strings.Contains(domain.ErrorMessage(err), "join again") {
		t.Errorf("opening a shop still joining: %q, want it to say the join has not finished", domain.ErrorMessage(err))
	}
	device := r.DeviceID()
	s, err := j.Finish(ctx, SyncPeer{Relay: testRelay, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != path || s.ShopID() != src.ShopID() || s.DeviceID() != device {
		t.Errorf("joined %s shop %s device %s, want %s, %s, %s", s.Path(), s.ShopID(), s.DeviceID(), path, src.ShopID(), device)
	}
	syncPair(t, src, s) // the joined device's name, which it records at once
	if got, want := content(t, s), content(t, src); got != want {
		t.Errorf("the joined shop holds\n%s\nwant\n%s", got, want)
	}
	if p, err := s.SyncPeer(ctx); err != nil || p != (SyncPeer{Relay: testRelay, Token: testToken}) {
		t.Errorf("sync peer %+v (%v), want the relay joined from", p, err)
	}
	if last, _ := s.LastSync(ctx); last == 0 {
		t.Error("the join is not recorded as a sync")
	}
	for _, n := range dirNames(t, filepath.Dir(path)) {
		if !slices.Contains(shopFiles("shop.db"), n) {
			t.Errorf("left beside the shop: %s", n)
		}
	}
}

// What a killed join left does not block the next: it is cleared, with
// any device file and sync settings that never got their database.
func TestJoinClearsWhatAKilledJoinLeft(t *testing.T) {
	src, clock := mustCreate(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "shop.db")
	for _, p := range []string{joiningPath(path), joiningPath(path) + "-wal", joiningPath(path) + ".device", path + ".device", path + ".sync"} {
		if err := os.WriteFile(p, []byte("left by a killed join"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	j, err := StartJoin(path, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(domain.ErrorMessage(err))
	}
	r, err := j.Create(inviteOf(t, src), "stall")
	if err != nil {
		t.Fatal(err)
	}
	syncPair(t, src, r)
	s, err := j.Finish(context.Background(), SyncPeer{Relay: testRelay, Token: testToken})
	if err != nil {
		t.Fatal(domain.ErrorMessage(err))
	}
	defer s.Close()
	if p, _ := s.SyncPeer(context.Background()); p.Token != testToken {
		t.Errorf("sync peer %+v, want the new join's", p)
	}
	if b, _ := os.ReadFile(path + ".device"); strings.TrimSpace(string(b)) != s.DeviceID() {
		t.Errorf("device file %q, want %s", b, s.DeviceID())
	}
	if names := dirNames(t, dir); slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, "joining") }) {
		t.Errorf("files of the killed join are left: %v", names)
	}
}

// A join under way is not cleared by a second one started meanwhile: the
// second is refused, and the first still finishes.
func TestSecondJoinWaitsForTheFirst(t *testing.T) {
	src, clock := mustCreate(t)
	path := filepath.Join(t.TempDir(), "shop.db")
	first, err := StartJoin(path, Options{Now: clock.Now, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	r, err := first.Create(inviteOf(t, src), "stall")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := StartJoin(path, Options{}); domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), "joining a shop into "+path) {
		t.Errorf("a second join meanwhile: %v, want it refused as under way", err)
	}
	syncPair(t, src, r)
	s, err := first.Finish(context.Background(), SyncPeer{})
	if err != nil {
		t.Fatal(domain.ErrorMessage(err))
	}
	s.Close()
}

// A join that fails leaves nothing behind.
func TestAbortedJoinLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	j, err := StartJoin(filepath.Join(dir, "shop.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Create(Invite{}, "stall"); err == nil {
		t.Error("a replica of no shop was made")
	}
	j.Abort()
	if names := dirNames(t, dir); len(names) > 0 {
		t.Errorf("an aborted join left %v", names)
	}
}

// A join into a folder that is not there yet makes it, and a join that
// fails takes it away again: a refused bundle or a relay that did not
// answer left empty folders where the maker asked for a shop.
func TestAbortedJoinTakesAwayTheFoldersItMade(t *testing.T) {
	dir := t.TempDir()
	j, err := StartJoin(filepath.Join(dir, "stall", "shop", "shop.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	j.Abort()
	if names := dirNames(t, dir); len(names) > 0 {
		t.Errorf("an aborted join into new folders left %v", names)
	}
}
