//go:build unix

package app

import (
	"errors"
	"syscall"
)

// canWrite asks the system whether this user may write to path (a file,
// or a folder: create files in it), without opening it: closing a file
// SQLite has open in this process would drop SQLite's locks on it.
func canWrite(path string) error {
	const wOK = 2 // W_OK
	return syscall.Access(path, wOK)
}

// isReadOnlyDisk reports whether err says the file system is read-only.
func isReadOnlyDisk(err error) bool { return errors.Is(err, syscall.EROFS) }

// freeSpace is the space this user may still fill on the disk holding
// dir, and whether the system said.
func freeSpace(dir string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
