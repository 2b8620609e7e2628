package posterior

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/coopsim/coopsim/agents/detmath"
)

// logPost returns the log posterior at w (sampler scale) with x its
// natural-scale image; the simulator is not called where the prior is zero.
func (ch *chain) logPost(ctx context.Context, w, x []float64) (float64, error) {
	for j := range w {
		x[j] = ch.prob.toNatural(j, w[j])
	}
	lp := ch.prob.logPrior(w, x)
	if math.IsInf(lp, -1) || math.IsNaN(lp) {
		return math.Inf(-1), nil
	}
	ll, err := ch.ev.logLik(ctx, x)
	ch.tick()
	if err != nil {
		return 0, err
	}
	return lp + ll, nil
}

// start sets the chain's first state: Options.Init's row, or the first of
// up to 100 prior draws with a finite posterior.
func (ch *chain) start(ctx context.Context) error {
	d := len(ch.prob.Params)
	ch.w, ch.x = make([]float64, d), make([]float64, d)
	ch.z, ch.prop, ch.xProp = make([]float64, d), make([]float64, d), make([]float64, d)
	for attempt := 0; attempt < 100; attempt++ {
		for j := range ch.w {
			x := 0.0
			if ch.opt.Init != nil {
				x = ch.opt.Init[ch.c][j]
			} else {
				x = ch.prob.Params[j].Prior.Quantile(0.2 + 0.6*ch.rng.Float64())
			}
			ch.w[j] = ch.prob.toWork(j, x)
		}
		lp, err := ch.logPost(ctx, ch.w, ch.x)
		if err != nil {
			return err
		}
		if !math.IsInf(lp, -1) {
			ch.lp = lp
			return nil
		}
		if ch.opt.Init != nil {
			return fmt.Errorf("posterior: chain %d's starting point %v has zero posterior density (outside the prior, or a moment is not finite)", ch.c, ch.opt.Init[ch.c])
		}
	}
	return fmt.Errorf("posterior: chain %d found no starting point with a finite likelihood in 100 prior draws: check the priors' ranges and the simulator", ch.c)
}

// step makes one Metropolis step; it returns the acceptance probability
// and whether the proposal was accepted.
func (ch *chain) step(ctx context.Context) (float64, bool, error) {
	d := len(ch.w)
	for j := range ch.z {
		ch.z[j] = ch.rng.NormFloat64()
	}
	sd := detmath.Exp(ch.scale / 2)
	for i := 0; i < d; i++ {
		s := 0.0
		for k := 0; k <= i; k++ {
			s += ch.lower.At(i, k) * ch.z[k]
		}
		ch.prop[i] = ch.w[i] + sd*s
	}
	return ch.accept(ctx)
}

// adapt tunes the proposal after warm-up iteration it: the scale moves
// toward the 0.234 acceptance rate by Robbins–Monro steps (it+1)^−0.6, and
// every 50 iterations from the 100th the covariance becomes 2.38²/d times
// the sample covariance of the second half of the warm-up so far, the
// prior variance × 1e-6 added to keep it positive definite.
func (ch *chain) adapt(it int, alpha float64) {
	ch.scale += detmath.Pow(float64(it+1), -0.6) * (alpha - 0.234)
	ch.scale = math.Max(-30, math.Min(10, ch.scale))
	if ch.fixedCov || it < 99 || (it+1)%50 != 0 {
		return
	}
	d := len(ch.w)
	half := ch.history[len(ch.history)/2:]
	data := mat.NewDense(len(half), d, nil)
	for i, row := range half {
		data.SetRow(i, row)
	}
	cov := mat.NewSymDense(d, nil)
	stat.CovarianceMatrix(cov, data, nil)
	f := 2.38 * 2.38 / float64(d)
	for i := 0; i < d; i++ {
		for k := 0; k <= i; k++ {
			v := f * cov.At(i, k)
			if i == k {
				v += 1e-6*ch.priorVar[i] + 1e-300
			}
			cov.SetSym(i, k, v)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(cov) {
		return // keep the old proposal
	}
	ch.chol = chol
	ch.chol.LTo(&ch.lower)
	ch.scale = 0
}
