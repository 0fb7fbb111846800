package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"

	"github.com/google/uuid"

	"microshop/domain"
	"microshop/sync/seal"
	"microshop/sync/wire"
)

// Invite is what a new device needs to join a sealed shop: where its
// relay is (one or more addresses to try), a token for it, which shop, and
// the shop's key. A relay token alone reads nothing: the key comes only
// from a device of the shop. An invite of a shop that syncs by file alone
// names no relay and no token (ByFile): it joins with a bundle.
type Invite struct {
	Relays []string
	Token  string
	Shop   string
	Key    seal.Key
}

// ByFile reports whether the invite names no relay, so the device it
// joins is filled from a bundle file made on a device of the shop.
func (in Invite) ByFile() bool { return len(in.Relays) == 0 }

// invitePrefix starts every invite, so a pasted string is recognised, and
// names the format's version.
const invitePrefix = "microshop1:"

// checkLen is how many bytes of SHA-256 end an invite: a typo or a cut-off
// paste is caught before anything is made.
const checkLen = 6

// String is the invite as one line: the prefix and unpadded URL-safe
// base64 of the fields, each with its length, and a checksum. An invite
// by file has an empty token and no relay field: the same format, so
// earlier versions, which need a relay, refuse it whole.
func (in Invite) String() string {
	var b []byte
	b = appendField(b, in.Shop)
	b = appendField(b, in.Token)
	b = append(b, in.Key[:]...)
	for _, r := range in.Relays {
		b = appendField(b, r)
	}
	sum := sha256.Sum256(b)
	b = append(b, sum[:checkLen]...)
	return invitePrefix + base64.RawURLEncoding.EncodeToString(b)
}

func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// ParseInvite reads an invite made by String. Spaces and line breaks a
// paste added are ignored; anything else wrong refuses it whole.
func ParseInvite(text string) (Invite, error) {
	text = strings.Join(strings.Fields(text), "")
	bad := func(why string) (Invite, error) {
		return Invite{}, domain.Errorf(domain.EInvalid, "%q is not a usable invite: %s; copy the whole invite from the device that made it", shorten(text), why)
	}
	rest, ok := strings.CutPrefix(text, invitePrefix)
	if !ok {
		return bad("an invite starts with " + invitePrefix)
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(b) < checkLen {
		return bad("it is damaged or cut short")
	}
	body, sum := b[:len(b)-checkLen], b[len(b)-checkLen:]
	if want := sha256.Sum256(body); !bytes.Equal(sum, want[:checkLen]) {
		return bad("it is damaged or cut short")
	}
	in, ok := readInvite(body)
	if !ok {
		return bad("it is damaged")
	}
	if _, err := uuid.Parse(in.Shop); err != nil {
		return bad("it names no shop")
	}
	if (in.Token == "") != in.ByFile() {
		return bad("it names a relay without its token, or a token without a relay")
	}
	if !in.ByFile() && !wire.ValidToken(in.Token) {
		return bad("its relay token is not one a relay makes")
	}
	for _, f := range append([]string{in.Token}, in.Relays...) {
		if strings.ContainsFunc(f, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
			return bad("it holds characters no token or relay address has")
		}
	}
	return in, nil
}

// readInvite reads the fields String writes.
func readInvite(body []byte) (in Invite, ok bool) {
	if in.Shop, body, ok = field(body); !ok {
		return in, false
	}
	if in.Token, body, ok = field(body); !ok || len(body) < seal.KeySize {
		return in, false
	}
	copy(in.Key[:], body)
	body = body[seal.KeySize:]
	for len(body) > 0 {
		var r string
		if r, body, ok = field(body); !ok {
			return in, false
		}
		in.Relays = append(in.Relays, r)
	}
	return in, true
}

func field(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return "", nil, false
	}
	return string(b[k : k+int(n)]), b[k+int(n):], true
}

// shorten keeps an error message about a long pasted string readable.
func shorten(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:20] + "…" + s[len(s)-12:]
}

// Invite makes the invite for another device to join this shop through
// the relays given (addresses to try, in order) with token; without them,
// through the relay this device syncs with, or, when it syncs with none,
// by file: that invite names no relay and joins with a bundle.
func (s *Shop) Invite(ctx context.Context, relays []string, token string) (Invite, error) {
	key, ok, err := s.Key(ctx)
	if err != nil {
		return Invite{}, storeError(s.path, err)
	}
	if !ok {
		return Invite{}, domain.Errorf(domain.EConflict, "the shop is not sealed yet, so an invite could not keep its changes private; seal the shop first (it keeps all its data)")
	}
	if token != "" {
		if err := CheckToken(token); err != nil {
			return Invite{}, err
		}
	}
	if len(relays) == 0 || token == "" {
		peer, err := s.SyncPeer(ctx)
		if err != nil {
			return Invite{}, err
		}
		if peer.Relay == "" || peer.Token == "" {
			return Invite{Shop: s.shopID, Key: key}, nil
		}
		// A token remembered from before tokens were checked where they
		// are typed is refused too: the device joining would be refused
		// by the relay only after it had begun.
		if !wire.ValidToken(peer.Token) {
			return Invite{}, domain.Errorf(domain.EInvalid, "this device syncs with %s using %s, which is not a relay token, so a device joining with it would be refused; connect again with the token the relay's owner made", peer.Relay, tokenShown(peer.Token))
		}
		relays, token = []string{peer.Relay}, peer.Token
	}
	return Invite{Relays: relays, Token: token, Shop: s.shopID, Key: key}, nil
}
