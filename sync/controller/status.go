package controller

import (
	"time"

	"microshop/sync/client"
)

// Status is where sync stands, as the window shows it. Its states are the
// client's, with one difference: the client between two attempts is
// offline, while here that is still connecting; offline here means not
// connected and not trying.
type Status struct {
	State    client.State
	Relay    string    // the relay or peer in use; kept while offline so the form can offer it again
	Pending  int       // changes left to send or receive while syncing
	LastSync time.Time // when both sides last held the same changes; zero if never
	// Err is one sentence for people (domain.ErrorMessage): why sync
	// stopped, in client.StateError; why the last attempt failed, while
	// connecting again; why changes were refused, while up to date.
	Err string
	// Hosting: this computer hosts sync (Host) and syncs through the relay
	// it hosts, at Relay. Up to date then means only that this relay, on
	// the same disk, holds the shop; LastSync is when another device last
	// held this one's changes.
	Hosting bool
	// Connected is, while Hosting, how many other devices sync with the
	// relay this computer hosts: with none, no one sees its changes.
	Connected int
}

// Online reports whether a peer is connected.
func (s Status) Online() bool {
	return s.State == client.StateSyncing || s.State == client.StateUpToDate
}

// Idle reports whether sync is neither connected nor trying: offline (as
// the zero Status is) or stopped by an error.
func (s Status) Idle() bool {
	switch s.State {
	case "", client.StateOffline, client.StateError:
		return true
	}
	return false
}

// HostInfo is what another computer on the network types to sync with
// this one.
type HostInfo struct {
	Addresses []string // relay URLs, ws://192.168.1.20:7420, one per address of this computer, the likeliest first
	Token     string
	// Unlisted says why other computers will not find this one in their
	// list of hosts nearby (the network allows no discovery); "" when
	// they will.
	Unlisted string
}
