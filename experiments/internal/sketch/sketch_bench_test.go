package sketch

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkCells adds a run's worth of values to many sketches one value
// at a time (Add, the path of one value: the ensemble adds a cell's batch
// at once, BenchmarkSparseAddBatch): 4,096 cells, each a lognormal value
// (sd 1 in logs: 200 bins a standard deviation) per run, 8 runs.
func BenchmarkCells(b *testing.B) {
	const cells, runs = 4096, 8
	r := rand.New(rand.NewPCG(11, 12))
	v := make([]float64, cells*runs)
	for i := range v {
		v[i] = math.Exp(float64(i%cells)/100 + r.NormFloat64())
	}
	b.ReportAllocs()
	for b.Loop() {
		sk := make([]Sketch, cells)
		for i, x := range v {
			sk[i%cells].Add(x)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(v)), "ns/value")
}

// BenchmarkSparseAdd adds values one by one (Add: batches of one) to
// sketches that hold widely spread values in sparse lists, 16 values a
// sketch in turn (see benchWide), against which BenchmarkSparseAddBatch
// measures the batch the ensemble adds.
func BenchmarkSparseAdd(b *testing.B) {
	benchWide(b, func(s *Sketch, xs []float64) {
		for _, x := range xs {
			s.Add(x)
		}
	})
}

// BenchmarkSparseAddBatch adds the same values as BenchmarkSparseAdd 16 at
// a time (AddBatch), as engine.Cells does.
func BenchmarkSparseAddBatch(b *testing.B) {
	benchWide(b, (*Sketch).AddBatch)
}

// benchWide reports the time add takes a value, adding 16 values at a time
// to each of 8,192 sketches that hold 200 to 328 lognormal values (sd 4 in
// logs: sparse lists of about 190 to 300 bins, 13 MB in all, more than the
// processor's caches hold). In the default experiment most batches added
// to a list meet 64 to 512 bins, each cell's list fetched from memory once
// a batch. Every 8 rounds the sketches are restored to their 200 values
// (not timed), so the lists' lengths stay put whatever b.N is.
func benchWide(b *testing.B, add func(*Sketch, []float64)) {
	const cells, held, batch, rounds = 8192, 200, 16, 8
	r := rand.New(rand.NewPCG(13, 14))
	base := make([]Sketch, cells)
	for i := range base {
		for _, x := range lognormal(r, held, 0, 4, 1) {
			base[i].Add(x)
		}
	}
	v := lognormal(r, cells*batch*rounds, 0, 4, 1)
	sk := make([]Sketch, cells)
	round, n := rounds, 0
	for b.Loop() {
		if round == rounds {
			b.StopTimer()
			for i := range sk {
				sk[i] = base[i]
				sk[i].pos.sparse = slices.Clone(base[i].pos.sparse)
				sk[i].pos.counts = slices.Clone(base[i].pos.counts)
			}
			round = 0
			b.StartTimer()
		}
		for i := range sk {
			j := (round*cells + i) * batch
			add(&sk[i], v[j:j+batch])
		}
		round++
		n += cells * batch
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/value")
}

// sumValues returns n values like a monthly cell's over runs: lognormal
// dollars of both signs (sd 4 in logs), a fifth of them zero.
func sumValues(n int) []float64 {
	r := rand.New(rand.NewPCG(15, 16))
	v := make([]float64, n)
	for i := range v {
		if r.IntN(5) > 0 {
			v[i] = math.Exp(10+4*r.NormFloat64()) * float64(1-2*r.IntN(2))
		}
	}
	return v
}

// BenchmarkSumAdd reports the time Sum.Add takes a value, and, as
// sub-benchmarks, AddBatch of 16 values and the conversion Add made before
// fixedOf (toFixedRef and Merge), on the values of sumValues.
func BenchmarkSumAdd(b *testing.B) {
	v := sumValues(4096)
	for _, c := range []struct {
		name string
		add  func(*Sum, []float64)
	}{
		{"one", func(s *Sum, xs []float64) {
			for _, x := range xs {
				s.Add(x)
			}
		}},
		{"batch", (*Sum).AddBatch},
		{"ref", func(s *Sum, xs []float64) {
			for _, x := range xs {
				s.Merge(Sum{toFixedRef(x)})
			}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var s [256]Sum
			for b.Loop() {
				for i := range s {
					c.add(&s[i], v[i*16:(i+1)*16])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(v)), "ns/value")
		})
	}
}
