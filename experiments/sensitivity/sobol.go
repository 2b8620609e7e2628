package sensitivity

import (
	"fmt"

	"github.com/coopsim/coopsim/experiments/design"
)

// SobolIndex is one factor's first-order index S1 (the share of the output
// variance explained by the factor alone) and total index ST (the share
// explained by the factor and all its interactions), each with its
// bootstrap standard error and interval.
type SobolIndex struct {
	S1   float64
	S1SE float64
	S1CI Interval
	ST   float64
	STSE float64
	STCI Interval
}

// SobolResult holds the indices of every factor, in design order, with the
// output's variance and the estimate's sizes.
type SobolResult struct {
	N, D       int
	Variance   float64
	Resamples  int
	Confidence float64
	Indices    []SobolIndex
}

// Sobol estimates first-order and total indices from outputs y laid out as
// design.Saltelli lays out its rows (base size n, d factors: n*(d+2)
// values). With f_A, f_B and f_ABi the outputs of the rows of A, B and
// A_B^(i), and V the variance of the 2n outputs of A and B:
//
//	S1_i = mean(f_B (f_ABi − f_A)) / V        (Saltelli et al. 2010, table 2 (b))
//	ST_i = mean((f_A − f_ABi)²) / (2V)        (Jansen 1999; Saltelli et al. 2010, table 2 (f))
//
// Intervals come from resampling the n base rows with replacement.
func Sobol(y []float64, n, d int, boot Bootstrap) (*SobolResult, error) {
	if n < 2 || d < 1 || len(y) != n*(d+2) {
		return nil, fmt.Errorf("sensitivity: %d outputs for a Saltelli design of base size %d and %d factors: want %d", len(y), n, d, n*(d+2))
	}
	if err := checkFinite(y); err != nil {
		return nil, err
	}
	boot, err := boot.withDefaults()
	if err != nil {
		return nil, err
	}
	idx := make([]int, n)
	for j := range idx {
		idx[j] = j
	}
	s1, st := make([]float64, d), make([]float64, d)
	v := sobolEstimate(y, d, idx, s1, st)
	res := &SobolResult{N: n, D: d, Variance: v, Resamples: boot.Resamples, Confidence: boot.Confidence,
		Indices: make([]SobolIndex, d)}
	for i := range d {
		res.Indices[i].S1, res.Indices[i].ST = s1[i], st[i]
	}
	rs1, rst := make([][]float64, d), make([][]float64, d)
	for i := range d {
		rs1[i] = make([]float64, boot.Resamples)
		rst[i] = make([]float64, boot.Resamples)
	}
	stream := design.NewStream(boot.Seed, design.PurposeBootstrap)
	for b := range boot.Resamples {
		resample(stream, b, idx)
		sobolEstimate(y, d, idx, s1, st)
		for i := range d {
			rs1[i][b], rst[i][b] = s1[i], st[i]
		}
	}
	for i := range d {
		ix := &res.Indices[i]
		ix.S1CI, ix.S1SE = percentile(rs1[i], boot.Confidence)
		ix.STCI, ix.STSE = percentile(rst[i], boot.Confidence)
	}
	return res, nil
}

// sobolEstimate computes the indices over the base rows idx (a resample,
// or every row) into s1 and st, and returns the variance. Outputs are
// centred on f_A's mean first: the variance and ST do not change, and S1's
// numerator keeps its expectation (mean(f_ABi − f_A) has expectation 0)
// while losing the error a large mean would multiply.
func sobolEstimate(y []float64, d int, idx []int, s1, st []float64) float64 {
	w := d + 2
	var shift float64
	for _, j := range idx {
		shift += y[j*w]
	}
	shift /= float64(len(idx))
	var sum, sq float64
	for _, j := range idx {
		a, b := y[j*w]-shift, y[j*w+d+1]-shift
		sum += a + b
		sq += a*a + b*b
	}
	m := float64(2 * len(idx))
	v := sq/m - (sum/m)*(sum/m)
	for i := range d {
		var first, total float64
		for _, j := range idx {
			a, b, ab := y[j*w], y[j*w+d+1], y[j*w+1+i]
			first += (b - shift) * (ab - a)
			total += (a - ab) * (a - ab)
		}
		nf := float64(len(idx))
		s1[i], st[i] = first/nf/v, total/(2*nf)/v
		if v == 0 {
			s1[i], st[i] = 0, 0
		}
	}
	return v
}
