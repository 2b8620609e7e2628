package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/calibration/posterior"
	"github.com/coopsim/coopsim/plots"
)

// The figures of a calibration are drawn here for both coopsim calibrate
// (from the fit it has just made) and coopsim plot (from the fit.json and
// posterior.csv it wrote), so that a redrawn figure is the same figure.

// calibrationTitle is calibration.png's title; name is the experiment's
// ("" when not known: a fit.json written before it kept the name).
func calibrationTitle(res *calibration.Result, name string) string {
	of := ""
	if name != "" {
		of = " of " + name
	}
	return fmt.Sprintf("Calibration%s (%d runs × %d buyers, seed %d)", of, res.Runs, res.FitAgents, res.Seed)
}

// drawFitPlot draws calibration.png, the fit's targets against its
// simulated moments, into plotDir and returns its path and size.
func drawFitPlot(res *calibration.Result, name, plotDir string, opt plots.Options) (plots.Written, error) {
	fig, err := plots.CalibrationFit(res.Points(), calibrationTitle(res, name))
	if err != nil {
		return plots.Written{}, err
	}
	if err := os.MkdirAll(plotDir, 0o755); err != nil {
		return plots.Written{}, err
	}
	return fig.Save(filepath.Join(plotDir, plots.FileName(plots.CalibrationFile, opt)), opt)
}

// writePosteriorPlots draws calibrate --posterior's corner plot and
// posterior predictive figure into dir/plots and returns their paths and
// sizes.
func writePosteriorPlots(res *calibration.Result, t *calibration.Targets, name, dir string) ([]plots.Written, error) {
	priors := make([]func(float64) float64, len(t.Params))
	for j := range t.Params {
		priors[j] = density(t.Params[j].PriorDist())
	}
	return drawPosteriorPlots(res, priors, name, filepath.Join(dir, "plots"), plots.DefaultOptions)
}

// drawPosteriorPlots draws the corner plot of res.Posterior's draws (the
// sampler's, or those calibration.ReadFiles read back) with each
// parameter's prior density (nil: none drawn), and the posterior
// predictive check of res.Posterior.Predictive, into plotDir; it returns
// their paths and sizes. The corner plot is widened to at least 340
// pixels a parameter at the default dpi (plots.CornerOptions), and so may
// be drawn smaller than it asks (plots.Written.Shrunk).
func drawPosteriorPlots(res *calibration.Result, priors []func(float64) float64, name, plotDir string, opt plots.Options) ([]plots.Written, error) {
	post := res.Posterior
	draws := post.Draws()
	params := make([]plots.PosteriorParam, len(res.Params))
	for j, fp := range res.Params {
		col := make([]float64, len(draws))
		for i, d := range draws {
			col[i] = d[j]
		}
		params[j] = plots.PosteriorParam{Name: fp.Path, Draws: col, Log: fp.Log, Prior: priors[j]}
	}
	title := fmt.Sprintf("Posterior of %s (%d chains × %d draws, %d runs × %d buyers an evaluation)",
		orFit(name), post.Chains, post.Iterations, post.Runs, post.Agents)
	corner, err := plots.Corner(params, title)
	if err != nil {
		return nil, err
	}
	checks, err := predictiveChecks(res)
	if err != nil {
		return nil, err
	}
	pred, err := plots.PosteriorPredictive(checks, fmt.Sprintf("Posterior predictive check of %s (%d draws)", orFit(name), post.Predictive[0].Draws))
	if err != nil {
		return nil, err
	}
	var out []plots.Written
	for _, f := range []struct {
		fig  *plots.Figure
		file string
		opt  plots.Options
	}{{corner, plots.CornerFile, plots.CornerOptions(opt, len(params))}, {pred, plots.PredictiveFile, opt}} {
		w, err := f.fig.Save(filepath.Join(plotDir, plots.FileName(f.file, f.opt)), f.opt)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// orFit is name, or "the fit" when it is not known.
func orFit(name string) string {
	if name == "" {
		return "the fit"
	}
	return name
}

// predictiveChecks pairs the posterior's predictive checks with the fit's
// targets (the same order), labelled as calibration.png labels them.
func predictiveChecks(res *calibration.Result) ([]plots.PredictiveCheck, error) {
	pred := res.Posterior.Predictive
	if len(pred) == 0 || len(pred) != len(res.Targets) {
		return nil, fmt.Errorf("%d posterior predictive checks for %d targets: want one a target", len(pred), len(res.Targets))
	}
	pts := res.Points()
	checks := make([]plots.PredictiveCheck, len(pred))
	for i, c := range pred {
		if c.Name != res.Targets[i].Name {
			return nil, fmt.Errorf("posterior predictive check %d is %q, target %d is %q: want the targets' order", i+1, c.Name, i+1, res.Targets[i].Name)
		}
		p := pts[i]
		checks[i] = plots.PredictiveCheck{Name: p.Name, Unit: p.Unit, Relation: p.Relation, NonNegative: p.NonNegative,
			Observed: c.Observed, SD: c.SD, Mean: c.Mean, Q10: c.Q10, Q90: c.Q90, PIT: c.PIT}
	}
	return checks, nil
}

// density is a prior's density on the natural scale.
func density(p posterior.Prior) func(float64) float64 {
	return func(x float64) float64 { return math.Exp(p.LogProb(x)) }
}
