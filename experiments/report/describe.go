package report

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/coopsim/coopsim/agents/detmath"
)

// Quantile returns the p-quantile (0 ≤ p ≤ 1) of the ascending-sorted
// values by Hyndman and Fan's type 7 rule, the default of R's quantile and
// of numpy.quantile: with n values x[0] ≤ … ≤ x[n-1] and h = (n-1)·p,
//
//	Q(p) = x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋])
//
// so Q(0) is the minimum, Q(1) the maximum, and Q(0.5) the usual median.
// It panics (programmer misuse) if sorted is empty, p is outside [0, 1], or
// sorted is not sorted.
func Quantile(p float64, sorted []float64) float64 {
	if len(sorted) == 0 {
		panic("report: Quantile of no values")
	}
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("report: Quantile p=%v outside [0, 1]", p))
	}
	if !slices.IsSorted(sorted) {
		panic("report: Quantile of unsorted values")
	}
	h := float64(len(sorted)-1) * p
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	frac := h - float64(lo)
	if frac == 0 {
		return sorted[lo]
	}
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}

// Describe summarizes values (one per run) as a MetricSummary with an empty
// Metric name: N = len(values), the mean, the sample standard deviation
// (n-1 denominator, gonum's stat.MeanStdDev), SE = SD/√N, and the 5th, 25th,
// 50th, 75th and 95th percentiles by the type 7 rule of Quantile, computed
// on a sorted copy (values is not modified).
//
// With one value SD and SE are 0 and every percentile is that value; with
// no values the result is all zeros with N = 0. A NaN in values makes the
// result meaningless (NaN sorts first); WriteSummary rejects non-finite
// summaries.
func Describe(values []float64) MetricSummary {
	n := len(values)
	if n == 0 {
		return MetricSummary{}
	}
	s := slices.Clone(values)
	slices.Sort(s)
	m := MetricSummary{
		N:   n,
		P5:  Quantile(0.05, s),
		P25: Quantile(0.25, s),
		P50: Quantile(0.50, s),
		P75: Quantile(0.75, s),
		P95: Quantile(0.95, s),
	}
	if n == 1 {
		m.Mean = values[0]
		return m
	}
	m.Mean, m.SD = stat.MeanStdDev(values, nil)
	m.SE = m.SD / math.Sqrt(float64(n))
	return m
}

// Paired returns the paired difference scenario − baseline of one metric
// over common-random-number runs: scenario[i] and baseline[i] come from the
// same run i. With d[i] = scenario[i] − baseline[i] and n runs, Mean is the
// mean of d, SE = sd(d)/√n (sample sd, n-1 denominator), and the 95%
// interval is Mean ± t·SE where t is the 0.975 quantile of Student's t
// distribution with n-1 degrees of freedom (detmath.StudentTQuantile, the
// same on every CPU, unlike gonum's distuv.StudentsT, which calls math.Exp).
//
// With n = 1 the interval would be infinite, which JSON cannot hold: Paired
// then returns SE = 0 and Lo95 = Hi95 = Mean. The Metric field is left
// empty. It returns an error if the slices differ in length or are empty.
func Paired(scenario, baseline []float64) (Difference, error) {
	if len(scenario) != len(baseline) {
		return Difference{}, fmt.Errorf("report: paired difference of %d and %d runs", len(scenario), len(baseline))
	}
	n := len(scenario)
	if n == 0 {
		return Difference{}, errors.New("report: paired difference of no runs")
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = scenario[i] - baseline[i]
	}
	if n == 1 {
		return Difference{Mean: d[0], Lo95: d[0], Hi95: d[0]}, nil
	}
	mean, sd := stat.MeanStdDev(d, nil)
	se := sd / math.Sqrt(float64(n))
	t := detmath.StudentTQuantile(0.975, n-1)
	return Difference{Mean: mean, SE: se, Lo95: mean - t*se, Hi95: mean + t*se}, nil
}
