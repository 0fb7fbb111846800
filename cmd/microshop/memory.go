package main

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// memoryLimit is the Go heap's soft limit, unless GOMEMLIMIT sets one: a
// desktop app left open all day should give back what a big report used,
// and the collector works a little harder near the limit instead (it never
// refuses memory). Measured on the million-event shop: 204 MB anonymous
// memory after every screen without it, 150 MB with it.
const memoryLimit = 128 << 20

// limitMemory sets memoryLimit unless the user chose a limit.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

// The runtime keeps the heap it grew while a screen read a report (twice
// the live heap, up to memoryLimit) long after the report is shown: on the
// million-event shop 120 MB after every screen, of which 50 MB held no
// live object. The app gives that back once it is idle, at the cost of one
// collection after each burst of work.
const (
	// idleCheck is how often the app looks whether it is idle.
	idleCheck = 5 * time.Second
	// idleAllocs is the most a window at rest allocates between two
	// checks (redraws, the status line); more means it is working.
	idleAllocs = 4 << 20
	// giveBackMin is the least worth a forced collection; less beyond the
	// live heap is left to the runtime's own return of memory.
	giveBackMin = 16 << 20
)

// heapSample is what the runtime says of the heap at one moment.
type heapSample struct {
	allocs uint64 // bytes allocated since the process started
	held   uint64 // bytes of heap memory not returned to the system
	live   uint64 // bytes live at the end of the last collection
}

// heapMetrics are read into a heapSample: held is the sum of the last three.
var heapMetrics = []string{
	"/gc/heap/allocs:bytes",
	"/gc/heap/live:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
}

func readHeap(samples []metrics.Sample) heapSample {
	metrics.Read(samples)
	v := func(i int) uint64 { return samples[i].Value.Uint64() }
	return heapSample{allocs: v(0), live: v(1), held: v(2) + v(3) + v(4)}
}

// idleGiveBack decides, one sample at a time, when to give memory back:
// when the app has worked since it last did, is now at rest, and holds at
// least giveBackMin beyond its live heap. An app at rest is never made to
// collect again and again.
type idleGiveBack struct {
	prev   heapSample
	worked bool
}

func (g *idleGiveBack) observe(cur heapSample) (giveBack bool) {
	idle := cur.allocs-g.prev.allocs < idleAllocs
	g.prev = cur
	if !idle {
		g.worked = true
		return false
	}
	giveBack = g.worked && cur.held > cur.live+giveBackMin
	g.worked = false
	return giveBack
}

// giveBackWhenIdle returns the heap's unused memory to the system each
// time the app comes to rest after work, until ctx ends.
func giveBackWhenIdle(ctx context.Context) {
	samples := make([]metrics.Sample, len(heapMetrics))
	for i, name := range heapMetrics {
		samples[i].Name = name
	}
	g := idleGiveBack{prev: readHeap(samples)}
	tick := time.NewTicker(idleCheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if g.observe(readHeap(samples)) {
			debug.FreeOSMemory()
			g.prev = readHeap(samples) // the collection's own allocations are not work
		}
	}
}
