package agents

import (
	"math"
	"math/bits"

	"github.com/coopsim/coopsim/agents/detmath"
)

// Available is a set of alternatives, bit a for alternative a (the
// channels).
type Available uint16

// Has reports whether alternative a is in the set.
func (s Available) Has(a int) bool { return s&(1<<a) != 0 }

// With returns the set with alternative a added.
func (s Available) With(a int) Available { return s | 1<<a }

// LogitProbabilities writes the multinomial-logit choice probabilities of
// the deterministic utilities v into p (both indexed by alternative): for
// alternatives in avail, p[a] = exp(v[a]−m)/Σ exp(v[b]−m) with m the largest
// available utility (log-sum-exp, so no utility, however large, overflows);
// every other alternative gets exactly zero. With avail empty, p is all zero.
func LogitProbabilities(v *[NumAlternatives]float64, avail Available, p *[NumAlternatives]float64) {
	m := math.Inf(-1)
	for a := 0; a < NumAlternatives; a++ {
		if avail.Has(a) && v[a] > m {
			m = v[a]
		}
	}
	sum := 0.0
	for a := 0; a < NumAlternatives; a++ {
		p[a] = 0
		if avail.Has(a) {
			p[a] = detmath.Exp(v[a] - m)
			sum += p[a]
		}
	}
	if sum == 0 {
		return
	}
	for a := range p {
		p[a] /= sum
	}
}

// ChooseLogit samples one alternative from the logit probabilities of v over
// avail with the single uniform draw u in (0,1). The weights are
// e^(v[a]−max) (log-sum-exp: no utility, however large, overflows), the
// largest exactly 1; then ChooseWeighted inverts the cumulative
// distribution. Alternatives outside avail are never chosen. It returns -1
// only when avail is empty. It allocates nothing.
func ChooseLogit(v *[NumAlternatives]float64, avail Available, u float64) int {
	if avail == 0 {
		return -1
	}
	best, m := -1, 0.0
	for a := 0; a < NumAlternatives; a++ {
		if avail&(1<<a) != 0 && (best < 0 || v[a] > m) {
			best, m = a, v[a]
		}
	}
	var w [NumAlternatives]float64
	for a := 0; a < NumAlternatives; a++ {
		if avail&(1<<a) != 0 {
			w[a] = detmath.Exp(v[a] - m)
		}
	}
	w[best] = 1
	return ChooseWeighted(&w, avail, u)
}

// lastAvailable returns the highest alternative in avail (-1 if none).
func lastAvailable(avail Available) int { return bits.Len16(uint16(avail)) - 1 }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ChooseWeighted samples alternative a with probability w[a]/Σw over avail
// with the single uniform draw u in (0,1), by inverting the cumulative
// distribution. Weights must be finite and non-negative, at least one
// positive, and zero outside avail. Given logit weights e^(v[a]) it samples
// the same choice as ChooseLogit. It returns -1 only when avail is empty.
func ChooseWeighted(w *[NumAlternatives]float64, avail Available, u float64) int {
	// The choice is the number of cumulative weights at or below the
	// target, counted without branches: which alternative a draw picks is
	// random, so a branching scan mispredicts about once a decision. An
	// alternative of weight zero has the same cumulative weight as the one
	// before it, so it is counted past and never chosen.
	var cum [NumAlternatives]float64
	c := 0.0
	for j := range w {
		c += w[j]
		cum[j] = c
	}
	target := u * c
	a := 0
	for j := 0; j < NumAlternatives-1; j++ {
		a += b2i(target >= cum[j])
	}
	if avail&(1<<a) == 0 {
		a = lastAvailable(avail) // rounding left target at the very top
	}
	return a
}
