package bundle

// SetMaxBytes lowers the unpacked size limit for a test.
func SetMaxBytes(n int64) (restore func()) {
	old := maxBytes
	maxBytes = n
	return func() { maxBytes = old }
}
