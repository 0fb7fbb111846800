package lan

import (
	"context"
	"time"
)

// DefaultWait is how long a browse listens: mDNS answers come within a
// second, and the question goes out twice.
const DefaultWait = 2 * time.Second

// Finder is the local network as a computer about to join a shop sees it:
// the hosts it can pick, and the invite a host offers under a code.
type Finder struct {
	Network Network
	Wait    time.Duration // how long Hosts listens; DefaultWait when 0
}

// Hosts lists the computers hosting sync nearby.
func (f Finder) Hosts(ctx context.Context) ([]Host, error) {
	wait := f.Wait
	if wait <= 0 {
		wait = DefaultWait
	}
	return f.Network.Browse(ctx, wait)
}

// FetchInvite gets the invite h offers and opens it with code.
func (f Finder) FetchInvite(ctx context.Context, h Host, code string) (string, error) {
	return FetchInviteFrom(ctx, h, code)
}
