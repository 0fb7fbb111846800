package changes

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
)

// Head is the highest change a replica holds of one origin, and a digest
// of it. Two replicas that hold the same sequence of an origin with other
// digests hold two different changes under one id: the origin was restored
// from a backup and issued its numbers again (DESIGN.md section 3).
type Head struct {
	Seq    int64  `json:"seq"`
	Digest string `json:"digest"`
}

// DigestSize is the length of a digest in hex characters.
const DigestSize = 2 * sha256.Size

// Digest is the SHA-256, in hex, of a change's id, stamp, entity and body.
// The body is compacted first, so a peer that re-encodes JSON whitespace
// still agrees.
func Digest(c Change) string {
	body := c.Body
	if !compact(body) { // bodies nearly always are: nothing to do
		var b bytes.Buffer
		if json.Compact(&b, body) == nil {
			body = b.Bytes()
		}
	}
	// The fields go into one buffer, on the stack for a change of usual
	// size, hashed at once: written one by one into a hash.Hash, each was
	// copied to the heap, and opening a sync batch digests every change.
	var stack [512]byte
	buf := append(append(stack[:0], c.Origin...), 0)
	buf = append(strconv.AppendInt(buf, c.Seq, 10), 0)
	for _, f := range [...]string{c.HLC, c.Entity, c.EntityID} {
		buf = append(append(buf, f...), 0)
	}
	sum := sha256.Sum256(append(buf, body...))
	return hex.EncodeToString(sum[:])
}

// compact reports whether b has no white space outside its strings, so
// json.Compact would leave it as it is; it is a fraction of Compact's cost.
// For bytes that are not JSON it may say true or false: Compact fails on
// those either way, and the digest is then over the bytes as they are.
func compact(b []byte) bool {
	inString, escaped := false, false
	for _, ch := range b {
		switch {
		case escaped:
			escaped = false
		case inString && ch == '\\':
			escaped = true
		case ch == '"':
			inString = !inString
		case !inString && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'):
			return false
		}
	}
	return !inString
}

// ValidDigest reports whether d has the shape of a Digest.
func ValidDigest(d string) bool {
	if len(d) != DigestSize {
		return false
	}
	_, err := hex.DecodeString(d)
	return err == nil
}

// Restorable is a replica that can tell it was restored from a backup by
// what a peer holds of its own changes, and recover.
type Restorable interface {
	// Reconcile compares a peer's vector and its head of this device's own
	// changes (nil when the peer holds none, or did not say) with what the
	// replica holds. When the peer holds more of them, or another change
	// at a sequence both hold, the replica was restored from a backup: it
	// takes a new device id, re-issues under it the changes no peer has
	// acknowledged, and reports true. Sync then starts again under the
	// new id, and no change is lost or counted twice.
	Reconcile(ctx context.Context, peer Vector, head *Head) (renewed bool, err error)
	// Heads lists, per origin, the highest change held with its digest.
	Heads(ctx context.Context) (map[string]Head, error)
	// DigestAt is the digest of a change held, "" when it is not held.
	DigestAt(ctx context.Context, origin string, seq int64) (string, error)
}
