package experiments

import (
	"math"
	"math/bits"
)

// sketchGamma sets the quantile sketch's relative accuracy: every value in
// bin i lies in (γ^(i-1), γ^i], and the bin is reported as 2γ^i/(γ+1), within
// α = (γ−1)/(γ+1) = 0.5% of any value in it (Masson, Rim & Lee 2019,
// DDSketch).
const (
	sketchAlpha = 0.005
	sketchGamma = (1 + sketchAlpha) / (1 - sketchAlpha)
	// sketchZero: values smaller in magnitude count as zero (dollars,
	// accounts and shares below 1e-9 are rounding noise).
	sketchZero = 1e-9
)

var logGamma = math.Log(sketchGamma)

// sketch is a mergeable quantile sketch: counts per logarithmic bin. Adding
// the same values in any order, or merging sketches of any partition of
// them, gives identical counts, which is what makes results independent of
// workers, shards and resumes.
type sketch struct {
	n    uint64
	zero uint64
	pos  binStore
	neg  binStore
}

// binStore holds counts for bins offset, offset+1, ...
type binStore struct {
	offset int32
	counts []uint32
}

func (b *binStore) add(i int32, c uint32) {
	if len(b.counts) == 0 {
		b.offset = i
		b.counts = append(b.counts, c)
		return
	}
	if i < b.offset {
		grow := int(b.offset - i)
		nc := make([]uint32, grow+len(b.counts))
		copy(nc[grow:], b.counts)
		b.counts, b.offset = nc, i
	} else if int(i-b.offset) >= len(b.counts) {
		need := int(i-b.offset) + 1
		b.counts = append(b.counts, make([]uint32, need-len(b.counts))...)
	}
	b.counts[i-b.offset] += c
}

func binIndex(x float64) int32 { return int32(math.Ceil(math.Log(x) / logGamma)) }

func binValue(i int32) float64 { return 2 * math.Pow(sketchGamma, float64(i)) / (sketchGamma + 1) }

func (s *sketch) add(x float64) {
	s.n++
	switch {
	case x > sketchZero:
		s.pos.add(binIndex(x), 1)
	case x < -sketchZero:
		s.neg.add(binIndex(-x), 1)
	default:
		s.zero++
	}
}

func (s *sketch) merge(o *sketch) {
	s.n += o.n
	s.zero += o.zero
	for j, c := range o.pos.counts {
		if c != 0 {
			s.pos.add(o.pos.offset+int32(j), c)
		}
	}
	for j, c := range o.neg.counts {
		if c != 0 {
			s.neg.add(o.neg.offset+int32(j), c)
		}
	}
}

// quantile returns the value of rank ⌊q·(n−1)⌋ (0-based) among the values,
// to the sketch's accuracy.
func (s *sketch) quantile(q float64) float64 {
	if s.n == 0 {
		return 0
	}
	rank := uint64(q * float64(s.n-1))
	var seen uint64
	for j := len(s.neg.counts) - 1; j >= 0; j-- { // most negative first
		seen += uint64(s.neg.counts[j])
		if seen > rank {
			return -binValue(s.neg.offset + int32(j))
		}
	}
	seen += s.zero
	if seen > rank {
		return 0
	}
	for j, c := range s.pos.counts {
		seen += uint64(c)
		if seen > rank {
			return binValue(s.pos.offset + int32(j))
		}
	}
	return binValue(s.pos.offset + int32(len(s.pos.counts)-1))
}

// fixedSum adds float64 values exactly, as 128-bit fixed-point numbers with
// 32 fractional bits (values are truncated to 2^-32 ≈ 2.3e-10 first), so
// the sum does not depend on the order of addition: floating-point sums do.
// It holds any sum of up to 2^40 values below 2^54 in magnitude.
type fixedSum struct {
	hi int64
	lo uint64
}

const fixedFracBits = 32

func (f *fixedSum) add(x float64) {
	hi, lo := toFixed(x)
	var carry uint64
	f.lo, carry = bits.Add64(f.lo, lo, 0)
	f.hi += hi + int64(carry)
}

func (f *fixedSum) merge(o fixedSum) {
	var carry uint64
	f.lo, carry = bits.Add64(f.lo, o.lo, 0)
	f.hi += o.hi + int64(carry)
}

// float returns the sum as the nearest-ish float64 (two roundings).
func (f fixedSum) float() float64 {
	return (float64(f.hi)*0x1p64 + float64(f.lo)) * 0x1p-32
}

// toFixed converts x to a two's-complement 128-bit integer x·2^32,
// truncated toward zero.
func toFixed(x float64) (int64, uint64) {
	if x == 0 || math.IsNaN(x) {
		return 0, 0
	}
	neg := x < 0
	mant, exp := math.Frexp(math.Abs(x)) // |x| = mant·2^exp, 0.5 ≤ mant < 1
	m := uint64(mant * (1 << 53))        // exact
	shift := exp - 53 + fixedFracBits    // |x|·2^32 = m·2^shift
	var hi, lo uint64
	switch {
	case shift >= 0 && shift < 64:
		lo = m << shift
		if shift > 0 {
			hi = m >> (64 - shift)
		}
	case shift >= 64 && shift < 75:
		hi = m << (shift - 64)
	case shift >= 75:
		hi = math.MaxInt64 >> 1 // beyond range: saturate (never reached by money or shares)
	case shift > -64:
		lo = m >> -shift
	}
	if neg { // two's complement negate
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	return int64(hi), lo
}
