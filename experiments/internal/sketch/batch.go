package sketch

import "slices"

// maxBatch is the most values AddBatch maps to bins at a time (longer
// batches are added in pieces of maxBatch); its buffers live on the stack.
const maxBatch = 32

// AddBatch adds the values of xs, with the same result as Add of each in
// any order (the same counts, State and quantiles). It is faster than Add
// one by one: the values' bins are computed together, so the processor
// overlaps their logarithms, and a sparse store finds the batch's bins,
// sorted, in one forward scan of its list (which streams a cold list from
// memory, where a binary search a value waits on one fetch after another)
// and takes the new ones in one pass of copying instead of one per value.
func (s *Sketch) AddBatch(xs []float64) {
	for len(xs) > maxBatch {
		s.addBatch(xs[:maxBatch])
		xs = xs[maxBatch:]
	}
	s.addBatch(xs)
}

// addBatch adds at most maxBatch values.
func (s *Sketch) addBatch(xs []float64) {
	var pos, neg [maxBatch]int32
	np, nn := 0, 0
	for _, x := range xs {
		switch {
		case x > Zero:
			pos[np] = binIndex(x)
			np++
		case x < -Zero:
			neg[nn] = binIndex(-x)
			nn++
		default:
			s.zero++
		}
	}
	s.n += uint64(len(xs))
	if np > 0 {
		s.pos.addBins(pos[:np])
	}
	if nn > 0 {
		s.neg.addBins(neg[:nn])
	}
}

// addBins adds one to each bin of bins (at most maxBatch, in any order;
// it sorts them).
func (b *binStore) addBins(bins []int32) {
	sortBins(bins)
	var runs [maxBatch]binCount // the distinct bins, ascending, and their counts
	n := 0
	for _, i := range bins {
		if n > 0 && runs[n-1].bin == i {
			runs[n-1].n++
			continue
		}
		runs[n] = binCount{i, 1}
		n++
	}
	b.addCounts(runs[:n])
}

// addCounts adds the counts of bc (distinct bins, ascending, at most
// maxBatch) to the store in whichever form it is; it overwrites bc.
func (b *binStore) addCounts(bc []binCount) {
	if len(b.counts) == 0 {
		b.addSparseSorted(bc)
		return
	}
	b.addDenseSorted(bc)
}

// sortBins sorts a short slice in place (insertion sort: a batch is at
// most maxBatch bins).
func sortBins(v []int32) {
	for i := 1; i < len(v); i++ {
		x, j := v[i], i
		for ; j > 0 && v[j-1] > x; j-- {
			v[j] = v[j-1]
		}
		v[j] = x
	}
}

// addDenseSorted adds the counts of bc (ascending bins) to a dense store,
// growing its counts once to cover them (empty counts start at bc's
// lowest bin, as the dense form of a list does).
func (b *binStore) addDenseSorted(bc []binCount) {
	lo, hi := bc[0].bin, bc[len(bc)-1].bin
	if len(b.counts) == 0 {
		b.offset = lo
	}
	if lo < b.offset {
		grow := int(b.offset - lo)
		nc := make([]uint32, grow+len(b.counts))
		copy(nc[grow:], b.counts)
		b.counts, b.offset = nc, lo
	}
	if need := int(hi-b.offset) + 1; need > len(b.counts) {
		b.counts = append(b.counts, make([]uint32, need-len(b.counts))...)
	}
	for _, e := range bc {
		b.counts[e.bin-b.offset] += e.n
	}
}

// addSparseSorted adds the counts of bc (distinct bins, ascending, at most
// maxBatch) to a sparse store; if the list with bc's new bins would hold
// more than maxSparse bins and take more memory than the dense counts, it
// turns the store dense first (for a batch of one bin, the test of one
// value at a time: at most maxSparse listed, or the list the smaller). The listed bins are found by one forward scan; the new ones
// go in by one backward pass that moves each listed bin at most once. It
// overwrites bc.
func (b *binStore) addSparseSorted(bc []binCount) {
	var at [maxBatch]int32 // where each new bin goes in the old list
	fresh := 0             // bins of bc not listed
	s, k := b.sparse, 0
	for j, e := range bc {
		for k < len(s) && s[k].bin < e.bin {
			k++
		}
		if k < len(s) && s[k].bin == e.bin {
			s[k].n += e.n
			continue
		}
		at[fresh] = int32(k)
		bc[fresh] = bc[j]
		fresh++
	}
	if fresh == 0 {
		return
	}
	old, total := len(b.sparse), len(b.sparse)+fresh
	if total > maxSparse {
		lo, hi := bc[0].bin, bc[fresh-1].bin
		if old > 0 {
			lo, hi = min(lo, b.sparse[0].bin), max(hi, b.sparse[old-1].bin)
		}
		if 4*(int64(hi)-int64(lo)+1) <= 8*int64(total) {
			if old > 0 {
				b.offset, b.counts = b.dense()
				b.sparse = nil
			}
			b.addDenseSorted(bc[:fresh])
			return
		}
	}
	switch {
	case b.sparse == nil:
		b.sparse = make([]binCount, 0, max(4, total))
	case total > cap(b.sparse): // grow by a quarter, not append's double
		b.sparse = slices.Grow(b.sparse, max(total-old, old/4+4))
	}
	s = b.sparse[:total]
	end := old // s[end:] of the old list has moved to its place
	for j := fresh - 1; j >= 0; j-- {
		k := int(at[j])
		copy(s[k+j+1:end+j+1], s[k:end])
		s[k+j] = bc[j]
		end = k
	}
	b.sparse = s
}
