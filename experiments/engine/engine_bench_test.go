package engine

import (
	"context"
	"testing"

	"github.com/coopsim/coopsim/market"
)

// TestJobsAllocateNothing: the engine's per-job path allocates nothing
// (Sim.Run, once warm, neither): a plan of 32 jobs on one worker makes no
// more allocations than a plan of 4.
func TestJobsAllocateNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 72 runs")
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
	few, many := allocs(4), allocs(32)
	if many > few {
		t.Errorf("%v allocations for 32 jobs, %v for 4: a job allocates", many, few)
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
