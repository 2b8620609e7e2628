package posterior

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/coopsim/coopsim/agents"
	"github.com/coopsim/coopsim/agents/detmath"
)

// Simulator simulates a batch of runs of the model: see Batch. An
// implementation spreads the runs over up to Batch.Workers goroutines (the
// market's runs go through the ensemble engine, experiments/engine.Run);
// the rows it writes must not depend on their number. A non-finite moment
// makes the parameters' likelihood zero; an error stops the sampler.
type Simulator interface {
	SimulateRuns(ctx context.Context, b *Batch) error
}

// Batch is the runs a Simulator is asked for: run i is at parameters
// Theta(i) (natural scale, in Problem.Params order) under key {Seed,
// Runs[i]}, and writes its moments (one per Problem.Targets entry) into
// Rows[i]. A likelihood evaluation is a batch at one parameter vector over
// the fixed keys {Seed, 0..R−1}; the predictive check is a batch with one
// posterior draw per run.
type Batch struct {
	Seed    uint64
	Runs    []int
	Theta   func(i int) []float64
	Rows    [][]float64
	Workers int
}

// RunSimulator simulates one run: the moments of the run keyed by key at
// parameters theta into out. Simulate is called from several goroutines at
// once, each with its own worker index, so an implementation may keep
// per-worker state. Toy models and tests implement it; PerRun makes it a
// Simulator.
type RunSimulator interface {
	Simulate(theta []float64, key agents.Key, worker int, out []float64) error
}

// PerRun returns s as a Simulator whose batches run on the engine's
// worker pool (experiments/engine.Do), one call of s per run.
func PerRun(s RunSimulator) Simulator { return perRun{s} }

type perRun struct{ s RunSimulator }

func (p perRun) SimulateRuns(ctx context.Context, b *Batch) error {
	return parallel(ctx, len(b.Runs), b.Workers, func(i, w int) error {
		if err := p.s.Simulate(b.Theta(i), agents.Key{Seed: b.Seed, Run: uint64(b.Runs[i])}, w, b.Rows[i]); err != nil {
			return fmt.Errorf("run %d: %w", b.Runs[i], err)
		}
		return nil
	})
}

// Prior is a parameter's prior: a log density on the natural scale and a
// quantile function (experiments/dist's *Dist is one).
type Prior interface {
	LogProb(x float64) float64
	Quantile(u float64) float64
}

// Relation is how a target's moment is compared with its value.
type Relation uint8

// The relations.
const (
	Equal   Relation = iota // the moment is observed with uncertainty SD
	AtLeast                 // the moment should be at least Value (soft, scale SD)
	AtMost                  // the moment should be at most Value (soft, scale SD)
)

// Target is one observed moment.
type Target struct {
	Name     string
	Value    float64
	SD       float64
	Relation Relation
	// Skip leaves the target out of the likelihood (a check target); it
	// is still simulated and gets a predictive check.
	Skip bool
}

// Param is one parameter to sample.
type Param struct {
	Name  string
	Prior Prior
	// Log samples the parameter on the log scale (it must be positive).
	Log bool
}

// Problem is what the sampler is given: the parameters with their priors,
// the targets, and the simulator.
type Problem struct {
	Params  []Param
	Targets []Target
	Sim     Simulator
}

func (p *Problem) validate() error {
	if p.Sim == nil {
		return errors.New("posterior: no simulator")
	}
	if len(p.Params) == 0 || len(p.Targets) == 0 {
		return errors.New("posterior: want at least one parameter and one target")
	}
	for _, pr := range p.Params {
		if pr.Prior == nil {
			return fmt.Errorf("posterior: parameter %s has no prior", pr.Name)
		}
		if pr.Log && !(pr.Prior.Quantile(0) >= 0) {
			return fmt.Errorf("posterior: parameter %s is sampled on the log scale but its prior reaches %g: give a positive prior", pr.Name, pr.Prior.Quantile(0))
		}
	}
	for _, t := range p.Targets {
		if !(t.SD > 0) || math.IsInf(t.SD, 0) || math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
			return fmt.Errorf("posterior: target %s: value %g, sd %g: want a finite value and a finite sd > 0", t.Name, t.Value, t.SD)
		}
	}
	return nil
}

// toWork maps a natural-scale value of parameter j to the sampler's scale.
func (p *Problem) toWork(j int, x float64) float64 {
	if p.Params[j].Log {
		return detmath.Log(x)
	}
	return x
}

// toNatural maps a sampler-scale value back.
func (p *Problem) toNatural(j int, w float64) float64 {
	if p.Params[j].Log {
		return detmath.Exp(w)
	}
	return w
}

// logPrior is the prior's log density on the sampler's scale (with the
// log transform's Jacobian, log x).
func (p *Problem) logPrior(w, x []float64) float64 {
	lp := 0.0
	for j := range p.Params {
		lp += p.Params[j].Prior.LogProb(x[j])
		if p.Params[j].Log {
			lp += w[j]
		}
	}
	return lp
}

// priorMoments returns each parameter's prior mean and variance on the
// sampler's scale, by the midpoint rule over 4,000 quantiles (exact enough
// for the contraction diagnostic, and for any Prior).
func (p *Problem) priorMoments() (mean, variance []float64) {
	const k = 4000
	mean, variance = make([]float64, len(p.Params)), make([]float64, len(p.Params))
	for j := range p.Params {
		var s, s2 float64
		for i := 0; i < k; i++ {
			w := p.toWork(j, p.Params[j].Prior.Quantile((float64(i)+0.5)/k))
			s += w
			s2 += w * w
		}
		mean[j] = s / k
		variance[j] = math.Max(0, s2/k-mean[j]*mean[j])
	}
	return mean, variance
}
