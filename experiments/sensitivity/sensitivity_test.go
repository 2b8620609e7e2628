package sensitivity

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/coopsim/coopsim/experiments/design"
)

func TestSobolRefusesBadInput(t *testing.T) {
	ok := Scrambles{Count: 2, Confidence: 0.95}
	y := make([]float64, 4*5)
	if _, err := Sobol(y[:19], 4, 3, ok); err == nil {
		t.Error("wrong number of outputs accepted")
	}
	// The scrambles are refused by design's rule, design.CheckSaltelli's:
	// a ParamError on them.
	for _, count := range []int{0, 1, 3, 4} {
		var pe *design.ParamError
		if _, err := Sobol(y, 4, 3, Scrambles{Count: count, Confidence: 0.95}); !errors.As(err, &pe) || pe.Param != design.ParamScrambles {
			t.Errorf("%d scrambles of 4 base rows: err = %v, want design's ParamError on the scrambles", count, err)
		}
	}
	for _, conf := range []float64{1.5, 1, 0, -0.5, math.NaN()} {
		if _, err := Sobol(y, 4, 3, Scrambles{Count: 2, Confidence: conf}); err == nil || !strings.Contains(err.Error(), "confidence") {
			t.Errorf("confidence %g: err = %v, want one naming the confidence", conf, err)
		}
	}
	y[7] = math.NaN()
	if _, err := Sobol(y, 4, 3, ok); err == nil {
		t.Error("NaN output accepted")
	}
}

// The reported index is the mean of the scrambles' own estimates, its
// standard error their standard deviation over √R, and its interval the
// mean ± t standard errors, with the Student t quantiles of tables
// (t_{3, 0.975} = 3.1824, t_{7, 0.95} = 1.8946).
func TestSobolMeanOfScrambles(t *testing.T) {
	const n, d = 64, 3
	for _, c := range []struct {
		r          int
		conf, want float64
	}{{4, 0.95, 3.1824}, {8, 0.9, 1.8946}} {
		y := runSaltelli(t, ishigami, n, d, c.r, 5)
		res, err := Sobol(y, n, d, Scrambles{Count: c.r, Confidence: c.conf})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.TQuantile-c.want) > 1e-4 {
			t.Errorf("R = %d, %g%%: t quantile %.5f, want %.4f", c.r, 100*c.conf, res.TQuantile, c.want)
		}
		w := n / c.r * (d + 2)
		perS1, perST := make([]float64, c.r), make([]float64, c.r) // scramble k's own S1 and ST of x1
		s1, st := make([]float64, d), make([]float64, d)
		for k := range c.r {
			sobolEstimate(y[k*w:(k+1)*w], d, s1, st)
			perS1[k], perST[k] = s1[0], st[0]
		}
		ix := res.Indices[0]
		for _, g := range []struct {
			name      string
			per       []float64
			est, se   float64
			low, high float64
		}{{"S1", perS1, ix.S1, ix.S1SE, ix.S1CI.Low, ix.S1CI.High}, {"ST", perST, ix.ST, ix.STSE, ix.STCI.Low, ix.STCI.High}} {
			mean, ss := stat.Mean(g.per, nil), 0.0
			for _, p := range g.per {
				ss += (p - mean) * (p - mean)
			}
			se := math.Sqrt(ss/float64(c.r-1)) / math.Sqrt(float64(c.r))
			if math.Abs(g.est-mean) > 1e-12 || math.Abs(g.se-se) > 1e-12 ||
				math.Abs(g.low-(mean-c.want*se)) > 1e-4*se || math.Abs(g.high-(mean+c.want*se)) > 1e-4*se {
				t.Errorf("R = %d: %s %g ± %g [%g, %g], want the scrambles' mean %g, se %g", c.r, g.name, g.est, g.se, g.low, g.high, mean, se)
			}
		}
	}
}

// The Morris intervals are keyed by the bootstrap seed: the same seed
// gives the same intervals, another seed other intervals, and the point
// estimates do not depend on it.
func TestBootstrapKeyedBySeed(t *testing.T) {
	m, err := design.NewMorris(30, 3, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(m.Unit))
	for i, u := range m.Unit {
		y[i] = ishigami(u)
	}
	a, _ := Morris(m, y, Bootstrap{Resamples: 200, Seed: 1})
	b, _ := Morris(m, y, Bootstrap{Resamples: 200, Seed: 1})
	c, _ := Morris(m, y, Bootstrap{Resamples: 200, Seed: 2})
	if a.Indices[0] != b.Indices[0] {
		t.Errorf("same seed: %+v vs %+v", a.Indices[0], b.Indices[0])
	}
	if a.Indices[0].MuStarCI == c.Indices[0].MuStarCI {
		t.Error("different bootstrap seeds gave the same interval")
	}
	if a.Indices[0].MuStar != c.Indices[0].MuStar {
		t.Error("the point estimate depends on the bootstrap seed")
	}
}

// A linear model y = Σ c_j x_j has elementary effects exactly c_j (in
// unit-coordinate units), with no spread.
func TestMorrisLinearExact(t *testing.T) {
	c := []float64{3, -2, 0.5}
	m, err := design.NewMorris(10, 3, 6, 4)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(m.Unit))
	for i, u := range m.Unit {
		for j, cj := range c {
			y[i] += cj * u[j]
		}
	}
	res, err := Morris(m, y, Bootstrap{Resamples: 50})
	if err != nil {
		t.Fatal(err)
	}
	for j, ix := range res.Indices {
		if math.Abs(ix.Mu-c[j]) > 1e-12 || math.Abs(ix.MuStar-math.Abs(c[j])) > 1e-12 || ix.Sigma > 1e-12 {
			t.Errorf("x%d: mu %g mu* %g sigma %g, want %g, %g, 0", j+1, ix.Mu, ix.MuStar, ix.Sigma, c[j], math.Abs(c[j]))
		}
	}
}
