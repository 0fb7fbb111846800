package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"microshop/domain"
	"microshop/sync/relay"
)

// A relay that cannot be used for a reason other than being unreachable
// says so: an untrusted certificate names why it is not trusted, an address
// that is not a relay says so. None of them says "check that it is running".
func TestDialErrorsSayWhatIsWrong(t *testing.T) {
	selfSigned := quietServer()
	selfSigned.StartTLS()
	defer selfSigned.Close()
	trustSelfSigned := &tls.Config{RootCAs: pool(selfSigned.Certificate())}
	expired := expiredServer(t)
	defer expired.Close()
	plain := quietServer()
	plain.Start()
	defer plain.Close()
	port := func(s *httptest.Server) string { _, p, _ := net.SplitHostPort(s.Listener.Addr().String()); return p }
	closed := closedAddr(t)
	full := fullRelay(t)
	ssh := otherServer(t, func(c net.Conn) { io.WriteString(c, "SSH-2.0-OpenSSH_9.2\r\n") })
	database := otherServer(t, func(c net.Conn) { c.Read(make([]byte, 512)) }) // as PostgreSQL does with an HTTP request

	tests := []struct {
		name  string
		relay string
		tls   *tls.Config
		want  []string
	}{
		{"self-signed", "wss://" + selfSigned.Listener.Addr().String(), nil,
			[]string{"presents a certificate this device does not trust", "self-signed", "public authority"}},
		{"another host's certificate", "wss://localhost:" + port(selfSigned), trustSelfSigned,
			[]string{"does not trust", "it is for example.com", "127.0.0.1", "not localhost", "a certificate for localhost"}},
		{"expired", "wss://" + expired.srv.Listener.Addr().String(), expired.trust,
			[]string{"does not trust", "expired on " + expired.notAfter.Format(time.DateOnly), "Renew"}},
		{"wss to a plain server", "wss://" + plain.Listener.Addr().String(), nil,
			[]string{"does not answer with TLS", "use ws://"}},
		{"ws to a TLS server", "ws://" + selfSigned.Listener.Addr().String(), nil,
			[]string{"not as a Microshop relay", "400", "use wss://" + selfSigned.Listener.Addr().String()}},
		{"a web server", "ws://" + plain.Listener.Addr().String(), nil,
			[]string{"not as a Microshop relay", "404", "check the address and port"}},
		{"over the relay's connection caps", "ws://" + full, nil,
			[]string{"closed it before answering", "connection limit", "sync again in a moment"}},
		{"a server that does not speak HTTP", "ws://" + ssh, nil,
			[]string{"not as a Microshop relay", "check the address and port"}},
		{"a server that reads and closes", "ws://" + database, nil,
			[]string{"closed it before answering", "not a Microshop relay", "check the port"}},
		{"nothing there", "ws://" + closed, nil,
			[]string{"Cannot reach the relay at ws://" + closed, "that it is running"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, _, err := dial(ctx, Config{Relay: tt.relay, Token: "t", TLS: tt.tls}, "", "device", nil)
			if err == nil {
				t.Fatal("dial succeeded")
			}
			msg := domain.ErrorMessage(err)
			for _, w := range append(tt.want, tt.relay) {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
			if tt.name != "nothing there" && strings.Contains(msg, "that it is running") {
				t.Errorf("%q sends the maker to check the relay is running", msg)
			}
			if code := domain.ErrorCode(err); code != domain.EUnavailable {
				t.Errorf("code %q, want %q", code, domain.EUnavailable)
			}
		})
	}
}

// quietServer is an unstarted test server answering 404, whose refused
// handshakes are not logged; StartTLS serves httptest's self-signed
// certificate (for example.com, 127.0.0.1 and ::1) unless TLS is set.
func quietServer() *httptest.Server {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	return srv
}

func pool(certs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

// closedAddr is a loopback address nothing listens on.
// fullRelay is the address of a relay whose one connection is taken: it
// refuses the next as a relay over its caps does, closing it unanswered.
func fullRelay(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler()}
	go srv.Serve(relay.LimitListener(l, relay.Limits{MaxConns: 1}, nil))
	t.Cleanup(func() { srv.Close() })
	held, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { held.Close() })
	time.Sleep(50 * time.Millisecond) // accepted before the next comes
	return l.Addr().String()
}

// otherServer is the address of a server that is not a relay (an SSH
// server, a database on the port next to the relay's): it does what
// answer does with each connection, then closes it.
func otherServer(t *testing.T, answer func(net.Conn)) string {
	return serveEach(t, func(c net.Conn) {
		answer(c)
		c.Close()
	})
}

// serveEach listens on a free local port until the test ends, handing
// each connection to handle, and returns its address.
func serveEach(t *testing.T, handle func(net.Conn)) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			handle(c)
		}
	}()
	return l.Addr().String()
}

func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

type expiredTLS struct {
	srv      *httptest.Server
	trust    *tls.Config
	notAfter time.Time
}

func (e expiredTLS) Close() { e.srv.Close() }

// expiredServer serves TLS with a certificate for 127.0.0.1 that expired
// yesterday; trust holds it as a root, so its age is its only fault.
func expiredServer(t *testing.T) expiredTLS {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	notAfter := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		NotBefore:             notAfter.Add(-90 * 24 * time.Hour),
		NotAfter:              notAfter,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	srv := quietServer()
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	return expiredTLS{srv: srv, trust: &tls.Config{RootCAs: pool(cert)}, notAfter: cert.NotAfter}
}
