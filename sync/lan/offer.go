package lan

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"microshop/domain"
)

// OfferLifetime is how long a host serves an invite after it is offered.
const OfferLifetime = 10 * time.Minute

// InvitePath is where a host serves its offered invite.
const InvitePath = "/invite"

// sealedInvite is what a host serves: an invite sealed with
// XChaCha20-Poly1305 under the key argon2id makes of the code and Salt.
type sealedInvite struct {
	V      int    `json:"v"`
	Salt   []byte `json:"salt"`
	Nonce  []byte `json:"nonce"`
	Sealed []byte `json:"sealed"`
}

const (
	saltLength = 16
	// maxInvite is the longest invite sealed or accepted, in bytes.
	maxInvite = 4096
)

// sealContext binds a sealed invite to its purpose, so that nothing else
// sealed under a key made of the same code could pass for one.
var sealContext = []byte("microshop lan invite v1")

// Offers is the invite a host offers to the computer that types its code.
// It serves the sealed invite at GET /invite for OfferLifetime; the code
// itself stays on the host's screen. Its zero value offers nothing.
type Offers struct {
	// Now is the clock; nil is time.Now.
	Now func() time.Time

	mu    sync.Mutex
	body  []byte // the sealed invite as served
	until time.Time
}

func (o *Offers) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// Offer seals invite under a new code and serves it from now on, in place
// of any earlier offer. It returns the code, shown as XXXX-XXXX, and when
// the offer ends.
func (o *Offers) Offer(invite string) (code string, until time.Time, err error) {
	if invite == "" || len(invite) > maxInvite {
		return "", time.Time{}, domain.Errorf(domain.EInvalid, "an invite of %d bytes cannot be offered; an invite is 1 to %d bytes", len(invite), maxInvite)
	}
	code = newCode()
	body, err := json.Marshal(seal(code, invite))
	if err != nil {
		return "", time.Time{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.body, o.until = body, o.now().Add(OfferLifetime)
	return FormatCode(code), o.until, nil
}

func seal(code, invite string) sealedInvite {
	s := sealedInvite{V: 1, Salt: make([]byte, saltLength), Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	rand.Read(s.Salt)
	rand.Read(s.Nonce)
	aead, _ := chacha20poly1305.NewX(codeKey(code, s.Salt)) // the key is the right size
	s.Sealed = aead.Seal(nil, s.Nonce, []byte(invite), sealContext)
	return s
}

// Withdraw stops serving the offered invite.
func (o *Offers) Withdraw() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.body, o.until = nil, time.Time{}
}

// Offering reports whether an invite is served now, and until when.
func (o *Offers) Offering() (time.Time, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.body == nil || !o.now().Before(o.until) {
		return time.Time{}, false
	}
	return o.until, true
}

// ServeHTTP answers GET /invite: the sealed invite, 404 when none was
// offered, 410 once it has expired.
func (o *Offers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "only GET", http.StatusMethodNotAllowed)
		return
	}
	o.mu.Lock()
	body, expired := o.body, !o.now().Before(o.until)
	o.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case body == nil:
		http.Error(w, "no invite offered", http.StatusNotFound)
	case expired:
		http.Error(w, "the invite offered has expired", http.StatusGone)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
}
