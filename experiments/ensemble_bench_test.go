package experiments

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchRuns is the runs per scenario of one benchmark iteration (enough
// that the setup of each Run, fresh Sims and accumulators, is small): a
// multiple of 2 so that two workers get equal shares (a worker runs every
// scenario of a run).
const benchRuns = 64

// benchExperiment is the default experiment (10,000 buyers, 2019-07 to
// 2032-12, all 8 built-in regimes, calibrated market) cut to benchRuns runs.
func benchExperiment(b *testing.B) *Experiment {
	b.Helper()
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	if e, err = e.WithRuns(benchRuns); err != nil {
		b.Fatal(err)
	}
	return e
}

func runEnsemble(b *testing.B, e *Experiment, workers int) {
	if _, err := Run(context.Background(), e, Options{Workers: workers}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEnsemble runs the default experiment's ensemble with 1 and 2
// workers and reports scenario-runs per second (one scenario-run: one
// regime simulated over 162 months for 10,000 buyers).
//
//	go test ./experiments -run XXX -bench Ensemble -benchtime 2x
func BenchmarkEnsemble(b *testing.B) {
	e := benchExperiment(b)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				runEnsemble(b, e, workers)
			}
			b.ReportMetric(float64(b.N*benchRuns*len(e.Scenarios))/b.Elapsed().Seconds(), "runs/s")
		})
	}
}

// BenchmarkEnsembleSpeedup runs the same ensemble with 1 and then 2
// workers in each iteration and reports the speed-up, time(1)/time(2),
// from the summed times (on a 2-core machine the ideal is 2; sharing the
// cores with other work lowers it).
func BenchmarkEnsembleSpeedup(b *testing.B) {
	e := benchExperiment(b)
	var t1, t2 time.Duration
	for b.Loop() {
		start := time.Now()
		runEnsemble(b, e, 1)
		mid := time.Now()
		runEnsemble(b, e, 2)
		t1 += mid.Sub(start)
		t2 += time.Since(mid)
	}
	n := float64(b.N * benchRuns * len(e.Scenarios))
	b.ReportMetric(t1.Seconds()/t2.Seconds(), "speedup")
	b.ReportMetric(n/t1.Seconds(), "runs/s-1w")
	b.ReportMetric(n/t2.Seconds(), "runs/s-2w")
}
