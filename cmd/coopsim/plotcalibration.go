package main

import (
	"fmt"
	"io"

	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/plots"
)

// plotCalibrationDir redraws a calibration's figures into dst from its
// directory's fit.json, and with a posterior its posterior.csv, as
// calibration.ReadFiles reads them back, by the code coopsim calibrate
// draws them with. Priors it cannot rebuild are left off the corner plot,
// with a note on stderr.
func plotCalibrationDir(dir, dst string, opt plots.Options, stderr io.Writer) ([]plots.Written, error) {
	res, err := calibration.ReadFiles(dir)
	if err != nil {
		return nil, err
	}
	fitPNG, err := drawFitPlot(res, res.Experiment, dst, opt)
	if err != nil {
		return nil, err
	}
	files := []plots.Written{fitPNG}
	if res.Posterior == nil {
		return files, nil
	}
	post, err := drawPosteriorPlots(res, fitPriors(res, stderr), res.Experiment, dst, opt)
	if err != nil {
		return nil, err
	}
	return append(files, post...), nil
}

// fitPriors rebuilds each fitted parameter's prior density from a fit.json
// read by calibration.ReadFiles (one prior a parameter): the default prior
// (uniform, or log-uniform, over the parameter's bounds) when fit.json
// names it, else the prior of the same parameter in the embedded targets
// or the targets file fit.json names, where its description matches
// fit.json's. A prior found in neither is not drawn (nil), and stderr
// says why.
func fitPriors(res *calibration.Result, stderr io.Writer) []func(float64) float64 {
	var sources []*calibration.Targets
	var loadErr error
	out := make([]func(float64) float64, len(res.Params))
	for j, p := range res.Params {
		want := res.Posterior.Priors[j]
		def := calibration.FreeParam{Path: p.Path, Min: p.Min, Max: p.Max, Log: p.Log}
		if def.PriorText() == want {
			out[j] = density(def.PriorDist())
			continue
		}
		if sources == nil {
			sources = append(sources, calibration.DefaultTargets())
			if res.TargetsSource != sources[0].Source() {
				t, err := calibration.LoadTargets(res.TargetsSource)
				if err == nil {
					sources = append(sources, t)
				}
				loadErr = err
			}
		}
		for _, t := range sources {
			for k := range t.Params {
				if fp := &t.Params[k]; fp.Path == p.Path && fp.PriorText() == want {
					out[j] = density(fp.PriorDist())
				}
			}
		}
		switch {
		case out[j] != nil:
		case loadErr != nil:
			fmt.Fprintf(stderr, "plot: the prior of %s (%s) is left off the corner plot: the targets file that gave it cannot be read (%v)\n", p.Path, want, loadErr)
		case len(sources) == 1: // fit.json's targets are the embedded ones
			fmt.Fprintf(stderr, "plot: the prior of %s (%s) is left off the corner plot: the embedded targets do not give it (has coopsim changed them since?)\n", p.Path, want)
		default:
			fmt.Fprintf(stderr, "plot: the prior of %s (%s) is left off the corner plot: neither the embedded targets nor %s give it (was the file changed since?)\n", p.Path, want, res.TargetsSource)
		}
	}
	return out
}
