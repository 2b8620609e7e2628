// Package engine runs ensembles of market simulations: the one worker
// pool, run keying and set of accumulators that experiments, calibration,
// sensitivity analysis and posterior sampling share.
//
// A caller describes a [Plan]: the master seed, the run numbers to
// simulate (job i uses the key {Seed, Runs[i]}, so that every case of a
// job sees the same random numbers: common random numbers), the cases to
// simulate in each job (a market under a compiled regime), and a Collect
// function that receives each simulated series. [Run] spreads the jobs over
// workers, each with its own market.Sim; workers claim jobs in order and
// finish every job they claim, so the jobs completed are always a prefix
// of the plan, whatever the number of workers. Cancelling the context, or
// an error in any worker, stops the others from claiming more; the first
// error is returned. Between segments of a plan, with no job in flight,
// Run can call a Checkpoint function, so a caller can save a consistent
// state periodically.
//
// [Do] is the same pool without the market, for callers that simulate
// through an interface of their own (the posterior sampler's likelihood).
//
// The statistics every caller reports with live here too: [MeanSE], the
// Student t rule of [Precise], and [Cells], order-free monthly
// accumulators (exact sums and quantile sketches).
package engine
