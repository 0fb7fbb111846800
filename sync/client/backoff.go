package client

import (
	"math/rand/v2"
	"time"
)

// Reconnect delays: doubling from minBackoff up to maxBackoff, each drawn
// between half and all of that, so devices cut off together by a relay
// restart do not all come back in the same instant.
const (
	minBackoff = 500 * time.Millisecond
	maxBackoff = 30 * time.Second
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
