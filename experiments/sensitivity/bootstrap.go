package sensitivity

import (
	"fmt"
	"math"
	"slices"

	"github.com/coopsim/coopsim/experiments/design"
)

// Bootstrap says how Morris intervals are computed: Resamples
// resamples of the independent units with replacement, keyed by Seed, and
// percentile intervals of level Confidence. The zero value means
// DefaultBootstrap.
type Bootstrap struct {
	Resamples  int
	Confidence float64
	Seed       uint64
}

// DefaultConfidence is the intervals' level unless set, of either
// method's intervals: 95%.
const DefaultConfidence = 0.95

// DefaultBootstrap is 1000 resamples and intervals of DefaultConfidence.
var DefaultBootstrap = Bootstrap{Resamples: 1000, Confidence: DefaultConfidence}

func (b Bootstrap) withDefaults() (Bootstrap, error) {
	if b.Resamples == 0 {
		b.Resamples = DefaultBootstrap.Resamples
	}
	if b.Confidence == 0 {
		b.Confidence = DefaultBootstrap.Confidence
	}
	if b.Resamples < 2 {
		return b, fmt.Errorf("sensitivity: bootstrap resamples = %d: want at least 2", b.Resamples)
	}
	return b, checkConfidence(b.Confidence)
}

// checkConfidence refuses an interval level outside (0, 1).
func checkConfidence(c float64) error {
	if !(c > 0 && c < 1) {
		return fmt.Errorf("sensitivity: confidence = %g: want a level in (0, 1), such as %g", c, DefaultConfidence)
	}
	return nil
}

// Interval is a confidence interval.
type Interval struct {
	Low, High float64
}

// Contains reports whether x lies in the closed interval.
func (iv Interval) Contains(x float64) bool { return iv.Low <= x && x <= iv.High }

// resample fills idx with a resample (with replacement) of 0..len(idx)-1:
// draw b of the bootstrap keyed by the stream.
func resample(s design.Stream, b int, idx []int) {
	for k := range idx {
		idx[k] = s.Intn(uint64(b), uint64(k), len(idx))
	}
}

// percentile returns the percentile interval of level conf of the
// bootstrap replicates xs (sorted in place), and their standard deviation
// as the bootstrap standard error. Quantiles interpolate linearly between
// order statistics (Hyndman & Fan's type 7).
func percentile(xs []float64, conf float64) (Interval, float64) {
	slices.Sort(xs)
	q := func(p float64) float64 {
		h := p * float64(len(xs)-1)
		lo := math.Floor(h)
		i := int(lo)
		if i+1 >= len(xs) {
			return xs[len(xs)-1]
		}
		return xs[i] + (h-lo)*(xs[i+1]-xs[i])
	}
	var mean, ss float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	tail := (1 - conf) / 2
	return Interval{q(tail), q(1 - tail)}, math.Sqrt(ss / float64(len(xs)-1))
}

// checkFinite refuses outputs that are NaN or infinite.
func checkFinite(y []float64) error {
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("sensitivity: output %d of the design is %g: every design point needs a finite output", i, v)
		}
	}
	return nil
}
