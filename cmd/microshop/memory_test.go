package main

import (
	"runtime"
	"runtime/metrics"
	"testing"
)

// The desktop gives memory back once after each burst of work, when it
// comes to rest holding much more than its live heap, and never makes an
// app at rest collect again and again.
func TestIdleGiveBack(t *testing.T) {
	const mb = 1 << 20
	at := func(allocs, held, live uint64) heapSample {
		return heapSample{allocs: allocs * mb, held: held * mb, live: live * mb}
	}
	type step struct {
		s    heapSample
		want bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"at rest after a report", []step{{at(500, 120, 60), false}, {at(501, 120, 60), true}}},
		{"still reading", []step{{at(500, 120, 60), false}, {at(800, 125, 60), false}}},
		{"little to give back", []step{{at(500, 70, 60), false}, {at(501, 70, 60), false}}},
		{"once per burst", []step{{at(500, 120, 60), false}, {at(501, 120, 60), true}, {at(502, 120, 60), false}, {at(503, 120, 60), false}}},
		{"again after more work", []step{{at(500, 120, 60), false}, {at(501, 120, 60), true}, {at(700, 120, 60), false}, {at(701, 120, 60), true}}},
		{"at rest from the start", []step{{at(1, 120, 60), false}, {at(2, 120, 60), false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var g idleGiveBack
			for i, st := range tt.steps {
				if got := g.observe(st.s); got != st.want {
					t.Errorf("step %d: give back %v, want %v", i, got, st.want)
				}
			}
		})
	}
}

// Every metric the give-back reads exists in this Go: an unknown name
// would read as zero and the app would never give anything back.
func TestHeapMetricsExist(t *testing.T) {
	samples := make([]metrics.Sample, len(heapMetrics))
	for i, name := range heapMetrics {
		samples[i].Name = name
	}
	runtime.GC() // live is as of the last collection
	metrics.Read(samples)
	for _, s := range samples {
		if s.Value.Kind() != metrics.KindUint64 {
			t.Errorf("metric %s is %v, want a uint64", s.Name, s.Value.Kind())
		}
	}
	if h := readHeap(samples); h.live == 0 || h.held < h.live || h.allocs < h.live {
		t.Errorf("heap sample %+v: want live above 0, held and allocated at least live", h)
	}
}
