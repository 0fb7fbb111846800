package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"microshop/domain"
)

// unreachable is the sentence for a relay that could not be connected to.
// Some failures are not about reaching it at all: a wss:// relay whose
// certificate this device does not trust, an address that answers but not
// as a relay. Those get their own sentence, since "check that it is
// running" would send the maker looking in the wrong place. resp is the
// HTTP answer to the WebSocket upgrade, if one came.
func unreachable(relay string, resp *http.Response, err error) error {
	msg := certificateProblem(relay, err)
	if msg == "" {
		msg = notARelay(relay, resp, err)
	}
	if msg == "" && notHTTP(err) {
		msg = fmt.Sprintf("The address %s answered, but not as a Microshop relay (it does not speak HTTP: another kind of server?); check the address and port.", relay)
	}
	// A database or other server on a port typed wrong reads the request
	// and closes, as a relay over its caps does: both are said.
	if msg == "" && closedUnanswered(err) {
		msg = fmt.Sprintf("The relay at %s took the connection but closed it before answering: it is at its connection limit, or restarting, or it is not a Microshop relay (check the port); sync again in a moment, and if it keeps happening, ask whoever runs the relay about its connection caps.", relay)
	}
	if msg == "" {
		msg = fmt.Sprintf("Cannot reach the relay at %s; check the address and that it is running.", relay)
	}
	return &domain.Error{Code: domain.EUnavailable, Message: msg, Err: err}
}

// closedUnanswered reports whether err is a connection the relay accepted
// and then closed without a word, as it closes one over its caps, rather
// than one nothing listened for.
func closedUnanswered(err error) bool {
	return !errors.Is(err, syscall.ECONNREFUSED) &&
		(errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF))
}

// notHTTP reports whether err is an answer to the WebSocket upgrade that
// is not HTTP at all, as an SSH or mail server greets whoever connects.
// net/http says so only in its error's text.
func notHTTP(err error) bool {
	return err != nil && strings.Contains(err.Error(), "malformed HTTP")
}

// certificateProblem says why a wss:// relay's certificate is not trusted,
// or "" when err is not about its certificate.
func certificateProblem(relay string, err error) string {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
	)
	not := fmt.Sprintf("The relay at %s presents a certificate this device does not trust", relay)
	switch {
	case errors.As(err, &unknown):
		return not + ": no authority this device knows signed it (a self-signed certificate?). Give the relay a certificate from a public authority such as Let's Encrypt, or add the relay's certificate to this computer's trusted certificates."
	case errors.As(err, &hostname):
		return fmt.Sprintf("%s: it is for %s, not %s. Use an address the certificate names, or give the relay a certificate for %s.",
			not, certificateNames(hostname.Certificate), hostname.Host, hostname.Host)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && invalid.Cert != nil:
		now := time.Now()
		if now.Before(invalid.Cert.NotBefore) {
			return fmt.Sprintf("%s: it is valid only from %s, and this computer's clock says %s. Check the clock, or the relay's certificate.",
				not, invalid.Cert.NotBefore.Format(time.DateOnly), now.Format(time.DateOnly))
		}
		return fmt.Sprintf("%s: it expired on %s. Renew the relay's certificate, and check this computer's clock says %s.",
			not, invalid.Cert.NotAfter.Format(time.DateOnly), now.Format(time.DateOnly))
	case errors.As(err, &invalid):
		return fmt.Sprintf("%s (%s). Give the relay a certificate made for a server.", not, invalid.Error())
	case errors.As(err, &record):
		return fmt.Sprintf("The address %s does not answer with TLS, as a wss:// relay does; if the relay serves plain WebSocket, use ws:// instead.", relay)
	}
	return ""
}

// certificateNames lists the names and addresses a certificate is for.
func certificateNames(c *x509.Certificate) string {
	if c == nil {
		return "other names"
	}
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	switch {
	case len(names) == 0 && c.Subject.CommonName != "":
		return c.Subject.CommonName
	case len(names) == 0:
		return "no names at all"
	}
	return strings.Join(names, ", ")
}

// notARelay explains an address that answered the WebSocket upgrade, but
// not as a relay does: a web server, or a wss:// relay asked for ws://.
func notARelay(relay string, resp *http.Response, err error) string {
	if !errors.Is(err, websocket.ErrBadHandshake) || resp == nil {
		return ""
	}
	msg := fmt.Sprintf("The address %s answered, but not as a Microshop relay (HTTP %s); check the address and port", relay, resp.Status)
	if u, perr := url.Parse(strings.TrimSpace(relay)); perr == nil && u.Scheme == "ws" && resp.StatusCode == http.StatusBadRequest {
		msg += fmt.Sprintf(", and if the relay serves TLS, use wss://%s", u.Host)
	}
	return msg + "."
}
