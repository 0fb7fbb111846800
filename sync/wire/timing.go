package wire

import "time"

// The timing of a connection, the same at both ends, as in gorilla's chat
// example: each end pings every PingPeriod, and takes a peer silent for
// PongWait as gone; a frame that cannot be written in WriteWait means the
// same.
const (
	WriteWait  = 10 * time.Second
	PongWait   = 60 * time.Second
	PingPeriod = PongWait * 9 / 10
	// HandshakeWait bounds Hello and Welcome: a relay closes a connection
	// that says nothing for that long, and a device gives up on a relay
	// that does not answer.
	HandshakeWait = 10 * time.Second
)
