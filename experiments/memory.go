package experiments

// resultOverhead is peak memory over the per-run results' bytes, as
// measured (docs/scale.md: about 9 kB a run for 2 kB of scalars): Go's
// collector lets the heap reach twice its live size, and the summary
// copies one metric's runs at a time on top.
const resultOverhead = 5

// ResultBytes estimates the peak memory that the per-run results of runs
// runs take: each scenario's scalar metrics and the run's id, times the
// collector's and the summary's overhead. Monthly figures are not in it:
// their accumulators grow with the spread of the values, not with each
// run (1.9 GiB for the default experiment over its posterior), nor is each
// worker's population.
func (e *Experiment) ResultBytes(runs int) float64 {
	return float64(runs) * (float64(len(e.Scenarios)*e.Metrics())*8 + 8) * resultOverhead
}

// Metrics returns the number of scalar metrics a run records per scenario.
func (e *Experiment) Metrics() int { return len(newScalarLayout(e).names) }
