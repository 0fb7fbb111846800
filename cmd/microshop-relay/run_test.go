package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/gorilla/websocket"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/relay"
	"microshop/sync/wire"
)

const shop = "0190a1b2-aaaa-7000-8000-000000000001"

// run calls Run and returns its stdout.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), args, &stdout, &stderr)
	return stdout.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := run(t, args...)
	if err != nil {
		t.Fatalf("microshop-relay %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestTokenCommands(t *testing.T) {
	data := filepath.Join(t.TempDir(), "relay")
	out := mustRun(t, "token", "create", "--data", data, "--shop", shop, "--label", "stall laptop")
	secret := lastLine(out)
	if !strings.HasPrefix(secret, "mst_") {
		t.Fatalf("token create's last line = %q, want the token", secret)
	}
	unbound := lastLine(mustRun(t, "token", "create", "--data", data))

	list := mustRun(t, "token", "list", "--data", data)
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 2 {
		t.Fatalf("token list printed %d lines, want 2:\n%s", len(lines), list)
	}
	first := strings.Split(lines[0], "\t")
	if len(first) < 4 || first[1] != "stall laptop" || first[2] != shop || !strings.HasPrefix(secret, "mst_"+first[0]+"_") {
		t.Errorf("first line = %q, want ID, label, shop, created", lines[0])
	}
	if _, err := time.Parse(time.RFC3339, first[3]); err != nil {
		t.Errorf("CREATED %q is not a time: %v", first[3], err)
	}
	if second := strings.Split(lines[1], "\t"); second[1] != "-" || second[2] != "-" {
		t.Errorf("unbound token line = %q, want - for label and shop", lines[1])
	}
	for _, tok := range []string{secret, unbound} {
		if strings.Contains(list, tok[len("mst_")+17:]) {
			t.Error("token list shows a secret")
		}
	}

	// Flags after the ID work too.
	mustRun(t, "token", "revoke", first[0], "--data", data)
	list = mustRun(t, "token", "list", "--data", data)
	if !strings.Contains(strings.Split(list, "\n")[0], "\trevoked ") {
		t.Errorf("after revoke, token list = %q, want the first token revoked", list)
	}
	if again := mustRun(t, "token", "revoke", first[0], "--data", data); !strings.Contains(again, "was revoked already, on "+time.Now().UTC().Format(time.DateOnly)) {
		t.Errorf("revoking it again says %q; want that it was revoked already, and when", again)
	}
	_, err := run(t, "token", "revoke", "--data", data, "0000000000000000")
	if domain.ErrorCode(err) != domain.ENotFound || !strings.Contains(domain.ErrorMessage(err), "0000000000000000") {
		t.Errorf("revoking an unknown id: %v, want not_found naming it", err)
	}
}

func TestCommandErrorsNameTheBadValue(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string // in the message
	}{
		{"no command", nil, "serve, token, forget or --version"},
		{"unknown command", []string{"server"}, `"server"`},
		{"unknown token subcommand", []string{"token", "make"}, `"make"`},
		{"serve without flags", []string{"serve"}, "--addr and --data"},
		{"bad address", []string{"serve", "--addr", "localhost", "--data", dir}, `"localhost"`},
		{"bad port", []string{"serve", "--addr", "127.0.0.1:99999", "--data", dir}, `"127.0.0.1:99999"`},
		{"negative cap", []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--max-conns", "-1"}, "--max-conns -1"},
		{"negative cap per address", []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--max-conns-per-addr", "-5"}, "--max-conns-per-addr -5"},
		{"cap not a number", []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--max-conns", "lots"}, `"lots"`},
		{"half TLS", []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--tls-cert", "c.pem"}, "--tls-key"},
		{"missing cert file", []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--tls-cert", "nope.pem", "--tls-key", "nope.key"}, "nope.pem"},
		{"unknown flag", []string{"token", "list", "--data", dir, "--all"}, "-all"},
		{"bad shop id", []string{"token", "create", "--data", dir, "--shop", "My Shop"}, `"My Shop"`},
		{"shop id not the app's", []string{"token", "create", "--data", dir, "--shop", "abc"}, `"abc" is not one`},
		{"empty shop id", []string{"token", "create", "--data", dir, "--shop", ""}, "leave --shop out"},
		{"list of a wrong dir", []string{"token", "list", "--data", filepath.Join(dir, "typo")}, "typo"},
		{"revoke without id", []string{"token", "revoke", "--data", dir}, "one token ID"},
		{"stray argument", []string{"token", "list", "--data", dir, "extra"}, `"extra"`},
		{"store not postgres", []string{"serve", "--addr", "127.0.0.1:0", "--store", "mysql://x@y/z"}, `"mysql://x@y/z"`},
		{"token without a place", []string{"token", "create"}, "--data DIR"},
		// Whoever starts the relay hears the database's reason, not what
		// devices are told ("sync again in a moment").
		{"postgres not there", []string{"serve", "--addr", "127.0.0.1:0", "--store", "postgres://u:pw@" + closedAddr(t) + "/db"}, "cannot reach PostgreSQL at postgres://u:xxxxx@"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, tt.args...)
			if err == nil {
				t.Fatal("no error")
			}
			msg := domain.ErrorMessage(err)
			if !strings.Contains(msg, tt.want) || strings.Count(strings.TrimSpace(msg), "\n") > 0 || strings.Contains(msg, "sync again") {
				t.Errorf("message %q, want one line containing %q", msg, tt.want)
			}
			checkErrorStyle(t, msg)
		})
	}
}

// goNoise is what Go's own packages say that a person running the relay
// should not have to read: the flag package's and the system calls' words.
var goNoise = []string{"flag provided", "invalid value", "invalid boolean", "parse error", "value out of range",
	"flag needs an argument", "mkdir ", "open ", "lookup ", "listen tcp", "tls:", "PEM data", "no such host",
	"cannot parse", "failed to parse"}

// TestMistypedFlagsAreSentences: a flag mistyped, a value left out or a
// number that is not one was told in the flag package's words
// (`serve: invalid value "lots" for flag -max-conns: parse error`); a
// --data that is a file, a TLS file missing or not PEM, in the system's
// (`mkdir relay: not a directory`, `tls: failed to find any PEM data`).
func TestMistypedFlagsAreSentences(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(file, []byte("not a relay\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	serve := []string{"serve", "--addr", "127.0.0.1:0", "--data", dir}
	tests := []struct {
		name string
		args []string
		want []string // in the message
	}{
		{"cap not a number", append(serve, "--max-conns", "lots"), []string{`--max-conns "lots" is not a whole number`}},
		{"cap in e-notation", append(serve, "--max-conns", "1e3"), []string{`"1e3"`, "whole number"}},
		{"cap beyond any", append(serve, "--max-conns-per-addr=99999999999999999999"), []string{`"99999999999999999999"`, "whole number"}},
		{"unknown flag", append(serve, "--port", "8787"), []string{"--port is not a flag of microshop-relay serve", "serve -h"}},
		{"unknown flag after the id", []string{"token", "revoke", "abc", "--data", dir, "--force"}, []string{"--force is not a flag"}},
		{"value left out", []string{"serve", "--data", dir, "--addr"}, []string{"--addr needs a value"}},
		{"value left out before a flag", []string{"token", "create", "--data", dir, "--label", "--shop", shop}, []string{"--label is followed by the flag --shop"}},
		{"a yes that is not one", []string{"forget", "--data", dir, "--shop", shop, "--yes=please"}, []string{"--yes", `"please"`}},
		{"data is a file, to create a token", []string{"token", "create", "--data", file}, []string{file, "not a folder"}},
		{"data is a file, to list tokens", []string{"token", "list", "--data", file}, []string{file, "not a folder"}},
		{"data is a file, to serve", []string{"serve", "--addr", "127.0.0.1:0", "--data", file}, []string{file, "not a folder"}},
		{"data under a file", []string{"token", "create", "--data", filepath.Join(file, "relay")}, []string{file, "not a folder"}},
		{"certificate missing", append(serve, "--tls-cert", filepath.Join(dir, "nope.pem"), "--tls-key", filepath.Join(dir, "nope.key")), []string{"nope.pem", "no such file"}},
		{"certificate not PEM", append(serve, "--tls-cert", file, "--tls-key", file), []string{file, "PEM"}},
		{"store not a URL", []string{"serve", "--addr", "127.0.0.1:0", "--store", "postgres://relay:s3cret@[::1/microshop"}, []string{"--store", "postgres://relay@db.example:5432/microshop"}},
		{"store not a URL, for tokens", []string{"token", "list", "--store", "postgres://relay@db:x:y/microshop"}, []string{"--store"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, tt.args...)
			if err == nil {
				t.Fatal("no error")
			}
			if domain.ErrorCode(err) == domain.EInternal {
				t.Errorf("code %s, want a mistake of the one who typed it", domain.ErrorCode(err))
			}
			msg := domain.ErrorMessage(err)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not name %q", msg, w)
				}
			}
			for _, noise := range goNoise {
				if strings.Contains(msg, noise) && !slicesContainsIn(tt.want, noise) {
					t.Errorf("message %q has Go's words %q", msg, noise)
				}
			}
			if strings.Contains(strings.TrimSpace(msg), "\n") {
				t.Errorf("message %q is not one line", msg)
			}
			checkErrorStyle(t, msg)
		})
	}
}

// An address whose host is no name nor address (999.1.1.1, a typo) was
// refused in Go's words: "listen tcp: lookup 999.1.1.1: no such host".
// The lookup is built here, not made, so the test needs no resolver.
func TestListenOnAnUnknownHostSaysSo(t *testing.T) {
	lookup := &net.OpError{Op: "listen", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "999.1.1.1", IsNotFound: true}}
	msg := domain.ErrorMessage(listenError("999.1.1.1:8787", lookup))
	for _, w := range []string{"999.1.1.1:8787", "0.0.0.0"} {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q does not name %q", msg, w)
		}
	}
	for _, noise := range goNoise {
		if strings.Contains(msg, noise) {
			t.Errorf("message %q has Go's words %q", msg, noise)
		}
	}
	checkErrorStyle(t, msg)
}

// slicesContainsIn: whether one of wants holds s, a word the test asks for.
func slicesContainsIn(wants []string, s string) bool {
	for _, w := range wants {
		if strings.Contains(w, s) {
			return true
		}
	}
	return false
}

// checkErrorStyle: the relay words its errors as microshopctl does, after
// its "microshop-relay: " prefix: lower-case (a name like TLS aside) and
// no full stop. They began "Unknown command" and ended with one.
func checkErrorStyle(t *testing.T, msg string) {
	t.Helper()
	first, _, _ := strings.Cut(msg, " ")
	if capitalised := len(first) > 1 && unicode.IsUpper(rune(first[0])) && unicode.IsLower(rune(first[1])); capitalised || strings.HasSuffix(msg, ".") {
		t.Errorf("message %q: want it lower-case and without a full stop, as microshopctl words its errors", msg)
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, args := range [][]string{
		{"-h"}, {"serve", "-h"}, {"token", "-h"}, {"token", "create", "-h"},
		{"token", "list", "-h"}, {"token", "revoke", "--help"}, {"forget", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, err := run(t, args...)
			if err != nil || !strings.Contains(out, "Usage") {
				t.Errorf("output %q, err %v; want usage and no error", out, err)
			}
		})
	}
}

// lockedBuffer takes the server's log lines from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServe runs serve in-process until the test ends and returns the
// address from its first line.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve"}, args...), stdoutW, stderr)
		stdoutW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop after its context ended")
		}
		if t.Failed() {
			t.Logf("serve's stderr:\n%s", stderr.buf.String())
		}
	})
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading serve's first line: %v (returned %v)", err, <-done)
	}
	go io.Copy(io.Discard, stdoutR)
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("first line %q, want \"listening on HOST:PORT\"", line)
	}
	if _, port, _ := net.SplitHostPort(addr); port == "0" || port == "" {
		t.Fatalf("first line %q does not give the real port", line)
	}
	return addr
}

func TestServe(t *testing.T) {
	data := t.TempDir()
	token := lastLine(mustRun(t, "token", "create", "--data", data, "--shop", shop))
	addr := startServe(t, "--addr", "127.0.0.1:0", "--data", data)

	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", res.StatusCode)
	}
	welcome := handshake(t, websocket.DefaultDialer, "ws://"+addr+"/sync", token)
	if welcome.Shop != shop {
		t.Errorf("welcome for shop %q, want %q", welcome.Shop, shop)
	}

	// A second relay on the same data would wake only its own devices when
	// a change arrives: it is refused, and the tokens still work.
	if _, err := run(t, "serve", "--addr", "127.0.0.1:0", "--data", data); err == nil || !strings.Contains(err.Error(), "another relay is serving "+data) {
		t.Fatalf("a second serve on the same --data: %v; want it refused, naming the directory", err)
	}
	mustRun(t, "token", "create", "--data", data, "--shop", shop)
}

func TestServeTLS(t *testing.T) {
	data := t.TempDir()
	certFile, keyFile, pool := writeCert(t)
	token := lastLine(mustRun(t, "token", "create", "--data", data, "--shop", shop))
	addr := startServe(t, "--addr", "127.0.0.1:0", "--data", data, "--tls-cert", certFile, "--tls-key", keyFile)

	tlsConfig := &tls.Config{RootCAs: pool}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig}}
	res, err := client.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz over TLS = %d, want 200", res.StatusCode)
	}
	handshake(t, &websocket.Dialer{TLSClientConfig: tlsConfig}, "wss://"+addr+"/sync", token)
}

func handshake(t *testing.T, dialer *websocket.Dialer, url, token string) wire.Welcome {
	t.Helper()
	ws, _, err := dialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	defer ws.Close()
	ws.SetReadLimit(wire.MaxFrameBytes)
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := wire.Write(ws, wire.Hello{Protocol: wire.ProtocolVersion, Schema: changes.PlainSchema, Shop: shop, Device: "dev", Token: token}); err != nil {
		t.Fatal(err)
	}
	m, err := wire.Read(ws)
	w, ok := m.(wire.Welcome)
	if err != nil || !ok {
		t.Fatalf("after hello got %#v, %v; want a welcome", m, err)
	}
	return w
}

// writeCert writes a self-signed certificate for 127.0.0.1 and returns the
// files and a pool trusting it.
func writeCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "relay test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, pool
}

// closedAddr is a local address nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// A port another program holds is said in words, with what to do, not as
// Go's "listen tcp 127.0.0.1:7420: bind: address already in use".
func TestServeOnAPortInUseSaysSo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	data := filepath.Join(t.TempDir(), "relay")
	_, err = run(t, "serve", "--addr", addr, "--data", data)
	want := "cannot listen on " + addr + ": another program is using that port; stop it, or give another --addr"
	if got := domain.ErrorMessage(err); got != want {
		t.Fatalf("serve on a port in use says %q, want %q", got, want)
	}
	// Refused, it made nothing: it had made the folder, its token
	// database and its lock before it tried the port.
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("serve refused for its port left %s behind (%v)", data, err)
	}
}

// The owner of a token that leaked holds the token, not its id: revoking
// with the whole token revokes it, and never prints its secret back (it
// said "There is no token with the id "mst_…"" with the secret in full).
func TestRevokeTakesTheWholeToken(t *testing.T) {
	data := filepath.Join(t.TempDir(), "relay")
	secret := lastLine(mustRun(t, "token", "create", "--data", data, "--shop", shop))
	id := strings.Split(secret, "_")[1]
	out := mustRun(t, "token", "revoke", "--data", data, secret)
	if out != "Token "+id+" revoked.\n" {
		t.Errorf("revoking with the whole token says %q, want the token %s revoked", out, id)
	}
	if list := mustRun(t, "token", "list", "--data", data); !strings.Contains(list, "\trevoked ") {
		t.Errorf("after revoking with the whole token, token list = %q, want it revoked", list)
	}
}

// On a terminal, token list names its columns and lines them up, as the
// other lists do, and says when there is no token; piped, it prints the
// tab-separated lines of CLI.md alone (TestTokenCommands).
func TestTokenListOnATerminalHasAHeader(t *testing.T) {
	was := isTerminal
	isTerminal = func(io.Writer) bool { return true }
	t.Cleanup(func() { isTerminal = was })

	empty := t.TempDir()
	db, err := relay.OpenTokenDB(context.Background(), relay.TokenDBPath(empty))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if out := mustRun(t, "token", "list", "--data", empty); out != "No tokens yet; make one with `microshop-relay token create`.\n" {
		t.Errorf("token list of no tokens on a terminal = %q", out)
	}

	data := filepath.Join(t.TempDir(), "relay")
	mustRun(t, "token", "create", "--data", data, "--shop", shop, "--label", "stall laptop")
	mustRun(t, "token", "create", "--data", data)
	lines := strings.Split(strings.TrimSpace(mustRun(t, "token", "list", "--data", data)), "\n")
	if len(lines) != 3 || !regexp.MustCompile(`^ID {16}LABEL {9}SHOP +CREATED +STATUS$`).MatchString(lines[0]) {
		t.Fatalf("token list on a terminal:\n%s\nwant a header, then a line per token", strings.Join(lines, "\n"))
	}
	for _, l := range lines[1:] {
		if strings.Contains(l, "\t") || strings.Index(l, "active") != strings.Index(lines[0], "STATUS") {
			t.Errorf("line %q does not line up under %q", l, lines[0])
		}
	}
}
