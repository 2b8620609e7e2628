package experiments

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/experiments/dist"
	"github.com/coopsim/coopsim/market"
)

// MaxReplicates bounds the replicate runs per design point.
const MaxReplicates = 100_000

// PointRun says how to run a range of design points.
type PointRun struct {
	// Factors and Values: Values[i][j] is factor j's value at point i.
	Factors []Factor
	Values  [][]float64
	// Lo and Hi bound the points to run, [Lo, Hi).
	Lo, Hi int
	// Replicates is the runs per point: run r of every point and every
	// scenario has key (seed, r), so points and scenarios share common
	// random numbers.
	Replicates int
	Outputs    []Output
	Workers    int
	// Progress, if set, is called after each point with the points done.
	Progress func(done int)
}

// RunPoints runs design points Lo..Hi-1 and returns each point's outputs
// (out[i-Lo][k] is output k at point i). Every point's market is built and
// validated before any runs, so a value the market refuses stops the
// command before it simulates. If ctx is cancelled it returns the points
// completed so far (a prefix) with ErrInterrupted.
func (e *Experiment) RunPoints(ctx context.Context, pr PointRun) ([][]float64, error) {
	for i := pr.Lo; i < pr.Hi; i++ {
		if _, err := e.atPoint(pr.Factors, pr.Values[i], pr.Replicates); err != nil {
			return nil, err
		}
	}
	out := make([][]float64, 0, pr.Hi-pr.Lo)
	for i := pr.Lo; i < pr.Hi; i++ {
		pe, err := e.atPoint(pr.Factors, pr.Values[i], pr.Replicates)
		if err != nil {
			return nil, err
		}
		o, err := Run(ctx, pe, Options{Workers: pr.Workers})
		if errors.Is(err, ErrInterrupted) {
			return out, err // the points before i are complete
		}
		if err != nil {
			return nil, fmt.Errorf("experiments: design point %d: %w", i, err)
		}
		row := make([]float64, len(pr.Outputs))
		for k, op := range pr.Outputs {
			row[k] = outputMean(o, op)
		}
		out = append(out, row)
		if pr.Progress != nil {
			pr.Progress(len(out))
		}
	}
	return out, nil
}

// outputMean is the output's mean over the outcome's runs, summed in run
// order (so the same runs give the same bits).
func outputMean(o *Outcome, op Output) float64 {
	v := o.Scalars(op.scenario, op.metric)
	if op.minus >= 0 {
		w := o.Scalars(op.minus, op.metric)
		for r := range v {
			v[r] -= w[r]
		}
	}
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// atPoint returns a copy of e with the factors set to vals in the base
// market and every scenario's, replicates runs and no precision target.
func (e *Experiment) atPoint(fs []Factor, vals []float64, replicates int) (*Experiment, error) {
	c := *e
	c.Runs, c.Precision, c.MaxRuns = replicates, 0, 0
	set := func(cfg *market.Config, where string) error {
		for j, f := range fs {
			if f.Param == nil {
				continue // a regime term
			}
			if err := f.Param.Set(cfg, paramValue(f, vals[j])); err != nil {
				return &Error{File: e.Source, Key: fmt.Sprintf("factors.%q", f.Path), Msg: fmt.Sprintf("%s: %s", where, msgOf(err))}
			}
		}
		if err := cfg.Validate(); err != nil {
			return &Error{File: e.Source, Key: "factors", Msg: fmt.Sprintf("%s at %s: %s: narrow the factors' ranges", where, pointText(fs, vals), msgOf(err))}
		}
		return nil
	}
	c.Market = cloneConfig(&e.Market)
	if err := set(&c.Market, "the base market"); err != nil {
		return nil, err
	}
	c.Scenarios = make([]Scenario, len(e.Scenarios))
	for s, sc := range e.Scenarios {
		sc.Market = cloneConfig(&sc.Market)
		if err := set(&sc.Market, "scenario "+sc.Name); err != nil {
			return nil, err
		}
		if err := applyRegimeFactors(&sc, fs, vals); err != nil {
			return nil, &Error{File: e.Source, Key: "factors", Msg: fmt.Sprintf("scenario %s at %s: %s: narrow the factors' ranges", sc.Name, pointText(fs, vals), msgOf(err))}
		}
		c.Scenarios[s] = sc
	}
	c.Hash = c.hash()
	return &c, nil
}

// paramValue converts a factor value to what market.Param.Set takes.
func paramValue(f Factor, v float64) any {
	switch f.Design.Kind {
	case dist.Integer:
		return int64(math.Round(v))
	case dist.Month:
		return agents.Month(math.Round(v)).String()
	}
	return v
}

// pointText shows a point's factor values.
func pointText(fs []Factor, vals []float64) string {
	s := ""
	for j, f := range fs {
		if j > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s = %v", f.Path, paramValue(f, vals[j]))
	}
	return s
}
