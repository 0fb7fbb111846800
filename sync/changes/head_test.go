package changes_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"

	"microshop/sync/changes"
)

// Digest skips json.Compact for bodies already compact; the digest must
// be what compacting first gives, whatever the body holds.
func TestDigestIsOverTheCompactedBody(t *testing.T) {
	for _, body := range []string{
		`{"a":1}`, `{ "a" : 1 }`, `{"s":"a b\t c"}`, `{"s":"quote \" then space "}`, `{"s":"back\\\\"} `,
		`{"s":"\\" }"}`, "[1,\n2]", `"just a string"`, `not json at all`, `{"open":"string`, ``,
	} {
		c := changes.Change{Origin: "o", Seq: 1, HLC: "h", Entity: "e", EntityID: "i", Body: []byte(body)}
		want := c
		var buf bytes.Buffer
		if json.Compact(&buf, []byte(body)) == nil {
			want.Body = buf.Bytes()
		}
		if changes.Digest(c) != digestOfBytes(want) {
			t.Errorf("Digest(%q) is not the digest of its compact form", body)
		}
	}
}

// digestOfBytes is Digest over the body exactly as given.
func digestOfBytes(c changes.Change) string {
	h := sha256.New()
	for _, f := range []string{c.Origin, strconv.FormatInt(c.Seq, 10), c.HLC, c.Entity, c.EntityID} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	h.Write(c.Body)
	return hex.EncodeToString(h.Sum(nil))
}
