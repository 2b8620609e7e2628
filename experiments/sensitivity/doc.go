// Package sensitivity owns the global sensitivity estimators: Morris
// elementary effects (μ, μ*, σ) and Sobol first-order and total indices
// (the Saltelli 2010 and Jansen 1999 estimators), each with bootstrap
// confidence intervals over the design's independent units (Morris
// trajectories, Saltelli base rows), resampled by a counter-based stream
// keyed by the seed.
//
// The estimators take model outputs laid out as the designs of package
// design lay out their points, and know nothing of the model.
package sensitivity
