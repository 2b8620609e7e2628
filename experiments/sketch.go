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

// fixedSum adds float64 values exactly, as 192-bit two's-complement
// fixed-point numbers with 48 fractional bits (each value is first
// truncated to a multiple of 2^-48 ≈ 3.6e-15), so the sum does not depend on
// the order of addition, as floating-point sums do: that is what lets
// workers, shards and resumed runs give identical means. It holds sums of up
// to 2^24 values below 2^119 ≈ 6.6e35 in magnitude; market.Config.Validate
// keeps every monthly value far below that.
type fixedSum struct {
	w [3]uint64
}

const fixedFracBits = 48

func (f *fixedSum) add(x float64) { f.merge(fixedSum{toFixed(x)}) }

func (f *fixedSum) merge(o fixedSum) {
	var c uint64
	f.w[0], c = bits.Add64(f.w[0], o.w[0], 0)
	f.w[1], c = bits.Add64(f.w[1], o.w[1], c)
	f.w[2], _ = bits.Add64(f.w[2], o.w[2], c)
}

// float returns the sum as a float64 (rounded, deterministically).
func (f fixedSum) float() float64 {
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
