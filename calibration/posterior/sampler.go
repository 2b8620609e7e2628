package posterior

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/coopsim/coopsim/agents"
)

// Options are the sampler's settings; the zero value of each field means
// the default its comment gives.
type Options struct {
	// Seed keys the runs {Seed, 0..Runs−1} of every likelihood evaluation
	// and the chains' random streams (0: 1).
	Seed uint64
	// Runs is the number of runs per likelihood evaluation (0: 16; at least 2).
	Runs int
	// Chains is the number of chains (0: 4; at least 2 for R-hat).
	Chains int
	// Warmup is the number of adapting iterations per chain, discarded (0: 500).
	Warmup int
	// Iterations is the number of kept iterations per chain (0: 1000).
	Iterations int
	// Thin keeps every Thin-th kept iteration (0: 1).
	Thin int
	// Workers is the number of goroutines per evaluation (0: GOMAXPROCS).
	Workers int
	// NoiseScale is c in the likelihood's variance sd² + c·σ̂² (0: 1).
	NoiseScale float64
	// Init, if set, gives each chain's starting point (natural scale),
	// one row per chain; by default chain c starts at prior quantiles
	// drawn uniformly in [0.2, 0.8] (overdispersed but not in the tails).
	Init [][]float64
	// Method is the algorithm (0: DEzs, the default).
	Method Method
	// ProposalCov, if set, is an estimate of the posterior covariance on
	// the sampler's scale (e.g. a point fit's Laplace approximation), a
	// d×d matrix; the initial proposal is it times 2.38²/d. By default the
	// proposal starts at a hundredth of the prior variances. Warm-up then
	// adapts it.
	ProposalCov [][]float64
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	def(&o.Runs, 16)
	def(&o.Chains, 4)
	def(&o.Warmup, 500)
	def(&o.Iterations, 1000)
	def(&o.Thin, 1)
	def(&o.Workers, runtime.GOMAXPROCS(0))
	if o.NoiseScale == 0 {
		o.NoiseScale = 1
	}
	return o
}

// Evaluations returns the likelihood evaluations a run of the sampler makes
// (the unit of Sample's progress).
func (o Options) Evaluations() int {
	o = o.withDefaults()
	return o.Chains * (o.Warmup + o.Iterations + 1)
}

func (o Options) validate(p *Problem) error {
	switch {
	case o.Runs < 2:
		return fmt.Errorf("posterior: runs = %d, want at least 2 (the likelihood needs a variance)", o.Runs)
	case o.Chains < 1 || o.Warmup < 0 || o.Iterations < 2 || o.Thin < 1:
		return fmt.Errorf("posterior: chains %d, warmup %d, iterations %d, thin %d: want chains ≥ 1, warmup ≥ 0, iterations ≥ 2, thin ≥ 1",
			o.Chains, o.Warmup, o.Iterations, o.Thin)
	case o.NoiseScale < 0:
		return fmt.Errorf("posterior: noise scale %g, want ≥ 0", o.NoiseScale)
	case o.ProposalCov != nil && len(o.ProposalCov) != len(p.Params):
		return fmt.Errorf("posterior: a %d-row proposal covariance for %d parameters", len(o.ProposalCov), len(p.Params))
	case o.Init != nil && len(o.Init) != o.Chains:
		return fmt.Errorf("posterior: %d starting points for %d chains", len(o.Init), o.Chains)
	}
	for c, x := range o.Init {
		if len(x) != len(p.Params) {
			return fmt.Errorf("posterior: chain %d's start has %d values, want %d", c, len(x), len(p.Params))
		}
	}
	return nil
}

// Sample draws from the posterior of prob's parameters. progress, if not
// nil, is called after each likelihood evaluation with the evaluations done
// and Options.Evaluations. Sample returns an error for invalid input, a
// failed simulation, a cancelled ctx, or a chain that finds no start with a
// finite likelihood.
func Sample(ctx context.Context, prob *Problem, opt Options, progress func(done, total int)) (*Result, error) {
	if err := prob.validate(); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	if err := opt.validate(prob); err != nil {
		return nil, err
	}
	ev := newEvaluator(prob, opt.Seed, opt.Runs, opt.Workers, opt.NoiseScale)
	priorMean, priorVar := prob.priorMoments()
	total := opt.Evaluations()
	tick := func() {
		if progress != nil {
			progress(min(ev.evals, total), total)
		}
	}
	res := &Result{Names: names(prob), PriorMean: priorMean, PriorVar: priorVar, log: logFlags(prob)}
	chains := make([]*chain, opt.Chains)
	for c := range chains {
		chains[c] = &chain{prob: prob, ev: ev, opt: opt, c: c, priorVar: priorVar, tick: tick}
		if err := chains[c].init(ctx); err != nil {
			return nil, err
		}
	}
	var err error
	if opt.Method == AdaptiveMetropolis {
		err = sampleAdaptive(ctx, chains)
	} else {
		err = sampleDEzs(ctx, chains, priorVar)
	}
	if err != nil {
		return nil, err
	}
	for _, ch := range chains {
		res.chains = append(res.chains, ch.kept)
		res.Acceptance = append(res.Acceptance, float64(ch.accepted)/float64(opt.Iterations))
	}
	res.Evaluations = ev.evals
	res.summarise()
	if progress != nil {
		progress(total, total)
	}
	return res, nil
}

// sampleAdaptive runs the chains of Sample by adaptive Metropolis, its
// warm-up in two stages: each chain adapts its own proposal over the first
// three quarters; then every chain takes the covariance of all chains'
// recent warm-up draws (which spans the posterior better than one chain's)
// and tunes only its scale over the last quarter.
func sampleAdaptive(ctx context.Context, chains []*chain) error {
	stageA := chains[0].opt.Warmup * 3 / 4
	for _, ch := range chains {
		if err := ch.warm(ctx, 0, stageA); err != nil {
			return err
		}
	}
	pooled := pooledProposal(chains)
	for _, ch := range chains {
		if pooled != nil {
			ch.chol, ch.scale, ch.fixedCov = *pooled, 0, true
			ch.chol.LTo(&ch.lower)
		}
		if err := ch.warm(ctx, stageA, ch.opt.Warmup); err != nil {
			return err
		}
		if err := ch.keep(ctx); err != nil {
			return err
		}
	}
	return nil
}

func names(p *Problem) []string {
	out := make([]string, len(p.Params))
	for j := range p.Params {
		out[j] = p.Params[j].Name
	}
	return out
}

func logFlags(p *Problem) []bool {
	out := make([]bool, len(p.Params))
	for j := range p.Params {
		out[j] = p.Params[j].Log
	}
	return out
}

// chain is one chain on the sampler's scale (its proposal fields serve
// adaptive Metropolis; DEzs proposes from the population's archive).
type chain struct {
	prob     *Problem
	ev       *evaluator
	opt      Options
	c        int
	priorVar []float64
	tick     func()
	rng      *rand.Rand

	w, x     []float64 // current state, sampler and natural scale
	lp       float64   // its log posterior
	chol     mat.Cholesky
	lower    mat.TriDense // the proposal covariance's Cholesky factor L
	scale    float64      // log of the proposal's scale factor λ
	fixedCov bool         // the proposal's covariance is pooled: adapt only its scale
	z, prop  []float64
	xProp    []float64
	history  [][]float64
	kept     [][]float64 // natural scale
	accepted int
}

// Ids of the sampler's streams under agents.PurposeSampler, in run c for
// chain c of the seed: the chain's moves and accept/reject draws, and the
// prior draws that seed the DE-MC archive.
const (
	streamMoves   = 0
	streamArchive = 1
)

// init seeds the chain's stream, finds its start and sets its first
// proposal (Options.ProposalCov × 2.38²/d, or a hundredth of the prior
// variances).
func (ch *chain) init(ctx context.Context) error {
	s1, s2 := agents.Key{Seed: ch.opt.Seed, Run: uint64(ch.c)}.Stream().Seeds(agents.PurposeSampler, streamMoves)
	ch.rng = rand.New(rand.NewPCG(s1, s2))
	if err := ch.start(ctx); err != nil {
		return err
	}
	d := len(ch.w)
	cov := mat.NewSymDense(d, nil)
	for j := 0; j < d; j++ {
		cov.SetSym(j, j, 0.01*ch.priorVar[j]+1e-12)
	}
	if pc := ch.opt.ProposalCov; pc != nil {
		given := mat.NewSymDense(d, nil)
		for i := 0; i < d; i++ {
			for k := 0; k <= i && k < len(pc[i]); k++ {
				given.SetSym(i, k, 2.38*2.38/float64(d)*pc[i][k])
			}
			given.SetSym(i, i, given.At(i, i)+1e-9*ch.priorVar[i]+1e-300)
		}
		var test mat.Cholesky
		if test.Factorize(given) {
			cov = given
		}
	}
	if !ch.chol.Factorize(cov) {
		return errors.New("posterior: a prior has no spread: give each parameter a prior with positive variance")
	}
	ch.chol.LTo(&ch.lower)
	return nil
}

// warm runs warm-up iterations [from, to), adapting the proposal.
func (ch *chain) warm(ctx context.Context, from, to int) error {
	for it := from; it < to; it++ {
		alpha, _, err := ch.step(ctx)
		if err != nil {
			return err
		}
		ch.history = append(ch.history, append([]float64(nil), ch.w...))
		if ch.fixedCov {
			ch.adapt(it-from, alpha) // a new proposal: the scale's steps start large again
		} else {
			ch.adapt(it, alpha)
		}
	}
	return nil
}

// keep runs the kept iterations with the proposal frozen.
func (ch *chain) keep(ctx context.Context) error {
	for it := 0; it < ch.opt.Iterations; it++ {
		_, acc, err := ch.step(ctx)
		if err != nil {
			return err
		}
		if acc {
			ch.accepted++
		}
		if it%ch.opt.Thin == 0 {
			ch.kept = append(ch.kept, append([]float64(nil), ch.x...))
		}
	}
	return nil
}

// pooledProposal returns the Cholesky factor of 2.38²/d times the
// covariance of every chain's second half of warm-up so far (plus the
// prior variances × 1e-6), or nil with one chain, too few draws or a
// singular matrix.
func pooledProposal(chains []*chain) *mat.Cholesky {
	if len(chains) < 2 {
		return nil
	}
	d := len(chains[0].w)
	var rows [][]float64
	for _, ch := range chains {
		rows = append(rows, ch.history[len(ch.history)/2:]...)
	}
	if len(rows) < 2*d+2 {
		return nil
	}
	data := mat.NewDense(len(rows), d, nil)
	for i, r := range rows {
		data.SetRow(i, r)
	}
	cov := mat.NewSymDense(d, nil)
	stat.CovarianceMatrix(cov, data, nil)
	for i := 0; i < d; i++ {
		for k := 0; k <= i; k++ {
			v := 2.38 * 2.38 / float64(d) * cov.At(i, k)
			if i == k {
				v += 1e-6*chains[0].priorVar[i] + 1e-300
			}
			cov.SetSym(i, k, v)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return nil
	}
	return &ch
}
