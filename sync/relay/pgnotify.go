package relay

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgChannel is the LISTEN/NOTIFY channel on which each commit names its
// shop: "INSTANCE SHOP".
const pgChannel = "microshop_relay_changes"

// Broadcaster is implemented by a Store that several relay processes share.
// Watch tells this relay what the others appended, so its sessions send
// those changes live.
type Broadcaster interface {
	// Watch calls wake with a shop another process appended to, and with
	// "" when notifications may have been missed (at start and after the
	// connection that listens was lost), meaning any shop may have new
	// changes. It returns when ctx ends.
	Watch(ctx context.Context, wake func(shop string))
}

// Watch implements Broadcaster with LISTEN on a connection of its own. A
// notification is only a wake-up: the sessions read what their devices lack
// from the database, so a lost one costs latency, never a change.
func (s *PGStore) Watch(ctx context.Context, wake func(shop string)) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := s.listen(ctx)
		if err == nil {
			backoff = 100 * time.Millisecond
			wake("")                              // catch up on whatever was committed while not listening
			s.relayNotifications(ctx, conn, wake) // returns when the connection fails
			conn.Close(context.WithoutCancel(ctx))
		}
		if ctx.Err() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (s *PGStore) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgChannel); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return conn, nil
}

func (s *PGStore) relayNotifications(ctx context.Context, conn *pgx.Conn, wake func(string)) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return
		}
		from, shop, ok := strings.Cut(n.Payload, " ")
		if ok && from != s.instance {
			wake(shop)
		}
	}
}
