package detmath

import "math"

// Pow returns x^y with the same bits on every CPU. For finite x > 0 and
// finite y it is Exp(y·Log(x)), within 2·(1 + |y·ln x|) ulp (Log's error
// and the rounding of y·ln x are scaled by y·ln x; TestPowAccuracy); other arguments take
// math.Pow's special cases, whose results are exact or computed by
// multiplications alone (an integer power of a negative x), so they do not
// depend on the CPU either.
func Pow(x, y float64) float64 {
	if x > 0 && x <= math.MaxFloat64 && !math.IsInf(y, 0) && y == y {
		if y == 0 || x == 1 {
			return 1
		}
		return Exp(float64(y * Log(x)))
	}
	return math.Pow(x, y)
}
