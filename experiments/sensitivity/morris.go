package sensitivity

import (
	"fmt"
	"math"

	"github.com/coopsim/coopsim/experiments/design"
)

// MorrisIndex is one factor's elementary-effect statistics (Morris 1991;
// Campolongo, Cariboni & Saltelli 2007): Mu is the mean effect, MuStar the
// mean absolute effect (the screening measure), Sigma the effects' standard
// deviation (non-linearity or interaction), each with a bootstrap interval.
// Effects are in output units per unit of the unit-cube coordinate.
type MorrisIndex struct {
	Mu       float64
	MuCI     Interval
	MuStar   float64
	MuStarCI Interval
	Sigma    float64
	SigmaCI  Interval
}

// MorrisResult holds the statistics of every factor, in design order.
type MorrisResult struct {
	Trajectories int
	Resamples    int
	Confidence   float64
	Indices      []MorrisIndex
}

// Morris computes elementary effects from outputs y, one per row of m.Unit:
// factor j's effect in trajectory t is (y_{k+1} − y_k)/step where step
// (±Delta) is the move of j between rows k and k+1. Intervals come from
// resampling whole trajectories with replacement.
func Morris(m *design.Morris, y []float64, boot Bootstrap) (*MorrisResult, error) {
	if len(y) != len(m.Unit) {
		return nil, fmt.Errorf("sensitivity: %d outputs for a Morris design of %d points", len(y), len(m.Unit))
	}
	if err := checkFinite(y); err != nil {
		return nil, err
	}
	boot, err := boot.withDefaults()
	if err != nil {
		return nil, err
	}
	r, d := m.Trajectories, m.Factors
	ee := make([]float64, r*d) // ee[t*d+j]
	for t := range r {
		for k := range d {
			j, step := m.Step(t, k)
			row := t*(d+1) + k
			ee[t*d+j] = (y[row+1] - y[row]) / step
		}
	}
	idx := make([]int, r)
	for t := range idx {
		idx[t] = t
	}
	res := &MorrisResult{Trajectories: r, Resamples: boot.Resamples, Confidence: boot.Confidence,
		Indices: make([]MorrisIndex, d)}
	reps := make([][3][]float64, d)
	for j := range d {
		ix := &res.Indices[j]
		ix.Mu, ix.MuStar, ix.Sigma = effectStats(ee, d, j, idx)
		for s := range reps[j] {
			reps[j][s] = make([]float64, boot.Resamples)
		}
	}
	stream := design.NewStream(boot.Seed, design.PurposeBootstrap)
	for b := range boot.Resamples {
		resample(stream, b, idx)
		for j := range d {
			reps[j][0][b], reps[j][1][b], reps[j][2][b] = effectStats(ee, d, j, idx)
		}
	}
	for j := range d {
		ix := &res.Indices[j]
		ix.MuCI, _ = percentile(reps[j][0], boot.Confidence)
		ix.MuStarCI, _ = percentile(reps[j][1], boot.Confidence)
		ix.SigmaCI, _ = percentile(reps[j][2], boot.Confidence)
	}
	return res, nil
}

// effectStats returns the mean, mean absolute value and standard deviation
// (n − 1 denominator) of factor j's effects over trajectories idx.
func effectStats(ee []float64, d, j int, idx []int) (mu, muStar, sigma float64) {
	n := float64(len(idx))
	for _, t := range idx {
		e := ee[t*d+j]
		mu += e
		muStar += math.Abs(e)
	}
	mu /= n
	muStar /= n
	var ss float64
	for _, t := range idx {
		e := ee[t*d+j] - mu
		ss += e * e
	}
	return mu, muStar, math.Sqrt(ss / (n - 1))
}
