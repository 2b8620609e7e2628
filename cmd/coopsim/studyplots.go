package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/plots"
)

// saveStudyFigure writes a figure into dir/plots.
func saveStudyFigure(dir, name string, f *plots.Figure) (string, error) {
	pd := filepath.Join(dir, "plots")
	if err := os.MkdirAll(pd, 0o755); err != nil {
		return "", fmt.Errorf("figures: %w", err)
	}
	p := filepath.Join(pd, name)
	_, err := f.Save(p, plots.Options{})
	return p, err
}

// sensitivityFigure draws the indices of every output: Sobol indices with
// their intervals, or the Morris mu*-sigma plane.
func sensitivityFigure(r *experiments.SensitivityReport, dir string) (string, error) {
	title := fmt.Sprintf("%s: %d design points × %d runs", r.Experiment, r.Points, r.Replicates)
	studies := make([]plots.StudyOutput, len(r.Outputs))
	for i, o := range r.Outputs {
		studies[i] = plots.StudyOutput{Metric: o.Metric, Scenario: o.Scenario, Minus: o.Minus}
	}
	if r.Method == "sobol" {
		var ps []plots.SobolPanel
		for i, o := range r.Outputs {
			sp := plots.SobolPanel{Output: o.Name, Study: studies[i]}
			for _, s := range o.Sobol {
				sp.Indices = append(sp.Indices, plots.SobolIndex{Factor: s.Factor, S1: s.S1, S1Low: s.S1CI[0], S1High: s.S1CI[1],
					ST: s.ST, STLow: s.STCI[0], STHigh: s.STCI[1]})
			}
			ps = append(ps, sp)
		}
		f, err := plots.SobolIndices(ps, title, r.Confidence, r.Scrambles)
		if err != nil {
			return "", err
		}
		return saveStudyFigure(dir, plots.SobolFile, f)
	}
	var ps []plots.MorrisPanel
	for i, o := range r.Outputs {
		mp := plots.MorrisPanel{Output: o.Name, Study: studies[i]}
		for _, m := range o.Morris {
			mp.Indices = append(mp.Indices, plots.MorrisIndex{Factor: m.Factor, MuStar: m.MuStar, MuStarLow: m.MuStarCI[0], MuStarHigh: m.MuStarCI[1], Sigma: m.Sigma})
		}
		ps = append(ps, mp)
	}
	f, err := plots.MorrisScreening(ps, title, r.Confidence)
	if err != nil {
		return "", err
	}
	return saveStudyFigure(dir, plots.MorrisFile, f)
}

// discoverFigure draws PRIM's peeling trajectory.
func discoverFigure(r *experiments.DiscoverReport, dir string) (string, error) {
	steps := make([]plots.PeelStep, len(r.Trajectory))
	for i, s := range r.Trajectory {
		steps[i] = plots.PeelStep{Coverage: s.Coverage, Density: s.Density, Restricted: s.Restricted}
	}
	title := fmt.Sprintf("%s: %d design points × %d runs", r.Experiment, r.Points, r.Replicates)
	f, err := plots.PeelingTrajectory(steps, r.Chosen, title, r.Condition)
	if err != nil {
		return "", err
	}
	return saveStudyFigure(dir, plots.PeelingFile, f)
}
