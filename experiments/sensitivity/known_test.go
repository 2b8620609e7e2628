package sensitivity

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/coopsim/coopsim/experiments/design"
)

// ishigami is the Ishigami & Homma (1990) function on [−π, π]^3 with
// a = 7, b = 0.1, whose Sobol indices are known in closed form.
func ishigami(u []float64) float64 {
	const a, b = 7, 0.1
	x1, x2, x3 := -math.Pi+2*math.Pi*u[0], -math.Pi+2*math.Pi*u[1], -math.Pi+2*math.Pi*u[2]
	return math.Sin(x1) + a*math.Sin(x2)*math.Sin(x2) + b*math.Pow(x3, 4)*math.Sin(x1)
}

// ishigamiIndices returns the analytic first-order and total indices
// (Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, §4.7;
// Sobol' & Levitan 1999): V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V3 = 0,
// V13 = 8b²π⁸/225, V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2.
func ishigamiIndices() (s1, st [3]float64) {
	const a, b = 7, 0.1
	p4 := math.Pow(math.Pi, 4)
	v := a*a/8.0 + b*p4/5 + b*b*p4*p4/18 + 0.5
	v1 := 0.5 * (1 + b*p4/5) * (1 + b*p4/5)
	v2 := a * a / 8.0
	v13 := 8 * b * b * p4 * p4 / 225
	return [3]float64{v1 / v, v2 / v, 0}, [3]float64{(v1 + v13) / v, v2 / v, v13 / v}
}

// gFunc is Sobol's G function, Π (|4u−2| + a_i)/(1 + a_i) on [0, 1]^d.
func gFunc(a []float64) func([]float64) float64 {
	return func(u []float64) float64 {
		g := 1.0
		for i, ai := range a {
			g *= (math.Abs(4*u[i]-2) + ai) / (1 + ai)
		}
		return g
	}
}

// gIndices returns the G function's analytic indices (Saltelli et al. 2010,
// §4): V_i = 1/(3(1+a_i)²), V = Π(1+V_i) − 1, S1_i = V_i/V,
// ST_i = V_i Π_{j≠i}(1+V_j)/V.
func gIndices(a []float64) (s1, st []float64) {
	vi := make([]float64, len(a))
	prod := 1.0
	for i, ai := range a {
		vi[i] = 1 / (3 * (1 + ai) * (1 + ai))
		prod *= 1 + vi[i]
	}
	v := prod - 1
	for i := range a {
		s1 = append(s1, vi[i]/v)
		st = append(st, vi[i]*prod/(1+vi[i])/v)
	}
	return s1, st
}

// runSaltelli evaluates f at every point of a Saltelli design of n base
// rows in r scrambles.
func runSaltelli(t *testing.T, f func([]float64) float64, n, d, r int, seed uint64) []float64 {
	t.Helper()
	s, err := design.NewSaltelli(n, d, r, seed)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(s.Unit))
	for i, u := range s.Unit {
		y[i] = f(u)
	}
	return y
}

// knownCase is a function with analytic Sobol indices.
type knownCase struct {
	name    string
	f       func([]float64) float64
	d       int
	s1, st  []float64
	maxWide float64 // the widest 99% interval at N = 8192 that the test accepts
}

func knownCases() []knownCase {
	is1, ist := ishigamiIndices()
	a := []float64{0, 1, 4.5, 9, 99, 99}
	gs1, gst := gIndices(a)
	return []knownCase{
		{"Ishigami", ishigami, 3, is1[:], ist[:], 0.05},
		{"G", gFunc(a), len(a), gs1, gst, 0.05},
	}
}

// checkIndices asserts that each analytic index lies in its interval, that
// the estimate is within the interval's full width of the truth, and that
// the interval is narrow enough (maxWidth) for the check to mean something.
func checkIndices(t *testing.T, name string, res *SobolResult, s1, st []float64, maxWidth float64) {
	t.Helper()
	for i, ix := range res.Indices {
		for _, c := range []struct {
			what       string
			est, truth float64
			ci         Interval
		}{{"S1", ix.S1, s1[i], ix.S1CI}, {"ST", ix.ST, st[i], ix.STCI}} {
			w := c.ci.High - c.ci.Low
			t.Logf("%s x%d %s = %.4f [%.4f, %.4f], analytic %.4f", name, i+1, c.what, c.est, c.ci.Low, c.ci.High, c.truth)
			if !c.ci.Contains(c.truth) || !(math.Abs(c.est-c.truth) <= w) {
				t.Errorf("%s x%d: %s = %.4f with %g%% interval [%.4f, %.4f] misses the analytic %.4f",
					name, i+1, c.what, c.est, 100*res.Confidence, c.ci.Low, c.ci.High, c.truth)
			}
			if !(w <= maxWidth) {
				t.Errorf("%s x%d: %s interval [%.4f, %.4f] wider than %g", name, i+1, c.what, c.ci.Low, c.ci.High, maxWidth)
			}
		}
	}
}

// At N = 8192 base rows in 8 scrambles of 1024, the 99% intervals hold the
// analytic indices of the Ishigami and G functions, and are narrow enough
// to tell apart what the test's functions part: Ishigami's x1 (S1 = 0.31,
// ST = 0.56) and x3 (S1 = 0, ST = 0.24, an effect only through its
// interaction with x1); the G function's x1 (0.72 vs 0.79) and x2 (0.18
// vs 0.24).
func TestSobolKnownIndices(t *testing.T) {
	const n, r = 1 << 13, 8
	for _, c := range knownCases() {
		y := runSaltelli(t, c.f, n, c.d, r, 2024)
		res, err := Sobol(y, n, c.d, Scrambles{Count: r, Confidence: 0.99})
		if err != nil {
			t.Fatal(err)
		}
		checkIndices(t, c.name, res, c.s1, c.st, c.maxWide)
		for i := range min(c.d, 3) {
			ix := res.Indices[i]
			if c.st[i]-c.s1[i] > 0.05 && ix.S1CI.High >= ix.STCI.Low {
				t.Errorf("%s x%d: S1 interval %v overlaps ST interval %v; analytic %.3f vs %.3f", c.name, i+1, ix.S1CI, ix.STCI, c.s1[i], c.st[i])
			}
		}
	}
}

// The estimates converge to the analytic indices: over base sizes 2^10,
// 2^13 and 2^16 (8 scrambles each) the largest error over every index of
// both functions falls, and at 2^16 it is below 0.01 and within 4
// standard errors of each index.
func TestSobolConverges(t *testing.T) {
	const r = 8
	for _, c := range knownCases() {
		prev := math.Inf(1)
		for _, n := range []int{1 << 10, 1 << 13, 1 << 16} {
			y := runSaltelli(t, c.f, n, c.d, r, 77)
			res, err := Sobol(y, n, c.d, Scrambles{Count: r, Confidence: 0.95})
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i, ix := range res.Indices {
				e1, eT := math.Abs(ix.S1-c.s1[i]), math.Abs(ix.ST-c.st[i])
				worst = max(worst, e1, eT)
				if n == 1<<16 && (!(e1 <= 4*ix.S1SE) || !(eT <= 4*ix.STSE)) {
					t.Errorf("%s N=%d x%d: errors %.2g (S1, se %.2g) and %.2g (ST, se %.2g): more than 4 standard errors", c.name, n, i+1, e1, ix.S1SE, eT, ix.STSE)
				}
			}
			t.Logf("%s N=%d: largest error %.2g", c.name, n, worst)
			if !(worst < prev) {
				t.Errorf("%s N=%d: largest error %.2g, not below %.2g at the smaller N", c.name, n, worst, prev)
			}
			prev = worst
		}
		if !(prev < 0.01) {
			t.Errorf("%s: largest error %.2g at N = 2^16, want below 0.01", c.name, prev)
		}
	}
}

// The intervals cover the analytic indices at close to their nominal rate,
// both at 95% (not too narrow) and at 50% (not too wide either: intervals
// twice too wide would cover about 82% at the 50% level). Over K = 100
// seeds at N = 256 (8 scrambles of 32 rows, the fewest rows a scramble
// that README recommends), each index's coverage is a
// binomial proportion with standard error √(c(1−c)/K): 0.022 at 95%, 0.05
// at 50%; the test accepts each index's coverage within 3 of them of the
// level (below 1 at 95%, which only too narrow intervals fail). With
// fixed seeds the test is deterministic; but it makes many such
// comparisons, so another keying of the scrambles has roughly a one in
// ten chance of failing one of them with the method still right: look at
// how far out a failure is before doubting the method.
func TestSobolCoverage(t *testing.T) {
	const n, r, k = 1 << 8, 8, 100
	for _, c := range knownCases() {
		for _, conf := range []float64{0.95, 0.5} {
			covered := make([]int, 2*c.d)
			for seed := range uint64(k) {
				y := runSaltelli(t, c.f, n, c.d, r, 1000+seed)
				res, err := Sobol(y, n, c.d, Scrambles{Count: r, Confidence: conf})
				if err != nil {
					t.Fatal(err)
				}
				for i, ix := range res.Indices {
					if ix.S1CI.Contains(c.s1[i]) {
						covered[2*i]++
					}
					if ix.STCI.Contains(c.st[i]) {
						covered[2*i+1]++
					}
				}
			}
			band := 3 * math.Sqrt(conf*(1-conf)/k)
			for j, got := range covered {
				cov := float64(got) / k
				name := fmt.Sprintf("%s x%d %s", c.name, j/2+1, []string{"S1", "ST"}[j%2])
				t.Logf("%s: %g%% intervals cover %d of %d", name, 100*conf, got, k)
				if !(math.Abs(cov-conf) <= band) {
					t.Errorf("%s: %g%% intervals cover the analytic value in %d of %d seeds, outside %g ± %.3f", name, 100*conf, got, k, conf, band)
				}
			}
		}
	}
}

// Scrambles of very few rows under-cover: each scramble's own variance
// estimate biases its ratio estimates, and averaging the scrambles does
// not remove the bias. At 4 rows a scramble (N = 256 in 64 scrambles) the
// 95% intervals of the Ishigami indices cover the analytic values in about
// half the cases; README warns to keep at least 32 rows a scramble, and
// this test keeps that warning true (it fails if coverage there reaches
// 80%).
func TestSobolSmallScramblesUndercover(t *testing.T) {
	const n, r, k = 1 << 8, 64, 100
	c := knownCases()[0]
	covered := 0
	for seed := range uint64(k) {
		y := runSaltelli(t, c.f, n, c.d, r, 1000+seed)
		res, err := Sobol(y, n, c.d, Scrambles{Count: r, Confidence: 0.95})
		if err != nil {
			t.Fatal(err)
		}
		for i, ix := range res.Indices {
			if ix.S1CI.Contains(c.s1[i]) {
				covered++
			}
			if ix.STCI.Contains(c.st[i]) {
				covered++
			}
		}
	}
	cov := float64(covered) / float64(k*2*c.d)
	t.Logf("4 rows a scramble: 95%% intervals cover %.3f", cov)
	if cov >= 0.8 {
		t.Errorf("4 rows a scramble: 95%% intervals cover %.3f; README's warning that they under-cover is stale", cov)
	}
}

// TestSobolIntervalsCoverReplications: the standard errors match the
// estimator's real spread, neither far too wide (as the bootstrap over
// base rows was, 4 to 10 times) nor too narrow. K = 30 independent runs
// (seeds) of the design for the Ishigami function at N = 2048 in R = 8
// scrambles give 30 estimates of each index; their standard deviation sd
// is the estimator's standard error, known to a relative ±1/√(2(K−1)) =
// 0.13. The root mean square of the 30 reported standard errors (each
// from R − 1 = 7 degrees of freedom, K(R−1) = 210 in all) is known to
// ±1/√(2·210) = 0.05. Their ratio's logarithm thus has a standard error
// of about 0.14, and the test accepts it within 3 of them of 0: a ratio
// from 0.66 to 1.52.
func TestSobolIntervalsCoverReplications(t *testing.T) {
	const n, r, k = 1 << 11, 8, 30
	var est, se2 [2 * 3][k]float64
	for run := range k {
		y := runSaltelli(t, ishigami, n, 3, r, uint64(100+run))
		res, err := Sobol(y, n, 3, Scrambles{Count: r, Confidence: 0.95})
		if err != nil {
			t.Fatal(err)
		}
		for i, ix := range res.Indices {
			est[2*i][run], est[2*i+1][run] = ix.S1, ix.ST
			se2[2*i][run], se2[2*i+1][run] = ix.S1SE*ix.S1SE, ix.STSE*ix.STSE
		}
	}
	band := 3 * math.Sqrt(1/(2.0*(k-1))+1/(2.0*k*(r-1)))
	for j := range est {
		name := fmt.Sprintf("x%d %s", j/2+1, []string{"S1", "ST"}[j%2])
		sd := stat.StdDev(est[j][:], nil)
		se := math.Sqrt(stat.Mean(se2[j][:], nil))
		t.Logf("%s: runs' sd %.5f, reported se %.5f (ratio %.2f)", name, sd, se, se/sd)
		if !(math.Abs(math.Log(se/sd)) <= band) {
			t.Errorf("%s: reported standard error %.5f against the runs' spread %.5f: ratio %.2f outside [%.2f, %.2f]",
				name, se, sd, se/sd, math.Exp(-band), math.Exp(band))
		}
	}
}

// Morris screening on the G function must rank the factors by a_i: the
// smaller a_i, the larger the effect (Campolongo et al. 2007, §4).
func TestMorrisRanksGFunction(t *testing.T) {
	a := []float64{0, 1, 4.5, 9, 99, 99, 99, 99}
	m, err := design.NewMorris(100, len(a), 4, 11)
	if err != nil {
		t.Fatal(err)
	}
	f := gFunc(a)
	y := make([]float64, len(m.Unit))
	for i, u := range m.Unit {
		y[i] = f(u)
	}
	res, err := Morris(m, y, Bootstrap{Resamples: 500, Confidence: 0.95, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	ix := res.Indices
	for j := range ix {
		t.Logf("x%d (a=%g): mu* = %.4f %v, sigma = %.4f", j+1, a[j], ix[j].MuStar, ix[j].MuStarCI, ix[j].Sigma)
	}
	// The four influential factors are strictly ordered, with intervals
	// that do not overlap; every a = 99 factor lies below the a = 9 one.
	for j := 1; j < 4; j++ {
		if ix[j].MuStarCI.High >= ix[j-1].MuStarCI.Low {
			t.Errorf("x%d's mu* interval %v overlaps x%d's %v", j+1, ix[j].MuStarCI, j, ix[j-1].MuStarCI)
		}
	}
	for j := 4; j < len(a); j++ {
		if ix[j].MuStarCI.High >= ix[3].MuStarCI.Low {
			t.Errorf("x%d (a = 99) mu* interval %v reaches x4's %v", j+1, ix[j].MuStarCI, ix[3].MuStarCI)
		}
	}
}
