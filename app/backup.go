package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"microshop/domain"
)

// A backup is one SQLite file holding the whole shop as it stood at one
// moment, taken while the shop is in use (VACUUM INTO reads one snapshot).
// It carries no device file, so a shop restored from it takes a new device
// id when it is first opened: it can never reissue the sequence numbers the
// device it came from went on to use (DESIGN.md section 3).

// Backup writes a consistent copy of the shop to path. Like every file the
// shop writes, it appears whole or not at all, never over the shop's own
// files, and over an existing file only with overwrite. It holds every
// sale, so only this user may read it.
func (s *Shop) Backup(ctx context.Context, path string, overwrite bool) error {
	out, err := s.CreateOutput(path, overwrite)
	if err != nil {
		return err
	}
	defer out.Abort()
	if err := os.Chmod(out.tmp, privateFile); err != nil {
		return out.writeErr(err)
	}
	// VACUUM INTO fills the empty temporary file; Commit then flushes and
	// places it as it does any output.
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, fileURI(out.tmp)); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return out.writeErr(err)
	}
	return out.Commit()
}

// Restored is what Restore did.
type Restored struct {
	ShopName string
	DeviceID string // the new device id the restored shop took
	Changes  int64  // changes the backup holds
	KeptAs   string // where the shop that was at the path was moved, if one was
	Damaged  bool   // what was moved there was a damaged or empty shop file
}

// Restore puts the shop in the backup file at path, as a new device of the
// shop. A shop already at path must be the same shop and not open in any
// program; it is not deleted but kept beside it (KeptAs), with its device
// file, so nothing it held is lost: open it to sync what it had not. So is
// a damaged or empty shop file there (a disk that failed mid-write): that
// is what a backup is for. Any other file at path is refused and left as
// it was.
func Restore(ctx context.Context, backup, path string, opts Options) (Restored, error) {
	from, err := readBackup(ctx, backup)
	if err != nil {
		return Restored{}, err
	}
	damaged, err := checkRestoreTarget(ctx, backup, path, from)
	if err != nil {
		return Restored{}, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, privateDir); err != nil {
		return Restored{}, domain.Errorf(domain.EUnavailable, "cannot create the folder %s for the shop: %v", dir, err)
	}
	tmp, err := copyBeside(backup, path)
	if err != nil {
		return Restored{}, err
	}
	defer os.Remove(tmp) // gone already once renamed
	if err := markRestored(ctx, tmp, from.device); err != nil {
		return Restored{}, err
	}
	res := Restored{ShopName: from.name, Changes: from.changes, Damaged: damaged}
	if fileExists(path) {
		if res.KeptAs, err = setAside(ctx, path, opts.clock(), !damaged); err != nil {
			return Restored{}, err
		}
	}
	restoreAside()
	// The log beside the path is the old shop's, folded into it or kept
	// aside with it: left there, SQLite would read it into the copy.
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	// One step from the old shop to the restored one: at no moment is
	// there no shop at the path.
	if err := os.Rename(tmp, path); err != nil {
		return Restored{}, domain.Errorf(domain.EUnavailable, "cannot put the restored shop at %s: %v", path, err)
	}
	syncDir(dir)
	restorePlaced()
	// The old shop's device file stays with it under its kept name; the
	// restored shop takes a new id, whether this goes or not (markRestored).
	os.Remove(path + ".device")
	s, err := Open(path, opts) // takes over the device's changes (finishRestore)
	if err != nil {
		return Restored{}, err
	}
	defer s.Close()
	res.DeviceID = s.DeviceID()
	return res, nil
}

// restorePlaced runs once the restored shop is in place; a test makes it
// stop the restore there, as a power cut would.
var restorePlaced = func() {}

// restoreAside runs once the shop at the path is kept aside, before the
// restored copy takes the path; a test makes it stop the restore there.
var restoreAside = func() {}

// restoredFrom is the meta key naming the device a restored copy was
// backed up on, until the copy has taken over its changes.
const restoredFrom = "restored_from"

// markRestored notes in the copy at path, before it is put in place, the
// device it was backed up on, so that opening it finishes the restore
// even if the restore was cut off (a power cut, a kill) once the copy was
// in place. A mark the copy holds already (a backup of a shop whose
// restore was never finished) stays: that device's changes are the ones
// to take over. The copy's device id goes: whatever device file is
// beside it when it is first opened (the old shop's, if the restore was
// cut off before taking it away), it takes a new one.
func markRestored(ctx context.Context, path, device string) error {
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=busy_timeout("+busyTimeout+")")
	if err != nil {
		return storeError(path, err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING;
		DELETE FROM meta WHERE key = 'device_id'`, restoredFrom, device)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return storeError(path, err)
	}
	return nil
}

// finishRestore takes over the changes of the device a restored shop was
// backed up on, if it has not yet (see takeOver), and clears the mark in
// the same transaction: a restore cut off before, or during, this is
// finished by the next open, never done twice.
func (s *Shop) finishRestore(ctx context.Context) error {
	old, err := getMeta(ctx, s.db, restoredFrom)
	if err != nil || old == "" {
		return storeError(s.path, err)
	}
	if err := s.takeOver(ctx, old); err != nil {
		return err
	}
	// The new id takes the device's name at once, as a renewal by sync
	// does: other devices listed it by its bare id until it next wrote.
	return s.write(ctx, func(t *txn) error { _, err := t.nameDevice(); return err })
}

// takeOver makes the changes of old, the device the backup was made on,
// this device's own, from the first this copy cannot pass on: only a
// device can sign its changes, and old is lost, so those it never sent
// (and those it sent, where no signed point of them is held) stayed where
// no device could pass them on. A shop that never synced gave a device
// joining its restored copy an empty shop; one restored to sync with a
// new relay never finished. A peer holding them already under old's id
// counts nothing twice: an event is held once whatever change brings it,
// and a record's field versions are keyed by their stamps, which stay.
func (s *Shop) takeOver(ctx context.Context, old string) error {
	tx, done, err := s.begin(ctx)
	if err != nil {
		return storeError(s.path, err)
	}
	defer done()
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, restoredFrom); err != nil {
		return storeError(s.path, err)
	}
	if old == s.DeviceID() {
		return storeError(s.path, tx.Commit())
	}
	var own int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes WHERE origin = ?`, old).Scan(&own); err != nil {
		return storeError(s.path, err)
	}
	var keep int64 // the last of old's changes a signed point held here covers
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM chain_points WHERE origin = ?`, old).Scan(&keep); err != nil {
		return storeError(s.path, err)
	}
	if keep = min(keep, own); own > keep {
		if err := reissue(ctx, tx, old, s.DeviceID(), keep, own); err != nil {
			return storeError(s.path, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return storeError(s.path, err)
	}
	s.notify()
	return nil
}

// backupInfo is what a backup file holds, read without changing it.
type backupInfo struct {
	shopID, name string
	changes      int64
	device       string // the device it was made on
}

// readBackup checks that path is a whole Microshop shop this version can
// open, and says which.
func readBackup(ctx context.Context, path string) (backupInfo, error) {
	if strings.TrimSpace(path) == "" {
		return backupInfo{}, domain.Errorf(domain.EInvalid, "no backup file was named; give the path of a backup Microshop made")
	}
	damaged := func(err error) error { return damagedBackup(path, err) }
	if err := checkBackupFile(path); err != nil {
		return backupInfo{}, err
	}
	db, err := sql.Open("sqlite", lookDSN(path))
	if err != nil {
		return backupInfo{}, storeError(path, err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check); err != nil || check != "ok" {
		return backupInfo{}, damaged(fmt.Errorf("quick_check: %s %v", check, err))
	}
	var version int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM migrations`).Scan(&version); err != nil {
		return backupInfo{}, damaged(err)
	}
	if version > SchemaVersion() {
		return backupInfo{}, domain.Errorf(domain.EUnavailable, "the backup %s was made by a newer Microshop; update Microshop to restore it", path)
	}
	var info backupInfo
	if info.shopID, err = getMeta(ctx, db, "shop_id"); err != nil {
		return backupInfo{}, storeError(path, err)
	}
	if info.shopID == "" {
		return backupInfo{}, domain.Errorf(domain.EInvalid, "%s is not a complete shop (it was never initialized), so it cannot be restored", path)
	}
	info.name = shopName(ctx, db, info.shopID)
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM changes`).Scan(&info.changes); err != nil {
		return backupInfo{}, storeError(path, err)
	}
	if info.device, err = getMeta(ctx, db, "device_id"); err != nil {
		return backupInfo{}, storeError(path, err)
	}
	return info, nil
}

// checkReplaceable refuses to restore over anything but the same shop, and
// over a shop a program has open: that program would go on writing to the
// file set aside, and its sales would not be in the restored shop.
// checkRestoreTarget checks what is at path, if anything, can make way
// for the shop in the backup; damaged says it is a damaged or empty shop
// file, to be kept aside untouched.
func checkRestoreTarget(ctx context.Context, backup, path string, from backupInfo) (damaged bool, err error) {
	if !fileExists(path) {
		return false, nil
	}
	if same(backup, path) {
		return false, domain.Errorf(domain.EInvalid, "%s is the shop itself, not a backup of it; give the backup file to restore from", backup)
	}
	if damaged, err = damagedShopFile(path); err != nil || damaged {
		return damaged, err
	}
	if kind, _ := inspect(path); kind == kindNotDB {
		// Said for a restore: the shop's own refusal sent the maker,
		// restoring, to restore from a backup.
		return false, domain.Errorf(domain.EUnavailable, "%s does not read as a shop file, whole or damaged, so the restore leaves it as it is; move it elsewhere, or restore to another place", path).With(domain.RemedyOtherShop)
	}
	return false, checkReplaceable(ctx, path, from)
}

func checkReplaceable(ctx context.Context, path string, from backupInfo) error {
	if err := checkShopFile(path, nil); err != nil {
		return err
	}
	if inUse(path) {
		return domain.Errorf(domain.EConflict, "the shop %s is open in another program (the desktop app, or a sync that stays connected); close it, then restore again", path)
	}
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro&_pragma=busy_timeout("+busyTimeout+")")
	if err != nil {
		return storeError(path, err)
	}
	defer db.Close()
	id, err := getMeta(ctx, db, "shop_id")
	if err != nil {
		return storeError(path, err)
	}
	if id != from.shopID {
		there := shopName(ctx, db, id)
		if there == from.name { // two shops of one name, made apart
			return domain.Errorf(domain.EConflict, "%s holds another shop that is also named %q, made apart from the one in the backup; restore it to another place", path, there).With(domain.RemedyOtherShop)
		}
		return domain.Errorf(domain.EConflict, "%s holds another shop (%q), not %q from the backup; restore it to another place", path, there, from.name).With(domain.RemedyOtherShop)
	}
	return nil
}

// copyBeside copies the backup to a new hidden file in path's folder, so
// that putting it in place is one rename.
func copyBeside(backup, path string) (string, error) {
	src, err := os.Open(backup)
	if err != nil {
		return "", domain.Errorf(domain.EUnavailable, "cannot read the backup %s: %v", backup, err)
	}
	defer src.Close()
	removeStalePartials(filepath.Dir(path), filepath.Base(path)) // a restore cut off before
	dst, tmp, err := createTemp(filepath.Dir(path), filepath.Base(path))
	if err != nil {
		return "", domain.Errorf(domain.EUnavailable, "cannot write in the folder %s; check it is writable and the disk is not full", filepath.Dir(path))
	}
	err = dst.Chmod(privateFile)
	if err == nil {
		_, err = io.Copy(dst, src)
	}
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", domain.Errorf(domain.EUnavailable, "cannot copy the backup beside %s; check the disk has space: %v", path, err)
	}
	return tmp, nil
}

// damagedShopFile reports whether the file at path is a shop file that
// cannot be read as one: empty, or a database SQLite cannot read. Not a
// file of another kind, which restoring over would destroy.
func damagedShopFile(path string) (bool, error) {
	kind, err := inspect(path)
	switch {
	case err != nil && isDatabase(path): // SQLite's header, and then damage
		return true, nil
	case err != nil:
		return false, err
	case kind == kindEmpty:
		return true, nil
	case kind == kindNotDB:
		return isDatabase(path), nil
	}
	return false, nil
}

// setAside keeps the shop at path, whole and with its device file, under
// a new name beside it, and copies its sync settings there; the shop stays
// at path too, until the restored copy replaces it. Its write-ahead log is
// folded into it first when fold, so the file kept holds everything; a
// damaged file is kept as it is, with its log beside it. A shop kept
// aside by a restore cut off before the copy took its place is the same
// file still: it keeps that name.
func setAside(ctx context.Context, path string, now time.Time, fold bool) (string, error) {
	if fold {
		db, err := sql.Open("sqlite", fileURI(path)+"?_pragma=busy_timeout("+busyTimeout+")")
		if err != nil {
			return "", storeError(path, err)
		}
		_, err = db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", storeError(path, err)
		}
	}
	kept := keptName(path, now)
	sides := []string{"", ".device"}
	if !fold {
		sides = append(sides, "-wal", "-shm") // a damaged shop's log may hold what it lacks
	}
	for _, side := range sides {
		err := keepFile(path+side, kept+side)
		if side != "" && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", domain.Errorf(domain.EUnavailable, "cannot keep the shop at %s aside to restore the backup; check the disk has space: %v", path, err)
		}
	}
	// The sync settings stay with the restored shop; the one set aside
	// gets a copy, so it can sync what it holds without asking again.
	if b, err := os.ReadFile(path + ".sync"); err == nil {
		os.WriteFile(kept+".sync", b, privateFile)
	}
	syncDir(filepath.Dir(path))
	return kept, nil
}

// keptName is the name the shop at path is kept under: the name a restore
// cut off kept it under already, or a new one, stamped now.
func keptName(path string, now time.Time) string {
	earlier, _ := filepath.Glob(path + ".replaced-*")
	for _, p := range earlier {
		if same(p, path) {
			return p
		}
	}
	kept := path + ".replaced-" + now.Format("20060102-150405")
	for i := 2; fileExists(kept); i++ {
		kept = fmt.Sprintf("%s.replaced-%s-%d", path, now.Format("20060102-150405"), i)
	}
	return kept
}

// keepFile gives the file at src the name dst too, as a second link to it
// where the disk can (one step, no space), else as a whole copy made under
// a temporary name. A dst that is src already is left as it is.
func keepFile(src, dst string) error {
	err := os.Link(src, dst)
	if err == nil || (errors.Is(err, fs.ErrExist) && same(src, dst)) {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, tmp, err := createTemp(filepath.Dir(dst), filepath.Base(dst))
	if err != nil {
		return err
	}
	err = out.Chmod(privateFile)
	if err == nil {
		_, err = io.Copy(out, in)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// shopName is the name of the shop in a database not opened as a shop.
func shopName(ctx context.Context, q queryer, shopID string) string {
	var name string
	q.QueryRowContext(ctx, `SELECT name FROM shop WHERE id = ?`, shopID).Scan(&name)
	return name
}

// same reports whether a and b are one file.
func same(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// checkBackupFile refuses what at path is not a shop file to restore from:
// nothing, a folder, another kind of file, or a database damaged or cut
// short.
func checkBackupFile(path string) error {
	kind, err := inspect(path)
	switch {
	case err != nil && isDatabase(path):
		return damagedBackup(path, err)
	case err != nil:
		return err
	case kind == kindNone:
		return domain.Errorf(domain.ENotFound, "there is no backup file %s; give the path of a backup Microshop made", path)
	case kind == kindFolder:
		return domain.Errorf(domain.EInvalid, "%s is a folder; give the path of a backup Microshop made", path)
	case kind == kindNotDB && isDatabase(path):
		return damagedBackup(path, nil)
	case kind != kindShop:
		return domain.Errorf(domain.EInvalid, "%s is not a Microshop backup; give the path of a backup Microshop made", path)
	}
	return nil
}

// damagedBackup says the backup at path cannot be read whole; err is why,
// for the log, not for the maker.
func damagedBackup(path string, err error) error {
	return &domain.Error{Code: domain.EInvalid, Message: fmt.Sprintf("the backup %s is damaged or cut short; restore from another backup", path), Err: err}
}
