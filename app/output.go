package app

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"microshop/domain"
)

// ErrOutputExists is wrapped by the error CreateOutput returns when the file
// exists and overwrite was not asked for, so a caller can add its own hint
// (the command line names its --overwrite flag).
var ErrOutputExists = errors.New("output file exists")

// Output is a file being written for the user: a bundle, a report, a
// backup. Its bytes go to a hidden temporary file in the same folder, which
// Commit moves into place whole, so an interrupted or failed write never
// leaves half a file and never spoils the file it was to replace.
//
// The pattern, for every command that writes a file:
//
//	out, err := shop.CreateOutput(path, overwrite)
//	if err != nil {
//		return err
//	}
//	defer out.Abort() // does nothing once committed
//	if err := writeTheContent(out); err != nil {
//		return err
//	}
//	return out.Commit()
//
// WriteOutput does the same in one call.
type Output struct {
	path      string // as the caller gave it, for messages
	tmp       string
	f         *os.File
	overwrite bool
	err       error // the first write error; Commit refuses after one
	done      bool
}

// CreateOutput starts writing the file at path. It always refuses the open
// shop's own files, whatever path names them (through a symbolic link, a
// hard link, another spelling or letter case): the database, its -wal,
// -shm and -journal files, its device file and anything else in the shop's
// folder named after the database. It refuses an existing file unless
// overwrite is true, and a folder always.
func (s *Shop) CreateOutput(path string, overwrite bool) (*Output, error) {
	if err := s.CheckOutput(path); err != nil {
		return nil, err
	}
	return createOutput(path, overwrite)
}

// CheckOutput refuses a path no file of the user's may be written to: one
// of the open shop's own files. A form checks it before asking whether to
// replace a file that exists.
func (s *Shop) CheckOutput(path string) error {
	if strings.TrimSpace(path) == "" || !s.ownsFile(path) {
		return nil
	}
	what := "one of this shop's own files (beside " + s.path + ")"
	if a, err := os.Stat(path); err == nil {
		if b, err := os.Stat(s.path); err == nil && os.SameFile(a, b) {
			what = "this shop's own database"
		}
	}
	return domain.Errorf(domain.EInvalid, "%s is %s; writing there would destroy the shop, so choose another name or folder", path, what)
}

// CreateFile opens a file no shop is open for (a simulation's chart), to
// write before Commit, whole or not at all, over an existing file only
// with overwrite: a long run refuses where its result cannot go before it
// starts, not after. With no shop open to tell its files, it refuses any
// SQLite database or write-ahead log, which may be a shop's.
func CreateFile(path string, overwrite bool) (*Output, error) {
	if isDatabase(path) {
		return nil, domain.Errorf(domain.EInvalid, "%s is a database, perhaps a shop's; writing there would destroy it, so choose another name or folder", path)
	}
	return createOutput(path, overwrite)
}

// isDatabase reports whether the file at path begins as an SQLite
// database or its write-ahead log does.
func isDatabase(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	wal := len(head) >= 4 && (binary.BigEndian.Uint32(head) == 0x377f0682 || binary.BigEndian.Uint32(head) == 0x377f0683)
	return wal || bytes.HasPrefix(head, []byte("SQLite format 3\x00"))
}

func createOutput(path string, overwrite bool) (*Output, error) {
	if strings.TrimSpace(path) == "" {
		return nil, domain.Errorf(domain.EInvalid, "no file name was given to write to; give one, such as shop.msb")
	}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return nil, domain.Errorf(domain.EInvalid, "%s is a folder; give the name of a file to write in it", path)
		}
		if !overwrite {
			return nil, existsErr(path)
		}
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, domain.Errorf(domain.ENotFound, "the folder %s does not exist; create it first or choose another", dir)
	}
	// A name the disk cannot hold is said as such: it was refused as a
	// folder not writable or a disk full, sending the maker after the
	// wrong thing. The file is first written under a longer name.
	if base := filepath.Base(path); len(base) > maxOutputName {
		return nil, domain.Errorf(domain.EInvalid, "the file name %s is too long, %d bytes where at most %d fit; choose a shorter one", domain.QuoteShort(base), len(base), maxOutputName)
	}
	removeStalePartials(dir, filepath.Base(path))
	f, tmp, err := createTemp(dir, filepath.Base(path))
	if err != nil {
		return nil, &domain.Error{Code: domain.EUnavailable, Message: "cannot write in the folder " + dir + "; check it is writable and the disk is not full", Err: err}
	}
	return &Output{path: path, tmp: tmp, f: f, overwrite: overwrite}, nil
}

// stalePartial is how old a partial file of an export must be to be taken
// for one cut off: a younger one may be another program's export still
// being written.
const stalePartial = time.Hour

// removeStalePartials removes what writes of base in dir cut off by the
// power or a killed process left (createTemp's names, over an hour old):
// hidden, a whole bundle's size each, they stayed for good. Best effort:
// what cannot be removed stays, and the new write goes on.
func removeStalePartials(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + ".partial-"
	for _, e := range entries {
		suffix, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || len(suffix) != 2*partialRandom || strings.Trim(suffix, "0123456789abcdef") != "" || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > stalePartial {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// WriteOutput writes the file at path with write, as CreateOutput and
// Commit do: the file appears whole once write returns nil, or not at all.
func (s *Shop) WriteOutput(path string, overwrite bool, write func(io.Writer) error) error {
	return s.writeOutput(path, overwrite, false, write)
}

// WritePrivateOutput is WriteOutput for a file only this user may read,
// as the shop's own files are: one that holds the shop key (an invite's
// QR code).
func (s *Shop) WritePrivateOutput(path string, overwrite bool, write func(io.Writer) error) error {
	return s.writeOutput(path, overwrite, true, write)
}

func (s *Shop) writeOutput(path string, overwrite, private bool, write func(io.Writer) error) error {
	out, err := s.CreateOutput(path, overwrite)
	if err != nil {
		return err
	}
	defer out.Abort()
	if private {
		if err := out.f.Chmod(privateFile); err != nil {
			return out.writeErr(err)
		}
	}
	if err := write(out); err != nil {
		return err
	}
	return out.Commit()
}

// Path is the file being written, as the caller named it.
func (o *Output) Path() string { return o.path }

// Write adds to the file. Its error is a domain error naming the file.
func (o *Output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if o.done {
		return 0, domain.Errorf(domain.EInternal, "%s is already finished; nothing more can be written to it", o.path)
	}
	n, err := o.f.Write(p)
	if err != nil {
		o.err = o.writeErr(err)
	}
	return n, o.err
}

// Commit makes the file appear at its path, whole. Without overwrite it
// still refuses a file that appeared there meanwhile.
func (o *Output) Commit() error {
	if o.err != nil {
		o.Abort()
		return o.err
	}
	if o.done {
		return domain.Errorf(domain.EInternal, "%s is already finished", o.path)
	}
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = o.place()
	}
	if err != nil {
		os.Remove(o.tmp)
		o.done = true
		if errors.Is(err, ErrOutputExists) {
			return err
		}
		return o.writeErr(err)
	}
	o.done = true
	syncDir(filepath.Dir(o.path))
	return nil
}

// place moves the finished temporary file to the path. Without overwrite a
// hard link claims the name only if it is still free; a file system without
// links (a FAT USB stick) falls back to checking, then renaming.
func (o *Output) place() error {
	if o.overwrite {
		return os.Rename(o.tmp, o.path)
	}
	err := os.Link(o.tmp, o.path)
	switch {
	case err == nil:
		return os.Remove(o.tmp)
	case errors.Is(err, fs.ErrExist):
		return existsErr(o.path)
	}
	if _, err := os.Lstat(o.path); err == nil {
		return existsErr(o.path)
	}
	return os.Rename(o.tmp, o.path)
}

// Abort drops what was written and leaves the path as it was. It does
// nothing after Commit, so it can be deferred.
func (o *Output) Abort() error {
	if o.done {
		return nil
	}
	o.done = true
	o.f.Close()
	return os.Remove(o.tmp)
}

func (o *Output) writeErr(err error) error {
	return &domain.Error{Code: domain.EUnavailable, Message: "cannot write " + o.path + "; check the disk has space and is writable", Err: err}
}

func existsErr(path string) error {
	return &domain.Error{Code: domain.EConflict, Message: path + " exists already; choose another name, or replace it", Err: ErrOutputExists}
}

// createTemp makes a new hidden file beside the target, readable as the
// user's other files are (os.CreateTemp would make it private).
// maxOutputName is the longest file name an output may have: the 255
// bytes most disks allow, less what createTemp adds while writing it.
const maxOutputName = 255 - len("..partial-123456789abc")

// partialRandom is how many random bytes, in hex, end a partial file's name.
const partialRandom = 6

func createTemp(dir, base string) (*os.File, string, error) {
	for {
		var b [partialRandom]byte
		rand.Read(b[:])
		tmp := filepath.Join(dir, "."+base+".partial-"+hex.EncodeToString(b[:]))
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, tmp, err
	}
}

// ownsFile reports whether path names one of the shop's files: in the
// shop's folder, a name that is the database's or starts with it followed
// by "-" or "." (letter case ignored, as some file systems do); anywhere,
// an existing file that is one of the shop's files under another name.
func (s *Shop) ownsFile(path string) bool {
	db := s.path
	if own, err := os.Stat(filepath.Dir(db)); err == nil {
		if dir, err := os.Stat(filepath.Dir(path)); err == nil && os.SameFile(own, dir) && namedAfter(filepath.Base(path), filepath.Base(db)) {
			return true
		}
	}
	target, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, p := range []string{db, db + "-wal", db + "-shm", db + "-journal", s.deviceFile()} {
		if fi, err := os.Stat(p); err == nil && os.SameFile(fi, target) {
			return true
		}
	}
	return false
}

// namedAfter reports whether name is db or one of its sidecars.
func namedAfter(name, db string) bool {
	if len(name) < len(db) || !strings.EqualFold(name[:len(db)], db) {
		return false
	}
	return len(name) == len(db) || name[len(db)] == '-' || name[len(db)] == '.'
}

// syncDir flushes a folder's entries so a renamed file survives a power
// cut; not every system can, and the file is written either way.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
