package sketch

import (
	"math"
	"math/bits"
)

// Sum adds float64 values exactly, as 192-bit two's-complement
// fixed-point numbers with 48 fractional bits (each value is first
// truncated to a multiple of 2^-48 ≈ 3.6e-15), so the sum does not depend on
// the order of addition, as floating-point sums do: that is what lets
// workers, shards and resumed runs give identical means. It holds sums of up
// to 2^24 values below 2^119 ≈ 6.6e35 in magnitude; market.Config.Validate
// keeps every monthly value far below that.
type Sum struct {
	w [3]uint64
}

// Words returns the sum's 192-bit two's-complement value, low word first
// (for saving).
func (f Sum) Words() [3]uint64 { return f.w }

// SumOf returns the Sum whose value is w (from Words).
func SumOf(w [3]uint64) Sum { return Sum{w: w} }

const fixedFracBits = 48

func (f *Sum) Add(x float64) { f.Merge(Sum{toFixed(x)}) }

func (f *Sum) Merge(o Sum) {
	var c uint64
	f.w[0], c = bits.Add64(f.w[0], o.w[0], 0)
	f.w[1], c = bits.Add64(f.w[1], o.w[1], c)
	f.w[2], _ = bits.Add64(f.w[2], o.w[2], c)
}

// Float returns the sum as a float64 (rounded, deterministically).
func (f Sum) Float() float64 {
	w := f.w
	neg := w[2]>>63 == 1
	if neg {
		w = negate192(w)
	}
	v := (float64(w[2])*0x1p128 + float64(w[1])*0x1p64 + float64(w[0])) * 0x1p-48
	if neg {
		return -v
	}
	return v
}

func negate192(w [3]uint64) [3]uint64 {
	var c uint64
	w[0], c = bits.Add64(^w[0], 1, 0)
	w[1], c = bits.Add64(^w[1], 0, c)
	w[2], _ = bits.Add64(^w[2], 0, c)
	return w
}

// toFixed converts x to x·2^48 as a 192-bit two's-complement integer,
// truncated toward zero. Values too large to hold saturate (validation
// keeps them from occurring); NaN counts as zero.
func toFixed(x float64) [3]uint64 {
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
		w = [3]uint64{0, 0, 1 << 62} // saturate at 2^142 (beyond any valid market)
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
