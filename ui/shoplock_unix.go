//go:build unix

package ui

import (
	"errors"
	"os"
	"syscall"
)

// lockShop takes the lock every window of the app holds on the shop at
// path while it is open there, a file beside it, and reports whether
// another window, of another run of the app, holds it too. The lock goes
// with the process, however it ends. A shop whose folder cannot be
// written takes none and tells nothing.
//
// Each window holds it shared; one that can take it whole first is the
// only one, and then shares it, so a third window is told as the second
// was even after the first closed.
func lockShop(path string) (lock *os.File, elsewhere bool) {
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600) // this user's, as the shop is
	if err != nil {
		return nil, false
	}
	fd := int(f.Fd())
	err = syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	elsewhere = errors.Is(err, syscall.EWOULDBLOCK)
	if err != nil && !elsewhere {
		f.Close()
		return nil, false
	}
	if err := syscall.Flock(fd, syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, elsewhere
	}
	return f, elsewhere
}
