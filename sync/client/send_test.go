package client

import (
	"context"
	"testing"
	"testing/synctest"

	"microshop/domain"
	"microshop/sync/wire"
)

// When the connection drops while the loop hands the writer a batch, the
// writer has ended and reads no more: send must give up at once rather
// than hold the device's sync for ever (seen with 1,000 devices on two
// relays: 20 to 43 stopped receiving). In synctest, a send that waited
// for ever fails the test as a deadlock.
func TestSendGivesUpWhenTheWriterIsGone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &session{out: make(chan wire.Message), writerDone: make(chan struct{})}
		close(s.writerDone)
		err := s.send(context.Background(), &wire.Ack{})
		if domain.ErrorCode(err) != domain.EUnavailable {
			t.Fatalf("send after the writer ended: %v, want the connection lost (unavailable)", err)
		}
		// A join or sync cut short by it says what to do, as the other
		// ways a connection ends do.
		if got := domain.ErrorMessage(err); got != "The connection to the relay was lost; sync again in a moment." {
			t.Fatalf("send after the writer ended says %q; want the connection lost and what to do", got)
		}
	})
}
