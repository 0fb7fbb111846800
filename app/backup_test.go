package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"microshop/domain"
)

// backedUpShop is a shop with a SKU, some stock and a sale, backed up to a
// file; all of it acknowledged by a peer, as after a sync.
func backedUpShop(t *testing.T) (s *Shop, backup string) {
	t.Helper()
	ctx := context.Background()
	s, _ = mustCreate(t)
	mustFactory(t, s, "Press", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Press")
	if _, err := s.Count(ctx, "MUG", 20, testStart); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	v, err := s.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MarkAcknowledged(ctx, v); err != nil {
		t.Fatal(err)
	}
	backup = filepath.Join(t.TempDir(), "shop.backup")
	if err := s.Backup(ctx, backup, false); err != nil {
		t.Fatal(err)
	}
	return s, backup
}

func TestRestoreMakesANewDeviceWithEverySale(t *testing.T) {
	ctx := context.Background()
	s, backup := backedUpShop(t)
	if _, err := s.Sell(ctx, Sale{Code: "MUG"}); err != nil { // after the backup
		t.Fatal(err)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != privateFile {
		t.Fatalf("backup: %v, mode %v; want readable by this user only", err, fi.Mode().Perm())
	}

	path := filepath.Join(t.TempDir(), "new", "shop.db")
	res, err := Restore(ctx, backup, path, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if res.ShopName != "Test Shop" || res.KeptAs != "" || res.DeviceID == s.DeviceID() {
		t.Fatalf("restore: %+v; want the shop's name, nothing set aside and a new device id (not %s)", res, s.DeviceID())
	}
	r, err := Open(path, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.DeviceID() != res.DeviceID || r.ShopID() != s.ShopID() {
		t.Fatalf("reopened as device %s of shop %s; restore said %s of %s", r.DeviceID(), r.ShopID(), res.DeviceID, s.ShopID())
	}
	if got := mustStock(t, r, "MUG", r.AsOfNow()).Available; got != 18 {
		t.Fatalf("restored shop has %d available; the backup was taken at 18", got)
	}
	// It goes by the device's name from the start: other devices listed
	// a restored one by its bare id until it next wrote.
	if st, err := r.Status(ctx); err != nil || st.Names[s.DeviceID()] == "" || st.Names[r.DeviceID()] != st.Names[s.DeviceID()] {
		t.Errorf("the restored device is named %q (%v); want the device's name, %q", st.Names[r.DeviceID()], err, st.Names[s.DeviceID()])
	}
	// A new device has nothing acknowledged: every change it made (its
	// name, its first sale) is unsynced.
	if _, err := r.Sell(ctx, Sale{Code: "MUG"}); err != nil {
		t.Fatal(err)
	}
	st, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if own := st.Vector[r.DeviceID()]; st.Unsynced != own || own < 1 {
		t.Fatalf("restored shop shows %d unsynced changes after a sale; it made %d", st.Unsynced, own)
	}
}

func TestRestoreOverTheShopKeepsItAside(t *testing.T) {
	ctx := context.Background()
	s, backup := backedUpShop(t)
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 5}); err != nil {
		t.Fatal(err)
	}
	path, old := s.Path(), s.DeviceID()

	if _, err := Restore(ctx, backup, path, Options{}); domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("restore over a shop that is open: %v, want a conflict", err)
	}
	s.Close()
	// A restore cut off by the power an hour ago left its copy of the
	// backup beside the shop, hidden; this one removes it.
	cutOff := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial-0123456789ab")
	if err := os.WriteFile(cutOff, []byte("half a shop"), 0o600); err != nil {
		t.Fatal(err)
	}
	hoursAgo := time.Now().Add(-2 * time.Hour)
	os.Chtimes(cutOff, hoursAgo, hoursAgo)
	res, err := Restore(ctx, backup, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cutOff); !os.IsNotExist(err) {
		t.Errorf("the copy a restore cut off left is still there (%v)", err)
	}
	kept, err := Open(res.KeptAs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	if kept.DeviceID() != old {
		t.Fatalf("the shop set aside is device %s, want %s: it must sync what it held as itself", kept.DeviceID(), old)
	}
	if got := mustStock(t, kept, "MUG", kept.AsOfNow()).Available; got != 13 {
		t.Fatalf("the shop set aside has %d available, want 13", got)
	}
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := mustStock(t, r, "MUG", r.AsOfNow()).Available; got != 18 || r.DeviceID() == old {
		t.Fatalf("restored shop: %d available as device %s; want 18 as a new device", got, r.DeviceID())
	}
}

func TestRestoreRefusesWhatIsNotItsBackup(t *testing.T) {
	ctx := context.Background()
	_, backup := backedUpShop(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	raw, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	damaged := bytes.Clone(raw)
	for i := 4096; i < len(damaged) && i < 4096*4; i++ {
		damaged[i] = 0x5a
	}
	other, _ := mustCreate(t)
	other.Close()

	for _, tc := range []struct {
		name, backup, path string
		code               string
	}{
		{"no such backup", filepath.Join(dir, "missing"), filepath.Join(dir, "a.db"), domain.ENotFound},
		{"no backup named", " ", filepath.Join(dir, "a.db"), domain.EInvalid},
		{"a folder", dir, filepath.Join(dir, "b.db"), domain.EInvalid},
		{"a text file", write("notes.txt", []byte("hello\n")), filepath.Join(dir, "c.db"), domain.EInvalid},
		{"a damaged backup", write("damaged.backup", damaged), filepath.Join(dir, "d.db"), domain.EInvalid},
		{"a backup cut short", write("short.backup", raw[:len(raw)/2]), filepath.Join(dir, "d.db"), domain.EInvalid},
		{"a backup cut to its first page", write("page.backup", raw[:8192]), filepath.Join(dir, "d.db"), domain.EInvalid},
		{"over another shop", backup, other.Path(), domain.EConflict},
		{"over a file that is not a shop", backup, write("e.db", []byte("keep me\n")), domain.EUnavailable},
		{"the backup onto itself", backup, backup, domain.EInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(tc.path)
			_, err := Restore(ctx, tc.backup, tc.path, Options{})
			if domain.ErrorCode(err) != tc.code {
				t.Fatalf("restore %s to %s: %v, want code %s", tc.backup, tc.path, err, tc.code)
			}
			// A damaged backup is named as the backup, in words: the
			// refusal had sent the maker to the shop's own --db, or
			// quoted SQLite's check.
			if strings.Contains(tc.name, "backup") && tc.code == domain.EInvalid && tc.backup != " " && tc.backup != backup &&
				(!strings.Contains(domain.ErrorMessage(err), "the backup "+tc.backup+" is damaged or cut short") || strings.Contains(domain.ErrorMessage(err), "btree")) {
				t.Errorf("restore %s: %q; want it named a damaged backup, in one plain sentence", tc.name, err)
			}
			// Two shops of one name are told apart in words: it said the
			// path held another shop ("Test Shop"), not "Test Shop".
			if tc.name == "over another shop" && !strings.Contains(domain.ErrorMessage(err), "also named") {
				t.Errorf("restore over another shop of the same name: %q; want it said that both are named so", err)
			}
			// A file that is no shop is left as it is, and the refusal says
			// so: it told the maker, restoring, to restore from a backup.
			if msg := domain.ErrorMessage(err); tc.name == "over a file that is not a shop" &&
				(strings.Contains(msg, "restore it from a backup") || !strings.Contains(msg, tc.path+" does not read as a shop file") || !strings.Contains(msg, "move it")) {
				t.Errorf("restore over a file that is not a shop: %q; want it named, left as it is, and to move it", msg)
			}
			after, _ := os.ReadFile(tc.path)
			if !bytes.Equal(before, after) {
				t.Fatalf("a refused restore changed %s", tc.path)
			}
		})
	}
}

// A shop file a failing disk left damaged or empty is what a backup is
// for: restoring there keeps it aside, untouched, and puts the backup in
// its place. Restore had refused both, telling the maker to restore from
// a backup.
func TestRestoreOverADamagedShopFile(t *testing.T) {
	ctx := context.Background()
	s, backup := backedUpShop(t)
	s.Close()
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{"cut short": raw[:8192], "empty": nil} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "shop.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			res, err := Restore(ctx, backup, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if kept, err := os.ReadFile(res.KeptAs); err != nil || !bytes.Equal(kept, content) || !res.Damaged {
				t.Errorf("the damaged file kept as %q (%v): %d bytes, damaged %v; want it as it was", res.KeptAs, err, len(kept), res.Damaged)
			}
			r, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got := mustStock(t, r, "MUG", r.AsOfNow()).Available; got != 18 {
				t.Errorf("restored over a damaged file: %d available, want 18", got)
			}
		})
	}
}

// A restore cut off (the power, a kill) once the backup is in place but
// before it took over the lost device's changes leaves a shop that opens
// and sells but can pass on none of what the backup held: a device
// joining it got an empty shop, and its bundles said the changes were not
// in them. Opened again, it finishes the restore.
func TestARestoreCutOffIsFinishedWhenTheShopIsOpened(t *testing.T) {
	ctx := context.Background()
	s, clock := mustCreate(t)
	mustFactory(t, s, "Press", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Press")
	if _, err := s.Count(ctx, "MUG", 20, testStart); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "shop.backup")
	if err := s.Backup(ctx, backup, false); err != nil {
		t.Fatal(err)
	}
	s.Close() // the laptop is lost, its changes never synced

	path := filepath.Join(t.TempDir(), "shop.db")
	opts := Options{Now: clock.Now, Location: time.UTC}
	func() {
		restorePlaced = func() { panic("power cut") }
		defer func() { restorePlaced = func() {}; recover() }()
		Restore(ctx, backup, path, opts)
	}()
	r, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c := mustReplica(t, r, clock.Now)
	syncPair(t, r, c)
	if got := mustStock(t, c, "MUG", c.AsOfNow()).Available; got != 18 {
		t.Errorf("a device joining the restored shop has %d MUG available, want 18 (20 − 2)", got)
	}
}

// A restore cut off (the power, a kill) after the shop at the path was
// kept aside and before the restored copy took its place left no shop at
// the path: the app offered to create one, and the maker thought every
// sale was gone. The path holds a whole shop at every moment: the old one,
// with every sale and its own device, until the copy replaces it in one
// step; restoring again then finishes the job.
func TestARestoreCutOffBeforeTheCopyIsPlacedLeavesTheOldShop(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "shop.db")
	clock := newFakeClock(testStart)
	opts := Options{Now: clock.Now, Location: time.UTC}
	s, err := Create(path, NewShop{Name: "Fern & Kiln", Device: "stall"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	mustFactory(t, s, "Press", 5, true)
	mustSKU(t, s, "MUG", domain.PathMicrofactory, "Press")
	if _, err := s.Count(ctx, "MUG", 20, testStart); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "shop.backup")
	if err := s.Backup(ctx, backup, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sell(ctx, Sale{Code: "MUG", Qty: 3}); err != nil {
		t.Fatal(err)
	}
	device := s.DeviceID()
	s.Close()

	func() {
		restoreAside = func() { panic("power cut") }
		defer func() { restoreAside = func() {}; recover() }()
		Restore(ctx, backup, path, opts)
	}()
	old, err := Open(path, opts)
	if err != nil {
		t.Fatalf("opening the shop after a restore cut off: %v, want the shop that was there", err)
	}
	if got := mustStock(t, old, "MUG", old.AsOfNow()).Available; got != 17 {
		t.Errorf("the shop at the path has %d MUG available, want 17: the sale made after the backup is still there", got)
	}
	if got := old.DeviceID(); got != device {
		t.Errorf("the shop at the path is device %s, want %s, its own", got, device)
	}
	old.Close()

	res, err := Restore(ctx, backup, path, opts)
	if err != nil {
		t.Fatalf("restoring again: %v", err)
	}
	r, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := mustStock(t, r, "MUG", r.AsOfNow()).Available; got != 20 {
		t.Errorf("the restored shop has %d MUG available, want 20, as in the backup", got)
	}
	if r.DeviceID() == device {
		t.Errorf("the restored shop kept the device id %s of the shop it replaced, want a new one", device)
	}
	kept, err := Open(res.KeptAs, opts)
	if err != nil {
		t.Fatalf("opening the shop kept aside: %v", err)
	}
	defer kept.Close()
	if got := mustStock(t, kept, "MUG", kept.AsOfNow()).Available; got != 17 {
		t.Errorf("the shop kept aside has %d MUG available, want 17", got)
	}
	if got := kept.DeviceID(); got != device {
		t.Errorf("the shop kept aside is device %s, want %s, its own", got, device)
	}
	var shops []string // two names of one file would be two shops writing one file
	m, _ := filepath.Glob(path + ".replaced-*")
	for _, p := range m {
		if !strings.HasSuffix(p, ".device") && !strings.HasSuffix(p, ".sync") && !strings.HasSuffix(p, "-wal") && !strings.HasSuffix(p, "-shm") {
			shops = append(shops, p)
		}
	}
	if len(shops) != 1 {
		t.Errorf("the shops kept aside are %v, want one", shops)
	}
}

// A restore cut off once the copy is in place, before the old shop's
// device file left the path, leaves the restored shop beside a device
// file it shares with the shop kept aside: opening it takes a new id
// without writing it into the kept shop's file, which still names the
// device that shop is.
func TestARestoreCutOffAfterPlacingKeepsTheOldDeviceFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	opts := Options{Now: newFakeClock(testStart).Now, Location: time.UTC}
	s, err := Create(path, NewShop{Name: "Fern & Kiln", Device: "stall"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "shop.backup")
	if err := s.Backup(ctx, backup, false); err != nil {
		t.Fatal(err)
	}
	device := s.DeviceID()
	s.Close()
	var res Restored
	func() {
		restorePlaced = func() { panic("power cut") }
		defer func() { restorePlaced = func() {}; recover() }()
		res, _ = Restore(ctx, backup, path, opts)
	}()
	r, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.DeviceID() == device {
		t.Errorf("the restored shop took the id %s of the shop it replaced, want a new one", device)
	}
	r.Close()
	kept, _ := filepath.Glob(path + ".replaced-*.device")
	if len(kept) != 1 {
		t.Fatalf("device files kept aside: %v (restore said %+v), want one", kept, res)
	}
	b, err := os.ReadFile(kept[0])
	if got := strings.TrimSpace(string(b)); err != nil || got != device {
		t.Errorf("the device file kept aside names %q (%v), want %s, the device that shop is", got, err, device)
	}
}
