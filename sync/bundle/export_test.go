package bundle

// SetMaxBytes lowers the unpacked size limit for a test.
func SetMaxBytes(n int64) (restore func()) {
	old := maxBytes
	maxBytes = n
	return func() { maxBytes = old }
}

// SetKeepAtMost lowers how many new changes the first reading keeps, so a
// test reads the bundle again as a big one is.
func SetKeepAtMost(n int) (restore func()) {
	old := keepAtMost
	keepAtMost = n
	return func() { keepAtMost = old }
}
