package wire

import "microshop/sync/changes"

// DecodeChange reads data as one change in the shape Encode writes a
// batch's changes (see decodeBatchFast), white space around it allowed: a
// bundle holds one such change a line, and reading them through
// encoding/json was a third of importing a bundle. It reports false for
// anything else, which the caller reads with encoding/json; what it
// returns is what encoding/json gives (FuzzDecodeChange).
func DecodeChange(data []byte) (changes.Change, bool) {
	r := jsonReader{b: data}
	c, ok := r.change(changes.Change{})
	r.space()
	return c, ok && r.i == len(r.b)
}
