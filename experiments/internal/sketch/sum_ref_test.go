package sketch

import (
	"math"
)

// toFixedRef is the conversion Sum.Add made before fixedOf (math.Frexp,
// then a 192-bit negation), kept to check fixedOf against bit for bit:
// x·2^48 as a 192-bit two's-complement integer, truncated toward zero,
// saturating at ±2^142, NaN as zero.
func toFixedRef(x float64) [3]uint64 {
	var w [3]uint64
	if x == 0 || math.IsNaN(x) {
		return w
	}
	neg := x < 0
	mant, exp := math.Frexp(math.Abs(x)) // |x| = mant·2^exp, 0.5 ≤ mant < 1
	m := uint64(mant * (1 << 53))        // exact
	shift := exp - 53 + fixedFracBits    // |x|·2^48 = m·2^shift
	if shift < 0 {
		if shift <= -64 {
			return w
		}
		m >>= -shift
		shift = 0
	}
	limb, off := shift/64, uint(shift%64)
	switch {
	case math.IsInf(x, 0) || limb > 2 || (limb == 2 && (off > 9 || m>>(63-off) != 0)):
		w = [3]uint64{0, 0, 1 << 62}
	default:
		w[limb] = m << off
		if off > 0 && limb < 2 {
			w[limb+1] = m >> (64 - off)
		}
	}
	if neg {
		w = negate192(w)
	}
	return w
}
