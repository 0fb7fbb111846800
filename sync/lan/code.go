package lan

import (
	"crypto/rand"
	"strings"

	"golang.org/x/crypto/argon2"

	"microshop/domain"
)

// A pairing code is 8 characters of an alphabet without the look-alikes 0,
// O, 1 and I: 32 characters, so 40 bits, shown as XXXX-XXXX.
const (
	codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	codeLength   = 8
)

// The cost of turning a code into a key (argon2id). An invite served on
// the network can be taken away and guessed at offline, so each guess
// must be dear: 128 MiB and three passes make one guess take about a
// quarter of a second of two cores here, so trying the 2^40 codes would
// take thousands of years of a computer, and the memory keeps graphics
// cards from doing many at once. The host pays it once per code and the
// joining computer once per try.
const (
	kdfTime    = 3
	kdfMemory  = 128 << 10 // KiB
	kdfThreads = 2
	keyLength  = 32
)

// newCode is a random pairing code, without its hyphen.
func newCode() string {
	b := make([]byte, codeLength)
	rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = codeAlphabet[b[i]%byte(len(codeAlphabet))] // 256 is a multiple of 32: no bias
	}
	return string(b)
}

// FormatCode shows a code as people read it: XXXX-XXXX.
func FormatCode(code string) string {
	if len(code) != codeLength {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// ParseCode reads a code as people type it: any case, with or without the
// hyphen and spaces.
func ParseCode(typed string) (string, error) {
	code := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(typed)))
	if len(code) != codeLength || strings.Trim(code, codeAlphabet) != "" {
		return "", domain.Errorf(domain.EInvalid, "%q is not a pairing code: a code is 8 letters and digits shown on the host as XXXX-XXXX (no 0, 1, I or O)", typed)
	}
	return code, nil
}

// codeKey is the key a code and a salt make.
func codeKey(code string, salt []byte) []byte {
	return argon2.IDKey([]byte(code), salt, kdfTime, kdfMemory, kdfThreads, keyLength)
}
