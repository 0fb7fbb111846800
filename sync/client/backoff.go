package client

import (
	"math/rand/v2"
	"time"
)

// Reconnect delays: doubling from minBackoff up to maxBackoff, each drawn
// between half and all of that, so devices cut off together by a relay
// restart do not all come back in the same instant.
//
// maxBackoff is what a maker waits at most once the relay is back. At
// 30 s the desktop said "Retrying: Cannot reach the relay" for half a
// minute while `microshopctl sync` connected at once. A retry is one
// dial, refused at once while the relay is down, or a hello; at one every
// 2.5–5 s per device, even a relay full to its 4,096 connections
// (DefaultLimits) takes under 1,700 a second, spread by the jitter.
const (
	minBackoff = 500 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// backoff is the wait before reconnect attempt n (0 for the first retry).
func backoff(n int, random func() float64) time.Duration {
	d := minBackoff
	for range n {
		d *= 2
		if d >= maxBackoff {
			d = maxBackoff
			break
		}
	}
	return d/2 + time.Duration(random()*float64(d/2))
}

func jitter() float64 { return rand.Float64() }
