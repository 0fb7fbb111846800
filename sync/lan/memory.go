package lan

import (
	"errors"
	"net"
	"sync"
)

// Memory is a local network in memory: every message sent by one of its
// transports reaches all of them, the sender's own included, as multicast
// does. Tests of other packages use it in place of the real network.
type Memory struct {
	mu    sync.Mutex
	ports map[*memPort]bool
}

// NewMemory is an empty network in memory.
func NewMemory() *Memory { return &Memory{ports: map[*memPort]bool{}} }

// Network opens transports on m.
func (m *Memory) Network() Network {
	return Network{Open: func() (Transport, error) { return m.Join(), nil }}
}

// Join is a new transport on m. Its messages come from 127.0.0.1, as if
// every transport were on this computer, so an address a browser learns
// from where an answer came from can be dialled.
func (m *Memory) Join() Transport {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := &memPort{net: m, addr: &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5353}, in: make(chan memPacket, 64), done: make(chan struct{})}
	m.ports[p] = true
	return p
}

// Inject sends msg to every transport of m as if it came from from: a
// stranger on the network that is no transport of m.
func (m *Memory) Inject(msg []byte, from net.Addr) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for p := range m.ports {
		p.deliver(memPacket{msg: append([]byte(nil), msg...), from: from})
	}
}

// Listening is how many transports of m are open.
func (m *Memory) Listening() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.ports)
}

type memPacket struct {
	msg  []byte
	from net.Addr
}

type memPort struct {
	net  *Memory
	addr net.Addr
	in   chan memPacket
	once sync.Once
	done chan struct{}
}

var errClosed = errors.New("lan: transport closed")

func (p *memPort) Send(msg []byte) error {
	select {
	case <-p.done:
		return errClosed
	default:
	}
	p.net.Inject(msg, p.addr)
	return nil
}

// deliver drops the packet when the receiver is behind, as a network does.
func (p *memPort) deliver(pk memPacket) {
	select {
	case p.in <- pk:
	default:
	}
}

func (p *memPort) Receive() ([]byte, net.Addr, error) {
	select {
	case pk := <-p.in:
		return pk.msg, pk.from, nil
	case <-p.done:
		return nil, nil, errClosed
	}
}

func (p *memPort) Close() error {
	p.once.Do(func() {
		p.net.mu.Lock()
		delete(p.net.ports, p)
		p.net.mu.Unlock()
		close(p.done)
	})
	return nil
}
