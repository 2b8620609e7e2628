// Package experiments owns coopsim's experiment files and what runs them:
// the TOML format and its validation, the built-in default experiment
// (embedded), the Monte Carlo ensemble (run on experiments/engine's
// workers), its partial results (shards, checkpoints, resumes), and the
// summaries and result files it writes.
//
// An experiment names a seed, a number of runs (or a precision target), the
// simulated months, the market (parameter paths of market.Params, possibly
// from included files such as a calibration's fitted.toml), the scenarios
// (each a regime, built in or defined in the file, plus parameter
// overrides), a baseline, sweeps that turn parameter grids into scenarios,
// and the report window.
//
// Every random number of run r is keyed by (seed, r, purpose, buyer,
// month), and run r of every scenario uses the same keys (common random
// numbers), so scenario differences are paired. Results are accumulated
// in exact, order-independent form (per-run scalars into their slot;
// monthly sums in fixed point; monthly quantiles in a mergeable sketch of
// counts), so the files are byte-identical for any number of workers, for
// shards merged afterwards, and for resumed runs.
package experiments
