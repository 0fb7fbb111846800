package client

import (
	"context"
	"time"

	"microshop/domain"
	"microshop/sync/wire"
)

// healthySession is how long a connection must last for the next drop to
// count as new trouble rather than more of the same: the backoff restarts.
const healthySession = time.Minute

// Watch keeps the replica synced until ctx ends: it stays connected, pushes
// local changes as they happen, receives others' live, and after any drop
// reconnects with backoff and jitter, resuming from vectors so nothing is
// lost or repeated. It returns nil when ctx ends, or the error when the
// relay refuses the device for a reason retrying cannot fix (a revoked
// token, another shop, a newer version).
func Watch(ctx context.Context, cfg Config) error {
	log := cfg.logger()
	attempt := 0
	var last Status
	report := cfg.OnStatus
	cfg.OnStatus = func(s Status) {
		if s.LastSync.IsZero() {
			s.LastSync = last.LastSync
		}
		last = s
		if report != nil {
			report(s)
		}
	}
	for {
		started := time.Now()
		_, err := run(ctx, cfg, true)
		if ctx.Err() != nil {
			cfg.report(Status{State: StateOffline, LastSync: last.LastSync})
			return nil
		}
		if err == nil {
			continue
		}
		code := domain.ErrorCode(err)
		if code != domain.EUnavailable && !wire.Retryable(code) {
			cfg.report(Status{State: StateError, Err: err, LastSync: last.LastSync})
			return err
		}
		if time.Since(started) > healthySession {
			attempt = 0
		}
		wait := backoff(attempt, jitter)
		attempt++
		log.Info("sync connection lost; retrying", "err", err, "wait", wait)
		cfg.report(Status{State: StateOffline, Err: err, LastSync: last.LastSync})
		select {
		case <-ctx.Done():
			// Stopped by the user while waiting: offline, and no longer
			// because of the failure before.
			cfg.report(Status{State: StateOffline, LastSync: last.LastSync})
			return nil
		case <-time.After(wait):
		case <-cfg.RetryNow:
			attempt = 0
		}
	}
}
