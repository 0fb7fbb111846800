package relay

// The shop's sessions are the fan-out: a session that commits new changes
// wakes the shop's other sessions, and each reads what its device lacks from
// the store. Nothing is queued per session, so a slow device delays nobody
// and cannot miss a change.

// join makes s receive the shop's new changes.
func (r *Relay) join(shop string, s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.shops[shop] == nil {
		r.shops[shop] = map[*session]struct{}{}
	}
	r.shops[shop][s] = struct{}{}
}

func (r *Relay) leave(shop string, s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.shops[shop], s)
	if len(r.shops[shop]) == 0 {
		delete(r.shops, shop)
	}
}

// notify wakes every session of shop except from.
func (r *Relay) notify(shop string, from *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for s := range r.shops[shop] {
		if s != from {
			s.wake()
		}
	}
}

// wakeShop wakes every session of shop, or of every shop when shop is "":
// another relay process appended to it, or may have.
func (r *Relay) wakeShop(shop string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, ss := range r.shops {
		if shop != "" && id != shop {
			continue
		}
		for s := range ss {
			s.wake()
		}
	}
}

// DevicesConnected is how many devices of shop other than device hold a
// session now. A relay the app hosts tells by it whether anyone syncs
// with it: with nobody connected, its "all changes synced" had read as
// every device agreeing.
func (r *Relay) DevicesConnected(shop, device string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	devices := map[string]struct{}{}
	for s := range r.shops[shop] {
		if s.device != device {
			devices[s.device] = struct{}{}
		}
	}
	return len(devices)
}
