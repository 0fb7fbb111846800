package lan

import "net"

// Transport carries mDNS messages: the local network's multicast group, or
// in tests a bus in memory, so that no test sends multicast.
type Transport interface {
	// Send delivers one DNS message to every device listening.
	Send(msg []byte) error
	// Receive blocks until a message arrives and says where it came from;
	// it returns an error once the transport is closed.
	Receive() (msg []byte, from net.Addr, err error)
	// Close ends the transport and unblocks Receive.
	Close() error
}

// Network opens transports. Its zero value is the real local network.
type Network struct {
	// Open returns a new transport; nil opens the multicast group.
	Open func() (Transport, error)
}

func (n Network) open() (Transport, error) {
	if n.Open == nil {
		return openMulticast()
	}
	return n.Open()
}
