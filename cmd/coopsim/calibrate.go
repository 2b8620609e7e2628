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
	"github.com/coopsim/coopsim/market"
	"github.com/coopsim/coopsim/plots"
)

// Calibrate's result files, relative to its --out directory.
var calibrationFiles = []string{calibration.FitFile, calibration.FittedFile, filepath.Join("plots", plots.CalibrationFile), calibration.PosteriorFile,
	filepath.Join("plots", plots.CornerFile), filepath.Join("plots", plots.PredictiveFile)}

// calibrateFlags are calibrate's flags.
type calibrateFlags struct {
	out, targets, scenario             string
	quick, force, quiet, withPosterior bool
	draws, workers                     int
}

// parseCalibrateFlags reads calibrate's flags and checks those that need
// no file; it returns the positional arguments.
func parseCalibrateFlags(args []string, stderr io.Writer) (calibrateFlags, []string, error) {
	var f calibrateFlags
	fs := newFlags("calibrate", stderr)
	fs.StringVar(&f.out, "out", "out/calibration", "directory for fit.json, fitted.toml and plots/")
	fs.StringVar(&f.targets, "targets", "", "targets file (default: the embedded calibration/targets.toml)")
	fs.StringVar(&f.scenario, "scenario", "", "fit under this scenario's market and regime (default: the experiment's baseline)")
	fs.BoolVar(&f.quick, "quick", false, "a fast, rough fit (fewer runs, buyers and starts)")
	fs.BoolVar(&f.force, "force", false, "overwrite an earlier calibration in --out")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress on stderr")
	fs.BoolVar(&f.withPosterior, "posterior", false, "after the fit, sample the posterior (MCMC on a synthetic likelihood) and write posterior.csv")
	def, qk := calibration.DefaultPosteriorOptions(), calibration.QuickPosteriorOptions()
	fs.IntVar(&f.draws, "draws", 0, fmt.Sprintf("kept draws per chain of --posterior, after as many warm-up iterations (without it: %d warm-up and %d kept; --quick: %d and %d)",
		def.Warmup, def.Iterations, qk.Warmup, qk.Iterations))
	fs.IntVar(&f.workers, "workers", 0, fmt.Sprintf("goroutines, 1 to %d (default 0: all cores)", engine.MaxWorkers))
	pos, err := parseArgs(fs, args)
	if err != nil {
		return f, nil, err
	}
	if err := checkWorkers(f.workers); err != nil {
		return f, nil, err
	}
	if f.draws != 0 && !f.withPosterior {
		return f, nil, fmt.Errorf("--draws %d needs --posterior: coopsim calibrate --posterior --draws %d", f.draws, f.draws)
	}
	if f.draws != 0 && (f.draws < 10 || f.draws > calibration.MaxDraws) {
		return f, nil, fmt.Errorf("--draws %d: want 10 to %d kept draws per chain, with --posterior", f.draws, calibration.MaxDraws)
	}
	return f, pos, nil
}

// cmdCalibrate fits the free parameters of an experiment's market (the
// embedded default's without FILE) under one of its scenarios' regime (the
// baseline's, or --scenario's) to the calibration targets, prints the fit
// table, and writes fit.json, fitted.toml and plots/calibration.png.
func cmdCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, pos, err := parseCalibrateFlags(args, stderr)
	if err != nil {
		return err
	}
	e, err := loadExperiment(pos)
	if err != nil {
		return err
	}
	t := calibration.DefaultTargets()
	if f.targets != "" {
		if t, err = calibration.LoadTargets(f.targets); err != nil {
			return err
		}
	}
	if err := checkDraws(f.draws, len(t.Params), calibration.DefaultPosteriorOptions().Chains); err != nil {
		return err
	}
	base, reg, err := calibration.Scenario(e, f.scenario)
	if err != nil {
		return err
	}
	lock, err := lockOut(f.out, "calibrate", args)
	if err != nil {
		return err
	}
	defer lock.Release()
	if err := checkCalibrationOut(f.out, f.force); err != nil {
		return err
	}
	res, err := fitAndSample(ctx, &f, base, t, reg, stderr)
	if err != nil {
		return err
	}
	res.Experiment = e.Name
	return writeCalibrationResults(&f, res, e, t, pos, stdout, stderr)
}

// fitAndSample fits the market base to targets t under regime reg and,
// with --posterior, samples the posterior, showing progress on stderr.
func fitAndSample(ctx context.Context, f *calibrateFlags, base market.Config, t *calibration.Targets, reg *market.Regime, stderr io.Writer) (*calibration.Result, error) {
	opt := calibration.Options{}
	if f.quick {
		opt = calibration.QuickOptions()
	}
	opt.Workers, opt.Regime = f.workers, reg
	bar := newProgress(stderr, opt.TotalEvaluations(t), "calibrate", "evaluations", f.quiet)
	res, err := calibration.Fit(ctx, base, t, opt, bar.Set)
	bar.Finish()
	if err != nil || !f.withPosterior {
		return res, err
	}
	popt := calibration.DefaultPosteriorOptions()
	if f.quick {
		popt = calibration.QuickPosteriorOptions()
	}
	popt.Workers, popt.Regime = f.workers, reg
	if f.draws > 0 {
		popt.Warmup, popt.Iterations = f.draws, f.draws
	}
	bar = newProgress(stderr, popt.Evaluations(), "posterior", "evaluations", f.quiet)
	res.Posterior, err = calibration.Posterior(ctx, base, t, res, popt, bar.Set)
	bar.Finish()
	return res, err
}

// writeCalibrationResults writes calibrate's files and prints its tables
// and the files it wrote.
func writeCalibrationResults(f *calibrateFlags, res *calibration.Result, e *experiments.Experiment, t *calibration.Targets, pos []string, stdout, stderr io.Writer) error {
	png, err := writeCalibration(res, e, f.out)
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
		figs, err := writePosteriorPlots(res, t, e.Name, f.out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s, %s and %s\n", filepath.Join(f.out, calibration.PosteriorFile), figs[0].Path, figs[1].Path)
		if msg := shrunkMessage(figs, "the corner plot grows with the parameters; coopsim plot "+f.out+" --format svg draws it whole"); msg != "" {
			fmt.Fprintln(stderr, msg)
		}
	}
	fmt.Fprintf(stdout, "\nwrote %s, %s and %s\n", filepath.Join(f.out, calibration.FitFile), filepath.Join(f.out, calibration.FittedFile), png)
	fmt.Fprintln(stdout, useFitHint(pos, filepath.Join(f.out, calibration.FittedFile)))
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
