package lan

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/chacha20poly1305"

	"microshop/domain"
)

// fetchTimeout bounds one request to a host, so that an address that
// swallows packets does not hold the joining computer for long.
const fetchTimeout = 10 * time.Second

// maxOfferBody is the most read of a host's answer: a sealed invite of
// maxInvite bytes in JSON, with room to spare.
const maxOfferBody = 16 << 10

// FetchInvite gets the invite the host at hostURL (its relay URL,
// ws://HOST:PORT) offers and opens it with code, as people type it. A
// wrong code, an expired offer and an answer that is no sealed invite are
// each refused with their own error; nothing the host sends is trusted
// before it opens under the code.
func FetchInvite(ctx context.Context, hostURL, code string) (string, error) {
	code, err := ParseCode(code)
	if err != nil {
		return "", err
	}
	endpoint, err := inviteURL(hostURL)
	if err != nil {
		return "", err
	}
	body, err := get(ctx, endpoint, hostURL)
	if err != nil {
		return "", err
	}
	return open(body, code, hostURL)
}

// FetchInviteFrom tries the host's addresses in turn until one answers,
// and opens what it serves with code, as FetchInvite does. The invite
// comes back with the address that answered first among its relays.
func FetchInviteFrom(ctx context.Context, h Host, code string) (string, error) {
	if _, err := ParseCode(code); err != nil {
		return "", err
	}
	var err error = domain.Errorf(domain.EUnavailable, "%s gave no address to reach it", h.Name)
	for _, u := range h.URLs {
		var invite string
		invite, err = FetchInvite(ctx, u, code)
		if err == nil {
			return reachedFirst(invite, u), nil
		}
		if domain.ErrorCode(err) != domain.EUnavailable || ctx.Err() != nil {
			return "", err // it answered, or there is no time left
		}
	}
	return "", err
}

// inviteURL is the HTTP address of the invite of the host at relay URL
// hostURL.
func inviteURL(hostURL string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(hostURL))
	if err != nil || u.Host == "" || u.User != nil || (u.Scheme != "ws" && u.Scheme != "wss") {
		return "", domain.Errorf(domain.EInvalid, "%q is not the address of a computer hosting sync; it looks like ws://HOST:PORT", hostURL)
	}
	scheme := "http"
	if u.Scheme == "wss" {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: u.Host, Path: InvitePath}).String(), nil
}

var httpClient = &http.Client{
	Timeout: fetchTimeout,
	// A host serves its invite itself; being sent elsewhere is no answer.
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// get reads the host's answer, at most maxOfferBody bytes.
func get(ctx context.Context, endpoint, hostURL string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, domain.Errorf(domain.EInvalid, "%q is not the address of a computer hosting sync; it looks like ws://HOST:PORT", hostURL)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, &domain.Error{Code: domain.EUnavailable, Message: "cannot reach " + hostURL + ": check that both computers are on the same network and that it still hosts sync", Err: err}
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, domain.Errorf(domain.ENotFound, "the computer at %s offers no invite now: on it, choose Invite a device and use the code it shows", hostURL)
	case http.StatusGone:
		return nil, domain.Errorf(domain.EUnauthorized, "the code has expired (a code lasts %d minutes): on the host, choose Invite a device again for a new one", int(OfferLifetime/time.Minute))
	default:
		return nil, notAnInvite(hostURL)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxOfferBody+1))
	if err != nil {
		return nil, &domain.Error{Code: domain.EUnavailable, Message: "the connection to " + hostURL + " broke while it sent the invite; try again", Err: err}
	}
	if len(body) > maxOfferBody {
		return nil, notAnInvite(hostURL)
	}
	return body, nil
}

func notAnInvite(hostURL string) error {
	return domain.Errorf(domain.EInvalid, "the computer at %s answered with something that is not a Microshop invite; pick the host from the list again", hostURL)
}

// open checks and opens a host's answer.
func open(body []byte, code, hostURL string) (string, error) {
	var s sealedInvite
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if dec.Decode(&s) != nil || dec.More() || s.V != 1 || len(s.Salt) != saltLength ||
		len(s.Nonce) != chacha20poly1305.NonceSizeX || len(s.Sealed) <= chacha20poly1305.Overhead ||
		len(s.Sealed) > maxInvite+chacha20poly1305.Overhead {
		return "", notAnInvite(hostURL)
	}
	aead, err := chacha20poly1305.NewX(codeKey(code, s.Salt))
	if err != nil {
		return "", err
	}
	plain, err := aead.Open(nil, s.Nonce, s.Sealed, sealContext)
	if err != nil {
		return "", domain.Errorf(domain.EUnauthorized, "the code %s does not open the invite of the computer at %s: check the code shown on it (a new code replaces the one before)", FormatCode(code), hostURL)
	}
	invite := string(plain)
	if !oneLine(invite) {
		// Sealed under the code, so by the host: still, what it holds is
		// checked before anyone uses it.
		return "", notAnInvite(hostURL)
	}
	return invite, nil
}

// oneLine reports whether s is one line of printable UTF-8 text.
func oneLine(s string) bool {
	return s != "" && utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError }) < 0
}
