package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/coopsim/coopsim/experiments"
	"github.com/coopsim/coopsim/experiments/engine"
)

// studyFlags are the flags sensitivity and discover share.
type studyFlags struct {
	out, shard     string
	resume         string
	shardDirs      []string // with --merge
	workers        int
	merge          bool
	force, noPlots bool
	quiet          bool
}

func parseStudyFlags(name string, args []string, stderr io.Writer) (*studyFlags, []string, error) {
	fs := newFlags(name, stderr)
	f := &studyFlags{}
	fs.StringVar(&f.out, "out", "", "result directory (default out/<experiment name>-"+name+", or .../shard-K-of-N)")
	fs.StringVar(&f.shard, "shard", "", "run only shard K of N (K/N) of the design points, for --merge")
	fs.IntVar(&f.workers, "workers", 0, fmt.Sprintf("goroutines, 1 to %d (default 0: all cores)", engine.MaxWorkers))
	fs.BoolVar(&f.merge, "merge", false, "combine the shard directories given after FILE instead of running")
	fs.StringVar(&f.resume, "resume", "", "finish the interrupted run (of the same --shard) in DIR")
	fs.BoolVar(&f.force, "force", false, "overwrite earlier "+name+" results in the output directory")
	fs.BoolVar(&f.noPlots, "no-plots", false, "do not draw figures")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress on stderr")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case len(pos) == 0:
		return nil, nil, fmt.Errorf("%s needs an experiment file (usage: coopsim %s)", name, commands[name].usage)
	case !f.merge && len(pos) > 1:
		return nil, nil, fmt.Errorf("%s takes one experiment file, got %d arguments (shard directories go with --merge)", name, len(pos))
	case f.merge && len(pos) < 2:
		return nil, nil, fmt.Errorf("%s --merge needs the experiment file and the shard directories", name)
	case f.merge && f.shard != "":
		return nil, nil, fmt.Errorf("%s: --merge and --shard do not go together: merge the shards once they are all run", name)
	case f.merge && f.resume != "":
		return nil, nil, fmt.Errorf("%s: --merge and --resume do not go together: resume the interrupted shard, then merge", name)
	case f.resume != "" && f.out != "" && filepath.Clean(f.out) != filepath.Clean(f.resume):
		return nil, nil, errors.New("--resume DIR writes to DIR: leave out --out, or give the same directory")
	case checkWorkers(f.workers) != nil:
		return nil, nil, checkWorkers(f.workers)
	}
	f.shardDirs = pos[1:]
	return f, pos, nil
}

// studyDir returns the output directory: --out, or out/<name>-<command>
// (with shard-K-of-N under it for a shard).
func (f *studyFlags) studyDir(e *experiments.Experiment, command string, sh experiments.Shard) string {
	if f.out != "" {
		return f.out
	}
	dir := filepath.Join("out", e.Name+"-"+command)
	if !sh.Whole() {
		dir = filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", sh.K, sh.N))
	}
	return dir
}

// checkStudyDir refuses a directory holding files other than coopsim's
// study results and, without --force, one holding earlier results.
func checkStudyDir(dir string, force bool, ours []string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	known := map[string]bool{"plots": true, ".coopsim.lock": true}
	for _, n := range ours {
		known[n] = true
	}
	results := false
	for _, en := range entries {
		if !known[en.Name()] {
			return fmt.Errorf("output directory %s holds %s, which coopsim did not write: choose another with --out", dir, en.Name())
		}
		results = results || en.Name() != ".coopsim.lock"
	}
	if results && !force {
		return fmt.Errorf("output directory %s already holds results: choose another with --out, or overwrite them with --force", dir)
	}
	return nil
}

// runStudyPoints runs the shard's design points (or all of them) with a
// progress bar that counts points, and returns their outputs.
func runStudyPoints(ctx context.Context, e *experiments.Experiment, pr experiments.PointRun, label string, quiet bool, stderr io.Writer) ([][]float64, error) {
	bar := newProgress(stderr, pr.Hi-pr.Lo, label, "points", quiet)
	pr.Progress = func(done int) { bar.Set(done, pr.Hi-pr.Lo) }
	y, err := e.RunPoints(ctx, pr)
	bar.Finish()
	return y, err
}

func cmdSensitivity(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, pos, err := parseStudyFlags("sensitivity", args, stderr)
	if err != nil {
		return err
	}
	e, err := experiments.Load(pos[0])
	if err != nil {
		return err
	}
	spec, err := e.Sensitivity()
	if err != nil {
		return err
	}
	sh, err := parseShard(f.shard)
	if err != nil {
		return err
	}
	_, values, morris, err := e.SensitivityDesign(spec)
	if err != nil {
		return err
	}
	s := &study{name: "sensitivity", file: pos[0], e: e, hash: e.SensitivityHash(spec), factors: spec.Factors,
		outputs: spec.Outputs, values: values, replicates: spec.Replicates, units: spec.Units(), unitSize: spec.UnitSize(),
		ours:     []string{experiments.SensitivityFile, experiments.SensitivityCSVFile, experiments.PointsFile, experiments.PointsShardFile},
		warnings: spec.Warnings()}
	y, dir, lock, err := s.points(ctx, f, args, sh, stdout, stderr)
	if lock != nil {
		defer lock.Release()
	}
	if err != nil || y == nil {
		return err
	}
	// The points first: an analysis that fails (no point meets the
	// condition) leaves the simulated points for another look.
	if err := experiments.WritePoints(dir, spec.Factors, spec.Outputs, 0, values, y); err != nil {
		return err
	}
	rep, err := e.AnalyseSensitivity(spec, morris, y)
	if err != nil {
		return err
	}
	if err := experiments.WriteSensitivity(dir, rep); err != nil {
		return err
	}
	printSensitivity(stdout, rep, dir)
	if !f.noPlots {
		p, err := sensitivityFigure(rep, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "figure: %s\n", p)
	}
	return nil
}

// printSensitivity prints each output's indices.
func printSensitivity(w io.Writer, r *experiments.SensitivityReport, dir string) {
	fmt.Fprintf(w, "%s: %s sensitivity over %d design points × %d replicate runs; %g%% intervals: %s; results in %s\n",
		r.Experiment, r.Method, r.Points, r.Replicates, 100*r.Confidence, r.Interval, dir)
	for _, o := range r.Outputs {
		fmt.Fprintf(w, "\n%s\n", o.Name)
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		if r.Method == "sobol" {
			fmt.Fprintln(tw, "factor\tS1\tST")
			for _, s := range o.Sobol {
				fmt.Fprintf(tw, "%s\t%.3f [%.3f, %.3f]\t%.3f [%.3f, %.3f]\n", s.Factor, s.S1, s.S1CI[0], s.S1CI[1], s.ST, s.STCI[0], s.STCI[1])
			}
		} else {
			fmt.Fprintln(tw, "factor\tmu*\tsigma\tmu")
			for _, m := range o.Morris {
				fmt.Fprintf(tw, "%s\t%.4g [%.4g, %.4g]\t%.4g\t%.4g\n", m.Factor, m.MuStar, m.MuStarCI[0], m.MuStarCI[1], m.Sigma, m.Mu)
			}
		}
		tw.Flush()
	}
}
