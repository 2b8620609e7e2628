package calibration

import (
	"fmt"
	"math"
)

// checkValues refuses a fit.json (at path) whose numbers coopsim plot
// draws but coopsim calibrate cannot have written: a target's value or
// simulated moment that is not finite, an uncertainty (sd, se) that is
// negative or not finite (a target's sd must be positive), a fitted
// parameter's range that is empty or, on a log scale, not positive, a
// value outside its range, or a posterior predictive check whose numbers
// are not finite, whose 10% quantile passes its 90% or whose PIT is not a
// share. The key is named as fit.json spells it.
func (r *Result) checkValues(path string) error {
	bad := func(key, name string, v any, want string) error {
		return &FileError{File: path, Msg: fmt.Sprintf("%s (%s) is %v, want %s: was the file edited? rerun coopsim calibrate", key, name, v, want)}
	}
	for i, t := range r.Targets {
		k := fmt.Sprintf("targets[%d].", i)
		switch {
		case !finite(t.Value):
			return bad(k+"value", t.Name, t.Value, "a finite number")
		case !(t.SD > 0) || !finite(t.SD):
			return bad(k+"sd", t.Name, t.SD, "a positive number")
		case !finite(t.Simulated):
			return bad(k+"simulated", t.Name, t.Simulated, "a finite number")
		case !(t.SE >= 0) || !finite(t.SE):
			return bad(k+"se", t.Name, t.SE, "a number, 0 or more")
		}
	}
	for j, p := range r.Params {
		k := fmt.Sprintf("params[%d].", j)
		switch {
		case !finite(p.Min) || !finite(p.Max) || !(p.Min < p.Max):
			return bad(k+"min and max", p.Path, fmt.Sprintf("%v to %v", p.Min, p.Max), "finite numbers, min below max")
		case p.Log && !(p.Min > 0):
			return bad(k+"min", p.Path, p.Min, "a positive number on a log scale")
		case !(p.Value >= p.Min && p.Value <= p.Max):
			return bad(k+"value", p.Path, p.Value, fmt.Sprintf("a value in its range %v to %v", p.Min, p.Max))
		case !(p.SE >= 0) || !finite(p.SE):
			return bad(k+"se", p.Path, p.SE, "a number, 0 or more")
		}
	}
	if r.Posterior == nil {
		return nil
	}
	for i, c := range r.Posterior.Predictive {
		k := fmt.Sprintf("posterior.predictive[%d].", i)
		switch {
		case !finite(c.Observed) || !finite(c.Mean) || !finite(c.Q10) || !finite(c.Q90):
			return bad(k+"observed, mean, q10 and q90", c.Name, fmt.Sprintf("%v, %v, %v and %v", c.Observed, c.Mean, c.Q10, c.Q90), "finite numbers")
		case !(c.SD > 0) || !finite(c.SD):
			return bad(k+"sd", c.Name, c.SD, "a positive number")
		case c.Q10 > c.Q90:
			return bad(k+"q10", c.Name, c.Q10, fmt.Sprintf("at most q90 (%v)", c.Q90))
		case !(c.PIT >= 0 && c.PIT <= 1):
			return bad(k+"pit", c.Name, c.PIT, "a share from 0 to 1")
		case c.Draws < 1:
			return bad(k+"draws", c.Name, c.Draws, "at least 1")
		}
	}
	return nil
}

// checkDraws refuses a posterior.csv draw (at path) outside its
// parameter's range in fit.json, where calibrate's sampler cannot go.
func (r *Result) checkDraws(path string) error {
	for c, ch := range r.Posterior.Result.Chains() {
		for i, x := range ch {
			for j, v := range x {
				if p := r.Params[j]; !(v >= p.Min && v <= p.Max) {
					return &FileError{File: path, Msg: fmt.Sprintf("chain %d draw %d: %s is %v, outside its range %v to %v in %s: posterior.csv and fit.json must come from the same coopsim calibrate --posterior",
						c, i+1, p.Path, v, p.Min, p.Max, FitFile)}
				}
			}
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
