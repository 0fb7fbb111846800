package changes

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Stamp is a hybrid-logical-clock reading: wall milliseconds, a counter for
// readings within one millisecond, and the device id that breaks ties. Its
// string form sorts in stamp order, so it is stored and compared as text.
type Stamp struct {
	Wall    int64
	Counter int
	Device  string
}

// A peer's stamp ahead of this device's wall clock means one of the two
// clocks is wrong. Up to ReportDrift is ordinary skew. Up to MaxDrift the
// change is accepted, the local clock moves past it (so a later local edit
// still wins over it) and the device that made it is reported. Beyond
// MaxDrift the change is quarantined: accepting it would freeze every field
// it sets against local edits until the wall clock caught up.
const (
	ReportDrift = 5 * time.Minute
	MaxDrift    = 24 * time.Hour
)

// Ahead is how far the stamp is ahead of the wall clock reading now;
// negative when it is behind. It saturates instead of overflowing.
func (s Stamp) Ahead(now time.Time) time.Duration {
	const limit = int64(1<<63-1) / int64(time.Millisecond)
	ms := s.Wall - now.UnixMilli()
	switch {
	case ms > limit:
		ms = limit
	case ms < -limit:
		ms = -limit
	}
	return time.Duration(ms) * time.Millisecond
}

// maxCounter is the largest counter the five-digit text form holds; past it
// a stamp borrows the next millisecond.
const maxCounter = 99999

// String is the sortable form "WWWWWWWWWWWWWWW.CCCCC.device".
func (s Stamp) String() string {
	if s.Wall == 0 && s.Counter == 0 && s.Device == "" {
		return ""
	}
	if s.Wall < 0 || s.Wall > maxWall || s.Counter < 0 || s.Counter > maxCounter {
		return fmt.Sprintf("%015d.%05d.%s", s.Wall, s.Counter, s.Device)
	}
	// Written by hand: every logged change takes a stamp, and fmt was a
	// noticeable part of logging a large import.
	var b strings.Builder
	b.Grow(22 + len(s.Device))
	var digits [15]byte
	b.Write(padded(digits[:15], s.Wall))
	b.WriteByte('.')
	b.Write(padded(digits[:5], int64(s.Counter)))
	b.WriteByte('.')
	b.WriteString(s.Device)
	return b.String()
}

// maxWall is the largest wall time the fifteen-digit text form holds.
const maxWall = 999_999_999_999_999

// padded writes n, which fits, into buf in decimal with leading zeros.
func padded(buf []byte, n int64) []byte {
	for i := len(buf) - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return buf
}

// ParseStamp reads a stamp's string form.
func ParseStamp(s string) (Stamp, error) {
	if s == "" {
		return Stamp{}, nil
	}
	wall, rest, ok1 := strings.Cut(s, ".")
	counter, device, ok2 := strings.Cut(rest, ".")
	w, err1 := strconv.ParseInt(wall, 10, 64)
	c, err2 := strconv.Atoi(counter)
	if !ok1 || !ok2 || err1 != nil || err2 != nil || len(wall) != 15 || len(counter) != 5 || device == "" || w < 0 || c < 0 {
		return Stamp{}, fmt.Errorf("malformed clock stamp %q", s)
	}
	return Stamp{Wall: w, Counter: c, Device: device}, nil
}

// Less orders stamps by wall time, counter, then device id.
func (s Stamp) Less(o Stamp) bool {
	if s.Wall != o.Wall {
		return s.Wall < o.Wall
	}
	if s.Counter != o.Counter {
		return s.Counter < o.Counter
	}
	return s.Device < o.Device
}

// Clock issues stamps for one device. It is safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	device string
	now    func() time.Time
	last   Stamp
}

// NewClock returns a clock for device reading wall time from now (time.Now
// when nil).
func NewClock(device string, now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{device: device, now: now, last: Stamp{Device: device}}
}

// Device is the id the clock stamps with.
func (c *Clock) Device() string { return c.device }

// Last is the latest stamp the clock issued or observed.
func (c *Clock) Last() Stamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// Next returns a stamp later than every stamp this clock issued or observed
// and later than after, which is how a write always beats the value it
// overwrote even when the wall clock is behind.
func (c *Clock) Next(after ...Stamp) Stamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	floor := c.last
	for _, a := range after {
		if floor.Less(a) {
			floor = a
		}
	}
	wall := c.now().UnixMilli()
	s := Stamp{Wall: wall, Device: c.device}
	if wall <= floor.Wall {
		s = Stamp{Wall: floor.Wall, Counter: floor.Counter + 1, Device: c.device}
		if s.Counter > maxCounter { // keep the text form fixed-width, so it sorts
			s = Stamp{Wall: floor.Wall + 1, Device: c.device}
		}
	}
	c.last = s
	return s
}

// Observe moves the clock past a peer's stamp, so the next stamp it issues
// is later. A stamp more than MaxDrift ahead of the wall clock, which apply
// quarantines before it gets here, moves it only that far and is reported
// with ahead = true.
func (c *Clock) Observe(s Stamp) (ahead bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := c.now().Add(MaxDrift).UnixMilli()
	if s.Wall > limit {
		ahead = true
		s = Stamp{Wall: limit, Device: s.Device}
	}
	if c.last.Less(s) {
		c.last = Stamp{Wall: s.Wall, Counter: s.Counter, Device: c.device}
	}
	return ahead
}
