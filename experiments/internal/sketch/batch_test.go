package sketch

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// clone returns a copy of s that shares no memory with it.
func clone(s *Sketch) Sketch {
	c := *s
	for _, b := range []*binStore{&c.pos, &c.neg} {
		b.sparse, b.counts = slices.Clone(b.sparse), slices.Clone(b.counts)
	}
	return c
}

// sameState reports whether a and b have the same State, field by field
// (stricter than sameSketch: offsets and lengths too), and the same
// quantiles.
func sameState(a, b *Sketch) bool {
	sa, sb := a.State(), b.State()
	if sa.N != sb.N || sa.Zero != sb.Zero || sa.PosOff != sb.PosOff || sa.NegOff != sb.NegOff ||
		!slices.Equal(sa.Pos, sb.Pos) || !slices.Equal(sa.Neg, sb.Neg) {
		return false
	}
	for _, q := range []float64{0, 0.01, 0.1, 0.5, 0.9, 0.99, 1} {
		if a.Quantile(q) != b.Quantile(q) {
			return false
		}
	}
	return true
}

// batchValues returns n values that mix what a batch can hold: values of
// both signs spread over a wide range (new bins of sparse lists), values
// close together (duplicates and shared bins), zeros, values below Zero,
// huge values and NaN (counted as zero, as Add does). If narrow, they are
// all zero or within 30 bins of ±center (which the others hold too), so
// that lists turn dense.
func batchValues(r *rand.Rand, n int, center float64, narrow bool) []float64 {
	special := []float64{0, math.Copysign(0, -1), 1e-12, -1e-12, Zero, -Zero, math.SmallestNonzeroFloat64,
		1e300, -1e300, math.MaxFloat64, -math.MaxFloat64, math.NaN(), 1, 1, -1, 2 * Zero, binValue(7), binValue(-3)}
	v := make([]float64, n)
	for i := range v {
		sign := float64(1 - 2*r.IntN(2))
		if narrow {
			v[i] = sign * center * (1 + 0.3*r.Float64()) * float64(min(r.IntN(8), 1)) // 1 in 8 is 0
			continue
		}
		switch r.IntN(4) {
		case 0:
			v[i] = special[r.IntN(len(special))]
		case 1:
			v[i] = sign * center * (1 + 0.02*r.Float64()) // a few bins, often the same
		default:
			v[i] = sign * math.Exp(8*r.NormFloat64())
		}
	}
	return v
}

// TestAddBatchEqualsAdd: AddBatch gives the State (offsets, counts) and
// quantiles of adding the same values one by one, in the given order or
// shuffled, for batches of every length around the buffers' size
// (maxBatch) added in turn to sketches that start empty, sparse, dense
// or rebuilt from a State, and that turn from sparse to dense on the way.
// It counts the paths it takes, so that it cannot pass without meeting
// each of them.
func TestAddBatchEqualsAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	starts := map[string]func() Sketch{
		"empty": func() Sketch { return Sketch{} },
		"sparse": func() Sketch {
			var s Sketch
			for _, x := range lognormal(r, 1+r.IntN(300), 0, 6, 1) {
				s.Add(x)
			}
			return s
		},
		"dense": func() Sketch {
			var s Sketch
			for _, x := range append(lognormal(r, 500, 3, 0.2, 1), lognormal(r, 500, 3, 0.2, -1)...) {
				s.Add(x)
			}
			return s
		},
		"few close": func() Sketch {
			var s Sketch
			for _, x := range batchValues(r, 1+r.IntN(15), 1e4, true) {
				s.Add(x)
			}
			return s
		},
		"from state": func() Sketch {
			var s Sketch
			for _, x := range batchValues(r, r.IntN(50), 1e4, false) {
				s.Add(x)
			}
			return FromState(s.State())
		},
	}
	lengths := []int{0, 1, 2, 3, 15, 16, 17, 31, 32, 33, 64, 65, 200}
	var turnedDense, intoSparse, intoDense int
	for name, start := range starts {
		for trial := range 60 {
			one := start()
			batch, shuffled := clone(&one), clone(&one)
			narrow, center := trial%2 == 1, 1e4
			if !narrow {
				center = math.Exp(20 * r.NormFloat64())
			}
			for step := range 6 {
				v := batchValues(r, lengths[r.IntN(len(lengths))], center, narrow)
				wasDense := len(batch.pos.counts) > 0
				switch {
				case len(v) == 0:
				case wasDense:
					intoDense++
				case len(batch.pos.sparse) > 0:
					intoSparse++
				}
				for _, x := range v {
					one.Add(x)
				}
				batch.AddBatch(v)
				for _, i := range r.Perm(len(v)) {
					shuffled.Add(v[i])
				}
				if !wasDense && len(batch.pos.counts) > 0 {
					turnedDense++
				}
				if !sameState(&one, &batch) || !sameState(&shuffled, &batch) {
					t.Fatalf("%s, trial %d, step %d: AddBatch of %d values differs from Add one by one: %+v, want %+v", name, trial, step, len(v), batch.State(), one.State())
				}
			}
		}
	}
	t.Logf("batches into sparse lists %d, into dense counts %d; stores turned dense by a batch %d", intoSparse, intoDense, turnedDense)
	if intoSparse < 100 || intoDense < 100 || turnedDense < 10 {
		t.Errorf("the test met too few batches into sparse lists (%d), into dense counts (%d) or stores turning dense (%d)", intoSparse, intoDense, turnedDense)
	}
}

// TestSortBins: sortBins sorts short slices of any order, duplicates
// included, against slices.Sort.
func TestSortBins(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	for trial := range 500 {
		v := make([]int32, r.IntN(maxBatch+1))
		for i := range v {
			v[i] = int32(r.IntN(40)) - 20
		}
		want := slices.Sorted(slices.Values(v))
		if sortBins(v); !slices.Equal(v, want) {
			t.Fatalf("trial %d: %v, want %v", trial, v, want)
		}
	}
}

// fixedCases returns values that cover every branch of the conversion to
// fixed point: random bit patterns (every exponent, NaN, ±Inf,
// subnormals), values at each power of two from below the resolution
// 2^-48 to beyond saturation (2^142), their neighbours, and the sums'
// edge values.
func fixedCases(r *rand.Rand) []float64 {
	v := []float64{0, math.Copysign(0, -1), math.NaN(), -math.NaN(), math.Inf(1), math.Inf(-1),
		math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 0x1p-1022}
	for e := -120; e <= 160; e++ {
		for _, x := range []float64{math.Ldexp(1, e), math.Ldexp(1.5, e), math.Ldexp(1+r.Float64(), e)} {
			for _, y := range []float64{x, math.Nextafter(x, 0), math.Nextafter(x, math.Inf(1))} {
				v = append(v, y, -y)
			}
		}
	}
	for range 20000 {
		v = append(v, math.Float64frombits(r.Uint64()))
	}
	return v
}

// TestFixedOfMatchesReference: a value added to an empty Sum has the words
// toFixedRef gives it (the conversion before fixedOf), bit for bit, for
// every kind of float64: the saved sums and reported means cannot change.
func TestFixedOfMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, x := range fixedCases(r) {
		var s Sum
		s.Add(x)
		if want := toFixedRef(x); s.w != want {
			t.Fatalf("%v (bits %#x): words %#x, want %#x", x, math.Float64bits(x), s.w, want)
		}
	}
}

// TestSumAddBatch: AddBatch of any slice, in pieces of any length, gives
// the words of Add one by one and of the reference conversion's sum
// (toFixedRef, then Merge).
func TestSumAddBatch(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	v := fixedCases(r)
	v = append(v, sumValues(5000)...)
	r.Shuffle(len(v), func(i, j int) { v[i], v[j] = v[j], v[i] })
	var one, batch, ref Sum
	for _, x := range v {
		one.Add(x)
		ref.Merge(Sum{toFixedRef(x)})
	}
	for rest := v; len(rest) > 0; {
		n := min(len(rest), r.IntN(40))
		batch.AddBatch(rest[:n])
		rest = rest[n:]
	}
	batch.AddBatch(nil)
	if one != ref || batch != ref {
		t.Errorf("sum of %d values: Add %#x, AddBatch %#x, reference %#x", len(v), one.w, batch.w, ref.w)
	}
}
