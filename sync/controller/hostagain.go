package controller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"microshop/domain"
	"microshop/sync/relay"
)

// hosting is what this computer hosted with last, kept beside the relay's
// data: hosting again uses the same token and the same port, the one the
// maker chose, so the devices that joined it find it again. Each time had
// made a new token that never expired, and a port taken at one start
// moved the host where its devices could not reach it.
type hosting struct {
	Token string `json:"token"`
	Port  int    `json:"port"`
}

func hostingFile(dir string) string { return filepath.Join(dir, "hosting.json") }

// lastHosting is what was hosted with last; zero when nothing was.
func lastHosting(dir string) hosting {
	var h hosting
	if b, err := os.ReadFile(hostingFile(dir)); err == nil && len(b) < 4096 {
		json.Unmarshal(b, &h)
	}
	return h
}

// rememberHosting keeps h for the next time, readable by this user only:
// the token lets whoever holds it read and write the shop.
func rememberHosting(dir string, h hosting) {
	if b, err := json.Marshal(h); err == nil {
		os.WriteFile(hostingFile(dir), b, 0o600)
	}
}

// hostToken is the token last hosted with while the hosted relay still
// takes it, else a new one.
func (c *Controller) hostToken(ctx context.Context, dir, last string) (string, error) {
	tokens, err := relay.OpenTokenDB(ctx, relay.TokenDBPath(dir))
	if err != nil {
		return "", err
	}
	defer tokens.Close()
	if last != "" {
		if _, err := tokens.Authenticate(ctx, last, c.shop.ShopID()); err == nil {
			return last, nil
		}
	}
	_, token, err := tokens.Create(ctx, c.shop.ShopID(), "hosted on this computer")
	return token, err
}

// DefaultHostPort is the port hosting listens on until the maker
// chooses another, so the address other machines type stays the same
// from day to day.
const DefaultHostPort = 7420

// Ports a maker may host on: below 1024 a port needs the system's
// leave.
const minHostPort, maxHostPort = 1024, 65535

// ParseHostPort reads a port to host on as a maker types it.
func ParseHostPort(text string) (int, error) {
	port, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || port < minHostPort || port > maxHostPort {
		return 0, domain.Errorf(domain.EInvalid, "%s is not a port to host on; give a whole number from %d to %d, like %d",
			domain.QuoteShort(text), minHostPort, maxHostPort, DefaultHostPort)
	}
	return port, nil
}

// listenForHosting listens on port, on every address of this computer.
// A port another program holds is said so, with what to do: hosting
// went on at any free port instead, so the address the devices knew
// changed unsaid and they no longer reached it.
func listenForHosting(port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(port))
	switch {
	case err == nil:
		return ln, nil
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, &domain.Error{Code: domain.EConflict, Err: err, Message: fmt.Sprintf(
			"port %d is in use by another program on this computer, so hosting cannot start on it; close that program, or host on another port from %d to %d",
			port, minHostPort, maxHostPort)}
	default:
		return nil, &domain.Error{Code: domain.EUnavailable, Err: err, Message: fmt.Sprintf(
			"hosting cannot listen on port %d of this computer; host on another port from %d to %d", port, minHostPort, maxHostPort)}
	}
}
