package agents

import "testing"

// BenchmarkChooseLogit samples among all five alternatives.
func BenchmarkChooseLogit(b *testing.B) {
	v := [NumAlternatives]float64{0.3, -0.2, 1.1, 0.4, 0.9}
	avail := Available(0b11111)
	st := Key{Seed: 1}.Stream()
	sink := 0
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v[0] = float64(i&7) * 0.1
		sink += ChooseLogit(&v, avail, st.Float64(PurposeDecideRenew, uint32(i), 0))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	if sink < 0 {
		b.Fatal(sink)
	}
}

// BenchmarkStreamFloat64 is the cost of one keyed draw.
func BenchmarkStreamFloat64(b *testing.B) {
	st := Key{Seed: 1}.Stream()
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += st.Float64(PurposeDecideRenew, uint32(i), 7)
	}
	if s < 0 {
		b.Fatal(s)
	}
}

// BenchmarkChooseWeighted samples from cached weights, as a Sim decision
// does on its fast path.
func BenchmarkChooseWeighted(b *testing.B) {
	w := [NumAlternatives]float64{1.3, 0.8, 3.0, 1.5, 2.4}
	avail := Available(0b11111)
	st := Key{Seed: 1}.Stream()
	sink := 0
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w[0] = 1 + float64(i&7)*0.1
		sink += ChooseWeighted(&w, avail, st.Float64(PurposeDecideRenew, uint32(i), 0))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	if sink < 0 {
		b.Fatal(sink)
	}
}
