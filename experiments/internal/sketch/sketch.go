package sketch

import (
	"math"

	"github.com/coopsim/coopsim/agents/detmath"
)

// Alpha is the quantile sketch's relative accuracy: every value in
// bin i lies in (γ^(i-1), γ^i], and the bin is reported as 2γ^i/(γ+1), within
// α = (γ−1)/(γ+1) = 0.5% of any value in it (Masson, Rim & Lee 2019,
// DDSketch).
const (
	Alpha = 0.005
	gamma = (1 + Alpha) / (1 - Alpha)
	// Zero: values smaller in magnitude count as zero (dollars,
	// accounts and shares below 1e-9 are rounding noise).
	Zero = 1e-9
)

var logGamma = detmath.Log(gamma)

// Sketch is a mergeable quantile sketch: counts per logarithmic bin. Adding
// the same values in any order, or merging sketches of any partition of
// them, gives identical counts, which is what makes results independent of
// workers, shards and resumes.
type Sketch struct {
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

func binIndex(x float64) int32 { return int32(math.Ceil(detmath.Log(x) / logGamma)) }

func binValue(i int32) float64 { return 2 * detmath.Pow(gamma, float64(i)) / (gamma + 1) }

func (s *Sketch) Add(x float64) {
	s.n++
	switch {
	case x > Zero:
		s.pos.add(binIndex(x), 1)
	case x < -Zero:
		s.neg.add(binIndex(-x), 1)
	default:
		s.zero++
	}
}

func (s *Sketch) Merge(o *Sketch) {
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

// Quantile returns the value of rank ⌊q·(n−1)⌋ (0-based) among the values,
// to the sketch's accuracy.
func (s *Sketch) Quantile(q float64) float64 {
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

// N returns the number of values added.
func (s *Sketch) N() uint64 { return s.n }

// State is a Sketch's content, for saving (its fields are plain data).
type State struct {
	N, Zero        uint64
	PosOff, NegOff int32
	Pos, Neg       []uint32
}

// State returns the sketch's content; the slices are shared, not copied.
func (s *Sketch) State() State {
	return State{N: s.n, Zero: s.zero, PosOff: s.pos.offset, NegOff: s.neg.offset, Pos: s.pos.counts, Neg: s.neg.counts}
}

// FromState returns the sketch whose content is st (slices shared).
func FromState(st State) Sketch {
	return Sketch{n: st.N, zero: st.Zero, pos: binStore{offset: st.PosOff, counts: st.Pos}, neg: binStore{offset: st.NegOff, counts: st.Neg}}
}

// BinBytes returns the bytes the sketch's bins hold (their capacity): the
// part of its memory that grows with the range of the values, not their
// number.
func (s *Sketch) BinBytes() int { return 4 * (cap(s.pos.counts) + cap(s.neg.counts)) }
