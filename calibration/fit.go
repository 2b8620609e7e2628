package calibration

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"

	"gonum.org/v1/gonum/optimize"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/market"
)

// Options are the settings of a fit. The zero value means the defaults
// documented on each field; QuickOptions returns a fast setting for tests.
type Options struct {
	// Seed is the master seed of the run keys (0: the targets' seed).
	Seed uint64
	// Runs is the number of runs per evaluation (0: the targets' runs).
	Runs int
	// Agents overrides buyers.agents during the fit (0: the base market's).
	// The fitted parameters are written for the base market's agents.
	Agents int
	// Starts is the number of Nelder–Mead starts (0: 3). The first start is
	// the base market's values (clamped into the bounds); the others are
	// spread over the bounds by a Halton sequence shifted at random by the
	// seed.
	Starts int
	// MaxEvals caps each start's objective evaluations (0: 500). A final
	// restart from the best point gets as many.
	MaxEvals int
	// Workers is the number of goroutines per evaluation (0: GOMAXPROCS).
	Workers int
	// Step is the half-width of the finite differences of the Jacobian, as
	// a fraction of each parameter's (log) range (0: 0.02).
	Step float64
	// Regime is the regime the moments are simulated under (nil: the
	// targets' built-in regime). Scenario gives an experiment scenario's.
	Regime *market.Regime
}

// QuickOptions returns options for a fast, rough fit: 8 runs of 2,000
// buyers, one start and 150 evaluations (tests and --quick).
func QuickOptions() Options {
	return Options{Runs: 8, Agents: 2_000, Starts: 1, MaxEvals: 150}
}

func (o Options) withDefaults(t *Targets) Options {
	if o.Seed == 0 {
		o.Seed = t.Seed
	}
	if o.Runs == 0 {
		o.Runs = t.Runs
	}
	if o.Starts == 0 {
		o.Starts = 3
	}
	if o.MaxEvals == 0 {
		o.MaxEvals = 500
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Step == 0 {
		o.Step = 0.02
	}
	return o
}

// TotalEvaluations returns the most objective evaluations a fit with these
// options may make: the unit of Fit's progress reports.
func (o Options) TotalEvaluations(t *Targets) int {
	o = o.withDefaults(t)
	return (o.Starts+1)*o.MaxEvals + 2*len(t.Params) + 1
}

// problem is the objective in the optimizer's unbounded coordinates x:
// each parameter's position u = logistic(x) in [0, 1] along its (log) range.
type problem struct {
	base    market.Config
	targets *Targets
	sim     *simulator
	ctx     context.Context
	evals   int
	onEval  func()
	err     error
	cfg     market.Config
}

// value maps u in [0, 1] to parameter j's value.
func (p *problem) value(j int, u float64) float64 {
	fp := &p.targets.Params[j]
	u = math.Min(1, math.Max(0, u))
	if fp.Log {
		return detmath.Exp(detmath.Log(fp.Min) + u*(detmath.Log(fp.Max)-detmath.Log(fp.Min)))
	}
	return fp.Min + u*(fp.Max-fp.Min)
}

// position maps parameter j's value to u in [0, 1] (clamped).
func (p *problem) position(j int, v float64) float64 {
	fp := &p.targets.Params[j]
	var u float64
	if fp.Log {
		u = (detmath.Log(math.Max(v, fp.Min)) - detmath.Log(fp.Min)) / (detmath.Log(fp.Max) - detmath.Log(fp.Min))
	} else {
		u = (v - fp.Min) / (fp.Max - fp.Min)
	}
	return math.Min(1, math.Max(0, u))
}

func logistic(x float64) float64 { return 1 / (1 + detmath.Exp(-x)) }

func logit(u float64) float64 {
	u = math.Min(1-1e-6, math.Max(1e-6, u))
	return detmath.Log(u / (1 - u))
}

// config returns the base market with the parameters at positions u.
func (p *problem) config(u []float64) (*market.Config, error) {
	p.cfg = p.base
	for j := range p.targets.Params {
		if err := p.targets.Params[j].param.Set(&p.cfg, p.value(j, u[j])); err != nil {
			return nil, fmt.Errorf("calibration: %w", err)
		}
	}
	if err := p.cfg.Validate(); err != nil {
		return nil, fmt.Errorf("calibration: parameters give an invalid market: %w", err)
	}
	return &p.cfg, nil
}

// momentsAt simulates the moments at positions u.
func (p *problem) momentsAt(u []float64) (mean, se []float64, err error) {
	cfg, err := p.config(u)
	if err != nil {
		return nil, nil, err
	}
	p.evals++
	if p.onEval != nil {
		p.onEval()
	}
	return p.sim.moments(p.ctx, cfg)
}

// objective is the weighted sum of squared deviations: ((sim−value)/sd)²
// for point targets, and for inequalities the squared shortfall over sd
// when the bound is missed (zero otherwise). Check targets do not count.
func objective(t *Targets, mean []float64) float64 {
	f := 0.0
	for i := range t.Targets {
		if t.Targets[i].Check {
			continue
		}
		d := deviation(&t.Targets[i], mean[i])
		f += d * d
	}
	return f
}

// deviation is a target's signed deviation in units of its sd; zero for
// an inequality that holds.
func deviation(t *Target, sim float64) float64 {
	d := (sim - t.Value) / t.SD
	switch t.Relation {
	case RelAtLeast:
		return math.Min(0, d)
	case RelAtMost:
		return math.Max(0, d)
	}
	return d
}

// Func is the optimizer's objective at x. A failed simulation stops the
// fit: it records the error and returns +Inf, and the recorder ends the
// optimization.
func (p *problem) Func(x []float64) float64 {
	if p.err != nil {
		return math.Inf(1)
	}
	u := make([]float64, len(x))
	for j := range x {
		u[j] = logistic(x[j])
	}
	mean, _, err := p.momentsAt(u)
	if err != nil {
		p.err = err
		return math.Inf(1)
	}
	f := objective(p.targets, mean)
	if math.IsNaN(f) {
		return math.Inf(1)
	}
	return f
}

// stopper is an optimize.Recorder that ends a start when the fit failed or
// was cancelled.
type stopper struct{ p *problem }

func (s stopper) Init() error { return nil }

func (s stopper) Record(*optimize.Location, optimize.Operation, *optimize.Stats) error {
	if s.p.err != nil {
		return s.p.err
	}
	if err := s.p.ctx.Err(); err != nil {
		return fmt.Errorf("calibration: %w", err)
	}
	return nil
}

// Fit fits t's free parameters of the market base to t's targets. base
// must be valid; its End is moved to the last target's month for the fit.
// progress, if not nil, is called after each evaluation with the
// evaluations done and the most there can be (Options.TotalEvaluations);
// done reaches total when Fit returns successfully. Fit returns an error
// for invalid input, a failed simulation or a cancelled ctx; a poor fit is
// not an error but a warning on the result.
func Fit(ctx context.Context, base market.Config, t *Targets, opt Options, progress func(done, total int)) (*Result, error) {
	began := time.Now()
	f, err := newFit(ctx, base, t, opt, progress)
	if err != nil {
		return nil, err
	}
	if err := f.search(); err != nil {
		return nil, err
	}
	// Report at the best point: moments, Jacobian, identification.
	u := make([]float64, len(t.Params))
	for j := range u {
		u[j] = logistic(f.bestX[j])
	}
	res := f.res
	if err := res.report(f.p, u, f.opt.Step); err != nil {
		return nil, err
	}
	res.Agents = f.agentsOut
	res.Evaluations = f.p.evals
	res.Seconds = time.Since(began).Seconds()
	if progress != nil {
		progress(f.total, f.total)
	}
	return res, nil
}

// fit is a fit in progress: the problem, the options, the progress count
// and the best point so far.
type fit struct {
	ctx       context.Context
	p         *problem
	opt       Options
	res       *Result
	agentsOut int // buyers.agents of the base market, written to fitted.toml
	total     int
	done      int
	progress  func(done, total int)
	bestF     float64
	bestX     []float64
}

// newFit checks the input and sets up the problem and its simulator.
func newFit(ctx context.Context, base market.Config, t *Targets, opt Options, progress func(done, total int)) (*fit, error) {
	if t == nil {
		return nil, errors.New("calibration: no targets")
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("calibration: %w", err)
	}
	opt = opt.withDefaults(t)
	if opt.Runs < 2 {
		return nil, fmt.Errorf("calibration: runs = %d, want at least 2", opt.Runs)
	}
	if err := base.Validate(); err != nil {
		return nil, fmt.Errorf("calibration: base market: %w", err)
	}
	for i := range t.Targets {
		if t.Targets[i].Date < base.Start {
			return nil, fmt.Errorf("calibration: target %q at %s is before the market's start %s", t.Targets[i].Name, t.Targets[i].Date, base.Start)
		}
	}
	reg := opt.Regime
	if reg == nil {
		r, err := market.BuiltinRegime(t.Regime)
		if err != nil {
			return nil, fmt.Errorf("calibration: %w", err)
		}
		reg = r
	}
	f := &fit{ctx: ctx, opt: opt, agentsOut: base.Buyers.Agents, total: opt.TotalEvaluations(t), progress: progress, bestF: math.Inf(1)}
	base.End = t.lastDate()
	if opt.Agents > 0 {
		base.Buyers.Agents = opt.Agents
	}
	sim, err := newSimulator(&base, reg, t, opt.Seed, opt.Runs, opt.Workers)
	if err != nil {
		return nil, err
	}
	f.p = &problem{base: base, targets: t, sim: sim, ctx: ctx}
	f.p.onEval = func() {
		f.done++
		if f.progress != nil {
			f.progress(min(f.done, f.total), f.total)
		}
	}
	f.res = &Result{Seed: opt.Seed, Runs: opt.Runs, Agents: base.Buyers.Agents, FitAgents: base.Buyers.Agents,
		Regime: reg.Name, Start: base.Start, End: base.End, TargetsSource: t.source}
	return f, nil
}

// search runs the starts (the base market's values, then Halton points)
// and a polish from the best.
func (f *fit) search() error {
	t := f.p.targets
	nP := len(t.Params)
	startU := make([]float64, nP)
	for j := range t.Params {
		startU[j] = f.p.position(j, t.Params[j].param.Get(&f.p.base))
	}
	for s := 0; s < f.opt.Starts; s++ {
		x0 := make([]float64, nP)
		for j := range x0 {
			u := startU[j]
			if s > 0 {
				u = 0.1 + 0.8*halton(s, j, f.opt.Seed)
			}
			x0[j] = logit(math.Min(0.95, math.Max(0.05, u)))
		}
		if err := f.start(fmt.Sprintf("start %d", s+1), x0, 1.0); err != nil {
			return err
		}
	}
	return f.start(polishLabel, f.bestX, 0.25)
}

// polishLabel labels the last start, a restart from the best point.
const polishLabel = "polish"

// start runs Nelder–Mead from x0 and records the start.
func (f *fit) start(label string, x0 []float64, simplex float64) error {
	p := f.p
	before := p.evals
	settings := &optimize.Settings{
		FuncEvaluations: f.opt.MaxEvals,
		Converger:       &optimize.FunctionConverge{Absolute: 1e-4, Relative: 1e-4, Iterations: 6 * len(x0)},
		Recorder:        stopper{p},
	}
	r, err := optimize.Minimize(optimize.Problem{Func: p.Func}, x0, settings, &optimize.NelderMead{SimplexSize: simplex})
	if p.err != nil {
		return p.err
	}
	if err != nil && r == nil {
		return fmt.Errorf("calibration: %s: %w", label, err)
	}
	if cerr := f.ctx.Err(); cerr != nil {
		return fmt.Errorf("calibration: %w", cerr)
	}
	sr := StartResult{Label: label, Objective: r.F, Evaluations: p.evals - before, Status: r.Status.String()}
	for j := range x0 {
		sr.From = append(sr.From, p.value(j, logistic(x0[j])))
		sr.To = append(sr.To, p.value(j, logistic(r.X[j])))
	}
	f.res.Starts = append(f.res.Starts, sr)
	if r.F < f.bestF {
		f.bestF, f.bestX = r.F, append([]float64(nil), r.X...)
	}
	// Keep the progress bar honest: a start that stops early hands its
	// unused evaluations on.
	f.done += f.opt.MaxEvals - (p.evals - before)
	return nil
}

// halton returns the s-th point's coordinate j of a Halton sequence in
// [0, 1), shifted modulo 1 by a uniform keyed by the seed (a randomly
// shifted Halton sequence: even coverage of the box from few starts). The
// shift has its own purpose, so it is no draw of the simulation.
func halton(s, j int, seed uint64) float64 {
	primes := [...]int{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53}
	b := primes[j%len(primes)]
	shift := agents.Key{Seed: seed}.Stream().Float64(agents.PurposeStartShift, uint32(j), 0)
	f, r := 1.0, 0.0
	for i := s; i > 0; i /= b {
		f /= float64(b)
		r += f * float64(i%b)
	}
	return math.Mod(r+shift, 1)
}
