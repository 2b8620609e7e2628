package sketch

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// exactQuantile is the value of rank ⌊q·(n−1)⌋ among sorted, the rank the
// sketch's quantile documents (type 1/7 agree at those ranks).
func exactQuantile(sorted []float64, q float64) float64 {
	return sorted[int(q*float64(len(sorted)-1))]
}

// lognormal returns n draws of exp(N(mu, sigma²)), times sign.
func lognormal(r *rand.Rand, n int, mu, sigma, sign float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = sign * math.Exp(mu+sigma*r.NormFloat64())
	}
	return v
}

// TestSketchAccuracy: quantiles are within the relative accuracy α = 0.5%
// of the exact value of the same rank (DDSketch's guarantee: every value
// in a bin is within α of the value reported for the bin). The bound is
// exact, not statistical, so the tolerance is α itself plus float64
// rounding in log and pow (1e-12).
func TestSketchAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := map[string][]float64{
		"lognormal dollars": lognormal(r, 5000, math.Log(3e9), 1.5, 1),
		"lognormal shares":  lognormal(r, 5000, math.Log(0.05), 2, 1),
		"negative":          lognormal(r, 3000, math.Log(1e6), 1, -1),
		"mixed sign, zeros": append(append(lognormal(r, 1000, 10, 1, 1), lognormal(r, 1000, 10, 1, -1)...), make([]float64, 500)...),
		"one value":         {42},
	}
	const tol = Alpha + 1e-12
	for name, v := range cases {
		var s Sketch
		for _, x := range v {
			s.Add(x)
		}
		sorted := slices.Sorted(slices.Values(v))
		for _, q := range []float64{0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1} {
			got, want := s.Quantile(q), exactQuantile(sorted, q)
			if want == 0 {
				if got != 0 {
					t.Errorf("%s: q%v = %g, want 0", name, q, got)
				}
				continue
			}
			if rel := math.Abs(got-want) / math.Abs(want); rel > tol {
				t.Errorf("%s: q%v = %g, exact %g: relative error %.4g > %g", name, q, got, want, rel, tol)
			}
		}
	}
	var empty Sketch
	if q := empty.Quantile(0.5); q != 0 {
		t.Errorf("empty sketch: median %g, want 0", q)
	}
}

// TestSketchMergeOrder: merging sketches of any partition of the values,
// in any order, equals adding them all to one, in any order: the property
// that makes series.csv independent of workers, shards and resumes.
func TestSketchMergeOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	v := append(lognormal(r, 2000, 20, 2, 1), lognormal(r, 500, 5, 3, -1)...)
	v = append(v, 0, 1e-12, -1e-12, math.SmallestNonzeroFloat64)
	var all Sketch
	for _, x := range v {
		all.Add(x)
	}
	for trial := 0; trial < 20; trial++ {
		perm := r.Perm(len(v))
		parts := make([]Sketch, 1+r.IntN(7))
		for _, i := range perm {
			parts[r.IntN(len(parts))].Add(v[i])
		}
		var merged Sketch
		for _, p := range r.Perm(len(parts)) {
			merged.Merge(&parts[p])
		}
		if !sameSketch(&all, &merged) {
			t.Fatalf("trial %d: merge of %d parts differs from adding all", trial, len(parts))
		}
	}
}

// sameSketch compares sketches by their counts per bin (the storage, list
// or array, and the array's offset may differ, and zero bins may exist).
func sameSketch(a, b *Sketch) bool {
	bins := func(off int32, counts []uint32) map[int32]uint32 {
		m := map[int32]uint32{}
		for j, c := range counts {
			if c != 0 {
				m[off+int32(j)] = c
			}
		}
		return m
	}
	eq := func(x, y map[int32]uint32) bool {
		if len(x) != len(y) {
			return false
		}
		for k, c := range x {
			if y[k] != c {
				return false
			}
		}
		return true
	}
	sa, sb := a.State(), b.State()
	if a.n != b.n || a.zero != b.zero || !eq(bins(sa.PosOff, sa.Pos), bins(sb.PosOff, sb.Pos)) || !eq(bins(sa.NegOff, sa.Neg), bins(sb.NegOff, sb.Neg)) {
		return false
	}
	for _, q := range []float64{0, 0.05, 0.5, 0.95, 1} {
		if a.Quantile(q) != b.Quantile(q) {
			return false
		}
	}
	return true
}

// TestFixedSumExact: fixed-point sums do not depend on the order of
// addition or on how the values are split and merged, negative values
// included, and they agree with a float64 sum to 1e-9 relative. (Each
// value is truncated to a multiple of 2^-fixedFracBits (at most 2^-32 ≈
// 2.3e-10), so n values lose at most n·2.3e-10 in absolute terms, and the
// float64 sum carries about n·1e-16
// relative; for 10,000 values of order 1e6..1e10 both are far below 1e-9
// of the sum.)
func TestFixedSumExact(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	v := make([]float64, 10000)
	for i := range v {
		v[i] = math.Exp(math.Log(1e6)+r.Float64()*math.Log(1e4)) * (1 - 2*float64(r.IntN(2))) // ±1e6..1e10
	}
	v = append(v, 0, math.NaN(), 1e-11, -3.5, 0.25)
	var ref Sum
	for _, x := range v {
		ref.Add(x)
	}
	for trial := 0; trial < 10; trial++ {
		var parts [3]Sum
		for _, i := range r.Perm(len(v)) {
			parts[r.IntN(3)].Add(v[i])
		}
		var s Sum
		s.Merge(parts[2])
		s.Merge(parts[0])
		s.Merge(parts[1])
		if s != ref {
			t.Fatalf("trial %d: sum %+v in another order, want %+v", trial, s, ref)
		}
	}
	var want float64
	for _, x := range v {
		if !math.IsNaN(x) { // NaN adds nothing (documented by toFixed)
			want += x
		}
	}
	if got := ref.Float(); math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Errorf("fixed sum %.17g, float64 sum %.17g", got, want)
	}
}

// TestFixedSumValues pins conversions of single values and of sums that
// cross zero and carry between the 64-bit halves.
func TestFixedSumValues(t *testing.T) {
	res := math.Ldexp(1, -fixedFracBits)     // the smallest value held
	carry := math.Ldexp(1, 63-fixedFracBits) // the top bit of the low word
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{1}, 1},
		{[]float64{-1}, -1},
		{[]float64{0.5, -0.75}, -0.25},
		{[]float64{3e9, -3e9}, 0},
		{[]float64{1e15, 1e15, -5e14}, 1.5e15},
		{[]float64{-1e15, 2.5}, -1e15 + 2.5},
		{[]float64{res}, res},
		{[]float64{res / 2}, 0}, // below the resolution: truncated toward 0
		{[]float64{-res / 2}, 0},
		{[]float64{1.5, -1.5, 1.5}, 1.5},
		{[]float64{carry, carry}, 2 * carry}, // the low 64-bit word carries
		{[]float64{-2 * carry, carry, carry}, 0},
		{[]float64{-0x1p40, 0x1p40 - 1}, -1},
	} {
		var s Sum
		for _, x := range c.in {
			s.Add(x)
		}
		if got := s.Float(); got != c.want {
			t.Errorf("sum of %v = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestState: a sketch and a sum rebuilt from their saved state equal the
// originals (the partial results of shards and resumes depend on it).
func TestState(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var s Sketch
	var sum Sum
	for _, x := range append(lognormal(r, 300, 3, 2, 1), lognormal(r, 100, 3, 2, -1)...) {
		s.Add(x)
		sum.Add(x)
	}
	s.Add(0)
	back := FromState(s.State())
	if !sameSketch(&s, &back) || back.N() != 401 {
		t.Errorf("sketch from its state differs (n = %d, want 401)", back.N())
	}
	if SumOf(sum.Words()) != sum {
		t.Errorf("sum from its words differs")
	}
}

// TestStateExact: whatever the order of adds and merges, a sketch's state
// holds exactly the bins from the lowest counted to the highest, each
// with its count (the saved partial results, and so the bytes of resumed
// and merged runs, depend on it, not only the quantiles).
func TestStateExact(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 200; trial++ {
		n, sd := 1+r.IntN(60), 3*r.Float64()
		if trial%2 == 1 { // many values over a wide range: long sparse lists, then dense
			n, sd = 1+r.IntN(600), 8*r.Float64()
		}
		v := append(lognormal(r, n, 10*r.NormFloat64(), sd, 1), lognormal(r, r.IntN(20), 0, 1, -1)...)
		want := map[bool]map[int32]uint32{true: {}, false: {}}
		for _, x := range v {
			if math.Abs(x) > Zero {
				want[x > 0][binIndex(math.Abs(x))]++
			}
		}
		parts := make([]Sketch, 1+r.IntN(4))
		for _, i := range r.Perm(len(v)) {
			parts[r.IntN(len(parts))].Add(v[i])
		}
		var s Sketch
		for _, p := range r.Perm(len(parts)) {
			s.Merge(&parts[p])
		}
		st := s.State()
		for _, side := range []struct {
			pos    bool
			off    int32
			counts []uint32
		}{{true, st.PosOff, st.Pos}, {false, st.NegOff, st.Neg}} {
			w := want[side.pos]
			if len(w) == 0 {
				if len(side.counts) != 0 {
					t.Fatalf("trial %d: %d bins for no values", trial, len(side.counts))
				}
				continue
			}
			first, last := int32(math.MaxInt32), int32(math.MinInt32)
			for i := range w {
				first, last = min(first, i), max(last, i)
			}
			if side.off != first || len(side.counts) != int(last-first+1) {
				t.Fatalf("trial %d: bins %d..%d, want %d..%d", trial, side.off, int(side.off)+len(side.counts)-1, first, last)
			}
			for j, c := range side.counts {
				if c != w[first+int32(j)] {
					t.Fatalf("trial %d: bin %d holds %d, want %d", trial, first+int32(j), c, w[first+int32(j)])
				}
			}
		}
	}
}

// TestWideRangeStaysSmall: values spread over a wide range (200 lognormal
// values with sd 4 in logs span thousands of bins) are kept in the list,
// which takes less memory than the dense counts of their span would, and
// give the same quantiles as the dense form.
func TestWideRangeStaysSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	var s Sketch
	for _, x := range lognormal(r, 200, 0, 4, 1) {
		s.Add(x)
	}
	st := s.State()
	if dense := 4 * len(st.Pos); s.BinBytes() >= dense || len(s.pos.sparse) == 0 {
		t.Errorf("bins take %d bytes (sparse %d bins), the dense span %d: want the list, smaller", s.BinBytes(), len(s.pos.sparse), dense)
	}
	back := FromState(st)
	for _, q := range []float64{0, 0.05, 0.5, 0.95, 1} {
		if a, b := s.Quantile(q), back.Quantile(q); a != b {
			t.Errorf("quantile %g: %g in the list, %g dense", q, a, b)
		}
	}
}

// TestStateForm: a sketch rebuilt from its state takes the form adding its
// values would have left, so a resumed or merged run holds no more memory
// than a fresh one: a few far-apart values stay a short list (their dense
// form spans hundreds of bins), many close ones dense counts; either way
// its state, quantiles and later adds are those of the original.
func TestStateForm(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, c := range []struct {
		n    int
		sd   float64
		list bool
	}{{8, 3, true}, {maxSparse, 2, true}, {5000, 0.5, false}} {
		var s Sketch
		for _, x := range lognormal(r, c.n, 3, c.sd, 1) {
			s.Add(x)
		}
		back := FromState(s.State())
		if got := len(back.pos.sparse) > 0; got != c.list || len(back.pos.sparse) > 0 && len(back.pos.counts) > 0 {
			t.Errorf("%d values (sd %g): listed = %v (%d listed, %d dense), want listed = %v", c.n, c.sd, got, len(back.pos.sparse), len(back.pos.counts), c.list)
		}
		if back.BinBytes() > s.BinBytes() {
			t.Errorf("%d values (sd %g): %d bytes of bins after FromState, %d before", c.n, c.sd, back.BinBytes(), s.BinBytes())
		}
		for _, x := range lognormal(r, 40, 3, c.sd, 1) {
			s.Add(x)
			back.Add(x)
		}
		if !sameSketch(&s, &back) || !reflect.DeepEqual(s.State(), back.State()) {
			t.Errorf("%d values (sd %g): adds after FromState differ from adds to the original", c.n, c.sd)
		}
	}
}
