package lan

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"microshop/domain"
)

const testInvite = "microshop1.eyJyIjoid3M6Ly8xOTIuMTY4LjEuMjA6NzQyMCIsInQiOiJtc3RfYWJjIn0.c2VjcmV0a2V5"

// host serves h as a computer hosting sync would, and says what it was
// asked.
type host struct {
	url  string
	mu   sync.Mutex
	seen []string // each request: its line and headers
}

func serve(t *testing.T, h http.Handler) *host {
	t.Helper()
	hs := &host{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hs.mu.Lock()
		var b strings.Builder
		b.WriteString(r.Method + " " + r.URL.String())
		r.Header.Write(&b)
		hs.seen = append(hs.seen, b.String())
		hs.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	hs.url = "ws://" + srv.Listener.Addr().String()
	return hs
}

func TestTheRightCodeOpensTheInviteAndNeverTravels(t *testing.T) {
	var offers Offers
	code, until, err := offers.Offer(testInvite)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 9 || code[4] != '-' {
		t.Fatalf("code %q is not shown as XXXX-XXXX", code)
	}
	if d := time.Until(until); d < 9*time.Minute || d > OfferLifetime {
		t.Fatalf("offer lasts %v, want 10 minutes", d)
	}
	h := serve(t, &offers)
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	got, err := FetchInvite(context.Background(), h.url, typed)
	if err != nil || got != testInvite {
		t.Fatalf("fetch with the code typed %q: %q, %v", typed, got, err)
	}
	bare := strings.ReplaceAll(code, "-", "")
	for _, req := range h.seen {
		if strings.Contains(strings.ToUpper(req), bare) || strings.Contains(strings.ToUpper(req), code) {
			t.Fatalf("the code went to the host: %q", req)
		}
	}
}

func TestAWrongCodeIsRefused(t *testing.T) {
	var offers Offers
	code, _, err := offers.Offer(testInvite)
	if err != nil {
		t.Fatal(err)
	}
	wrong := "2345-6789"
	if wrong == code {
		wrong = "9876-5432"
	}
	h := serve(t, &offers)
	got, err := FetchInvite(context.Background(), h.url, wrong)
	if domain.ErrorCode(err) != domain.EUnauthorized || got != "" {
		t.Fatalf("a wrong code: %q, %v; want an unauthorized error", got, err)
	}
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, wrong) || !strings.Contains(msg, "does not open") {
		t.Fatalf("message %q does not say the code %s is wrong", msg, wrong)
	}
}

func TestAnExpiredOfferIsRefused(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	offers := Offers{Now: func() time.Time { return now }}
	code, _, err := offers.Offer(testInvite)
	if err != nil {
		t.Fatal(err)
	}
	h := serve(t, &offers)
	now = now.Add(OfferLifetime - time.Second)
	if _, err := FetchInvite(context.Background(), h.url, code); err != nil {
		t.Fatalf("a second before it expires: %v", err)
	}
	now = now.Add(time.Second)
	got, err := FetchInvite(context.Background(), h.url, code)
	if err == nil || got != "" || !strings.Contains(domain.ErrorMessage(err), "expired") {
		t.Fatalf("at expiry: %q, %v; want an error saying it expired", got, err)
	}
	if _, ok := offers.Offering(); ok {
		t.Fatal("an expired offer still counts as offered")
	}
}

func TestNoOfferAndAWithdrawnOfferAreNotFound(t *testing.T) {
	var offers Offers
	h := serve(t, &offers)
	if _, err := FetchInvite(context.Background(), h.url, "2345-6789"); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("nothing offered: %v, want not found", err)
	}
	code, _, _ := offers.Offer(testInvite)
	offers.Withdraw()
	if _, err := FetchInvite(context.Background(), h.url, code); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("withdrawn: %v, want not found", err)
	}
}

func TestANewOfferReplacesTheOld(t *testing.T) {
	var offers Offers
	old, _, _ := offers.Offer(testInvite)
	code, _, _ := offers.Offer(testInvite + "2")
	h := serve(t, &offers)
	if old != code {
		if _, err := FetchInvite(context.Background(), h.url, old); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("the replaced code: %v, want refused", err)
		}
	}
	if got, err := FetchInvite(context.Background(), h.url, code); got != testInvite+"2" || err != nil {
		t.Fatalf("the new code: %q, %v", got, err)
	}
}

func TestGarbageFromTheHostIsRefused(t *testing.T) {
	const code = "ABCD-EFGH"
	good := seal("ABCDEFGH", testInvite)
	js := func(s sealedInvite) string { b, _ := json.Marshal(s); return string(b) }
	with := func(change func(*sealedInvite)) string { s := good; change(&s); return js(s) }
	flip := append([]byte(nil), good.Sealed...)
	flip[3] ^= 1
	cases := map[string]func(http.ResponseWriter){
		"not JSON":         func(w http.ResponseWriter) { w.Write([]byte("<html>hello</html>")) },
		"empty":            func(w http.ResponseWriter) {},
		"JSON of nothing":  func(w http.ResponseWriter) { w.Write([]byte("{}")) },
		"another version":  func(w http.ResponseWriter) { w.Write([]byte(with(func(s *sealedInvite) { s.V = 2 }))) },
		"a short salt":     func(w http.ResponseWriter) { w.Write([]byte(with(func(s *sealedInvite) { s.Salt = s.Salt[:8] }))) },
		"a short nonce":    func(w http.ResponseWriter) { w.Write([]byte(with(func(s *sealedInvite) { s.Nonce = s.Nonce[:12] }))) },
		"nothing sealed":   func(w http.ResponseWriter) { w.Write([]byte(with(func(s *sealedInvite) { s.Sealed = nil }))) },
		"a flipped bit":    func(w http.ResponseWriter) { w.Write([]byte(with(func(s *sealedInvite) { s.Sealed = flip }))) },
		"a field too many": func(w http.ResponseWriter) { w.Write([]byte(strings.TrimSuffix(js(good), "}") + `,"x":1}`)) },
		"two objects":      func(w http.ResponseWriter) { w.Write([]byte(js(good) + js(good))) },
		"far too long": func(w http.ResponseWriter) {
			w.Write([]byte(`{"v":1,"salt":"` + strings.Repeat("A", 1<<20) + `"}`))
		},
		"sealed control characters": func(w http.ResponseWriter) {
			w.Write([]byte(js(seal("ABCDEFGH", "microshop1.abc\n\x1b[2Jrm -rf"))))
		},
		"a server error": func(w http.ResponseWriter) { w.WriteHeader(http.StatusInternalServerError) },
		"a redirect": func(w http.ResponseWriter) {
			w.Header().Set("Location", "http://example.com/invite")
			w.WriteHeader(http.StatusFound)
		},
	}
	for name, answer := range cases {
		t.Run(name, func(t *testing.T) {
			h := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { answer(w) }))
			got, err := FetchInvite(context.Background(), h.url, code)
			if err == nil || got != "" {
				t.Fatalf("took %q", got)
			}
			if c := domain.ErrorCode(err); c != domain.EInvalid && c != domain.EUnauthorized {
				t.Fatalf("error %v (code %s), want it refused as no invite", err, c)
			}
		})
	}
}

func TestBadCodesAndAddressesAreRefusedBeforeAnyRequest(t *testing.T) {
	for _, c := range []struct{ url, code string }{
		{"ws://127.0.0.1:1", "ABCD-EFG0"},   // 0 is no code character
		{"ws://127.0.0.1:1", "ABCD-EFGHJ"},  // too long
		{"ws://127.0.0.1:1", ""},            // empty
		{"ws://127.0.0.1:1", "ABCD-EFGI"},   // I is no code character
		{"http://127.0.0.1:1", "ABCD-EFGH"}, // not a relay URL
		{"ws://user:pw@127.0.0.1:1", "ABCD-EFGH"},
		{"ws://", "ABCD-EFGH"},
	} {
		if _, err := FetchInvite(context.Background(), c.url, c.code); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("%s with %q: %v, want invalid", c.url, c.code, err)
		}
	}
}

func TestFetchFromAHostTriesItsAddressesInTurn(t *testing.T) {
	var offers Offers
	code, _, _ := offers.Offer(testInvite)
	h := serve(t, &offers)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "ws://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	got, err := FetchInviteFrom(context.Background(), Host{Name: "Stall laptop", URLs: []string{dead, h.url}}, code)
	if err != nil || got != testInvite {
		t.Fatalf("got %q, %v", got, err)
	}
	_, err = FetchInviteFrom(context.Background(), Host{Name: "Stall laptop", URLs: []string{dead}}, code)
	if domain.ErrorCode(err) != domain.EUnavailable {
		t.Fatalf("no address answers: %v, want unavailable", err)
	}
}

func TestCodesUseTheAlphabetAndDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := newCode()
		if _, err := ParseCode(FormatCode(c)); err != nil {
			t.Fatalf("a new code does not parse: %v", err)
		}
		seen[c] = true
	}
	if len(seen) < 199 {
		t.Fatalf("200 codes made only %d different ones", len(seen))
	}
}

// BenchmarkCodeKey is what one guess at a pairing code costs: the host
// pays it once per code, the joining computer once per try, and someone
// who took a sealed invite away once per code of the 2^40 they try.
func BenchmarkCodeKey(b *testing.B) {
	salt := make([]byte, saltLength)
	b.ReportAllocs()
	for b.Loop() {
		codeKey("ABCDEFGH", salt)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}
