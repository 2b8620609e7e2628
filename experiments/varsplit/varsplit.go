package varsplit

import (
	"fmt"
	"math"
)

// Split is an output's variance split.
type Split struct {
	// Draws and Replicates are D and R.
	Draws      int `json:"draws"`
	Replicates int `json:"replicates"`
	// Total, Parametric and Noise are T, P and N (see the package doc),
	// in the output's unit squared; Parametric + Noise = Total.
	Total      float64 `json:"total"`
	Parametric float64 `json:"parametric"`
	Noise      float64 `json:"noise"`
	// Share is Parametric/Total, the share of the variance due to
	// parameter uncertainty (0 when Total is 0).
	Share float64 `json:"parametric_share"`
	// The SE fields are the jackknife standard errors of the above.
	TotalSE      float64 `json:"total_se"`
	ParametricSE float64 `json:"parametric_se"`
	NoiseSE      float64 `json:"noise_se"`
	ShareSE      float64 `json:"parametric_share_se"`
}

// Error is invalid input to Estimate.
type Error struct{ Msg string }

func (e *Error) Error() string { return "varsplit: " + e.Msg }

// Estimate splits the variance of y[d][r]: D ≥ 3 draws (the jackknife
// needs two left after deleting one), each with the same R ≥ 2 replicates.
// Non-finite outputs are an error.
func Estimate(y [][]float64) (Split, error) {
	d := len(y)
	if d < 3 {
		return Split{}, &Error{fmt.Sprintf("%d parameter draws, want at least 3", d)}
	}
	r := len(y[0])
	if r < 2 {
		return Split{}, &Error{fmt.Sprintf("%d replicate runs per draw, want at least 2 (the noise part needs two)", r)}
	}
	means, vars := make([]float64, d), make([]float64, d)
	for i, row := range y {
		if len(row) != r {
			return Split{}, &Error{fmt.Sprintf("draw %d has %d replicates, draw 0 has %d: want the same number", i, len(row), r)}
		}
		m, v, ok := meanVar(row)
		if !ok {
			return Split{}, &Error{fmt.Sprintf("draw %d has a non-finite output", i)}
		}
		means[i], vars[i] = m, v
	}
	s := Split{Draws: d, Replicates: r}
	// Centre the means on the first (exact sums of squares for outputs
	// whose spread is small beside their level, such as revenue in USD).
	c := means[0]
	for i := range means {
		means[i] -= c
	}
	var sumM, sumM2, sumV float64
	for i := range means {
		sumM += means[i]
		sumM2 += means[i] * means[i]
		sumV += vars[i]
	}
	est := func(sM, sM2, sV float64, n int) (p, noise, t, share float64) {
		fn := float64(n)
		vm := (sM2 - sM*sM/fn) / (fn - 1)
		noise = sV / fn
		p = vm - noise/float64(r)
		t = p + noise
		if t != 0 {
			share = p / t
		}
		return p, noise, t, share
	}
	s.Parametric, s.Noise, s.Total, s.Share = est(sumM, sumM2, sumV, d)
	// Delete-one-draw jackknife: SE² = (D−1)/D · Σ (θ₋ᵢ − mean θ₋)².
	jk := make([][4]float64, d)
	for i := range means {
		p, n, t, sh := est(sumM-means[i], sumM2-means[i]*means[i], sumV-vars[i], d-1)
		jk[i] = [4]float64{p, n, t, sh}
	}
	se := jackknifeSE(jk)
	s.ParametricSE, s.NoiseSE, s.TotalSE, s.ShareSE = se[0], se[1], se[2], se[3]
	return s, nil
}

func jackknifeSE(jk [][4]float64) [4]float64 {
	var out [4]float64
	n := float64(len(jk))
	for k := 0; k < 4; k++ {
		m := 0.0
		for _, v := range jk {
			m += v[k]
		}
		m /= n
		ss := 0.0
		for _, v := range jk {
			ss += (v[k] - m) * (v[k] - m)
		}
		out[k] = math.Sqrt((n - 1) / n * ss)
	}
	return out
}

// ShareText is the split's parametric share as the run summary and the
// report page show it: "p 75±5%" (the share and its standard error), "p
// —" for an output that does not vary (no variance to split), "" for no
// split (nil).
func (s *Split) ShareText() string {
	switch {
	case s == nil:
		return ""
	case s.Total == 0:
		return "p —"
	}
	return fmt.Sprintf("p %.0f±%.0f%%", 100*s.Share, 100*s.ShareSE)
}

// meanVar returns the mean and unbiased variance of xs (len ≥ 2), and
// false if one is not finite.
func meanVar(xs []float64) (float64, float64, bool) {
	m := 0.0
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, 0, false
		}
		m += x
	}
	m /= float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return m, ss / float64(len(xs)-1), true
}
