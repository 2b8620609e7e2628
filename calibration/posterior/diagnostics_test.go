package posterior

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/coopsim/coopsim/agents"
)

// ar1 returns m chains of n draws of a stationary AR(1) with coefficient
// phi, whose integrated autocorrelation time is (1+φ)/(1−φ).
func ar1(m, n int, phi float64, shift float64, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([][]float64, m)
	for c := range out {
		x := rng.NormFloat64()
		out[c] = make([]float64, n)
		for i := range out[c] {
			x = phi*x + math.Sqrt(1-phi*phi)*rng.NormFloat64()
			out[c][i] = x + float64(c)*shift
		}
	}
	return out
}

// ESS of an AR(1) is M·N·(1−φ)/(1+φ). The windowed estimate's relative sd
// is about √(2(2K+1)/(MN)) for a window of K lags (Sokal 1989); with K ≈ 15
// and MN = 20,000 that is 5.6%, so 4 sd is 22%; we allow 20% on the ESS
// itself and check it is not vacuous by φ = 0 giving about MN.
func TestESSOfAR1(t *testing.T) {
	for _, phi := range []float64{0, 0.5, 0.9} {
		d := ar1(4, 5000, phi, 0, uint64(100*phi)+1)
		want := 20000 * (1 - phi) / (1 + phi)
		if got := ESS(d); math.Abs(got-want) > 0.2*want {
			t.Errorf("φ = %g: ESS %.0f, want %.0f ± 20%%", phi, got, want)
		}
	}
}

// Chains from one distribution have R-hat near 1; chains whose means
// differ by one sd do not.
func TestSplitRHat(t *testing.T) {
	if r := SplitRHat(ar1(4, 2000, 0.5, 0, 3)); r > 1.01 {
		t.Errorf("mixed chains: R-hat %.4f, want < 1.01", r)
	}
	if r := SplitRHat(ar1(4, 2000, 0.5, 1, 3)); r < 1.1 {
		t.Errorf("separated chains: R-hat %.4f, want > 1.1", r)
	}
	if !math.IsNaN(SplitRHat([][]float64{{1, 2, 3}})) {
		t.Error("R-hat of 3 draws is not NaN")
	}
}

// sbcReps sets the replicates of the simulation-based calibration test;
// its full size is a documented command:
//
//	go test ./calibration/posterior -run SimulationBased -v -sbc.reps 1000
var sbcReps = flag.Int("sbc.reps", 40, "replicates of the simulation-based calibration test")

// Simulation-based calibration (Talts et al. 2018), reduced: for 40 (or
// -sbc.reps) parameter values drawn from the prior, observations are
// generated from the model and the posterior sampled; the central 80%
// interval holds the true value at a rate consistent with 80%. Each
// parameter's count is Binomial(reps, 0.8) (sd 2.5 for 40) and must lie
// within 3.2 sd of 0.8·reps; the pooled count of both within 3.2 sd of
// 1.6·reps, its sd taken as the bound 2 × the single sd (the two counts
// are correlated). The generating noise is the likelihood's:
// N(0, sd² + s²).
func TestSimulationBasedCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("SBC samples 40 posteriors (a few seconds); run without -short")
	}
	reps := *sbcReps
	prior0, prior1 := distuv.Normal{Mu: 0, Sigma: 2}, distuv.Normal{Mu: 0, Sigma: 1}
	cover := [2]int{}
	for rep := 0; rep < reps; rep++ {
		st := agents.Key{Seed: 99, Run: uint64(rep)}.Stream()
		w := []float64{
			prior0.Quantile(st.Float64(agents.PurposeBudget, 0, 0)),
			prior1.Quantile(st.Float64(agents.PurposeBudget, 1, 0)),
		}
		a := [][]float64{{1, 0}, {0, 1}, {1, 1}}
		y := make([]float64, 3)
		for i := range y {
			e := math.Sqrt(0.5*0.5+0.3*0.3) * agents.NormalQuantile(st.Float64(agents.PurposeSegment, uint32(i), 0))
			y[i] = a[i][0]*w[0] + a[i][1]*w[1] + e
		}
		p := toyProblem(y)
		res, err := Sample(context.Background(), p, Options{Seed: uint64(rep + 1), Runs: 16, Chains: 2, Warmup: 300, Iterations: 800, Workers: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		truth := []float64{w[0], math.Exp(w[1])}
		for j := 0; j < 2; j++ {
			if s := res.Params[j]; s.Q10 <= truth[j] && truth[j] <= s.Q90 {
				cover[j]++
			}
		}
	}
	sd := math.Sqrt(float64(reps) * 0.8 * 0.2)
	for j, c := range cover {
		if want := 0.8 * float64(reps); math.Abs(float64(c)-want) > 3.2*sd {
			t.Errorf("parameter %d: central 80%% intervals held the truth %d of %d times, want %.0f ± %.1f", j, c, reps, want, 3.2*sd)
		}
	}
	if c, want := cover[0]+cover[1], 1.6*float64(reps); math.Abs(float64(c)-want) > 3.2*2*sd {
		t.Errorf("pooled coverage %d of %d, want %.0f ± %.1f", c, 2*reps, want, 6.4*sd)
	}
	t.Logf("coverage %v of %d", cover, reps)
}

// The predictive check's mean matches the posterior predictive mean A·E[w]
// within 4 standard errors (the predictive sd over √draws, the draws being
// far apart in the chains), and its PIT is a share.
func TestPredictive(t *testing.T) {
	p := toyProblem([]float64{1.3, 0.5, 2.4})
	res, err := Sample(context.Background(), p, Options{Seed: 5, Runs: 16, Chains: 4, Warmup: 500, Iterations: 2000, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 400
	checks, err := Predictive(context.Background(), p, res.Draws(), n, 77, 2)
	if err != nil {
		t.Fatal(err)
	}
	m0, v0 := meanVar(flatten(res.column(0)))
	m1, _ := meanVar(flatten(res.column(1)))
	want := []float64{m0, m1, m0 + m1}
	for i, c := range checks {
		sd := (c.Q90 - c.Q10) / 2.563 // a normal's 80% interval is ±1.2816 sd
		if tol := 4 * sd / math.Sqrt(n); math.Abs(c.Mean-want[i]) > tol {
			t.Errorf("%s: predictive mean %.3f, want %.3f ± %.3f", c.Name, c.Mean, want[i], tol)
		}
		if c.PIT < 0 || c.PIT > 1 || c.Draws != n {
			t.Errorf("%s: PIT %g, draws %d", c.Name, c.PIT, c.Draws)
		}
	}
	// The predictive sd of target a is √(Var θ₀ + s² + sd²) = √(v0 + 0.34).
	if sd, want := (checks[0].Q90-checks[0].Q10)/2.563, math.Sqrt(v0+0.09+0.25); math.Abs(sd-want) > 0.15*want {
		t.Errorf("predictive sd %.3f, want %.3f ± 15%% (the sd of an 80%% interval from 400 draws)", sd, want)
	}
}

func TestInvalidInput(t *testing.T) {
	p := toyProblem([]float64{1, 2, 3})
	ctx := context.Background()
	for name, opt := range map[string]Options{
		"one run":       {Runs: 1},
		"thin negative": {Thin: -1},
		"init rows":     {Chains: 2, Init: [][]float64{{0, 1, 0}}},
		"init width":    {Chains: 1, Init: [][]float64{{0, 1}}},
		"noise":         {NoiseScale: -1},
	} {
		if _, err := Sample(ctx, p, opt, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	bad := toyProblem([]float64{1, 2, 3})
	bad.Targets[1].SD = 0
	if _, err := Sample(ctx, bad, Options{}, nil); err == nil {
		t.Error("sd 0 accepted")
	}
	neg := toyProblem([]float64{1, 2, 3})
	neg.Params[0].Log = true // a normal prior reaches below 0
	if _, err := Sample(ctx, neg, Options{}, nil); err == nil {
		t.Error("a log-scale parameter with a prior below 0 accepted")
	}
	if _, err := Sample(ctx, p, Options{Chains: 1, Init: [][]float64{{0, -1, 0.5}}}, nil); err == nil {
		t.Error("a start outside the prior accepted")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Sample(cctx, p, Options{}, nil); err == nil {
		t.Error("a cancelled context ran")
	}
}

// Stuck chains give R-hat +Inf, which fit.json writes as null (JSON has
// no infinities) rather than failing.
func TestSummaryJSONNonFinite(t *testing.T) {
	b, err := json.Marshal(Summary{Name: "x", RHat: math.Inf(1), ESS: math.NaN()})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"rhat":null`) || !strings.Contains(s, `"ess":null`) {
		t.Errorf("got %s", s)
	}
}
