package sensitivity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/experiments/design"
)

// SobolIndex is one factor's first-order index S1 (the share of the output
// variance explained by the factor alone) and total index ST (the share
// explained by the factor and all its interactions), each with its
// standard error and interval over the design's independent scrambles.
type SobolIndex struct {
	S1   float64
	S1SE float64
	S1CI Interval
	ST   float64
	STSE float64
	STCI Interval
}

// SobolResult holds the indices of every factor, in design order, with the
// output's variance and the estimate's sizes: N base rows in Scrambles
// independent scrambles, and TQuantile, the Student t quantile the
// intervals use.
type SobolResult struct {
	N, D       int
	Scrambles  int
	Variance   float64
	Confidence float64
	TQuantile  float64
	Indices    []SobolIndex
}

// Scrambles says how Sobol intervals are computed: the design's base rows
// fall into Count independent scrambles (randomized quasi-Monte Carlo
// replicates) of equal size, and intervals are of level Confidence.
type Scrambles struct {
	Count      int
	Confidence float64
}

// Sobol estimates first-order and total indices from outputs y laid out as
// design.Saltelli lays out its rows (n base rows, d factors: n*(d+2)
// values), its base rows in sc.Count scrambles of n/sc.Count rows each;
// it refuses sizes design.CheckSaltelli refuses.
// Within a scramble, with f_A, f_B and f_ABi the outputs of the rows of
// A, B and A_B^(i), and V the variance of the scramble's outputs of A and
// B:
//
//	S1_i = mean(f_B (f_ABi − f_A)) / V        (Saltelli et al. 2010, table 2 (b))
//	ST_i = mean((f_A − f_ABi)²) / (2V)        (Jansen 1999; Saltelli et al. 2010, table 2 (f))
//
// The reported index is the mean of the R = sc.Count scrambles' estimates,
// its standard error their standard deviation over √R, and its interval
// the mean ± t_{R−1} standard errors, t_{R−1} the Student t quantile at
// (1 + Confidence)/2 (TQuantile): the scrambles are independent and identically
// distributed, so this interval is honest for randomized quasi-Monte Carlo
// points, whose rows are not independent (Owen 1997; L'Ecuyer & Lemieux
// 2002). A bootstrap over base rows, treating them as independent, gives
// intervals several times too wide for these designs.
func Sobol(y []float64, n, d int, sc Scrambles) (*SobolResult, error) {
	if n < 2 || d < 1 || len(y) != n*(d+2) {
		return nil, fmt.Errorf("sensitivity: %d outputs for a Saltelli design of base size %d and %d factors: want %d", len(y), n, d, n*(d+2))
	}
	r := sc.Count
	if err := design.CheckSaltelli(n, d, r); err != nil {
		return nil, fmt.Errorf("sensitivity: %w", err)
	}
	if err := checkConfidence(sc.Confidence); err != nil {
		return nil, err
	}
	if err := checkFinite(y); err != nil {
		return nil, err
	}
	w, m := d+2, n/r
	est1, estT := make([][]float64, d), make([][]float64, d)
	for i := range d {
		est1[i], estT[i] = make([]float64, r), make([]float64, r)
	}
	s1, st := make([]float64, d), make([]float64, d)
	for k := range r {
		sobolEstimate(y[k*m*w:(k+1)*m*w], d, s1, st)
		for i := range d {
			est1[i][k], estT[i][k] = s1[i], st[i]
		}
	}
	tq := TQuantile(r, sc.Confidence)
	res := &SobolResult{N: n, D: d, Scrambles: r, Variance: abVariance(y, d, meanA(y, d)), Confidence: sc.Confidence,
		TQuantile: tq, Indices: make([]SobolIndex, d)}
	for i := range d {
		ix := &res.Indices[i]
		ix.S1, ix.S1SE, ix.S1CI = tInterval(est1[i], tq)
		ix.ST, ix.STSE, ix.STCI = tInterval(estT[i], tq)
	}
	return res, nil
}

// TQuantile returns the Student t quantile at (1 + conf)/2 with r − 1
// degrees of freedom, which a Sobol interval over r scrambles multiplies
// the standard error by. It is detmath.StudentTQuantile, the same bits on
// every CPU (gonum's distuv.StudentsT calls math.Exp, whose last bits
// depend on the CPU), so the intervals' bytes do not depend on the node
// that computed them.
func TQuantile(r int, conf float64) float64 {
	return detmath.StudentTQuantile((1+conf)/2, r-1)
}

// tInterval returns the mean of the estimates xs, its standard error (their
// standard deviation, n − 1 denominator, over √n) and the interval of tq
// standard errors either side.
func tInterval(xs []float64, tq float64) (float64, float64, Interval) {
	mean, sd := stat.MeanStdDev(xs, nil)
	se := sd / math.Sqrt(float64(len(xs)))
	return mean, se, Interval{mean - tq*se, mean + tq*se}
}

// meanA returns the mean of f_A, the outputs of the rows of A.
func meanA(y []float64, d int) float64 {
	w := d + 2
	n := len(y) / w
	var shift float64
	for j := range n {
		shift += y[j*w]
	}
	return shift / float64(n)
}

// abVariance returns the variance (n denominator) of the outputs of the
// rows of A and B, centred on shift, f_A's mean (see sobolEstimate).
func abVariance(y []float64, d int, shift float64) float64 {
	w := d + 2
	n := len(y) / w
	var sum, sq float64
	for j := range n {
		a, b := y[j*w]-shift, y[j*w+d+1]-shift
		sum += a + b
		sq += a*a + b*b
	}
	m := float64(2 * n)
	return sq/m - (sum/m)*(sum/m)
}

// sobolEstimate computes the indices over every base row of y (one
// scramble's rows) into s1 and st. Outputs are centred on f_A's mean
// first: the variance and ST do not change, and S1's numerator keeps its
// expectation (mean(f_ABi − f_A) has expectation 0) while losing the error
// a large mean would multiply. A scramble whose outputs do not vary gives
// indices of 0.
func sobolEstimate(y []float64, d int, s1, st []float64) {
	w := d + 2
	n := len(y) / w
	shift := meanA(y, d)
	v := abVariance(y, d, shift)
	if v == 0 {
		clear(s1)
		clear(st)
		return
	}
	for i := range d {
		var first, total float64
		for j := range n {
			a, b, ab := y[j*w], y[j*w+d+1], y[j*w+1+i]
			first += (b - shift) * (ab - a)
			total += (a - ab) * (a - ab)
		}
		nf := float64(n)
		s1[i], st[i] = first/nf/v, total/(2*nf)/v
	}
}
