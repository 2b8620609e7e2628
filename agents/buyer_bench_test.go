package agents

import (
	"fmt"
	"testing"
)

// BenchmarkGenerate draws a population of each size into reused storage
// (each run of an ensemble draws one).
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			cfg := testBuyers(n)
			var p Population
			p.Generate(&cfg, Key{Seed: 1}, start)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p.Generate(&cfg, Key{Seed: 1, Run: uint64(i)}, start)
			}
			b.ReportMetric(float64(b.N)*float64(n)/b.Elapsed().Seconds(), "buyers/s")
		})
	}
}

// BenchmarkLargestFirst sorts a population by budget (once per population).
func BenchmarkLargestFirst(b *testing.B) {
	cfg := testBuyers(10_000)
	var p Population
	p.Generate(&cfg, Key{Seed: 1}, start)
	order, scratch, keys := LargestFirst(nil, nil, nil, &p)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		order, scratch, keys = LargestFirst(order, scratch, keys, &p)
	}
	b.ReportMetric(float64(b.N)*10_000/b.Elapsed().Seconds(), "buyers/s")
}
