package app

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"microshop/domain"
)

// A shop this user cannot write opens read-only: a file whose permissions
// or attributes forbid it, a folder they cannot write into (SQLite keeps
// its write-ahead log and shared-memory files beside the database, and the
// shop its device file), a write-protected USB stick, a read-only share.
// Reports read it as they read a writable shop and give the same answers:
// the caches a report keeps for the next one are not stored, only
// computed. Every change (a sale, a SKU, a sync) is refused with one
// sentence saying why, before anything is written: the files stay byte for
// byte as they were. Open detects it; Options.ReadOnly asks for it.

// readOnlyCause is why a shop can only be read here.
type readOnlyCause int

const (
	roAsked   readOnlyCause = iota + 1 // the caller asked (Options.ReadOnly)
	roFile                             // the file's permissions or attributes let this user only read it
	roFolder                           // the folder the file is in cannot be written to
	roDisk                             // the disk or share holding it is mounted read-only
	roRefused                          // SQLite could not write though nothing above said so
	roFull                             // the disk holding it has no space left
)

// readOnly is a shop that can only be read here, and why.
type readOnly struct {
	path  string
	cause readOnlyCause
}

// readOnlyAt says why the shop at path can only be read by this process,
// nil when it can be written. asked is Options.ReadOnly. The file and its
// folder are asked of the system (access(2) where there is one), which
// knows what this user may do better than permission bits: root may write
// a file mode 0444, and no one, root included, one with the immutable
// attribute or on a disk mounted read-only.
func readOnlyAt(path string, asked bool) *readOnly {
	if asked {
		return &readOnly{path, roAsked}
	}
	if err := canWrite(path); err != nil {
		return cannotWrite(path, err, roFile)
	}
	if err := canWrite(filepath.Dir(path)); err != nil {
		return cannotWrite(path, err, roFolder)
	}
	return nil
}

// cannotWrite is the read-only shop err says path is, as cause, or nil
// when err is not about writing (a missing file says so elsewhere).
func cannotWrite(path string, err error, cause readOnlyCause) *readOnly {
	switch {
	case isReadOnlyDisk(err):
		return &readOnly{path, roDisk}
	case errors.Is(err, fs.ErrPermission):
		return &readOnly{path, cause}
	}
	return nil
}

// refusedWrite is the read-only shop at path when opening it to write
// failed because SQLite could not write (a disk that says so only when
// written to), nil for any other failure.
func refusedWrite(path string, err error) *readOnly {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	switch code := se.Code(); {
	case code == sqlite3.SQLITE_READONLY || code == sqlite3.SQLITE_READONLY_DIRECTORY:
		return &readOnly{path, roRefused}
	case code == sqlite3.SQLITE_IOERR_READ || code == sqlite3.SQLITE_IOERR_SHORT_READ:
		return nil // a failing disk, not a full one
	case code&0xff == sqlite3.SQLITE_FULL || code&0xff == sqlite3.SQLITE_IOERR || code&0xff == sqlite3.SQLITE_CANTOPEN:
		// Opening writes: the shared-memory index and the write-ahead
		// log beside the file, which a disk with no space left refuses
		// (SQLite says "disk I/O error" when the index cannot grow).
		if free, ok := diskFree(filepath.Dir(path)); ok && free < fullBelow {
			return &readOnly{path, roFull}
		}
	}
	return nil
}

// fullBelow is the free space under which a disk counts as full: opening
// a shop to change it needs more than this beside its file.
const fullBelow = 1 << 20

// diskFree is the space this user may still fill on the disk holding
// dir, and whether the system says; a test sets it to a full disk.
var diskFree = freeSpace

// why is the reason, as a clause a sentence can end with.
func (ro *readOnly) why() string {
	switch ro.cause {
	case roAsked:
		return "it was opened read-only"
	case roFile:
		return "its file's permissions let you read it but not change it"
	case roFolder:
		return fmt.Sprintf("its folder %s cannot be written to, and a shop keeps files beside its database", filepath.Dir(ro.path))
	case roDisk:
		return "it is on a disk that cannot be written to, such as a write-protected USB stick or a read-only share"
	case roFull:
		return "the disk holding it is full"
	}
	return "its file or its folder cannot be written to"
}

// refusal is the error every change to the shop returns.
func (ro *readOnly) refusal() *domain.Error {
	if ro.cause == roAsked {
		return domain.Errorf(domain.EReadOnly, "the shop at %s is open read-only, so nothing in it can change; open it again normally to make changes", ro.path).With(domain.RemedyOpenWritable)
	}
	if ro.cause == roFull {
		return domain.Errorf(domain.EReadOnly, "the disk holding the shop at %s is full, so it can be read but no change can be saved; free some space on it, then open the shop again", ro.path)
	}
	return domain.Errorf(domain.EReadOnly, "the shop at %s can only be read here: %s; to make changes, copy it to a folder you can write to", ro.path, ro.why()).With(domain.RemedyWritableCopy)
}

// tooOld refuses a shop of an older schema: this version converts it
// before reading it, and converting it writes.
func (ro *readOnly) tooOld() *domain.Error {
	const older = "the shop at %s is in an older version's format, which this version must convert before reading it, and that cannot be done here: %s; "
	if ro.cause == roAsked {
		return domain.Errorf(domain.EReadOnly, older+"open it normally once to convert it", ro.path, ro.why()).With(domain.RemedyOpenWritable)
	}
	return domain.Errorf(domain.EReadOnly, older+"copy it to a folder you can write to and open the copy", ro.path, ro.why()).With(domain.RemedyWritableCopy)
}

// openError is the sentence for a failure to read the shop read-only. A
// write-ahead log left beside it (the program that wrote it stopped
// before folding it into the file) is read through a shared-memory file
// SQLite must create beside it, which a folder that cannot be written to
// does not allow.
func (ro *readOnly) openError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) || !fileExists(ro.path+"-wal") {
		return storeError(ro.path, err)
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN:
		return &domain.Error{Code: domain.EReadOnly, Message: fmt.Sprintf("the shop at %s has its latest changes still in %s, which can be read only where its folder can be written to (the program that wrote them did not close it); open it once where it can be written, or copy %s and %s together to a folder you can write to",
			ro.path, filepath.Base(ro.path)+"-wal", filepath.Base(ro.path), filepath.Base(ro.path)+"-wal"), Err: err}
	}
	return storeError(ro.path, err)
}

// readOnlyDSN is the connection string of a shop that can only be read:
// SQLite opens it read-only, so any write is refused, and creates nothing
// beside it. A database in WAL mode is read through a shared-memory file
// that SQLite creates when it is missing and, unable to write, leaves
// behind (or fails to create, in a folder that cannot be written to): with
// no write-ahead log beside the file, every change is in the file itself,
// and it is read as immutable, which needs neither. With one, another
// program may have the shop open and be writing to it (its owner may
// write where this user cannot), so it is read the usual way, under
// SQLite's locks.
//
// On a full disk, an empty log counts as none: opening the shop to change
// it left it there, unable to grow the shared-memory file beside it, and
// no program can write to the log until space is freed.
func readOnlyDSN(path string, full bool) string {
	q := url.Values{}
	q.Set("mode", "ro")
	if fi, err := os.Stat(path + "-wal"); err != nil || (full && fi.Size() == 0) {
		q.Set("immutable", "1")
	}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout("+busyTimeout+")")
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_pragma", "mmap_size(1073741824)")
	return fileURI(path) + "?" + q.Encode()
}

// lookDSN is the connection string of a look at the database at path
// (what it is, what a backup holds) that writes nothing: a file that can
// only be read is read as a shop that can only be read is.
func lookDSN(path string) string {
	if readOnlyAt(path, false) != nil {
		return readOnlyDSN(path, false)
	}
	return fileURI(path) + "?mode=ro&_pragma=busy_timeout(" + busyTimeout + ")"
}

// ReadOnly is nil when the shop can be changed here. Otherwise it is the
// refusal every change returns (code domain.EReadOnly): the shop's file,
// its folder or its disk cannot be written to by this user, or it was
// opened read-only (Options.ReadOnly). Reports work either way.
func (s *Shop) ReadOnly() error {
	if s.ro == nil {
		return nil
	}
	return s.ro.refusal()
}
