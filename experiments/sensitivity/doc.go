// Package sensitivity owns the global sensitivity estimators: Morris
// elementary effects (μ, μ*, σ), with bootstrap confidence intervals over
// the design's independent trajectories resampled by a counter-based
// stream keyed by the seed; and Sobol first-order and total indices (the
// Saltelli 2010 and Jansen 1999 estimators), estimated in each of the
// design's independent scrambles (randomized quasi-Monte Carlo replicates)
// and reported as the scrambles' mean with a Student t interval.
//
// The estimators take model outputs laid out as the designs of package
// design lay out their points, and know nothing of the model.
package sensitivity
