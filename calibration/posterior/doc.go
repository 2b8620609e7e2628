// Package posterior owns the Bayesian calibration of a stochastic
// simulator: it samples the posterior of a few parameters given a few dozen
// observed moments, reports the sampler's diagnostics (effective sample
// size, acceptance rates, split R-hat, which parameters the data leave at
// their prior), and checks each target against its posterior predictive
// distribution.
//
// # Method: MCMC on a Gaussian synthetic likelihood
//
// The simulator has no likelihood we can write down, but each moment is an
// average over thousands of buyer agents, so across runs it is close to
// normal. The synthetic likelihood of Wood (2010) takes the moments at θ as
// normal with the mean and variance estimated from R simulated runs, and
// the observed figure as one draw from it blurred by its own reported
// uncertainty:
//
//	y_i ~ N(μ̂_i(θ), sd_i² + c·σ̂_i²(θ))
//
// where μ̂_i and σ̂_i² are the mean and variance of moment i over the R runs,
// sd_i is the target's uncertainty and c is Options.NoiseScale (1: the
// world is one realisation of the model, Wood's assumption; 1/R: only the
// Monte Carlo error of μ̂). Price, Drovandi, Lee & Nott (2018, "Bayesian
// synthetic likelihood", J. Comput. Graph. Stat. 27(1)) show that MCMC on
// this likelihood targets a posterior that is insensitive to R once R is
// moderate, and that it needs far fewer simulations than ABC when the
// summaries are near-normal; ABC-SMC (Toni et al. 2009; Del Moral, Doucet
// & Jasra 2012) would instead accept on a distance between a few dozen
// moments, where acceptance rates collapse with the number of summaries.
// With fewer runs than moments the covariance cannot be estimated in full;
// it is shrunk to its diagonal, the fully shrunk end of the estimators of
// Ledoit & Wolf (2004) and An, South, Nott & Drovandi (2019, graphical
// lasso BSL), so the moments' likelihoods multiply. An inequality target
// ("at least", "at most") contributes −½·(shortfall/scale)² when its bound
// is missed and nothing otherwise, the soft constraint of the point fit.
//
// Every likelihood evaluation uses the same run keys {Seed, 0..R−1}
// (common random numbers), so the synthetic likelihood is a deterministic,
// smooth function of θ and the chain cannot stick on a lucky overestimate,
// the failure mode of the noisy pseudo-marginal chain (Andrieu & Roberts
// 2009). The price is that the chain targets the posterior under that one
// set of runs: a bias of order σ̂_i/√R in μ̂_i, small beside sd_i for the
// calibration's targets, and measured by the simulation-based calibration
// test of this package (Talts, Betancourt, Simpson, Vehtari & Gelman 2018).
//
// The sampler is adaptive random-walk Metropolis (Haario, Saksman &
// Tamminen 2001) in several chains started from overdispersed draws
// (prior draws, or Options.Init): over the first three quarters of warm-up
// each chain's proposal covariance is its own sample covariance scaled by
// 2.38²/d; over the last quarter every chain takes the covariance of all
// chains' recent warm-up draws, which spans a ridge-shaped posterior
// better than one chain does; the scale is tuned throughout toward the
// 0.234 acceptance rate (Roberts, Gelman & Gilks 1997; Andrieu & Thoms
// 2008). After warm-up the proposal is frozen, so the kept draws are an
// ordinary Metropolis chain. Positive parameters may be sampled on the log scale (Param.Log).
//
// # Diagnostics
//
// [ESS] is the multi-chain effective sample size with Geyer's initial
// monotone sequence, and [SplitRHat] the split-chain potential scale
// reduction factor (Gelman et al. 2013, Bayesian Data Analysis 3rd ed.,
// ch. 11; Vehtari et al. 2021). A parameter whose posterior contraction
// 1 − Var(post)/Var(prior) (Betancourt 2018, "Calibrating model-based
// inferences and decisions") is below [WeakContraction] is flagged as
// poorly identified: the targets leave it near its prior.
//
// Randomness is passed in: the run keys and the chains' streams are
// derived from Options.Seed by hashing, and the runs of an evaluation are
// spread over workers and combined in run order, so a result does not
// depend on the number of workers.
package posterior
