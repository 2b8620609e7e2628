package discover

import (
	"math"
	"testing"

	"github.com/coopsim/coopsim/experiments/design"
)

// planted returns n uniform points in [0, 1]^5 whose outcome is true with
// probability 0.9 inside the box [0.2, 0.6] x [0.5, 0.9] (factors 0 and 1;
// the other three are noise) and 0.05 outside it.
func planted(n int, seed uint64) ([][]float64, []bool) {
	s := design.NewStream(seed, design.PurposeBootstrap)
	x := make([][]float64, n)
	y := make([]bool, n)
	for i := range x {
		x[i] = make([]float64, 5)
		for j := range x[i] {
			x[i][j] = s.Float64(uint64(i), uint64(j))
		}
		p := 0.05
		if x[i][0] >= 0.2 && x[i][0] <= 0.6 && x[i][1] >= 0.5 && x[i][1] <= 0.9 {
			p = 0.9
		}
		y[i] = s.Float64(uint64(i), 99) < p
	}
	return x, y
}

func TestPeelRecoversPlantedBox(t *testing.T) {
	x, y := planted(5000, 1)
	r, err := Peel(x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range r.Trajectory {
		if i > 0 && (s.Mass >= r.Trajectory[i-1].Mass || s.Density < r.Trajectory[i-1].Density) {
			t.Errorf("step %d: mass %g density %g after mass %g density %g: peeling must shrink the box and not lower its density",
				i, s.Mass, s.Density, r.Trajectory[i-1].Mass, r.Trajectory[i-1].Density)
		}
	}
	last := r.Trajectory[len(r.Trajectory)-1]
	if last.Mass < 0.05 {
		t.Errorf("last box holds %g of the points, below the minimum mass 0.05", last.Mass)
	}
	i := r.Choose(0.8)
	s := r.Trajectory[i]
	t.Logf("chosen step %d of %d: coverage %.3f density %.3f mass %.3f box %v", i, len(r.Trajectory), s.Coverage, s.Density, s.Mass, s.Box)
	checkPlanted(t, r, i)
}

// checkPlanted asserts that step i's box is the planted one. A peel at the
// planted box (about 800 points) removes 5% of its points, 0.02 of its
// 0.4 width; the bounds may sit a peel or two off, hence the tolerance
// 0.04. The planted bounds' quasi-p-values are tiny; any bound on a noise
// factor must not look significant.
func checkPlanted(t *testing.T, r *Result, i int) {
	t.Helper()
	want := map[int][2]float64{0: {0.2, 0.6}, 1: {0.5, 0.9}}
	const tol = 0.04
	found := map[int]bool{}
	for _, res := range r.Restrictions(i) {
		t.Logf("factor %d: [%.3f, %.3f] (restricted %v %v) qp %.3g %.3g", res.Factor, res.Low, res.High,
			res.LowRestricted, res.HighRestricted, res.PLow, res.PHigh)
		w, ok := want[res.Factor]
		if !ok {
			for _, p := range []float64{res.PLow, res.PHigh} {
				if !math.IsNaN(p) && p < 0.01 {
					t.Errorf("noise factor %d restricted to [%.3f, %.3f] with quasi-p %.3g", res.Factor, res.Low, res.High, p)
				}
			}
			continue
		}
		found[res.Factor] = true
		if math.Abs(res.Low-w[0]) > tol || math.Abs(res.High-w[1]) > tol {
			t.Errorf("factor %d: box [%.3f, %.3f], planted [%g, %g] (tolerance %g)", res.Factor, res.Low, res.High, w[0], w[1], tol)
		}
		if !(res.PLow < 1e-6 && res.PHigh < 1e-6) {
			t.Errorf("factor %d: quasi-p %.3g, %.3g; a planted bound should be far below 1e-6", res.Factor, res.PLow, res.PHigh)
		}
	}
	if len(found) != 2 {
		t.Errorf("box restricts the planted factors %v, want both 0 and 1", found)
	}
}

func TestPasteKeepsPlantedBox(t *testing.T) {
	x, y := planted(5000, 2)
	peeled, err := Peel(x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Peel(x, y, Options{Paste: true})
	if err != nil {
		t.Fatal(err)
	}
	n, m := len(peeled.Trajectory), len(r.Trajectory)
	t.Logf("%d peels, %d pastes", n-1, m-n)
	for i := n; i < m; i++ {
		a, b := r.Trajectory[i-1], r.Trajectory[i]
		if b.Mass <= a.Mass || b.Density <= a.Density {
			t.Errorf("paste %d: mass %g -> %g, density %g -> %g: a paste must grow the box and raise its density", i-n+1, a.Mass, b.Mass, a.Density, b.Density)
		}
	}
	checkPlanted(t, r, r.Choose(0.8))
}

// The quasi-p-value is a binomial tail; check it against the sum of the
// probability mass function on a small case.
func TestQuasiPIsBinomialTail(t *testing.T) {
	// 10 points: the box holds points 0-3 (3 interesting), and removing
	// its upper bound on factor 0 gives all 10 points (4 interesting).
	x := make([][]float64, 10)
	y := make([]bool, 10)
	for i := range x {
		x[i] = []float64{float64(i)}
	}
	y[0], y[1], y[2], y[9] = true, true, true, true
	r := &Result{Total: 10, Interesting: 4, x: x, y: y}
	r.push(dataRange(x), []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	r.push(Box{Low: []float64{0}, High: []float64{3.5}}, []int{0, 1, 2, 3})
	res := r.Restrictions(1)
	if len(res) != 1 || res[0].LowRestricted || !res[0].HighRestricted || !math.IsNaN(res[0].PLow) {
		t.Fatalf("restrictions = %+v", res)
	}
	// P(X >= 3), X ~ Binomial(4, 0.4) = 4(0.4^3)(0.6) + 0.4^4.
	want := 4*math.Pow(0.4, 3)*0.6 + math.Pow(0.4, 4)
	if math.Abs(res[0].PHigh-want) > 1e-12 {
		t.Errorf("quasi-p = %.15g, want %.15g", res[0].PHigh, want)
	}
}

func TestPeelRefusesBadInput(t *testing.T) {
	x, y := planted(100, 3)
	for _, c := range []struct {
		name string
		x    [][]float64
		y    []bool
		opt  Options
	}{
		{"alpha", x, y, Options{Alpha: 0.7}},
		{"mass", x, y, Options{MinMass: 1.2}},
		{"lengths", x, y[:50], Options{}},
		{"NaN", append([][]float64{{math.NaN(), 0, 0, 0, 0}}, x[1:]...), y, Options{}},
		{"none", x, make([]bool, 100), Options{}},
	} {
		if _, err := Peel(c.x, c.y, c.opt); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
