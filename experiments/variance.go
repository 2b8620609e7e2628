package experiments

import "github.com/coopsim/coopsim/experiments/varsplit"

// varianceSplit splits the variance of one scenario's metric v (one value
// per run, in RunIDs order) into its parametric and noise parts, over the
// run groups of the [uncertainty] table whose every replicate is done. It
// returns nil without uncertainty, with fewer than two replicates, or
// with fewer than three complete groups.
func (o *Outcome) varianceSplit(v []float64) *varsplit.Split {
	u := o.Experiment.Uncertainty
	if u == nil || u.Replicates < 2 {
		return nil
	}
	var groups [][]float64
	for i := 0; i < len(o.RunIDs); {
		g := o.RunIDs[i] / u.Replicates
		j := i
		for j < len(o.RunIDs) && o.RunIDs[j]/u.Replicates == g {
			j++
		}
		if j-i == u.Replicates {
			groups = append(groups, v[i:j])
		}
		i = j
	}
	s, err := varsplit.Estimate(groups)
	if err != nil {
		return nil // too few complete groups (or a non-finite metric, which Validate reports)
	}
	return &s
}
