// Package sim_test is a deterministic simulation of a shop's replicas
// syncing through a relay over a network that drops, duplicates and
// reorders batches, with devices that go offline, crash between committing
// a batch and acknowledging it, and keep clocks that disagree by days and
// sometimes run backwards. After the network heals and everyone syncs, the
// replicas must agree exactly and match an oracle the simulation keeps.
//
// Everything runs in one goroutine from a seeded generator: the replicas
// are real app.Shops on SQLite files and the hub is the relay's real change
// store; only the wire is simulated, through the changes.Replica and
// relay.Store interfaces. A failing seed replays alone with
//
//	go test ./sync/sim -run TestSim -sim.first 17 -sim.seeds 1 -sim.steps 150
//
// and a longer soak runs more seeds, or longer ones, by flag or environment:
//
//	go test ./sync/sim -run TestSim -sim.seeds 500 -sim.steps 400
//	MICROSHOP_SIM_SEEDS=500 MICROSHOP_SIM_STEPS=400 go test ./sync/sim
//
// The default, 6 seeds of 150 steps, takes about 20 s with -race on a
// two-core machine (SQLite is slow under the race detector); -short runs 2.
package sim_test

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"testing"
)

var (
	flagSeeds = flag.Int("sim.seeds", envInt("MICROSHOP_SIM_SEEDS", 6), "how many seeds the simulation runs (env MICROSHOP_SIM_SEEDS)")
	flagFirst = flag.Int("sim.first", envInt("MICROSHOP_SIM_FIRST", 1), "the first seed (env MICROSHOP_SIM_FIRST)")
	flagSteps = flag.Int("sim.steps", envInt("MICROSHOP_SIM_STEPS", 150), "steps of each seed before healing (env MICROSHOP_SIM_STEPS)")
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func TestSim(t *testing.T) {
	seeds, steps := *flagSeeds, *flagSteps
	if testing.Short() {
		seeds = min(seeds, 2)
	}
	total := &stats{}
	for seed := *flagFirst; seed < *flagFirst+seeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("replay: go test ./sync/sim -run TestSim -sim.first %d -sim.seeds 1 -sim.steps %d", seed, steps)
				}
			}()
			w := newWorld(t, uint64(seed))
			w.run(steps)
			w.heal()
			w.check()
			total.add(w.stats)
		})
	}
	t.Logf("over %d seeds of %d steps: %s", seeds, steps, total)
	// The generator must keep producing every fault and every kind of
	// conflict, or the checks above prove little.
	if seeds*steps >= 900 && !t.Failed() {
		for name, n := range total.counts() {
			if n == 0 {
				t.Errorf("no %s happened in %d seeds; the simulation no longer exercises it", name, seeds)
			}
		}
	}
}
