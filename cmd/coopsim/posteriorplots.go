package main

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/calibration/posterior"
	"github.com/coopsim/coopsim/plots"
)

// writePosteriorPlots draws calibrate --posterior's corner plot and
// posterior predictive figure into dir/plots and returns their paths.
func writePosteriorPlots(res *calibration.Result, t *calibration.Targets, name, dir string) ([]string, error) {
	post := res.Posterior
	draws := post.Draws()
	params := make([]plots.PosteriorParam, len(t.Params))
	for j := range t.Params {
		fp := &t.Params[j]
		col := make([]float64, len(draws))
		for i, d := range draws {
			col[i] = d[j]
		}
		params[j] = plots.PosteriorParam{Name: fp.Path, Draws: col, Log: fp.Log, Prior: density(fp.PriorDist())}
	}
	title := fmt.Sprintf("Posterior of %s (%d chains × %d draws, %d runs × %d buyers an evaluation)",
		name, post.Chains, post.Iterations, post.Runs, post.Agents)
	corner, err := plots.Corner(params, title)
	if err != nil {
		return nil, err
	}
	checks := make([]plots.PredictiveCheck, len(post.Predictive))
	for i, c := range post.Predictive {
		tg := &t.Targets[i]
		rel := ""
		switch tg.Relation {
		case calibration.RelAtLeast:
			rel = ">="
		case calibration.RelAtMost:
			rel = "<="
		}
		checks[i] = plots.PredictiveCheck{Name: c.Name, Unit: tg.Unit, Relation: rel, Observed: c.Observed, SD: c.SD,
			Mean: c.Mean, Q10: c.Q10, Q90: c.Q90, PIT: c.PIT}
	}
	pred, err := plots.PosteriorPredictive(checks, fmt.Sprintf("Posterior predictive check of %s (%d draws)", name, post.Predictive[0].Draws))
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range []struct {
		fig  *plots.Figure
		file string
		opt  plots.Options
	}{{corner, plots.CornerFile, plots.CornerOptions(len(params))}, {pred, plots.PredictiveFile, plots.DefaultOptions}} {
		path := filepath.Join(dir, "plots", f.file)
		if err := f.fig.Save(path, f.opt); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// density is a prior's density on the natural scale.
func density(p posterior.Prior) func(float64) float64 {
	return func(x float64) float64 { return math.Exp(p.LogProb(x)) }
}
