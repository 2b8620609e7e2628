package discover

import "github.com/coopsim/coopsim/agents/detmath"

// binomialTail returns P(X ≥ k) for X ~ Binomial(n, p), for 0 < p < 1.
// It sums the probability mass function with detmath's Exp and Log only,
// so that its bits, like the results', do not depend on the CPU (gonum's
// regularised incomplete beta calls math.Exp, whose amd64 code path
// depends on the CPU's fused multiply-adds).
//
// Above the mode the terms fall from k on and are summed upward from k;
// at or below it the tail is 1 − P(X ≤ k−1), whose terms fall from k−1
// down, and the tail is then over a third, so the subtraction
// loses no relative accuracy. Each sum starts at its largest term, known
// by its logarithm, and adds the others as ratios to it, which neither
// overflows nor underflows before the terms are negligible.
func binomialTail(n, k int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	}
	q := 1 - p
	if mode := int(float64(n+1) * p); k > mode {
		return termsFrom(n, k, p, q, true)
	}
	return 1 - termsFrom(n, k-1, p, q, false)
}

// termsFrom returns the sum of the binomial probabilities of j for j from
// j0 up to n (up) or down to 0 (!up).
func termsFrom(n, j0 int, p, q float64, up bool) float64 {
	logFirst := logChoose(n, j0) + float64(j0)*detmath.Log(p) + float64(n-j0)*detmath.Log(q)
	sum, r := 1.0, 1.0
	if up {
		for j := j0; j < n && r > 0; j++ {
			r *= float64(n-j) * p / (float64(j+1) * q)
			sum += r
		}
	} else {
		for j := j0; j > 0 && r > 0; j-- {
			r *= float64(j) * q / (float64(n-j+1) * p)
			sum += r
		}
	}
	return detmath.Exp(logFirst) * sum
}

// logChoose returns log(n choose k) as a sum of logarithms of ratios
// (n−k+i)/i, i = 1..min(k, n−k), each near the size of its result.
func logChoose(n, k int) float64 {
	k = min(k, n-k)
	s := 0.0
	for i := 1; i <= k; i++ {
		s += detmath.Log(float64(n-k+i) / float64(i))
	}
	return s
}
