package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/coopsim/coopsim/experiments"
)

func cmdDiscover(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, pos, err := parseStudyFlags("discover", args, stderr)
	if err != nil {
		return err
	}
	e, err := experiments.Load(pos[0])
	if err != nil {
		return err
	}
	spec, err := e.Discover()
	if err != nil {
		return err
	}
	sh, err := parseShard(f.shard)
	if err != nil {
		return err
	}
	values, err := e.DiscoverDesign(spec)
	if err != nil {
		return err
	}
	outs := []experiments.Output{spec.Output}
	s := &study{name: "discover", file: pos[0], e: e, hash: e.DiscoverHash(spec), factors: spec.Factors,
		outputs: outs, values: values, replicates: spec.Replicates, units: spec.Points, unitSize: 1,
		ours: []string{experiments.DiscoverFile, experiments.DiscoverTrajectoryFile, experiments.PointsFile, experiments.PointsShardFile}}
	y, dir, lock, err := s.points(ctx, f, args, sh, stdout, stderr)
	if lock != nil {
		defer lock.Release()
	}
	if err != nil || y == nil {
		return err
	}
	// The points first: an analysis that fails (no point meets the
	// condition) leaves the simulated points for another look.
	if err := experiments.WritePoints(dir, spec.Factors, outs, 0, values, y); err != nil {
		return err
	}
	rep, err := e.AnalyseDiscover(spec, values, y)
	if err != nil {
		return err
	}
	if err := experiments.WriteDiscover(dir, rep); err != nil {
		return err
	}
	printDiscover(stdout, rep, dir)
	if !f.noPlots {
		p, err := discoverFigure(rep, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "figure: %s\n", p)
	}
	return nil
}

// printDiscover prints the chosen box.
func printDiscover(w io.Writer, r *experiments.DiscoverReport, dir string) {
	st := r.Trajectory[r.Chosen]
	fmt.Fprintf(w, "%s: %s holds at %d of %d design points (%d replicate runs each); results in %s\n",
		r.Experiment, r.Condition, r.Interesting, r.Points, r.Replicates, dir)
	fmt.Fprintf(w, "PRIM box (step %d of %d): coverage %.2f, density %.2f, mass %.2f\n",
		r.Chosen, len(r.Trajectory)-1, st.Coverage, st.Density, st.Mass)
	if len(r.Box) == 0 {
		fmt.Fprintln(w, "the box restricts no factor: the condition's points are spread over the whole design")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "factor\tlow\thigh\tquasi-p (low, high)")
	qp := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprintf("%.2g", *p)
	}
	for _, b := range r.Box {
		fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%s, %s\n", b.Factor, b.Low, b.High, qp(b.PLow), qp(b.PHigh))
	}
	tw.Flush()
}
