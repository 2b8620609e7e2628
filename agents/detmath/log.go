package detmath

import "math"

const (
	logLn2Hi = 0x1.62e42fee00000p-1 // ln2's head: k·logLn2Hi is exact for |k| < 2^21
	logLn2Lo = math.Ln2 - 0x1.62e42fee00000p-1
)

// Log returns the natural logarithm of x, within 1 ulp of the exact value
// (TestLogAccuracy measures it), with the same bits on every CPU. Special
// cases are as for math.Log: Log(+Inf) = +Inf, Log(0) = -Inf, Log(x < 0) =
// NaN, Log(NaN) = NaN.
//
// Method: x = 2^k·(1+f) with 1+f in [√2/2, √2), so ln x = k·ln2 + ln(1+f).
// With s = f/(2+f), ln(1+f) = 2·atanh(s) = 2s + s·R(s²), where R(z) =
// Σ_{n≥1} 2zⁿ/(2n+1) (the Taylor series of atanh). Since 2s = f − s·f and
// s·f = f²/(2+f) = h·(1−s) with h = f²/2, ln(1+f) = f − (h − s·(h + R)),
// which keeps the rounding errors of the large terms out. |s| ≤ 0.1716, so
// z = s² ≤ 0.02944 and R's terms past z^10 are below 2^-58 of the result.
func Log(x float64) float64 {
	switch {
	case x != x || x > math.MaxFloat64:
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	k := int64(0)
	if x < 0x1p-1022 { // subnormal: scale into the normal range
		x *= 0x1p54
		k = -54
	}
	b := math.Float64bits(x)
	k += int64(b>>52) - 1023
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52) // in [1, 2)
	if m >= math.Sqrt2 {
		m /= 2
		k++
	}
	f := m - 1 // exact
	s := f / (2 + f)
	z := float64(s * s)
	// R = z·(2/3 + z·(2/5 + … + z·(2/19 + z·2/21))), by Horner.
	R := 2.0 / 21
	for n := 9; n >= 1; n-- {
		R = 2/float64(2*n+1) + float64(z*R)
	}
	R = float64(z * R)
	hfsq := float64(0.5 * float64(f*f))
	kf := float64(k)
	return float64(kf*logLn2Hi) + (f - (hfsq - (float64(s*(hfsq+R)) + float64(kf*logLn2Lo))))
}
