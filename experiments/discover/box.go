package discover

import (
	"math"
	"slices"
)

// paste grows the last box of the trajectory along its restricted bounds
// while that raises its density (Friedman & Fisher 1999, §8.2, as the EMA
// Workbench does it): each candidate moves one bound outwards to take in
// about Alpha of the points lying between it and the data's range, within
// the other bounds. Each accepted paste is appended to the trajectory.
func (r *Result) paste(opt Options) {
	init := r.Trajectory[0].Box
	all := make([]int, r.Total)
	for i := range all {
		all[i] = i
	}
	for {
		last := r.Trajectory[len(r.Trajectory)-1]
		in := r.inBox(last.Box, all)
		var best *candidate
		for j := range last.Box.Low {
			for _, upper := range []bool{false, true} {
				c, ok := r.pasteOne(last.Box, in, all, j, upper, opt.Alpha)
				if ok && c.better(best) {
					best = &c
				}
			}
		}
		if best == nil || best.obj <= 0 {
			return
		}
		best.restr = restricted(best.box, init)
		r.push(best.box, best.in)
	}
}

// pasteOne returns the candidate that pastes bound j (upper or lower) of
// box, which holds points in.
func (r *Result) pasteOne(box Box, in, all []int, j int, upper bool, alpha float64) (candidate, bool) {
	init := r.Trajectory[0].Box
	outside := box.clone()
	if upper {
		if box.High[j] == init.High[j] {
			return candidate{}, false
		}
		outside.Low[j], outside.High[j] = box.High[j], init.High[j]
	} else {
		if box.Low[j] == init.Low[j] {
			return candidate{}, false
		}
		outside.Low[j], outside.High[j] = init.Low[j], box.Low[j]
	}
	var vals []float64
	for _, p := range r.inBox(outside, all) {
		if v := r.x[p][j]; v != box.Low[j] && v != box.High[j] {
			vals = append(vals, v)
		}
	}
	b := box.clone()
	switch {
	case len(vals) == 0 && upper:
		b.High[j] = init.High[j]
	case len(vals) == 0:
		b.Low[j] = init.Low[j]
	case upper:
		slices.Sort(vals)
		b.High[j] = lowerQuantile(vals, alpha)
	default:
		slices.Sort(vals)
		b.Low[j] = upperQuantile(vals, 1-alpha)
	}
	grown := r.inBox(b, all)
	kOld, kNew := r.count(in), r.count(grown)
	if len(grown) <= len(in) || float64(kNew)/float64(len(grown)) <= float64(kOld)/float64(len(in)) {
		return candidate{}, false
	}
	return candidate{box: b, in: grown, obj: lenient(kOld, len(in), kNew, len(grown)),
		restr: restricted(b, init)}, true
}

// inBox returns the points of in that lie in b.
func (r *Result) inBox(b Box, in []int) []int {
	var out []int
	for _, p := range in {
		if b.contains(r.x[p]) {
			out = append(out, p)
		}
	}
	return out
}

// Choose returns the index of the step with the largest coverage among
// those whose density is at least minDensity, or, if none reaches it, of
// the densest step (the earliest of equals).
func (r *Result) Choose(minDensity float64) int {
	best, densest := -1, 0
	for i, s := range r.Trajectory {
		if s.Density >= minDensity && (best < 0 || s.Coverage > r.Trajectory[best].Coverage) {
			best = i
		}
		if s.Density > r.Trajectory[densest].Density {
			densest = i
		}
	}
	if best < 0 {
		return densest
	}
	return best
}

// Restriction is one factor a box restricts: its bounds, which of them
// are restricted, and each restricted bound's quasi-p-value (NaN for a
// bound left at the data's range).
type Restriction struct {
	Factor         int
	Low, High      float64
	LowRestricted  bool
	HighRestricted bool
	PLow, PHigh    float64
}

// Restrictions describes step i's box: each factor it restricts, in
// factor order. A bound's quasi-p-value (Bryant & Lempert 2010; the EMA
// Workbench's calculate_qp) is the one-sided binomial probability of
// finding at least the box's K points meeting the condition among its N
// points if the box's density were that of the box with this one bound
// removed: P(X ≥ K) for X ~ Binomial(N, p'). A small value says the bound
// matters; a large one, that it could be dropped.
func (r *Result) Restrictions(i int) []Restriction {
	step := r.Trajectory[i]
	init := r.Trajectory[0].Box
	all := make([]int, r.Total)
	for p := range all {
		all[p] = p
	}
	var out []Restriction
	for j := range step.Box.Low {
		lo, hi := step.Box.Low[j] != init.Low[j], step.Box.High[j] != init.High[j]
		if !lo && !hi {
			continue
		}
		res := Restriction{Factor: j, Low: step.Box.Low[j], High: step.Box.High[j],
			LowRestricted: lo, HighRestricted: hi, PLow: math.NaN(), PHigh: math.NaN()}
		if lo {
			b := step.Box.clone()
			b.Low[j] = init.Low[j]
			res.PLow = r.quasiP(b, all, step)
		}
		if hi {
			b := step.Box.clone()
			b.High[j] = init.High[j]
			res.PHigh = r.quasiP(b, all, step)
		}
		out = append(out, res)
	}
	return out
}

// quasiP is P(X ≥ step.K) for X ~ Binomial(step.N, p), p the density of
// box b (binomialTail: computed the same way on every CPU).
func (r *Result) quasiP(b Box, all []int, step Step) float64 {
	in := r.inBox(b, all)
	p := float64(r.count(in)) / float64(len(in))
	switch {
	case step.K == 0:
		return 1
	case p >= 1:
		return 1
	case p <= 0:
		return 0
	}
	return binomialTail(step.N, step.K, p)
}
