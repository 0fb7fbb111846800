package client

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// A device whose relay is down keeps trying, the waits doubling from half
// a second up to 5 s and never longer, and stops quietly when asked: at
// up to 30 s, the desktop said "Retrying" for half a minute after the
// relay came back, while `microshopctl sync` connected at once.
// The test runs on synctest's clock: ten minutes of retries take no time.
func TestWatchRetriesWithGrowingWaits(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "ws://" + ln.Addr().String()
	ln.Close()         // nothing listens there now: every dial is refused at once
	shop := newShop(t) // outside the bubble: its database goroutines outlive it

	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var retries []time.Time
		var last Status
		done := make(chan error)
		go func() {
			done <- Watch(ctx, Config{Relay: down, Token: "tok", Replica: shop, OnStatus: func(s Status) {
				last = s
				if s.State == StateOffline && s.Err != nil {
					retries = append(retries, time.Now())
				}
			}})
		}()
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Watch ended with %v, want nil when cancelled", err)
		}
		if last.State != StateOffline || last.Err != nil {
			t.Errorf("last status %+v, want offline with no error after cancel", last)
		}
		if len(retries) < 120 {
			t.Fatalf("%d attempts in 10 minutes, want at least 120 (waits up to 5 s)", len(retries))
		}
		for i := 1; i < len(retries); i++ {
			gap := retries[i].Sub(retries[i-1])
			if gap > 5*time.Second {
				t.Errorf("wait %d was %v: a maker whose relay is back waits longer than 5 s", i, gap)
			}
			full := min(minBackoff<<min(i-1, 16), maxBackoff) // shifted further it overflows
			if gap < full/2 || gap > full {
				t.Errorf("wait %d was %v, want between %v and %v", i, gap, full/2, full)
			}
		}
	})
}

// RetryNow cuts the wait short, and the waits start short again: a maker
// who sees the relay back need not wait out the longest one.
func TestWatchRetriesAtOnceWhenAsked(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "ws://" + ln.Addr().String()
	ln.Close()
	shop := newShop(t)

	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		retry := make(chan struct{})
		// Watch reports from its own goroutine, whose dials are real
		// network calls synctest.Wait does not wait out: the failed
		// attempts are read under a lock.
		var mu sync.Mutex
		var failed []time.Time
		retries := func() []time.Time {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(failed)
		}
		done := make(chan error)
		go func() {
			done <- Watch(ctx, Config{Relay: down, Token: "tok", Replica: shop, RetryNow: retry, OnStatus: func(s Status) {
				if s.State == StateOffline && s.Err != nil {
					mu.Lock()
					failed = append(failed, time.Now())
					mu.Unlock()
				}
			}})
		}()
		time.Sleep(time.Minute) // the waits have grown to their longest
		synctest.Wait()
		before := len(retries())
		asked := time.Now()
		select {
		case retry <- struct{}{}:
		case <-time.After(10 * time.Second):
			t.Fatal("a retry asked for was not taken while Watch waited")
		}
		synctest.Wait()
		if got := retries(); len(got) != before+1 || !got[before].Equal(asked) {
			t.Fatalf("asked to retry at %v, the next attempt failed at %v", asked, got[before:])
		}
		time.Sleep(minBackoff)
		synctest.Wait()
		if len(retries()) != before+2 {
			t.Errorf("after a retry asked for, the next wait was longer than %v: the waits did not start short again", minBackoff)
		}
		cancel()
		<-done
	})
}
