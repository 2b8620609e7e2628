package posterior

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/coopsim/coopsim/agents/detmath"
	"github.com/coopsim/coopsim/experiments/engine"
)

// evaluator computes the synthetic log-likelihood over fixed run keys.
// It is not safe for concurrent use.
type evaluator struct {
	prob    *Problem
	seed    uint64
	runs    int
	workers int
	noise   float64
	rows    [][]float64 // [run][target]
	evals   int
	batch   Batch
	theta   []float64
}

func newEvaluator(p *Problem, seed uint64, runs, workers int, noise float64) *evaluator {
	e := &evaluator{prob: p, seed: seed, runs: runs, workers: max(1, min(workers, runs)), noise: noise,
		rows: make([][]float64, runs)}
	keys := make([]int, runs)
	for r := range e.rows {
		e.rows[r] = make([]float64, len(p.Targets))
		keys[r] = r
	}
	e.batch = Batch{Seed: seed, Runs: keys, Theta: func(int) []float64 { return e.theta }, Rows: e.rows, Workers: e.workers}
	return e
}

// parallel calls do(i, worker) for i in [0, n) on up to workers goroutines
// of the ensemble engine's pool (engine.Do) and returns the error of the
// lowest i that failed, so the outcome does not depend on scheduling.
func parallel(ctx context.Context, n, workers int, do func(i, worker int) error) error {
	_, err := engine.Do(ctx, n, max(1, workers), do)
	if cerr := ctx.Err(); cerr != nil && errors.Is(err, cerr) {
		return fmt.Errorf("posterior: %w", err)
	}
	return err
}

// simulate fills e.rows with the runs at theta (natural scale).
func (e *evaluator) simulate(ctx context.Context, theta []float64) error {
	e.evals++
	e.theta = theta
	if err := e.prob.Sim.SimulateRuns(ctx, &e.batch); err != nil {
		return fmt.Errorf("posterior: %w", err)
	}
	return nil
}

// logLik returns the synthetic log-likelihood at theta (see the package
// doc), −Inf if a moment is not finite.
func (e *evaluator) logLik(ctx context.Context, theta []float64) (float64, error) {
	if err := e.simulate(ctx, theta); err != nil {
		return 0, err
	}
	return synthLogLik(e.prob.Targets, e.rows, e.noise), nil
}

// synthLogLik is the Gaussian synthetic log-likelihood of the targets
// given the simulated rows [run][target], with a diagonal covariance.
func synthLogLik(targets []Target, rows [][]float64, noise float64) float64 {
	R := float64(len(rows))
	ll := 0.0
	for i, t := range targets {
		if t.Skip {
			continue
		}
		var s float64
		for _, row := range rows {
			s += row[i]
		}
		m := s / R
		var ss float64
		for _, row := range rows {
			d := row[i] - m
			ss += d * d
		}
		v := t.SD*t.SD + noise*ss/(R-1)
		d := m - t.Value
		switch t.Relation {
		case AtLeast:
			d = math.Min(0, d)
		case AtMost:
			d = math.Max(0, d)
		default:
			ll -= 0.5 * detmath.Log(2*math.Pi*v)
		}
		ll -= 0.5 * d * d / v
	}
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return math.Inf(-1)
	}
	return ll
}
