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

// binStore holds counts per bin. While it has at most maxSparse distinct
// bins, or more that span so many bins that the list is the smaller form,
// it keeps them as a sorted list (sparse); then as the counts of bins
// offset, offset+1, ..., from the lowest counted to the highest (counts,
// dense). Over a few runs a cell's values lie far apart in bins (hundreds
// of bins for eight values), which the list holds in a few words where
// the dense counts took a growing, mostly empty array; over many runs the
// bins fill in and the dense counts are both smaller and faster. State
// saves both forms as the dense counts, so the saved bytes do not depend
// on the form.
type binStore struct {
	offset int32
	counts []uint32
	sparse []binCount
}

// binCount is one bin of a sparse binStore.
type binCount struct {
	bin int32
	n   uint32
}

// maxSparse is the most distinct bins a binStore keeps as a list whatever
// their span.
const maxSparse = 16

// dense returns the store's counts in the dense form (shared if dense).
func (b *binStore) dense() (offset int32, counts []uint32) {
	if len(b.sparse) == 0 {
		return b.offset, b.counts
	}
	first, last := b.sparse[0].bin, b.sparse[len(b.sparse)-1].bin
	counts = make([]uint32, last-first+1)
	for _, e := range b.sparse {
		counts[e.bin-first] = e.n
	}
	return first, counts
}

// merge adds o's counts, maxBatch distinct bins at a time (ascending), as
// AddBatch adds a batch's.
func (b *binStore) merge(o *binStore) {
	var chunk [maxBatch]binCount
	n := 0
	put := func(bin int32, c uint32) {
		chunk[n] = binCount{bin, c}
		if n++; n == maxBatch {
			b.addCounts(chunk[:n])
			n = 0
		}
	}
	for _, e := range o.sparse {
		put(e.bin, e.n)
	}
	for j, c := range o.counts {
		if c != 0 {
			put(o.offset+int32(j), c)
		}
	}
	if n > 0 {
		b.addCounts(chunk[:n])
	}
}

// find adds the bins' counts to seen, lowest bin first (highest first if
// down), until seen exceeds rank, and returns that bin.
func (b *binStore) find(rank uint64, seen *uint64, down bool) (int32, bool) {
	n := len(b.sparse) + len(b.counts) // one of them is empty
	for k := range n {
		if down {
			k = n - 1 - k
		}
		bin, c := b.offset+int32(k), uint32(0)
		if len(b.sparse) > 0 {
			bin, c = b.sparse[k].bin, b.sparse[k].n
		} else {
			c = b.counts[k]
		}
		*seen += uint64(c)
		if *seen > rank {
			return bin, true
		}
	}
	return 0, false
}

// last returns the highest bin (offset-1 if the store is empty).
func (b *binStore) last() int32 {
	if len(b.sparse) > 0 {
		return b.sparse[len(b.sparse)-1].bin
	}
	return b.offset + int32(len(b.counts)) - 1
}

func binIndex(x float64) int32 { return int32(math.Ceil(detmath.Log(x) / logGamma)) }

func binValue(i int32) float64 { return 2 * detmath.Pow(gamma, float64(i)) / (gamma + 1) }

// Add adds x: AddBatch of one value.
func (s *Sketch) Add(x float64) { s.addBatch([]float64{x}) }

func (s *Sketch) Merge(o *Sketch) {
	s.n += o.n
	s.zero += o.zero
	s.pos.merge(&o.pos)
	s.neg.merge(&o.neg)
}

// Quantile returns the value of rank ⌊q·(n−1)⌋ (0-based) among the values,
// to the sketch's accuracy.
func (s *Sketch) Quantile(q float64) float64 {
	if s.n == 0 {
		return 0
	}
	rank := uint64(q * float64(s.n-1))
	var seen uint64
	if bin, ok := s.neg.find(rank, &seen, true); ok { // most negative first
		return -binValue(bin)
	}
	seen += s.zero
	if seen > rank {
		return 0
	}
	if bin, ok := s.pos.find(rank, &seen, false); ok {
		return binValue(bin)
	}
	return binValue(s.pos.last())
}

// N returns the number of values added.
func (s *Sketch) N() uint64 { return s.n }

// State is a Sketch's content, for saving (its fields are plain data).
type State struct {
	N, Zero        uint64
	PosOff, NegOff int32
	Pos, Neg       []uint32
}

// State returns the sketch's content, its bins in the dense form (the
// slices of a dense store are shared, not copied).
func (s *Sketch) State() State {
	st := State{N: s.n, Zero: s.zero}
	st.PosOff, st.Pos = s.pos.dense()
	st.NegOff, st.Neg = s.neg.dense()
	return st
}

// FromState returns the sketch whose content is st, each store a list
// while it has at most maxSparse bins or the list is the smaller, else the
// dense counts (st's slices, shared): the rule adding values follows
// (addSparseSorted), so a resumed or merged run holds no more memory than
// the run it continues (less where that run's store turned dense and its
// bins later spread).
func FromState(st State) Sketch {
	return Sketch{n: st.N, zero: st.Zero, pos: storeOf(st.PosOff, st.Pos), neg: storeOf(st.NegOff, st.Neg)}
}

// storeOf returns the store of the dense counts from offset, listed if
// that is the form adding them would leave (see addSparseSorted).
func storeOf(offset int32, counts []uint32) binStore {
	k := 0
	for _, c := range counts {
		if c != 0 {
			k++
		}
	}
	if k == 0 {
		return binStore{}
	}
	if k > maxSparse && 4*len(counts) <= 8*k {
		return binStore{offset: offset, counts: counts}
	}
	list := make([]binCount, 0, k)
	for j, c := range counts {
		if c != 0 {
			list = append(list, binCount{offset + int32(j), c})
		}
	}
	return binStore{sparse: list}
}

// BinBytes returns the bytes the sketch's bins hold (their capacity): the
// part of its memory that grows with the range of the values, not their
// number.
func (s *Sketch) BinBytes() int {
	return 4*(cap(s.pos.counts)+cap(s.neg.counts)) + 8*(cap(s.pos.sparse)+cap(s.neg.sparse))
}
