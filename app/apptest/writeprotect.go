package apptest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// WriteProtect makes the shop at path, closed, one this process can read
// but not write, as a maker's shop is in a read-only folder, on a
// write-protected USB stick or a read-only share: every file in its folder
// and the folder itself. A process that file modes bind gets them as a
// maker sets them, 0444 and 0555. Root writes whatever the modes say, so
// as root it gets the immutable attribute instead, which the kernel holds
// root to as well (Linux; elsewhere the test is skipped). The protection
// is lifted when the test ends, so its temporary folder can be removed.
// It returns what the folder held, byte for byte, for Unchanged.
func WriteProtect(tb testing.TB, path string) Snapshot {
	tb.Helper()
	dir := filepath.Dir(path)
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		tb.Fatal(err)
	}
	snap := Snap(tb, dir)
	protect := chmodProtect
	if os.Geteuid() == 0 {
		protect = immutable
	}
	for _, p := range append(files, dir) {
		undo, err := protect(p)
		if errors.Is(err, errors.ErrUnsupported) {
			tb.Skipf("cannot write-protect %s here (root, whom file modes do not bind, and no immutable attribute): %v", p, err)
		}
		if err != nil {
			tb.Fatalf("write-protect %s: %v", p, err)
		}
		tb.Cleanup(undo)
	}
	return snap
}

// chmodProtect takes every write permission off p.
func chmodProtect(p string) (undo func(), err error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(p, fi.Mode().Perm()&^0o222); err != nil {
		return nil, err
	}
	return func() { os.Chmod(p, fi.Mode().Perm()) }, nil
}

// Snapshot is what a folder held: each file's bytes, by name.
type Snapshot map[string]string

// Snap reads every file in dir.
func Snap(tb testing.TB, dir string) Snapshot {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	s := Snapshot{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		s[e.Name()] = string(b)
	}
	return s
}

// Unchanged fails the test unless dir holds exactly what was snapped:
// the same files, byte for byte, and no other.
func (s Snapshot) Unchanged(tb testing.TB, dir string) {
	tb.Helper()
	now := Snap(tb, dir)
	for name, b := range s {
		switch got, ok := now[name]; {
		case !ok:
			tb.Errorf("%s is gone", name)
		case got != b:
			tb.Errorf("%s changed: %d bytes, was %d", name, len(got), len(b))
		}
	}
	for name := range now {
		if _, ok := s[name]; !ok {
			tb.Errorf("%s appeared beside the shop", name)
		}
	}
}
