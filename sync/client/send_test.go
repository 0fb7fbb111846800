package client

import (
	"bytes"
	"context"
	"testing"
	"testing/synctest"

	"microshop/domain"
	"microshop/sync/bundle"
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

// A device passing on another's changes sends them in the runs their
// device signed, so a bundle's last run goes whole though the relay lacks
// only its end: `sync` said "sent 12 changes" for the one sale it passed
// on. Sent counts the changes the relay lacked, as a maker reads it.
func TestSentCountsOnlyWhatTheRelayLacked(t *testing.T) {
	ctx := context.Background()
	tr, a, token := syncedShop(t)
	b := joinShop(t, tr.url(), token, a)
	sell(t, a, 1) // a sale a does not sync: it reaches b by file
	var file bytes.Buffer
	if _, err := bundle.Export(ctx, a, &file, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Import(ctx, b, &file, "a.msb"); err != nil {
		t.Fatal(err)
	}
	res, err := Sync(ctx, Config{Relay: tr.url(), Token: token, Replica: b})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 1 || res.Received != 0 {
		t.Fatalf("passing on a's one sale sent %d received %d, want 1 and 0", res.Sent, res.Received)
	}
}
