package posterior

import (
	"context"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// Method is the sampler's algorithm.
type Method uint8

// The methods.
const (
	// DEzs is differential-evolution MCMC with sampling from the past
	// (ter Braak & Vrugt 2008), the default: see the package doc.
	DEzs Method = iota
	// AdaptiveMetropolis is adaptive random-walk Metropolis (Haario et
	// al. 2001) in independent chains with a pooled covariance at the end
	// of warm-up.
	AdaptiveMetropolis
)

// String names the method as fit.json reports it.
func (m Method) String() string {
	if m == AdaptiveMetropolis {
		return "adaptive random-walk Metropolis"
	}
	return "differential-evolution MCMC from the past (DEzs)"
}

// demc is the DEzs population: the chains and the archive Z of past
// states on the sampler's scale their proposals difference.
type demc struct {
	chains  []*chain
	archive [][]float64
	window  int // proposals pick from archive[window:]
	jitter  []float64
	gamma   float64
}

// sampleDEzs runs the chains of Sample by DEzs: chain c proposes
// w + γ·(z_a − z_b) + e with z_a ≠ z_b drawn uniformly from the archive,
// γ = 2.38/√(2d) (1 every tenth iteration, to jump between modes) and e a
// small normal jitter, and accepts by the Metropolis rule. During warm-up
// the archive holds 10·d prior draws and then every chain's states, and
// proposals take differences from its recent half; at the end of warm-up
// the archive is frozen to every chain's second half of warm-up, so the
// kept iterations are an ordinary Metropolis chain with a fixed symmetric
// proposal.
func sampleDEzs(ctx context.Context, chains []*chain, priorVar []float64) error {
	d := len(priorVar)
	p := &demc{chains: chains, gamma: 2.38 / math.Sqrt(2*float64(d)), jitter: make([]float64, d)}
	for j := range p.jitter {
		p.jitter[j] = 1e-3 * math.Sqrt(priorVar[j])
	}
	p.seedArchive(chains, priorVar)
	for _, ch := range chains {
		p.archive = append(p.archive, append([]float64(nil), ch.w...))
	}
	opt := chains[0].opt
	warmStart := len(p.archive)
	for it := 0; it < opt.Warmup; it++ {
		if it == opt.Warmup/2 {
			warmStart = len(p.archive)
		}
		p.window = len(p.archive) / 2
		for _, ch := range chains {
			if _, _, err := p.step(ctx, ch, it); err != nil {
				return err
			}
		}
		for _, ch := range chains {
			p.archive = append(p.archive, append([]float64(nil), ch.w...))
		}
	}
	if n := len(p.archive) - warmStart; n >= 2*d+2 {
		p.archive = p.archive[warmStart:]
	}
	p.window = 0
	for it := 0; it < opt.Iterations; it++ {
		for _, ch := range chains {
			_, acc, err := p.step(ctx, ch, it)
			if err != nil {
				return err
			}
			if acc {
				ch.accepted++
			}
			if it%opt.Thin == 0 {
				ch.kept = append(ch.kept, append([]float64(nil), ch.x...))
			}
		}
	}
	return nil
}

// seedArchive fills the archive with 10·d states: prior draws (ter Braak
// & Vrugt 2008), or, given Options.ProposalCov (a point fit's Laplace
// covariance), the chains' starts plus draws from that normal, whose
// differences then follow the ridges from the first iteration.
func (p *demc) seedArchive(chains []*chain, priorVar []float64) {
	d := len(priorVar)
	opt, prob := chains[0].opt, chains[0].prob
	s1, s2 := agents.Key{Seed: opt.Seed}.Stream().Seeds(agents.PurposeSampler, streamArchive)
	rng := rand.New(rand.NewPCG(s1, s2))
	var lower *mat.TriDense
	if pc := opt.ProposalCov; pc != nil {
		cov := mat.NewSymDense(d, nil)
		for i := 0; i < d; i++ {
			for k := 0; k <= i && k < len(pc[i]); k++ {
				cov.SetSym(i, k, pc[i][k])
			}
			cov.SetSym(i, i, cov.At(i, i)+1e-9*priorVar[i]+1e-300)
		}
		var chol mat.Cholesky
		if chol.Factorize(cov) {
			lower = new(mat.TriDense)
			chol.LTo(lower)
		}
	}
	z := make([]float64, d)
	for i := 0; i < 10*d; i++ {
		w := make([]float64, d)
		for j := range w {
			z[j] = rng.NormFloat64()
			if lower == nil {
				w[j] = prob.toWork(j, prob.Params[j].Prior.Quantile(0.001+0.998*rng.Float64()))
			}
		}
		if lower != nil {
			centre := chains[i%len(chains)].w
			for j := range w {
				s := 0.0
				for k := 0; k <= j; k++ {
					s += lower.At(j, k) * z[k]
				}
				w[j] = centre[j] + s
			}
		}
		p.archive = append(p.archive, w)
	}
}

// step makes one DEzs move of ch at iteration it.
func (p *demc) step(ctx context.Context, ch *chain, it int) (float64, bool, error) {
	n := len(p.archive) - p.window
	a := p.window + ch.rng.IntN(n)
	b := p.window + ch.rng.IntN(n-1)
	if b >= a {
		b++
	}
	g := p.gamma
	if it%10 == 9 {
		g = 1
	}
	for j := range ch.w {
		ch.prop[j] = ch.w[j] + g*(p.archive[a][j]-p.archive[b][j]) + p.jitter[j]*ch.rng.NormFloat64()
	}
	return ch.accept(ctx)
}

// accept evaluates ch.prop and accepts it by the Metropolis rule; it
// returns the acceptance probability and whether it was accepted.
func (ch *chain) accept(ctx context.Context) (float64, bool, error) {
	lp, err := ch.logPost(ctx, ch.prop, ch.xProp)
	if err != nil {
		return 0, false, err
	}
	alpha := 0.0
	if !math.IsInf(lp, -1) {
		alpha = math.Min(1, detmath.Exp(lp-ch.lp))
	}
	if ch.rng.Float64() < alpha {
		copy(ch.w, ch.prop)
		copy(ch.x, ch.xProp)
		ch.lp = lp
		return alpha, true, nil
	}
	return alpha, false, nil
}
