package agents

import (
	"math"
	"testing"
)

// checkFrequencies compares counts of n draws with probabilities p: each
// alternative's frequency is a binomial proportion with se =
// sqrt(p(1−p)/n), and we allow 4 se (two-sided p ≈ 6e-5 per alternative).
// An alternative of probability zero must never be drawn.
func checkFrequencies(t *testing.T, name string, counts [NumAlternatives]int, n int, p *[NumAlternatives]float64) {
	t.Helper()
	for a := range counts {
		f := float64(counts[a]) / float64(n)
		if p[a] == 0 {
			if counts[a] != 0 {
				t.Errorf("%s: alternative %d has probability 0 but was chosen %d times", name, a, counts[a])
			}
			continue
		}
		se := math.Sqrt(p[a] * (1 - p[a]) / float64(n))
		if math.Abs(f-p[a]) > 4*se {
			t.Errorf("%s: alternative %d chosen with frequency %.5f, logit probability %.5f ± %.5f (4 se)", name, a, f, p[a], 4*se)
		}
	}
}

// TestChooseMatchesLogit draws a million choices with ChooseLogit and with
// ChooseWeighted (weights e^v) and compares the frequencies with the
// closed-form logit probabilities.
func TestChooseMatchesLogit(t *testing.T) {
	const n = 1_000_000
	for _, c := range []struct {
		name  string
		v     [NumAlternatives]float64
		avail Available
	}{
		{"all five", [NumAlternatives]float64{0.3, -0.2, 1.1, 0.4, 0.9}, 0b11111},
		// azure and gcp unavailable, azure with the highest utility: both
		// have probability zero.
		{"two unavailable", [NumAlternatives]float64{0.3, 5, 1.1, 0.4, 0.9}, 0b10101},
		{"outside only", [NumAlternatives]float64{9, 9, 9, 9, -3}, 0b10000},
		{"skewed", [NumAlternatives]float64{-4, 0, 2, -1, 3}, 0b11111},
		{"all fourteen", [NumAlternatives]float64{-1, 0, 2, -1, 3, 0.5, 1, -2, 0.2, 0.7, 1.5, -0.3, 0.1, 2.2}, 1<<NumAlternatives - 1},
		{"last only", [NumAlternatives]float64{NumAlternatives - 1: 1}, 1 << (NumAlternatives - 1)},
	} {
		var p [NumAlternatives]float64
		LogitProbabilities(&c.v, c.avail, &p)
		var w [NumAlternatives]float64
		for a := range w {
			if c.avail.Has(a) {
				w[a] = math.Exp(c.v[a])
			}
		}
		st := Key{Seed: 7, Run: uint64(len(c.name))}.Stream()
		var byLogit, byWeight [NumAlternatives]int
		for i := 0; i < n; i++ {
			u := st.Float64(PurposeDecideRenew, uint32(i), 0)
			byLogit[ChooseLogit(&c.v, c.avail, u)]++
			byWeight[ChooseWeighted(&w, c.avail, u)]++
		}
		checkFrequencies(t, c.name+" ChooseLogit", byLogit, n, &p)
		checkFrequencies(t, c.name+" ChooseWeighted", byWeight, n, &p)
	}
}

// TestLogitProbabilities checks the closed form itself on a case worked by
// hand, on an empty set, and that probabilities sum to 1.
func TestLogitProbabilities(t *testing.T) {
	v := [NumAlternatives]float64{0, math.Ln2, 0, 100, 0}
	var p [NumAlternatives]float64
	LogitProbabilities(&v, 0b00111, &p) // e^0 : e^ln2 : e^0 = 1 : 2 : 1
	want := [NumAlternatives]float64{0.25, 0.5, 0.25, 0, 0}
	for a := range p {
		if math.Abs(p[a]-want[a]) > 1e-15 {
			t.Errorf("p = %v, want %v", p, want)
			break
		}
	}
	LogitProbabilities(&v, 0, &p)
	if p != ([NumAlternatives]float64{}) {
		t.Errorf("empty set: p = %v, want all 0", p)
	}
	if got := ChooseLogit(&v, 0, 0.5); got != -1 {
		t.Errorf("ChooseLogit on an empty set = %d, want -1", got)
	}
}

// TestChooseExtreme: utilities of ±1e6 neither overflow nor give NaN;
// the choice is always available and has the right probabilities (an
// alternative 1e6 below the best has probability e^-1e6 = 0).
func TestChooseExtreme(t *testing.T) {
	const n = 200_000
	for _, c := range []struct {
		name  string
		v     [NumAlternatives]float64
		avail Available
	}{
		{"two tied at +1e6", [NumAlternatives]float64{1e6, -1e6, 1e6, -1e6, 0}, 0b11111},
		{"+1e6 unavailable", [NumAlternatives]float64{-1e6, 1e6, -1e6 + 1, 1e6, -1e6}, 0b10101},
		{"all -1e6", [NumAlternatives]float64{-1e6, -1e6, -1e6, -1e6, -1e6}, 0b11111},
		{"one +1e6", [NumAlternatives]float64{0, 0, 0, 1e6, 0}, 0b11111},
	} {
		var p [NumAlternatives]float64
		LogitProbabilities(&c.v, c.avail, &p)
		total := 0.0
		for a, pa := range p {
			if math.IsNaN(pa) || pa < 0 || pa > 1 {
				t.Fatalf("%s: LogitProbabilities gives p[%d] = %v", c.name, a, pa)
			}
			total += pa
		}
		if math.Abs(total-1) > 1e-15 {
			t.Errorf("%s: probabilities sum to %v", c.name, total)
		}
		st := Key{Seed: 8}.Stream()
		var counts [NumAlternatives]int
		for i := 0; i < n; i++ {
			a := ChooseLogit(&c.v, c.avail, st.Float64(PurposeDecidePitch, uint32(i), 3))
			if a < 0 || !c.avail.Has(a) {
				t.Fatalf("%s: chose %d, not in %05b", c.name, a, c.avail)
			}
			counts[a]++
		}
		checkFrequencies(t, c.name, counts, n, &p)
		// The ends of (0,1) as Stream.Float64 gives them, where rounding is
		// tightest.
		for _, u := range []float64{0x1p-54, largestBelowOne, 0.5} {
			if a := ChooseLogit(&c.v, c.avail, u); a < 0 || !c.avail.Has(a) || p[a] == 0 {
				t.Errorf("%s: u = %v chose %d (probability %g)", c.name, u, a, p[a])
			}
		}
	}
}

// TestChooseWeightedEdges: zero-weight alternatives are never chosen, even
// at the top of the unit interval, and the result is always available.
func TestChooseWeightedEdges(t *testing.T) {
	w := [NumAlternatives]float64{0, 2, 0, 1, 0}
	avail := Available(0b11111)
	for _, u := range []float64{0x1p-54, 1e-9, 0.3, 2.0 / 3, 0.6666667, 1 - 1e-12, largestBelowOne} {
		a := ChooseWeighted(&w, avail, u)
		if w[a] == 0 {
			t.Errorf("u = %v chose alternative %d of weight 0", u, a)
		}
		want := 1
		if u >= 2.0/3 {
			want = 3
		}
		if a != want {
			t.Errorf("u = %v chose %d, want %d", u, a, want)
		}
	}
	// Power-of-two total: u·Σw rounds up to Σw at the top of (0,1).
	w = [NumAlternatives]float64{1, 1, 0, 0, 0}
	if a := ChooseWeighted(&w, 0b00011, 1-0x1p-54); a != 1 {
		t.Errorf("top of the interval chose %d, want 1", a)
	}
}

// largestBelowOne is the largest float64 below 1, the top of Stream.Float64.
const largestBelowOne = 0x1.fffffffffffffp-1

func TestAvailable(t *testing.T) {
	s := Available(0).With(int(ChannelOpen)).With(int(ChannelAWS))
	for a := 0; a < NumAlternatives; a++ {
		if want := a == int(ChannelOpen) || a == int(ChannelAWS); s.Has(a) != want {
			t.Errorf("Has(%d) = %v", a, s.Has(a))
		}
	}
}
