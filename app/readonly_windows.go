package app

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// canWrite reports whether path may be written to. A file with the
// read-only attribute may not be. A folder's read-only attribute does not
// stop files being made in it, and a write-protected stick sets no
// attribute at all, so for a folder the one sure answer is to make a file
// in it, which is removed at once.
func canWrite(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil // a missing file says so elsewhere
	case !fi.IsDir() && fi.Mode().Perm()&0o200 == 0:
		return fs.ErrPermission
	case !fi.IsDir():
		return nil
	}
	f, err := os.CreateTemp(path, ".microshop-write-check-*")
	if err != nil {
		return err
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// errorWriteProtect is ERROR_WRITE_PROTECT: "The media is write protected."
const errorWriteProtect syscall.Errno = 19

// isReadOnlyDisk reports whether err says the disk is write-protected.
func isReadOnlyDisk(err error) bool { return errors.Is(err, errorWriteProtect) }

// freeSpace is not asked here yet: a full disk shows as a failure to
// write.
func freeSpace(string) (uint64, bool) { return 0, false }
