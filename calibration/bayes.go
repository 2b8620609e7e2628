package calibration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/calibration/posterior"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/dist"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/market"
)

// PosteriorOptions are the settings of the posterior sample that follows a
// point fit. Zero fields take the defaults of posterior.Options, except
// Runs (0: the fit's runs), Agents (0: the fit's agents per run) and
// NoiseScale (0: 1/Runs: the buyer agents are a sample standing for many
// more accounts, so a run's spread is the model's sampling noise, not the
// world's, and only the Monte Carlo error of the runs' mean joins the
// targets' own uncertainty in the likelihood).
type PosteriorOptions struct {
	posterior.Options
	// Agents overrides buyers.agents while sampling (0: as in the fit).
	Agents int
	// Predictive is the number of posterior predictive draws (0: 200).
	Predictive int
	// Regime is the regime the moments are simulated under (nil: the
	// targets' built-in regime), as Options.Regime.
	Regime *market.Regime
}

// DefaultPosteriorOptions are the settings of `coopsim calibrate
// --posterior`: 4 chains of 4,000 warm-up and 4,000 kept iterations of 8
// runs × 5,000 buyers (about 6 minutes on two idle cores). The chains mix slowly along the ridges of the
// fifteen v2 parameters, so the budget goes to iterations rather than to
// precise moments: 8 runs of 5,000 buyers keep the Monte Carlo error of each
// moment's mean to a few percent of its target's sd, and the likelihood
// counts that error.
func DefaultPosteriorOptions() PosteriorOptions {
	return PosteriorOptions{Options: posterior.Options{Runs: 8, Chains: 4, Warmup: 4000, Iterations: 4000}, Agents: 5_000}
}

// QuickPosteriorOptions are a rough sample for tests and --quick: 4 chains
// of 200 warm-up and 400 kept iterations of 8 runs × 2,000 buyers, and 60
// predictive draws.
func QuickPosteriorOptions() PosteriorOptions {
	return PosteriorOptions{Options: posterior.Options{Runs: 8, Chains: 4, Warmup: 200, Iterations: 400}, Agents: 2_000, Predictive: 60}
}

// PosteriorReport is the posterior part of fit.json.
type PosteriorReport struct {
	// Method names the sampler (see package posterior).
	Method string `json:"method"`
	// Runs, Agents, Chains, Warmup and Iterations are the sampler's settings;
	// NoiseScale is c in the likelihood's variance sd² + c·σ̂².
	Runs       int     `json:"runs"`
	Agents     int     `json:"agents"`
	Chains     int     `json:"chains"`
	Warmup     int     `json:"warmup"`
	Iterations int     `json:"iterations"`
	NoiseScale float64 `json:"noise_scale"`
	// Priors describes each parameter's prior, in Params order.
	Priors []string `json:"priors"`
	*posterior.Result
	// PoorlyIdentified names the parameters the targets leave near their prior.
	PoorlyIdentified []string `json:"poorly_identified"`
	// Unmixed names the parameters whose chains have not mixed (split
	// R-hat above MaxRHat or ESS below MinESS): sample longer.
	Unmixed []string `json:"unmixed"`
	// Predictive checks every target against its posterior predictive distribution.
	Predictive []posterior.Check `json:"predictive"`
	Seconds    float64           `json:"seconds"`
}

// priorOf returns free parameter p's prior: its [param].prior, or by
// default uniform over [min, max] on its search scale (log-uniform for
// log = true). Either is cut to [min, max]: the sampler never leaves the
// bounds.
func (p *FreeParam) priorOf() posterior.Prior {
	if p.prior != nil {
		return bounded{p.prior, p.Min, p.Max}
	}
	if p.Log {
		return logUniform{detmath.Log(p.Min), detmath.Log(p.Max)}
	}
	return bounded{uniform{p.Min, p.Max}, p.Min, p.Max}
}

// PriorText describes the parameter's prior.
func (p *FreeParam) PriorText() string {
	switch {
	case p.prior != nil:
		return fmt.Sprintf("%s on [%g, %g]", p.prior, p.Min, p.Max)
	case p.Log:
		return fmt.Sprintf("log-uniform[%g, %g] (default)", p.Min, p.Max)
	}
	return fmt.Sprintf("uniform[%g, %g] (default)", p.Min, p.Max)
}

type uniform struct{ lo, hi float64 }

func (u uniform) LogProb(x float64) float64 {
	if x < u.lo || x > u.hi {
		return math.Inf(-1)
	}
	return -detmath.Log(u.hi - u.lo)
}
func (u uniform) Quantile(p float64) float64 { return u.lo + p*(u.hi-u.lo) }

// logUniform is uniform in log x over [lo, hi] (logs of the bounds).
type logUniform struct{ lo, hi float64 }

func (u logUniform) LogProb(x float64) float64 {
	if !(x > 0) || detmath.Log(x) < u.lo || detmath.Log(x) > u.hi {
		return math.Inf(-1)
	}
	return -detmath.Log(x) - detmath.Log(u.hi-u.lo)
}
func (u logUniform) Quantile(p float64) float64 { return detmath.Exp(u.lo + p*(u.hi-u.lo)) }

// bounded cuts a prior to [min, max]: zero density outside (the constant
// of the cut does not matter to MCMC), quantiles clamped into the bounds.
type bounded struct {
	inner    posterior.Prior
	min, max float64
}

func (b bounded) LogProb(x float64) float64 {
	if x < b.min || x > b.max {
		return math.Inf(-1)
	}
	return b.inner.LogProb(x)
}
func (b bounded) Quantile(p float64) float64 {
	return math.Min(b.max, math.Max(b.min, b.inner.Quantile(p)))
}

// resolvePrior validates the [param].prior table.
func (p *FreeParam) resolvePrior() error {
	if p.Prior == nil {
		return nil
	}
	d, err := p.Prior.Resolve(fmt.Sprintf("param %q prior", p.Path), dist.Real)
	if err != nil {
		return err
	}
	if d.Family == "discrete" {
		return errors.New(`prior: a fitted parameter's prior must be continuous: use uniform, normal, lognormal or triangular`)
	}
	if d.Quantile(0.999) < p.Min || d.Quantile(0.001) > p.Max {
		return fmt.Errorf("prior %s puts almost no mass in [min, max] = [%g, %g]: move the prior or the bounds", d, p.Min, p.Max)
	}
	p.prior = d
	return nil
}

// momentSim is the market as a posterior.Simulator: each batch is one
// ensemble plan of experiments/engine (engine.Run), run i's case the base
// market with the free parameters set to Theta(i) under the regime
// compiled once; the moments are read from each simulated series.
type momentSim struct {
	base    market.Config
	targets *Targets
	reg     *market.Compiled
	cfgs    []market.Config // one per run of the batch (reused)
	cases   [][]engine.Case
}

func (m *momentSim) SimulateRuns(ctx context.Context, b *posterior.Batch) error {
	n := len(b.Runs)
	if cap(m.cfgs) < n {
		m.cfgs, m.cases = make([]market.Config, n), make([][]engine.Case, n)
		for i := range m.cases {
			m.cases[i] = make([]engine.Case, 1)
		}
	}
	cfgs, cases := m.cfgs[:n], m.cases[:n]
	for i := range cfgs {
		if err := m.configure(&cfgs[i], b.Theta(i)); err != nil {
			return err
		}
		cases[i][0] = engine.Case{Market: &cfgs[i], Regime: m.reg, Breakdown: true}
	}
	_, err := engine.Run(ctx, engine.Plan{Seed: b.Seed, Runs: b.Runs, Workers: b.Workers,
		CasesOf: func(i int) []engine.Case { return cases[i] },
		Collect: func(i, _ int, out *market.Series) error {
			cfg := cases[i][0].Market
			for k := range m.targets.Targets {
				b.Rows[i][k] = momentOf(&m.targets.Targets[k], out, cfg.Start)
			}
			return nil
		}})
	return err
}

// configure sets cfg to the base market with the free parameters at theta.
func (m *momentSim) configure(cfg *market.Config, theta []float64) error {
	*cfg = m.base
	for j := range m.targets.Params {
		if err := m.targets.Params[j].param.Set(cfg, theta[j]); err != nil {
			return err
		}
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("parameters %v give an invalid market: %w", theta, err)
	}
	return nil
}

// Posterior samples the posterior of t's free parameters given its targets
// (package posterior: MCMC on a Gaussian synthetic likelihood of the
// moments with common random numbers) and checks every target against its
// posterior predictive distribution. Its chains start around the point fit
// (each parameter at the fitted value plus its local SE times a normal
// draw keyed by the seed, kept inside the bounds), so warm-up is short; fit
// may be nil to start from prior draws. progress, if set, gets the
// likelihood evaluations done and their total.
func Posterior(ctx context.Context, base market.Config, t *Targets, fit *Result, opt PosteriorOptions, progress func(done, total int)) (*PosteriorReport, error) {
	began := time.Now()
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("calibration: %w", err)
	}
	if err := base.Validate(); err != nil {
		return nil, fmt.Errorf("calibration: base market: %w", err)
	}
	if opt.Seed == 0 {
		opt.Seed = t.Seed
	}
	if opt.Runs == 0 {
		opt.Runs = t.Runs
		if fit != nil {
			opt.Runs = fit.Runs
		}
	}
	if opt.Agents == 0 && fit != nil {
		opt.Agents = fit.FitAgents
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.NoiseScale == 0 {
		// The buyer agents are a sample standing for many more accounts,
		// so a run's spread is sampling noise of the model, not the
		// world's: only the Monte Carlo error of the runs' mean counts.
		opt.NoiseScale = 1 / float64(opt.Runs)
	}
	if opt.Predictive == 0 {
		opt.Predictive = 200
	}
	base.End = t.lastDate()
	if opt.Agents > 0 {
		base.Buyers.Agents = opt.Agents
	}
	prob, err := posteriorProblem(&base, opt.Regime, t)
	if err != nil {
		return nil, err
	}
	if fit != nil {
		opt.Init = fitStarts(t, fit, opt.Options)
		opt.ProposalCov = fit.laplaceCov(t)
	}
	res, err := posterior.Sample(ctx, prob, opt.Options, progress)
	if err != nil {
		return nil, fmt.Errorf("calibration: posterior: %w", err)
	}
	checks, err := posterior.Predictive(ctx, prob, res.Draws(), opt.Predictive, opt.Seed, opt.Workers)
	if err != nil {
		return nil, fmt.Errorf("calibration: predictive check: %w", err)
	}
	o := opt.Options
	rep := &PosteriorReport{Method: o.Method.String() + " on a Gaussian synthetic likelihood of the moments, common random numbers (package calibration/posterior)",
		Runs: o.Runs, Agents: base.Buyers.Agents, Chains: o.Chains, Warmup: o.Warmup, Iterations: o.Iterations,
		NoiseScale: o.NoiseScale, Result: res, PoorlyIdentified: res.PoorlyIdentified(), Predictive: checks,
		Seconds: time.Since(began).Seconds()}
	for i := range t.Params {
		rep.Priors = append(rep.Priors, t.Params[i].PriorText())
	}
	rep.Unmixed = rep.unmixed()
	return rep, nil
}

// posteriorProblem builds the sampler's problem over the market.
func posteriorProblem(base *market.Config, r *market.Regime, t *Targets) (*posterior.Problem, error) {
	if r == nil {
		var err error
		if r, err = market.BuiltinRegime(t.Regime); err != nil {
			return nil, fmt.Errorf("calibration: %w", err)
		}
	}
	reg, err := market.Compile(r, base.Start, base.End)
	if err != nil {
		return nil, fmt.Errorf("calibration: regime %s: %w", r.Name, err)
	}
	sim := &momentSim{base: *base, targets: t, reg: reg}
	prob := &posterior.Problem{Sim: sim}
	for i := range t.Params {
		fp := &t.Params[i]
		prob.Params = append(prob.Params, posterior.Param{Name: fp.Path, Prior: fp.priorOf(), Log: fp.Log})
	}
	for i := range t.Targets {
		tg := &t.Targets[i]
		rel := posterior.Equal
		switch tg.Relation {
		case RelAtLeast:
			rel = posterior.AtLeast
		case RelAtMost:
			rel = posterior.AtMost
		}
		prob.Targets = append(prob.Targets, posterior.Target{Name: tg.Name, Value: tg.Value, SD: tg.SD, Relation: rel, Skip: tg.Check})
	}
	return prob, nil
}

// fitStarts returns each chain's start: the fitted value plus half its
// local SE times a standard normal keyed by (seed, chain, parameter), on
// the log scale for a log parameter, moved inside the bounds by 0.1% of
// the range if it lands outside. A whole SE (the fit's SEs reach ±140%)
// put starts at the bounds, 100–600 log-likelihood units below the fit,
// from where a short warm-up did not climb back.
func fitStarts(t *Targets, fit *Result, o posterior.Options) [][]float64 {
	chains := o.Chains
	if chains == 0 {
		chains = 4
	}
	seed := o.Seed
	out := make([][]float64, chains)
	for c := range out {
		st := agents.Key{Seed: seed, Run: uint64(c)}.Stream()
		out[c] = make([]float64, len(t.Params))
		for j := range t.Params {
			fp, pf := &t.Params[j], &fit.Params[j]
			z := agents.NormalQuantile(st.Float64(agents.PurposeChainStart, uint32(j), 2))
			x := pf.Value + 0.5*pf.SE*z
			if fp.Log && pf.Value > 0 {
				x = pf.Value * math.Exp(0.5*pf.SE/pf.Value*z)
			}
			eps := 1e-3 * (fp.Max - fp.Min)
			out[c][j] = math.Min(fp.Max-eps, math.Max(fp.Min+eps, x))
		}
	}
	return out
}

// PosteriorFile is the posterior sample's file name beside fit.json: a
// "chain" column and one column per free parameter (its path), one row per
// kept draw. An experiment's [uncertainty] posterior reads it.
const PosteriorFile = "posterior.csv"

// WriteTable prints the posterior: each parameter's mean, sd, central 80%
// interval, ESS, R-hat and contraction, flagged when poorly identified;
// then each target's predictive check; then the chains' acceptance rates.
func (r *PosteriorReport) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tmean\tsd\t80% interval\tESS\tR-hat\tcontraction\tprior")
	for i, p := range r.Params {
		flag := ""
		if p.PoorlyIdentified {
			flag = "  poorly identified (posterior ≈ prior)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t[%s, %s]\t%.0f\t%.3f\t%.2f\t%s%s\n", p.Name, fmtNum(p.Mean), fmtNum(p.SD),
			fmtNum(p.Q10), fmtNum(p.Q90), p.ESS, p.RHat, p.Contraction, r.Priors[i], flag)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "target\tobserved\t±sd\tpredictive 80%\tPIT")
	for _, c := range r.Predictive {
		fmt.Fprintf(tw, "%s\t%s\t%s\t[%s, %s]\t%.2f\n", c.Name, fmtNum(c.Observed), fmtNum(c.SD), fmtNum(c.Q10), fmtNum(c.Q90), c.PIT)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	acc := make([]string, len(r.Acceptance))
	for i, a := range r.Acceptance {
		acc[i] = fmt.Sprintf("%.2f", a)
	}
	if _, err := fmt.Fprintf(w, "\nposterior: %d chains × %d draws (after %d warm-up), %d runs × %d buyers an evaluation, acceptance %s, %d evaluations, %.0fs\n",
		r.Chains, r.Iterations, r.Warmup, r.Runs, r.Agents, strings.Join(acc, " "), r.Evaluations, r.Seconds); err != nil {
		return err
	}
	if bad := r.Unmixed; len(bad) > 0 {
		_, err := fmt.Fprintf(w, "warning: the chains have not mixed for %s (R-hat above %.2f or ESS below %d): the sample is not yet the posterior; sample longer: the same command with --draws %d (the shipped posterior, at the full settings, needed 16000)\n",
			strings.Join(bad, ", "), MaxRHat, MinESS, suggestDraws(r.Iterations, len(r.Names), r.Chains))
		return err
	}
	return nil
}

// laplaceCovU returns (AᵀA + I)⁻¹, the Laplace approximation of the
// parameters' covariance in their positions u in [0, 1] from the weighted
// Jacobian A of the point targets (paramSE's matrix), or nil if singular.
func laplaceCovU(a *mat.Dense, nP int) *mat.SymDense {
	var h mat.SymDense
	h.SymOuterK(1, a.T())
	for j := 0; j < nP; j++ {
		h.SetSym(j, j, h.At(j, j)+1)
	}
	var ch mat.Cholesky
	if !ch.Factorize(&h) {
		return nil
	}
	inv := mat.NewSymDense(nP, nil)
	if err := ch.InverseTo(inv); err != nil {
		return nil
	}
	return inv
}

// laplaceCov returns the fit's Laplace covariance on the posterior
// sampler's scale (log x for log-scale parameters, else x): the
// u-covariance scaled by each parameter's (log) range. nil without one.
func (r *Result) laplaceCov(t *Targets) [][]float64 {
	if r.covU == nil {
		return nil
	}
	n := len(t.Params)
	scale := make([]float64, n)
	for j := range t.Params {
		fp := &t.Params[j]
		scale[j] = fp.Max - fp.Min
		if fp.Log {
			scale[j] = detmath.Log(fp.Max) - detmath.Log(fp.Min)
		}
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
		for k := range out[i] {
			out[i][k] = scale[i] * scale[k] * r.covU.At(i, k)
		}
	}
	return out
}

// suggestDraws is the --draws the unmixed warning suggests after a sample
// of iterations kept draws in each of chains chains of params parameters:
// four times as many (split R-hat's drift halves with each doubling, about),
// within what --draws takes (MostDraws). It does not jump to the 16,000 the
// shipped posterior needed: a --quick sample's model is another.
func suggestDraws(iterations, params, chains int) int {
	return min(MostDraws(params, chains), 4*iterations)
}

// csvValueBytes bounds the bytes of one value of posterior.csv: a comma
// and a float64 in its shortest form (at most 24 characters, as
// -1.2345678901234567e-300).
const csvValueBytes = 25

// MostDraws is the most kept draws a chain that calibrate --posterior
// takes for chains chains of params parameters: MaxDraws, or fewer where
// posterior.csv (chains × draws rows of a chain number and params values)
// could be larger than the experiments.MaxPosteriorBytes that coopsim plot
// and an experiment's [uncertainty] read back.
func MostDraws(params, chains int) int {
	row := 4 + csvValueBytes*params // the chain's number, the values, a newline
	return min(MaxDraws, experiments.MaxPosteriorBytes/(max(chains, 1)*row))
}

// MaxDraws is the most kept draws a chain calibrate --draws takes: about
// 80 minutes on two cores, and a posterior.csv of 4 chains of up to 16
// parameters within the 64 MiB that its readers take (coopsim checks the
// file's size for more parameters).
const MaxDraws = 40_000

// The mixing thresholds of the posterior's warning: split R-hat at most
// MaxRHat and ESS at least MinESS for every parameter (Vehtari et al.
// 2021 recommend R-hat below 1.01 and a bulk ESS of 400 for final
// results; these looser bounds flag a sample that is plainly unusable).
const (
	MaxRHat = 1.1
	MinESS  = 100
)

// unmixed returns the parameters whose chains have not mixed.
func (r *PosteriorReport) unmixed() []string {
	var out []string
	for _, p := range r.Params {
		if !(p.RHat <= MaxRHat) || !(p.ESS >= MinESS) {
			out = append(out, p.Name)
		}
	}
	return out
}

// PriorDist returns the parameter's prior: its [param].prior, or the default
// (see priorOf).
func (p *FreeParam) PriorDist() posterior.Prior { return p.priorOf() }
