package varsplit

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// synthetic returns y[d][r] = μ_d + e_dr with μ_d ~ N(10, σP²) and
// e ~ N(0, σN²·h_d), h_d = 0.5 or 1.5 alternately (heteroscedastic noise
// whose mean is σN²).
func synthetic(rng *rand.Rand, d, r int, sp, sn float64) [][]float64 {
	y := make([][]float64, d)
	for i := range y {
		mu := 10 + sp*rng.NormFloat64()
		h := 0.5 + float64(i%2)
		y[i] = make([]float64, r)
		for j := range y[i] {
			y[i][j] = mu + sn*math.Sqrt(h)*rng.NormFloat64()
		}
	}
	return y
}

// P + N equals the mean of (y − y′)²/2 over all pairs of runs from
// different draws, computed by brute force: an unbiased estimate of
// Var(y) that does not use the split.
func TestPartsAddUpToTotal(t *testing.T) {
	y := synthetic(rand.New(rand.NewPCG(1, 2)), 30, 4, 1.3, 0.7)
	s, err := Estimate(y)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	var n int
	for a := range y {
		for b := range y {
			if a == b {
				continue
			}
			for _, ya := range y[a] {
				for _, yb := range y[b] {
					sum += (ya - yb) * (ya - yb) / 2
					n++
				}
			}
		}
	}
	if want := sum / float64(n); math.Abs(s.Total-want) > 1e-9*want {
		t.Errorf("total %.12g, pairwise estimate %.12g", s.Total, want)
	}
	if math.Abs(s.Parametric+s.Noise-s.Total) > 1e-12*s.Total {
		t.Errorf("P %g + N %g ≠ T %g", s.Parametric, s.Noise, s.Total)
	}
	if math.Abs(s.Share-s.Parametric/s.Total) > 1e-15 {
		t.Errorf("share %g ≠ P/T", s.Share)
	}
}

// On the synthetic model (σP² = 2, σN² = 0.5, so share 0.8) each part is
// recovered within 4 of its jackknife SEs; over 300 replications the
// jackknife SE's mean matches the estimates' spread within 15% (the sd of
// an sd from 300 draws is 4%, so 15% is about 3.5 of those), and the
// estimates are unbiased within 4 standard errors of their mean.
func TestRecoversKnownParts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const reps, d, r = 300, 200, 3
	truth := [4]float64{2, 0.5, 2.5, 0.8}
	var est, se [4][]float64
	for k := 0; k < reps; k++ {
		s, err := Estimate(synthetic(rng, d, r, math.Sqrt(2), math.Sqrt(0.5)))
		if err != nil {
			t.Fatal(err)
		}
		vals := [4]float64{s.Parametric, s.Noise, s.Total, s.Share}
		ses := [4]float64{s.ParametricSE, s.NoiseSE, s.TotalSE, s.ShareSE}
		if k == 0 {
			for j, name := range []string{"parametric", "noise", "total", "share"} {
				if math.Abs(vals[j]-truth[j]) > 4*ses[j] {
					t.Errorf("%s %.4f, want %.4f ± 4×%.4f", name, vals[j], truth[j], ses[j])
				}
			}
		}
		for j := range vals {
			est[j] = append(est[j], vals[j])
			se[j] = append(se[j], ses[j])
		}
	}
	for j, name := range []string{"parametric", "noise", "total", "share"} {
		m, v, _ := meanVar(est[j])
		sd := math.Sqrt(v)
		mse, _, _ := meanVar(se[j])
		// The spread of reps estimates has a relative standard error of
		// 1/√(2(reps−1)), 0.041 at 300: 0.15 is 3.7 of them.
		if math.Abs(mse-sd) > 0.15*sd {
			t.Errorf("%s: mean jackknife SE %.4f, spread of estimates %.4f", name, mse, sd)
		}
		// The share is a ratio (biased at O(1/D)); the others are unbiased.
		if tol := 4 * sd / math.Sqrt(reps); j < 3 && math.Abs(m-truth[j]) > tol {
			t.Errorf("%s: mean estimate %.4f, want %.4f ± %.4f", name, m, truth[j], tol)
		}
	}
}

// With no parameter effect the parametric part is near zero (within 4 SE)
// and may be negative; it is not clipped.
func TestNoParametricPart(t *testing.T) {
	s, err := Estimate(synthetic(rand.New(rand.NewPCG(5, 6)), 100, 2, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s.Parametric) > 4*s.ParametricSE {
		t.Errorf("parametric %g ± %g, want 0", s.Parametric, s.ParametricSE)
	}
}

func TestInvalidInput(t *testing.T) {
	for name, y := range map[string][][]float64{
		"two draws":  {{1, 2}, {3, 4}},
		"one rep":    {{1}, {2}, {3}},
		"ragged":     {{1, 2}, {3, 4, 5}, {6, 7}},
		"non-finite": {{1, 2}, {3, math.NaN()}, {6, 7}},
		"infinite":   {{1, 2}, {3, 4}, {6, math.Inf(1)}},
	} {
		var e *Error
		if _, err := Estimate(y); !errors.As(err, &e) {
			t.Errorf("%s: got %v, want a *varsplit.Error", name, err)
		}
	}
}
