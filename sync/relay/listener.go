package relay

import (
	"log/slog"
	"net"
	"sync"
	"time"
)

// refusalLogEvery spaces the log lines about refused connections, so a
// flood of them does not flood the log too.
const refusalLogEvery = 10 * time.Second

// LimitListener wraps ln so that it holds at most lim.MaxConns connections
// and lim.MaxConnsPerAddr from one IP address (0 is no cap). A connection
// over a cap is closed as it is accepted, before anything is read from it
// or allocated for it; the others are served as usual, so one host opening
// connections cannot keep anyone else's /healthz or sync from answering.
func LimitListener(ln net.Listener, lim Limits, log *slog.Logger) net.Listener {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &limitListener{Listener: ln, max: lim.MaxConns, perAddr: lim.MaxConnsPerAddr, log: log, byAddr: map[string]int{}}
}

type limitListener struct {
	net.Listener
	max, perAddr int
	log          *slog.Logger

	mu      sync.Mutex
	total   int
	byAddr  map[string]int // open connections by remote IP
	refused int            // since the last log line
	logged  time.Time
}

// Accept returns the next connection within the caps, closing those over
// them.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host := remoteHost(c)
		if l.admit(host) {
			return &limitedConn{Conn: c, l: l, host: host}, nil
		}
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0) // a reset: no TIME_WAIT kept for a refused peer
		}
		c.Close()
	}
}

func (l *limitListener) admit(host string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if (l.max > 0 && l.total >= l.max) || (l.perAddr > 0 && l.byAddr[host] >= l.perAddr) {
		l.refused++
		if now := time.Now(); now.Sub(l.logged) >= refusalLogEvery {
			l.log.Warn("connections refused: over the connection caps",
				logRemote, host, "refused", l.refused, "open", l.total, "open_from_addr", l.byAddr[host],
				"max_conns", l.max, "max_conns_per_addr", l.perAddr)
			l.refused, l.logged = 0, now
		}
		return false
	}
	l.total++
	l.byAddr[host]++
	return true
}

func (l *limitListener) release(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.byAddr[host]--; l.byAddr[host] <= 0 {
		delete(l.byAddr, host)
	}
}

// remoteHost is the IP address a connection comes from, without the port.
func remoteHost(c net.Conn) string {
	addr := c.RemoteAddr().String()
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

// limitedConn gives its place back when closed, however many times and by
// whom: the HTTP server, or a WebSocket session that took it over.
type limitedConn struct {
	net.Conn
	l    *limitListener
	host string
	once sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.host) })
	return err
}

// CloseWrite passes the half-close through: the HTTP server uses it to let
// an error answer (431, 400) reach the client before closing.
func (c *limitedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
