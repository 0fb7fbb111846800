package lan

import (
	"errors"
	"net"
	"sync"
	"time"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"microshop/domain"
)

// The mDNS group and port (RFC 6762).
var (
	groupV4 = &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}
	groupV6 = &net.UDPAddr{IP: net.ParseIP("ff02::fb"), Port: 5353}
)

// readRetry is the pause after a failed read.
const readRetry = 50 * time.Millisecond

// maxPacket is the largest mDNS message read; anything longer is cut and
// then fails to parse.
const maxPacket = 9000

// multicast is the real transport: the mDNS group on every interface that
// is up, IPv4 and IPv6 where the computer has them. A computer at a fair
// may reach its neighbour by Wi-Fi or by a cable, so it listens and sends
// on each, not only on the default one.
type multicast struct {
	mu     sync.Mutex // one Send at a time: it switches the outgoing interface
	v4     *ipv4.PacketConn
	v6     *ipv6.PacketConn
	conns  []*net.UDPConn
	ifaces []net.Interface
	in     chan packet
	done   chan struct{}
	once   sync.Once
}

type packet struct {
	msg  []byte
	from net.Addr
}

func openMulticast() (Transport, error) {
	m := &multicast{ifaces: multicastInterfaces(), in: make(chan packet, 64), done: make(chan struct{})}
	// ListenMulticastUDP lets other mDNS programs share the port.
	if c, err := net.ListenMulticastUDP("udp4", nil, groupV4); err == nil {
		m.v4 = ipv4.NewPacketConn(c)
		m.v4.SetMulticastTTL(255)
		m.v4.SetMulticastLoopback(true) // two programs on one computer find each other
		for _, ifi := range m.ifaces {
			m.v4.JoinGroup(&ifi, groupV4) // already joined on the default one: no matter
		}
		m.conns = append(m.conns, c)
	}
	if c, err := net.ListenMulticastUDP("udp6", nil, groupV6); err == nil {
		m.v6 = ipv6.NewPacketConn(c)
		m.v6.SetMulticastHopLimit(255)
		m.v6.SetMulticastLoopback(true)
		for _, ifi := range m.ifaces {
			m.v6.JoinGroup(&ifi, groupV6)
		}
		m.conns = append(m.conns, c)
	}
	if len(m.conns) == 0 {
		return nil, domain.Errorf(domain.EUnavailable, "this computer cannot take part in discovery on the local network (mDNS): no network allows it; connect to the network, or type the address instead")
	}
	for _, c := range m.conns {
		go m.read(c)
	}
	return m, nil
}

// multicastInterfaces are the interfaces that are up, take multicast and
// are not the loopback.
func multicastInterfaces() []net.Interface {
	all, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var out []net.Interface
	for _, ifi := range all {
		if ifi.Flags&net.FlagUp != 0 && ifi.Flags&net.FlagMulticast != 0 && ifi.Flags&net.FlagLoopback == 0 {
			out = append(out, ifi)
		}
	}
	return out
}

func (m *multicast) read(c *net.UDPConn) {
	buf := make([]byte, maxPacket)
	for {
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			// A datagram that could not be read, or the network went away
			// for a moment: the next read may work. The pause keeps a
			// socket that fails at once from spinning.
			select {
			case <-m.done:
				return
			case <-time.After(readRetry):
				continue
			}
		}
		select {
		case m.in <- packet{msg: append([]byte(nil), buf[:n]...), from: from}:
		case <-m.done:
			return
		}
	}
}

// Send sends msg to the group on each interface, or on the default one
// when no interface is known.
func (m *multicast) Send(msg []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	sent := false
	var errs []error
	send := func(err error) {
		if err == nil {
			sent = true
		}
		errs = append(errs, err)
	}
	if m.v4 != nil {
		for _, ifi := range m.ifaces {
			if m.v4.SetMulticastInterface(&ifi) == nil {
				_, err := m.v4.WriteTo(msg, nil, groupV4)
				send(err)
			}
		}
		if len(m.ifaces) == 0 {
			_, err := m.v4.WriteTo(msg, nil, groupV4)
			send(err)
		}
	}
	if m.v6 != nil {
		for _, ifi := range m.ifaces {
			if m.v6.SetMulticastInterface(&ifi) == nil {
				_, err := m.v6.WriteTo(msg, nil, groupV6)
				send(err)
			}
		}
		if len(m.ifaces) == 0 {
			_, err := m.v6.WriteTo(msg, nil, groupV6)
			send(err)
		}
	}
	if sent {
		return nil // one way out is enough
	}
	return errors.Join(append(errs, errors.New("lan: no interface could send"))...)
}

func (m *multicast) Receive() ([]byte, net.Addr, error) {
	select {
	case p := <-m.in:
		return p.msg, p.from, nil
	case <-m.done:
		return nil, nil, errClosed
	}
}

func (m *multicast) Close() error {
	m.once.Do(func() {
		close(m.done)
		for _, c := range m.conns {
			c.Close()
		}
	})
	return nil
}
