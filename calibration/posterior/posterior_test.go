package posterior

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/coopsim/coopsim/agents"
)

// linear is a toy simulator whose moments are linear in the sampler-scale
// parameters w = (θ₀, log θ₁) plus normal run noise: m = A·w + s·ε. Under a
// normal prior on w the synthetic-likelihood posterior is normal in closed
// form (see exact). θ₂ moves nothing (a poorly identified parameter).
type linear struct {
	a     [][]float64 // [moment][2]
	noise float64
}

func (l linear) Simulate(theta []float64, key agents.Key, _ int, out []float64) error {
	w := []float64{theta[0], math.Log(theta[1])}
	st := key.Stream()
	for i, row := range l.a {
		out[i] = row[0]*w[0] + row[1]*w[1] + l.noise*agents.NormalQuantile(st.Float64(agents.PurposeOtherRevenue, uint32(i), 0))
	}
	return nil
}

func toyProblem(y []float64) *Problem {
	sim := linear{a: [][]float64{{1, 0}, {0, 1}, {1, 1}}, noise: 0.3}
	p := &Problem{Sim: PerRun(sim),
		Params: []Param{
			{Name: "theta0", Prior: distuv.Normal{Mu: 0, Sigma: 2}},
			{Name: "theta1", Prior: distuv.LogNormal{Mu: 0, Sigma: 1}, Log: true},
			{Name: "idle", Prior: distuv.Uniform{Min: 0, Max: 1}},
		}}
	for i, v := range y {
		p.Targets = append(p.Targets, Target{Name: string(rune('a' + i)), Value: v, SD: 0.5})
	}
	return p
}

// exact returns the closed-form posterior of w = (θ₀, log θ₁) under the
// synthetic likelihood with the runs {seed, 0..R−1}: the runs' noise mean
// ε̄ shifts the observations and their variance ŝ² adds to sd²
// (NoiseScale 1), both computed from the same keys the sampler uses.
func exact(t *testing.T, p *Problem, seed uint64, runs int) (mean []float64, cov *mat.SymDense) {
	t.Helper()
	l := p.Sim.(perRun).s.(linear)
	k := len(p.Targets)
	rows := make([][]float64, runs)
	for r := range rows {
		rows[r] = make([]float64, k)
		if err := l.Simulate([]float64{0, 1, 0}, agents.Key{Seed: seed, Run: uint64(r)}, 0, rows[r]); err != nil {
			t.Fatal(err)
		}
	}
	prec := mat.NewDense(2, 2, []float64{1 / 4.0, 0, 0, 1})
	rhs := mat.NewVecDense(2, nil)
	for i := 0; i < k; i++ {
		m, v := meanVar(column(rows, i))
		vt := p.Targets[i].SD*p.Targets[i].SD + v
		for a := 0; a < 2; a++ {
			rhs.SetVec(a, rhs.AtVec(a)+l.a[i][a]*(p.Targets[i].Value-m)/vt)
			for b := 0; b < 2; b++ {
				prec.Set(a, b, prec.At(a, b)+l.a[i][a]*l.a[i][b]/vt)
			}
		}
	}
	var inv mat.Dense
	if err := inv.Inverse(prec); err != nil {
		t.Fatal(err)
	}
	var mu mat.VecDense
	mu.MulVec(&inv, rhs)
	cov = mat.NewSymDense(2, []float64{inv.At(0, 0), inv.At(0, 1), inv.At(1, 0), inv.At(1, 1)})
	return []float64{mu.AtVec(0), mu.AtVec(1)}, cov
}

func column(rows [][]float64, i int) []float64 {
	out := make([]float64, len(rows))
	for r := range rows {
		out[r] = rows[r][i]
	}
	return out
}

// The sampler recovers the closed-form posterior: each mean within 4 of
// its Monte Carlo standard errors sd/√ESS, each sd within 4·sd/√(2·ESS)
// (the standard error of a standard deviation from ESS normal draws), and
// the correlation within 4·(1−ρ²)/√ESS. The chains mix (R-hat < 1.05,
// acceptance 0.1 to 0.6) and the parameter that moves no moment is
// flagged as poorly identified while the others are not.
func TestRecoversClosedFormPosterior(t *testing.T) {
	p := toyProblem([]float64{1.3, 0.5, 2.4})
	opt := Options{Seed: 5, Runs: 16, Chains: 4, Warmup: 600, Iterations: 2500, Workers: 1}
	res, err := Sample(context.Background(), p, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	mean, cov := exact(t, p, opt.Seed, opt.Runs)
	for j := 0; j < 2; j++ {
		s := res.Params[j]
		work := flatten(res.column(j))
		m, v := meanVar(work)
		sd, wantSD := math.Sqrt(v), math.Sqrt(cov.At(j, j))
		if tol := 4 * wantSD / math.Sqrt(s.ESS); math.Abs(m-mean[j]) > tol {
			t.Errorf("%s: posterior mean %.4f, want %.4f ± %.4f (ESS %.0f)", s.Name, m, mean[j], tol, s.ESS)
		}
		if tol := 4 * wantSD / math.Sqrt(2*s.ESS); math.Abs(sd-wantSD) > tol {
			t.Errorf("%s: posterior sd %.4f, want %.4f ± %.4f", s.Name, sd, wantSD, tol)
		}
		if s.RHat > 1.05 || s.ESS < 300 {
			t.Errorf("%s: R-hat %.3f, ESS %.0f: the chains did not mix", s.Name, s.RHat, s.ESS)
		}
		if s.PoorlyIdentified {
			t.Errorf("%s flagged as poorly identified (contraction %.2f)", s.Name, s.Contraction)
		}
	}
	w0, w1 := flatten(res.column(0)), flatten(res.column(1))
	rho := correlation(w0, w1)
	wantRho := cov.At(0, 1) / math.Sqrt(cov.At(0, 0)*cov.At(1, 1))
	if tol := 4 * (1 - wantRho*wantRho) / math.Sqrt(math.Min(res.Params[0].ESS, res.Params[1].ESS)); math.Abs(rho-wantRho) > tol {
		t.Errorf("correlation %.3f, want %.3f ± %.3f", rho, wantRho, tol)
	}
	if !res.Params[2].PoorlyIdentified || res.PoorlyIdentified()[0] != "idle" {
		t.Errorf("idle parameter not flagged: contraction %.2f", res.Params[2].Contraction)
	}
	for c, a := range res.Acceptance {
		if a < 0.1 || a > 0.6 {
			t.Errorf("chain %d acceptance %.2f, want 0.1 to 0.6 (the adaptation targets 0.234)", c, a)
		}
	}
	if len(res.Draws()) != opt.Chains*opt.Iterations {
		t.Errorf("%d draws, want %d", len(res.Draws()), opt.Chains*opt.Iterations)
	}
}

func correlation(x, y []float64) float64 {
	mx, vx := meanVar(x)
	my, vy := meanVar(y)
	s := 0.0
	for i := range x {
		s += (x[i] - mx) * (y[i] - my)
	}
	return s / float64(len(x)-1) / math.Sqrt(vx*vy)
}

// The sample does not depend on the number of workers.
func TestWorkersInvariant(t *testing.T) {
	p := toyProblem([]float64{1.3, 0.5, 2.4})
	opt := Options{Seed: 2, Runs: 8, Chains: 2, Warmup: 60, Iterations: 40, Workers: 1}
	a, err := Sample(context.Background(), p, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt.Workers = 3
	b, err := Sample(context.Background(), p, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	da, db := a.Draws(), b.Draws()
	for i := range da {
		for j := range da[i] {
			if da[i][j] != db[i][j] {
				t.Fatalf("draw %d param %d: %g with 1 worker, %g with 3", i, j, da[i][j], db[i][j])
			}
		}
	}
}
