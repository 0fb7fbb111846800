package app

import "sync"

// watchers tells in-process listeners (the sync client, the desktop app)
// that the shop changed, so they need not poll. Another process's writes
// are not seen here; listeners that care poll Vector as well.
type watchers struct {
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
}

// Subscribe returns a channel that receives a signal after every commit
// that changed the shop, local or from sync, and a function that ends the
// subscription. Signals coalesce: a slow reader sees one for many commits.
func (s *Shop) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.watch.mu.Lock()
	if s.watch.subs == nil {
		s.watch.subs = map[chan struct{}]struct{}{}
	}
	s.watch.subs[ch] = struct{}{}
	s.watch.mu.Unlock()
	return ch, func() {
		s.watch.mu.Lock()
		delete(s.watch.subs, ch)
		s.watch.mu.Unlock()
	}
}

func (s *Shop) notify() {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	for ch := range s.watch.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
