package experiments

import (
	"context"
	"testing"

	"github.com/coopsim/coopsim/experiments/engine"
)

// TestSeriesBytesEstimate: the monthly accumulators' measured bytes (each
// cell's fixed part and its sketch's bins) lie within a factor of two of
// SeriesBytes' estimate (before the collector's overhead), for a small
// market whose values spread more than the default's, after few and many
// runs.
func TestSeriesBytesEstimate(t *testing.T) {
	e0, err := LoadBytes([]byte(edgeHistory("buyers.agents = 200")), "edge.toml", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, runs := range []int{200, 1000} {
		e, err := e0.WithRuns(runs)
		if err != nil {
			t.Fatal(err)
		}
		o, err := Run(context.Background(), e, Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		held := 0.0
		for _, a := range o.series {
			held += float64(a.Len())*engine.CellBytes(0) + float64(a.BinBytes())
		}
		est := e.SeriesBytes(runs) / seriesOverhead
		t.Logf("%d runs: accumulators hold %.1f MB, estimate %.1f MB", runs, held/1e6, est/1e6)
		if est < held/2 || est > 2*held {
			t.Errorf("%d runs: accumulators hold %.1f MB, SeriesBytes estimates %.1f MB: not within a factor of 2", runs, held/1e6, est/1e6)
		}
	}
}

// TestSeriesBytesGrowsWithScenarios: the estimate counts every scenario's
// accumulators, which do not shrink with fewer runs: 2,000 scenarios of
// 162 months need gigabytes even for 2 runs.
func TestSeriesBytesGrowsWithScenarios(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	one := e.SeriesBytes(2)
	big := *e
	big.Scenarios = make([]Scenario, 2000)
	if got := big.SeriesBytes(2); got != one*2000/float64(len(e.Scenarios)) {
		t.Errorf("2,000 scenarios: SeriesBytes %.3g, want %.3g (linear in scenarios)", got, one*2000/float64(len(e.Scenarios)))
	}
	if got := big.MemoryBytes(2); got < 10e9 {
		t.Errorf("2,000 scenarios of %d months, 2 runs: MemoryBytes %.1f GB, want over 10 GB", e.Months(), got/1e9)
	}
}
