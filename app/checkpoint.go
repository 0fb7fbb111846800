package app

import "sync"

// checkpointer copies the write-ahead log into the database file after
// commits, on its own goroutine and pooled connection, so a sync's commits
// do not stop to do it: inline, checkpointing was a third of apply's time.
// The connection's own auto-checkpoint stays on as a bound should this one
// fall behind.
type checkpointer struct {
	wake chan struct{} // never closed: a commit racing Close must not panic
	quit chan struct{}
	done chan struct{}
	stop sync.Once
}

func (s *Shop) startCheckpointer() {
	c := &checkpointer{wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	s.ckpt = c
	go func() {
		defer close(c.done)
		for {
			select {
			case <-c.quit:
				return
			case <-c.wake:
				// PASSIVE waits for no reader or writer; what it cannot
				// copy now, the next wake-up does.
				s.db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
			}
		}
	}()
}

// walGrew asks for a checkpoint after a commit; one already asked for
// covers it.
func (s *Shop) walGrew() {
	select {
	case s.ckpt.wake <- struct{}{}:
	default:
	}
}

// stopCheckpointer waits for a checkpoint under way to end.
func (s *Shop) stopCheckpointer() {
	s.ckpt.stop.Do(func() {
		close(s.ckpt.quit)
		<-s.ckpt.done
	})
}
