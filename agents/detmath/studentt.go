package detmath

import "math"

// tSeriesMax is the largest number of degrees of freedom for which
// StudentTQuantile sums the exact distribution function; above it the
// Cornish–Fisher expansion's error (the first omitted term is of order
// ν^-5) is below 1e-13 relative.
const tSeriesMax = 500

// StudentTQuantile returns the p quantile of Student's t distribution with
// nu degrees of freedom (nu ≥ 1), for 0 < p < 1, within 1e-13 relative
// (TestStudentTQuantile checks it against 40-digit values), with the same
// bits on every amd64 CPU (gonum's distuv.StudentsT calls math.Exp, whose
// bits differ between them). It also calls math.Atan and math.Erfcinv,
// pure Go that a build for another architecture (or GOAMD64=v3) may compile
// with fused multiply-adds: Fingerprint covers them. It returns NaN for
// nu < 1 or p outside (0, 1).
//
// Up to 500 degrees of freedom it solves F(t) = p by bisection to the last
// bit, with F from the finite sums of Abramowitz & Stegun 26.7.3–26.7.4;
// above, it uses the Cornish–Fisher expansion of the t quantile in the
// normal one to order ν^-4 (Abramowitz & Stegun 26.7.5).
func StudentTQuantile(p float64, nu int) float64 {
	if nu < 1 || !(p > 0 && p < 1) {
		return math.NaN()
	}
	if p == 0.5 {
		return 0
	}
	if p < 0.5 {
		return -StudentTQuantile(1-p, nu)
	}
	if nu > tSeriesMax {
		return tCornishFisher(p, float64(nu))
	}
	// F is increasing; A(t) = 2F(t) − 1 = P(|T| ≤ t).
	want := 2*p - 1
	lo, hi := 0.0, 1.0
	for tTwoSided(hi, nu) < want {
		lo, hi = hi, 2*hi
		if math.IsInf(hi, 0) {
			return hi
		}
	}
	for {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			return hi
		}
		if tTwoSided(mid, nu) < want {
			lo = mid
		} else {
			hi = mid
		}
	}
}

// tTwoSided is A(t|ν) = P(|T| ≤ t) for t ≥ 0 (Abramowitz & Stegun 26.7.3
// for odd ν, 26.7.4 for even ν), with θ = atan(t/√ν):
//
//	odd ν:  A = (2/π)·(θ + sinθ·(cosθ + (2/3)cos³θ + … + (2·4⋯(ν−3))/(1·3⋯(ν−2))·cos^(ν−2)θ))
//	even ν: A = sinθ·(1 + (1/2)cos²θ + … + (1·3⋯(ν−3))/(2·4⋯(ν−2))·cos^(ν−2)θ)
func tTwoSided(t float64, nu int) float64 {
	v := float64(nu)
	r := math.Sqrt(v + float64(t*t))
	sin, cos := t/r, math.Sqrt(v)/r
	c2 := float64(cos * cos)
	if nu%2 == 0 {
		sum, term := 1.0, 1.0
		for j := 2; j < nu; j += 2 {
			term = float64(term*c2) * float64(j-1) / float64(j)
			sum += term
		}
		return float64(sin * sum)
	}
	theta := math.Atan(t / math.Sqrt(v))
	if nu == 1 {
		return float64(theta * 2 / math.Pi)
	}
	sum, term := cos, cos
	for j := 3; j < nu; j += 2 {
		term = float64(term*c2) * float64(j-1) / float64(j)
		sum += term
	}
	return float64((theta+float64(sin*sum))*2) / math.Pi
}

// tCornishFisher is the t quantile from the normal quantile z:
// t = z + g1/ν + g2/ν² + g3/ν³ + g4/ν⁴ (Abramowitz & Stegun 26.7.5).
func tCornishFisher(p, nu float64) float64 {
	z := -math.Sqrt2 * math.Erfcinv(2*p)
	z2 := float64(z * z)
	poly := func(c ...float64) float64 { // Σ c[i]·z^(2i+1), by Horner in z²
		s := 0.0
		for i := len(c) - 1; i >= 0; i-- {
			s = float64(s*z2) + c[i]
		}
		return float64(s * z)
	}
	g1 := poly(1, 1) / 4
	g2 := poly(3, 16, 5) / 96
	g3 := poly(-15, 17, 19, 3) / 384
	g4 := poly(-945, -1920, 1482, 776, 79) / 92160
	return z + float64((g1+float64((g2+float64((g3+float64(g4/nu))/nu))/nu))/nu)
}
