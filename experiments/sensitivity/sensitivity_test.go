package sensitivity

import (
	"math"
	"testing"

	"github.com/coopsim/coopsim/experiments/design"
)

func TestSobolRefusesBadInput(t *testing.T) {
	y := make([]float64, 4*5)
	if _, err := Sobol(y[:19], 4, 3, Bootstrap{}); err == nil {
		t.Error("wrong number of outputs accepted")
	}
	y[7] = math.NaN()
	if _, err := Sobol(y, 4, 3, Bootstrap{}); err == nil {
		t.Error("NaN output accepted")
	}
	y[7] = 0
	if _, err := Sobol(y, 4, 3, Bootstrap{Confidence: 1.5}); err == nil {
		t.Error("confidence 1.5 accepted")
	}
}

// The intervals are keyed by the bootstrap seed: the same seed gives the
// same intervals, another seed other intervals.
func TestBootstrapKeyedBySeed(t *testing.T) {
	n := 256
	y := runSaltelli(t, ishigami, n, 3, 1)
	a, _ := Sobol(y, n, 3, Bootstrap{Resamples: 200, Seed: 1})
	b, _ := Sobol(y, n, 3, Bootstrap{Resamples: 200, Seed: 1})
	c, _ := Sobol(y, n, 3, Bootstrap{Resamples: 200, Seed: 2})
	if a.Indices[0] != b.Indices[0] {
		t.Errorf("same seed: %+v vs %+v", a.Indices[0], b.Indices[0])
	}
	if a.Indices[0].S1CI == c.Indices[0].S1CI {
		t.Error("different bootstrap seeds gave the same interval")
	}
	if a.Indices[0].S1 != c.Indices[0].S1 {
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
