//go:build !unix && !windows

package app

// canWrite has nothing to ask here: a shop that cannot be written shows
// when SQLite first writes to it (refusedWrite).
func canWrite(string) error { return nil }

// isReadOnlyDisk reports whether err says the file system is read-only.
func isReadOnlyDisk(error) bool { return false }

// freeSpace has nothing to ask here: a full disk shows as a failure to
// write.
func freeSpace(string) (uint64, bool) { return 0, false }
