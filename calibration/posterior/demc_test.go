package posterior

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/coopsim/coopsim/agents"
)

// deterministic is a noise-free simulator: with no run-to-run spread the
// synthetic likelihood is exactly Π N(y_i; f_i(θ), sd_i²), so a target
// density is written through its moments f and their sds.
type deterministic func(theta, out []float64)

func (f deterministic) Simulate(theta []float64, _ agents.Key, _ int, out []float64) error {
	f(theta, out)
	return nil
}

// correlated is a 2-D Gaussian posterior with correlation 0.99: the
// moments are the parameters' sum and difference over √2, the sum observed
// at 1 and the difference at 0, with sds 0.1 and √2, under independent N(0, 10²) priors. The posterior
// precision is AᵀS⁻¹A + I/100, in closed form below.
func correlated() (*Problem, []float64, [2][2]float64) {
	r := 1 / math.Sqrt2
	p := &Problem{
		Sim: PerRun(deterministic(func(th, out []float64) { out[0], out[1] = r*(th[0]+th[1]), r*(th[0]-th[1]) })),
		Params: []Param{
			{Name: "a", Prior: distuv.Normal{Mu: 0, Sigma: 10}},
			{Name: "b", Prior: distuv.Normal{Mu: 0, Sigma: 10}},
		},
		Targets: []Target{{Name: "sum", Value: 1, SD: 0.1}, {Name: "diff", Value: 0, SD: math.Sqrt2}},
	}
	// Along u = (1,1)/√2 the precision is 1/0.01 + 1/100, along v = (1,−1)/√2
	// it is 1/2 + 1/100; the mean along u is (y_sum/0.01)/precision_u.
	pu, pv := 1/0.01+0.01, 0.5+0.01
	mu := (1 / 0.01) / pu
	vu, vv := 1/pu, 1/pv
	mean := []float64{r * mu, r * mu}
	cov := [2][2]float64{{(vu + vv) / 2, (vu - vv) / 2}, {(vu - vv) / 2, (vu + vv) / 2}}
	return p, mean, cov
}

// banana is Haario et al.'s (1999) twisted Gaussian: θ₀ ~ N(0, 1) and
// θ₁ | θ₀ ~ N(θ₀² − 1, 1), written as the moments θ₀ and θ₁ − (θ₀² − 1)
// observed at 0 with sd 1 under flat priors far wider than the target.
// Its moments: E = (0, 0), Var θ₀ = 1, Var θ₁ = 1 + 2 = 3, Cov = 0.
func banana() *Problem {
	return &Problem{
		Sim: PerRun(deterministic(func(th, out []float64) { out[0], out[1] = th[0], th[1]-(th[0]*th[0]-1) })),
		Params: []Param{
			{Name: "x", Prior: distuv.Uniform{Min: -40, Max: 40}},
			{Name: "y", Prior: distuv.Uniform{Min: -40, Max: 80}},
		},
		Targets: []Target{{Name: "x", Value: 0, SD: 1}, {Name: "twist", Value: 0, SD: 1}},
	}
}

// checkMoments asserts each mean within 4·sd/√ESS and each variance
// within 4·sd((θ−m)²)/√ESS₂ of the truth, ESS₂ the effective sample size
// of the squared deviations (a variance's Monte Carlo standard error; the
// tails that set it mix more slowly than the mean), the correlation within 4·(1−ρ²)/√ESS (Gaussian targets), and
// R-hat below 1.05.
func checkMoments(t *testing.T, res *Result, mean []float64, cov [2][2]float64, checkRho bool) {
	t.Helper()
	for j := 0; j < 2; j++ {
		s := res.Params[j]
		x := flatten(res.column(j))
		m, v := meanVar(x)
		sq := make([][]float64, len(res.chains))
		var all []float64
		for c, ch := range res.column(j) {
			for _, xi := range ch {
				sq[c] = append(sq[c], (xi-m)*(xi-m))
			}
			all = append(all, sq[c]...)
		}
		_, vsq := meanVar(all)
		ess2 := ESS(sq)
		if s.RHat > 1.05 || s.ESS < 200 {
			t.Errorf("%s: R-hat %.3f, ESS %.0f: the chains did not mix", s.Name, s.RHat, s.ESS)
		}
		if tol := 4 * math.Sqrt(cov[j][j]/s.ESS); math.Abs(m-mean[j]) > tol {
			t.Errorf("%s: mean %.4f, want %.4f ± %.4f (ESS %.0f)", s.Name, m, mean[j], tol, s.ESS)
		}
		if tol := 4 * math.Sqrt(vsq/ess2); math.Abs(v-cov[j][j]) > tol {
			t.Errorf("%s: variance %.4f, want %.4f ± %.4f (ESS of squares %.0f)", s.Name, v, cov[j][j], tol, ess2)
		}
	}
	if !checkRho {
		return
	}
	rho := correlation(flatten(res.column(0)), flatten(res.column(1)))
	want := cov[0][1] / math.Sqrt(cov[0][0]*cov[1][1])
	if tol := 4 * (1 - want*want) / math.Sqrt(math.Min(res.Params[0].ESS, res.Params[1].ESS)); math.Abs(rho-want) > tol {
		t.Errorf("correlation %.4f, want %.4f ± %.4f", rho, want, tol)
	}
}

// DEzs samples a posterior with correlation 0.99 from overdispersed
// starts (the prior's central 60%, ±8.4 against a posterior sd ≤ 1.4).
func TestDEzsCorrelatedGaussian(t *testing.T) {
	p, mean, cov := correlated()
	res, err := Sample(context.Background(), p, Options{Seed: 3, Runs: 2, Chains: 4, Warmup: 1000, Iterations: 4000, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rho := cov[0][1] / cov[0][0]; math.Abs(rho) < 0.98 {
		t.Fatalf("test target's correlation %.3f, want ±0.99", rho)
	}
	checkMoments(t, res, mean, cov, true)
}

// DEzs samples the banana's curved ridge.
func TestDEzsBanana(t *testing.T) {
	res, err := Sample(context.Background(), banana(), Options{Seed: 4, Runs: 2, Chains: 4, Warmup: 1000, Iterations: 10000, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkMoments(t, res, []float64{0, 0}, [2][2]float64{{1, 0}, {0, 3}}, false)
}
