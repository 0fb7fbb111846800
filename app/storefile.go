package app

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"microshop/domain"
)

// fileKind is what a path holds before a shop is opened or created there.
type fileKind int

const (
	kindNone    fileKind = iota // nothing: a shop may be created
	kindFolder                  // a folder, not a file
	kindShop                    // a Microshop shop
	kindEmpty                   // an empty file
	kindOtherDB                 // another program's SQLite database
	kindNotDB                   // a file that is not an SQLite database
)

// inspect says what path holds, reading it only: whatever it is, it is left
// exactly as it was. The error is a store error a person can act on.
func inspect(path string) (fileKind, error) { return inspectWith(path, lookDSN(path)) }

// inspectWith is inspect reading the database through the connection
// string dsn.
func inspectWith(path, dsn string) (fileKind, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		// Nothing there; creating the folders will say why it cannot.
		return kindNone, nil
	case err != nil:
		return kindNone, domain.Errorf(domain.EUnavailable, "cannot look at %s: %v", path, err)
	case fi.IsDir():
		return kindFolder, nil
	case fi.Size() == 0:
		return kindEmpty, nil
	}
	// This look runs before the shop's own connections and must wait for
	// another program's lock as they do: without a busy timeout it failed
	// at once whenever another microshopctl was closing the shop (the last
	// connection out copies the write-ahead log back under a lock) or
	// recovering it.
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return kindNone, storeError(path, err)
	}
	defer db.Close()
	var ours, all int
	err = db.QueryRow(`SELECT count(*) FILTER (WHERE name IN ('migrations', 'meta', 'changes')), count(*)
		FROM sqlite_master WHERE type = 'table'`).Scan(&ours, &all)
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_NOTADB {
		return kindNotDB, nil
	}
	switch {
	case err != nil:
		return kindNone, storeError(path, err)
	case ours == 3:
		return kindShop, nil
	case all == 0:
		return kindEmpty, nil
	}
	return kindOtherDB, nil
}

// errDamaged marks the error of a shop file that is not an SQLite
// database, or is one SQLite finds corrupt (Damaged).
var errDamaged = errors.New("not an SQLite database, or damaged")

// damagedError refuses the shop file at path as damaged; err is SQLite's
// error, if it gave one.
func damagedError(path string, err error) error {
	cause := errDamaged
	if err != nil {
		cause = fmt.Errorf("%w: %w", errDamaged, err)
	}
	return &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("%s is not a Microshop database or is damaged; restore it from a backup, or open another shop", path),
		Remedy: domain.RemedyOtherShop, Err: cause}
}

// Damaged reports whether err says the shop file is damaged: not an SQLite
// database, or a corrupt one. A backup puts such a shop back; its
// permissions do not.
func Damaged(err error) bool { return errors.Is(err, errDamaged) }

// folderError refuses a folder given where a shop file belongs.
func folderError(path string) error {
	return domain.Errorf(domain.EInvalid, "%s is a folder, not a shop file; give the path of a shop file such as %s", path, filepath.Join(path, "shop.db"))
}

// diskError is the sentence for SQLite's I/O errors, which it reports only
// as "disk I/O error" and a number: a full disk on systems that do not say
// so (a full memory-backed /tmp fails as SQLITE_IOERR_SHMSIZE), a failing
// or unplugged disk, a network folder that cannot lock.
func diskError(path string, err error, code int) error {
	msg := fmt.Sprintf("could not write to the disk holding %s (it may be full or failing); free some space or check the disk, then try again", path)
	if code == sqlite3.SQLITE_IOERR_READ || code == sqlite3.SQLITE_IOERR_SHORT_READ {
		msg = fmt.Sprintf("could not read %s from its disk (it may be failing or unplugged); check the disk, then try again, or restore the shop from a backup", path)
	}
	return &domain.Error{Code: domain.EUnavailable, Message: msg, Err: err}
}

// readOnlyError says which of the shop file and its folder cannot be
// written, since SQLite says only "attempt to write a readonly database".
// The folder matters too: the shop keeps its journal and device files
// beside the database.
func readOnlyError(path string, err error, code int) error {
	msg := fmt.Sprintf("cannot write to %s: the file, its folder or the disk is read-only; allow writing to them, or copy the shop to a folder you can write to", path)
	dir := filepath.Dir(path)
	switch {
	case code == sqlite3.SQLITE_READONLY_DBMOVED:
		msg = fmt.Sprintf("%s was moved or deleted while Microshop had it open; open it again where it is now", path)
	case readOnlyMode(path):
		msg = fmt.Sprintf("%s is a read-only file; allow writing to it (in its permissions or properties), or copy it to a folder you can write to", path)
	case readOnlyMode(dir):
		msg = fmt.Sprintf("the folder %s is read-only, and a shop writes files beside its database; allow writing to the folder, or move the shop to one you can write to", dir)
	}
	return &domain.Error{Code: domain.EUnavailable, Message: msg, Err: err}
}

// readOnlyMode reports whether path's permissions let no one write to it
// (on Windows: whether it has the read-only attribute).
func readOnlyMode(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().Perm()&0o222 == 0
}
