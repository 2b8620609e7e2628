package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/coopsim/coopsim/calibration"
	"github.com/coopsim/coopsim/plots"
)

// cmdCalibrate fits the free parameters of an experiment's market (the
// embedded default's without FILE) to the calibration targets, prints the
// fit table, and writes fit.json, fitted.toml and plots/calibration.png.
func cmdCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", stderr)
	out := fs.String("out", "out/calibration", "directory for fit.json, fitted.toml and plots/")
	targetsFile := fs.String("targets", "", "targets file (default: the embedded calibration/targets.toml)")
	quick := fs.Bool("quick", false, "a fast, rough fit (fewer runs, buyers and starts)")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	workers := fs.Int("workers", 0, "goroutines (default: all cores)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	e, err := loadExperiment(pos)
	if err != nil {
		return err
	}
	lock, err := lockOut(*out, "calibrate", args)
	if err != nil {
		return err
	}
	defer lock.Release()
	t := calibration.DefaultTargets()
	if *targetsFile != "" {
		if t, err = calibration.LoadTargets(*targetsFile); err != nil {
			return err
		}
	}
	opt := calibration.Options{}
	if *quick {
		opt = calibration.QuickOptions()
	}
	opt.Workers = *workers

	bar := newProgress(stderr, opt.TotalEvaluations(t), "calibrate", "evaluations", *quiet)
	res, err := calibration.Fit(ctx, e.Market, t, opt, bar.Set)
	bar.Finish()
	if err != nil {
		return err
	}
	if err := res.WriteFiles(*out); err != nil {
		return err
	}
	pts := res.Points()
	fp := make([]plots.FitPoint, len(pts))
	for i, p := range pts {
		fp[i] = plots.FitPoint{Name: p.Name, Target: p.Target, TargetSD: p.TargetSD,
			Simulated: p.Simulated, SimulatedSE: p.SimulatedSE, Unit: p.Unit}
	}
	title := fmt.Sprintf("Calibration of %s (%d runs × %d buyers, seed %d)", e.Name, res.Runs, res.FitAgents, res.Seed)
	fig, err := plots.CalibrationFit(fp, title)
	if err != nil {
		return err
	}
	png := filepath.Join(*out, "plots", "calibration.png")
	if err := os.MkdirAll(filepath.Dir(png), 0o755); err != nil {
		return err
	}
	if err := fig.Save(png, plots.DefaultOptions); err != nil {
		return err
	}
	if err := res.WriteTable(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s, %s and %s\n", filepath.Join(*out, "fit.json"), filepath.Join(*out, "fitted.toml"), png)
	fmt.Fprintf(stdout, "to use the fit: include = %q in an experiment, or copy it to experiments/default/fitted.toml and rebuild\n",
		filepath.Join(*out, "fitted.toml"))
	return nil
}
