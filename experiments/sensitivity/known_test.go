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

// runSaltelli evaluates f at every point of a Saltelli design.
func runSaltelli(t *testing.T, f func([]float64) float64, n, d int, seed uint64) []float64 {
	t.Helper()
	s, err := design.NewSaltelli(n, d, seed)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(s.Unit))
	for i, u := range s.Unit {
		y[i] = f(u)
	}
	return y
}

// checkIndices asserts that each analytic index lies in its bootstrap
// interval, that the estimate is within the interval's full width of the
// truth, and that the interval is narrow enough (maxWidth) for the check
// to mean something.
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
			if !c.ci.Contains(c.truth) || math.Abs(c.est-c.truth) > w {
				t.Errorf("%s x%d: %s = %.4f with %g%% interval [%.4f, %.4f] misses the analytic %.4f",
					name, i+1, c.what, c.est, 100*res.Confidence, c.ci.Low, c.ci.High, c.truth)
			}
			if w > maxWidth {
				t.Errorf("%s x%d: %s interval [%.4f, %.4f] wider than %g", name, i+1, c.what, c.ci.Low, c.ci.High, maxWidth)
			}
		}
	}
}

func TestSobolIshigami(t *testing.T) {
	n := 1 << 13
	y := runSaltelli(t, ishigami, n, 3, 2024)
	res, err := Sobol(y, n, 3, Bootstrap{Resamples: 1000, Confidence: 0.99, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	s1, st := ishigamiIndices()
	// The 99% intervals at N = 8192 span 0.02-0.09 (standard errors up to
	// about 0.02); a width bound of 0.1 keeps the containment check
	// meaningful: the indices the test tells apart differ by more than it
	// (S1 = 0.31 vs ST = 0.56 for x1; 0 vs 0.24 for x3).
	checkIndices(t, "Ishigami", res, s1[:], st[:], 0.1)
	// x3 acts only through its interaction with x1: S1 = 0 lies in its
	// interval while its ST interval stays clear of 0.
	if res.Indices[2].STCI.Low <= 0.1 {
		t.Errorf("ST3 interval %v does not exclude 0.1; its analytic value is %.3f", res.Indices[2].STCI, st[2])
	}
}

func TestSobolGFunction(t *testing.T) {
	a := []float64{0, 1, 4.5, 9, 99, 99}
	n := 1 << 13
	y := runSaltelli(t, gFunc(a), n, len(a), 99)
	res, err := Sobol(y, n, len(a), Bootstrap{Resamples: 1000, Confidence: 0.99, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	s1, st := gIndices(a)
	// Same width bound as for Ishigami: a sanity bound (the widest interval
	// at these seeds is 0.085); the widths themselves are checked against
	// replications in TestSobolIntervalsCoverReplications.
	checkIndices(t, "G", res, s1, st, 0.1)
	// The intervals are narrow enough to tell S1 from ST where the
	// interactions make them differ: x1 (0.72 vs 0.79) and x2 (0.18 vs 0.24).
	for _, i := range []int{0, 1} {
		if ix := res.Indices[i]; ix.S1CI.High >= ix.STCI.Low {
			t.Errorf("G x%d: S1 interval %v overlaps ST interval %v; analytic %.3f vs %.3f", i+1, ix.S1CI, ix.STCI, s1[i], st[i])
		}
	}
}

// TestSobolIntervalsCoverReplications: the bootstrap intervals are never
// narrower than the estimates' spread says they should be. Twelve
// independent scrambles (seeds) of the design for the Ishigami function at
// N = 2048 give twelve estimates of each index; their standard deviation
// is the estimator's standard error, known to about ±21% (1/√(2·11)). A
// 95% bootstrap interval of a near-normal estimate spans 2·1.96 standard
// errors, so the mean width over 3.92 must be at least the replications'
// standard deviation less three of its standard errors (over 1.6). It is
// in fact 4 to 10 times larger: the design is randomized quasi-Monte Carlo
// (Owen-scrambled Sobol points), whose error is well below what the
// bootstrap, resampling rows as if they were independent, assumes; the
// intervals are conservative, which README says.
func TestSobolIntervalsCoverReplications(t *testing.T) {
	const n, reps = 1 << 11, 12
	var est [2 * 3][reps]float64
	var width [2 * 3]float64
	for r := range reps {
		y := runSaltelli(t, ishigami, n, 3, uint64(100+r))
		res, err := Sobol(y, n, 3, Bootstrap{Resamples: 500, Confidence: 0.95, Seed: uint64(200 + r)})
		if err != nil {
			t.Fatal(err)
		}
		for i, ix := range res.Indices {
			est[2*i][r], est[2*i+1][r] = ix.S1, ix.ST
			width[2*i] += (ix.S1CI.High - ix.S1CI.Low) / reps
			width[2*i+1] += (ix.STCI.High - ix.STCI.Low) / reps
		}
	}
	for k := range est {
		name := fmt.Sprintf("x%d %s", k/2+1, []string{"S1", "ST"}[k%2])
		sd := stat.StdDev(est[k][:], nil)
		se := width[k] / (2 * 1.96)
		t.Logf("%s: replications' sd %.4f, bootstrap se %.4f (%.1f times)", name, sd, se, se/sd)
		if se < sd/1.6 {
			t.Errorf("%s: bootstrap intervals imply a standard error of %.4f, below the replications' spread %.4f", name, se, sd)
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
