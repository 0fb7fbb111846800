package controller

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"microshop/sync/relay"
)

// hosting is what this computer hosted with last, kept beside the relay's
// data: hosting again uses the same token and, when free, the same port,
// so the devices that joined it find it again. Each time had made a new
// token that never expired, and a port taken at one start moved the host
// where its devices could not reach it.
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

// listenForHosting listens on the port hosted on last, else the usual
// port, else any free one.
func listenForHosting(last int) (net.Listener, error) {
	for _, port := range []int{last, lanPort} {
		if port > 0 {
			if ln, err := net.Listen("tcp", ":"+strconv.Itoa(port)); err == nil {
				return ln, nil
			}
		}
	}
	return net.Listen("tcp", ":0")
}
