// Package calibration fits the free parameters of a market to dated
// observed figures by the method of simulated moments, and reports the fit.
//
// A [Targets] file (the default is the embedded targets.toml, see
// [DefaultTargets]) names the targets, each a moment of the simulated
// market at a month with its observed value, uncertainty and source, and
// the free parameters, each a parameter path of market.LookupParam with
// bounds. [Fit] simulates every target's moment over a fixed set of run
// keys (common random numbers, so the objective is a deterministic function
// of the parameters), weights each squared deviation by the target's
// uncertainty, and minimises the sum with gonum's Nelder–Mead from several
// starts. The [Result] reports each target against its simulated mean with
// standard error and z-score, each fitted value with its local sensitivity
// (a finite-difference Jacobian of the moments) and whether the targets pin
// it down, and warnings for a poor fit. [Result.WriteFiles] writes fit.json
// and fitted.toml, a [market] table of parameter paths that an experiment
// can include.
//
// The moments are simulated under a regime: the targets' built-in one by
// default, or any experiment scenario's, its own [[regime]] blocks
// included ([Scenario] and Options.Regime; `coopsim calibrate FILE
// --scenario NAME`).
//
// [Posterior] follows a fit with a posterior sample of the free
// parameters (package calibration/posterior: MCMC on a Gaussian synthetic
// likelihood of the moments), under priors given beside the targets
// ([FreeParam].Prior, by default uniform over [min, max] on the search
// scale), with its diagnostics and a posterior predictive check of every
// target; [Result.WriteFiles] then also writes posterior.csv.
//
// [ReadFiles] reads a calibration's fit.json and posterior.csv back (for
// coopsim plot), exactly as WriteFiles wrote them, refusing a file that
// is cut short, edited or over its size limit with a [FileError] naming
// the file, the line and the fix. fit.json records a relative targets
// file relative to its own directory.
//
// Calibration is deterministic given the seed: the runs go through the
// ensemble engine (experiments/engine), every run's random numbers are
// keyed by (seed, run), and each run's moments go to their own slot and are
// combined in run order, so the number of workers does not change a
// result.
package calibration
