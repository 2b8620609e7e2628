package discover

import (
	"fmt"
	"math"
	"slices"
)

// Options control the peeling. The zero value means DefaultOptions.
type Options struct {
	// Alpha is the fraction of the box's points removed by one peel
	// (0.05 by default, as Friedman & Fisher recommend and the EMA
	// Workbench uses).
	Alpha float64
	// MinMass is the smallest fraction of all points a box may hold
	// (0.05 by default).
	MinMass float64
	// Paste, when true, grows the final box back along restricted bounds
	// while that raises its density (Friedman & Fisher 1999, §8.2).
	Paste bool
}

// DefaultOptions is peel 5% a step, stop at 5% of the points, no pasting.
var DefaultOptions = Options{Alpha: 0.05, MinMass: 0.05}

// Box is an axis-aligned box: factor j is restricted to [Low[j], High[j]].
type Box struct {
	Low, High []float64
}

func (b Box) clone() Box {
	return Box{slices.Clone(b.Low), slices.Clone(b.High)}
}

// contains reports whether point x lies in the box.
func (b Box) contains(x []float64) bool {
	for j, v := range x {
		if v < b.Low[j] || v > b.High[j] {
			return false
		}
	}
	return true
}

// Step is one box of the peeling trajectory: the box, how many points it
// holds (N) and how many of them meet the condition (K), its coverage
// (K over all points meeting the condition), density (K/N), mass (N over
// all points) and the number of factors it restricts.
type Step struct {
	Box        Box
	N, K       int
	Coverage   float64
	Density    float64
	Mass       float64
	Restricted int
}

// Result is a peeling trajectory over a data set; step 0 is the box of all
// points (the data's range in each factor).
type Result struct {
	Trajectory []Step
	// Total and Interesting count all points and those meeting the
	// condition.
	Total, Interesting int

	x [][]float64
	y []bool
}

// Peel runs PRIM's peeling over points x (one row per design point, one
// column per factor) with outcome y, and pastes if asked. At each step
// every factor offers two candidate boxes, one with the lowest Alpha
// fraction of the box's points along it removed and one with the highest;
// the candidate with the largest gain in density per point removed wins
// (the EMA Workbench's default "lenient" objective, which Friedman & Fisher
// §5 also discuss), ties going to the box restricting fewer factors.
// Peeling stops when the best candidate would hold less than MinMass of
// the points or would not raise the density.
func Peel(x [][]float64, y []bool, opt Options) (*Result, error) {
	opt, err := checkInput(x, y, opt)
	if err != nil {
		return nil, err
	}
	r := &Result{Total: len(y), x: x, y: y}
	for _, v := range y {
		if v {
			r.Interesting++
		}
	}
	if r.Interesting == 0 {
		return nil, fmt.Errorf("discover: no design point meets the condition, so there is no box to find")
	}
	box := dataRange(x)
	in := make([]int, len(x))
	for i := range in {
		in[i] = i
	}
	r.push(box, in)
	for {
		next, nextIn, ok := r.bestPeel(box, in, opt)
		if !ok {
			break
		}
		box, in = next, nextIn
		r.push(box, in)
	}
	if opt.Paste {
		r.paste(opt)
	}
	return r, nil
}

// checkInput validates the data and fills the options' defaults.
func checkInput(x [][]float64, y []bool, opt Options) (Options, error) {
	if opt.Alpha == 0 {
		opt.Alpha = DefaultOptions.Alpha
	}
	if opt.MinMass == 0 {
		opt.MinMass = DefaultOptions.MinMass
	}
	switch {
	case !(opt.Alpha > 0 && opt.Alpha < 0.5):
		return opt, fmt.Errorf("discover: peel alpha = %g: want a fraction in (0, 0.5), such as 0.05", opt.Alpha)
	case !(opt.MinMass > 0 && opt.MinMass < 1):
		return opt, fmt.Errorf("discover: minimum mass = %g: want a fraction in (0, 1), such as 0.05", opt.MinMass)
	case len(x) == 0 || len(x) != len(y):
		return opt, fmt.Errorf("discover: %d points and %d outcomes: want as many outcomes as points, at least one", len(x), len(y))
	}
	d := len(x[0])
	for i, row := range x {
		if len(row) != d || d == 0 {
			return opt, fmt.Errorf("discover: point %d has %d factors, point 0 has %d", i, len(row), d)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return opt, fmt.Errorf("discover: point %d factor %d is %g: want finite values", i, j, v)
			}
		}
	}
	return opt, nil
}

// dataRange returns the smallest box holding every point.
func dataRange(x [][]float64) Box {
	d := len(x[0])
	b := Box{make([]float64, d), make([]float64, d)}
	for j := range d {
		b.Low[j], b.High[j] = math.Inf(1), math.Inf(-1)
		for _, row := range x {
			b.Low[j] = min(b.Low[j], row[j])
			b.High[j] = max(b.High[j], row[j])
		}
	}
	return b
}

// push appends the box holding points in to the trajectory.
func (r *Result) push(b Box, in []int) {
	k := r.count(in)
	init := r.Trajectory
	s := Step{Box: b, N: len(in), K: k,
		Coverage: float64(k) / float64(r.Interesting),
		Density:  float64(k) / float64(max(len(in), 1)),
		Mass:     float64(len(in)) / float64(r.Total)}
	if len(init) > 0 {
		s.Restricted = restricted(b, init[0].Box)
	}
	r.Trajectory = append(r.Trajectory, s)
}

func (r *Result) count(in []int) int {
	k := 0
	for _, i := range in {
		if r.y[i] {
			k++
		}
	}
	return k
}

// restricted counts the factors whose bounds differ from the initial box.
func restricted(b, init Box) int {
	n := 0
	for j := range b.Low {
		if b.Low[j] != init.Low[j] || b.High[j] != init.High[j] {
			n++
		}
	}
	return n
}
