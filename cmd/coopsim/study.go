package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/coopsim/coopsim/cmd/coopsim/internal/outdir"
	"github.com/coopsim/coopsim/experiments"
)

// study is what sensitivity and discover share: a design's points to run
// (whole, as a shard, or the rest of an interrupted run) or to merge.
type study struct {
	name       string // the command
	file       string // the experiment file
	e          *experiments.Experiment
	hash       string
	factors    []experiments.Factor
	outputs    []experiments.Output
	values     [][]float64 // every point's factor values
	replicates int
	units      int // shards take whole units (base rows, trajectories, points)
	unitSize   int
	ours       []string // the command's result files
	warnings   []string // printed once the output is known good, before the points run
}

// points returns every design point's outputs, with the output directory
// locked (release the lock), or, for a shard or an interrupted run, saves
// what it ran and returns nil outputs (a shard) or an error saying how to
// resume.
func (s *study) points(ctx context.Context, f *studyFlags, args []string, sh experiments.Shard, stdout, stderr io.Writer) ([][]float64, string, *outdir.Lock, error) {
	dir := f.studyDir(s.e, s.name, sh)
	if f.resume != "" {
		dir = f.resume
	}
	// The lock first, as run takes it: it creates the directory or says
	// in one line why it cannot (a file in the way, no permission).
	lock, err := lockOut(dir, s.name, args)
	if err != nil {
		return nil, "", nil, err
	}
	if f.resume == "" {
		if err := checkStudyDir(dir, f.force, s.ours); err != nil {
			return nil, dir, lock, err
		}
	}
	for _, w := range s.warnings {
		fmt.Fprintf(stderr, "coopsim: warning: %s\n", w)
	}
	total := s.units * s.unitSize
	if f.merge {
		y, err := experiments.ReadPointsShards(f.shardDirs, s.hash, total, len(s.factors), len(s.outputs))
		return y, dir, lock, err
	}
	lo, hi := sh.Range(s.units)
	lo, hi = lo*s.unitSize, hi*s.unitSize
	var y [][]float64
	if f.resume != "" {
		if y, err = experiments.ReadInterrupted(dir, s.hash, lo, hi, len(s.factors), len(s.outputs)); err != nil {
			return nil, dir, lock, err
		}
	}
	pr := experiments.PointRun{Factors: s.factors, Values: s.values, Lo: lo + len(y), Hi: hi,
		Replicates: s.replicates, Outputs: s.outputs, Workers: f.workers}
	rest, err := runStudyPoints(ctx, s.e, pr, s.name, f.quiet, stderr)
	y = append(y, rest...)
	if err := s.savePoints(dir, sh, lo, hi, y, err, stdout); err != nil || !sh.Whole() {
		return nil, dir, lock, err
	}
	return y, dir, lock, nil
}

// savePoints keeps the outputs y of design points lo .. lo+len(y)−1 of
// shard sh (lo to hi) in dir, as runErr asks: an interrupted run's or a
// shard's are written for --resume or --merge (an interrupted run's with
// an error saying how to finish it); a whole run's finished leave no
// interrupted-run marker. It returns runErr when that is another error.
func (s *study) savePoints(dir string, sh experiments.Shard, lo, hi int, y [][]float64, runErr error, stdout io.Writer) error {
	total := s.units * s.unitSize
	meta := experiments.PointsShard{Hash: s.hash, Shard: sh.String(), Lo: lo, Hi: lo + len(y), Total: total}
	if sh.Whole() {
		meta.Shard = ""
	}
	if errors.Is(runErr, experiments.ErrInterrupted) {
		meta.End = hi
		if err := experiments.WritePointsShard(dir, meta, s.factors, s.outputs, s.values, y); err != nil {
			return err
		}
		again := "coopsim " + s.name + " " + s.file
		if !sh.Whole() {
			again += " --shard " + sh.String()
		}
		return &interruptedError{msg: fmt.Sprintf("interrupted after %d of %d design points, saved in %s: finish with %s --resume %s", len(y), hi-lo, dir, again, dir)}
	}
	if runErr != nil {
		return runErr
	}
	if !sh.Whole() {
		if err := experiments.WritePointsShard(dir, meta, s.factors, s.outputs, s.values, y); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: shard %s: design points %d to %d of %d written to %s; merge all shards with coopsim %s %s --merge DIR...\n",
			s.e.Name, sh, lo, hi-1, total, dir, s.name, s.file)
		return nil
	}
	// A finished resume leaves no interrupted-run marker behind.
	if err := os.Remove(filepath.Join(dir, experiments.PointsShardFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
