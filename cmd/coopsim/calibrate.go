package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/engine"
	"github.com/coopsim/coopsim/plots"
)

// Calibrate's result files, relative to its --out directory.
var calibrationFiles = []string{calibration.FitFile, calibration.FittedFile, filepath.Join("plots", plots.CalibrationFile), calibration.PosteriorFile,
	filepath.Join("plots", plots.CornerFile), filepath.Join("plots", plots.PredictiveFile)}

// cmdCalibrate fits the free parameters of an experiment's market (the
// embedded default's without FILE) under one of its scenarios' regime (the
// baseline's, or --scenario's) to the calibration targets, prints the fit
// table, and writes fit.json, fitted.toml and plots/calibration.png.
func cmdCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", stderr)
	out := fs.String("out", "out/calibration", "directory for fit.json, fitted.toml and plots/")
	targetsFile := fs.String("targets", "", "targets file (default: the embedded calibration/targets.toml)")
	scenario := fs.String("scenario", "", "fit under this scenario's market and regime (default: the experiment's baseline)")
	quick := fs.Bool("quick", false, "a fast, rough fit (fewer runs, buyers and starts)")
	force := fs.Bool("force", false, "overwrite an earlier calibration in --out")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	withPosterior := fs.Bool("posterior", false, "after the fit, sample the posterior (MCMC on a synthetic likelihood) and write posterior.csv")
	def, qk := calibration.DefaultPosteriorOptions(), calibration.QuickPosteriorOptions()
	draws := fs.Int("draws", 0, fmt.Sprintf("kept draws per chain of --posterior, after as many warm-up iterations (without it: %d warm-up and %d kept; --quick: %d and %d)",
		def.Warmup, def.Iterations, qk.Warmup, qk.Iterations))
	workers := fs.Int("workers", 0, fmt.Sprintf("goroutines, 1 to %d (default 0: all cores)", engine.MaxWorkers))
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	if *draws != 0 && !*withPosterior {
		return fmt.Errorf("--draws %d needs --posterior: coopsim calibrate --posterior --draws %d", *draws, *draws)
	}
	if *draws != 0 && (*draws < 10 || *draws > calibration.MaxDraws) {
		return fmt.Errorf("--draws %d: want 10 to %d kept draws per chain, with --posterior", *draws, calibration.MaxDraws)
	}
	e, err := loadExperiment(pos)
	if err != nil {
		return err
	}
	t := calibration.DefaultTargets()
	if *targetsFile != "" {
		if t, err = calibration.LoadTargets(*targetsFile); err != nil {
			return err
		}
	}
	if err := checkDraws(*draws, len(t.Params), calibration.DefaultPosteriorOptions().Chains); err != nil {
		return err
	}
	base, reg, err := calibration.Scenario(e, *scenario)
	if err != nil {
		return err
	}
	lock, err := lockOut(*out, "calibrate", args)
	if err != nil {
		return err
	}
	defer lock.Release()
	if err := checkCalibrationOut(*out, *force); err != nil {
		return err
	}
	opt := calibration.Options{}
	if *quick {
		opt = calibration.QuickOptions()
	}
	opt.Workers, opt.Regime = *workers, reg

	bar := newProgress(stderr, opt.TotalEvaluations(t), "calibrate", "evaluations", *quiet)
	res, err := calibration.Fit(ctx, base, t, opt, bar.Set)
	bar.Finish()
	if err != nil {
		return err
	}
	res.Experiment = e.Name
	if *withPosterior {
		popt := calibration.DefaultPosteriorOptions()
		if *quick {
			popt = calibration.QuickPosteriorOptions()
		}
		popt.Workers, popt.Regime = *workers, reg
		if *draws > 0 {
			popt.Warmup, popt.Iterations = *draws, *draws
		}
		bar := newProgress(stderr, popt.Evaluations(), "posterior", "evaluations", *quiet)
		res.Posterior, err = calibration.Posterior(ctx, base, t, res, popt, bar.Set)
		bar.Finish()
		if err != nil {
			return err
		}
	}
	png, err := writeCalibration(res, e, *out)
	if err != nil {
		return err
	}
	if err := res.WriteTable(stdout); err != nil {
		return err
	}
	if res.Posterior != nil {
		fmt.Fprintln(stdout)
		if err := res.Posterior.WriteTable(stdout); err != nil {
			return err
		}
		figs, err := writePosteriorPlots(res, t, e.Name, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s, %s and %s\n", filepath.Join(*out, calibration.PosteriorFile), figs[0].Path, figs[1].Path)
		if msg := shrunkMessage(figs, "the corner plot grows with the parameters; coopsim plot "+*out+" --format svg draws it whole"); msg != "" {
			fmt.Fprintln(stderr, msg)
		}
	}
	fmt.Fprintf(stdout, "\nwrote %s, %s and %s\n", filepath.Join(*out, calibration.FitFile), filepath.Join(*out, calibration.FittedFile), png)
	fmt.Fprintln(stdout, useFitHint(pos, filepath.Join(*out, calibration.FittedFile)))
	return nil
}

// checkDraws refuses a --draws that calibrate.MostDraws does not take for
// chains chains of params parameters, so that a sample hours long is not
// written where it cannot be read back.
func checkDraws(draws, params, chains int) error {
	most := calibration.MostDraws(params, chains)
	if draws <= most {
		return nil
	}
	return fmt.Errorf("--draws %d: %d chains of %d draws of %d parameters could make posterior.csv larger than the %d MiB that coopsim plot and an experiment's [uncertainty] read: want at most %d draws a chain",
		draws, chains, draws, params, experiments.MaxPosteriorBytes>>20, most)
}

// checkWorkers applies the one rule for --workers of every command: 0
// (all cores) to engine.MaxWorkers.
func checkWorkers(n int) error {
	if n < 0 || n > engine.MaxWorkers {
		return fmt.Errorf("--workers %d: want 1 to %d goroutines, or 0 (the default) for all cores", n, engine.MaxWorkers)
	}
	return nil
}

// checkCalibrationOut refuses to overwrite an earlier calibration's files
// in dir without force.
func checkCalibrationOut(dir string, force bool) error {
	for _, f := range calibrationFiles {
		_, err := os.Stat(filepath.Join(dir, f))
		if err == nil && !force {
			return fmt.Errorf("output directory %s already holds a calibration (%s): choose another with --out, or overwrite it with --force", dir, f)
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("output directory %s: %w", dir, err)
		}
	}
	return nil
}

// writeCalibration writes fit.json, fitted.toml and the fit's figure into
// dir and returns the figure's path.
func writeCalibration(res *calibration.Result, e *experiments.Experiment, dir string) (string, error) {
	if err := res.WriteFiles(dir); err != nil {
		return "", err
	}
	w, err := drawFitPlot(res, e.Name, filepath.Join(dir, "plots"), plots.DefaultOptions)
	return w.Path, err
}

// useFitHint says how to include the fit: include paths are relative to
// the experiment file and must not be absolute, so the path is given
// relative to FILE's directory (or, for the built-in default, to the
// current directory, where an experiment file would be saved).
func useFitHint(pos []string, fitted string) string {
	from, where := ".", "an experiment file in the current directory"
	if len(pos) == 1 {
		from, where = filepath.Dir(pos[0]), pos[0]
	}
	absFrom, err1 := filepath.Abs(from)
	absFit, err2 := filepath.Abs(fitted)
	rel, err3 := filepath.Rel(absFrom, absFit)
	if err := errors.Join(err1, err2, err3); err != nil {
		return fmt.Sprintf("to use the fit: include it from an experiment file by a path relative to that file (%v)", err)
	}
	rel = filepath.ToSlash(rel)
	if strings.HasPrefix(rel, strings.Repeat("../", experiments.MaxIncludeUp+1)) {
		return fmt.Sprintf("to use the fit: copy %s beside %s and include = %q there (an include climbs at most %d directories)", fitted, where, calibration.FittedFile, experiments.MaxIncludeUp)
	}
	return fmt.Sprintf("to use the fit: include = %q in %s (or copy it to experiments/default/fitted.toml and rebuild)", rel, where)
}
