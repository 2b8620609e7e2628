package calibration

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/market"
)

// Result is a finished fit.
type Result struct {
	// Experiment names the experiment whose market was fitted (set by the
	// caller; figures redrawn from fit.json name it in their titles).
	Experiment string `json:"experiment,omitempty"`
	// Seed, Runs and Regime are the simulation settings of the moments;
	// Agents is buyers.agents of the base market (written to fitted.toml's
	// users), FitAgents the agents per run during the fit.
	Seed      uint64       `json:"seed"`
	Runs      int          `json:"runs"`
	Agents    int          `json:"agents"`
	FitAgents int          `json:"fit_agents"`
	Regime    string       `json:"regime"`
	Start     market.Month `json:"start"`
	End       market.Month `json:"end"`
	// TargetsSource is the targets file ("targets.toml (embedded)" for the
	// default). fit.json records a relative path relative to its own
	// directory (WriteFiles; ReadFiles turns it back).
	TargetsSource string `json:"targets_source"`
	// Objective is the weighted sum of squared deviations at the fit.
	Objective float64 `json:"objective"`
	// Targets are the targets against their simulated moments, in file order.
	Targets []MomentFit `json:"targets"`
	// Params are the fitted parameters, in file order.
	Params []ParamFit `json:"params"`
	// Starts are the optimizer's starts and the polish from the best.
	Starts []StartResult `json:"starts"`
	// Evaluations is the number of objective evaluations; Seconds the
	// fit's wall time.
	Evaluations int     `json:"evaluations"`
	Seconds     float64 `json:"seconds"`
	// Posterior is the posterior sample's report (Posterior, set by the
	// caller), or nil for a point fit only.
	Posterior *PosteriorReport `json:"posterior,omitempty"`
	// Warnings are non-fatal findings: targets missed, parameters the
	// targets do not pin down or at a bound, starts that disagree.
	Warnings []error `json:"-"`

	// covU is the Laplace covariance of the positions u (laplaceCovU),
	// the posterior sampler's first proposal.
	covU *mat.SymDense
}

// MomentFit is one target against its simulated moment.
type MomentFit struct {
	Target
	// Simulated is the mean moment over the runs at the fit, SE its
	// standard error (simulation noise only).
	Simulated float64 `json:"simulated"`
	SE        float64 `json:"se"`
	// Z is the deviation (Simulated − Value)/√(SD² + SE²); for an
	// inequality, zero when it holds.
	Z float64 `json:"z"`
	// Met says a point target is within 2 SD (and its simulation noise),
	// or an inequality holds to within half its SD (the fit's optimum lies
	// on a binding bound, on either side by simulation noise).
	Met bool `json:"met"`
}

// ParamFit is one fitted parameter.
type ParamFit struct {
	Path string  `json:"path"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Log  bool    `json:"log"`
	// Value is the fitted value; Initial the base market's.
	Value   float64 `json:"value"`
	Initial float64 `json:"initial"`
	// SE is the local standard error of the value implied by the point
	// targets' uncertainties: from the diagonal of (JᵀWJ + I)⁻¹, with J the
	// Jacobian of the moments to the parameter's position in its (log)
	// range, W = diag(1/(SD²+SE²)), and I a weak prior of one whole range,
	// scaled back to the parameter's units at the fitted value.
	SE float64 `json:"se"`
	// Pinned says the targets pin the parameter down: its standard error
	// spans less than a quarter of its (log) range.
	Pinned bool `json:"pinned"`
	// Sensitivity[i] is d z_i / d u: how many SDs target i moves when the
	// parameter moves across its whole (log) range, to first order.
	Sensitivity []float64 `json:"sensitivity"`
	// Elasticity[i] is d ln(moment i) / d ln(parameter) (0 where undefined).
	Elasticity []float64 `json:"elasticity"`
	// AtBound says the value is within 1% of its range of a bound.
	AtBound bool `json:"at_bound"`
}

// StartResult is one Nelder–Mead start.
type StartResult struct {
	Label       string    `json:"label"`
	From        []float64 `json:"from"`
	To          []float64 `json:"to"`
	Objective   float64   `json:"objective"`
	Evaluations int       `json:"evaluations"`
	Status      string    `json:"status"`
}

// Warning is a non-fatal finding of a fit. Subject names the target or
// parameter it is about.
type Warning struct {
	Subject string
	Message string
}

func (w *Warning) Error() string { return "calibration: " + w.Subject + ": " + w.Message }

// report fills the result at positions u: moments, Jacobian, standard
// errors and warnings.
func (r *Result) report(p *problem, u []float64, step float64) error {
	t := p.targets
	mean, se, err := p.momentsAt(u)
	if err != nil {
		return err
	}
	r.Objective = objective(t, mean)
	nT, nP := len(t.Targets), len(t.Params)
	r.Targets = make([]MomentFit, nT)
	for i := range t.Targets {
		tg := t.Targets[i]
		z := deviation(&tg, mean[i]) * tg.SD / math.Hypot(tg.SD, se[i])
		met := math.Abs(z) <= 2
		if !tg.Numeric() {
			met = z >= -0.5 // an inequality's optimum lies on its bound: allow half its tolerance
		}
		r.Targets[i] = MomentFit{Target: tg, Simulated: mean[i], SE: se[i], Z: z, Met: met}
	}

	// Central differences in u, step h of the range, kept inside [0, 1].
	jac := mat.NewDense(nT, nP, nil) // d moment / d u
	for j := 0; j < nP; j++ {
		lo, hi := math.Max(0, u[j]-step), math.Min(1, u[j]+step)
		ul := append([]float64(nil), u...)
		uh := append([]float64(nil), u...)
		ul[j], uh[j] = lo, hi
		ml, _, err := p.momentsAt(ul)
		if err != nil {
			return err
		}
		mh, _, err := p.momentsAt(uh)
		if err != nil {
			return err
		}
		for i := 0; i < nT; i++ {
			jac.Set(i, j, (mh[i]-ml[i])/(hi-lo))
		}
	}

	// Identification from the point targets: H = Jᵀ W J in u-space.
	var rows []int
	for i := range t.Targets {
		if t.Targets[i].Numeric() {
			rows = append(rows, i)
		}
	}
	wj := mat.NewDense(max(1, len(rows)), nP, nil)
	for k, i := range rows {
		if t.Targets[i].Check {
			continue // a zero row: checks do not identify
		}
		w := 1 / math.Hypot(t.Targets[i].SD, se[i])
		for j := 0; j < nP; j++ {
			wj.Set(k, j, jac.At(i, j)*w)
		}
	}
	seU := paramSE(wj, nP)
	r.covU = laplaceCovU(wj, nP)

	r.Params = make([]ParamFit, nP)
	for j := range t.Params {
		fp := &t.Params[j]
		v := p.value(j, u[j])
		pf := ParamFit{Path: fp.Path, Min: fp.Min, Max: fp.Max, Log: fp.Log, Value: v,
			Initial: fp.param.Get(&p.base), Pinned: seU[j] < 0.25,
			AtBound: u[j] < 0.01 || u[j] > 0.99}
		// dθ/du: the range, times θ on a log scale.
		dv := fp.Max - fp.Min
		if fp.Log {
			dv = v * (detmath.Log(fp.Max) - detmath.Log(fp.Min))
		}
		pf.SE = seU[j] * dv
		pf.Sensitivity = make([]float64, nT)
		pf.Elasticity = make([]float64, nT)
		for i := range t.Targets {
			d := jac.At(i, j)
			pf.Sensitivity[i] = d / t.Targets[i].SD
			if mean[i] != 0 && v != 0 {
				pf.Elasticity[i] = d / dv * v / mean[i]
			}
		}
		r.Params[j] = pf
	}
	r.warn(t)
	return nil
}

// paramSE returns the local standard errors √diag((AᵀA + I)⁻¹) of the
// parameters' positions u in [0, 1], for the weighted Jacobian A (rows:
// point targets, in units of their uncertainty; columns: d/du). The
// identity is a weak prior, one standard deviation across the whole range,
// so that a direction the targets do not see gives a standard error near 1
// (not pinned down) rather than a singular matrix.
func paramSE(a *mat.Dense, nP int) []float64 {
	var h mat.SymDense
	h.SymOuterK(1, a.T())
	for j := 0; j < nP; j++ {
		h.SetSym(j, j, h.At(j, j)+1)
	}
	out := make([]float64, nP)
	var ch mat.Cholesky
	if !ch.Factorize(&h) {
		for j := range out {
			out[j] = 1
		}
		return out
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		for j := range out {
			out[j] = 1
		}
		return out
	}
	for j := range out {
		out[j] = math.Sqrt(inv.At(j, j))
	}
	return out
}

// warn lists the fit's non-fatal findings.
func (r *Result) warn(t *Targets) {
	r.Warnings = nil
	for _, m := range r.Targets {
		if m.Met {
			continue
		}
		if m.Check {
			r.Warnings = append(r.Warnings, &Warning{m.Name, fmt.Sprintf("check (not fitted): simulated %.4g, figure %.4g ± %.3g (z = %.1f): the model cannot reach it with the others (see its source)", m.Simulated, m.Value, m.SD, m.Z)})
			continue
		}
		if m.Numeric() {
			r.Warnings = append(r.Warnings, &Warning{m.Name, fmt.Sprintf("simulated %.4g, target %.4g ± %.3g (z = %.1f): outside two uncertainties", m.Simulated, m.Value, m.SD, m.Z)})
		} else {
			r.Warnings = append(r.Warnings, &Warning{m.Name, fmt.Sprintf("simulated %.4g, want %s %.4g: the inequality fails", m.Simulated, m.Relation, m.Value)})
		}
	}
	for _, p := range r.Params {
		if !p.Pinned {
			r.Warnings = append(r.Warnings, &Warning{p.Path, "the targets do not pin it down (local standard error over a quarter of its range): its value is a choice, not a finding"})
		}
		if p.AtBound {
			r.Warnings = append(r.Warnings, &Warning{p.Path, fmt.Sprintf("fitted at a bound (%.4g in [%g, %g]): widen the bound or question the model", p.Value, p.Min, p.Max)})
		}
	}
	r.warnStarts()
	ndf := 0
	for _, m := range r.Targets {
		if !m.Check {
			ndf++
		}
	}
	if r.Objective > 4*float64(ndf) {
		r.Warnings = append(r.Warnings, &Warning{"objective", fmt.Sprintf("%.3g over %d fitted targets: a poor fit", r.Objective, ndf)})
	}
}

// warnStarts warns when the starts (the polish from the best of them
// aside) end far apart: the objective has several local minima. One start
// has nothing to disagree with.
func (r *Result) warnStarts() {
	var starts []StartResult
	for _, s := range r.Starts {
		if s.Label != polishLabel {
			starts = append(starts, s)
		}
	}
	if len(starts) < 2 {
		return
	}
	best := math.Inf(1)
	for _, s := range starts {
		best = math.Min(best, s.Objective)
	}
	far := 0
	for _, s := range starts {
		if s.Objective > best+1+0.1*best {
			far++
		}
	}
	if far > 0 {
		r.Warnings = append(r.Warnings, &Warning{"optimizer", fmt.Sprintf("%d of %d starts ended well above the best start's objective %.3g: the objective has several local minima", far, len(starts), best)})
	}
}

// Met reports whether every fitted target is met (checks aside).
func (r *Result) Met() bool {
	for _, m := range r.Targets {
		if !m.Met && !m.Check {
			return false
		}
	}
	return true
}

// Values returns the fitted values by parameter path.
func (r *Result) Values() map[string]float64 {
	out := make(map[string]float64, len(r.Params))
	for _, p := range r.Params {
		out[p.Path] = p.Value
	}
	return out
}

// Apply sets the fitted parameters in cfg.
func (r *Result) Apply(cfg *market.Config) error {
	for _, p := range r.Params {
		if err := market.SetParam(cfg, p.Path, p.Value); err != nil {
			return fmt.Errorf("calibration: %w", err)
		}
	}
	return nil
}
