package seal

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"io"

	"golang.org/x/crypto/hkdf"

	"microshop/sync/changes"
)

// A relay must not store what the shop's devices did not send (DESIGN.md
// section 6): a token alone must not write. It cannot open a sealed body
// to tell, so every batch a device pushes is signed with the shop's write
// key, an Ed25519 key derived from the shop key. The relay keeps only its
// public half, learned from the shop's first sealed device, and stores a
// batch only when its signature verifies. Devices need no signature: a
// body that opens under the shop key was sealed by a device holding it.

// writeKeyInfo separates the write key from any other key derived from
// the shop key.
const writeKeyInfo = "microshop write key 1"

// WriteKeySize is the size of a write key's public half.
const WriteKeySize = ed25519.PublicKeySize

func writeKey(key Key) ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, key[:], nil, []byte(writeKeyInfo)), seed); err != nil {
		panic(err) // HKDF-SHA256 gives far more than 32 bytes
	}
	return ed25519.NewKeyFromSeed(seed)
}

// WriteKey is the public half of the shop's write key, in unpadded
// URL-safe base64, as a hello carries it.
func (s *Sealer) WriteKey() string {
	return base64.RawURLEncoding.EncodeToString(s.write.Public().(ed25519.PublicKey))
}

// Sign signs a batch of s's shop as it goes on the wire.
func (s *Sealer) Sign(batch []changes.Change) string {
	return base64.RawURLEncoding.EncodeToString(ed25519.Sign(s.write, batchDigest(s.shop, batch)))
}

// ParseWriteKey reads a write key as WriteKey writes it.
func ParseWriteKey(text string) (ed25519.PublicKey, bool) {
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(b) != WriteKeySize {
		return nil, false
	}
	return ed25519.PublicKey(b), true
}

// Verify reports whether sig signs batch of shop under the write key pub.
func Verify(pub ed25519.PublicKey, shop string, batch []changes.Change, sig string) bool {
	b, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || len(b) != ed25519.SignatureSize || len(pub) != WriteKeySize {
		return false
	}
	return ed25519.Verify(pub, batchDigest(shop, batch), b)
}

// batchDigest is what a batch's signature signs: the shop and every
// change's envelope and body, each field with its length, so no change
// can be moved, altered, added or dropped.
func batchDigest(shop string, batch []changes.Change) []byte {
	h := sha256.New()
	var n, seq [binary.MaxVarintLen64]byte
	field := func(b []byte) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
		h.Write(b)
	}
	field([]byte("microshop-batch-1"))
	field([]byte(shop))
	for _, c := range batch {
		field([]byte(c.Origin))
		field(seq[:binary.PutVarint(seq[:], c.Seq)])
		field([]byte(c.HLC))
		field([]byte(c.Entity))
		field([]byte(c.EntityID))
		field(c.Body)
	}
	return h.Sum(nil)
}
