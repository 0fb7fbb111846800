package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"

	"microshop/domain"
	"microshop/sync/relay"
)

// shutdownWait is how long a stopping server gives devices to finish.
const shutdownWait = 10 * time.Second

// limits are the server's timeouts and caps before the flags change them;
// a variable so in-process tests can shorten the timeouts.
var limits = relay.DefaultLimits

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	lim := limits()
	c := newCommand("serve", serveSynopsis,
		"Runs the relay until SIGINT or SIGTERM, then stops gracefully: no change a device saw\n"+
			"acknowledged is lost. The first line on stdout is \"listening on HOST:PORT\" with the\n"+
			"real port (pick a free one with port 0). Devices sync at ws://HOST:PORT/sync (wss://\n"+
			"with TLS); GET /healthz answers 200 while the relay runs. Logs go to stderr.\n\n"+
			fmt.Sprintf("A connection over a cap is closed as soon as it is accepted. Behind a reverse proxy\n"+
				"every device comes from the proxy's address: raise --max-conns-per-addr or turn it off.\n"+
				"A request must arrive whole within %v, and a connection idle %v between requests is\n"+
				"closed; a sync session, once begun, stays open while the device answers pings. Revoking\n"+
				"a token, also with `token revoke` in another process, ends its sessions within seconds.\n\n"+
				"With --store postgres://..., any number of relays may share one database behind a load\n"+
				"balancer: a change pushed to one reaches devices on the others live, a token revoked\n"+
				"through one is refused by all within 5 s, and while the database is unreachable devices\n"+
				"are told the relay is unavailable and retry by themselves.",
				lim.ReadTimeout, lim.IdleTimeout))
	addr := c.flags.String("addr", "", "`HOST:PORT` to listen on, e.g. 0.0.0.0:8787 or 127.0.0.1:0")
	data := c.flags.String("data", "", "`DIR` for tokens.db and one database per shop (created if missing)")
	store := c.flags.String("store", "", "keep shops, changes and tokens in the PostgreSQL database at `URL` (postgres://USER@HOST:PORT/DB)\ninstead of --data; any number of relays may share one")
	certFile := c.flags.String("tls-cert", "", "certificate chain `FILE` (PEM) to serve TLS; needs --tls-key")
	keyFile := c.flags.String("tls-key", "", "private key `FILE` (PEM) of the certificate")
	c.flags.IntVar(&lim.MaxConns, "max-conns", lim.MaxConns, "at most `N` connections open at once, sync sessions included; 0 for no cap")
	c.flags.IntVar(&lim.MaxConnsPerAddr, "max-conns-per-addr", lim.MaxConnsPerAddr, "at most `N` connections open from one IP address; 0 for no cap (a benchmark\nrunning many devices on one machine needs 0)")
	rest, done, err := c.parse(args, stdout)
	if done || err != nil {
		return err
	}
	if err := errors.Join(serveNeeds(*addr, *data, *store), noArgs(c, rest), notNegative("max-conns", lim.MaxConns), notNegative("max-conns-per-addr", lim.MaxConnsPerAddr)); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(*addr)
	if _, perr := strconv.ParseUint(port, 10, 16); err != nil || perr != nil {
		return domain.Errorf(domain.EInvalid, "the address %q is not HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8787", *addr)
	}
	tlsConfig, err := loadTLS(*certFile, *keyFile)
	if err != nil {
		return err
	}

	// The port first: an address refused makes nothing, where the relay's
	// folder, token database and lock were made before it.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return listenError(*addr, err)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	rel, err := openRelay(ctx, *data, *store, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer rel.Close()
	_, realPort, _ := net.SplitHostPort(ln.Addr().String())
	fmt.Fprintf(stdout, "listening on %s\n", net.JoinHostPort(host, realPort))

	ln = relay.LimitListener(ln, lim, log)
	srv := rel.HTTPServer(lim)
	srv.TLSConfig = tlsConfig
	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- srv.ServeTLS(ln, "", "")
		} else {
			served <- srv.Serve(ln)
		}
	}()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	log.Info("stopping")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	// The HTTP server stops taking connections; the relay then ends the
	// WebSocket sessions, which the HTTP server no longer tracks.
	srv.Shutdown(sctx)
	if serveErr == nil {
		serveErr = <-served
	}
	if err := rel.Shutdown(sctx); err != nil {
		log.Warn("sessions cut at shutdown", "err", err)
	}
	if err := rel.Close(); err != nil {
		return fmt.Errorf("close the relay data: %w", err)
	}
	log.Info("stopped")
	if errors.Is(serveErr, http.ErrServerClosed) {
		return nil
	}
	return serveErr
}

// serveSynopsis is serve's usage line, also in the command's overview.
const serveSynopsis = "--addr HOST:PORT (--data DIR | --store URL) [--tls-cert FILE --tls-key FILE]\n" +
	"                             [--max-conns N] [--max-conns-per-addr N]"

// serveNeeds checks serve's required flags in one sentence.
func serveNeeds(addr, data, store string) error {
	if addr == "" && data == "" && store == "" {
		return domain.Errorf(domain.EInvalid, "serve needs --addr and --data DIR (or --store postgres://...); run \"microshop-relay serve -h\" for the flags")
	}
	if addr == "" {
		return domain.Errorf(domain.EInvalid, "serve needs --addr; run \"microshop-relay serve -h\" for the flags")
	}
	return dataOrStore("serve", data, store)
}

func notNegative(flag string, n int) error {
	if n < 0 {
		return domain.Errorf(domain.EInvalid, "--%s %d is not accepted; expected a number of connections from 0 (no cap) up", flag, n)
	}
	return nil
}

func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, domain.Errorf(domain.EInvalid, "TLS needs both --tls-cert and --tls-key; only one was given")
	}
	certPEM, err := readTLSFile("--tls-cert", certFile)
	if err != nil {
		return nil, err
	}
	keyPEM, err := readTLSFile("--tls-key", keyFile)
	if err != nil {
		return nil, err
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, &domain.Error{Code: domain.EInvalid, Message: fmt.Sprintf("cannot use the TLS certificate %s with the key %s: they are not a certificate chain and its private key, both PEM (text beginning -----BEGIN); give the two files issued together", certFile, keyFile), Err: err}
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// readTLSFile reads the TLS file a flag names, saying in a sentence why
// it cannot: Go's "open cert.pem: no such file or directory" named the
// operation, not the flag.
func readTLSFile(flag, path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return b, nil
	}
	why := systemReason(err)
	if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
		why = "it is a folder"
	}
	return nil, &domain.Error{Code: domain.EInvalid, Message: fmt.Sprintf("cannot read %s %s: %s; give the PEM file", flag, path, why), Err: err}
}

// openRelay opens the relay on PostgreSQL when store is given, else on
// SQLite in data.
func openRelay(ctx context.Context, data, store string, log *slog.Logger) (*relay.Relay, error) {
	if store != "" {
		if data != "" {
			log.Info("--data is not used: shops, changes and tokens are in the --store database", "data", data)
		}
		rel, err := relay.OpenPG(ctx, store, log)
		if unreachable := (*relay.UnreachableStoreError)(nil); errors.As(err, &unreachable) {
			return nil, &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot reach PostgreSQL at %s (%s); check that it is running and that --store names it", redactURL(store), unreachable.Reason), Err: err}
		}
		if err != nil {
			return nil, &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot open the relay's PostgreSQL store at %s: %v", redactURL(store), err), Err: err}
		}
		return rel, nil
	}
	if err := checkDataDir(data, true); err != nil {
		return nil, err
	}
	rel, err := relay.Open(ctx, data, log)
	if errors.Is(err, relay.ErrDataInUse) {
		return nil, &domain.Error{Code: domain.EConflict, Message: fmt.Sprintf("another relay is serving %s already; stop it first, or give this one a --data of its own", data), Err: err}
	}
	if err != nil {
		return nil, &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot open the relay data in %s: %v", data, err), Err: err}
	}
	return rel, nil
}

// listenError says why serve cannot listen on addr: the usual reasons in
// words and with what to do, the rest as the system gives them.
func listenError(addr string, err error) error {
	why := err.Error()
	lookup := (*net.DNSError)(nil)
	switch {
	case errors.As(err, &lookup):
		why = fmt.Sprintf("%q is neither an address of this computer nor a name it can look up; give one of its addresses, like 127.0.0.1, or 0.0.0.0 for all of them", lookup.Name)
	case errors.Is(err, syscall.EADDRINUSE):
		why = "another program is using that port; stop it, or give another --addr"
	case errors.Is(err, syscall.EACCES):
		why = "this user may not use that port (ports below 1024 need administrator rights); give a port from 1024 up"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		why = "this computer has no such address; give one of its own, or 0.0.0.0 for all of them"
	}
	return &domain.Error{Code: domain.EUnavailable, Message: fmt.Sprintf("cannot listen on %s: %s", addr, why), Err: err}
}
