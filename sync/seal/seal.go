// Package seal keeps a shop's changes private from the relays and files
// they travel through (DESIGN.md section 6). A change leaves its device
// sealed with XChaCha20-Poly1305 under the shop's key: the relay sees its
// origin, sequence and clock stamp, a digest, and the sealed bytes' size,
// and nothing of what it says. The envelope is the associated data, so a
// body moved to another shop, origin or sequence, or changed by one bit,
// does not open.
package seal

import (
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strconv"

	"golang.org/x/crypto/chacha20poly1305"

	"microshop/domain"
	"microshop/sync/changes"
)

// Entity is the entity of a sealed change on the wire. The real entity,
// its id and the body are inside the sealed bytes.
const Entity = "sealed"

// KeySize is the size of a shop key in bytes: 256 bits.
const KeySize = chacha20poly1305.KeySize

// Key is a shop's secret. It is made once, at init or `shop seal`, kept
// only on the shop's devices and handed over in invites.
type Key [KeySize]byte

// NewKey makes a random key.
func NewKey() (Key, error) {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		return Key{}, err
	}
	return k, nil
}

// String is the key in unpadded URL-safe base64, as invites and the
// shop's database keep it.
func (k Key) String() string { return base64.RawURLEncoding.EncodeToString(k[:]) }

// ParseKey reads a key written by String.
func ParseKey(s string) (Key, error) {
	var k Key
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != KeySize {
		return Key{}, errors.New("not a shop key")
	}
	copy(k[:], b)
	return k, nil
}

// Sealer seals and opens the changes of one shop.
type Sealer struct {
	shop  string
	aead  cipher.AEAD
	write ed25519.PrivateKey // signs the batches this device pushes
}

// New is the sealer of shop under key.
func New(shop string, key Key) *Sealer {
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		panic(err) // only a key of the wrong size fails, and Key has the size
	}
	return &Sealer{shop: shop, aead: aead, write: writeKey(key)}
}

// IsSealed reports whether c travels sealed.
func IsSealed(c changes.Change) bool { return c.Entity == Entity }

// Digest is a change's digest over its plaintext (changes.Digest): a
// sealed change carries it in the envelope, in place of its entity id, so
// a relay can compare heads without opening anything, and re-sealing with
// a fresh nonce changes no digest.
func Digest(c changes.Change) string {
	if IsSealed(c) {
		return c.EntityID
	}
	return changes.Digest(c)
}

// Seal returns c sealed: origin, sequence and stamp in the clear, the
// digest of the plaintext in the entity id, and the entity, its id and the
// body sealed, as a JSON string of base64.
func (s *Sealer) Seal(c changes.Change) (changes.Change, error) {
	digest := changes.Digest(c)
	plain := make([]byte, 0, 2*binary.MaxVarintLen64+len(c.Entity)+len(c.EntityID)+len(c.Body))
	plain = binary.AppendUvarint(plain, uint64(len(c.Entity)))
	plain = append(plain, c.Entity...)
	plain = binary.AppendUvarint(plain, uint64(len(c.EntityID)))
	plain = append(plain, c.EntityID...)
	plain = append(plain, c.Body...)

	ns := s.aead.NonceSize()
	sealed := make([]byte, ns, ns+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(sealed); err != nil {
		return changes.Change{}, err
	}
	sealed = s.aead.Seal(sealed, sealed, plain, s.envelope(c.Origin, c.Seq, c.HLC, digest))
	body := make([]byte, 0, base64.StdEncoding.EncodedLen(len(sealed))+2)
	body = append(body, '"')
	body = base64.StdEncoding.AppendEncode(body, sealed)
	body = append(body, '"')
	return changes.Change{Origin: c.Origin, Seq: c.Seq, HLC: c.HLC, Entity: Entity, EntityID: digest, Body: body}, nil
}

// Open returns the change c seals, or a domain.ETampered error when it
// does not open under this shop's key for its envelope, or what it holds
// is not the change its digest names.
func (s *Sealer) Open(c changes.Change) (changes.Change, error) {
	if !IsSealed(c) {
		err := tampered("it came unsealed, but this shop is sealed and its devices send only sealed changes (a relay used before the shop was sealed may still hold older ones, which the relay's owner can drop)")
		err.Err = ErrCameUnsealed
		return changes.Change{}, err
	}
	// Seal writes the base64 between quotes as it is, and base64 has no
	// character JSON escapes: anything else is not a sealed body.
	b := c.Body
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return changes.Change{}, tampered("its body is not sealed data")
	}
	sealed, err := base64.StdEncoding.AppendDecode(nil, b[1:len(b)-1])
	ns := s.aead.NonceSize()
	if err != nil || len(sealed) < ns+s.aead.Overhead() {
		return changes.Change{}, tampered("its body is not sealed data")
	}
	// Opened in place: the plaintext takes the ciphertext's bytes.
	plain, err := s.aead.Open(sealed[ns:ns], sealed[:ns], sealed[ns:], s.envelope(c.Origin, c.Seq, c.HLC, c.EntityID))
	if err != nil {
		return changes.Change{}, tampered("it does not open with this shop's key where it claims to be: it was changed, moved, or sealed for another shop")
	}
	out := changes.Change{Origin: c.Origin, Seq: c.Seq, HLC: c.HLC, Sig: c.Sig}
	var ok bool
	if out.Entity, plain, ok = field(plain); ok {
		out.EntityID, plain, ok = field(plain)
	}
	if !ok {
		return changes.Change{}, tampered("its sealed contents are malformed")
	}
	out.Body = plain
	if changes.Digest(out) != c.EntityID {
		return changes.Change{}, tampered("its contents do not match their digest")
	}
	return out, nil
}

func field(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return "", nil, false
	}
	return string(b[k : k+int(n)]), b[k+int(n):], true
}

// envelope is the associated data: what the relay sees of a change, and
// the shop it belongs to, so none of it can change without the body
// failing to open.
func (s *Sealer) envelope(origin string, seq int64, hlc, digest string) []byte {
	ad := make([]byte, 0, 16+len(s.shop)+len(origin)+len(hlc)+len(digest)+20)
	ad = append(ad, "microshop-seal-1"...)
	for _, f := range []string{s.shop, origin, strconv.FormatInt(seq, 10), hlc, digest} {
		ad = append(ad, 0)
		ad = append(ad, f...)
	}
	return ad
}

// ErrCameUnsealed is under the refusal of a change sent in the clear to a
// sealed shop: one from before the shop was sealed, or forged.
var ErrCameUnsealed = errors.New("a change came unsealed")

// tampered is Open's refusal of c. Its message says why, as a clause
// about the change ("it does not open…"): the caller, which knows the
// device by its name, says which change it was.
func tampered(why string) *domain.Error {
	return &domain.Error{Code: domain.ETampered, Message: why}
}
