package client

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a log the relay's sessions write from their goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// disconnects waits until the relay has logged n devices leaving and
// returns those lines.
func disconnects(t *testing.T, log *lockedBuffer, n int) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var lines []string
		for _, l := range strings.Split(log.String(), "\n") {
			if strings.Contains(l, "device disconnected") || strings.Contains(l, "connection ended") {
				lines = append(lines, l)
			}
		}
		if len(lines) >= n || time.Now().After(deadline) {
			return lines
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A sync, a sync with nothing to exchange and a live session stopped by its owner each end with a
// close the relay sees as normal (1000), not a dropped line (1006): the
// relay's log tells a finished sync from a failure.
func TestRelaySeesNormalClose(t *testing.T) {
	log := &lockedBuffer{}
	tr := newTestRelay(t)
	tr.log = slog.New(slog.NewTextHandler(log, nil))
	tr.start()
	a := newShop(t)
	token := tr.token(a.ShopID())
	ctx := context.Background()

	if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: a}); err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: a}); err != nil {
		t.Fatal(err) // nothing to exchange: the session only says hello and closes
	}
	live, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	up := make(chan struct{}, 1)
	go func() {
		done <- Watch(live, Config{Relay: tr.url(), Token: token, Replica: a, OnStatus: func(s Status) {
			if s.State == StateUpToDate {
				select {
				case up <- struct{}{}:
				default:
				}
			}
		}})
	}()
	select {
	case <-up:
	case <-time.After(5 * time.Second):
		t.Fatal("the live session never came up to date")
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	lines := disconnects(t, log, 3)
	if len(lines) != 3 {
		t.Fatalf("the relay logged %d ends of sessions, want 3:\n%s", len(lines), log)
	}
	for _, l := range lines {
		if !strings.Contains(l, "close 1000") {
			t.Errorf("the relay saw a session end as:\n%s\nwant a normal close (1000)", l)
		}
	}
}
