package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/plots"
)

// plotCalibrationDir redraws a calibration's figures into dst from its
// directory's fit.json, and with a posterior its posterior.csv, by the
// code coopsim calibrate draws them with. Priors it cannot rebuild are
// left off the corner plot, with a note on stderr.
func plotCalibrationDir(dir, dst string, opt plots.Options, stderr io.Writer) ([]plots.Written, error) {
	res, err := readFit(filepath.Join(dir, calibration.FitFile))
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
	draws, err := readPosteriorDraws(filepath.Join(dir, calibration.PosteriorFile), res)
	if err != nil {
		return nil, err
	}
	post, err := drawPosteriorPlots(res, draws, fitPriors(res, stderr), res.Experiment, dst, opt)
	if err != nil {
		return nil, err
	}
	return append(files, post...), nil
}

// readFit reads a calibration's fit.json.
func readFit(path string) (*calibration.Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	var res calibration.Result
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("plot: %s: %v (was the file edited? rerun coopsim calibrate)", path, err)
	}
	if len(res.Targets) == 0 {
		return nil, fmt.Errorf("plot: %s has no targets: it is not the fit.json of coopsim calibrate", path)
	}
	if p := res.Posterior; p != nil && (p.Result == nil || len(p.Predictive) != len(res.Targets) || p.Chains < 1 || p.Iterations < 1) {
		return nil, fmt.Errorf("plot: %s: its posterior lacks the chains, draws or one predictive check a target (was the file edited? rerun coopsim calibrate --posterior)", path)
	}
	return &res, nil
}

// readPosteriorDraws reads posterior.csv beside a fit.json with a
// posterior: a chain column, then one column per fitted parameter in
// fit.json's order, and chains × iterations rows.
func readPosteriorDraws(path string, res *calibration.Result) ([][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("plot: no %s, though %s has a posterior: restore it, or rerun coopsim calibrate --posterior", path, calibration.FitFile)
		}
		return nil, fmt.Errorf("plot: %w", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("plot: %s: %v (was the file edited? rerun coopsim calibrate --posterior)", path, err)
	}
	want := []string{"chain"}
	for _, p := range res.Params {
		want = append(want, p.Path)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("plot: %s: its columns are not chain and %s's fitted parameters (%s): both must come from the same coopsim calibrate --posterior", path, calibration.FitFile, strings.Join(want[1:], ", "))
	}
	post := res.Posterior
	if n := len(recs) - 1; n != post.Chains*post.Iterations {
		return nil, fmt.Errorf("plot: %s has %d draws, %s says %d chains × %d: both must come from the same coopsim calibrate --posterior", path, n, calibration.FitFile, post.Chains, post.Iterations)
	}
	draws := make([][]float64, len(recs)-1)
	for i, rec := range recs[1:] {
		draws[i] = make([]float64, len(res.Params))
		for j := range draws[i] {
			if draws[i][j], err = strconv.ParseFloat(rec[j+1], 64); err != nil {
				return nil, fmt.Errorf("plot: %s line %d, column %s: %q is not a number (was the file edited? rerun coopsim calibrate --posterior)", path, i+2, want[j+1], rec[j+1])
			}
		}
	}
	return draws, nil
}

// fitPriors rebuilds each fitted parameter's prior density from fit.json:
// the default prior (uniform, or log-uniform, over the parameter's bounds)
// when fit.json names it, else the prior of the same parameter in the
// embedded targets or the targets file fit.json names, where its
// description matches fit.json's. A prior found in neither is not drawn
// (nil), and stderr says so.
func fitPriors(res *calibration.Result, stderr io.Writer) []func(float64) float64 {
	var sources []*calibration.Targets
	out := make([]func(float64) float64, len(res.Params))
	for j, p := range res.Params {
		if j >= len(res.Posterior.Priors) {
			break
		}
		want := res.Posterior.Priors[j]
		def := calibration.FreeParam{Path: p.Path, Min: p.Min, Max: p.Max, Log: p.Log}
		if def.PriorText() == want {
			out[j] = density(def.PriorDist())
			continue
		}
		if sources == nil {
			sources = append(sources, calibration.DefaultTargets())
			if t, err := calibration.LoadTargets(res.TargetsSource); err == nil {
				sources = append(sources, t)
			}
		}
		for _, t := range sources {
			for k := range t.Params {
				if fp := &t.Params[k]; fp.Path == p.Path && fp.PriorText() == want {
					out[j] = density(fp.PriorDist())
				}
			}
		}
		if out[j] == nil {
			fmt.Fprintf(stderr, "plot: the prior of %s (%s) is left off the corner plot: the targets file that gave it (%s) is not at hand\n", p.Path, want, res.TargetsSource)
		}
	}
	return out
}
