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
// accumulators, which are allocated before the first run: 2,000 scenarios
// of 162 months need gigabytes for 2 runs, far more than the per-run
// results, and more than 2,000 runs of the default's eight scenarios.
func TestSeriesBytesGrowsWithScenarios(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	big := *e
	big.Scenarios = make([]Scenario, 2000)
	series, results := big.SeriesBytes(2), big.ResultBytes(2)
	if series < 10e9 || series < 100*results {
		t.Errorf("2,000 scenarios of %d months, 2 runs: monthly figures %.1f GB, per-run results %.1f GB, in all %.1f GB; want over 10 GB, mostly monthly figures",
			e.Months(), series/1e9, results/1e9, big.MemoryBytes(2)/1e9)
	}
	if e.MemoryBytes(2000) >= series {
		t.Errorf("2,000 runs of the default: %.1f GB, not less than 2 runs of 2,000 scenarios (%.1f GB)", e.MemoryBytes(2000)/1e9, series/1e9)
	}
}
