package engine

import (
	"context"
	"testing"

	"github.com/coopsim/coopsim/market"
)

// TestJobsAllocateNothing: the engine's per-job path allocates nothing
// (Sim.Run, once warm, neither): a plan of 128 jobs on one worker makes
// hardly more allocations than a plan of 4, where one allocation a job
// would add 124. The slack (fewer than 124/8) admits the few times a
// worker's buffers grow for a run larger than any before it (under the
// market v2, run sizes vary with the run key: 6 allocations in 128 jobs),
// which happens a bounded number of times, not once a job.
func TestJobsAllocateNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 264 runs")
	}
	c := tiny(t)
	allocs := func(jobs int) float64 {
		runs := make([]int, jobs)
		for i := range runs {
			runs[i] = i
		}
		p := Plan{Runs: runs, Cases: []Case{c}, Workers: 1, Collect: func(int, int, *market.Series) error { return nil }}
		return testing.AllocsPerRun(1, func() {
			if _, err := Run(context.Background(), p); err != nil {
				t.Fatal(err)
			}
		})
	}
	few, many := allocs(4), allocs(128)
	if many-few >= (128-4)/8 {
		t.Errorf("%v allocations for 128 jobs, %v for 4: a job allocates", many, few)
	}
}

// BenchmarkRun reports the engine's throughput on a small market: runs
// and buyer-months simulated per second.
func BenchmarkRun(b *testing.B) {
	c := tiny(b)
	runs := make([]int, 16)
	for i := range runs {
		runs[i] = i
	}
	p := Plan{Runs: runs, Cases: []Case{c}, Collect: func(int, int, *market.Series) error { return nil }}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	n := float64(b.N * len(runs))
	b.ReportMetric(n/sec, "runs/s")
	b.ReportMetric(n*float64(c.Market.Buyers.Agents*c.Market.Months())/sec, "buyer-months/s")
}
