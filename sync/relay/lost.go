package relay

import (
	"context"
	"time"

	"microshop/domain"
	"microshop/sync/changes"
	"microshop/sync/wire"
)

// A shop's changes can go from the store while its devices are connected:
// `microshop-relay forget`, run in another process, drops them. A device
// then believes the relay holds its changes; it would never send them
// again, and its next change would leave a gap, which the relay refuses
// for good. So the relay ends such a session as unavailable: the device
// reconnects, learns what the relay holds now, and sends the rest.

// lostCheck is how often the relay compares each live shop's vector with
// what its sessions were told, by default.
const lostCheck = 10 * time.Second

// errLost is what a device told of changes the relay no longer holds hears.
var errLost = wire.Errorf(wire.CodeUnavailable, "The relay dropped this shop's older changes; sync again to send it what this device holds.")

// lost reports whether the store holds less of some origin than a device
// was told. Vectors only grow otherwise: nothing else lowers one.
func lost(told, held changes.Vector) bool {
	for origin, seq := range told {
		if held[origin] < seq {
			return true
		}
	}
	return false
}

// tell records that the device was told the store holds v.
func (s *session) tell(v changes.Vector) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for origin, seq := range v {
		s.told[origin] = max(s.told[origin], seq)
		s.stored[origin] = max(s.stored[origin], seq)
	}
}

// storedVector is what the store is known to hold: what the device was
// told, and the changes sent to it.
func (s *session) storedVector() changes.Vector {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stored.Clone()
}

func (s *session) toldVector() changes.Vector {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.told.Clone()
}

// refusedForLoss turns a gap refused by the store into errLost when the
// store lost changes this session's device was told of: the gap is the
// relay's, not the device's.
func (s *session) refusedForLoss(ctx context.Context, err error) error {
	if domain.ErrorCode(err) != wire.CodeBadMessage {
		return err
	}
	told := s.toldVector()
	held, verr := s.relay.store.Vector(ctx, s.shop)
	if verr == nil && lost(told, held) {
		return errLost
	}
	return err
}

// watchLost ends, every interval until the relay shuts down, the live
// sessions whose store lost changes they were told of.
func (r *Relay) watchLost(every time.Duration) {
	defer close(r.lostDone)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-r.ctx.Done():
			return
		case <-tick.C:
			r.endLost()
		}
	}
}

func (r *Relay) endLost() {
	r.mu.Lock()
	live := map[string][]*session{}
	for shop, ss := range r.shops {
		for s := range ss {
			live[shop] = append(live[shop], s)
		}
	}
	r.mu.Unlock()
	for shop, sessions := range live {
		// What each was told is read before the store: an append after
		// the read cannot then look like a loss.
		told := make([]changes.Vector, len(sessions))
		for i, s := range sessions {
			told[i] = s.toldVector()
		}
		held, err := r.store.Vector(r.ctx, shop)
		if err != nil {
			continue // a failing store is reported by the sessions using it
		}
		for i, s := range sessions {
			if lost(told[i], held) {
				s.log.Info("the store no longer holds changes the device was told of; ending the session")
				s.end(errLost)
			}
		}
	}
}
