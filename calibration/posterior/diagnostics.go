package posterior

import "math"

// SplitRHat returns the split-chain potential scale reduction factor of
// draws [chain][draw] (Gelman et al. 2013, Bayesian Data Analysis, 3rd
// ed., §11.4): each chain is cut in halves, and R-hat is
// √(var⁺/W) with W the mean within-half variance and var⁺ = (n−1)/n·W + B/n.
// It is near 1 when the chains agree; above 1.01–1.05 they have not mixed.
// NaN with fewer than 4 draws per chain.
func SplitRHat(draws [][]float64) float64 {
	var halves [][]float64
	for _, c := range draws {
		n := len(c) / 2
		if n < 2 {
			return math.NaN()
		}
		halves = append(halves, c[:n], c[len(c)-n:])
	}
	n := float64(len(halves[0]))
	var w float64
	means := make([]float64, len(halves))
	for i, h := range halves {
		m, v := meanVar(h)
		means[i], w = m, w+v
	}
	w /= float64(len(halves))
	_, bOverN := meanVar(means)
	if w == 0 {
		if bOverN == 0 {
			return 1
		}
		return math.Inf(1)
	}
	return math.Sqrt(((n-1)/n*w + bOverN) / w)
}

// ESS returns the effective sample size of draws [chain][draw] (equal
// lengths) by the multi-chain autocorrelation estimate with Geyer's (1992)
// initial monotone sequence, as in Stan (Vehtari et al. 2021, Bayesian
// Analysis 16(2), eq. 10): ρ_t = 1 − (W − mean acov_t)/var⁺, and
// ESS = M·N/(−1 + 2·Σ P_k) over the positive, non-increasing pair sums
// P_k = ρ_2k + ρ_2k+1.
func ESS(draws [][]float64) float64 {
	m := len(draws)
	if m == 0 || len(draws[0]) < 4 {
		return math.NaN()
	}
	n := len(draws[0])
	means := make([]float64, m)
	var w float64
	for c, d := range draws {
		mu, v := meanVar(d)
		means[c], w = mu, w+v
	}
	w /= float64(m)
	varPlus := float64(n-1) / float64(n) * w
	if m > 1 {
		_, bn := meanVar(means)
		varPlus += bn
	}
	if varPlus == 0 {
		return float64(m * n)
	}
	rho := func(t int) float64 {
		acov := 0.0
		for c, d := range draws {
			s := 0.0
			for i := 0; i+t < n; i++ {
				s += (d[i] - means[c]) * (d[i+t] - means[c])
			}
			acov += s / float64(n)
		}
		return 1 - (w-acov/float64(m))/varPlus
	}
	sum, prev := 0.0, math.Inf(1)
	for k := 0; 2*k+1 < n; k++ {
		p := rho(2*k) + rho(2*k+1)
		if p <= 0 {
			break
		}
		p = math.Min(p, prev)
		sum, prev = sum+p, p
	}
	tau := math.Max(-1+2*sum, 1/math.Log10(float64(m*n)))
	return float64(m*n) / tau
}
