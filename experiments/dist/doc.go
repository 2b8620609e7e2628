// Package dist owns the parameter distributions of coopsim's uncertainty
// and sensitivity analyses: uniform, normal, lognormal, triangular and
// discrete, read from a TOML inline table, validated with errors that name
// the key and the fix, and drawn by inverse CDF from a counter-based
// uniform.
//
// # The TOML form
//
// A distribution is one inline table whose "dist" key names the family:
//
//	{dist = "uniform",    low = 0.2, high = 0.6}
//	{dist = "normal",     mean = 0.3, sd = 0.05}                 # optional low/high truncate
//	{dist = "lognormal",  median = 38e9, sdlog = 0.3}            # sd of log(x); optional low/high truncate
//	{dist = "triangular", low = 20e9, mode = 38e9, high = 50e9}
//	{dist = "discrete",   values = [0.5, 0.75, 1], weights = [1, 2, 1]}  # weights optional (equal)
//
// A lognormal is given by its median and the standard deviation of its log
// (sdlog), so that median × exp(±sdlog) is the central 68% range. A normal
// or lognormal with low and/or high is truncated to [low, high]: its draws
// are the quantiles of the truncated distribution, never clamped.
//
// # Integer and month parameters
//
// A parameter's [Kind] says what its values are. For a [Month] parameter
// every value in the table is a "YYYY-MM" string (mean, sd and sdlog stay
// numbers, in months; a lognormal is refused). Integer and month draws are
// rounded: a uniform draws each whole number (month) from low to high
// inclusive with equal probability (the continuous uniform on
// [low − ½, high + ½], rounded down after adding ½); every other family's
// continuous draw is rounded to the nearest whole number, halves away from
// zero (math.Round), and discrete values must already be whole.
//
// # Drawing
//
// [Dist.Quantile] is the inverse CDF; designs (Latin hypercubes, Sobol'
// points) map their points through it. [Dist.Draw] takes its uniform from a
// counter-based agents.Stream under agents.PurposeUncertainty with the
// parameter's [KeyID], so that a draw depends on (seed, run, parameter
// name) only: adding a parameter leaves the others' draws unchanged.
package dist
