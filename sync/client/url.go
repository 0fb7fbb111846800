package client

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"microshop/domain"
)

// CheckRelayAddress says, in one sentence, why relay is not a relay
// address a device can sync with; nil when it is one.
func CheckRelayAddress(relay string) error {
	_, err := syncURL(relay)
	return err
}

// syncURL turns a relay address as people type it (ws://HOST:PORT,
// wss://HOST:PORT, with or without /sync) into the WebSocket endpoint.
func syncURL(relay string) (string, error) {
	bad := domain.Errorf(domain.EInvalid, "%q is not a relay address; use ws://HOST:PORT or wss://HOST:PORT", relay)
	u, err := url.Parse(strings.TrimSpace(relay))
	if err != nil || u.Host == "" || (u.Scheme != "ws" && u.Scheme != "wss") || u.User != nil {
		return "", bad
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", domain.Errorf(domain.EInvalid, "%q is not a relay address: its port %s is not one from 1 to 65535", relay, p)
		}
	}
	switch strings.TrimSuffix(u.Path, "/") {
	case "", "/sync":
		u.Path = "/sync"
	default:
		return "", bad
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String(), nil
}

// SameRelay says whether a and b are one relay's address, as typed with or
// without /sync.
func SameRelay(a, b string) bool {
	x, errA := syncURL(a)
	y, errB := syncURL(b)
	return errA == nil && errB == nil && x == y
}

// OnThisComputerOnly says whether relay names this computer to itself
// (localhost, 127.0.0.1, ::1): an invite carrying it sends another
// computer looking for the relay on itself.
func OnThisComputerOnly(relay string) bool {
	u, err := url.Parse(strings.TrimSpace(relay))
	if err != nil {
		return false
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
