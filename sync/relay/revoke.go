package relay

import (
	"context"
	"errors"
	"time"

	"microshop/domain"
	"microshop/sync/wire"
)

// Revocations is implemented by an Authenticator whose tokens can be revoked
// while devices are connected, possibly by another process (`token revoke`
// writes the token database the relay has open). The relay polls it and
// closes the live sessions of a revoked token.
type Revocations interface {
	// Revocations returns a number that changes whenever a token is
	// revoked. It is asked every second or so, so it must be cheap.
	Revocations(ctx context.Context) (int64, error)
}

// revocationCheck is how often the relay asks whether a token was revoked:
// a revoked token's sessions end within about this long, well inside the
// 5 s the relay promises.
const revocationCheck = time.Second

// watchRevocations polls src until the relay shuts down, and whenever its
// number changes re-authenticates every session past the handshake,
// ending those whose token no longer passes.
func (r *Relay) watchRevocations(src Revocations, every time.Duration) {
	defer close(r.watchDone)
	tick := time.NewTicker(every)
	defer tick.Stop()
	seen, failing := int64(-1), false
	for {
		n, err := src.Revocations(r.ctx)
		switch {
		case r.ctx.Err() != nil:
			return
		case err != nil:
			// Logged once per outage, not every second.
			if !failing {
				r.log.Warn("cannot check for revoked tokens", logErr, err)
			}
			failing = true
		case n != seen:
			failing = false
			// Stored before the sessions are listed, so a session joining
			// meanwhile sees the change and checks itself (see run).
			r.revocations.Store(n)
			if r.recheckSessions() {
				seen = n
			}
		default:
			failing = false
		}
		select {
		case <-r.ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// recheckSessions re-authenticates every session past the handshake, each
// token once, and ends the sessions of tokens refused. It reports false
// when a check could not be made, so the next round tries again.
func (r *Relay) recheckSessions() bool {
	r.mu.Lock()
	var live []*session
	for _, ss := range r.shops {
		for s := range ss {
			live = append(live, s)
		}
	}
	r.mu.Unlock()
	type key struct{ token, shop string }
	verdict := map[key]error{}
	complete := true
	for _, s := range live {
		k := key{s.token, s.shop}
		err, ok := verdict[k]
		if !ok {
			_, err = r.tokens.Authenticate(r.ctx, s.token, s.shop)
			if err != nil && !refusal(err) {
				if r.ctx.Err() == nil {
					r.log.Warn("cannot recheck a token", logShop, s.shop, logErr, err)
				}
				complete = false
				err = nil
			}
			verdict[k] = err
		}
		if err != nil {
			s.end(err)
		}
	}
	return complete
}

// refusal reports whether err is the authenticator turning a token away,
// rather than failing to decide.
func refusal(err error) bool {
	var de *domain.Error
	return errors.As(err, &de) && (de.Code == wire.CodeUnauthorized || de.Code == wire.CodeWrongShop)
}

// end makes the session's writer tell the device err and close; a session
// already ending keeps its first reason.
func (s *session) end(err error) {
	select {
	case s.kick <- err:
	default:
	}
}
