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

func (f *Sum) Add(x float64) { f.w[0], f.w[1], f.w[2] = addFixed(f.w[0], f.w[1], f.w[2], x) }

// AddBatch adds the values of xs, with the same result as Add of each (the
// sum in registers meanwhile).
func (f *Sum) AddBatch(xs []float64) {
	a0, a1, a2 := f.w[0], f.w[1], f.w[2]
	for _, x := range xs {
		a0, a1, a2 = addFixed(a0, a1, a2, x)
	}
	f.w = [3]uint64{a0, a1, a2}
}

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

// fixedOf returns |x|·2^48 as a 192-bit integer, truncated toward zero,
// and sign, all ones if x is negative and zero otherwise: x·2^48 is then
// w^sign + (sign&1) in two's complement. Values too large to hold saturate
// at 2^142 (beyond any valid market; validation keeps them from
// occurring); NaN counts as zero.
//
// It reads x's bits: |x| = m·2^(e−1075), m = 2^52 + the stored fraction,
// so |x|·2^48 = m·2^shift. Shifts by 64 bits or more give 0 in Go, which
// makes the conversion free of branches but one that is never taken in a
// valid market: a shift below −63 (zero, subnormals, values below the
// resolution 2^-48) leaves 0, and each word takes its part of m.
func fixedOf(x float64) (w0, w1, w2, sign uint64) {
	b := math.Float64bits(x)
	sign = uint64(int64(b) >> 63)
	e, frac := int(b>>52&0x7ff), b&(1<<52-1)
	shift := e - 1075 + fixedFracBits
	if shift >= 128+10 { // |x| ≥ 2^142: too large to hold, ±Inf or NaN
		if e == 0x7ff && frac != 0 {
			return 0, 0, 0, 0 // NaN
		}
		return 0, 0, 1 << 62, sign
	}
	m := (frac | 1<<52) >> uint(max(-shift, 0))
	s := uint(max(shift, 0))
	w0 = m << s
	w1 = m<<(s-64) | m>>(64-s) // s−64 and 64−s wrap around to large shifts, giving 0
	w2 = m<<(s-128) | m>>(128-s)
	return w0, w1, w2, sign
}

// addFixed returns the 192-bit a0 + a1·2^64 + a2·2^128 plus x·2^48 (as
// fixedOf gives it).
func addFixed(a0, a1, a2 uint64, x float64) (uint64, uint64, uint64) {
	w0, w1, w2, s := fixedOf(x)
	var c uint64
	a0, c = bits.Add64(a0, w0^s, s&1)
	a1, c = bits.Add64(a1, w1^s, c)
	a2, _ = bits.Add64(a2, w2^s, c)
	return a0, a1, a2
}
