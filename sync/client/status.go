package client

import "time"

// State is where a sync connection stands, as the status line shows it.
type State string

const (
	StateOffline    State = "offline"
	StateConnecting State = "connecting"
	StateSyncing    State = "syncing"
	StateUpToDate   State = "up to date"
	StateError      State = "error"
)

// Status is a snapshot of a sync connection for people.
type Status struct {
	State   State
	Pending int64 // changes one side holds that the other lacks, while syncing
	// Err is why, in StateError (and while retrying after one); while
	// syncing or up to date, why changes from the relay were refused.
	Err      error
	LastSync time.Time // when both sides last held the same changes
	// Received and Sent count the changes this connection brought in and
	// pushed out: a device watching hears of each arrival, though it stays
	// up to date throughout.
	Received, Sent int
}

// Progress reckons how far a sync has come from its statuses, for a bar:
// Pending falls as the relay acknowledges what was sent and as what it
// sent is applied, so the changes moved are the most there were to move
// less those still pending. Sent and Received count changes on their way
// too, so they would run ahead of what is done.
type Progress struct{ most int64 }

// Of is the changes moved and those to move in all, as of st; total is 0
// until the sync knows of any.
func (p *Progress) Of(st Status) (done, total int64) {
	p.most = max(p.most, st.Pending)
	return p.most - st.Pending, p.most
}
