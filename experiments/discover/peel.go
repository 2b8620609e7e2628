package discover

import "slices"

// candidate is a box offered by a peel or a paste: the box, the points it
// holds and its objective.
type candidate struct {
	box   Box
	in    []int
	obj   float64
	restr int
}

// better reports whether c beats the best so far: a larger objective, or an
// equal one restricting fewer factors. Earlier candidates win exact ties,
// so the choice does not depend on anything but the data.
func (c candidate) better(best *candidate) bool {
	if best == nil {
		return true
	}
	if c.obj != best.obj {
		return c.obj > best.obj
	}
	return c.restr < best.restr
}

// lenient is the EMA Workbench's default objective ("lenient1"): the gain
// in density divided by the number of points removed or added.
func lenient(kOld, nOld, kNew, nNew int) float64 {
	if nNew == nOld || nNew == 0 {
		return 0
	}
	gain := float64(kNew)/float64(nNew) - float64(kOld)/float64(nOld)
	diff := nOld - nNew
	if diff < 0 {
		diff = -diff
	}
	return gain / float64(diff)
}

// bestPeel returns the best peel of box (holding points in), and false when
// none is accepted.
func (r *Result) bestPeel(box Box, in []int, opt Options) (Box, []int, bool) {
	init := r.Trajectory[0].Box
	kOld := r.count(in)
	vals := make([]float64, len(in))
	var best *candidate
	for j := range box.Low {
		for i, p := range in {
			vals[i] = r.x[p][j]
		}
		slices.Sort(vals)
		for _, upper := range []bool{false, true} {
			b := box.clone()
			if upper {
				b.High[j] = upperQuantile(vals, 1-opt.Alpha)
			} else {
				b.Low[j] = lowerQuantile(vals, opt.Alpha)
			}
			kept := keep(r.x, in, j, b.Low[j], b.High[j])
			if len(kept) == len(in) || len(kept) == 0 {
				continue
			}
			c := candidate{box: b, in: kept, obj: lenient(kOld, len(in), r.count(kept), len(kept)),
				restr: restricted(b, init)}
			if c.better(best) {
				best = &c
			}
		}
	}
	if best == nil || best.obj <= 0 || float64(len(best.in)) < opt.MinMass*float64(r.Total) {
		return box, in, false
	}
	return best.box, best.in, true
}

// keep returns the points of in whose factor j lies in [lo, hi].
func keep(x [][]float64, in []int, j int, lo, hi float64) []int {
	var out []int
	for _, p := range in {
		if v := x[p][j]; v >= lo && v <= hi {
			out = append(out, p)
		}
	}
	return out
}

// lowerQuantile returns a lower peeling bound for sorted values: the
// quantile q's position, moved up past ties and placed midway between two
// distinct values, so that a peel never splits a run of equal values (the
// rule of the EMA Workbench's get_quantile, from sdtoolkit). If every value
// is equal it returns that value, which peels nothing.
func lowerQuantile(xs []float64, q float64) float64 {
	h := float64(len(xs)-1) * q
	lo, hi := int(h), int(h)
	if float64(hi) < h {
		hi++
	}
	for xs[lo] == xs[hi] && hi < len(xs)-1 {
		hi++
	}
	return (xs[lo] + xs[hi]) / 2
}

// upperQuantile is lowerQuantile's mirror for an upper bound.
func upperQuantile(xs []float64, q float64) float64 {
	h := float64(len(xs)-1) * q
	lo, hi := int(h), int(h)
	if float64(hi) < h {
		hi++
	}
	for xs[lo] == xs[hi] && lo > 0 {
		lo--
	}
	return (xs[lo] + xs[hi]) / 2
}
