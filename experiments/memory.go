package experiments

import "github.com/coopsim/coopsim/experiments/engine"

// resultOverhead is peak memory over the per-run results' bytes, as
// measured (docs/scale.md: about 9 kB a run for 2 kB of scalars): Go's
// collector lets the heap reach twice its live size, and the summary
// copies one metric's runs at a time on top.
const resultOverhead = 5

// ResultBytes estimates the peak memory that the per-run results of runs
// runs take: each scenario's scalar metrics and the run's id, times the
// collector's and the summary's overhead. Monthly figures are not in it
// (SeriesBytes), nor is each worker's population.
func (e *Experiment) ResultBytes(runs int) float64 {
	return float64(runs) * (float64(len(e.Scenarios)*e.Metrics())*8 + 8) * resultOverhead
}

// seriesOverhead is peak memory over the monthly accumulators' live
// bytes: Go's collector lets the heap reach twice its live size.
const seriesOverhead = 2

// SeriesBytes estimates the peak memory that the monthly figures of runs
// runs take: an accumulator (an exact sum and a quantile sketch) per
// scenario, month and series metric, allocated before the first run and
// growing with the spread of the values, not with each run
// (engine.CellBytes). For the default experiment it is 1.5 GB at 1,000
// runs (the process peaks at 1.9 GB), for 200 scenarios of 162 months it
// is 2.9 GB however few the runs.
func (e *Experiment) SeriesBytes(runs int) float64 {
	cells := float64(len(e.Scenarios)) * float64(e.Months()) * numSeries
	return cells * engine.CellBytes(runs) * seriesOverhead
}

// SeriesMetrics returns the number of monthly series metrics a scenario
// records each month (a series.csv row each per scenario and month).
func SeriesMetrics() int { return numSeries }

// MemoryBytes estimates the peak memory of runs runs' results: the
// per-run results and the monthly figures.
func (e *Experiment) MemoryBytes(runs int) float64 {
	return e.ResultBytes(runs) + e.SeriesBytes(runs)
}

// Metrics returns the number of scalar metrics a run records per scenario.
func (e *Experiment) Metrics() int { return len(newScalarLayout(e).names) }
