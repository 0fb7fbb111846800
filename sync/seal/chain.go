package seal

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"

	"microshop/domain"
	"microshop/sync/changes"
)

// Each device signs what it originates (DESIGN.md section 6), so neither a
// relay nor another member device can write in its name. A signature per
// change would cost more to check than applying the change, so a device
// signs each batch of its changes once: a hash chain over the batch's
// changes, from its first to its last, which the last one carries as a
// signed point (its Sig). The point names where its batch began, so a
// device can check a batch of another device's changes without holding
// the ones before it (batches may come in any order), and whoever forwards
// the changes later sends them in the same runs, with their points.
//
// A point carries the device's public key, vouched for by the shop's write
// key: every device of the shop holds the shop key, and a device joining
// by invite vouches for its own key as it starts (so the inviter may be
// offline). An origin's first vouched key is its key for good, on the relay
// and on every device; a point under another key is refused.

// Chain is the hash chain of a run of one origin's changes.
type Chain [sha256.Size]byte

// Next is the chain through c, the change after the ones h covers. It
// covers the envelope and the plaintext's digest, not the sealed bytes,
// which every send seals afresh.
func (h Chain) Next(c changes.Change) Chain {
	b := make([]byte, 0, len(h)+binary.MaxVarintLen64*3+len(c.HLC)+64)
	b = append(b, h[:]...)
	b = binary.AppendVarint(b, c.Seq)
	b = binary.AppendUvarint(b, uint64(len(c.HLC)))
	b = append(b, c.HLC...)
	d := Digest(c)
	b = binary.AppendUvarint(b, uint64(len(d)))
	b = append(b, d...)
	return sha256.Sum256(b)
}

// ChainOf is the chain over a run of one origin's changes.
func ChainOf(run []changes.Change) Chain {
	var h Chain
	for _, c := range run {
		h = h.Next(c)
	}
	return h
}

// DeviceKey is a device's own signing key. It signs only the points of
// the changes this device makes.
type DeviceKey struct {
	priv ed25519.PrivateKey
}

// NewDeviceKey makes a random device key.
func NewDeviceKey() (DeviceKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	return DeviceKey{priv}, err
}

// String is the key's seed in unpadded URL-safe base64, as the device's
// database keeps it.
func (k DeviceKey) String() string { return base64.RawURLEncoding.EncodeToString(k.priv.Seed()) }

// ParseDeviceKey reads a key written by String.
func ParseDeviceKey(s string) (DeviceKey, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.SeedSize {
		return DeviceKey{}, errors.New("not a device key")
	}
	return DeviceKey{ed25519.NewKeyFromSeed(b)}, nil
}

// Public is the key's public half.
func (k DeviceKey) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// A point on the wire is base64url of the sequence its run began at, the
// chain, the device's public key, the write key's vouch for it and the
// device's signature.
const pointSize = 8 + sha256.Size + ed25519.PublicKeySize + 2*ed25519.SignatureSize

// PointTextSize is the length of a point as Change.Sig carries it.
var PointTextSize = base64.RawURLEncoding.EncodedLen(pointSize)

// Point is a signed point as it travels: the first change of its run
// (From, the last is the change that carries it), the chain over the run,
// the origin's key, the vouch and the signature.
type Point struct {
	From  int64
	Chain Chain
	Key   ed25519.PublicKey
	Vouch []byte
	Sig   []byte
}

// SignRun signs a run of this device's changes, sealed, as the Sig its
// last change carries, with the device's key vouched for by the shop's
// write key.
func (s *Sealer) SignRun(dk DeviceKey, run []changes.Change) string {
	first, last := run[0], run[len(run)-1]
	h, pub := ChainOf(run), dk.Public()
	b := make([]byte, 0, pointSize)
	b = binary.BigEndian.AppendUint64(b, uint64(first.Seq))
	b = append(b, h[:]...)
	b = append(b, pub...)
	b = append(b, ed25519.Sign(s.write, vouchMessage(s.shop, last.Origin, pub))...)
	b = append(b, ed25519.Sign(dk.priv, pointMessage(s.shop, last.Origin, first.Seq, last.Seq, h))...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParsePoint reads a point from a change's Sig.
func ParsePoint(text string) (Point, error) {
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || len(b) != pointSize {
		return Point{}, unsigned("its signature is not one a device makes")
	}
	p := Point{From: int64(binary.BigEndian.Uint64(b))}
	n := 8 + copy(p.Chain[:], b[8:])
	p.Key = ed25519.PublicKey(b[n : n+ed25519.PublicKeySize])
	n += ed25519.PublicKeySize
	p.Vouch = b[n : n+ed25519.SignatureSize]
	p.Sig = b[n+ed25519.SignatureSize:]
	return p, nil
}

// Check verifies a point of shop carried by the last change of run, whose
// write key is writeKey: the run is the one signed, the key is vouched for
// by the write key, and the key signed it. Which key the origin has is the
// caller's to check (CheckBatch does).
func (p Point) Check(writeKey ed25519.PublicKey, shop string, run []changes.Change) error {
	first, last := run[0], run[len(run)-1]
	switch {
	case first.Seq != p.From || ChainOf(run) != p.Chain:
		return unsigned("it is not the change its device signed (its run of changes differs)")
	case len(writeKey) != ed25519.PublicKeySize || !ed25519.Verify(writeKey, vouchMessage(shop, last.Origin, p.Key), p.Vouch):
		return unsigned("its device's key is not vouched for by the shop")
	case !ed25519.Verify(p.Key, pointMessage(shop, last.Origin, p.From, last.Seq, p.Chain), p.Sig):
		return unsigned("its device's signature does not match it")
	}
	return nil
}

// WritePublic is the public half of the shop's write key, which vouches
// for device keys.
func (s *Sealer) WritePublic() ed25519.PublicKey { return s.write.Public().(ed25519.PublicKey) }

func vouchMessage(shop, origin string, key ed25519.PublicKey) []byte {
	return fields("microshop-vouch-1", shop, origin, string(key))
}

func pointMessage(shop, origin string, from, to int64, h Chain) []byte {
	return fields("microshop-point-1", shop, origin, string(binary.AppendVarint(nil, from)), string(binary.AppendVarint(nil, to)), string(h[:]))
}

// fields joins strings each with its length first, so no two lists of
// fields make the same bytes.
func fields(fs ...string) []byte {
	var b []byte
	for _, f := range fs {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// ErrUnsigned marks a change refused because its device's signature is
// missing or wrong: it was not sent by the device it names.
var ErrUnsigned = errors.New("change not signed by its device")

func unsigned(why string) *domain.Error {
	return &domain.Error{Code: domain.ETampered, Message: why, Err: ErrUnsigned}
}
