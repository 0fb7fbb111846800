package relay

import (
	"log/slog"
	"net/http"
	"time"
)

// Limits bound what a connection may hold of the relay before it becomes
// a WebSocket session, and how many connections there may be. A session
// keeps its own deadlines after the upgrade (pings every 54 s, a device
// silent for 60 s is dropped), so the HTTP timeouts do not cut it.
type Limits struct {
	// ReadHeaderTimeout is how long a request's headers may take to arrive.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a whole request, body included, may take;
	// the relay's requests have no body, so a trickling one is cut off.
	ReadTimeout time.Duration
	// WriteTimeout is how long answering a request may take.
	WriteTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait for its
	// next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps a request's headers.
	MaxHeaderBytes int
	// MaxConns caps the open connections, sessions included; 0 is no cap.
	MaxConns int
	// MaxConnsPerAddr caps the open connections from one IP address, so
	// one host cannot take them all; 0 is no cap.
	MaxConnsPerAddr int
}

// DefaultLimits are what `microshop-relay serve` uses unless told
// otherwise. 4,096 connections hold well under 100 MB and leave file
// descriptors for the databases; 64 per address leave room for a shop's
// devices behind one router while one host cannot take everything.
func DefaultLimits() Limits {
	return Limits{
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       20 * time.Second,
		WriteTimeout:      20 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    16 << 10,
		MaxConns:          4096,
		MaxConnsPerAddr:   64,
	}
}

// HTTPServer returns a server for the relay with lim's timeouts and header
// cap; serve it on LimitListener for the connection caps. Shutting it down
// does not end the WebSocket sessions: Shutdown the relay after it.
func (r *Relay) HTTPServer(lim Limits) *http.Server {
	return &http.Server{
		Handler:           r,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(r.log.Handler(), slog.LevelWarn),
	}
}
