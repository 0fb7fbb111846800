package changes_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"microshop/sync/changes"
)

func TestStampString(t *testing.T) {
	tests := []struct {
		name string
		s    changes.Stamp
		want string
	}{
		{"zero is empty", changes.Stamp{}, ""},
		{"typical", changes.Stamp{Wall: 1_777_000_000_000, Counter: 3, Device: "dev-a"}, "001777000000000.00003.dev-a"},
		{"counter zero", changes.Stamp{Wall: 1, Device: "d"}, "000000000000001.00000.d"},
		{"largest counter", changes.Stamp{Wall: 1, Counter: 99999, Device: "d"}, "000000000000001.99999.d"},
		{"device with dots", changes.Stamp{Wall: 5, Counter: 1, Device: "laptop.home"}, "000000000000005.00001.laptop.home"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			back, err := changes.ParseStamp(tt.want)
			if err != nil {
				t.Fatalf("ParseStamp(%q) error = %v", tt.want, err)
			}
			if back != tt.s {
				t.Errorf("ParseStamp(%q) = %+v, want %+v", tt.want, back, tt.s)
			}
		})
	}
}

// The string form is written by hand; it must be the printf form it
// replaced, also at the edges of its widths and beyond them.
func TestStampStringIsThePrintfForm(t *testing.T) {
	walls := []int64{0, 1, 9, 10, 1_777_000_000_123, 999_999_999_999_999, 1_000_000_000_000_000, -1, 1<<63 - 1}
	counters := []int{0, 1, 42, 99999, 100000, -3}
	for _, w := range walls {
		for _, c := range counters {
			s := changes.Stamp{Wall: w, Counter: c, Device: "0196f0a2-7c1e-7b3d-9e4f-123456789abc"}
			if got, want := s.String(), fmt.Sprintf("%015d.%05d.%s", w, c, s.Device); got != want {
				t.Errorf("%+v: String() = %q, want %q", s, got, want)
			}
		}
	}
}

func TestParseStampRejects(t *testing.T) {
	for _, in := range []string{
		"garbage",
		"1.2.d",                        // not fixed width
		"001777000000000.00003",        // no device
		"001777000000000.00003.",       // empty device
		"001777000000000.0003.d",       // short counter
		"01777000000000.00003.d",       // short wall
		"0017770000000x0.00003.d",      // non-digit wall
		"001777000000000.0000x.d",      // non-digit counter
		"-00000000000001.00000.d",      // negative wall
		"000000000000001.-0001.d",      // negative counter
		"001777000000000:00003:d",      // wrong separators
		" 001777000000000.00003.dev-a", // leading space
	} {
		t.Run(in, func(t *testing.T) {
			got, err := changes.ParseStamp(in)
			if err == nil {
				t.Fatalf("ParseStamp(%q) = %+v, nil; want an error", in, got)
			}
			if !strings.Contains(err.Error(), in) {
				t.Errorf("error %q does not name the input %q", err, in)
			}
		})
	}
}

// Stamps are stored and compared as text, so sorting their strings must give
// the same order as Less.
func TestStampStringOrderMatchesLess(t *testing.T) {
	stamps := []changes.Stamp{
		{Wall: 1, Counter: 0, Device: "a"},
		{Wall: 1, Counter: 0, Device: "b"},
		{Wall: 1, Counter: 0, Device: "a-1"},
		{Wall: 1, Counter: 0, Device: "B"},
		{Wall: 1, Counter: 1, Device: "a"},
		{Wall: 1, Counter: 9, Device: "a"},
		{Wall: 1, Counter: 10, Device: "a"},
		{Wall: 1, Counter: 99999, Device: "a"},
		{Wall: 2, Counter: 0, Device: "a"},
		{Wall: 9, Counter: 5, Device: "z"},
		{Wall: 10, Counter: 0, Device: "a"},
		{Wall: 999_999_999_999, Counter: 0, Device: "a"},
		{Wall: 1_777_000_000_000, Counter: 0, Device: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"},
		{Wall: 1_777_000_000_000, Counter: 0, Device: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"},
		{Wall: 1_777_000_000_001, Counter: 0, Device: "0"},
	}
	for _, a := range stamps {
		for _, b := range stamps {
			if got, want := a.String() < b.String(), a.Less(b); got != want {
				t.Errorf("%q < %q is %v, but %+v.Less(%+v) is %v", a, b, got, a, b, want)
			}
		}
	}

	byString := slices.Clone(stamps)
	slices.SortFunc(byString, func(a, b changes.Stamp) int { return strings.Compare(a.String(), b.String()) })
	byLess := slices.Clone(stamps)
	slices.SortFunc(byLess, func(a, b changes.Stamp) int {
		switch {
		case a.Less(b):
			return -1
		case b.Less(a):
			return 1
		}
		return 0
	})
	if !slices.Equal(byString, byLess) {
		t.Errorf("sorted by string %v, sorted by Less %v", byString, byLess)
	}
}

// fakeWall is an injectable wall clock a test moves by hand.
type fakeWall struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeWall) now() time.Time  { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeWall) set(t time.Time) { f.mu.Lock(); defer f.mu.Unlock(); f.t = t }

var t0 = time.UnixMilli(1_777_000_000_000)

func TestClockNextIncreasing(t *testing.T) {
	ms := func(d int64) time.Time { return t0.Add(time.Duration(d) * time.Millisecond) }
	tests := []struct {
		name  string
		walls []time.Time
	}{
		{"wall advancing", []time.Time{ms(0), ms(1), ms(5), ms(100)}},
		{"wall standing still", []time.Time{ms(0), ms(0), ms(0), ms(0)}},
		{"wall going back a little", []time.Time{ms(10), ms(9), ms(8), ms(11), ms(11)}},
		{"wall going back an hour", []time.Time{ms(0), ms(-3_600_000), ms(-3_599_999), ms(1), ms(2)}},
		{"wall jumping ahead then back", []time.Time{ms(0), ms(86_400_000), ms(0), ms(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wall := &fakeWall{}
			c := changes.NewClock("dev-a", wall.now)
			var prev changes.Stamp
			for i, w := range tt.walls {
				wall.set(w)
				s := c.Next()
				if s.Device != "dev-a" {
					t.Errorf("stamp %d device = %q, want %q", i, s.Device, "dev-a")
				}
				if i > 0 && !prev.Less(s) {
					t.Errorf("stamp %d = %+v is not after %+v", i, s, prev)
				}
				if i > 0 && !(prev.String() < s.String()) {
					t.Errorf("stamp %d string %q does not sort after %q", i, s, prev)
				}
				if s.Wall < w.UnixMilli() {
					t.Errorf("stamp %d wall = %d, behind the wall clock %d", i, s.Wall, w.UnixMilli())
				}
				prev = s
			}
		})
	}
}

func TestClockNextUsesWallClock(t *testing.T) {
	wall := &fakeWall{t: t0}
	c := changes.NewClock("dev-a", wall.now)
	if got, want := c.Next(), (changes.Stamp{Wall: t0.UnixMilli(), Device: "dev-a"}); got != want {
		t.Errorf("Next() = %+v, want %+v", got, want)
	}
	wall.set(t0.Add(time.Second))
	if got, want := c.Next(), (changes.Stamp{Wall: t0.Add(time.Second).UnixMilli(), Device: "dev-a"}); got != want {
		t.Errorf("Next() after a second = %+v, want %+v", got, want)
	}
	if got := c.Device(); got != "dev-a" {
		t.Errorf("Device() = %q, want %q", got, "dev-a")
	}
}

func TestClockNextDefaultsToTimeNow(t *testing.T) {
	c := changes.NewClock("dev-a", nil)
	before := time.Now().UnixMilli()
	s := c.Next()
	after := time.Now().UnixMilli()
	if s.Wall < before || s.Wall > after {
		t.Errorf("Next().Wall = %d, want between %d and %d", s.Wall, before, after)
	}
}

func TestClockNextAfter(t *testing.T) {
	tests := []struct {
		name  string
		after []changes.Stamp
	}{
		{"same millisecond, larger device", []changes.Stamp{{Wall: t0.UnixMilli(), Counter: 0, Device: "zzz"}}},
		{"same millisecond, higher counter", []changes.Stamp{{Wall: t0.UnixMilli(), Counter: 42, Device: "b"}}},
		{"a day ahead", []changes.Stamp{{Wall: t0.Add(24 * time.Hour).UnixMilli(), Counter: 7, Device: "b"}}},
		{"behind", []changes.Stamp{{Wall: t0.Add(-time.Hour).UnixMilli(), Device: "b"}}},
		{"several, latest in the middle", []changes.Stamp{
			{Wall: t0.UnixMilli() + 5, Device: "b"},
			{Wall: t0.UnixMilli() + 50, Counter: 2, Device: "c"},
			{Wall: t0.UnixMilli() + 7, Device: "d"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := changes.NewClock("dev-a", (&fakeWall{t: t0}).now)
			got := c.Next(tt.after...)
			for _, a := range tt.after {
				if !a.Less(got) {
					t.Errorf("Next(...) = %+v, not after %+v", got, a)
				}
				if !(a.String() < got.String()) {
					t.Errorf("Next(...) = %q, does not sort after %q", got, a)
				}
			}
			if next := c.Next(); !got.Less(next) {
				t.Errorf("following Next() = %+v, not after %+v", next, got)
			}
		})
	}
}

func TestClockObserve(t *testing.T) {
	wall := t0.UnixMilli()
	drift := changes.MaxDrift.Milliseconds()
	tests := []struct {
		name      string
		peer      changes.Stamp
		wantAhead bool
		// the clock's next stamp must be after wantAfter and, when
		// wantAtMost > 0, have a wall no later than it
		wantAfter  changes.Stamp
		wantAtMost int64
	}{
		{"behind", changes.Stamp{Wall: wall - 1000, Counter: 3, Device: "b"}, false, changes.Stamp{Wall: wall - 1000, Counter: 3, Device: "b"}, wall},
		{"same millisecond", changes.Stamp{Wall: wall, Counter: 5, Device: "b"}, false, changes.Stamp{Wall: wall, Counter: 5, Device: "b"}, wall},
		{"ten minutes ahead", changes.Stamp{Wall: wall + 600_000, Counter: 2, Device: "b"}, false, changes.Stamp{Wall: wall + 600_000, Counter: 2, Device: "b"}, wall + 600_000},
		{"exactly the allowed drift", changes.Stamp{Wall: wall + drift, Device: "b"}, false, changes.Stamp{Wall: wall + drift, Device: "b"}, wall + drift},
		{"one millisecond too far", changes.Stamp{Wall: wall + drift + 1, Device: "b"}, true, changes.Stamp{Wall: wall + drift - 1, Device: "b"}, wall + drift},
		{"days ahead", changes.Stamp{Wall: wall + 3*24*3_600_000, Counter: 9, Device: "b"}, true, changes.Stamp{Wall: wall + drift - 1, Device: "b"}, wall + drift},
		{"years ahead", changes.Stamp{Wall: 99_999_999_999_999, Device: "b"}, true, changes.Stamp{Wall: wall + drift - 1, Device: "b"}, wall + drift},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := changes.NewClock("dev-a", (&fakeWall{t: t0}).now)
			if got := c.Observe(tt.peer); got != tt.wantAhead {
				t.Errorf("Observe(%+v) ahead = %v, want %v", tt.peer, got, tt.wantAhead)
			}
			next := c.Next()
			if !tt.wantAfter.Less(next) {
				t.Errorf("next stamp %+v is not after %+v", next, tt.wantAfter)
			}
			if next.Wall > tt.wantAtMost {
				t.Errorf("next stamp wall = %d, want at most %d (%v ahead of the wall clock)", next.Wall, tt.wantAtMost, time.Duration(next.Wall-wall)*time.Millisecond)
			}
			if next.Device != "dev-a" {
				t.Errorf("next stamp device = %q, want %q", next.Device, "dev-a")
			}
		})
	}
}

// A write that replaces a value stamped far in the future still wins when it
// names that stamp, though the clock itself was clamped.
func TestClockNextAfterClampedStamp(t *testing.T) {
	c := changes.NewClock("dev-a", (&fakeWall{t: t0}).now)
	far := changes.Stamp{Wall: t0.Add(72 * time.Hour).UnixMilli(), Counter: 4, Device: "b"}
	if !c.Observe(far) {
		t.Fatalf("Observe(%+v) ahead = false, want true", far)
	}
	if got := c.Next(far); !far.Less(got) {
		t.Errorf("Next(far) = %+v, not after %+v", got, far)
	}
}

func TestClockConcurrentNextUnique(t *testing.T) {
	c := changes.NewClock("dev-a", (&fakeWall{t: t0}).now)
	const workers, each = 8, 200
	out := make([][]changes.Stamp, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				out[w] = append(out[w], c.Next())
			}
		})
	}
	wg.Wait()
	seen := map[changes.Stamp]bool{}
	for w, ss := range out {
		for i, s := range ss {
			if seen[s] {
				t.Fatalf("stamp %+v issued twice", s)
			}
			seen[s] = true
			if i > 0 && !ss[i-1].Less(s) {
				t.Errorf("worker %d: stamp %d %+v not after %+v", w, i, s, ss[i-1])
			}
		}
	}
	if got, want := len(seen), workers*each; got != want {
		t.Errorf("unique stamps = %d, want %d", got, want)
	}
}

// After observing a peer whose clock runs up to MaxDrift ahead, every local
// write until the wall clock catches up takes the peer's millisecond and a
// growing counter. A bulk import in that hour (here 100 001 writes over
// about ten seconds) must still give stamps that round-trip through their
// string form and sort in order.
func TestClockManyWritesBehindObservedPeer(t *testing.T) {
	wall := &fakeWall{t: t0}
	c := changes.NewClock("dev-a", wall.now)
	c.Observe(changes.Stamp{Wall: t0.Add(changes.MaxDrift).UnixMilli(), Device: "b"})
	prev := ""
	for i := range 100_001 {
		if i%10 == 0 {
			wall.set(t0.Add(time.Duration(i/10) * time.Millisecond))
		}
		s := c.Next()
		str := s.String()
		if str <= prev {
			t.Fatalf("write %d: stamp %q does not sort after %q", i, str, prev)
		}
		back, err := changes.ParseStamp(str)
		if err != nil || back != s {
			t.Fatalf("write %d: ParseStamp(%q) = %+v, %v; want %+v, nil", i, str, back, err, s)
		}
		prev = str
	}
}
