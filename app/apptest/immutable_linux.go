package apptest

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// fsImmutableFl is FS_IMMUTABLE_FL of linux/fs.h.
const fsImmutableFl = 0x10

// immutable sets the immutable attribute on p (chattr +i): no one, root
// included, may change it, or, for a folder, make or remove files in it.
// A file system without the attribute, or a process without the right to
// set it, gives errors.ErrUnsupported.
func immutable(p string) (undo func(), err error) {
	set := func(on bool) error {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		attr, err := unix.IoctlGetUint32(int(f.Fd()), unix.FS_IOC_GETFLAGS)
		if err == nil {
			if on {
				attr |= fsImmutableFl
			} else {
				attr &^= fsImmutableFl
			}
			err = unix.IoctlSetPointerInt(int(f.Fd()), unix.FS_IOC_SETFLAGS, int(attr))
		}
		if errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EPERM) || errors.Is(err, unix.EINVAL) {
			return fmt.Errorf("%w: %v", errors.ErrUnsupported, err)
		}
		return err
	}
	if err := set(true); err != nil {
		return nil, err
	}
	return func() { set(false) }, nil
}
